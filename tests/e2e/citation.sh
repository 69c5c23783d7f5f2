#!/usr/bin/env bash
# LICENSE and CITATION.cff (issue 19, item 5): the licence is the Apache License 2.0, the citation file
# is valid CFF 1.2.0 with its required keys, names "The cartsim developers", and carries the version
# of the CMake project and of `cartsim --version`.
# Environment (set by CTest): CARTSIM, SOURCE_DIR, PYTHON.
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

check "LICENSE is the Apache License, Version 2.0" \
    bash -c 'head -5 "$1" | grep -q "Apache License" && head -5 "$1" | grep -q "Version 2.0, January 2004"' _ \
    "$SOURCE_DIR/LICENSE"
"$CARTSIM" --version >"$TMP/version" 2>&1 || true
check "CITATION.cff: CFF 1.2.0 with message, title, authors (The cartsim developers), licence and the project's version" \
    "$PYTHON" - "$SOURCE_DIR" "$TMP/version" <<'PY'
import re, sys, yaml
root = sys.argv[1]
cff = yaml.safe_load(open(f"{root}/CITATION.cff"))
assert cff["cff-version"] == "1.2.0", cff.get("cff-version")
for key in ("message", "title", "authors", "version", "license"):
    assert cff.get(key), f"missing {key}"
assert {"name": "The cartsim developers"} in cff["authors"], cff["authors"]
assert cff["license"] == "Apache-2.0"
project = re.search(r"project\(cartsim VERSION ([0-9.]+)", open(f"{root}/CMakeLists.txt").read()).group(1)
assert str(cff["version"]) == project, (cff["version"], project)
assert project in open(sys.argv[2]).read(), "cartsim --version does not print the project version"
PY
finish
