#!/usr/bin/env bash
# Hostile scenario input ends at once with exit 2 and a message naming the file or the override: a lone
# ',' (the loader used to hang, its memory growing), a self-referential alias (it used to crash with
# exit 139), in a file and through --set, and aliases that expand to millions of values.
# Environment (set by CTest): CARTSIM, SOURCE_DIR.
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the source tree}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

exits_2() {  # exits_2 LOG ARGS...: cartsim ARGS exits 2 within 10 s
    local log="$1" status=0
    shift
    timeout 10 "$CARTSIM" "$@" >"$log" 2>&1 || status=$?
    [[ "$status" -eq 2 ]] || { echo "    exit $status"; return 1; }
}
printf ',' >"$TMP/comma.yaml"
printf 'a: &x {b: *x}\n' >"$TMP/cycle.yaml"
{
    echo 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]'
    for k in 1 2 3 4 5 6 7 8; do
        echo "l$k: &l$k [*l$((k - 1)), *l$((k - 1)), *l$((k - 1)), *l$((k - 1)), *l$((k - 1)), *l$((k - 1)), *l$((k - 1)), *l$((k - 1)), *l$((k - 1)), *l$((k - 1))]"
    done
} >"$TMP/laughs.yaml"
check "a file holding a lone ',': exit 2" exits_2 "$TMP/comma.log" check "$TMP/comma.yaml"
check "... naming the file, line and column" grep -q "comma.yaml:1:1: malformed YAML" "$TMP/comma.log"
check "--set x=, : exit 2" exits_2 "$TMP/set-comma.log" check "$SOURCE_DIR/scenarios/examples/idecel-single-patient.yaml" --set 'horizon_days=,'
check "a self-referential alias in a file: exit 2 (not a crash)" exits_2 "$TMP/cycle.log" check "$TMP/cycle.yaml"
check "... saying it is a cycle" grep -q "cycle.yaml:1:.*(a cycle)" "$TMP/cycle.log"
check "--set 'x=&a [*a]': exit 2 (not a stack overflow)" exits_2 "$TMP/set-cycle.log" check \
    "$SOURCE_DIR/scenarios/examples/idecel-single-patient.yaml" --set 'horizon_days=&a [*a]'
check "nested aliases expanding to 10^9 values: exit 2" exits_2 "$TMP/laughs.log" check "$TMP/laughs.yaml"
check "... naming the bound" grep -q "more than 100000 values once aliases are expanded" "$TMP/laughs.log"

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
