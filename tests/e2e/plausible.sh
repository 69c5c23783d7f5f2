#!/usr/bin/env bash
# End-to-end test of plausibility warnings: a value far outside its plausible range (more than 10x beyond
# either end, model/common/describe.hpp) is legal and runs, but gets a warning on stderr naming the
# file, line, key path, value with unit, the plausible range and its source; `cartsim check` lists the
# warnings and their count on stdout; the exit code is unchanged. Values a cohort draws are never
# warned about. No shipped scenario, product preset, population or calibration search bound warns,
# except the deliberate values listed below (each documented in its file).
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
SCENARIOS="$SOURCE_DIR/scenarios"
IDECEL="$SCENARIOS/examples/idecel-single-patient.yaml"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
ln -s "$SCENARIOS/products" "$TMP/products"
ln -s "$SCENARIOS/populations" "$TMP/populations"

contains() { grep -qF -- "$2" "$1"; }  # contains FILE TEXT
lacks() { ! grep -qF -- "$2" "$1"; }   # lacks FILE TEXT
is_status() { [[ "$1" -eq "$2" ]]; }

# --- a dose in millions written as a count --------------------------------------------------------
low="$TMP/low-dose.yaml"
sed 's/dose_cells: 450.0e6/dose_cells: 450/' "$IDECEL" >"$low"
line="$(grep -n 'dose_cells: 450$' "$low" | cut -d: -f1)"
status=0
"$CARTSIM" run "$low" -o "$TMP/low" >"$TMP/low.out" 2>"$TMP/low.err" || status=$?
check "dose_cells 450: run exits 0" is_status "$status" 0
check "dose_cells 450: it runs (summary.json written)" test -s "$TMP/low/summary.json"
check "dose_cells 450: the warning names file and line" contains "$TMP/low.err" "$low:$line:"
check "dose_cells 450: the warning names the key path, value and unit" \
    contains "$TMP/low.err" "warning: regimen[cart].therapies[ide-cel].dose_cells = 450 CAR+ cells is far below"
check "dose_cells 450: the warning gives the plausible range and its source" \
    contains "$TMP/low.err" "the plausible range 2e7-1e9 CAR+ cells (doses in trials: ide-cel 150-450e6 (KarMMa"
check "dose_cells 450: the warning suggests 450e6" contains "$TMP/low.err" "; did you mean 450e6?"
check "dose_cells 450: exactly one warning" test "$(grep -c 'warning:' "$TMP/low.err")" -eq 1
sed -n 1p "$TMP/low.err"

status=0
"$CARTSIM" check "$low" >"$TMP/low.check.out" 2>"$TMP/low.check.err" || status=$?
check "dose_cells 450: check exits 0" is_status "$status" 0
check "dose_cells 450: check says how many warnings" contains "$TMP/low.check.out" "# 1 plausibility warning "
check "dose_cells 450: check lists the warning on its output" \
    contains "$TMP/low.check.out" "#   $low:$line:21: warning: regimen[cart].therapies[ide-cel].dose_cells = 450 CAR+ cells"
check "dose_cells 450: check warns on stderr too" contains "$TMP/low.check.err" "warning: regimen[cart]"

# --- the same through --set ------------------------------------------------------------------------
set_arg='regimen[cart].therapies[ide-cel].dose_cells=450'
status=0
"$CARTSIM" check "$IDECEL" --set "$set_arg" >"$TMP/set.out" 2>"$TMP/set.err" || status=$?
check "--set dose 450: check exits 0" is_status "$status" 0
check "--set dose 450: the warning names the override" \
    contains "$TMP/set.err" "--set $set_arg: warning: regimen[cart].therapies[ide-cel].dose_cells = 450 CAR+ cells"

# --- plausible values: no warning ------------------------------------------------------------------
ok="$TMP/ok-dose.yaml"
sed 's/dose_cells: 450.0e6/dose_cells: 300e6/' "$IDECEL" >"$ok"
status=0
"$CARTSIM" run "$ok" -o "$TMP/ok" >"$TMP/ok.out" 2>"$TMP/ok.err" || status=$?
check "dose_cells 300e6: run exits 0" is_status "$status" 0
check "dose_cells 300e6: no warning" lacks "$TMP/ok.err" "warning"
"$CARTSIM" check "$ok" --set 'regimen[cart].therapies[ide-cel].dose_cells=1.5e8' >"$TMP/ok.check.out" 2>"$TMP/ok.check.err"
check "dose_cells 1.5e8 by --set: check reports 0 warnings" contains "$TMP/ok.check.out" "# 0 plausibility warnings"
check "dose_cells 1.5e8 by --set: nothing on stderr" test ! -s "$TMP/ok.check.err"

# --- a study: draws never warn, an arm's own value does ---------------------------------------------
cat >"$TMP/study.yaml" <<'YAML'
name: draws
horizon_days: 60
hybrid: {enabled: false}
regimen:
  - name: cart
    start: 0
    therapies:
      - product: ide-cel
cohort:
  size: 6
  seed: 3
  parameters:
    - path: regimen[cart].therapies[ide-cel].dose_cells
      distribution: choice
      values: [450, 3.0e12]
      weights: [1, 1]
