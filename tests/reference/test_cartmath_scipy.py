"""cartsim's CARTmath scenario against an independent scipy solution (Radau, rtol = atol = 1e-10, the
extinction rule as events): every column of timeseries.csv within 1e-4 relative wherever it is above
1e-6 of its maximum.

    CARTSIM=build/cartsim SOURCE_DIR=. python3 tests/reference/test_cartmath_scipy.py
    python3 tests/reference/test_cartmath_scipy.py --csv out/timeseries.csv --dose 1.5e6
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cartmath_scipy  # noqa: E402
import reference_compare  # noqa: E402


def simulate(dose_cells, horizon_days, days):
    return cartmath_scipy.simulate(dose_cells, horizon_days, days, method="Radau", tol=1e-10)[1]


if __name__ == "__main__":
    reference_compare.main("cartmath", [1.5e6, 0.5e6, 0.2e6], 200.0, simulate)
