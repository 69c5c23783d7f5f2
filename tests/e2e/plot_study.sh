#!/usr/bin/env bash
# End-to-end test of plots/plot_study.py on synthetic study folders (tests/e2e/lib/fake_study.py: a
# trial, a cohort, a grid sweep and a Sobol sweep): each folder gets the figures its files support, as
# PNGs, with their paths printed and no temporary file left; --only limits the set, -o writes
# elsewhere, --endpoint picks the heatmap column; bad folders exit 2 with one line naming the file; the
# numbers at risk and the swimmer sample are checked on hand-made cases and against km.csv, and the
# sample (and its figure) is the same on every run; km.png of a sweep with more than 8 points has one
# panel per point against the first. Every figure is drawn with CARTSIM_CHECK_FIGURES=1, so text cut
# off by the figure or a panel, or overlapping titles, fail the plot (plots/figure_check.py).
# Environment (set by CTest): SOURCE_DIR (repo root), PYTHON (/usr/bin/python3). CARTSIM is not used.
set -euo pipefail

: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
SCRIPT="$SOURCE_DIR/plots/plot_study.py"
FAKE="$SOURCE_DIR/tests/e2e/lib/fake_study.py"
MIN_BYTES=10000
export CARTSIM_CHECK_FIGURES=1

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

is_png() { [[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]]; }
larger_than() { [[ "$(wc -c <"$1")" -gt "$2" ]]; }
contains() { grep -qF -- "$2" "$1"; }
lines_are() { [[ "$(cat "$1")" == "$2" ]]; }  # lines_are FILE TEXT: FILE holds exactly TEXT
no_temporary_files() { [[ -z "$(find "$1" -name '.*.tmp' -print -quit)" ]]; }
pngs_are() { [[ "$(cd "$1" && ls -- *.png 2>/dev/null | sort | tr '\n' ' ')" == "$2" ]]; }
python_ok() { "$PYTHON" -c "import sys; sys.path.insert(0, '$SOURCE_DIR/plots'); $1"; }

expect_failure() {  # expect_failure NAME FILE_NAMED FOLDER [ARGS...]: exit 2, one line naming FILE_NAMED, no PNG
    local name="$1" named="$2" folder="$3"
    shift 3
    local status=0
    "$PYTHON" "$SCRIPT" "$folder" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || status=$?
    check "$name: exits 2" test "$status" -eq 2
    check "$name: one-line message naming $named" \
        bash -c '[[ "$(wc -l <"$1")" -eq 1 ]] && grep -q "^plot_study: .*$2" "$1"' _ "$TMP/$name.err" "$named"
    check "$name: no PNG written" test -z "$(find "$folder" -name '*.png' -print -quit 2>/dev/null)"
}

# --- Synthetic folders: same seed, same files ----------------------------------------------------------
for kind in trial cohort grid sobol; do
    check "fake_study $kind exits 0" logged "$TMP/fake-$kind.log" "$PYTHON" "$FAKE" "$kind" "$TMP/$kind" --seed 11
done
"$PYTHON" "$FAKE" trial "$TMP/trial-again" --seed 11
check "fake_study is seeded (same patients.csv)" cmp "$TMP/trial/patients.csv" "$TMP/trial-again/patients.csv"

# --- Every supported figure, paths printed one per line -------------------------------------------------
declare -A EXPECTED=(
    [trial]="km swimmer waterfall relapse_types"
    [cohort]="km swimmer waterfall relapse_types"
    [grid]="km swimmer waterfall relapse_types heatmap"
    [sobol]="km swimmer waterfall relapse_types sobol"
)
for kind in trial cohort grid sobol; do
    folder="$TMP/$kind"
    status=0
    "$PYTHON" "$SCRIPT" "$folder" >"$TMP/$kind.stdout" 2>"$TMP/$kind.err" || status=$?
    check "$kind: plot_study.py exits 0" test "$status" -eq 0
    expected_paths=""
    for name in ${EXPECTED[$kind]}; do expected_paths+="$folder/$name.png"$'\n'; done
    check "$kind: prints exactly the PNG paths (${EXPECTED[$kind]})" \
        lines_are "$TMP/$kind.stdout" "${expected_paths%$'\n'}"
    for name in ${EXPECTED[$kind]}; do
        check "$kind: $name.png has PNG magic bytes" is_png "$folder/$name.png"
        check "$kind: $name.png is larger than $MIN_BYTES bytes" larger_than "$folder/$name.png" "$MIN_BYTES"
    done
    check "$kind: no temporary file left behind" no_temporary_files "$folder"
