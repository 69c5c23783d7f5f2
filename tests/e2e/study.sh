#!/usr/bin/env bash
# End-to-end test of studies (`cartsim run` on a file with cohort, sweep or arms blocks):
# - a trial writes patients.csv (one row per patient and arm; the same drawn patient in every arm),
#   summary.json, km.csv, manifest.json, scenario.yaml, and leaves no partial files;
# - 1 thread, 2 threads and 2 MPI ranks give the same patients.csv (after sorting), summary.json and km.csv;
# - Ctrl-C keeps finished patients, and --resume gives the files of a straight run;
# - a patient whose draw the scenario rejects is recorded with its error and the study goes on;
# - the summary's KM, medians, log-rank p and Cox hazard ratio equal statsmodels on patients.csv;
# - a grid sweep writes sweep.csv; a Sobol design writes sobol.csv; --attribute adds knock-out columns;
# - bad study input exits 2 naming file, line and key and writes nothing; the shipped studies load;
# - cartsim plot draws the study figures.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
STUDIES="$SOURCE_DIR/scenarios/studies"
SEQUENCING="$STUDIES/sequencing-cart-vs-bispecific.yaml"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
is_status() { [[ "$1" -eq "$2" ]]; }
absent() { [[ ! -e "$1" ]]; }
contains() { grep -qF -- "$2" "$1"; }
py() { "$PYTHON" -c "$@"; }  # py CODE ARG...: the arguments are sys.argv[1:]
same_sorted() { cmp -s <(sort "$1") <(sort "$2"); }
is_png() { [[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]]; }

# --- A small trial: files and contents ---------------------------------------------------------------
small=(--set cohort.size=16 --set horizon_days=730)
check "trial exits 0" logged "$TMP/t1.log" "$CARTSIM" run "$SEQUENCING" "${small[@]}" --threads 1 -o "$TMP/t1"
for f in patients.csv summary.json km.csv manifest.json scenario.yaml; do
    check "trial writes $f" test -s "$TMP/t1/$f"
done
check "no partial or temporary files left" test -z "$(find "$TMP/t1" -name '.*' -print -quit)"
check "stdout has the arm table" contains "$TMP/t1.log" "median PFS [days]"
"$CARTSIM" run "$SEQUENCING" "${small[@]}" -o "$TMP/quiet" >"$TMP/quiet.out" 2>"$TMP/quiet.err"
check "no progress line on stderr when stdout is not a terminal" test ! -s "$TMP/quiet.err"
"$CARTSIM" run "$SEQUENCING" "${small[@]}" -q -o "$TMP/quiet" >"$TMP/quieter.out" 2>&1
check "--quiet prints nothing" test ! -s "$TMP/quieter.out"
check "patients.csv: 48 rows, patient and arm first, the same draws for a patient in every arm" py '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
header = list(rows[0])
assert header[:2] == ["patient", "arm"], header[:2]
assert len(rows) == 48, len(rows)
params = [h for h in header if h.startswith("patient.")]
assert len(params) == 10, params  # the ten parameters drawn by the population
by_patient = {}
for r in rows:
    by_patient.setdefault(r["patient"], set()).add(tuple(r[p] for p in params))
assert len(by_patient) == 16 and all(len(v) == 1 for v in by_patient.values())
arms = {r["arm"] for r in rows}
assert arms == {"ide-cel then teclistamab", "teclistamab then ide-cel", "ide-cel then talquetamab"}, arms
for r in rows:
    assert r["line1_start_day"] == "0" and r["pfs_days"] == r["line1_pfs_days"] and r["os_days"] and not r["error"], r
    assert r["pfs2_days"] and r["ttnt_days"], r  # two-line regimens: PFS2 and time to next treatment defined
' "$TMP/t1/patients.csv"
check "summary.json: arms with n, rates and medians as {value, ci_low, ci_high}; comparisons" py '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["kind"] == "trial" and s["patients"] == 16 and s["runs"] == 48 and s["errors"] == 0
for name, a in s["arms"].items():
    assert a["n"] == 16
    for key in ("orr", "cr_or_better", "mrd_negative", "median_pfs_days", "median_os_days"):
        assert list(a[key]) == ["value", "ci_low", "ci_high"], (name, key)
    assert sum(t["count"] for t in a["relapse_types"].values()) == 16
