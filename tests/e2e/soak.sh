#!/usr/bin/env bash
# Random-parameter soak at a small size (issue 20): every numeric model parameter drawn over a wide
# valid range (tests/soak/soak.py says how), in two arms (the mechanisms as shipped, every mechanism
# on): no NaN or infinite value, no failed run, no state variable below minus the solver's absolute
# tolerance, and no hang. 100 patients with the ODE, 10 with the hybrid, and the soak patients of
# tests/soak/regressions. Larger soaks are run by hand (README, "Robustness"). Environment (set by CTest): CARTSIM, SOURCE_DIR, PYTHON.
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

soak() {  # soak LOG ARGS...: the soak exits 0 (it prints its figures)
    local log="$1"
    shift
    "$PYTHON" "$SOURCE_DIR/tests/soak/soak.py" --cartsim "$CARTSIM" --threads 2 "$@" >"$log" 2>&1
    local status=$?
    cat "$log"
    return "$status"
}
has() { grep -qF -- "$2" "$1"; }

check "ODE soak, 100 patients x 2 arms: no NaN, failure, negative state or hang" \
    soak "$TMP/ode.log" --size 100 --timeout 300 -o "$TMP/ode"
check "... every run was simulated (no draw rejected)" has "$TMP/ode.log" "rejected draws 0,"
check "... and over 100 parameters were drawn" \
    "$PYTHON" -c 'import re,sys; n=int(re.search(r"(\d+) parameters drawn", open(sys.argv[1]).read()).group(1)); sys.exit(n < 100)' \
    "$TMP/ode.log"
check "hybrid soak, 10 patients x 2 arms: no NaN, failure, negative state or hang" \
    soak "$TMP/hybrid.log" --size 10 --hybrid --timeout 300 -o "$TMP/hybrid"
# Patients of the 100,000-patient soak that had a value below -abs_tol where the dense output is
# read inside a step (an event time, an output time), before the solver looked there too.
no_negative() {  # no_negative SCENARIO: runs it; summary.json has negative_state_points 0
    local out="$TMP/$(basename "$1" .yaml)"
    "$CARTSIM" run "$1" -q -o "$out" 2>/dev/null &&
        "$PYTHON" -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["negative_state_points"] != 0)' \
            "$out/summary.json"
}
for scenario in "$SOURCE_DIR"/tests/soak/regressions/*.yaml; do
    check "soak regression $(basename "$scenario" .yaml): no state below -abs_tol" no_negative "$scenario"
done
finish
