#!/usr/bin/env bash
# Outputs for R (issue 19, item 6): the long (tidy) time series holds exactly the wide one's numbers,
# and the README's R example (a Cox model with the survival package on a study's patients.csv) runs
# as printed and gives the hazard ratio and interval of cartsim's own summary.json (both Efron ties).
# Environment (set by CTest): CARTSIM, SOURCE_DIR, PYTHON.
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

check "a single run with output.long_timeseries=true exits 0" logged "$TMP/long.log" "$CARTSIM" run \
    "$SOURCE_DIR/scenarios/examples/idecel-single-patient.yaml" --set output.long_timeseries=true -q -o "$TMP/long"
check "... and writes timeseries_long.csv with every value of timeseries.csv, in order" "$PYTHON" - "$TMP/long" <<'PY'
import csv, sys
wide = list(csv.reader(open(f"{sys.argv[1]}/timeseries.csv")))
long = list(csv.reader(open(f"{sys.argv[1]}/timeseries_long.csv")))
assert long[0] == ["time_day", "variable", "value"], long[0]
expected = [[row[0], name, value] for row in wide[1:] for name, value in zip(wide[0][1:], row[1:])]
assert long[1:] == expected, "long rows differ from the wide table"
assert len(expected) > 10000
PY
check "... and without the key no timeseries_long.csv is written" "$PYTHON" -c '
import os, subprocess, sys
subprocess.run([sys.argv[1], "run", sys.argv[2], "-q", "-o", sys.argv[3]], check=True)
sys.exit(1 if os.path.exists(sys.argv[3] + "/timeseries_long.csv") else 0)' \
    "$CARTSIM" "$SOURCE_DIR/scenarios/examples/idecel-single-patient.yaml" "$TMP/wide"

# The README's R block, run where its path exists.
mkdir -p "$TMP/work/out"
check "the sequencing study runs (100 patients per arm)" logged "$TMP/seq.log" "$CARTSIM" run \
    "$SOURCE_DIR/scenarios/studies/sequencing-cart-vs-bispecific.yaml" --set cohort.size=100 --threads 2 -q \
    -o "$TMP/work/out/sequencing"
awk '/^```r$/ {inside = 1; next} inside && /^```$/ {exit} inside {print}' "$SOURCE_DIR/README.md" >"$TMP/work/example.R"
check "README.md holds an R example that uses the survival package" grep -q "library(survival)" "$TMP/work/example.R"
check "the README's R example runs" logged "$TMP/r.log" bash -c 'cd "$1" && Rscript example.R' _ "$TMP/work"
check "R's hazard ratio and 95% interval equal summary.json's (PFS2, teclistamab first against ide-cel first)" \
    "$PYTHON" - "$TMP/r.log" "$TMP/work/out/sequencing/summary.json" <<'PY'
import json, re, sys
numbers = [float(x) for x in re.findall(r"[-+]?\d+\.\d+(?:e[-+]?\d+)?", open(sys.argv[1]).read())]
hr_r, _, low_r, high_r = numbers[:4]  # exp(coef), exp(-coef), lower .95, upper .95
c = next(c for c in json.load(open(sys.argv[2]))["comparisons"]
         if c["reference_arm"] == "ide-cel then teclistamab" and c["arm"] == "teclistamab then ide-cel"
         and c["endpoint"] == "pfs2")["hazard_ratio"]
print(f"R {hr_r} [{low_r}, {high_r}]; cartsim {c['value']:.7g} [{c['ci_low']:.7g}, {c['ci_high']:.7g}]")
# R prints 7 significant digits.
assert all(abs(a - b) <= 1e-6 * abs(b) + 1e-12 for a, b in
           [(hr_r, c["value"]), (low_r, c["ci_low"]), (high_r, c["ci_high"])])
PY
finish