arms:
  - name: as drawn
  - name: fast growth
    set: [patient.tumour.growth_rate_per_day=0.9]
YAML
set_line="$(grep -n 'growth_rate_per_day=0.9' "$TMP/study.yaml" | cut -d: -f1)"
status=0
"$CARTSIM" run "$TMP/study.yaml" -o "$TMP/study" --threads 1 >"$TMP/study.out" 2>"$TMP/study.err" || status=$?
check "study: run exits 0" is_status "$status" 0
check "study: no warning about the drawn doses" lacks "$TMP/study.err" "dose_cells"
check "study: the arm's own value warns at its line in the study file" \
    contains "$TMP/study.err" "$TMP/study.yaml:$set_line:"
check "study: the arm's warning names the key" contains "$TMP/study.err" "warning: patient.tumour.growth_rate_per_day = 0.9 1/day is far above"
check "study: one warning, not one per arm or patient" test "$(grep -c 'warning:' "$TMP/study.err")" -eq 1
"$CARTSIM" check "$TMP/study.yaml" >"$TMP/study.check.out" 2>/dev/null
check "study: check says how many warnings" contains "$TMP/study.check.out" "# 1 plausibility warning "

# --- shipped scenarios, presets, populations and calibration bounds: no warnings ------------------------
# Deliberate implausible values (FILE:KEY PATH), each explained in its file with "Deliberate".
deliberate=(
    "lessons/exhaustion-bispecific-first.yaml:regimen[ide-cel].therapies[ide-cel].apheresis_days_before_infusion"
)
is_deliberate() {  # is_deliberate REL_FILE WARNING_LINE
    local entry
    for entry in "${deliberate[@]}"; do
        [[ "$1" == "${entry%%:*}" && "$2" == *"warning: ${entry#*:} = "* ]] && return 0
    done
    return 1
}
quiet_check() {  # quiet_check NAME REL_FILE [cartsim check args...]: the file's warnings, deliberate ones excepted
    local name="$1" rel="$2"
    shift 2
    local out="$TMP/q.out" err="$TMP/q.err" status=0 unexpected=""
    "$CARTSIM" check "$@" >"$out" 2>"$err" || status=$?
    check "$name: check exits 0" is_status "$status" 0
    while IFS= read -r w; do
        is_deliberate "$rel" "$w" || unexpected+="$w"$'\n'
    done < <(grep 'warning:' "$err" || true)
    if [[ -n "$unexpected" ]]; then printf '    %s\n' "$unexpected"; fi
    check "$name: no warning" test -z "$unexpected"
}
for f in "$SCENARIOS"/{examples,lessons,studies,validation,reference}/*.yaml; do
    rel="${f#"$SCENARIOS"/}"
    quiet_check "$rel" "$rel" "$f"
done
for entry in "${deliberate[@]}"; do
    check "${entry%%:*}: the deliberate value is documented" contains "$SCENARIOS/${entry%%:*}" "Deliberate"
done
for p in "$SCENARIOS"/products/*.yaml; do
    product="$(basename "$p" .yaml)"
    printf 'name: uses-%s\nregimen:\n  - name: line\n    start: 0\n    therapies:\n      - product: %s\n' \
        "$product" "$product" >"$TMP/product-$product.yaml"
    quiet_check "products/$product.yaml (through a scenario)" "products/$product.yaml" "$TMP/product-$product.yaml"
done
for p in "$SCENARIOS"/populations/*.yaml; do
    population="$(basename "$p" .yaml)"
    printf 'name: uses-%s\npopulation: %s\ncohort: {size: 2}\nregimen:\n  - {name: line, start: 0, therapies: [{product: ide-cel}]}\n' \
        "$population" "$population" >"$TMP/population-$population.yaml"
    quiet_check "populations/$population.yaml (through a study)" "populations/$population.yaml" \
        "$TMP/population-$population.yaml"
done
# Every calibration searches its parameters inside their plausible ranges: each bound, set into its
# preset through a scenario or study that uses it, gives no warning.
"$PYTHON" - "$SCENARIOS/calibration" >"$TMP/bounds.txt" <<'PY'
import os, sys, yaml
root = sys.argv[1]
for name in sorted(os.listdir(root)):
    if not name.endswith(".yaml"):
        continue
    spec = yaml.safe_load(open(os.path.join(root, name)))
    for p in spec.get("parameters", []):
        kind = os.path.basename(os.path.dirname(p["file"]))
        preset = os.path.splitext(os.path.basename(p["file"]))[0]
        if p["key"].startswith("cohort."):
            continue  # a distribution's parameter, not a scenario value
        for bound in ("low", "high"):
            print(name, kind, preset, p["key"], p[bound])
PY
check "calibration bounds: some found" test -s "$TMP/bounds.txt"
while read -r spec kind preset key value; do
    if [[ "$kind" == products ]]; then
        quiet_check "calibration/$spec: $preset $key=$value" "" "$TMP/product-$preset.yaml" \
            --set "regimen[line].therapies[$preset].$key=$value"
    else
        quiet_check "calibration/$spec: $preset $key=$value" "" "$TMP/population-$preset.yaml" --set "$key=$value"
    fi
done <"$TMP/bounds.txt"

finish
