#!/usr/bin/env bash
# The samplers' known-answer draws (tests/solvers/agents/sampler_kat.hpp) compiled with clang and
# libc++ instead of GCC and libstdc++: a sampler whose algorithm came from the standard library would
# draw differently here. Needs Debian's clang and libc++-14-dev (installed by .ci/install-deps).
# Usage: libcxx.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir="$1"
out="$2/kat-libcxx"
clang++ -std=c++20 -stdlib=libc++ -O2 -I"$source_dir" \
    "$source_dir/tests/samplers/kat_main.cpp" \
    "$source_dir/solvers/agents/random_counts.cpp" "$source_dir/solvers/agents/counter_rng.cpp" -o "$out"
# Built against libc++, not libstdc++. ldd's output is read whole first: piped into grep -q under
# pipefail, ldd could be cut off by SIGPIPE when grep stops at its first match, and the check failed
# now and then (status 141) though the binary was right.
libs="$(ldd "$out")"
grep -q 'libc++\.so' <<<"$libs" || { echo "FAIL: $out is not linked against libc++"; exit 1; }
! grep -q 'libstdc++' <<<"$libs" || { echo "FAIL: $out is linked against libstdc++"; exit 1; }
"$out"
