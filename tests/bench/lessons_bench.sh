#!/usr/bin/env bash
# Wall time of each teaching lesson (figures, not a test; the target is under 2 s per `cartsim run`):
# `cartsim run` on one thread, best and mean of REPEATS runs, and one plots/plot_lesson.py (which for a
# lesson with arms includes re-running each arm as a single patient).
# Usage: bash tests/bench/lessons_bench.sh [BUILD_DIR] [REPEATS]   (defaults: build, 10)
set -euo pipefail
SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SOURCE_DIR/build}"
REPEATS="${2:-10}"
CARTSIM="$BUILD/src/cli/cartsim"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

seconds() {  # seconds COMMAND...: wall seconds of COMMAND, its output discarded
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

printf "%-30s %10s %10s %12s\n" lesson "run best" "run mean" "plot"
for file in "$SOURCE_DIR"/scenarios/lessons/*.yaml; do
    lesson="$(basename "$file" .yaml)"
    threads=()
    grep -q '^arms:' "$file" && threads=(--threads 1)  # a study; a single run takes no --threads
    times=()
    for ((i = 0; i < REPEATS; i++)); do
        times+=("$(seconds "$CARTSIM" run "$file" -o "$TMP/$lesson" -q "${threads[@]}")")
    done
    plot=$(CARTSIM="$CARTSIM" seconds /usr/bin/python3 "$SOURCE_DIR/plots/plot_lesson.py" "$TMP/$lesson")
    printf "%s\n" "${times[@]}" | awk -v name="$lesson" -v plot="$plot" '
        NR == 1 || $1 < best { best = $1 }
        { total += $1 }
        END { printf "%-30s %9.3fs %9.3fs %11.2fs\n", name, best, total / NR, plot }'
done
