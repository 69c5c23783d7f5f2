#!/usr/bin/env bash
# Fault tests of studies (issue 20): what a crash, a full disk or a failing folder leaves, and that
# --resume then gives the files of a straight run.
# - kill -9 at three points of one study (each time followed by --resume, killed again): the manifest
#   says "running" after each kill and the finished study equals a straight run;
# - a fresh run killed in a folder holding an older, finished study leaves nothing of the older one
#   that looks complete, and `cartsim plot` refuses the folder;
# - a full disk while rows are written, at the merge into patients.csv, and at summary.json: exit 1, a
#   message with the cause ("No space left on device") and the file, no hidden temporary left; once
#   space is freed, --resume finishes it;
# - a folder whose listing fails: --resume exits 1 saying so and writes no patients.csv;
# - an output folder the user may not write: exit 1 with the cause;
# - one of two MPI ranks killed: mpirun exits non-zero, --resume finishes the study.
# The full disk and the listing error are injected by a small LD_PRELOAD shim (tests/fault), since a
# test can neither mount a tiny file system nor make a folder unreadable to root. When started as
# root the script runs itself as the unprivileged user `nobody` (permissions prove nothing for root).
# A second writer being refused is tested in folder_lock.sh.
# Environment (set by CTest): CARTSIM, SOURCE_DIR, FAULT_SHIM (the shim's .so).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the source tree}"
: "${FAULT_SHIM:?FAULT_SHIM must point to the fault-injection library}"

as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
if [[ "$(id -u)" -eq 0 && -z "${CARTSIM_FAULTS_UNPRIVILEGED:-}" ]]; then
    if "${as_user[@]}" test -x "$CARTSIM" -a -r "$FAULT_SHIM" -a -r "${BASH_SOURCE[0]}"; then
        exec "${as_user[@]}" env CARTSIM_FAULTS_UNPRIVILEGED=1 HOME=/tmp bash "${BASH_SOURCE[0]}"
    fi
    echo "note - user nobody cannot reach the build; running as root, without the permission test"
fi

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
chmod 755 "$TMP"

