#!/usr/bin/env bash
# CRS as a readout of every therapy, and cytokine release from activation (mechanisms.activation_cytokines):
# the onset day is the threshold crossing inside the solver step (bracketed by a fine output grid);
# each line has its own grade and onset; with the mechanism on, a bispecific's first full dose releases
# more cytokine without step-up than after it, and that blunting comes from the desensitisation state
# (with its growth switched off, step-up no longer blunts). Environment (set by CTest): CARTSIM,
# SOURCE_DIR, PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the source tree}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

GOLDEN="$SOURCE_DIR/tests/golden/idecel-calibrated-then-teclistamab.yaml"
check "ide-cel then teclistamab, output every 0.01 day: runs" "$CARTSIM" run "$GOLDEN" -o "$TMP/fine" -q \
    --set output.interval_days=0.01 --set horizon_days=950  # teclistamab starts at progression, day 896
check "the CRS onset lies between the last output below the grade-1 threshold and the first at or above it" \
    "$PYTHON" -c '
import csv, json, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
rows = list(csv.DictReader(open(sys.argv[1] + "/timeseries.csv")))
onset, threshold = s["crs_onset_day"], 0.3  # the default grade-1 threshold
first = next(float(r["time_day"]) for r in rows if float(r["inflammation_index"]) >= threshold)
before = max(float(r["time_day"]) for r in rows if float(r["time_day"]) < first)
sys.exit(0 if before < onset <= first else f"  onset {onset} not in ({before}, {first}]")' "$TMP/fine"
check "each line has its own CRS grade and onset (teclistamab after its start, below the CAR-T grade)" "$PYTHON" -c '
import json, sys
cart, tec = json.load(open(sys.argv[1] + "/summary.json"))["lines"]
ok = (cart["crs_onset_day"] == json.load(open(sys.argv[1] + "/summary.json"))["crs_onset_day"]
      and tec["crs_onset_day"] >= tec["start_day"] and 1 <= tec["crs_grade"] < cart["crs_grade"])
sys.exit(0 if ok else f"  {cart} {tec}")' "$TMP/fine"

cat >"$TMP/tec.yaml" <<YAML
name: teclistamab-alone
description: Teclistamab alone, 40 days, outputs every 6 hours.
horizon_days: 40
seed: 1
hybrid: {enabled: false}
mechanisms: {activation_cytokines: true, cytokine_space: false, expansion_capacity: false, arm_occupancy: false,
             heritable_density: false, myeloid_memory: false, april_pdl1: false}
regimen:
  - {name: tec, start: 0, therapies: [{product: teclistamab}]}
output: {interval_days: 0.25}
YAML
NO_STEP=(--set "regimen[tec].therapies[teclistamab].step_up_doses=[]"
         --set "regimen[tec].therapies[teclistamab].step_up_days=[]"
         --set "regimen[tec].therapies[teclistamab].first_full_dose_day=2")
for rate in 0.2 0; do
    check "step-up (desensitisation $rate): runs" "$CARTSIM" run "$TMP/tec.yaml" -o "$TMP/step-$rate" -q \
        --set patient.inflammation.desensitisation_per_index_day=$rate
    check "no step-up (desensitisation $rate): runs" logged "$TMP/none-$rate.log" "$CARTSIM" run "$TMP/tec.yaml" \
        -o "$TMP/none-$rate" -q --set patient.inflammation.desensitisation_per_index_day=$rate "${NO_STEP[@]}"
done
# The peak inflammation in the week after the first full dose (day 6 after step-up, day 2 without).
cat >"$TMP/first_full.py" <<'PY'
import csv
def first_full(folder, day):
    rows = csv.DictReader(open(folder + "/timeseries.csv"))
    return max(float(r["inflammation_index"]) for r in rows if day <= float(r["time_day"]) < day + 7)
PY
export PYTHONPATH="$TMP"
check "the first full dose releases more without step-up than after it (by more than 20%)" "$PYTHON" -c '
import sys
from first_full import first_full
step, none = first_full(sys.argv[1], 6), first_full(sys.argv[2], 2)
sys.exit(0 if step < 0.8 * none else f"  after step-up {step:g}, without {none:g}")' "$TMP/step-0.2" "$TMP/none-0.2"
check "without desensitisation step-up blunts the first full dose by less than 10% (the blunting is the state)" \
    "$PYTHON" -c '
import sys
from first_full import first_full
step, none = first_full(sys.argv[1], 6), first_full(sys.argv[2], 2)
sys.exit(0 if step > 0.9 * none else f"  after step-up {step:g}, without {none:g}")' "$TMP/step-0" "$TMP/none-0"

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
