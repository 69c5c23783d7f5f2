#!/usr/bin/env bash
# The CI-sized validation: every shipped validation study at 150 virtual patients per arm. Fails when
# a calibrated target (one marked `calibrated: true` without a `known_miss`) leaves its band, so a
# change to the model or a preset that undoes the calibration turns CI red. Also checks that the
# table covers every trial of ../shared/TARGETS.md and has the issue's columns.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

check "cartsim validate --size 150: every calibrated target inside its band (exit 0)" \
    logged "$TMP/validate.log" "$CARTSIM" validate --size 150 --threads 2 -o "$TMP/out"
grep -F "calibrated target" "$TMP/validate.log" | sed 's/^/    /' || true
grep -A30 -F "calibrated target" "$TMP/validate.log" | grep -F "band [" | sed 's/^/    /' || true
check "validation.csv written" test -s "$TMP/out/validation.csv"
check "every trial of TARGETS.md has rows" "$PYTHON" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
trials = {r["trial"] for r in rows}
need = ["KarMMa", "KarMMa-3", "CARTITUDE-1", "CARTITUDE-4", "MajesTEC-1", "MagnetisMM-3", "MonumenTAL-1",
        "meta-analysis", "review of trials", "Da Via 2021", "Ghermezi 2017", "Li 2023", "Durie-Salmon"]
missing = [t for t in need if t not in trials]
print("    missing:", missing) if missing else None
sys.exit(bool(missing) or len(rows) < 45)' "$TMP/out/validation.csv"
check "inside is true exactly when the model value lies in the band" "$PYTHON" -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    v = r["model_value"]
    inside = v != "" and float(r["band_low"]) <= float(v) <= float(r["band_high"])
    if (r["inside"] == "true") != inside:
        print("    wrong inside:", r["quantity"]); sys.exit(1)' "$TMP/out/validation.csv"

finish
