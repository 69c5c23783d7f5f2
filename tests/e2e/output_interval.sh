#!/usr/bin/env bash
# End-to-end test that a run's endpoints do not depend on how often results are written: the
# ide-cel patient (ODE), the antigen-escape patient (hybrid, relapse and death at the lethal burden)
# and an ide-cel patient with a dose-dependent CRS are run with output.interval_days 1, 7 and 30.
# Their summary.json files must agree: peaks, their days, CRS grade, progression, relapse type and
# the death day are tracked at every solver step, not read at output rows (before that fix the
# ide-cel example gave CRS grade 2, 2, 0 and a blood peak of 282, 282 and 142 cells/uL). In hybrid
# mode the agents advance on their own grid, so lineage.csv must be identical too.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
EXAMPLES="$SOURCE_DIR/scenarios/examples"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

compare() {  # compare NAME: the three summaries of $TMP/NAME-{1,7,30} agree; no endpoint on an output grid
    check "$1: summary.json is the same for output intervals 1, 7 and 30 days" "$PYTHON" -c '
import json, math, sys
def load(path):
    s = json.load(open(path))
    s.pop("events", None)  # the same events; their list is compared through the endpoints
    return s
def same(a, b, where):
    if isinstance(a, dict):
        if a.keys() != b.keys(): sys.exit(f"  {where}: keys differ")
        for k in a: same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        if len(a) != len(b): sys.exit(f"  {where}: {len(a)} against {len(b)} entries")
        for i, (x, y) in enumerate(zip(a, b)): same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        # the same solver steps whatever the outputs: equal to far below the solver tolerance
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12): sys.exit(f"  {where}: {a} against {b}")
    elif a != b: sys.exit(f"  {where}: {a!r} against {b!r}")
base = load(sys.argv[1])
for other in sys.argv[2:]: same(base, load(other), other)
' "$TMP/$1-1/summary.json" "$TMP/$1-7/summary.json" "$TMP/$1-30/summary.json"
}

for interval in 1 7 30; do
    check "idecel interval $interval: cartsim run exits 0" logged "$TMP/idecel-$interval.log" "$CARTSIM" run \
        "$EXAMPLES/idecel-single-patient.yaml" -o "$TMP/idecel-$interval" --set output.interval_days=$interval
    check "escape interval $interval: cartsim run exits 0" logged "$TMP/escape-$interval.log" "$CARTSIM" run \
        "$EXAMPLES/antigen-escape.yaml" -o "$TMP/escape-$interval" --set output.interval_days=$interval
done
compare idecel
compare escape

check "idecel: a CRS grade above 0 at every interval and the blood peak inside a day, not on the daily grid" "$PYTHON" -c '
import json, sys
s = json.load(open(sys.argv[1]))
grade, day = s["crs_grade"], s["cart_peak_day"]
if grade < 1: sys.exit(f"  crs_grade {grade}")
if abs(day - round(day)) < 1e-3: sys.exit(f"  cart_peak_day {day}")
' "$TMP/idecel-30/summary.json"
check "escape: relapse and death at the lethal burden at every interval, the series ending at death" "$PYTHON" -c '
import csv, json, sys
s = json.load(open(sys.argv[1]))
progression, cause = s["progression_day"], s["death_cause"]
if progression is None or cause != "tumour_burden": sys.exit(f"  progression {progression}, death {cause}")
last = float(list(csv.DictReader(open(sys.argv[2])))[-1]["time_day"])
if abs(last - s["death_day"]) > 1e-9: sys.exit(f"  last row at {last}")
' "$TMP/escape-30/summary.json" "$TMP/escape-30/timeseries.csv"
for interval in 7 30; do
    check "escape interval $interval: lineage.csv is identical to interval 1 (same random path)" \
        cmp "$TMP/escape-1/lineage.csv" "$TMP/escape-$interval/lineage.csv"
done

finish
