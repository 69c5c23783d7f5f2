#!/usr/bin/env bash
# End-to-end test that the example and reference scenarios behave as documented: the ide-cel patient
# responds with a CAR-T peak in week 1-3; antigen-escape relapses with the BCMA-negative clone (and not
# without it); cart-then-talquetamab starts talquetamab at progression; the reference models honour
# --set dose_cells and --set horizon_days.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
EXAMPLES="$SOURCE_DIR/scenarios/examples"
REFERENCE="$SOURCE_DIR/scenarios/reference"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
py() { "$PYTHON" -c "$@"; }  # py CODE ARG...: the arguments are sys.argv[1:]

run() {  # run NAME SCENARIO [ARGS...]: cartsim run into $TMP/NAME, output in $TMP/NAME.log
    local name="$1" scenario="$2"
    shift 2
    check "$name: cartsim run exits 0" logged "$TMP/$name.log" "$CARTSIM" run "$scenario" -o "$TMP/$name" "$@"
}

# --- idecel-single-patient ------------------------------------------------------------------------
run idecel "$EXAMPLES/idecel-single-patient.yaml"
check "idecel: best_response at least PR" py '
import json, sys
order = ["PD", "SD", "MR", "PR", "VGPR", "CR", "sCR"]
r = json.load(open(sys.argv[1]))["best_response"]
sys.exit(0 if r in order and order.index(r) >= order.index("PR") else f"  best_response {r}")
' "$TMP/idecel/summary.json"
check "idecel: CAR-T blood peak between day 7 and 21, matching the timeseries" py '
import csv, json, sys
s = json.load(open(sys.argv[1]))
day, peak = s["cart_peak_day"], s["cart_peak_blood_cells_per_ul"]
if not 7 <= day <= 21: sys.exit(f"  cart_peak_day {day}")
rows = list(csv.DictReader(open(sys.argv[2])))
column = "cart_ide_cel_blood_cells_per_ul"
best = max(rows, key=lambda r: float(r[column]))
sampled_day, sampled_peak = float(best["time_day"]), float(best[column])
# The summary peak may come from the solver steps, between output rows: at least the sampled peak.
if abs(sampled_day - day) > 1 or not sampled_peak <= peak * (1 + 1e-9) or sampled_peak < 0.8 * peak:
    sys.exit(f"  summary peak {peak} on day {day}, timeseries peak {sampled_peak} on day {sampled_day}")
' "$TMP/idecel/summary.json" "$TMP/idecel/timeseries.csv"
check "idecel: the tumour shrinks at least 10-fold by the end" py '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
first, last = float(rows[0]["tumour_total_cells"]), float(rows[-1]["tumour_total_cells"])
sys.exit(0 if last < 0.1 * first else f"  tumour {first} -> {last}")
' "$TMP/idecel/timeseries.csv"

# --- antigen-escape -------------------------------------------------------------------------------
# Clone columns are tumour_<clone>_cells; tumour_total_cells is the sum, not a clone.
run escape "$EXAMPLES/antigen-escape.yaml"
check "escape: progression_day is a day within the horizon" py '
import json, sys
s = json.load(open(sys.argv[1]))
p = s["progression_day"]
sys.exit(0 if isinstance(p, (int, float)) and 0 < p <= 1825 else f"  progression_day {p}")
' "$TMP/escape/summary.json"
check "escape: relapse_type is antigen_negative" py '
import json, sys
r = json.load(open(sys.argv[1]))["relapse_type"]
sys.exit(0 if r == "antigen_negative" else f"  relapse_type {r!r}")
' "$TMP/escape/summary.json"
check "escape: at progression tumour_bcma_neg_cells is the largest clone" py '
import csv, json, sys
day = json.load(open(sys.argv[1]))["progression_day"]
rows = list(csv.DictReader(open(sys.argv[2])))
row = min(rows, key=lambda r: abs(float(r["time_day"]) - day))
clones = {k: float(v) for k, v in row.items()
          if k.startswith("tumour_") and k.endswith("_cells") and k != "tumour_total_cells"}