assert len(s["comparisons"]) == 9  # 3 pairs x PFS, PFS2, OS
first = next(iter(s["arms"]))
assert [c["reference_arm"] for c in s["comparisons"][:6]] == [first] * 6  # against the first arm first
for c in s["comparisons"]:
    assert {"reference_arm", "arm", "endpoint", "hazard_ratio", "logrank_p", "proportional_hazards", "rmst", "paired"} <= set(c)
' "$TMP/t1/summary.json"

# --- Independent check of the statistics with statsmodels --------------------------------------------
check "KM, medians, log-rank and Cox in summary.json and km.csv equal statsmodels on patients.csv" py '
import csv, json, sys
import numpy as np
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.duration.hazard_regression import PHReg
rows = list(csv.DictReader(open(sys.argv[1])))
s = json.load(open(sys.argv[2]))
km = list(csv.DictReader(open(sys.argv[3])))
def data(arm, endpoint):
    pick = [r for r in rows if r["arm"] == arm]
    t = np.array([float(r[endpoint + "_days"]) for r in pick])
    e = np.array([int(r[endpoint + "_event"]) for r in pick])
    return t, e
for arm in s["arms"]:
    t, e = data(arm, "pfs")
    sf = SurvfuncRight(t, e)
    mine = [r for r in km if r["arm"] == arm and r["endpoint"] == "pfs" and float(r["time_days"]) > 0]
    assert len(mine) == len(sf.surv_times), (arm, len(mine), len(sf.surv_times))
    for r, time, surv in zip(mine, sf.surv_times, sf.surv_prob):
        assert abs(float(r["time_days"]) - time) < 1e-9 and abs(float(r["survival"]) - surv) < 1e-12
for c in s["comparisons"]:
    endpoint = c["endpoint"]
    ta, ea = data(c["reference_arm"], endpoint)
    tb, eb = data(c["arm"], endpoint)
    t = np.concatenate([ta, tb]); e = np.concatenate([ea, eb])
    g = np.concatenate([np.zeros(len(ta)), np.ones(len(tb))])
    if e.sum() == 0:
        continue
    stat, p = survdiff(t, e, g)
    assert abs(c["logrank_p"] - p) < 1e-9 * max(1, p), (c, p)
    if c["hazard_ratio"]["value"] is not None:
        fit = PHReg(t, g[:, None], status=e, ties="efron").fit()
        assert abs(np.log(c["hazard_ratio"]["value"]) - fit.params[0]) < 1e-6, (c, fit.params)
' "$TMP/t1/patients.csv" "$TMP/t1/summary.json" "$TMP/t1/km.csv"

# --- Same results on 2 threads and 2 MPI ranks ------------------------------------------------------
check "2 threads exit 0" logged "$TMP/t2.log" "$CARTSIM" run "$SEQUENCING" "${small[@]}" --threads 2 -o "$TMP/t2"
check "2 threads: patients.csv equal after sorting" same_sorted "$TMP/t1/patients.csv" "$TMP/t2/patients.csv"
check "2 threads: summary.json byte-identical" cmp -s "$TMP/t1/summary.json" "$TMP/t2/summary.json"
check "2 threads: km.csv byte-identical" cmp -s "$TMP/t1/km.csv" "$TMP/t2/km.csv"
if command -v mpirun >/dev/null && "$CARTSIM" run "$SEQUENCING" --set cohort.size=1 --set horizon_days=30 -q -o "$TMP/probe" &&
    ! grep -q '"mpi": "none"' "$TMP/probe/manifest.json"; then
    check "2 MPI ranks exit 0" logged "$TMP/mpi.log" mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2 \
        "$CARTSIM" run "$SEQUENCING" "${small[@]}" --threads 1 -o "$TMP/mpi"
    check "2 MPI ranks: manifest says 2 ranks" contains "$TMP/mpi/manifest.json" '"ranks": 2'
    check "2 MPI ranks: patients.csv equal after sorting" same_sorted "$TMP/t1/patients.csv" "$TMP/mpi/patients.csv"
    check "2 MPI ranks: summary.json byte-identical" cmp -s "$TMP/t1/summary.json" "$TMP/mpi/summary.json"
    check "2 MPI ranks: km.csv byte-identical" cmp -s "$TMP/t1/km.csv" "$TMP/mpi/km.csv"
else
    echo "skip - MPI ranks (cartsim built without MPI or no mpirun)"
fi

