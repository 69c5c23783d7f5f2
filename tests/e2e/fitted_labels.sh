#!/usr/bin/env bash
# The shipped presets say truthfully which of their values are fitted:
# - every parameter a calibration spec under scenarios/calibration/ fits carries, in its preset file
#   and in each file it is copied to, a "# fitted by cartsim calibrate <spec>" comment naming that spec
#   right above the line that holds the value (the line names the key's last part);
# - no preset carries such a comment for a value no spec fits (a value fixed by hand must drop it);
# - README.md and model/CALIBRATION.md quote the number of fitted parameters the specs hold.
# The checker is also run on a copy with a stale comment and on a copy with a missing one, and must fail.
# Environment (set by CTest): SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
fails_naming() {  # fails_naming TREE TEXT: the checker exits non-zero on TREE and its report has TEXT
    if "$PYTHON" "$TMP/check.py" "$1" >"$TMP/report.log" 2>&1; then return 1; fi
    grep -qF -- "$2" "$TMP/report.log"
}

cat >"$TMP/check.py" <<'PY'
import glob, os, re, sys
import yaml

root = sys.argv[1]
cal = os.path.join(root, "scenarios", "calibration")
problems, expected = [], {}  # (preset path, spec name) -> [key last parts]
fitted = 0
for spec_path in sorted(glob.glob(os.path.join(cal, "*.yaml"))):
    spec = yaml.safe_load(open(spec_path))
    spec_file = os.path.basename(spec_path)
    for p in spec.get("parameters", []):
        fitted += 1
        # The names along the key's path; the value's line names one of them (a flow mapping or a list
        # element is written on the line of its parent key).
        names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", p["key"])
        for f in [p["file"]] + list(p.get("copies", [])):
            path = os.path.normpath(os.path.join(cal, f))
            expected.setdefault((path, spec_file), []).append((p["key"], names))

# Every "fitted by" comment in a preset, with the key on the next non-comment line.
found = {}
for path in sorted(glob.glob(os.path.join(root, "scenarios", "products", "*.yaml")) +
                   glob.glob(os.path.join(root, "scenarios", "populations", "*.yaml"))):
    lines = open(path).read().splitlines()
    for i, line in enumerate(lines):
        m = re.search(r"# fitted by cartsim calibrate (\S+\.yaml)", line)
        if not m:
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip().startswith("#"):
            j += 1
        key = re.match(r"\s*-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*:", lines[j]) if j < len(lines) else None
        found.setdefault((os.path.normpath(path), m.group(1)), []).append(
            (key.group(1) if key else "?", lines[j].strip() if j < len(lines) else "", i + 1))

# Pair each fitted parameter with a comment above a line naming a key on its path; what is left on
# either side is a problem.
for pair in sorted(set(expected) | set(found)):
    path, spec = pair
    labels = list(found.get(pair, []))
    for key, names in expected.get(pair, []):
        match = next((entry for entry in labels if entry[0] in names), None)
        if match:
            labels.remove(match)
        else:
            problems.append(f"{os.path.relpath(path, root)}: {spec} fits '{key}' but no '# fitted by cartsim calibrate {spec}' comment stands above it")
    for k, text, line in labels:
        problems.append(f"{os.path.relpath(path, root)}:{line}: says '{k}' is fitted by {spec}, which fits nothing there")

for doc, pattern in (("README.md", r"in all (\d+)\s+parameters are fitted"),
                     ("model/CALIBRATION.md", r"\*\*(\d+) parameters are fitted\*\*")):
    text = open(os.path.join(root, doc)).read()
    quoted = re.findall(pattern, text)
    if not quoted:
        problems.append(f"{doc}: no sentence quotes the number of fitted parameters ({pattern})")
    elif int(quoted[-1]) != fitted:
        problems.append(f"{doc}: quotes {quoted[-1]} fitted parameters, the specs fit {fitted}")

print(f"  {fitted} parameters fitted by {len(glob.glob(os.path.join(cal, '*.yaml')))} specs")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
PY

check "the shipped presets label exactly the fitted values, and the docs quote their number" \
    "$PYTHON" "$TMP/check.py" "$SOURCE_DIR"

# The checker must catch a stale label and a missing one (on copies of the tree's scenarios and docs).
copy() {
    rm -rf "$TMP/$1" && mkdir -p "$TMP/$1/model"
    cp -r "$SOURCE_DIR/scenarios" "$TMP/$1/scenarios"
    cp "$SOURCE_DIR/README.md" "$TMP/$1/README.md"
    cp "$SOURCE_DIR/model/CALIBRATION.md" "$TMP/$1/model/CALIBRATION.md"
}
copy stale
sed -i 's@^    lethal_burden_cells@    # fitted by cartsim calibrate cart-products.yaml (test) to karmma-os\n&@' \
    "$TMP/stale/scenarios/populations/rrmm-triple-class-exposed.yaml"
check "a value labelled fitted that no spec fits fails the check, naming it" \
    fails_naming "$TMP/stale" "says 'lethal_burden_cells' is fitted by cart-products.yaml, which fits nothing there"
copy missing
sed -i '/# fitted by cartsim calibrate crs.yaml/d' "$TMP/missing/scenarios/populations/rrmm-early-relapse.yaml"
check "a fitted value without its label fails the check, naming it" \
    fails_naming "$TMP/missing" "rrmm-early-relapse.yaml: crs.yaml fits 'patient.inflammation.crs_grade_thresholds[0]' but no"

finish