largest = max(clones, key=clones.get)
at = row["time_day"]
sys.exit(0 if largest == "tumour_bcma_neg_cells" else f"  day {at}: largest {largest} {clones}")
' "$TMP/escape/summary.json" "$TMP/escape/timeseries.csv"
check "escape: the BCMA-negative clone grows from its initial share" py '
import csv, json, sys
day = json.load(open(sys.argv[1]))["progression_day"]
rows = list(csv.DictReader(open(sys.argv[2])))
start = float(rows[0]["tumour_bcma_neg_cells"])
at = float(min(rows, key=lambda r: abs(float(r["time_day"]) - day))["tumour_bcma_neg_cells"])
sys.exit(0 if start > 0 and at > 10 * start else f"  bcma_neg {start} -> {at}")
' "$TMP/escape/summary.json" "$TMP/escape/timeseries.csv"

run no_escape "$EXAMPLES/antigen-escape.yaml" --set mechanisms.antigen_loss=false \
    --set 'patient.tumour.clones[bcma_neg].fraction=0' --set 'patient.tumour.clones[main].fraction=1'
check "no escape clone, no antigen loss: relapse_type is not antigen_negative" py '
import json, sys
r = json.load(open(sys.argv[1]))["relapse_type"]
sys.exit(0 if r is None or (isinstance(r, str) and r != "antigen_negative") else f"  relapse_type {r!r}")
' "$TMP/no_escape/summary.json"

# --- cart-then-talquetamab ------------------------------------------------------------------------
run talq "$EXAMPLES/cart-then-talquetamab.yaml"
check "talq: line 2 is talquetamab and starts on line 1's progression day" py '
import json, sys
lines = json.load(open(sys.argv[1]))["lines"]
if len(lines) < 2: sys.exit(f"  {len(lines)} lines")
first, second = lines[0], lines[1]
p = first["progression_day"]
if p is None: sys.exit("  line 1 did not progress")
if second["name"] != "talquetamab" or "talquetamab" not in second["therapies"]:
    sys.exit(f"  line 2 is {second}")
start = second["start_day"]
sys.exit(0 if start == p else f"  line 2 starts {start}, line 1 progressed {p}")
' "$TMP/talq/summary.json"
check "talq: drug_talquetamab_ug_per_ml is 0 before the start day and > 0 after it" py '
import csv, json, sys
start = json.load(open(sys.argv[1]))["lines"][1]["start_day"]
rows = list(csv.DictReader(open(sys.argv[2])))
column = "drug_talquetamab_ug_per_ml"
if column not in rows[0]: sys.exit(f"  no column {column}")
before = [r for r in rows if float(r["time_day"]) < start]
after = [r for r in rows if float(r["time_day"]) > start]
if not before or not after: sys.exit("  no rows before or after the start")
bad = [r["time_day"] for r in before if float(r[column]) != 0]
bad += [r["time_day"] for r in after if not float(r[column]) > 0]
sys.exit(f"  wrong concentration on days {bad[:10]}" if bad else 0)
' "$TMP/talq/summary.json" "$TMP/talq/timeseries.csv"
check "talq: therapy_line is 1 before the start day and 2 from it" py '
import csv, json, sys
start = json.load(open(sys.argv[1]))["lines"][1]["start_day"]
bad = [r["time_day"] for r in csv.DictReader(open(sys.argv[2]))
       if float(r["therapy_line"]) != (1 if float(r["time_day"]) < start else 2)]
sys.exit(f"  wrong therapy_line on days {bad[:10]}" if bad else 0)
' "$TMP/talq/summary.json" "$TMP/talq/timeseries.csv"

