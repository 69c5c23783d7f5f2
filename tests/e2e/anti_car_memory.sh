#!/usr/bin/env bash
# Anti-CAR immunity with memory (mechanisms.anti_car_memory), at the scenario level: a second infusion
# of ide-cel meets the response the first one primed and is rejected, while with the switch off it
# expands again; cilta-cel (another binder) after ide-cel expands the same with or without memory of
# ide-cel; a single infusion is unchanged by the switch.
# Environment (set by CTest): CARTSIM (the binary), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

write_scenario() {  # write_scenario FILE SECOND_PRODUCT
    cat >"$1" <<YAML
name: second-car-t
description: Ide-cel on day 0, then $2 on day 180.
horizon_days: 360
seed: 1
hybrid: {enabled: false}
patient: {tumour: {growth_rate_per_day: 0.04}}   # fast regrowth: the second product meets antigen on day 180
regimen:
  - {name: first, start: 0, therapies: [{product: ide-cel}]}
  - {name: second, start: 180, therapies: [{product: $2}]}
YAML
}
write_scenario "$TMP/same.yaml" ide-cel
write_scenario "$TMP/other.yaml" cilta-cel
for case in same other; do
    check "$case binder, memory on: runs" logged "$TMP/$case-on.log" "$CARTSIM" run "$TMP/$case.yaml" -o "$TMP/$case-on" "${LEGACY[@]}"
    check "$case binder, memory off: runs" logged "$TMP/$case-off.log" "$CARTSIM" run "$TMP/$case.yaml" \
        -o "$TMP/$case-off" "${LEGACY[@]}" --set mechanisms.anti_car_memory=false
done

# Blood CAR-T of the second product 5-40 days after its infusion (past the infused cells themselves).
cat >"$TMP/second.py" <<'PY'
import csv, sys
def second(folder):
    rows = list(csv.DictReader(open(folder + "/timeseries.csv")))
    columns = [c for c in rows[0] if c.startswith("cart_") and c.endswith("_blood_cells_per_ul")]
    column = columns[-1]  # the second line's product
    return [float(r[column]) for r in rows if 185 <= float(r["time_day"]) <= 220]
PY
export PYTHONPATH="$TMP"
# With memory the primed response meets the second ide-cel from its infusion, so it never expands: its
# blood count stays at or below its day-185 value through day 220. Without memory (a fresh response
# from about day 14) it goes on expanding, to more than 1.2 times that value (1.4 times at the presets of
# 2026-12-07). (Until 2026-12-07 this asked for a
# peak under a fifth of the fresh one, which depends on the fitted strength of the response: 0.205 at
# the value refitted that day.)
check "same binder: with memory the second ide-cel never expands; without memory it does" \
    "$PYTHON" -c '
import sys
from second import second
on, off = second(sys.argv[1]), second(sys.argv[2])
ok = max(on[1:]) <= on[0] and max(off) > 1.2 * off[0]
sys.exit(0 if ok else f"  memory: {on[0]:g} then up to {max(on[1:]):g}; fresh: {off[0]:g} then up to {max(off):g} cells/uL")' "$TMP/same-on" "$TMP/same-off"
# The cilta-cel count must be well above nothing (1 cell/uL; about 8 at the presets of 2026-12-08), so that
# the equality compares a live product.
check "another binder: cilta-cel after ide-cel is the same with or without memory of ide-cel" "$PYTHON" -c '
import sys
from second import second
on, off = second(sys.argv[1]), second(sys.argv[2])
sys.exit(0 if on == off and max(on) > 1 else f"  {max(on):g} vs {max(off):g} cells/uL")' "$TMP/other-on" "$TMP/other-off"

single() {  # one infusion: the switch changes nothing
    "$CARTSIM" run "$SOURCE_DIR/tests/golden/idecel-calibrated-then-teclistamab.yaml" -o "$TMP/single-on" -q &&
        "$CARTSIM" run "$SOURCE_DIR/tests/golden/idecel-calibrated-then-teclistamab.yaml" -o "$TMP/single-off" -q \
            --set mechanisms.anti_car_memory=false &&
        cmp -s "$TMP/single-on/timeseries.csv" "$TMP/single-off/timeseries.csv"
}
check "one infusion: the time series is identical with the switch off" single

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
