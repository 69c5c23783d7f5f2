#!/usr/bin/env bash
# End-to-end test of bad input: malformed YAML, unknown keys, wrong types, out-of-range values,
# unknown products and antigens, cross-field errors, bad --set overrides and a missing file. Each must
# exit with status 2, print one message naming the file, the line and the key path, and write nothing
# to the output folder (an older run there stays byte-identical). `cartsim check` must refuse the same.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
EXAMPLES="$SOURCE_DIR/scenarios/examples"
IDECEL="$EXAMPLES/idecel-single-patient.yaml"
ESCAPE="$EXAMPLES/antigen-escape.yaml"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# Broken copies live in $TMP; the loader finds presets in a `products` folder next to the scenario.
ln -s "$SOURCE_DIR/scenarios/products" "$TMP/products"

contains() { grep -qF -- "$2" "$1"; }         # contains FILE TEXT
contains_regex() { grep -qE -- "$2" "$1"; }   # contains_regex FILE REGEX
is_status() { [[ "$1" -eq "$2" ]]; }
absent() { [[ ! -e "$1" ]]; }

# The first diagnostic is one line ("FILE:LINE:COL: KEY.PATH: message" or "--set ...: message"), the
# summary line starts with "cartsim:"; a problem reported twice or spread over lines breaks "one".
one_diagnostic() {  # one_diagnostic STDERR_FILE
    [[ "$(grep -cv '^cartsim: ' "$1")" -eq 1 ]]
}

line_of() {  # line_of FILE TEXT: number of the first line containing TEXT
    local n
    n="$(grep -nF -m1 -- "$2" "$1" | cut -d: -f1)"
    [[ -n "$n" ]] || { echo "line_of: '$2' not in $1" >&2; exit 1; }
    echo "$n"
}

broken() {  # broken NAME SOURCE SED_EXPRESSION: writes $TMP/NAME.yaml, prints its path
    local file="$TMP/$1.yaml"
    sed "$3" "$2" >"$file"
    if cmp -s "$2" "$file"; then
        echo "broken: the edit for $1 changed nothing" >&2
        exit 1
    fi
    echo "$file"
}

# expect_bad CASE FILE LINE KEY_PATH [TEXT...]: run and check each refuse FILE as described above.
# LINE or KEY_PATH may be empty to skip that part; each TEXT must appear in the message too.
expect_bad() {
    local name="$1" file="$2" line="$3" key="$4"
    shift 4
    local out="$TMP/out_$name" err="$TMP/$name.run.err" status=0
    "$CARTSIM" run "$file" -o "$out" >"$TMP/$name.run.out" 2>"$err" || status=$?
    check "$name: run exits 2" is_status "$status" 2
    check "$name: one diagnostic line" one_diagnostic "$err"
    if [[ -n "$line" ]]; then
        check "$name: message names $(basename "$file") line $line" contains "$err" "$file:$line:"
    else
        check "$name: message names $(basename "$file")" contains "$err" "$file"
    fi
    [[ -z "$key" ]] || check "$name: message names key path $key" contains "$err" "$key: "
    local text
    for text in "$@"; do
        check "$name: message contains \"$text\"" contains "$err" "$text"
    done
    check "$name: output folder not created" absent "$out"
    status=0
    "$CARTSIM" check "$file" >"$TMP/$name.check.out" 2>"$TMP/$name.check.err" || status=$?
    check "$name: check exits 2" is_status "$status" 2
}

# expect_bad_set CASE SCENARIO SET_ARG [TEXT...]: a bad --set override is named as "--set ARG".
expect_bad_set() {
    local name="$1" file="$2" arg="$3"
    shift 3
    local out="$TMP/out_$name" err="$TMP/$name.run.err" status=0
    "$CARTSIM" run "$file" -o "$out" --set "$arg" >"$TMP/$name.run.out" 2>"$err" || status=$?
    check "$name: run exits 2" is_status "$status" 2
    check "$name: one diagnostic line" one_diagnostic "$err"
    check "$name: message names --set $arg" contains "$err" "--set $arg: "
    local text
    for text in "$@"; do
        check "$name: message contains \"$text\"" contains "$err" "$text"
    done
    check "$name: output folder not created" absent "$out"
    status=0
    "$CARTSIM" check "$file" --set "$arg" >"$TMP/$name.check.out" 2>"$TMP/$name.check.err" || status=$?
    check "$name: check exits 2" is_status "$status" 2
}

# The unmodified examples are valid (otherwise every case below would pass for the wrong reason).
quietly() { "$@" >/dev/null 2>&1; }
f="$(broken valid "$IDECEL" 's/^seed: 1$/seed: 2/')"
check "idecel example copy passes check" quietly "$CARTSIM" check "$f"
f="$(broken valid_escape "$ESCAPE" 's/^seed: 1$/seed: 2/')"
check "antigen-escape example copy passes check" quietly "$CARTSIM" check "$f"

