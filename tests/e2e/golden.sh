#!/usr/bin/env bash
# Golden-file regressions: every column of timeseries.csv of the ide-cel example, and of the calibrated
# ide-cel preset followed by teclistamab (tests/golden/idecel-calibrated-then-teclistamab.yaml), must
# match its golden file within |run - golden| <= 1e-6 |golden| + 1e-9 max|column|
# (why 1e-6, and how to regenerate the file: tests/golden/README.md). A slightly perturbed run must
# fail the same comparison, so the test cannot pass by comparing nothing.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
SCENARIO="$SOURCE_DIR/scenarios/examples/idecel-single-patient.yaml"
GOLDEN="$SOURCE_DIR/tests/golden/idecel-single-patient.csv"
REL_TOL=1e-6
ABS_TOL_OF_MAX=1e-9

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

compare() {  # compare RUN_CSV GOLDEN_CSV: exit 0 if every column is within tolerance
    "$PYTHON" - "$1" "$2" "$REL_TOL" "$ABS_TOL_OF_MAX" <<'EOF'
import csv, sys
import numpy as np

run_path, golden_path = sys.argv[1], sys.argv[2]
rel_tol, abs_tol_of_max = float(sys.argv[3]), float(sys.argv[4])
SOLVER_ABS_TOL = 1e-6  # [cells] the scenarios' solver.abs_tol (the default)

def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], np.array(rows[1:], dtype=float)

run_header, run = load(run_path)
golden_header, golden = load(golden_path)
if run_header != golden_header:
    missing = [c for c in golden_header if c not in run_header]
    extra = [c for c in run_header if c not in golden_header]
    sys.exit(f"  columns differ: missing {missing}, extra {extra} (or reordered)")
if run.shape != golden.shape:
    sys.exit(f"  {run.shape[0]} rows, golden has {golden.shape[0]}")
if not np.all(np.isfinite(run)):
    sys.exit("  the run has NaN or inf")

days = golden[:, 0]
worst = (0.0, None, None)  # (deviation / tolerance, column, row)
failures = []
for j, name in enumerate(golden_header):
    g, r = golden[:, j], run[:, j]
    tolerance = rel_tol * np.abs(g) + abs_tol_of_max * np.max(np.abs(g))
    if name.startswith("cart_") and name.endswith("_exhausted_fraction"):
        # A share of the product's marrow cells: the solver holds each count to its absolute tolerance
        # (SOLVER_ABS_TOL cells), so where the counts are tiny the share is that tolerance over their sum.
        product = name[len("cart_"):-len("_exhausted_fraction")]
        cells = sum(golden[:, golden_header.index(f"cart_{product}_marrow_{pool}_cells")]
                    for pool in ("effector", "memory", "exhausted"))
        tolerance = tolerance + SOLVER_ABS_TOL / np.maximum(cells, SOLVER_ABS_TOL)
    deviation = np.abs(r - g)
    # Where the tolerance is 0 (a column of zeros), any deviation is a failure.
    ratio = np.where(tolerance > 0, deviation / np.where(tolerance > 0, tolerance, 1), np.where(deviation > 0, np.inf, 0))
    i = int(np.argmax(ratio))
    if ratio[i] > worst[0]:
        worst = (float(ratio[i]), name, i)
    if ratio[i] > 1:
        failures.append(f"  {name} on day {days[i]:g}: run {r[i]!r}, golden {g[i]!r}, "
                        f"deviation {deviation[i]:.3g} > tolerance {tolerance[i]:.3g}")

ratio, name, i = worst
if name is None:
    print("  worst deviation: none (identical)")
else:
    print(f"  worst deviation: {name} on day {days[i]:g}: {abs(run[i, golden_header.index(name)] - golden[i, golden_header.index(name)]):.3g}"
          f" = {ratio:.3g} x tolerance")
if failures:
    print(f"  {len(failures)} column(s) outside |run - golden| <= {rel_tol:g} |golden| + {abs_tol_of_max:g} max|golden|:")
    print("\n".join(failures))
    sys.exit(1)
EOF
}

check "golden file exists" test -s "$GOLDEN"
check "run ide-cel example exits 0" logged "$TMP/run.log" "$CARTSIM" run "$SCENARIO" -o "$TMP/run" --set hybrid.enabled=false
check "timeseries.csv matches the golden file (rel $REL_TOL, abs $ABS_TOL_OF_MAX x column max)" \
    compare "$TMP/run/timeseries.csv" "$GOLDEN"

# The calibrated presets (ide-cel as fitted, then teclistamab): every room of the model moves.
CALIBRATED="$SOURCE_DIR/tests/golden/idecel-calibrated-then-teclistamab"
check "calibrated golden file exists" test -s "$CALIBRATED.csv"
check "run calibrated ide-cel then teclistamab exits 0" logged "$TMP/calibrated.log" \
    "$CARTSIM" run "$CALIBRATED.yaml" -o "$TMP/calibrated"
check "calibrated timeseries.csv matches its golden file" compare "$TMP/calibrated/timeseries.csv" "$CALIBRATED.csv"

# Negative control: a 1% change of the tumour growth rate must be caught.
check "perturbed run (growth_rate_per_day 0.008 -> 0.00808) exits 0" logged "$TMP/perturbed.log" \
    "$CARTSIM" run "$SCENARIO" -o "$TMP/perturbed" --set patient.tumour.growth_rate_per_day=0.00808 --set hybrid.enabled=false
perturbed_fails() {
    local status=0
    compare "$TMP/perturbed/timeseries.csv" "$GOLDEN" >"$TMP/perturbed.compare" 2>&1 || status=$?
    [[ "$status" -eq 1 ]] && grep -qE "^  [a-z_0-9]+ on day [0-9.]+: run" "$TMP/perturbed.compare"
}
check "perturbed run fails the comparison, naming a column and a day" perturbed_fails

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
