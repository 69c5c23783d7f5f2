#!/usr/bin/env bash
# End-to-end test of validation and calibration:
# - a study with targets writes validation.csv (the issue's columns first, one row per target);
# - `cartsim validate` gathers the studies' tables, exits 0 when every calibrated target is inside
#   its band and 1 (naming the miss) when one is outside;
# - `cartsim calibrate` writes history.csv, fit.csv and fitted.yaml, never ends worse than its start,
#   resumes after Ctrl-C to the files of a straight run (the hint repeats every option), refuses to
#   resume a folder started with other options, and --write-back writes fitted presets under
#   OUT/presets (the originals unchanged) unless --in-place; bad specs exit 2 naming file and line;
#   a calibration seed that is another study's validation seed exits 2 naming both files;
# - --uncertainty fits a response surface and writes the parameters' intervals;
# - every shipped validation study loads, and every shipped calibration spec runs two evaluations
#   without changing any file under scenarios/.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
is_status() { [[ "$1" -eq "$2" ]]; }
contains() { grep -qF -- "$2" "$1"; }
py() { "$PYTHON" -c "$@"; }

# --- A toy product and validation study -------------------------------------------------------------
mkdir -p "$TMP/work/products" "$TMP/work/validation"
cat >"$TMP/work/products/toy-cart.yaml" <<'YAML'
# toy product
type: cart
targets: [BCMA]
dose_cells: 450.0e6
expansion_rate_per_day: 0.8   # 1/day
binder: {half_max_molecules_per_cell: 300, hill_coefficient: 1.5, functional_floor_molecules_per_cell: 50}
YAML
write_study() {  # write_study FILE ORR_BAND ID_PREFIX
    cat >"$1" <<YAML
name: toy-validation
horizon_days: 200
hybrid: {enabled: false}
seeds: {calibration: 1000, validation: [2000, 3000]}
cohort:
  size: 12
  parameters:
    - path: patient.tumour.growth_rate_per_day
      distribution: lognormal
      median: 0.01
      cv: 0.4
    - path: patient.t_cells.baseline_functional_fraction
      distribution: beta
      a: 2
      b: 2
arms:
  - name: car
    regimen:
      - {name: cart, start: 0, therapies: [{product: toy-cart}]}
targets:
  - {id: $3-orr, status: calibrated, quantity: ORR, trial: toy, source: none, band_source: toy, clinical_value: 60, n: 50, band: $2, metric: orr, arms: [car]}
  - {id: $3-peak-day, status: independent, quantity: peak day, trial: toy, source: none, band_source: toy, clinical_value: 12, band: [9, 17], metric: median, column: cart_peak_day, arms: [car]}
  - {id: $3-crs, status: independent, assumed_band: true, quantity: CRS any grade, trial: toy, source: none, band_source: assumed, clinical_value: 90, band: [80, 100], metric: crs_any_grade, arms: [car]}
YAML
}
write_study "$TMP/work/validation/wide.yaml" "[0, 100]" wide
write_study "$TMP/work/narrow.yaml" "[0, 0.5]" narrow

check "a study with targets exits 0" logged "$TMP/run.log" "$CARTSIM" run "$TMP/work/validation/wide.yaml" -o "$TMP/run"
check "it writes validation.csv" test -s "$TMP/run/validation.csv"
check "validation.csv: the issue's columns first" \
    py 'import sys; h=open(sys.argv[1]).readline().strip().split(","); sys.exit(h[:10]!="quantity,trial,clinical_value,source,band_low,band_high,model_value,model_ci_low,model_ci_high,inside".split(","))' "$TMP/run/validation.csv"
check "validation.csv: one row per target, inside true or false" \
    py 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); sys.exit(not(len(r)==3 and all(x["inside"] in ("true","false") for x in r)))' "$TMP/run/validation.csv"
check "the console shows the counts per status" contains "$TMP/run.log" "calibrated 1 of 1 inside; independent"