# --- Interrupt and resume -----------------------------------------------------------------------------
big=(--set cohort.size=100 --set horizon_days=730)
check "straight run of 300 exits 0" logged "$TMP/straight.log" "$CARTSIM" run "$SEQUENCING" "${big[@]}" -q -o "$TMP/straight"
"$CARTSIM" run "$SEQUENCING" "${big[@]}" -q --threads 1 -o "$TMP/resumed" 2>"$TMP/interrupted.err" &
interrupt_when $! "$TMP/resumed/.patients.rank0.partial" 20  # once some patients have finished
check "Ctrl-C exits 130" is_status "$interrupted_status" 130
check "Ctrl-C: partial rows kept, no patients.csv yet" test -s "$TMP/resumed/.patients.rank0.partial" -a ! -e "$TMP/resumed/patients.csv"
check "Ctrl-C: stderr tells how to resume" contains "$TMP/interrupted.err" "--resume"
kept=$(($(wc -l <"$TMP/resumed/.patients.rank0.partial") - 1))
check "Ctrl-C: some but not all of 300 runs finished ($kept)" test "$kept" -gt 0 -a "$kept" -lt 300
check "--resume exits 0" logged "$TMP/resume.log" "$CARTSIM" run "$SEQUENCING" "${big[@]}" --resume -o "$TMP/resumed"
check "--resume skipped the finished runs" contains "$TMP/resume.log" "$kept finished before"
check "--resume: patients.csv equals the straight run after sorting" same_sorted "$TMP/straight/patients.csv" "$TMP/resumed/patients.csv"
check "--resume: summary.json byte-identical" cmp -s "$TMP/straight/summary.json" "$TMP/resumed/summary.json"
check "--resume: km.csv byte-identical" cmp -s "$TMP/straight/km.csv" "$TMP/resumed/km.csv"
# --resume never overwrites finished results: the same study has nothing to resume, another study
# (other overrides) would replace them.
cp "$TMP/resumed/patients.csv" "$TMP/finished-patients.csv"
status=0
"$CARTSIM" run "$SEQUENCING" "${big[@]}" --resume -q -o "$TMP/resumed" 2>"$TMP/finished-same.err" || status=$?
check "--resume of a finished folder of the same study exits 2" is_status "$status" 2
check "... saying there is nothing to resume" contains "$TMP/finished-same.err" "nothing to resume"
status=0
"$CARTSIM" run "$SEQUENCING" --set cohort.size=5 --resume -q -o "$TMP/resumed" 2>"$TMP/finished-other.err" || status=$?
check "--resume of a finished folder with other overrides exits 2" is_status "$status" 2
check "... saying it would overwrite another study's results" contains "$TMP/finished-other.err" "would overwrite"
check "--resume on a finished folder leaves its results unchanged" cmp -s "$TMP/resumed/patients.csv" "$TMP/finished-patients.csv"
mkdir -p "$TMP/other"
echo "0123456789abcdef" >"$TMP/other/.study.partial"
status=0
"$CARTSIM" run "$SEQUENCING" "${small[@]}" --resume -q -o "$TMP/other" 2>"$TMP/other.err" || status=$?
check "--resume into an interrupted run of another study exits 2" is_status "$status" 2
check "--resume mismatch: message says so" contains "$TMP/other.err" "different study"

# --- A failing patient is recorded and the study goes on ----------------------------------------------
cat >"$TMP/failing.yaml" <<'EOF'
name: failing-draws
horizon_days: 200
hybrid: {enabled: false}
regimen:
  - {name: cart, start: 0, therapies: [{product: ide-cel}]}
cohort:
  size: 20
  seed: 5
  parameters:
    - path: patient.t_cells.baseline_functional_fraction
      distribution: uniform
      low: 0.5
      high: 1.5      # above 1 the scenario's range check rejects the patient
EOF
check "failing draws: exit 0" logged "$TMP/failing.log" "$CARTSIM" run "$TMP/failing.yaml" --products "$SOURCE_DIR/scenarios/products" -o "$TMP/failing"
check "failing draws: errors recorded per patient and counted" py '
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
s = json.load(open(sys.argv[2]))
bad = [r for r in rows if r["error"]]
assert len(rows) == 20 and 0 < len(bad) < 20, len(bad)
assert all(float(r["patient.t_cells.baseline_functional_fraction"]) > 1 for r in bad)
assert all("baseline_functional_fraction" in r["error"] and r["outcome"] == "error" for r in bad)
assert s["errors"] == len(bad) and s["arms"]["cohort"]["errors"] == len(bad)
' "$TMP/failing/patients.csv" "$TMP/failing/summary.json"
check "failing draws: stderr counts the failures" contains "$TMP/failing.log" "runs failed"

