#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 600), all at once (one
# process per target). Usage: bash tests/fuzz/run.sh [SECONDS] [BUILD_DIR]   (BUILD_DIR: build-fuzz)
#
# Seeds: the shipped scenarios (copied, and as --set lines, with a dictionary of their keys, made by
# prepare_corpus.py into BUILD_DIR/fuzz-run) and the committed findings in tests/fuzz/corpus/<target>.
# What a run learns is kept in BUILD_DIR/fuzz-run/corpus/<target> for the next run (delete it to start
# over). Exits 1 on any crash, sanitizer report, leak, timeout (-timeout=10 s an input) or out-of-memory
# (-rss_limit_mb=2048), printing the reproducer; prints each target's executions and time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-600}"
build_dir="${2:-$root/build-fuzz}"
targets=(fuzz-scenario fuzz-override)
[[ "$seconds" =~ ^[0-9]+$ ]] && ((seconds > 0)) || { echo "usage: $0 [SECONDS] [BUILD_DIR]" >&2; exit 2; }

# -O1 with line tables only compiles faster than -O2 -g and keeps asserts on.
build_start=$SECONDS
mkdir -p "$build_dir"
CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja -DCARTSIM_FUZZ=ON -DCARTSIM_BUILD_TESTS=OFF \
    -DCARTSIM_WITH_MPI=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    > "$build_dir/configure.log" 2>&1 || { cat "$build_dir/configure.log"; exit 1; }
cmake --build "$build_dir" --parallel "$(nproc)" --target "${targets[@]}"
echo "fuzz: build took $((SECONDS - build_start)) s"

work="$build_dir/fuzz-run"
rm -rf "$work/seeds" "$work/artifacts" "$work/tmp" "$work"/*.log "$work"/*.dict
mkdir -p "$work/tmp"
/usr/bin/python3 "$root/tests/fuzz/prepare_corpus.py" "$root" "$work"

export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export TMPDIR="$work/tmp"  # fuzz-scenario writes each input to a file there
declare -A pids
for target in "${targets[@]}"; do
    kind="${target#fuzz-}"
    mkdir -p "$work/corpus/$target" "$work/artifacts/$target"
    "$build_dir/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
        -print_final_stats=1 -dict="$work/$kind.dict" -artifact_prefix="$work/artifacts/$target/" \
        "$work/corpus/$target" "$work/seeds/$kind" "$root/tests/fuzz/corpus/$target" > "$work/$target.log" 2>&1 &
    pids[$target]=$!
done

failed=0
for target in "${targets[@]}"; do
    status=0
    wait "${pids[$target]}" || status=$?
    log="$work/$target.log"
    final_stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
    last="$(grep -E '^#[0-9]+' "$log" | tail -1 || true)"
    cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")"
    corpus="$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<< "$last")"
    took="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")"
    echo "fuzz: $target: $(final_stat number_of_executed_units) executions in ${took:-?} s" \
        "($(final_stat average_exec_per_sec) exec/s), coverage $cov edges, corpus $corpus inputs/bytes," \
        "peak RSS $(final_stat peak_rss_mb) MB"
    artifacts=("$work/artifacts/$target"/*)
    if ((status != 0)) || [[ -e "${artifacts[0]}" ]]; then
        failed=1
        echo "fuzz: $target FAILED (exit $status); the end of its log ($log):"
        grep -vE '^(#[0-9]+|")' "$log" | tail -60
        for a in "${artifacts[@]}"; do
            [[ -e "$a" ]] || continue
            echo "fuzz: reproducer $a ($(wc -c < "$a") bytes):"
            head -c 2000 "$a" | cat -v
            echo
            echo "fuzz: rerun it with: $build_dir/tests/fuzz/$target $a"
            echo "fuzz: once fixed, keep it: cp $a $root/tests/fuzz/corpus/$target/"
        done
    fi
done
((failed == 0)) && echo "fuzz: no crashes, leaks, timeouts or out-of-memory in ${#targets[@]} targets x $seconds s"
exit "$failed"
