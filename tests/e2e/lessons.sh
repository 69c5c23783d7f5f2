#!/usr/bin/env bash
# End-to-end test of the teaching lessons (scenarios/lessons): `cartsim check` accepts each one, each
# runs, its outputs tell the lesson's story (and a knock-out shows the mechanism is the cause), and
# plots/plot_lesson.py draws a non-trivial 1440x1080 PNG for it.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
LESSONS="$SOURCE_DIR/scenarios/lessons"
PLOT="$SOURCE_DIR/plots/plot_lesson.py"
export CARTSIM  # plot_lesson.py re-runs the arms of a study with it
MIN_BYTES=50000

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
py() { "$PYTHON" -c "$@"; }  # py CODE ARG...: the arguments are sys.argv[1:]

# Helpers the checks below share (Python, given to each check through PYTHONPATH).
cat >"$TMP/lesson_checks.py" <<'EOF'
import csv, json, struct


def summary(folder):
    return json.load(open(f"{folder}/summary.json"))


def rows(folder):
    return list(csv.DictReader(open(f"{folder}/timeseries.csv")))


def arms(folder):
    """patients.csv of a lesson study: arm name -> row."""
    return {r["arm"]: r for r in csv.DictReader(open(f"{folder}/patients.csv"))}


def number(text):
    return None if text in ("", None) else float(text)


def row_at(table, day):
    return min(table, key=lambda r: abs(float(r["time_day"]) - day))


def cart_line_pfs(row):
    """(PFS of the line that gave ide-cel in days, progressed?) from a patients.csv row."""
    k = 1
    while f"line{k}_name" in row:
        if row[f"line{k}_name"] == "ide-cel":
            return float(row[f"line{k}_pfs_days"]), row[f"line{k}_pfs_event"] == "1"
        k += 1
    raise SystemExit(f"  no ide-cel line in {row['arm']}")


def png_size(path):
    header = open(path, "rb").read(24)
    if header[:8] != b"\x89PNG\r\n\x1a\n" or header[12:16] != b"IHDR":
        raise SystemExit(f"  {path} is not a PNG")
    return struct.unpack(">II", header[16:24])
EOF
export PYTHONPATH="$TMP${PYTHONPATH:+:$PYTHONPATH}"

run() {  # run NAME LESSON [ARGS...]: cartsim run into $TMP/NAME, output in $TMP/NAME.log
    local name="$1" lesson="$2"
    shift 2
    check "$name: cartsim run exits 0" \
        logged "$TMP/$name.log" "$CARTSIM" run "$LESSONS/$lesson.yaml" -o "$TMP/$name" "$@"
}

plotted() {  # plotted NAME: plot_lesson.py draws $TMP/NAME/lesson.png, a PNG of 1440x1080 px over MIN_BYTES
    local name="$1" png="$TMP/$1/lesson.png"
    check "$name: plot_lesson.py exits 0 and prints the PNG path" \
        logged "$TMP/$name.plot.log" "$PYTHON" "$PLOT" "$TMP/$name"
    check "$name: plot_lesson.py printed $png" grep -qxF "$png" "$TMP/$name.plot.log"
    check "$name: lesson.png is a 1440x1080 PNG over $MIN_BYTES bytes" py '
import os, sys
from lesson_checks import png_size
path = sys.argv[1]
size, pixels = os.path.getsize(path), png_size(path)
sys.exit(0 if size > int(sys.argv[2]) and pixels == (1440, 1080) else f"  {size} bytes, {pixels} px")
' "$png" "$MIN_BYTES"
}

for lesson in antigen-escape-preexisting antigen-low-gsi exhaustion-bispecific-first macrophages-april rejection-reinfusion; do
    check "$lesson: cartsim check accepts it" logged "$TMP/$lesson.check.log" "$CARTSIM" check "$LESSONS/$lesson.yaml"
done

