#!/usr/bin/env bash
# End-to-end test of the cartsim command line: the files `cartsim run` writes (timeseries.csv,
# summary.json, manifest.json) and their contents, --set overrides (by path and by list-entry name),
# `cartsim check`, `cartsim params` (text and CSV), usage errors, and byte-identical reruns.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
EXAMPLES="$SOURCE_DIR/scenarios/examples"
IDECEL="$EXAMPLES/idecel-single-patient.yaml"
ESCAPE="$EXAMPLES/antigen-escape.yaml"
HORIZON_DAYS=730  # horizon_days of the ide-cel example

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
fails() { ! "$@" >/dev/null 2>&1; }
contains() { grep -qF -- "$2" "$1"; }
py() { "$PYTHON" -c "$@"; }  # py CODE ARG...: the arguments are sys.argv[1:]

data_rows() {  # data_rows CSV EXPECTED
    py '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
n = len(rows) - 1
if n != int(sys.argv[2]):
    sys.exit(f"  {sys.argv[1]}: {n} data rows, expected {sys.argv[2]}")
' "$1" "$2"
}

# --- the default run ------------------------------------------------------------------------------
run="$TMP/idecel"
check "run ide-cel example exits 0" logged "$TMP/idecel.log" "$CARTSIM" run "$IDECEL" -o "$run"
csv="$run/timeseries.csv"
check "timeseries.csv written" test -s "$csv"
check "summary.json written" test -s "$run/summary.json"
check "manifest.json written" test -s "$run/manifest.json"
check "no temporary file (*.tmp*) left in the output folder" \
    test -z "$(find "$run" -name '*.tmp*' -print -quit)"

check "timeseries: first column is time_day" py '
import csv, sys
header = next(csv.reader(open(sys.argv[1])))
sys.exit(0 if header[0] == "time_day" else f"  first column {header[0]!r}")
' "$csv"
check "timeseries: $((HORIZON_DAYS + 1)) data rows for $HORIZON_DAYS days at 1 day" \
    data_rows "$csv" $((HORIZON_DAYS + 1))
check "timeseries: days are 0, 1, ..., $HORIZON_DAYS" py '
import csv, sys
days = [float(r["time_day"]) for r in csv.DictReader(open(sys.argv[1]))]
sys.exit(0 if days == [float(d) for d in range(int(sys.argv[2]) + 1)] else "  days are not 0..N")
' "$csv" "$HORIZON_DAYS"
check "timeseries: every value is a finite number (no NaN, no inf, no empty cell)" py '
import csv, math, sys
rows = list(csv.reader(open(sys.argv[1])))
header = rows[0]
for i, row in enumerate(rows[1:], 1):
    if len(row) != len(header):
        sys.exit(f"  row {i}: {len(row)} cells, header has {len(header)}")
    for name, cell in zip(header, row):
        try:
            value = float(cell)
        except ValueError:
            sys.exit(f"  row {i} {name}: {cell!r} is not a number")
        if not math.isfinite(value):
            sys.exit(f"  row {i} {name}: {cell}")
' "$csv"
check "timeseries: every column name has a unit suffix" py '
import csv, sys
suffixes = ("_cells", "_percent", "_per_ul", "_per_ml", "_per_dl", "_per_cell", "_fraction", "_index", "_day",
            "_per_ug_dna", "_doublings", "_fold")
header = next(csv.reader(open(sys.argv[1])))
bad = [c for c in header if c != "therapy_line" and not c.endswith(suffixes)]
sys.exit(f"  no unit suffix: {bad}" if bad else 0)
' "$csv"

check "summary.json: keys, types and values" py '
import json, sys
s = json.load(open(sys.argv[1]))
responses = {"sCR", "CR", "VGPR", "PR", "MR", "SD", "PD"}
errors = []
def need(key, ok, what):
    if key not in s:
        errors.append(f"missing {key}")
    elif not ok(s[key]):
        errors.append(f"{key} = {s[key]!r}, expected {what}")
number = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
need("best_response", lambda v: v in responses, "one of " + " ".join(sorted(responses)))
need("mrd_negative", lambda v: isinstance(v, bool), "a boolean")
need("progression_day", lambda v: v is None or number(v), "a number or null")
need("relapse_type", lambda v: v is None or isinstance(v, str), "a string or null")
need("death_day", lambda v: v is None or number(v), "a number or null")
need("cart_peak_blood_cells_per_ul", lambda v: number(v) and v > 0, "a positive number")
need("cart_peak_day", number, "a number")
need("assessments", lambda v: isinstance(v, list) and len(v) > 0
     and all(a.get("response") in responses and isinstance(a.get("line"), str) for a in v),
     "a non-empty list of entries with response and line")
need("lines", lambda v: isinstance(v, list) and len(v) == 1 and v[0].get("name") == "cart", "one line, cart")
sys.exit("  " + "; ".join(errors) if errors else 0)
' "$run/summary.json"

check "manifest.json: keys, and the fully resolved scenario" py '
import json, sys
m = json.load(open(sys.argv[1]))
errors = [f"missing {k}" for k in ("cartsim_version", "git_commit", "scenario", "seed", "started_at",
                                      "wall_time_seconds") if k not in m]
if not errors:
    seed = m["seed"]
    if seed != 1: errors.append(f"seed {seed}")
    if not (isinstance(m["wall_time_seconds"], (int, float)) and m["wall_time_seconds"] >= 0):
        errors.append("wall_time_seconds not a non-negative number")
    if not isinstance(m["started_at"], str) or len(m["started_at"]) < 10: errors.append("started_at")
    regimen = m["scenario"].get("regimen", [])
    therapy = regimen[0]["therapies"][0] if regimen and regimen[0].get("therapies") else {}
    targets = therapy.get("targets")
    if targets != ["BCMA"]:
        errors.append(f"regimen[0].therapies[0].targets = {targets!r}, expected [BCMA] from the preset")
    if therapy.get("dose_cells") != 450e6: errors.append("dose_cells not 450e6")
    if m["scenario"].get("horizon_days") != 730: errors.append("horizon_days")
sys.exit("  " + "; ".join(errors) if errors else 0)
' "$run/manifest.json"
version="$("$CARTSIM" --version)"
check "manifest cartsim_version appears in cartsim --version ($version)" py '
import json, sys
sys.exit(0 if json.load(open(sys.argv[1]))["cartsim_version"] in sys.argv[2] else 1)
' "$run/manifest.json" "$version"

# --- overrides ------------------------------------------------------------------------------------
check "run with --set output.interval_days=7 exits 0" logged "$TMP/weekly.log" \
    "$CARTSIM" run "$IDECEL" -o "$TMP/weekly" --set output.interval_days=7
check "interval 7: $((HORIZON_DAYS / 7 + 1)) data rows (days 0, 7, ..., $((HORIZON_DAYS / 7 * 7)))" \
    data_rows "$TMP/weekly/timeseries.csv" $((HORIZON_DAYS / 7 + 1))
check "interval 7: rows agree with the daily run at the same days" py '
import csv, sys
daily = {r["time_day"]: r for r in csv.DictReader(open(sys.argv[1]))}
for r in csv.DictReader(open(sys.argv[2])):
    day = r["time_day"]
    d = daily[day]
    for k, v in r.items():
        a, b = float(v), float(d[k])
        if abs(a - b) > 1e-6 * max(abs(a), abs(b)) + 1e-12:
            sys.exit(f"  day {day} {k}: weekly {a} daily {b}")
' "$csv" "$TMP/weekly/timeseries.csv"

check "antigen-escape with clones set by name exits 0" logged "$TMP/byname.log" \
    "$CARTSIM" run "$ESCAPE" -o "$TMP/byname" \
    --set 'patient.tumour.clones[bcma_neg].fraction=0' --set 'patient.tumour.clones[main].fraction=1'