STUDY="$SOURCE_DIR/scenarios/studies/sequencing-cart-vs-bispecific.yaml"
size=(--set cohort.size=300 --set horizon_days=730)  # 900 runs
RUNS=900
study=("$CARTSIM" run "$STUDY" "${size[@]}" -q)  # the cartsim process itself, so that $! is its PID
rows() { cat "$1"/.patients.rank*.partial 2>/dev/null | grep -cv '^patient,' || true; }
same_as_straight() {  # same_as_straight DIR: patients.csv (sorted) and summary.json equal the straight run's
    cmp -s <(sort "$TMP/straight/patients.csv") <(sort "$1/patients.csv") &&
        cmp -s "$TMP/straight/summary.json" "$1/summary.json"
}
status_is() { grep -q "\"status\": \"$2\"" "$1/manifest.json"; }
says() { grep -qF -- "$2" "$1"; }
no_temporaries() { [[ -z "$(find "$1" -name '*.tmp*' -print -quit)" ]]; }
kill_when() {  # kill_when PID DIR ROWS: kill -9 PID once DIR's partial files hold ROWS rows (or after 30 s)
    local pid="$1" dir="$2" wanted="$3"
    for _ in $(seq 1 600); do
        [[ "$(rows "$dir")" -ge "$wanted" ]] && break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

check "a straight run exits 0" logged "$TMP/straight.log" "${study[@]}" -o "$TMP/straight"
check "... and its manifest says finished" status_is "$TMP/straight" finished

# --- kill -9 at three points, each followed by --resume ----------------------------------------------
out="$TMP/killed"
"${study[@]}" --threads 1 -o "$out" >/dev/null 2>&1 &
kill_when $! "$out" 150
check "kill -9 after 150 rows: manifest says running" status_is "$out" running
check "... no patients.csv" test ! -e "$out/patients.csv"
kept=$(rows "$out")
for point in 450 750; do
    "${study[@]}" --threads 1 --resume -o "$out" >/dev/null 2>&1 &
    kill_when $! "$out" "$point"
    now=$(rows "$out")
    check "kill -9 of the resumed run after $point rows: more rows kept than before ($kept -> $now)" test "$now" -gt "$kept"
    check "... manifest says running" status_is "$out" running
    kept=$now
done
check "--resume after the third kill exits 0" logged "$TMP/killed.log" "${study[@]}" --resume -o "$out"
check "... equals the straight run (patients.csv sorted, summary.json)" same_as_straight "$out"
check "... manifest says finished, no partial or temporary files left" \
    bash -c '[[ -z "$(find "$1" -name ".*" ! -name ".cartsim.lock" -print -quit)" ]]' _ "$out"

# --- a fresh run killed in a folder holding a finished study -------------------------------------------
cp -r "$TMP/straight" "$TMP/older"
"${study[@]}" --threads 1 -o "$TMP/older" >/dev/null 2>&1 &
kill_when $! "$TMP/older" 50
check "a fresh run killed over a finished study: manifest says running" status_is "$TMP/older" running
check "... the older patients.csv and summary.json are gone" test ! -e "$TMP/older/patients.csv" -a ! -e "$TMP/older/summary.json"
status=0
"$CARTSIM" plot "$TMP/older" >"$TMP/plot.log" 2>&1 || status=$?
check "... cartsim plot refuses the folder (exit 2, says running)" test "$status" -eq 2
check "... naming the status" says "$TMP/plot.log" "is running, not finished"

# --- a full disk ---------------------------------------------------------------------------------------
disk_full() {  # disk_full NAME FILE-TEXT AFTER-BYTES: a run whose writes to FILE-TEXT fail after AFTER-BYTES
    local dir="$TMP/$1" status=0
    env LD_PRELOAD="$FAULT_SHIM" CARTSIM_FAULT_NOSPACE="$2" CARTSIM_FAULT_NOSPACE_AFTER="$3" "${study[@]}" -o "$dir" \
        >"$dir.log" 2>&1 || status=$?
    check "disk full at $1: exit 1" test "$status" -eq 1
    check "... the message names the cause" says "$dir.log" "No space left on device"
    check "... no hidden temporary file left" no_temporaries "$dir"
    check "... manifest says failed, with the cause" says "$dir/manifest.json" "No space left on device"
    check "... once space is freed --resume exits 0" logged "$dir.resume.log" "${study[@]}" --resume -o "$dir"
    check "... and equals the straight run" same_as_straight "$dir"
}
disk_full rows .patients.rank 60000      # while rows are written (about 80 rows in)
disk_full merge patients.csv 0           # at the merge into patients.csv
disk_full summary summary.json 0         # after the merge, at summary.json

# --- a folder whose listing fails ------------------------------------------------------------------------
"${study[@]}" --threads 1 -o "$TMP/listing" >/dev/null 2>&1 &
kill_when $! "$TMP/listing" 100
status=0
env LD_PRELOAD="$FAULT_SHIM" CARTSIM_FAULT_LISTING="$TMP/listing" "${study[@]}" --resume -o "$TMP/listing" \
    >"$TMP/listing.log" 2>&1 || status=$?
check "a listing error on --resume: exit 1" test "$status" -eq 1
check "... saying the folder cannot be listed" says "$TMP/listing.log" "cannot list the folder"
check "... and writing no patients.csv" test ! -e "$TMP/listing/patients.csv"
check "... then --resume exits 0" logged "$TMP/listing.resume.log" "${study[@]}" --resume -o "$TMP/listing"
check "... and equals the straight run" same_as_straight "$TMP/listing"

# --- a folder the user may not write -----------------------------------------------------------------------
if [[ "$(id -u)" -ne 0 ]]; then
    mkdir -p "$TMP/readonly"
    chmod 555 "$TMP/readonly"
    status=0
    "$CARTSIM" run "$STUDY" --set cohort.size=2 -q -o "$TMP/readonly/out" >"$TMP/readonly.log" 2>&1 || status=$?
    check "an output folder that cannot be created: exit 1 or 2, not a crash ($status)" test "$status" -eq 1 -o "$status" -eq 2
    check "... naming the cause" says "$TMP/readonly.log" "Permission denied"
else
    echo "skip - permission test (running as root)"
fi

# --- one MPI rank killed ---------------------------------------------------------------------------------
mpi_flags=(--oversubscribe --bind-to none -np 2)
[[ "$(id -u)" -ne 0 ]] || mpi_flags+=(--allow-run-as-root)
if command -v mpirun >/dev/null && ! grep -q '"mpi": "none"' "$TMP/straight/manifest.json"; then
    mpirun "${mpi_flags[@]}" "${study[@]}" --threads 1 -o "$TMP/mpi" >"$TMP/mpi.log" 2>&1 &
    launcher=$!
    for _ in $(seq 1 600); do [[ "$(rows "$TMP/mpi")" -ge 100 ]] && break; sleep 0.05; done
    rank1=""
    for pid in $(pgrep -f "$TMP/mpi" || true); do
        tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1' && rank1=$pid
    done
    check "MPI: rank 1 found" test -n "$rank1"
    [[ -z "$rank1" ]] || kill -KILL "$rank1"
    status=0
    timeout 60 tail --pid="$launcher" -f /dev/null || true
    wait "$launcher" || status=$?
    check "MPI: mpirun exits non-zero when a rank is killed ($status)" test "$status" -ne 0
    check "... the manifest says running" status_is "$TMP/mpi" running
    check "... --resume on one process exits 0" logged "$TMP/mpi.resume.log" "${study[@]}" --resume -o "$TMP/mpi"
    check "... and equals the straight run" same_as_straight "$TMP/mpi"
else
    echo "skip - MPI rank killed (cartsim built without MPI or no mpirun)"
fi

show_logs_on_failure 5 "$TMP"/*.log
finish
