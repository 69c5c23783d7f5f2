#!/usr/bin/env bash
# End-to-end test that the figures show all their text and say what the runs say:
# - plots/figure_check.py catches the flaws it is for (a legend off the figure, a text box off its panel,
#   a text cut by its panel, overlapping panel titles, overlapping tick labels) and passes a clean figure;
# - with CARTSIM_CHECK_FIGURES=1 every figure of real small outputs is drawn without a flaw: runs (two
#   examples, a reference model), replicates, a trial, a grid sweep (12 points), a Sobol sweep, the
#   knock-out study (27 arms) and the five lessons; a flaw would make the plot exit 2 listing it;
# - km.png of the knock-out study has one panel per arm against the reference (the first, or --reference);
#   arms with the same curve are said to be so in the legend;
# - each lesson's caption names the relapse types its runs report and nothing else
#   (tests/plots/check_captions.py), and a caption with the old hand-written lesson 2 claim is rejected.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
PLOTS="$SOURCE_DIR/plots"
SCENARIOS="$SOURCE_DIR/scenarios"
export CARTSIM  # plot_lesson.py re-runs the arms of a lesson study with it
export CARTSIM_CHECK_FIGURES=1

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
py() { PYTHONPATH="$PLOTS" "$PYTHON" -c "$@"; }  # py CODE ARG...: the arguments are sys.argv[1:]
is_png() { [[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]]; }

# --- The check catches what it is for ------------------------------------------------------------------
check "figure_check: a legend off the figure, boxes off or cut by their panel, overlapping titles, tick labels" py '
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from figure_check import figure_flaws
fig, (left, right) = plt.subplots(1, 2, figsize=(6, 3), dpi=100)
left.set_title("a long panel title that runs into its neighbour", loc="left")
right.set_title("the neighbour title", loc="left")
left.text(0.3, 0.1, "HR 0.38 (0.13-1.11), log-rank p = 0.070", transform=left.transAxes)
right.plot([0, 1], [0, 1], label="a legend entry right of the figure")
right.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
left.set_xticks([0.0, 0.5, 1.0], ["a long tick label", "another long one", "3"])
left.text(0.8, 0.5, "clipped by the axes", clip_on=True)
found = "\n".join(figure_flaws(fig))
for expected in ("overlaps panel title", "runs off its panel", "legend text \x27a legend entry", "tick label (x)",
                 "is cut by its panel"):
    assert expected in found, (expected, found)
'
check "figure_check: a clean figure has no flaw" py '
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from figure_check import figure_flaws
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot([0, 1], [0, 1], label="line")
ax.legend()
ax.set_title("title")
ax.set_xlabel("x")
fig.tight_layout()
assert figure_flaws(fig) == [], figure_flaws(fig)
'

# --- Real small outputs ----------------------------------------------------------------------------------
simulate() {  # simulate NAME ARGS...: cartsim run ARGS -o $TMP/NAME, logged
    local name="$1"
    shift
    check "$name: cartsim run exits 0" logged "$TMP/$name.run.log" "$CARTSIM" run "$@" -q -o "$TMP/$name"
}
plotted() {  # plotted NAME SCRIPT [ARGS...]: the plot script exits 0 with the check on (flaws: exit 2)
    local name="$1" script="$2"
    shift 2
    check "$name: $script draws without a flaw" logged "$TMP/$name.plot.log" \
        "$PYTHON" "$PLOTS/$script" "$TMP/$name" "$@"
}
plotting() {  # plotting NAME SCRIPT [ARGS...]: start the plot in the background; `plotted_all` checks it
    local name="$1" script="$2"
    shift 2
    background+=("$name:$script")
    ("$PYTHON" "$PLOTS/$script" "$TMP/$name" "$@" >"$TMP/$name.plot.log" 2>&1; echo $? >"$TMP/$name.status") &
}
plotted_all() {  # wait for the plots started by `plotting` and check each exited 0
    wait
    for job in "${background[@]}"; do
        check "${job%%:*}: ${job#*:} draws without a flaw" test "$(cat "$TMP/${job%%:*}.status")" -eq 0
    done
    background=()
}
background=()

simulate escape "$SCENARIOS/examples/antigen-escape.yaml"
simulate talquetamab "$SCENARIOS/examples/cart-then-talquetamab.yaml"
simulate singh "$SCENARIOS/reference/singh2021.yaml"
for name in escape talquetamab singh; do plotting "$name" plot_run.py; done
plotted_all
check "cartsim plot with the check on exits 0" logged "$TMP/cli.plot.log" \
    "$CARTSIM" plot "$TMP/talquetamab" -o "$TMP/cli.png"

simulate replicates "$SCENARIOS/examples/idecel-single-patient.yaml" --replicates 20 --threads 2
plotted replicates plot_replicates.py