# Malformed YAML: a second ':' on one line.
f="$(broken malformed "$IDECEL" 's/^  weight_kg: 75$/  weight_kg: 75: 80/')"
expect_bad malformed "$f" "$(line_of "$f" "weight_kg")" "" "malformed YAML"

# Unknown keys, with a "did you mean" hint, at the top of the patient and inside a therapy.
f="$(broken unknown_key "$IDECEL" 's/^  weight_kg: 75$/  weigth_kg: 75/')"
expect_bad unknown_key "$f" "$(line_of "$f" "weigth_kg")" "patient.weigth_kg" \
    "unknown key 'weigth_kg'" "did you mean 'weight_kg'"
f="$(broken unknown_therapy_key "$IDECEL" 's/dose_cells: 450.0e6/dose_cell: 450.0e6/')"
expect_bad unknown_therapy_key "$f" "$(line_of "$f" "dose_cell:")" "regimen[cart].therapies[ide-cel].dose_cell" \
    "did you mean 'dose_cells'"

# Wrong types: text for a number, text for a boolean.
f="$(broken wrong_type "$IDECEL" 's/^  weight_kg: 75$/  weight_kg: heavy/')"
expect_bad wrong_type "$f" "$(line_of "$f" "weight_kg")" "patient.weight_kg" "heavy"
f="$(broken wrong_type_bool "$IDECEL" 's/^seed: 1$/seed: 1\nmechanisms: {antigen_loss: maybe}/')"
expect_bad wrong_type_bool "$f" "$(line_of "$f" "antigen_loss")" "mechanisms.antigen_loss" "maybe"

# Negative dose, negative rates.
f="$(broken negative_dose "$IDECEL" 's/dose_cells: 450.0e6/dose_cells: -450.0e6/')"
expect_bad negative_dose "$f" "$(line_of "$f" "dose_cells")" "regimen[cart].therapies[ide-cel].dose_cells"
f="$(broken negative_rate "$IDECEL" \
    's/^    initial_cells: 3.0e11$/    initial_cells: 3.0e11\n    turnover_death_rate_per_day: -0.01/')"
expect_bad negative_rate "$f" "$(line_of "$f" "turnover_death_rate_per_day")" \
    "patient.tumour.turnover_death_rate_per_day"
f="$(broken negative_therapy_rate "$IDECEL" 's/dose_cells: 450.0e6/dose_cells: 450.0e6\n        memory_death_rate_per_day: -0.03/')"
expect_bad negative_therapy_rate "$f" "$(line_of "$f" "memory_death_rate_per_day")" \
    "regimen[cart].therapies[ide-cel].memory_death_rate_per_day"
f="$(broken negative_horizon "$IDECEL" 's/^horizon_days: 730$/horizon_days: -5/')"
expect_bad negative_horizon "$f" "$(line_of "$f" "horizon_days")" "horizon_days"

# Fractions outside [0, 1], and clone fractions that do not add up to 1 (cross-field).
f="$(broken clone_fraction "$IDECEL" 's/fraction: 1.0$/fraction: 1.5/')"
expect_bad clone_fraction "$f" "$(line_of "$f" "fraction: 1.5")" "patient.tumour.clones[main].fraction" "1.5"
f="$(broken memory_fraction "$IDECEL" 's/dose_cells: 450.0e6/dose_cells: 450.0e6\n        memory_fraction_at_infusion: 1.2/')"
expect_bad memory_fraction "$f" "$(line_of "$f" "memory_fraction_at_infusion")" \
    "regimen[cart].therapies[ide-cel].memory_fraction_at_infusion"
f="$(broken fraction_sum "$ESCAPE" 's/fraction: 1.0$/fraction: 0.5/')"
expect_bad fraction_sum "$f" "$(line_of "$f" "clones:")" "patient.tumour.clones" "0.500"

# A removed solver method (rosenbrock4, replaced by CVODE's BDF) is refused with the methods there are.
f="$(broken removed_method "$SOURCE_DIR/scenarios/reference/singh2021.yaml" 's/method: bdf,/method: rosenbrock4,/')"
expect_bad removed_method "$f" "$(line_of "$f" "method: rosenbrock4")" "solver.method" \
    "unknown value 'rosenbrock4', expected one of 'dopri5', 'bdf'"

# Unknown product: named, with a suggestion when close.
f="$(broken unknown_product "$IDECEL" 's/product: ide-cel$/product: ide-cell/')"
expect_bad unknown_product "$f" "$(line_of "$f" "product:")" "" "unknown product 'ide-cell'" "did you mean 'ide-cel'"
check "unknown_product: message names the full key path regimen[cart].therapies[..].product" \
    contains_regex "$TMP/unknown_product.run.err" ': regimen\[cart\]\.therapies\[(0|ide-cell)\]\.product: '
f="$(broken unknown_product_far "$IDECEL" 's/product: ide-cel$/product: zorbacel/')"
expect_bad unknown_product_far "$f" "$(line_of "$f" "product:")" "" "zorbacel"