check "clones by name: manifest records fractions main=1, bcma_neg=0" py '
import json, sys
clones = {c["name"]: c["fraction"] for c in json.load(open(sys.argv[1]))["scenario"]["patient"]["tumour"]["clones"]}
sys.exit(0 if clones == {"main": 1, "bcma_neg": 0} else f"  clones {clones}")
' "$TMP/byname/manifest.json"
check "clones by name: bcma_neg starts at 0 cells" py '
import csv, sys
sys.exit(0 if float(next(csv.DictReader(open(sys.argv[1])))["tumour_bcma_neg_cells"]) == 0 else 1)
' "$TMP/byname/timeseries.csv"
check "clones by name: relapse_type is not antigen_negative" py '
import json, sys
r = json.load(open(sys.argv[1]))["relapse_type"]
sys.exit(0 if r != "antigen_negative" else f"  relapse_type {r}")
' "$TMP/byname/summary.json"

has_column() {  # has_column CSV NAME
    py 'import csv, sys; sys.exit(0 if sys.argv[2] in next(csv.reader(open(sys.argv[1]))) else 1)' "$1" "$2"
}
check "antigen loss on: derived clone column tumour_main_bcma0_cells present" \
    has_column "$csv" tumour_main_bcma0_cells
check "run with --set mechanisms.antigen_loss=false exits 0" logged "$TMP/noloss.log" \
    "$CARTSIM" run "$IDECEL" -o "$TMP/noloss" --set mechanisms.antigen_loss=false
check "antigen loss off: no derived clone columns (tumour_main_bcma*)" py '
import csv, sys
header = next(csv.reader(open(sys.argv[1])))
derived = [c for c in header if c.startswith("tumour_main_bcma")]
sys.exit(f"  still present: {derived}" if derived else 0)
' "$TMP/noloss/timeseries.csv"
check "antigen loss off: tumour_main_cells still present" has_column "$TMP/noloss/timeseries.csv" tumour_main_cells

# --- check ----------------------------------------------------------------------------------------
check "check of the ide-cel example exits 0" logged "$TMP/check.out" "$CARTSIM" check "$IDECEL"
check "check prints the resolved YAML with dose_cells" contains "$TMP/check.out" "dose_cells: "
check "check prints the preset's targets" grep -qE '^ *targets: *\[ *BCMA *\]|^ *- BCMA$' "$TMP/check.out"
check "check output parses as YAML (PyYAML if present)" py '
import sys
try:
    import yaml
except ImportError:
    sys.exit(0)
doc = yaml.safe_load(open(sys.argv[1]))
sys.exit(0 if doc["regimen"][0]["therapies"][0]["dose_cells"] == 450e6 else 1)
' "$TMP/check.out"
check "check writes no output folder" test ! -e "$TMP/idecel-single-patient"

# --- params ---------------------------------------------------------------------------------------
check "params exits 0" logged "$TMP/params.txt" "$CARTSIM" params
check "params lists patient.tumour.growth_rate_per_day with unit 1/day" py '
import sys
lines = open(sys.argv[1]).read().splitlines()
i = lines.index("patient.tumour.growth_rate_per_day")
sys.exit(0 if "1/day" in lines[i + 1] else f"  {lines[i + 1]!r}")
' "$TMP/params.txt"
check "params --format csv exits 0" logged "$TMP/params.csv" "$CARTSIM" params --format csv
check "params csv: header and every row complete" py '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
need = {"key", "default", "unit", "source", "description"}
if not need <= set(rows[0].keys()): sys.exit(f"  header {list(rows[0].keys())}")
if len(rows) < 100: sys.exit(f"  only {len(rows)} parameters")
bad = [r["key"] for r in rows if None in r.values() or None in r]
sys.exit(f"  ragged rows: {bad}" if bad else 0)
' "$TMP/params.csv"
check "params csv: every numeric default has a unit" py '
import csv, sys
def number(s):
    try: float(s); return True
    except ValueError: return False