check "validate (calibrated target inside) exits 0" logged "$TMP/v1.log" "$CARTSIM" validate "$TMP/work/validation" -o "$TMP/v1" --threads 2
check "validate writes one table for all studies" test -s "$TMP/v1/validation.csv" -a -s "$TMP/v1/wide/patients.csv"
status=0
"$CARTSIM" validate "$TMP/work/validation" "$TMP/work/narrow.yaml" -o "$TMP/v2" >"$TMP/v2.log" 2>"$TMP/v2.err" || status=$?
check "validate with a calibrated miss exits 1" is_status "$status" 1
check "the miss is named on stderr" contains "$TMP/v2.err" "ORR (toy, toy-validation): model"
check "an assumed band is never counted inside" py 'import csv,sys; r=[x for x in csv.DictReader(open(sys.argv[1])) if x["assumed_band"]=="true"]; sys.exit(not(r and all(x["inside"]=="false" and x["counted"]=="false" for x in r)))' "$TMP/v2/validation.csv"
check "validate writes counts.txt" grep -qE "^calibrated 1 of 1 inside; independent [01] of 1 inside; assumed band 1 \(not counted\); input checks 0 of 0" "$TMP/v1/counts.txt"
check "the gathered table has both studies' rows" py 'import csv,sys; sys.exit(len(list(csv.DictReader(open(sys.argv[1]))))!=6)' "$TMP/v2/validation.csv"
check "--size overrides the cohort size" logged "$TMP/v3.log" "$CARTSIM" validate "$TMP/work/validation/wide.yaml" --size 3 -o "$TMP/v3"
check "--size 3 gives 3 patients" py 'import sys; sys.exit(sum(1 for _ in open(sys.argv[1]))!=4)' "$TMP/v3/wide/patients.csv"
status=0
"$CARTSIM" validate "$SOURCE_DIR/scenarios/examples/idecel-single-patient.yaml" -o "$TMP/v4" >/dev/null 2>"$TMP/v4.err" || status=$?
check "validate refuses a file without targets (exit 2)" is_status "$status" 2

# --- Calibration ----------------------------------------------------------------------------------------
cat >"$TMP/work/spec.yaml" <<'YAML'
name: toy
studies: [validation/wide.yaml]
parameters:
  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.05, high: 3.0, scale: log, informed_by: [wide-orr]}
  - {file: products/toy-cart.yaml, key: binder.half_max_molecules_per_cell, low: 10, high: 30000, scale: log, informed_by: [wide-orr]}
method: {max_evaluations: 14, initial_step: 0.2, tolerance: 0}
YAML
cp -r "$TMP/work" "$TMP/work2"
check "calibrate exits 0" logged "$TMP/c1.log" "$CARTSIM" calibrate "$TMP/work/spec.yaml" -o "$TMP/c1" --threads 1
for f in history.csv fit.csv fitted.yaml; do check "calibrate writes $f" test -s "$TMP/c1/$f"; done
check "history.csv: one line per evaluation (14)" py 'import sys; sys.exit(sum(1 for _ in open(sys.argv[1]))!=15)' "$TMP/c1/history.csv"
check "the best deviance is not above the start's" \
    py 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); d=[float(x["deviance"]) for x in r]; f=open(sys.argv[2]).read(); b=float(f.split("deviance: ")[1].split()[0]); sys.exit(not(b<=d[0]*(1+1e-9) and abs(b-min(d))<=1e-8*max(1,abs(b))))' "$TMP/c1/history.csv" "$TMP/c1/fitted.yaml"
check "fit.csv is a validation table of every target" py 'import csv,sys; sys.exit(len(list(csv.DictReader(open(sys.argv[1]))))!=3)' "$TMP/c1/fit.csv"
check "the preset is untouched without --write-back" cmp -s "$TMP/work/products/toy-cart.yaml" "$TMP/work2/products/toy-cart.yaml"
check "progress: one line per evaluation" test "$(grep -c 'evaluation ' "$TMP/c1.log")" -eq 14
# A fit that ends at the edge of its range says so, on the console and in fitted.yaml: the start (0.8)
# is the upper bound, and the one other point the search tries lies 1% of the range below it.
cat >"$TMP/work/edge.yaml" <<'YAML'
name: toy-edge
studies: [validation/wide.yaml]
parameters:
  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.05, high: 0.8, scale: log, informed_by: [wide-orr]}
