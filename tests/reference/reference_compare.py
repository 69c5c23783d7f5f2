"""Shared by the test_*_scipy.py scripts: run cartsim on a reference scenario and compare its
timeseries.csv with an independent scipy solution, column by column."""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np

REL_TOL = 1e-4      # agreement required ...
FLOOR = 1e-6        # ... wherever a value is above this fraction of its column's maximum


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array([[float(v) for v in r] for r in rows[1:] if r])
    return {name: body[:, i] for i, name in enumerate(header)}


def run_cartsim(scenario, dose_cells, out_dir):
    cartsim = os.environ.get("CARTSIM")
    source = os.environ.get("SOURCE_DIR")
    if not cartsim or not source:
        sys.exit("set CARTSIM (the cartsim binary) and SOURCE_DIR (the source tree), or pass --csv")
    yaml = os.path.join(source, "scenarios", "reference", scenario + ".yaml")
    cmd = [cartsim, "run", yaml, "-o", out_dir, "--set", f"dose_cells={dose_cells!r}"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)} exited with {done.returncode}\n{done.stdout}{done.stderr}")
    return read_csv(os.path.join(out_dir, "timeseries.csv"))


def compare(label, cartsim_cols, reference_cols, horizon_days):
    """Returns (passed, failed); prints one line per failure."""
    passed = failed = 0
    t = cartsim_cols.get("time_day")
    expected_t = np.arange(0.0, horizon_days + 0.5)
    if t is None or t.shape != expected_t.shape or np.any(t != expected_t):
        print(f"FAIL {label}: time_day is not the integer days 0..{horizon_days:g}")
        return 0, 1
    for name, ref in reference_cols.items():
        if name not in cartsim_cols:
            print(f"FAIL {label}: column {name} missing from timeseries.csv")
            failed += 1
            continue
        got = cartsim_cols[name]
        magnitude = np.maximum(np.abs(got), np.abs(ref))
        checked = magnitude > FLOOR * np.abs(ref).max()
        rel = np.zeros_like(ref)
        rel[checked] = np.abs(got[checked] - ref[checked]) / magnitude[checked]
        worst = int(np.argmax(rel))
        if rel[worst] < REL_TOL and np.all(np.isfinite(got)):
            passed += 1
            print(f"ok   {label} {name}: largest relative difference {rel[worst]:.1e} (day {t[worst]:g})")
        else:
            failed += 1
            print(f"FAIL {label} {name}: day {t[worst]:g} cartsim {got[worst]:.10g} scipy {ref[worst]:.10g} "
                  f"(relative difference {rel[worst]:.2e} > {REL_TOL:g})")
    return passed, failed


def main(scenario, doses, default_horizon_days, simulate):
    """simulate(dose_cells, horizon_days, days) -> {column: values}."""
    parser = argparse.ArgumentParser(description=f"cartsim {scenario} against scipy")
    parser.add_argument("--csv", help="compare this timeseries.csv instead of running $CARTSIM")
    parser.add_argument("--dose", type=float, help="dose_cells of --csv (default: the scenario's)")
    parser.add_argument("--horizon", type=float, default=default_horizon_days, help="horizon_days of --csv")
    args = parser.parse_args()

    passed = failed = 0
    if args.csv:
        cases = [(args.dose if args.dose is not None else doses[0], args.horizon, lambda d: read_csv(args.csv))]
    else:
        tmp = tempfile.TemporaryDirectory()
        cases = [(d, default_horizon_days, lambda d: run_cartsim(scenario, d, os.path.join(tmp.name, f"{d:g}")))
                 for d in doses]
    for dose, horizon, produce in cases:
        got = produce(dose)
        days = np.arange(0.0, horizon + 0.5)
        p, f = compare(f"{scenario} dose {dose:g}", got, simulate(dose, horizon, days), horizon)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