# --- Lesson 1: a pre-existing BCMA-negative clone ----------------------------------------------
run escape antigen-escape-preexisting
check "escape: relapse_type is antigen_negative and the dominant clone at progression is bcma_neg" py '
import sys
from lesson_checks import summary
s = summary(sys.argv[1])
ok = s["progression_day"] is not None and s["relapse_type"] == "antigen_negative"
ok = ok and s["dominant_clone_at_progression"] == "bcma_neg"
found = [s[k] for k in ("progression_day", "relapse_type", "dominant_clone_at_progression")]
sys.exit(0 if ok else f"  {found}")
' "$TMP/escape"
check "escape: the BCMA-positive clone falls 1000-fold while the BCMA-negative one grows 100-fold by progression" py '
import sys
from lesson_checks import row_at, rows, summary
table, day = rows(sys.argv[1]), summary(sys.argv[1])["progression_day"]
pos0, neg0 = float(table[0]["tumour_bcma_pos_cells"]), float(table[0]["tumour_bcma_neg_cells"])
pos_min = min(float(r["tumour_bcma_pos_cells"]) for r in table)
neg_at = float(row_at(table, day)["tumour_bcma_neg_cells"])
ok = pos_min < pos0 / 1e3 and neg_at > 100 * neg0
sys.exit(0 if ok else f"  pos {pos0:g} -> {pos_min:g}, neg {neg0:g} -> {neg_at:g}")
' "$TMP/escape"
run escape_without_clone antigen-escape-preexisting --set "patient.tumour.clones[bcma_neg].fraction=0"
check "escape without the BCMA-negative clone: no progression within the horizon" py '
import sys
from lesson_checks import summary
p = summary(sys.argv[1])["progression_day"]
sys.exit(0 if p is None else f"  progression on day {p}")
' "$TMP/escape_without_clone"
plotted escape

# --- Lesson 2: antigen-low escape and the gamma-secretase inhibitor -----------------------------
run gsi antigen-low-gsi --threads 1
check "gsi: ide-cel alone relapses antigen_low (under the floor, but no allele lost); with nirogacestat later or never" py '
import sys
from lesson_checks import arms, number
a = arms(sys.argv[1])
alone, gsi = a["ide-cel alone"], a["ide-cel + nirogacestat"]
p_alone, p_gsi = number(alone["progression_day"]), number(gsi["progression_day"])
relapse = alone["relapse_type"]
if p_alone is None or relapse != "antigen_low":
    sys.exit(f"  ide-cel alone: progression {p_alone}, {relapse}")
sys.exit(0 if p_gsi is None or p_gsi > p_alone else f"  nirogacestat progression {p_gsi} <= {p_alone}")
' "$TMP/gsi"
plotted gsi
# The arms were re-run into gsi/arms/ by plot_lesson.py; their time series hold the density story.
check "gsi: without the GSI the median BCMA falls under the 50/cell floor, yet no cell has lost BCMA" py '
import sys
from lesson_checks import row_at, rows, summary
folder = sys.argv[1] + "/arms/1-ide-cel-alone"
table, day = rows(folder), summary(folder)["progression_day"]
column = "bcma_median_molecules_per_cell"
start, at = float(table[0][column]), float(row_at(table, day)[column])
clones = [c for c in table[0] if c.startswith("tumour_") and c.endswith("_cells") and c != "tumour_total_cells"]
ok = 0 < at < 50 < start and clones == ["tumour_bcma_pos_cells"]
sys.exit(0 if ok else f"  median {start:g} -> {at:g} on day {day}, clones {clones}")
' "$TMP/gsi"
check "gsi: nirogacestat at least halves soluble BCMA on day 7" py '
import sys
from lesson_checks import row_at, rows
alone = float(row_at(rows(sys.argv[1] + "/arms/1-ide-cel-alone"), 7)["sbcma_ng_per_ml"])
gsi = float(row_at(rows(sys.argv[1] + "/arms/2-ide-cel-nirogacestat"), 7)["sbcma_ng_per_ml"])
sys.exit(0 if gsi * 2 < alone else f"  {alone:g} vs {gsi:g} ng/mL")
' "$TMP/gsi"
run gsi_no_selection antigen-low-gsi --threads 1 --set mechanisms.antigen_density_selection=false
check "gsi with density selection off: ide-cel alone does not relapse (selection is the cause)" py '
import sys
from lesson_checks import arms
p = arms(sys.argv[1])["ide-cel alone"]["progression_day"]
sys.exit(0 if p == "" else f"  progression on day {p}")
' "$TMP/gsi_no_selection"