done
check "trial: nothing on stderr" test ! -s "$TMP/trial.err"
check "grid: nothing on stderr (km.png is drawn for the 12 points)" test ! -s "$TMP/grid.err"
check "grid: km.png has one panel per point against the first (11 panels)" python_ok "
from study_data import load_study
from study_km import figure_km
fig = figure_km(load_study('$TMP/grid'))
assert len(fig.axes) == 11, len(fig.axes)
assert 'against p0' in fig._suptitle.get_text(), fig._suptitle.get_text()"
check "sobol: stderr notes why the heatmap is skipped" contains "$TMP/sobol.err" "sweep.csv has 3 parameter columns"
check "heatmap.png is not drawn for a trial" test ! -e "$TMP/trial/heatmap.png"

# --- --only, -o, --endpoint -------------------------------------------------------------------------------
check "--only km,waterfall -o OUTDIR exits 0" logged "$TMP/only.log" \
    "$PYTHON" "$SCRIPT" "$TMP/trial-again" --only km,waterfall -o "$TMP/only"
check "--only writes just the named figures" pngs_are "$TMP/only" "km.png waterfall.png "
check "-o leaves the study folder without PNGs" test -z "$(find "$TMP/trial-again" -name '*.png' -print -quit)"
check "-o: no temporary file left behind" no_temporary_files "$TMP/only"
check "--endpoint orr draws the heatmap" logged "$TMP/orr.log" \
    "$PYTHON" "$SCRIPT" "$TMP/grid" --only heatmap --endpoint orr -o "$TMP/orr"
check "--endpoint orr: heatmap.png is a PNG" is_png "$TMP/orr/heatmap.png"
status=0
"$PYTHON" "$SCRIPT" "$TMP/trial" --only km,bogus >/dev/null 2>"$TMP/bogus.err" || status=$?
check "--only with an unknown name exits 2 and names it" \
    bash -c '[[ "$1" -eq 2 ]] && grep -q "unknown plot bogus" "$2"' _ "$status" "$TMP/bogus.err"

