#!/usr/bin/env bash
# The dose mechanisms (mechanisms.cytokine_space, mechanisms.expansion_capacity) at the scenario level,
# on the calibrated ide-cel preset: a lower dose expands later and less; a shallower lymphodepletion
# opens less cytokine space and so lowers the peak only with the cytokine space on; unfit T cells at
# apheresis cost more of the peak with the division capacity on; the dose-sweep study runs and draws
# its curves. Environment (set by CTest): CARTSIM, SOURCE_DIR, PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the source tree}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

GOLDEN="$SOURCE_DIR/tests/golden/idecel-calibrated-then-teclistamab.yaml"
DOSE="regimen[cart].therapies[ide-cel].dose_cells"
ON=(--set mechanisms.cytokine_space=true --set mechanisms.expansion_capacity=true)
run() {  # run NAME ARGS...: one patient, calibrated ide-cel, 120 days
    local name="$1"
    shift
    "$CARTSIM" run "$GOLDEN" -o "$TMP/$name" -q --set horizon_days=120 "${LEGACY[@]}" "$@"
}
peak() {  # peak NAME KEY: cart_peak_blood_cells_per_ul or cart_peak_day of a run
    "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1] + "/summary.json"))[sys.argv[2]])' "$TMP/$1" "$2"
}
less() { "$PYTHON" -c 'import sys; a, b = map(float, sys.argv[1:3]); sys.exit(0 if a < b else f"  {a:g} !< {b:g}")' "$@"; }

for dose in 50e6 450e6; do
    check "ide-cel $dose with the dose mechanisms: runs" run "low-$dose" --set "$DOSE=$dose" "${ON[@]}"
done
check "a ninth of the dose expands less (blood peak)" \
    less "$(peak low-50e6 cart_peak_blood_cells_per_ul)" "$(peak low-450e6 cart_peak_blood_cells_per_ul)"
check "a ninth of the dose expands later (day of the peak)" \
    less "$(peak low-450e6 cart_peak_day)" "$(peak low-50e6 cart_peak_day)"

# Lymphodepletion depth: 50% instead of 90% of T cells removed.
for space in true false; do
    for depth in 0.9 0.5; do
        check "cytokine space $space, depletion $depth: runs" run "ld-$space-$depth" \
            --set mechanisms.cytokine_space=$space \
            --set patient.lymphodepletion.t_cell_depletion_fraction=$depth
    done
done
check "cytokine space on: a shallower lymphodepletion lowers the peak (by more than 0.1%, far beyond the solver tolerance of 1e-6; about 0.3% with the recalibrated ide-cel, whose peak antigen limits)" "$PYTHON" -c '
import sys
a, b = map(float, sys.argv[1:3])
sys.exit(0 if b < 0.999 * a else f"  {b:g} vs {a:g} cells/uL")' \
    "$(peak ld-true-0.9 cart_peak_blood_cells_per_ul)" "$(peak ld-true-0.5 cart_peak_blood_cells_per_ul)"
check "cytokine space off: the fixed surge ignores the depth (the same peak)" "$PYTHON" -c '
import sys
a, b = map(float, sys.argv[1:3])
sys.exit(0 if a == b else f"  {a:g} vs {b:g} cells/uL")' \
    "$(peak ld-false-0.9 cart_peak_blood_cells_per_ul)" "$(peak ld-false-0.5 cart_peak_blood_cells_per_ul)"

# T-cell fitness at apheresis: a functional share of 0.35 against the reference 0.7.
for capacity in true false; do
    for fit in 0.7 0.35; do
        check "capacity $capacity, functional share $fit: runs" run "fit-$capacity-$fit" \
            --set mechanisms.expansion_capacity=$capacity --set patient.t_cells.baseline_functional_fraction=$fit
    done
done
check "division capacity on: unfit T cells cost a larger share of the peak than with it off" "$PYTHON" -c '
import sys
on_fit, on_unfit, off_fit, off_unfit = map(float, sys.argv[1:5])
sys.exit(0 if on_unfit / on_fit < off_unfit / off_fit < 1 else
         f"  on {on_unfit / on_fit:.3f}, off {off_unfit / off_fit:.3f}")' \
    "$(peak fit-true-0.7 cart_peak_blood_cells_per_ul)" "$(peak fit-true-0.35 cart_peak_blood_cells_per_ul)" \
    "$(peak fit-false-0.7 cart_peak_blood_cells_per_ul)" "$(peak fit-false-0.35 cart_peak_blood_cells_per_ul)"

# The shipped dose sweep, small: sweep.csv has the median peak, rising with dose, and curve.png is drawn.
check "dose-sweep-ide-cel (10 patients per dose): runs" logged "$TMP/sweep.log" "$CARTSIM" run \
    "$SOURCE_DIR/scenarios/studies/dose-sweep-ide-cel.yaml" -o "$TMP/sweep" --set cohort.size=10 --set horizon_days=200
check "dose sweep: the median blood peak rises with every dose step" "$PYTHON" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
dose = [c for c in rows[0] if c.endswith("dose_cells")][0]
rows.sort(key=lambda r: float(r[dose]))
peaks = [float(r["median_cart_peak_blood_cells_per_ul"]) for r in rows]
sys.exit(0 if len(peaks) == 7 and all(a < b for a, b in zip(peaks, peaks[1:])) else f"  {peaks}")' "$TMP/sweep/sweep.csv"
check "dose sweep: curve.png is drawn" logged "$TMP/plot.log" "$CARTSIM" plot "$TMP/sweep"
check "dose sweep: curve.png is a picture" test -s "$TMP/sweep/curve.png"
check "dose sweep: no note that the heatmap is skipped (one parameter is drawn as curves)" \
    bash -c '! grep -q skipping "$1"' _ "$TMP/plot.log"
check "dose sweep: the curves draw sweep.csv (peak, ORR) on a log dose axis" "$PYTHON" -c '
import csv, sys
sys.path.insert(0, sys.argv[2])
from study_data import load_study
from study_curve import figure_curve
fig = figure_curve(load_study(sys.argv[1]))
rows = sorted(csv.DictReader(open(sys.argv[1] + "/sweep.csv")), key=lambda r: float(r[[c for c in r if c.endswith("dose_cells")][0]]))
peak, response = fig.axes[0], fig.axes[1]
assert len(fig.axes) == 3 and peak.get_xscale() == "log", (len(fig.axes), peak.get_xscale())
assert list(peak.lines[0].get_ydata()) == [float(r["median_cart_peak_blood_cells_per_ul"]) for r in rows]
assert list(response.lines[0].get_ydata()) == [100 * float(r["orr"]) for r in rows]
' "$TMP/sweep" "$SOURCE_DIR/plots"

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