# --- reference models -----------------------------------------------------------------------------
data_rows_are() {  # data_rows_are CSV N
    py 'import sys; sys.exit(0 if len(open(sys.argv[1]).read().splitlines()) - 1 == int(sys.argv[2]) else 1)' "$1" "$2"
}
value_at() {  # value_at CSV DAY COLUMN EXPECTED: the value on DAY equals EXPECTED to 1e-9 relative
    py '
import csv, sys
path, day, column, expected = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4])
row = next(r for r in csv.DictReader(open(path)) if float(r["time_day"]) == day)
v = float(row[column])
sys.exit(0 if abs(v - expected) <= 1e-9 * abs(expected) else f"  {column} on day {day}: {v}, expected {expected}")
' "$@"
}
same_until() {  # same_until CSV_A CSV_B DAY COLUMN: equal on days < DAY, different on day DAY + 1
    py '
import csv, sys
a = {r["time_day"]: float(r[sys.argv[4]]) for r in csv.DictReader(open(sys.argv[1]))}
b = {r["time_day"]: float(r[sys.argv[4]]) for r in csv.DictReader(open(sys.argv[2]))}
day = float(sys.argv[3])
common = [d for d in a if d in b]
before = [d for d in common if float(d) < day and a[d] != b[d]]
after = [d for d in common if float(d) == day + 1]
if before: sys.exit(f"  differ before day {day}: {before[:5]}")
sys.exit(0 if after and a[after[0]] != b[after[0]] else f"  equal after day {day}")
' "$@"
}

run singh "$REFERENCE/singh2021.yaml"
run singh_low "$REFERENCE/singh2021.yaml" --set dose_cells=150.0e6 --set horizon_days=100
check "singh2021: 366 rows for 365 days" data_rows_are "$TMP/singh/timeseries.csv" 366
check "singh2021 horizon_days=100: 101 rows" data_rows_are "$TMP/singh_low/timeseries.csv" 101
# The dose is infused into the 5 L of blood on day 0.
check "singh2021: day-0 blood effectors = 450e6 cells / 5 L" \
    value_at "$TMP/singh/timeseries.csv" 0 cart_effector_blood_cells_per_l 9.0e7
check "singh2021 dose_cells=150e6: day-0 blood effectors = 150e6 cells / 5 L" \
    value_at "$TMP/singh_low/timeseries.csv" 0 cart_effector_blood_cells_per_l 3.0e7
# During expansion (days 1-10) the lower dose gives fewer CAR-T cells and kills less tumour; later the
# expansion saturates and the order may flip, so only the early days are compared.
check "singh2021: the lower dose gives fewer blood effectors and more tumour on days 1-10" py '
import csv, sys
def rows(path):
    return {float(r["time_day"]): r for r in csv.DictReader(open(path))}
high, low = rows(sys.argv[1]), rows(sys.argv[2])
for day in range(1, 11):
    h, l = high[day], low[day]
    if not float(l["cart_effector_blood_cells_per_l"]) < float(h["cart_effector_blood_cells_per_l"]):
        sys.exit(f"  day {day}: effectors not below the 450e6 run")
    if not float(l["tumour_marrow_cells_per_l"]) > float(h["tumour_marrow_cells_per_l"]):
        sys.exit(f"  day {day}: tumour not above the 450e6 run")
' "$TMP/singh/timeseries.csv" "$TMP/singh_low/timeseries.csv"
check "singh2021 summary records the dose" py '
import json, sys
sys.exit(0 if json.load(open(sys.argv[1]))["dose_cells"] == 150e6 else 1)
' "$TMP/singh_low/summary.json"

run cartmath "$REFERENCE/cartmath.yaml"
run cartmath_low "$REFERENCE/cartmath.yaml" --set dose_cells=0.5e6 --set horizon_days=100
check "cartmath: 201 rows for 200 days" data_rows_are "$TMP/cartmath/timeseries.csv" 201
check "cartmath horizon_days=100: 101 rows" data_rows_are "$TMP/cartmath_low/timeseries.csv" 101
# The dose joins the effector pool on day 42 (parameters.dose_day).
check "cartmath: 1.5e6 effectors on day 42" value_at "$TMP/cartmath/timeseries.csv" 42 cart_effector_cells 1.5e6
check "cartmath dose_cells=0.5e6: 0.5e6 effectors on day 42" \
    value_at "$TMP/cartmath_low/timeseries.csv" 42 cart_effector_cells 0.5e6
check "cartmath: tumour identical before the dose, different after" \
    same_until "$TMP/cartmath/timeseries.csv" "$TMP/cartmath_low/timeseries.csv" 42 tumour_cells

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