method: {max_evaluations: 2, initial_step: 0.01, tolerance: 0}
YAML
check "a fit at the edge of its range exits 0" logged "$TMP/edge.log" "$CARTSIM" calibrate "$TMP/work/edge.yaml" -o "$TMP/edge" --threads 1
check "... and the console names the bound" contains "$TMP/edge.log" "toy-cart.yaml:expansion_rate_per_day ended at its upper bound 0.8"
check "... as fitted.yaml does" grep -q "at_bound: high 0.8}" "$TMP/edge/fitted.yaml"

# Interrupt after a few evaluations, then resume: the same history and the same fitted values.
"$CARTSIM" calibrate "$TMP/work2/spec.yaml" -o "$TMP/c2" --threads 1 >"$TMP/c2.out" 2>"$TMP/c2.err" &
interrupt_when $! "$TMP/c2/history.csv" 5
check "Ctrl-C exits 130" is_status "$interrupted_status" 130
check "Ctrl-C: stderr tells how to resume, with every option" contains "$TMP/c2.err" "continue with: cartsim calibrate $TMP/work2/spec.yaml -o $TMP/c2 --threads 1 --resume"
status=0
"$CARTSIM" calibrate "$TMP/work2/spec.yaml" -o "$TMP/c2" --size 5 --resume >/dev/null 2>"$TMP/c2x.err" || status=$?
check "--resume with other options is refused (exit 2)" is_status "$status" 2
check "... saying what the folder holds" contains "$TMP/c2x.err" "started with other options"
check "--resume exits 0" logged "$TMP/c2r.log" "$CARTSIM" calibrate "$TMP/work2/spec.yaml" -o "$TMP/c2" --threads 2 --resume
check "--resume replays the history it found" contains "$TMP/c2r.log" "evaluations in the history"
check "--resume: history.csv equals the straight run's" cmp -s "$TMP/c1/history.csv" "$TMP/c2/history.csv"
check "--resume: fit.csv equals the straight run's" cmp -s "$TMP/c1/fit.csv" "$TMP/c2/fit.csv"

cp "$TMP/work2/products/toy-cart.yaml" "$TMP/preset-before.yaml"
check "--write-back exits 0" logged "$TMP/c3.log" "$CARTSIM" calibrate "$TMP/work2/spec.yaml" -o "$TMP/c2" --threads 2 --write-back
check "--write-back without --in-place leaves the preset unchanged" cmp -s "$TMP/work2/products/toy-cart.yaml" "$TMP/preset-before.yaml"
check "--write-back writes the fitted preset under OUT/presets" test -s "$TMP/c2/presets/products/toy-cart.yaml"
check "--write-back: the copy carries the fitted value" \
    py 'import sys,re; p=open(sys.argv[1]).read(); f=open(sys.argv[2]).read(); v=re.search(r"key: expansion_rate_per_day, start: [^,]+, fitted: ([^}]+)",f).group(1); sys.exit(("expansion_rate_per_day: %s" % v) not in p)' "$TMP/c2/presets/products/toy-cart.yaml" "$TMP/c2/fitted.yaml"
check "--write-back: a comment line names the targets" contains "$TMP/c2/presets/products/toy-cart.yaml" "# fitted by cartsim calibrate spec.yaml"
check "--write-back: the comment names the informing target" contains "$TMP/c2/presets/products/toy-cart.yaml" "to wide-orr"
check "--write-back: the rest of the preset is kept" contains "$TMP/c2/presets/products/toy-cart.yaml" "# toy product"
status=0
"$CARTSIM" calibrate "$TMP/work2/spec.yaml" -o "$TMP/c5" --in-place >/dev/null 2>"$TMP/c5.err" || status=$?
check "--in-place without --write-back is refused (exit 2)" is_status "$status" 2
check "--write-back --in-place exits 0" logged "$TMP/c6.log" "$CARTSIM" calibrate "$TMP/work2/spec.yaml" -o "$TMP/c6" --write-back --in-place
check "--in-place: the preset itself carries the fitted value" \
    py 'import sys,re; p=open(sys.argv[1]).read(); f=open(sys.argv[2]).read(); v=re.search(r"key: expansion_rate_per_day, start: [^,]+, fitted: ([^}]+)",f).group(1); sys.exit(("expansion_rate_per_day: %s" % v) not in p)' "$TMP/work2/products/toy-cart.yaml" "$TMP/c6/fitted.yaml"