# --- Sweeps: grid and Sobol ---------------------------------------------------------------------------
check "escape sweep (grid of cohorts) exits 0" logged "$TMP/sweep.log" "$CARTSIM" run "$STUDIES/escape-sweep.yaml" \
    --set cohort.size=3 --set horizon_days=365 -o "$TMP/sweep"
check "grid: sweep.csv has 12 points with both parameters and the endpoints" py '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 12
# parameter columns by the output contract: the key path with [name] written .name
assert list(rows[0])[:3] == ["point", "patient.tumour.clones.bcma_neg.fraction", "regimen.cart.therapies.ide_cel.dose_cells"]
assert all(r["n"] == "3" for r in rows) and "antigen_negative_relapse_share" in rows[0]
assert len({(r["patient.tumour.clones.bcma_neg.fraction"], r["regimen.cart.therapies.ide_cel.dose_cells"]) for r in rows}) == 12
' "$TMP/sweep/sweep.csv"
check "grid: patients.csv starts with point, patient" py '
import csv, sys
assert next(csv.reader(open(sys.argv[1])))[:2] == ["point", "patient"]
' "$TMP/sweep/patients.csv"
cp "$(dirname "${BASH_SOURCE[0]}")/lib/sobol-check.yaml" "$TMP/sobol.yaml"
check "Sobol design exits 0" logged "$TMP/sobol.log" "$CARTSIM" run "$TMP/sobol.yaml" --products "$SOURCE_DIR/scenarios/products" -o "$TMP/sobol"
check "Sobol: 64 runs, sobol.csv with both parameters, indices in summary.json" py '
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
s = json.load(open(sys.argv[2]))
assert len(list(csv.DictReader(open(sys.argv[3])))) == 64
assert [r["parameter"] for r in rows] == ["patient.tumour.growth_rate_per_day", "patient.t_cells.baseline_functional_fraction"]
assert s["sobol"]["endpoint"] == "mean_pfs_days" and len(s["sobol"]["indices"]) == 2
for r in rows:
    assert float(r["first_ci_low"]) <= float(r["first_order"]) <= float(r["first_ci_high"])
' "$TMP/sobol/sobol.csv" "$TMP/sobol/summary.json" "$TMP/sobol/patients.csv"

# A sweep over a path the population draws: the sweep's value wins, said by check, one column.
cat >"$TMP/swept-draw.yaml" <<'EOF'
name: swept-draw
population: rrmm-triple-class-exposed
horizon_days: 200
hybrid: {enabled: false}
regimen:
  - {name: cart, start: 0, therapies: [{product: ide-cel}]}
cohort: {size: 3, seed: 4}
sweep:
  design: grid
  parameters:
    - {path: patient.tumour.growth_rate_per_day, values: [0.002, 0.02]}
EOF
check "check names the sweep that wins over a draw" logged "$TMP/swept-check.log" "$CARTSIM" check "$TMP/swept-draw.yaml"
check "... in a precedence line" contains "$TMP/swept-check.log" "# precedence: patient.tumour.growth_rate_per_day is drawn by the cohort and swept"
check "a sweep over a drawn path runs" logged "$TMP/swept.log" "$CARTSIM" run "$TMP/swept-draw.yaml" -o "$TMP/swept"
check "patients.csv: one column for the path, holding each point's swept value" py '
import csv, sys
r = list(csv.reader(open(sys.argv[1])))
h = r[0]
assert h.count("patient.tumour.growth_rate_per_day") == 1, h
c, p = h.index("patient.tumour.growth_rate_per_day"), h.index("point")
assert {(row[p], float(row[c])) for row in r[1:]} == {("p0", 0.002), ("p1", 0.02)}
' "$TMP/swept/patients.csv"

# A --set on a drawn path fixes it for every patient (it used to be overwritten by the draw in silence).
check "check names a --set that wins over a draw" logged "$TMP/set-draw-check.log" "$CARTSIM" check "$TMP/swept-draw.yaml" \
    --set patient.tumour.initial_cells=1e11
check "... in a precedence line" contains "$TMP/set-draw-check.log" \
    "# precedence: patient.tumour.initial_cells is drawn by the cohort and set by --set"
check "a --set on a drawn path runs" logged "$TMP/set-draw.log" "$CARTSIM" run "$TMP/swept-draw.yaml" -o "$TMP/set-draw" \
    --set patient.tumour.initial_cells=1e11
