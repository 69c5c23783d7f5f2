#!/usr/bin/env bash
# `cartsim report` from the command line (the pages themselves are tested in Chromium by
# tests/browser/report.mjs): the default file is FOLDER/report.html, written whole; the page is
# self-contained (Chart.js, script, style and data inlined; no address to fetch); a folder without
# results, or with an unfinished study, is refused with exit 2 and nothing is written.
# Environment (set by CTest): CARTSIM, SOURCE_DIR.
set -euo pipefail
: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

"$CARTSIM" run "$SOURCE_DIR/scenarios/examples/idecel-single-patient.yaml" -o "$TMP/run" -q --set horizon_days=60
check "report writes FOLDER/report.html by default" logged "$TMP/report.log" "$CARTSIM" report "$TMP/run"
self_contained() {
    local page="$TMP/run/report.html"
    grep -q '<script type="application/json" id="cartsim-data">' "$page" && grep -q 'Chart.js v3' "$page" &&
        grep -q 'document.body.dataset.ready' "$page" &&
        ! grep -Eq '(src|href)="(https?:)?//' "$page" && ! grep '<link ' "$page" | grep -vq 'href="data:' &&
        [[ "$(ls -A "$TMP/run" | grep -c '^\.')" -eq 0 ]]  # no temporary left
}
check "the page inlines Chart.js, its script and its data, and names no address" self_contained
check "the data are escaped for a script element (no '</' inside it)" \
    bash -c 'sed -n "/id=\"cartsim-data\">/,/<\/script>/p" "$1" | head -1 | sed "s/<\/script>\$//" | grep -vq "</"' _ "$TMP/run/report.html"
mkdir -p "$TMP/empty"
refused() {
    "$CARTSIM" report "$1" > "$TMP/refused.out" 2>&1 && return 1
    [[ $? -eq 2 ]] && grep -q "$2" "$TMP/refused.out" && [[ ! -e "$1/report.html" ]]
}
check "a folder without results is refused (exit 2)" refused "$TMP/empty" "no validation.csv, patients.csv"
mkdir -p "$TMP/unfinished"
printf '{"status": "interrupted"}\n' > "$TMP/unfinished/manifest.json"
printf 'patient,arm\n' > "$TMP/unfinished/patients.csv"
check "an unfinished study is refused (exit 2)" refused "$TMP/unfinished" "interrupted, not finished"
check "a missing folder is refused (exit 2)" refused "$TMP/missing" "no validation.csv"
finish
