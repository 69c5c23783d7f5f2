#!/usr/bin/env bash
# One writer per output folder (issue 20 defect 4): while a cartsim holds OUT/.cartsim.lock, a second
# cartsim writing OUT (a single run, a study, a validation) exits 2 naming the holder, and the first
# finishes with every row (before, both exited 0 and patients.csv could be left with no rows). The
# lock file is gone afterwards. Environment (set by CTest): CARTSIM, SOURCE_DIR.
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the source tree}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

EXAMPLE="$SOURCE_DIR/scenarios/examples/idecel-single-patient.yaml"
STUDY="$SOURCE_DIR/scenarios/studies/sequencing-cart-vs-bispecific.yaml"
refused() {  # refused LOG ARGS...: cartsim ARGS exits 2 and says the folder is being written
    local log="$1" status=0
    shift
    "$CARTSIM" "$@" >"$log" 2>&1 || status=$?
    [[ "$status" -eq 2 ]] && grep -q "is being written by another cartsim" "$log"
}

# A lock held by another process (util-linux flock on the same file), for each kind of writer.
mkdir -p "$TMP/held"
flock "$TMP/held/.cartsim.lock" sleep 30 >/dev/null 2>&1 &
holder=$!
for _ in $(seq 50); do flock -n "$TMP/held/.cartsim.lock" true 2>/dev/null || break; sleep 0.1; done
check "a single run into a locked folder is refused (exit 2)" refused "$TMP/run.log" run "$EXAMPLE" -o "$TMP/held"
check "a study into a locked folder is refused (exit 2)" refused "$TMP/study.log" run "$STUDY" -o "$TMP/held" \
    --set cohort.size=2 --set horizon_days=60
check "a validation into a locked folder is refused (exit 2)" refused "$TMP/validate.log" validate \
    "$SOURCE_DIR/scenarios/validation/majestec-1.yaml" --size 4 -o "$TMP/held"
check "... and none of them wrote a result there" bash -c '! ls "$1" | grep -q .' _ "$TMP/held"
pkill -P "$holder" 2>/dev/null || true  # the sleep holding the lock, then flock itself
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true

# Two real writers: the second is refused while the first runs, the first finishes whole.
"$CARTSIM" run "$STUDY" -o "$TMP/shared" --set cohort.size=200 --threads 1 -q >"$TMP/first.log" 2>&1 &
first=$!
for _ in $(seq 100); do [[ -e "$TMP/shared/.cartsim.lock" ]] && break; sleep 0.05; done
check "a second study writing the same folder meanwhile is refused" refused "$TMP/second.log" run "$STUDY" \
    -o "$TMP/shared" --set cohort.size=200 --threads 1 -q
status=0
wait "$first" || status=$?
check "the first study exits 0" test "$status" -eq 0
check "... with all 3 x 200 rows in patients.csv" test "$(($(wc -l <"$TMP/shared/patients.csv") - 1))" -eq 600
check "... and the lock file is gone" test ! -e "$TMP/shared/.cartsim.lock"

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