check "the written-back study still loads" logged "$TMP/c4.log" "$CARTSIM" check "$TMP/work2/validation/wide.yaml"

# --- Uncertainty -----------------------------------------------------------------------------------------
check "--uncertainty 8 exits 0" logged "$TMP/u.log" "$CARTSIM" calibrate "$TMP/work/spec.yaml" -o "$TMP/u" --max-evaluations 4 --uncertainty 8 --threads 2
for f in surface.csv uncertainty.csv directions.csv uncertainty.yaml; do check "--uncertainty writes $f" test -s "$TMP/u/$f"; done
check "surface.csv: the centre and 7 design points" py 'import sys; sys.exit(sum(1 for _ in open(sys.argv[1]))!=9)' "$TMP/u/surface.csv"
check "uncertainty.csv: one row per parameter, an interval around the fit" \
    py 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); sys.exit(not(len(r)==2 and all(float(x["ci_low"])<=float(x["fitted"])<=float(x["ci_high"]) for x in r)))' "$TMP/u/uncertainty.csv"

# --- Calibration and validation patients never meet --------------------------------------------------------
sed -e 's/seeds: {calibration: 1000, validation: \[2000, 3000\]}/seeds: {calibration: 5000, validation: [1000]}/' -e 's/wide-/other-/g' \
    "$TMP/work/validation/wide.yaml" >"$TMP/work/validation/other.yaml"
status=0
"$CARTSIM" calibrate "$TMP/work/spec.yaml" -o "$TMP/clash" >/dev/null 2>"$TMP/clash.err" || status=$?
check "a calibration seed that is a validation seed elsewhere exits 2" is_status "$status" 2
check "... naming the spec and its line" contains "$TMP/clash.err" "spec.yaml:2:"
check "... and the validation study" contains "$TMP/clash.err" "is a validation seed of $TMP/work/validation/other.yaml"
rm "$TMP/work/validation/other.yaml"

# --- Bad specs -------------------------------------------------------------------------------------------
printf 'studies: [validation/wide.yaml]\nparameters:\n  - {file: products/toy-cart.yaml, key: expansion_rte_per_day, low: 0.1, high: 3, informed_by: [wide-orr]}\n' >"$TMP/work/bad.yaml"
status=0
"$CARTSIM" calibrate "$TMP/work/bad.yaml" -o "$TMP/bad" >/dev/null 2>"$TMP/bad.err" || status=$?
check "a key not written in the preset exits 2" is_status "$status" 2
check "... naming the spec's file and line" contains "$TMP/bad.err" "bad.yaml:3:"
check "... and writing no history" test ! -e "$TMP/bad/history.csv"

# --- Shipped files -----------------------------------------------------------------------------------------
for f in "$SOURCE_DIR"/scenarios/validation/*.yaml; do
    check "shipped validation study $(basename "$f") loads" logged "$TMP/check.log" "$CARTSIM" check "$f"
done
before="$(cd "$SOURCE_DIR" && find scenarios -type f -exec sha256sum {} + | sort)"
for f in "$SOURCE_DIR"/scenarios/calibration/*.yaml; do
    [[ -e "$f" ]] || continue
    check "shipped calibration $(basename "$f") runs 2 evaluations and writes back" \
        logged "$TMP/cal.log" "$CARTSIM" calibrate "$f" --size 2 --max-evaluations 2 -q -o "$TMP/cal-$(basename "$f" .yaml)" --write-back
done
after="$(cd "$SOURCE_DIR" && find scenarios -type f -exec sha256sum {} + | sort)"
check "--write-back without --in-place changed no file under scenarios/" test "$before" = "$after"

finish