# --- Lesson 3: a bispecific first weakens the CAR-T after it ------------------------------------
run exhaustion exhaustion-bispecific-first --threads 1
check "exhaustion: after teclistamab the CAR-T peak and the CAR-T line's PFS are lower than CAR-T first" py '
import sys
from lesson_checks import arms, cart_line_pfs
a = arms(sys.argv[1])
first, after = a["CAR-T first"], a["teclistamab first"]
peak_first, peak_after = float(first["cart_peak_blood_cells_per_ul"]), float(after["cart_peak_blood_cells_per_ul"])
(pfs_first, _), (pfs_after, progressed) = cart_line_pfs(first), cart_line_pfs(after)
ok = peak_after < peak_first and progressed and pfs_after < pfs_first
sys.exit(0 if ok else f"  peak {peak_first:g} vs {peak_after:g}, PFS {pfs_first:g} vs {pfs_after:g}")
' "$TMP/exhaustion"
check "exhaustion: teclistamab fails by exhaustion; a product made as if from fit T cells expands and holds" py '
import sys
from lesson_checks import arms, cart_line_pfs
a = arms(sys.argv[1])
after, fit = a["teclistamab first"], a["teclistamab first, fit product"]
_, fit_progressed = cart_line_pfs(fit)
relapse = after["relapse_type"]
ok = after["line1_name"] == "teclistamab" and relapse == "antigen_positive_exhaustion"
ok = ok and float(fit["cart_peak_blood_cells_per_ul"]) > 2 * float(after["cart_peak_blood_cells_per_ul"])
sys.exit(0 if ok and not fit_progressed else f"  {relapse}, fit product progressed: {fit_progressed}")
' "$TMP/exhaustion"
plotted exhaustion
check "exhaustion: fit T cells at apheresis under half after teclistamab, at least 60% for CAR-T first" py '
import sys
from lesson_checks import row_at, rows, summary
def fit_share(folder):
    day = next(e["day"] for e in summary(folder)["events"] if e["event"].startswith("apheresis"))
    row = row_at(rows(folder), day)
    fit, tired = float(row["endogenous_t_functional_cells"]), float(row["endogenous_t_exhausted_cells"])
    return fit / (fit + tired)
first, after = fit_share(sys.argv[1] + "/arms/1-car-t-first"), fit_share(sys.argv[1] + "/arms/2-teclistamab-first")
sys.exit(0 if after < 0.5 * first and first >= 0.6 else f"  {first:.2f} vs {after:.2f}")
' "$TMP/exhaustion"

# --- Lesson 4: macrophages, suppression and APRIL ----------------------------------------------
run macrophages macrophages-april --threads 1
check "macrophages: with many macrophages the relapse is BCMA-positive; with CSF1R or APRIL off, BCMA-negative" py '
import sys
from lesson_checks import arms
a = arms(sys.argv[1])
high, csf, april = a["macrophages high"], a["+ CSF1R inhibitor"], a["APRIL switched off"]
ok = high["dominant_clone_at_progression"] == "bcma_pos" and high["relapse_type"] != "antigen_negative"
ok = ok and all(r["dominant_clone_at_progression"] == "bcma_neg" and r["relapse_type"] == "antigen_negative"
                for r in (csf, april))
found = {k: (r["dominant_clone_at_progression"], r["relapse_type"]) for k, r in a.items()}
sys.exit(0 if ok else f"  {found}")
' "$TMP/macrophages"
check "macrophages: suppression cuts the response (best M-protein fall smaller than with CSF1R or suppression off)" py '
import sys
from lesson_checks import arms
a = arms(sys.argv[1])
fall = {k: float(r["best_mprotein_change_percent"]) for k, r in a.items()}
high = fall["macrophages high"]
ok = high > fall["+ CSF1R inhibitor"] and high > fall["suppression switched off"]
sys.exit(0 if ok else f"  {fall}")
' "$TMP/macrophages"
plotted macrophages
check "macrophages: APRIL delays the BCMA-negative takeover (majority 180+ days later than with APRIL off)" py '
import sys
from lesson_checks import rows
def majority_day(folder):
    for r in rows(folder):
        if float(r["tumour_bcma_neg_cells"]) > 0.5 * float(r["tumour_total_cells"]):
            return float(r["time_day"])
    return float("inf")
