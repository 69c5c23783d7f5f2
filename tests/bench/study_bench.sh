#!/usr/bin/env bash
# Study throughput and memory (figures, not a test): patients per second of the 3-arm sequencing study
# (ODE mode, 5 years) on 1 and 2 threads and on 2 MPI ranks, parallel efficiency, and peak memory of
# one process for cohorts of 1,000, 10,000 and 100,000 patients (one arm, 60-day horizon, so the
# cohort size and not the run length dominates).
# Usage: bash tests/bench/study_bench.sh [BUILD_DIR] [PATIENTS]   (defaults: build, 1000)
set -euo pipefail
SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SOURCE_DIR/build}"
PATIENTS="${2:-1000}"
CARTSIM="$BUILD/src/cli/cartsim"
STUDY="$SOURCE_DIR/scenarios/studies/sequencing-cart-vs-bispecific.yaml"
# ODE mode, as the figures have always been given (cartsim-bench gives the hybrid against the ODE).
ODE=(--set hybrid.enabled=false)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

seconds() {  # seconds OUT COMMAND...: wall seconds of COMMAND
    local start end
    start=$(date +%s.%N)
    "${@:2}" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

runs=$((PATIENTS * 3))
echo "sequencing study: $PATIENTS patients x 3 arms = $runs runs, 5 years, ODE mode"
t1=$(seconds x "$CARTSIM" run "$STUDY" "${ODE[@]}" --set cohort.size="$PATIENTS" --threads 1 -q -o "$TMP/t1")
t2=$(seconds x "$CARTSIM" run "$STUDY" "${ODE[@]}" --set cohort.size="$PATIENTS" --threads 2 -q -o "$TMP/t2")
printf "  1 thread : %6.1f s  %7.1f patients/s (patient = one run of one arm)\n" "$t1" "$(echo "$runs / $t1" | bc -l)"
printf "  2 threads: %6.1f s  %7.1f patients/s  parallel efficiency %.0f%%\n" "$t2" "$(echo "$runs / $t2" | bc -l)" \
    "$(echo "100 * $t1 / (2 * $t2)" | bc -l)"
if command -v mpirun >/dev/null; then
    tm=$(seconds x mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2 "$CARTSIM" run "$STUDY" "${ODE[@]}" \
        --set cohort.size="$PATIENTS" --threads 1 -q -o "$TMP/mpi")
    printf "  2 MPI ranks x 1 thread: %6.1f s  %7.1f patients/s  parallel efficiency %.0f%%\n" "$tm" \
        "$(echo "$runs / $tm" | bc -l)" "$(echo "100 * $t1 / (2 * $tm)" | bc -l)"
    cmp -s <(sort "$TMP/t1/patients.csv") <(sort "$TMP/mpi/patients.csv") && echo "  (MPI patients.csv equals 1 thread after sorting)"
fi

echo "peak memory (max RSS of the process), one arm, 60-day horizon, 2 threads:"
for n in 1000 10000 100000; do
    /usr/bin/time -f "%M %e" -o "$TMP/time" "$CARTSIM" run "$STUDY" "${ODE[@]}" --set cohort.size="$n" --set horizon_days=60 \
        --set 'arms=[{name: ide-cel, regimen: [{name: ide-cel, start: 0, therapies: [{product: ide-cel}]}]}]' \
        --threads 2 -q -o "$TMP/m$n" >/dev/null
    read -r kb wall <"$TMP/time"
    printf "  %7d patients: %6.1f MB  (%.1f s)\n" "$n" "$(echo "$kb / 1024" | bc -l)" "$wall"
done