# Unknown antigen in a therapy override: the allowed names are listed.
f="$(broken unknown_antigen "$IDECEL" 's/dose_cells: 450.0e6/dose_cells: 450.0e6\n        targets: [BCMB]/')"
expect_bad unknown_antigen "$f" "$(line_of "$f" "targets")" "regimen[cart].therapies[ide-cel].targets[0]" \
    "BCMB" "BCMA" "GPRC5D" "FcRH5" "CD38"

# The first line cannot start at progression.
f="$(broken start_progression "$IDECEL" 's/^    start: 0$/    start: progression/')"
expect_bad start_progression "$f" "$(line_of "$f" "start: progression")" "regimen[cart].start" "progression"

# Missing scenario file.
missing="$TMP/no-such-scenario.yaml"
expect_bad missing_file "$missing" "" "" "not found"

# Bad --set overrides: unknown path, wrong type, bad value, list entries that do not exist, no '='.
expect_bad_set set_unknown_path "$IDECEL" "patient.tumour.growth_rte_per_day=0.1" \
    "unknown key 'growth_rte_per_day'" "did you mean 'growth_rate_per_day'"
expect_bad_set set_wrong_type "$IDECEL" "patient.tumour.growth_rate_per_day=fast" "fast"
expect_bad_set set_negative_dose "$IDECEL" "regimen[cart].therapies[ide-cel].dose_cells=-5" "out of range"
expect_bad_set set_unknown_antigen "$IDECEL" "regimen[cart].therapies[ide-cel].targets=[BCMB]" "BCMB" "GPRC5D"
expect_bad_set set_no_such_name "$IDECEL" "patient.tumour.clones[nope].fraction=0.5" "nope" "main"
expect_bad_set set_index_out_of_range "$IDECEL" "patient.tumour.clones[3].fraction=0.5" "index 3"
expect_bad_set set_no_value "$IDECEL" "horizon_days"
# A valid override that breaks a cross-field rule is still refused.
status=0
"$CARTSIM" run "$ESCAPE" -o "$TMP/out_set_sum" --set 'patient.tumour.clones[bcma_neg].fraction=0.5' \
    >/dev/null 2>"$TMP/set_sum.err" || status=$?
check "set_fraction_sum: run exits 2" is_status "$status" 2
check "set_fraction_sum: message names patient.tumour.clones" contains "$TMP/set_sum.err" "patient.tumour.clones: "
check "set_fraction_sum: output folder not created" absent "$TMP/out_set_sum"

# A study whose --set does not load is reported as such, whatever other options come with it: --threads,
# --resume and --attribute used to be refused first ("--threads needs --replicates or a study"), hiding
# the key that was wrong (a study of arms has no top-level regimen to select from).
KARMMA="$SOURCE_DIR/scenarios/validation/karmma.yaml"
for option in "--threads 2" "--resume" "--attribute"; do
    name="study_bad_set_${option#--}"
    name="${name%% *}"
    status=0
    # shellcheck disable=SC2086
    "$CARTSIM" run "$KARMMA" -o "$TMP/out_$name" $option --set 'regimen[ide-cel].therapies[ide-cel].dose_cells=3e8' \
        >/dev/null 2>"$TMP/$name.err" || status=$?
    check "$name: run exits 2" is_status "$status" 2
    check "$name: message names the key that does not load" contains "$TMP/$name.err" "regimen[ide-cel]"
    check "$name: message says where the arms set it" contains "$TMP/$name.err" "--set 'arms[NAME].regimen...'"
    check "$name: no complaint about $option" bash -c '! grep -q -- "need" "$0"' "$TMP/$name.err"
done

# Bad input into a folder holding an older run leaves that run byte-identical and adds nothing.
old="$TMP/old_run"
mkdir -p "$old"
"$CARTSIM" run "$IDECEL" -o "$old" -q
cp -p "$old/timeseries.csv" "$TMP/old_timeseries.csv"
ls -A "$old" >"$TMP/old_listing"
status=0
"$CARTSIM" run "$TMP/unknown_key.yaml" -o "$old" >/dev/null 2>&1 || status=$?
check "existing folder: bad input exits 2" is_status "$status" 2
check "existing folder: older timeseries.csv byte-identical" cmp -s "$old/timeseries.csv" "$TMP/old_timeseries.csv"
check "existing folder: no file added or removed" diff -q <(ls -A "$old") "$TMP/old_listing"
status=0
"$CARTSIM" run "$IDECEL" -o "$old" --set patient.tumour.growth_rate_per_day=fast >/dev/null 2>&1 || status=$?
check "existing folder: bad --set exits 2" is_status "$status" 2
check "existing folder: older timeseries.csv byte-identical after bad --set" \
    cmp -s "$old/timeseries.csv" "$TMP/old_timeseries.csv"

for name in $(printf '%s\n' "${failed_cases[@]}" | sort -u); do
    if [[ -s "$TMP/$name.run.err" ]]; then
        echo "--- stderr of $name"
        cat "$TMP/$name.run.err"
    fi
done
finish