check "patients.csv: one column for the path, every patient at the --set value" py '
import csv, sys
r = list(csv.reader(open(sys.argv[1])))
h = r[0]
assert h.count("patient.tumour.initial_cells") == 1, h
c = h.index("patient.tumour.initial_cells")
assert len(r) > 1 and all(float(row[c]) == 1e11 for row in r[1:]), [row[c] for row in r[1:]]
' "$TMP/set-draw/patients.csv"
status=0
"$CARTSIM" check "$TMP/swept-draw.yaml" --set patient.tumour.initial_cells=many >"$TMP/set-draw-bad.log" 2>&1 || status=$?
check "a --set on a drawn path with a non-number exits 2" test "$status" -eq 2

# --set arms[NAME].PATH on a path the cohort draws fixes it in that arm (the draw used to replace the
# value the command line wrote into the arm, in silence). KarMMa draws the ide-cel dose from 150, 300 and
# 450e6 CAR+ T cells.
KARMMA="$SOURCE_DIR/scenarios/validation/karmma.yaml"
ARM_DOSE="arms[ide-cel].regimen[ide-cel].therapies[ide-cel].dose_cells=300e6"
check "check names an arm's --set that wins over a draw" logged "$TMP/arm-set-check.log" "$CARTSIM" check "$KARMMA" \
    --set "$ARM_DOSE"
check "... in a precedence line" contains "$TMP/arm-set-check.log" \
    "# precedence: regimen[ide-cel].therapies[ide-cel].dose_cells is drawn by the cohort and set by --set for arm 'ide-cel'"
check "an arm's --set on a drawn path runs" logged "$TMP/arm-set.log" "$CARTSIM" run "$KARMMA" -o "$TMP/arm-set" \
    --set cohort.size=12 --set horizon_days=60 --set "$ARM_DOSE"
check "patients.csv: every patient of the arm at the --set dose" py '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
doses = [float(r["regimen.ide_cel.therapies.ide_cel.dose_cells"]) for r in rows]
assert len(rows) == 12 and all(d == 3e8 for d in doses), doses
' "$TMP/arm-set/patients.csv"
check "an arm's --set by index (arms[0]) fixes the draw too" logged "$TMP/arm-index.log" "$CARTSIM" run "$KARMMA" \
    -o "$TMP/arm-index" --set cohort.size=6 --set horizon_days=60 \
    --set "arms[0].regimen[ide-cel].therapies[ide-cel].dose_cells=150e6"
check "patients.csv: every patient at the dose set by index" py '
import csv, sys
doses = [float(r["regimen.ide_cel.therapies.ide_cel.dose_cells"]) for r in csv.DictReader(open(sys.argv[1]))]
assert len(doses) == 6 and all(d == 1.5e8 for d in doses), doses
' "$TMP/arm-index/patients.csv"

# --- Attribution --------------------------------------------------------------------------------------
check "--attribute exits 0" logged "$TMP/attr.log" "$CARTSIM" run "$SEQUENCING" --set cohort.size=4 --set horizon_days=730 \
    --attribute -o "$TMP/attr"
"$CARTSIM" params --format csv >"$TMP/params.csv"
check "--attribute: a column per mechanism and chief-mechanism shares summing to 1" py '
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
s = json.load(open(sys.argv[2]))
columns = [c for c in rows[0] if c.startswith("attribution_")]
# every switch that is on: all of them, as cartsim params lists them, in that order
switches = [r["key"][len("mechanisms."):] for r in csv.DictReader(open(sys.argv[3])) if r["key"].startswith("mechanisms.")]
assert len(switches) >= 27 and columns == ["attribution_" + m + "_days" for m in switches], (columns, switches)
assert "attribution_growth_heterogeneity_days" in columns, columns
assert "attribution_extramedullary_site_days" in columns, columns
assert "attribution_cytokine_space_days" in columns, columns
for a in s["arms"].values():
    shares = a["attribution"]["chief_mechanism_share"]
    if a["attribution"]["relapses"]:
        assert abs(sum(shares.values()) - 1) < 1e-12, shares
' "$TMP/attr/patients.csv" "$TMP/attr/summary.json" "$TMP/params.csv"

# A knock-out of a mechanism the patient gives nothing to act on is 0 days without being run; where it
# can act, it is run: a poorly reached second site (access 0.05) moves progression for some patients.
check "--attribute with a second site exits 0" logged "$TMP/attr-em.log" "$CARTSIM" run "$SEQUENCING" \
    --set cohort.size=4 --set horizon_days=730 --set patient.tumour.extramedullary.share=0.1 \
    --set patient.tumour.extramedullary.effector_access=0.05 --attribute -o "$TMP/attr-em"
