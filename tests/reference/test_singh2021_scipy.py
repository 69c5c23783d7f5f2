"""cartsim's Singh et al. 2021 scenario against an independent scipy solution (LSODA, rtol = atol = 1e-10):
every column of timeseries.csv within 1e-4 relative wherever it is above 1e-6 of its maximum.

    CARTSIM=build/cartsim SOURCE_DIR=. python3 tests/reference/test_singh2021_scipy.py
    python3 tests/reference/test_singh2021_scipy.py --csv out/timeseries.csv --dose 450e6
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_compare  # noqa: E402
import singh2021_scipy  # noqa: E402


def simulate(dose_cells, horizon_days, days):
    return singh2021_scipy.simulate(dose_cells, horizon_days, days, method="LSODA", tol=1e-10)[1]


if __name__ == "__main__":
    reference_compare.main("singh2021", [450e6, 50e6, 800e6], 365.0, simulate)
