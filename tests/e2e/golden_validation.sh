#!/usr/bin/env bash
# Bit-identical validation table: `cartsim validate scenarios/validation --size 60` (every shipped
# validation study, 60 patients per arm, the studies' fixed validation seeds) must reproduce
# tests/golden/validation-size60.csv and validation-size60-input-checks.csv byte for byte. It guards
# refactors that must not change behaviour (a changed summation order shows here); regenerate it only
# for an intended model change, saying which figures moved (tests/golden/README.md).
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
GOLDEN="$SOURCE_DIR/tests/golden/validation-size60"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

validate() {  # exit 0 (all inside) or 1 (misses reported) are both a completed validation
    local status=0
    "$CARTSIM" validate "$SOURCE_DIR/scenarios/validation" --size 60 --threads 2 -o "$TMP/v" >"$TMP/v.log" 2>&1 || status=$?
    [[ "$status" -le 1 ]] && [[ -s "$TMP/v/validation.csv" ]]
}
differs_by() {  # differs_by RUN GOLDEN: byte-identical, else show the first differing lines
    cmp -s "$1" "$2" && return 0
    diff "$2" "$1" | head -8
    return 1
}
check "validate --size 60 completes" validate
check "validation.csv is byte-identical to the golden table" differs_by "$TMP/v/validation.csv" "$GOLDEN.csv"
check "input_checks.csv is byte-identical to the golden table" \
    differs_by "$TMP/v/input_checks.csv" "$GOLDEN-input-checks.csv"

# Negative control: a 1% change of one calibrated parameter must change the table.
perturbed_differs() {
    local status=0
    "$CARTSIM" validate "$SOURCE_DIR/scenarios/validation" --size 60 --threads 2 -o "$TMP/p" \
        --set patient.tumour.growth_rate_per_day=0.00808 >"$TMP/p.log" 2>&1 || status=$?
    [[ "$status" -le 1 ]] && ! cmp -s "$TMP/p/validation.csv" "$GOLDEN.csv"
}
check "a 1% change of the growth rate changes the table" perturbed_differs

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