check "--attribute: the second site's knock-out is run where it exists, skipped where it does not" py '
import csv, sys
site = [float(r["attribution_extramedullary_site_days"]) for r in csv.DictReader(open(sys.argv[1]))]
rows = list(csv.DictReader(open(sys.argv[2])))  # the population draws the site in some patients
none = [float(r["attribution_extramedullary_site_days"]) for r in rows if float(r["patient.tumour.extramedullary.share"]) == 0]
assert any(d != 0 for d in site), site
assert none and all(d == 0 for d in none), none
' "$TMP/attr-em/patients.csv" "$TMP/attr/patients.csv"

# --- Bad input ----------------------------------------------------------------------------------------
expect_bad() {  # expect_bad CASE TEXT_IN_STDERR FILE [ARGS...]: exit 2, message, nothing written
    local name="$1" text="$2" file="$3"
    shift 3
    local status=0
    "$CARTSIM" run "$file" "$@" -o "$TMP/out_$name" >/dev/null 2>"$TMP/$name.err" || status=$?
    check "$name: exits 2" is_status "$status" 2
    check "$name: message names $text" contains "$TMP/$name.err" "$text"
    check "$name: nothing written" absent "$TMP/out_$name"
}
sed 's/^  size: 1000$/  sise: 1000/' "$SEQUENCING" >"$TMP/unknown_key.yaml"
expect_bad unknown_key "unknown_key.yaml:$(grep -n 'sise:' "$TMP/unknown_key.yaml" | cut -d: -f1):3: cohort.sise" "$TMP/unknown_key.yaml"
# The study draws its patients from a population; these add a parameter and a correlation of its own.
sed 's/^  seed: 2024$/  seed: 2024\n  parameters:\n    - path: patient.tumour.growth_rat\n      distribution: lognormal\n      median: 0.008\n      cv: 0.5/' \
    "$SEQUENCING" >"$TMP/bad_path.yaml"
expect_bad bad_path "bad_path.yaml:$(grep -n 'growth_rat$' "$TMP/bad_path.yaml" | cut -d: -f1):" "$TMP/bad_path.yaml"
sed 's/^  seed: 2024$/  seed: 2024\n  correlations:\n    - {a: patient.tumour.initial_cells, b: patient.macrophages.basal_recruitment_cells_per_day, value: 1.0}/' \
    "$SEQUENCING" >"$TMP/not_pd.yaml"
expect_bad not_positive_definite "cohort.correlations" "$TMP/not_pd.yaml"
expect_bad replicates_with_study "--replicates is for one patient" "$SEQUENCING" --replicates 3
expect_bad zero_cohort "cohort.size" "$SEQUENCING" --set cohort.size=0
status=0
"$CARTSIM" run "$SOURCE_DIR/scenarios/examples/idecel-single-patient.yaml" --resume -o "$TMP/out_resume_single" \
    >/dev/null 2>"$TMP/resume_single.err" || status=$?
check "--resume without a study exits 2" is_status "$status" 2

# --- Every shipped study loads; cartsim check describes it ---------------------------------------------
for f in "$STUDIES"/*.yaml; do
    check "check $(basename "$f")" logged "$TMP/check_$(basename "$f").log" "$CARTSIM" check "$f"
done
check "check reports the run count" contains "$TMP/check_sequencing-cart-vs-bispecific.yaml.log" "3 arms x 1000 patients = 3000 runs"
check "check lists the arms as run, a knockouts: item expanded" contains "$TMP/check_mechanism-knockouts.yaml.log" \
    "# arms: all mechanisms; no antigen loss; no antigen density selection;"

# --- Plots ----------------------------------------------------------------------------------------------
check "cartsim plot on a trial folder exits 0" logged "$TMP/plot.log" "$CARTSIM" plot "$TMP/t1"
for png in km swimmer waterfall relapse_types; do
    check "$png.png is a PNG" is_png "$TMP/t1/$png.png"
done
check "cartsim plot on the grid sweep draws a heatmap" logged "$TMP/plot_sweep.log" "$CARTSIM" plot "$TMP/sweep"
check "heatmap.png is a PNG" is_png "$TMP/sweep/heatmap.png"
check "cartsim plot on the Sobol sweep draws the indices" logged "$TMP/plot_sobol.log" "$CARTSIM" plot "$TMP/sobol"
check "sobol.png is a PNG" is_png "$TMP/sobol/sobol.png"

finish
