#!/usr/bin/env bash
# The build's check for std::*_distribution (cmake/NoStdDistributions.cmake) passes on this tree and
# fails, naming the file and line, on a tree that uses one.
# Usage: no_std_distributions.sh CMAKE SOURCE_DIR
set -euo pipefail
cmake_bin="$1"
root="$2"
script="$root/cmake/NoStdDistributions.cmake"
"$cmake_bin" -DROOT="$root" -P "$script"
bad="$(mktemp -d)"
trap 'rm -rf "$bad"' EXIT
mkdir -p "$bad/src/simulate"
echo '    std::normal_distribution<double> noise;' >"$bad/src/simulate/x.cpp"
if "$cmake_bin" -DROOT="$bad" -P "$script" 2>"$bad/err"; then
    echo "FAIL: the check passed a tree with std::normal_distribution"
    exit 1
fi
grep -q "src/simulate/x.cpp: std::normal_distribution<double> noise;" "$bad/err" ||
    { echo "FAIL: the message does not name the file and line:"; cat "$bad/err"; exit 1; }
echo "ok: the check passes this tree and refuses one with a std:: distribution"
