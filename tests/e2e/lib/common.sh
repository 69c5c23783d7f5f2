# Shared by the end-to-end scripts: a temporary folder removed on exit, and a `check` that counts.
# Source it after `set -euo pipefail`; end the script with `finish`.

TMP="$(mktemp -d)"
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

passed=0
failed=0
failed_cases=()  # the description of each failed check up to its first colon
check() {  # check DESCRIPTION COMMAND...
    local description="$1"
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok   - $description"
    else
        failed=$((failed + 1))
        failed_cases+=("${description%%:*}")
        echo "FAIL - $description"
        if [[ "$1" == logged ]]; then tail -n 5 "$2" | sed 's/^/    /'; fi
    fi
}

logged() {  # logged LOGFILE COMMAND...: run COMMAND with its output in LOGFILE
    local log="$1"
    shift
    "$@" >"$log" 2>&1
}

finish() {  # the closing line CTest logs read, and the exit status
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