bad = [r["key"] for r in csv.DictReader(open(sys.argv[1])) if number(r["default"]) and not r["unit"].strip()]
sys.exit(f"  numeric default without unit: {bad}" if bad else 0)
' "$TMP/params.csv"
check "params csv: every numeric model parameter (patient.*, regimen[].*, parameters.*) has a source" py '
import csv, sys
def number(s):
    try: float(s); return True
    except ValueError: return False
rows = [r for r in csv.DictReader(open(sys.argv[1])) if number(r["default"])]
model = [r for r in rows if r["key"].startswith(("patient.", "regimen[", "parameters."))]
bad = [r["key"] for r in model if not r["source"].strip()]
others = [r["key"] for r in rows if r not in model and not r["source"].strip()]
if others: print("  note: run settings without a source: " + ", ".join(others))
sys.exit(f"  model parameters without a source: {bad}" if bad else 0)
' "$TMP/params.csv"
check "params csv: growth_rate_per_day has unit 1/day and a source" py '
import csv, sys
r = {r["key"]: r for r in csv.DictReader(open(sys.argv[1]))}["patient.tumour.growth_rate_per_day"]
sys.exit(0 if r["unit"] == "1/day" and r["source"].strip() and r["default"] == "0.008" else f"  {r}")
' "$TMP/params.csv"
check "params --model singh2021 exits 0" logged "$TMP/singh.txt" "$CARTSIM" params --model singh2021
check "params --model singh2021 lists kon" grep -q "^parameters\.kon_" "$TMP/singh.txt"
check "params --model cartmath lists the tumour kill rate" py '
import subprocess, sys
out = subprocess.run([sys.argv[1], "params", "--model", "cartmath"], capture_output=True, text=True, check=True).stdout
sys.exit(0 if "parameters.tumour_kill_rate_per_cell_per_day" in out else 1)
' "$CARTSIM"
check "params --format markdown exits 0 and prints a table" py '
import subprocess, sys
out = subprocess.run([sys.argv[1], "params", "--format", "markdown"], capture_output=True, text=True, check=True).stdout
sys.exit(0 if "| patient.tumour.growth_rate_per_day" in out or "`patient.tumour.growth_rate_per_day`" in out else 1)
' "$CARTSIM"

# --- usage errors ---------------------------------------------------------------------------------
check "unknown subcommand exits non-zero" fails "$CARTSIM" frobnicate
check "no subcommand exits non-zero" fails "$CARTSIM"
check "run without -o exits non-zero" fails "$CARTSIM" run "$IDECEL"
check "run without -o writes no timeseries.csv in the working folder" test ! -e "$PWD/timeseries.csv"
check "params with an unknown model exits non-zero" fails "$CARTSIM" params --model nosuchmodel
check "params with an unknown format exits non-zero" fails "$CARTSIM" params --format xml

# --- determinism ----------------------------------------------------------------------------------
check "second run of the same scenario exits 0" logged "$TMP/again.log" "$CARTSIM" run "$IDECEL" -o "$TMP/again"
check "same scenario twice: timeseries.csv byte-identical" cmp "$csv" "$TMP/again/timeseries.csv"
check "same scenario twice: summary.json byte-identical" cmp "$run/summary.json" "$TMP/again/summary.json"
check "rerun into the same folder replaces the files" logged "$TMP/rerun.log" "$CARTSIM" run "$IDECEL" -o "$run"
check "rerun into the same folder: timeseries.csv unchanged" cmp "$csv" "$TMP/again/timeseries.csv"

# --- a scenario outside the repository ------------------------------------------------------------
# Regression: the built-in presets are found through the source tree, not the working folder.
mkdir -p "$TMP/elsewhere"
cp "$IDECEL" "$TMP/elsewhere/my-scenario.yaml"
check "scenario outside the repo, run from outside it, finds the built-in presets" \
    logged "$TMP/elsewhere.log" bash -c 'cd "$1" && "$2" run my-scenario.yaml -o out' _ "$TMP/elsewhere" "$CARTSIM"

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