high = majority_day(sys.argv[1] + "/arms/1-macrophages-high")
april = majority_day(sys.argv[1] + "/arms/3-april-switched-off")
sys.exit(0 if high > april + 180 else f"  day {high} vs {april}")
' "$TMP/macrophages"

# --- Lesson 5: the host remembers the CAR it rejected -------------------------------------------
run memory rejection-reinfusion --threads 1
check "memory: the second ide-cel fails (no response, the tumour returns); another binder or no memory: no relapse" py '
import sys
from lesson_checks import arms
a = arms(sys.argv[1])
again, other, fresh = a["ide-cel again"], a["another binder"], a["ide-cel again, no host memory"]
ok = again["line2_progression_day"] != "" and again["line2_best_response"] in ("SD", "PD")
ok = ok and all(r["line2_progression_day"] == "" and r["line2_best_response"] in ("CR", "sCR") for r in (other, fresh))
found = {k: (r["line2_best_response"], r["line2_progression_day"]) for k, r in a.items()}
sys.exit(0 if ok else f"  {found}")
' "$TMP/memory"
plotted memory
check "memory: the remembered response cuts the second ide-cel down (CAR-T peak under a fifth of a fresh start)" py '
import glob, sys
from lesson_checks import rows, summary
def second_peak(folder):
    day = [e["day"] for e in summary(folder)["events"] if e["event"].startswith("infusion")][1]
    total = lambda r: sum(float(v) for c, v in r.items() if c.startswith("cart_") and c.endswith("_blood_cells_per_ul"))
    return max(total(r) for r in rows(folder) if day + 3 <= float(r["time_day"]) <= day + 60)
again, other, fresh = (second_peak(glob.glob(sys.argv[1] + f"/arms/{k}-*")[0]) for k in (1, 2, 3))
sys.exit(0 if 5 * again < min(other, fresh) else f"  {again:g} vs {other:g} and {fresh:g} cells/uL")
' "$TMP/memory"

# --- The README quotes what the runs give ------------------------------------------------------
# Every bold figure in a lesson's section of scenarios/lessons/README.md must be a number of the caption
# plot_lesson.py measures from that lesson's run, so a model change that moves a figure fails here
# instead of leaving the README behind (it had, twice, before this check).
check "README: every bold figure of a lesson's section is a number of the caption its run gives" py '
import re, sys
sys.path.insert(0, sys.argv[2])
from plot_lesson_captions import caption
from plot_lesson_data import load_lesson
sections = re.split(r"^## ", open(sys.argv[1]).read(), flags=re.M)
folders = dict(zip("12345", sys.argv[3:]))
numbers = lambda text: set(re.findall(r"\d+(?:\.\d+)?", text.replace(",", "")))
problems, checked = [], 0
for section in sections:
    lesson = section[:2].rstrip(".")
    if lesson not in folders:
        continue
    said = numbers(caption(load_lesson(folders[lesson])))
    for bold in re.findall(r"\*\*(.+?)\*\*", section, flags=re.S):
        if not re.search(r"\d", bold):
            continue
        checked += 1
        missing = numbers(bold) - said
        if missing:
            problems.append(f"lesson {lesson}: **{bold}** ({sorted(missing)} not in its caption)")
if checked < 10:
    problems.append(f"only {checked} bold figures found")
sys.exit("  " + "; ".join(problems) if problems else 0)
' "$SOURCE_DIR/scenarios/lessons/README.md" "$SOURCE_DIR/plots" "$TMP/escape" "$TMP/gsi" "$TMP/exhaustion" \
    "$TMP/macrophages" "$TMP/memory"

# --- plot_lesson.py refuses a folder without output ---------------------------------------------
mkdir -p "$TMP/empty"
status=0
"$PYTHON" "$PLOT" "$TMP/empty" >"$TMP/empty.log" 2>&1 || status=$?
check "empty folder: plot_lesson.py exits 2 and names the missing files" \
    test "$status" -eq 2 -a -n "$(grep -l 'timeseries.csv' "$TMP/empty.log")"
check "empty folder: no lesson.png written" test ! -e "$TMP/empty/lesson.png"

show_logs_on_failure 5 "$TMP"/*.log
finish
