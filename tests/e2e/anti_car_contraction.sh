#!/usr/bin/env bash
# The host's anti-CAR response needs its antigen (mechanisms.anti_car_contraction), at the scenario level:
# after one ide-cel infusion the response rises while the CAR-T cells expand, then contracts to its
# memory share once they are gone, and the CAR-T cells it no longer kills at full strength stay in blood
# longer; switched off, the response stays at full strength. (That a second ide-cel still meets the
# memory is e2e.anti_car_memory, run with this switch on.)
# Environment (set by CTest): CARTSIM (the binary), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCENARIO="$SOURCE_DIR/tests/golden/idecel-calibrated-then-teclistamab.yaml"
check "contraction on: runs" logged "$TMP/on.log" "$CARTSIM" run "$SCENARIO" -o "$TMP/on" -q --set hybrid.enabled=false
check "contraction off: runs" logged "$TMP/off.log" "$CARTSIM" run "$SCENARIO" -o "$TMP/off" -q --set hybrid.enabled=false \
    --set mechanisms.anti_car_contraction=false

cat >"$TMP/series.py" <<'PY'
import csv
def series(folder):
    rows = list(csv.DictReader(open(folder + "/timeseries.csv")))
    response = [c for c in rows[0] if c.startswith("anti_car_") and c.endswith("_response_fraction")][0]
    blood = [c for c in rows[0] if c.startswith("cart_") and c.endswith("_blood_cells_per_ul")][0]
    return {float(r["time_day"]): (float(r[response]), float(r[blood])) for r in rows}
PY
export PYTHONPATH="$TMP"
# The memory share is 0.05 by default; the response at full antigen settles near 0.87 (model/README.md
# item 10). With contraction it peaks while the CAR-T cells expand and is back under 0.06 within 60 days of
# their blood count falling below 0.01 cells/uL (without antigen A = A_m + (A_0 - A_m) e^(-0.14 t) goes
# from 0.87 to 0.06 in 31 days; the rest is room for the drive of the last cells). When that is
# depends on the fitted CAR-T kinetics (day 180 with the presets of 2026-12-08, when the check at a fixed
# day 180 stopped holding), so the check follows the cells rather than a fixed day.
check "with contraction the response peaks above 0.8 while CAR-T expand and falls under 0.06 within 60 days of them leaving blood" "$PYTHON" -c '
import sys
from series import series
s = series(sys.argv[1])
peak = max(a for t, (a, _) in s.items() if t <= 60)
gone = min(t for t, (_, blood) in s.items() if t >= 30 and blood < 0.01)
late = s[gone + 60.0][0]
sys.exit(0 if peak > 0.8 and late < 0.06 else f"  peak {peak:g}, CAR-T under 0.01/uL on day {gone:g}, response 60 days later {late:g}")' "$TMP/on"
check "without contraction the response stays at full strength through day 180" "$PYTHON" -c '
import sys
from series import series
s = series(sys.argv[1])
sys.exit(0 if min(a for t, (a, _) in s.items() if 30 <= t <= 180) > 0.99 else "  it fell")' "$TMP/off"
# The runs differ little until the response first passes its memory share (about day 11); afterwards a weaker
# response kills fewer of them: at day 90 there are more with contraction than without.
check "CAR-T cells stay in blood longer with contraction (day 90)" "$PYTHON" -c '
import sys
from series import series
on, off = series(sys.argv[1]), series(sys.argv[2])
sys.exit(0 if on[90.0][1] > 2 * off[90.0][1] else f"  {on[90.0][1]:g} vs {off[90.0][1]:g} cells/uL")' "$TMP/on" "$TMP/off"

finish
