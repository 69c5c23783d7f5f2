#!/usr/bin/env bash
# Memory CAR-T cells last as human memory T cells do (mechanisms.memory_longevity), at the scenario
# level: in a patient who mounts no anti-CAR response, ide-cel in blood falls between day 180 and day
# 365 by the power law (365/180)^-0.75, not by the exponential of the constant rate, so the product is
# still detectable at the end of 3 years; switched off, it is gone within a year.
# Environment (set by CTest): CARTSIM (the binary), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCENARIO="$SOURCE_DIR/tests/golden/idecel-calibrated-then-teclistamab.yaml"
NO_REJECTION=(--set hybrid.enabled=false --set patient.t_cells.anti_car_immunity_factor=0)
check "longevity on: runs" logged "$TMP/on.log" "$CARTSIM" run "$SCENARIO" -o "$TMP/on" -q "${NO_REJECTION[@]}"
check "longevity off: runs" logged "$TMP/off.log" "$CARTSIM" run "$SCENARIO" -o "$TMP/off" -q "${NO_REJECTION[@]}" \
    --set mechanisms.memory_longevity=false

cat >"$TMP/series.py" <<'PY'
import csv, json
def blood(folder):
    rows = list(csv.DictReader(open(folder + "/timeseries.csv")))
    return {float(r["time_day"]): float(r["cart_ide_cel_blood_cells_per_ul"]) for r in rows}
def detectable(folder):
    return json.load(open(folder + "/summary.json"))["cart_detectable_until_day"]
PY
export PYTHONPATH="$TMP"
# Late in blood are memory cells and the few effectors that residual antigen still activates, so the
# ratio follows the memory law within a few percent (5% allowed; the run gives 0.585 against 0.588).
check "on: blood CAR-T fall from day 180 to 365 as (365/180)^-0.75 (within 5%)" "$PYTHON" -c '
import sys
from series import blood
b = blood(sys.argv[1])
ratio, law = b[365.0] / b[180.0], (365 / 180) ** -0.75
sys.exit(0 if abs(ratio / law - 1) < 0.05 else f"  ratio {ratio:g}, law {law:g}")' "$TMP/on"
check "off: the constant rate empties blood far faster (day 365 under 1% of day 180)" "$PYTHON" -c '
import sys
from series import blood
b = blood(sys.argv[1])
sys.exit(0 if b[365.0] < 0.01 * b[180.0] else f"  {b[365.0]:g} vs {b[180.0]:g}")' "$TMP/off"
check "detectable through 3 years with it, gone within a year without" "$PYTHON" -c '
import sys
from series import detectable
on, off = detectable(sys.argv[1]), detectable(sys.argv[2])
sys.exit(0 if on >= 1095 and off < 365 else f"  on {on}, off {off}")' "$TMP/on" "$TMP/off"

finish
