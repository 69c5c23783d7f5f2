#!/usr/bin/env bash
# CTest runs each doctest case by name (doctest_discover_tests). CMake cuts a name at ';' (its list
# separator), so such a case is registered under a name that matches no case, and doctest then runs
# nothing and exits 0: the test passes without running. This check fails on any such name, so every
# unit test really runs in CI. (Commas are escaped by doctest's discovery and are fine.)
set -euo pipefail
bin=${1:?usage: check_test_names.sh path/to/cartsim-tests}
names=$("$bin" --list-test-cases --no-version | grep -v '^\[doctest\]' | grep -v '^=====')
count=$(printf '%s\n' "$names" | grep -c .)
bad=$(printf '%s\n' "$names" | grep ';' || true)
if [[ -n "$bad" ]]; then
    echo "test case names that CTest cannot select (avoid ';'):" >&2
    printf '  %s\n' "$bad" >&2
    exit 1
fi
if (( count < 100 )); then
    echo "only $count test cases listed; the listing format may have changed" >&2
    exit 1
fi
echo "$count test case names, all selectable by CTest"