# --- Bad folders: exit 2, one line naming the file, nothing written -------------------------------------
make_bad() {  # make_bad NAME [KIND]: a copy of the trial (or KIND) folder without its PNGs, to spoil
    mkdir -p "$TMP/bad/$1"
    cp "$TMP/${2:-trial}"/*.json "$TMP/${2:-trial}"/*.csv "$TMP/bad/$1/"
    echo "$TMP/bad/$1"
}
mkdir -p "$TMP/bad/empty"
expect_failure "empty folder" summary.json "$TMP/bad/empty"
expect_failure "missing folder" "$TMP/bad/absent" "$TMP/bad/absent"
folder="$(make_bad no-patients)" && rm "$folder/patients.csv"
expect_failure "no patients.csv" patients.csv "$folder"
folder="$(make_bad bad-json)" && echo '{"kind": "trial",' >"$folder/summary.json"
expect_failure "malformed summary.json" summary.json "$folder"
folder="$(make_bad bad-kind)" && sed -i 's/"kind": "trial"/"kind": "banana"/' "$folder/summary.json"
expect_failure "unknown kind" summary.json "$folder"
folder="$(make_bad sweep-kind)"
sed -i 's/"kind": "trial"/"kind": "sweep"/; s/"arms":/"points":/' "$folder/summary.json"
expect_failure "patients.csv of a trial in a sweep" patients.csv "$folder"
folder="$(make_bad no-column)" && sed -i '1s/,os_event,/,os_evnt,/' "$folder/patients.csv"
expect_failure "patients.csv without os_event" "patients.csv lacks column(s) os_event" "$folder"
folder="$(make_bad not-number)" && sed -i '3s/,\([0-9.]*\),\([01]\),$/,soon,\2,/' "$folder/patients.csv"
expect_failure "non-numeric os_days" "patients.csv:3: os_days is not a number" "$folder"
folder="$(make_bad km-column)" && sed -i '1s/survival/surv/' "$folder/km.csv"
expect_failure "km.csv without survival" km.csv "$folder"
expect_failure "--only heatmap for a trial" summary.json "$(make_bad heatmap-trial)" --only heatmap
expect_failure "--endpoint naming no column" "sweep.csv has no endpoint column 'nonsense'" "$(make_bad endpoint grid)" \
    --endpoint nonsense

# --- Numbers at risk --------------------------------------------------------------------------------------
check "numbers_at_risk counts time >= t (hand-made case)" python_ok "
from study_data import numbers_at_risk
got = numbers_at_risk([0.0, 5.0, 10.0, 10.0, 20.0, None], [0.0, 10.0, 20.0, 30.0])
assert got == [5, 3, 1, 0], got"
check "month_grid: 6-month steps up to a 3-year horizon" python_ok "
from study_data import month_grid
assert month_grid(1095.0) == [0, 6, 12, 18, 24, 30], month_grid(1095.0)
assert month_grid(200.0) == [0, 1, 2, 3, 4, 5, 6], month_grid(200.0)"
check "numbers at risk from patients.csv agree with km.csv's at_risk" python_ok "
from study_data import DAYS_PER_MONTH, load_study, month_grid, numbers_at_risk
study = load_study('$TMP/trial')
for arm in study.groups:
    rows = [r for r in study.patients if r['arm'] == arm]
    for endpoint, column in (('pfs', 'pfs_days'), ('os', 'os_days')):
        km = sorted((r for r in study.km if r['arm'] == arm and r['endpoint'] == endpoint),
                    key=lambda r: r['time_days'])
        grid = [m * DAYS_PER_MONTH for m in month_grid(study.horizon_days)]
        expected = [next((int(r['at_risk']) for r in km[1:] if r['time_days'] >= t), 0) for t in grid]
        got = numbers_at_risk([r[column] for r in rows], grid)
        assert got == expected, (arm, endpoint, got, expected)"

# --- The swimmer sample is deterministic --------------------------------------------------------------------
check "swimmer_sample: equal quotas, evenly spaced by patient index (hand-made case)" python_ok "
from study_data import evenly_spaced, swimmer_sample
rows = lambda ids: [{'patient': str(i)} for i in ids]
ids = lambda sample: [(label, [int(r['patient']) for r in chosen]) for label, chosen in sample]
a, b = rows(range(10)), rows(range(100, 105))
assert ids(swimmer_sample([('A', a), ('B', b)], 6)) == [('A', [0, 3, 6]), ('B', [100, 101, 103])]
assert ids(swimmer_sample([('A', a), ('B', b)], 30)) == [('A', list(range(10))), ('B', list(range(100, 105)))]
assert ids(swimmer_sample([('A', a), ('B', b), ('C', b)], 2)) == [('A', [0]), ('B', [100])]
assert evenly_spaced(58, 10) == [0, 5, 11, 17, 23, 29, 34, 40, 46, 52], evenly_spaced(58, 10)"
check "swimmer_sample: the same patients in every arm, whatever the order the rows were written in" python_ok "
import random
from study_data import swimmer_sample
arm = lambda: [{'patient': str(i)} for i in range(40) if i != 7]   # patient 7 failed in arm A only
A, B = arm(), [{'patient': str(i)} for i in range(40)]
first = swimmer_sample([('A', A), ('B', B)], 10)
random.Random(3).shuffle(A); random.Random(4).shuffle(B)            # completion order of another run
again = swimmer_sample([('A', A), ('B', B)], 10)
ids = lambda sample: [[r['patient'] for r in rows] for _, rows in sample]
assert ids(first) == ids(again), (ids(first), ids(again))
assert ids(first)[0] == ids(first)[1], ids(first)"
check "swimmer sample of the trial: 10 per arm, the same twice" python_ok "
from study_data import load_study, patient_groups, swimmer_sample
def ids():
    sample = swimmer_sample(patient_groups(load_study('$TMP/trial'), 8), 30)
    return [(arm, [r['patient'] for r in rows]) for arm, rows in sample]
first = ids()
assert [len(p) for _, p in first] == [10, 10, 10] and first == ids(), first"
"$PYTHON" "$SCRIPT" "$TMP/trial" --only swimmer -o "$TMP/swimmer-again" >/dev/null
check "swimmer.png is byte-identical on a second run" cmp "$TMP/trial/swimmer.png" "$TMP/swimmer-again/swimmer.png"

show_logs_on_failure 20 "$TMP"/*.log "$TMP"/*.err "$TMP"/*.stdout
finish