simulate trial "$SCENARIOS/studies/sequencing-cart-vs-bispecific.yaml" --set cohort.size=16 --set horizon_days=730
simulate sweep "$SCENARIOS/studies/escape-sweep.yaml" --set cohort.size=3 --set horizon_days=365
simulate knockouts "$SCENARIOS/studies/mechanism-knockouts.yaml" --set cohort.size=6 --set horizon_days=730
cp "$(dirname "${BASH_SOURCE[0]}")/lib/sobol-check.yaml" "$TMP/sobol.yaml"
simulate sobol "$TMP/sobol.yaml" --products "$SCENARIOS/products"
for name in trial sweep knockouts sobol; do plotting "$name" plot_study.py; done
plotted_all
check "trial, sweep and knock-outs each get km, swimmer, waterfall and relapse_types" bash -c '
for folder in "$@"; do
    for png in km swimmer waterfall relapse_types; do [[ -s "$folder/$png.png" ]] || exit 1; done
done
' _ "$TMP/trial" "$TMP/sweep" "$TMP/knockouts"
check "sweep: heatmap.png; Sobol: sobol.png" test -s "$TMP/sweep/heatmap.png" -a -s "$TMP/sobol/sobol.png"

# --- km.png above 8 arms, coinciding curves, the reference arm -----------------------------------------
check "knock-outs: km.png has one panel per arm against the first (one per knock-out), hazard ratios in each" py '
import sys
from study_data import load_study
from study_km import figure_km
study = load_study(sys.argv[1])
others = len(study.groups) - 1  # every knock-out arm against "all mechanisms" (26 on 2026-12-07)
assert others >= 25, others
fig = figure_km(study)
assert len(fig.axes) == others, (len(fig.axes), others)
assert fig._suptitle.get_text().endswith("each arm against all mechanisms"), fig._suptitle.get_text()
texts = [t.get_text() for ax in fig.axes for t in ax.texts]
assert len(texts) == others and all("PFS" in t and "OS" in t for t in texts), texts
' "$TMP/knockouts"
check "knock-outs: --reference names the arm the others are drawn against" logged "$TMP/reference.log" \
    "$PYTHON" "$PLOTS/plot_study.py" "$TMP/knockouts" --only km --reference "no exhaustion" -o "$TMP/reference"
check "... and a --reference that is no arm is refused" bash -c '! "$@" >/dev/null 2>&1' _ \
    "$PYTHON" "$PLOTS/plot_study.py" "$TMP/knockouts" --only km --reference "no such arm" -o "$TMP/reference"
simulate twins "$(dirname "${BASH_SOURCE[0]}")/lib/twins-check.yaml"  # the arms share line 1: see the file
check "trial: arms with the same PFS curve are drawn both and named in the legend" py '
import sys
from study_data import load_study
from study_km import coinciding, figure_km
study = load_study(sys.argv[1])
same = coinciding(study, study.groups, "pfs")
twins = [g for g in study.groups if len(same[g]) > 1]
assert twins, "expected the arms sharing line 1 (ide-cel) to share the PFS curve"
legend = " ".join(t.get_text() for ax in figure_km(study).axes if ax.get_legend() for t in ax.get_legend().get_texts())
legend = " ".join(legend.split())
assert all(f"same curve as {other}" in legend for g in twins for other in same[g] if other != g), legend
' "$TMP/twins"

# --- Lessons: figures without a flaw, captions from the runs ---------------------------------------------
lessons=(antigen-escape-preexisting antigen-low-gsi exhaustion-bispecific-first macrophages-april rejection-reinfusion)
for lesson in "${lessons[@]}"; do
    simulate "$lesson" "$SCENARIOS/lessons/$lesson.yaml"
    plotting "$lesson" plot_lesson.py
done
plotted_all
check "lesson captions name the relapse types and days the runs report" logged "$TMP/captions.log" \
    "$PYTHON" "$SOURCE_DIR/tests/plots/check_captions.py" "${lessons[@]/#/$TMP/}"
old_claim="Every cell carries BCMA, some very little. The CAR-T kill the cells with most BCMA first; those under the \
floor survive and grow back: antigen-low escape (the model labels it antigen-negative because most relapsing cells \
sit under the floor, though none has lost the gene)."
status=0
"$PYTHON" "$SOURCE_DIR/tests/plots/check_captions.py" "$TMP/antigen-low-gsi" --caption "$old_claim" \
    >"$TMP/old_claim.log" 2>&1 || status=$?
check "the old hand-written lesson 2 caption is rejected (the model says antigen_low)" \
    bash -c '[[ "$1" -eq 1 ]] && grep -q "antigen-negative" "$2"' _ "$status" "$TMP/old_claim.log"

show_logs_on_failure 20 "$TMP"/*.log
finish
