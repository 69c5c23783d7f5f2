"""Times the scipy LSODA solution of Singh et al. 2021 (rtol = atol = 1e-10, 365 days, daily output), as
a yardstick for cartsim's own timing of the same scenario.

    python3 tests/reference/bench_singh2021_scipy.py [--repeats 5] [--dose 450e6]
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import singh2021_scipy  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dose", type=float, default=450e6)
    args = parser.parse_args()
    days = np.arange(0.0, 366.0)
    timings = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        _, _, sol = singh2021_scipy.simulate(args.dose, 365.0, days, method="LSODA", tol=1e-10)
        timings.append(time.perf_counter() - start)
    best, median = min(timings), float(np.median(timings))
    print(f"scipy LSODA rtol=atol=1e-10, Singh 2021 dose {args.dose:g}, 365 days: "
          f"{1e3 * best:.1f} ms per patient-year (best of {args.repeats}; median {1e3 * median:.1f} ms), "
          f"{sol.nfev} RHS evaluations, {sol.njev} Jacobian evaluations")


if __name__ == "__main__":
    main()
