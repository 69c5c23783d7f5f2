#!/usr/bin/env bash
# Validation of the shipped presets, on validation patients (each study's validation seeds):
# - the full validation (500 patients per arm): every calibrated target with a source-backed band inside
#   (exit 0), or exit 1 naming only calibrated misses that README.md reports as misses (its line
#   "Calibrated misses on the first validation seed: ..."), and the counts per status it prints are the
#   counts README.md and model/CALIBRATION.md quote;
# - the CI-sized validation (150 patients per arm, the same validation seeds) runs and writes its tables
#   (a calibrated target near its band edge may leave it by chance at that size: exit 1 then names it,
#   so only the full validation is the gate);
# - the tables: every trial of the target table has rows, input checks only in input_checks.csv,
#   `inside` true exactly when the value lies in a source-backed band;
# - --seeds 2 writes verdicts.csv; --parameter-draws widens the model's intervals;
# - --leave-one-out on a reduced size (two trials, small cohorts) writes loo.csv with its columns.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
contains() { grep -qF -- "$2" "$1"; }

full_status=0
"$CARTSIM" validate --threads 2 -o "$TMP/full" >"$TMP/full.log" 2>&1 || full_status=$?
grep -A30 -F "calibrated target" "$TMP/full.log" | grep -F "band [" | sed 's/^/    /' || true
check "cartsim validate (500 per arm): exit 0, or 1 naming only the calibrated misses README.md reports" "$PYTHON" -c '
import re, sys
status, log, readme = int(sys.argv[1]), open(sys.argv[2]).read(), open(sys.argv[3]).read()
if status == 0: sys.exit(0)
if status != 1: sys.exit(f"  exit {status}")
named = re.findall(r"^  (.+?) \(.+?\): model .* band \[", log, re.M)
reported = re.search(r"Calibrated misses on the first validation seed: ([^.]+)\.", readme)
if not named: sys.exit("  exit 1 without a named miss")
missing = [n for n in named if not reported or n not in reported.group(1)]
sys.exit(f"  misses README.md does not report: {missing}") if missing else None
' "$full_status" "$TMP/full.log" "$SOURCE_DIR/README.md"
counts="$(cat "$TMP/full/counts.txt")"
echo "    $counts"
check "the printed counts are counts.txt" contains "$TMP/full.log" "$counts"
check "README.md quotes the counts cartsim validate prints" contains "$SOURCE_DIR/README.md" "$counts"
check "model/CALIBRATION.md quotes the same counts" contains "$SOURCE_DIR/model/CALIBRATION.md" "$counts"
# The Status section repeats the counts in words, and the leave-one-out figures: they must agree with the
# counts line and with the leave-one-out paragraph (whose parts must add up).
check "README.md's Status and leave-one-out paragraphs agree with the counts and with each other" "$PYTHON" -c '
import re, sys
counts, text = sys.argv[1], " ".join(open(sys.argv[2]).read().split())
cal = re.search(r"calibrated (\d+) of (\d+) inside; independent (\d+) of (\d+) inside", counts).groups()
status = re.search(r"The full validation puts (\d+) of (\d+) calibrated and (\d+) of (\d+) independent", text)
if not status or status.groups() != cal: sys.exit(f"  Status says {status and status.groups()}, the counts {cal}")
loo = re.search(r"\*\*(\d+) of (\d+) left-out targets land inside their bands \((\d+)%\)\*\*: (\d+) of (\d+) targets "
                r"that the full fit calibrates, (\d+) of (\d+) independent", text)
if not loo: sys.exit("  no leave-one-out headline")
inside, total, pct, ci, ct, ii, it = map(int, loo.groups())
if ci + ii != inside or ct + it != total or round(100 * inside / total) != pct or ct != int(cal[1]) or it != int(cal[3]):
    sys.exit(f"  the leave-one-out parts do not add up: {loo.groups()}")
if f"leave-one-trial-out prediction {inside} of {total} left-out targets" not in text:
    sys.exit("  Status quotes another leave-one-out figure")
' "$counts" "$SOURCE_DIR/README.md"

status=0
"$CARTSIM" validate --size 150 --threads 2 -o "$TMP/out" >"$TMP/ci.log" 2>&1 || status=$?
grep -A30 -F "calibrated target" "$TMP/ci.log" | grep -F "band [" | sed 's/^/    /' || true
check "cartsim validate --size 150 (validation seeds) runs: exit 0, or 1 naming a calibrated miss" \
    test "$status" -eq 0 -o \( "$status" -eq 1 -a -n "$(grep -F 'outside the band' "$TMP/ci.log")" \)
check "validation.csv and input_checks.csv written" test -s "$TMP/out/validation.csv" -a -s "$TMP/out/input_checks.csv"
check "the CI-sized run draws the first validation seed" \
    "$PYTHON" -c 'import sys; t=open(sys.argv[1]).read(); sys.exit("seed: 120000" not in t)' "$TMP/out/karmma/scenario.yaml"
check "every trial of the target table has rows" "$PYTHON" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]))) + list(csv.DictReader(open(sys.argv[2])))
trials = {r["trial"] for r in rows}
need = ["KarMMa", "KarMMa-3", "CARTITUDE-1", "CARTITUDE-4", "MajesTEC-1", "MagnetisMM-3", "MonumenTAL-1",
        "meta-analysis", "review of trials", "Da Via 2021", "Ghermezi 2017", "Li 2023", "Durie-Salmon", "Perica 2023"]
missing = [t for t in need if t not in trials]
print("    missing:", missing) if missing else None
sys.exit(bool(missing) or len(rows) < 45)' "$TMP/out/validation.csv" "$TMP/out/input_checks.csv"
check "input checks appear only in input_checks.csv" "$PYTHON" -c '
import csv, sys
v = list(csv.DictReader(open(sys.argv[1]))); i = list(csv.DictReader(open(sys.argv[2])))
sys.exit(not i or any(r["status"] == "input_check" for r in v) or any(r["status"] != "input_check" for r in i))' \
    "$TMP/out/validation.csv" "$TMP/out/input_checks.csv"
check "inside is true exactly when the model value lies in a source-backed band" "$PYTHON" -c '
import csv, sys
for f in sys.argv[1:]:
    for r in csv.DictReader(open(f)):
        v = r["model_value"]
        inside = v != "" and r["assumed_band"] == "false" and float(r["band_low"]) <= float(v) <= float(r["band_high"])
        if (r["inside"] == "true") != inside:
            print("    wrong inside:", r["quantity"]); sys.exit(1)' "$TMP/out/validation.csv" "$TMP/out/input_checks.csv"

# --- Several validation seeds ---------------------------------------------------------------------------
study="$SOURCE_DIR/scenarios/validation/majestec-1.yaml"
# At 40 patients a calibrated subgroup target (7 or so patients with extramedullary disease) may leave its
# band by chance: exit 1 naming it is then the documented answer.
exit_0_or_named_miss() {  # exit_0_or_named_miss LOG CMD...: exit 0, or 1 with a named calibrated miss
    local log="$1" status=0
    shift
    "$@" >"$log" 2>&1 || status=$?
    test "$status" -eq 0 -o \( "$status" -eq 1 -a -n "$(grep -F 'outside the band' "$log")" \)
}
check "--seeds 2 exits 0 (or 1 naming a calibrated miss)" exit_0_or_named_miss "$TMP/seeds.log" \
    "$CARTSIM" validate "$study" --size 40 --seeds 2 --threads 2 -o "$TMP/seeds"
check "--seeds 2 runs the second validation seed" test -s "$TMP/seeds/majestec-1.seed430000/patients.csv"
check "verdicts.csv: each target's value at both seeds and whether it flips" "$PYTHON" -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
need = {"id", "value_seed1", "inside_seed1", "value_seed2", "inside_seed2", "flips"}
ok = len(r) == 7 and need <= set(r[0])
ok = ok and all((x["flips"] == "true") == (x["counted"] == "true" and x["inside_seed1"] != x["inside_seed2"]) for x in r)
sys.exit(not ok)' "$TMP/seeds/verdicts.csv"
cp "$TMP/seeds/majestec-1/patients.csv" "$TMP/seeds-before.csv"
check "validate --resume keeps studies that finished before (exit 0, or 1 naming a calibrated miss)" \
    exit_0_or_named_miss "$TMP/seeds-resume.log" "$CARTSIM" validate "$study" --size 40 --seeds 2 --threads 2 -o "$TMP/seeds" --resume
check "... saying so, and leaving their results" cmp -s "$TMP/seeds/majestec-1/patients.csv" "$TMP/seeds-before.csv"
status=0
"$CARTSIM" validate "$study" --set cohort.seed=4 -o "$TMP/noseed" >/dev/null 2>"$TMP/noseed.err" || status=$?
check "validate refuses --set cohort.seed (exit 2)" test "$status" -eq 2

# --- Parameter uncertainty in the model's intervals ------------------------------------------------------
spec="$SOURCE_DIR/scenarios/calibration/bispecifics.yaml"
check "a small uncertainty for the bispecifics fit" \
    logged "$TMP/unc.log" "$CARTSIM" calibrate "$spec" --size 20 --max-evaluations 2 --uncertainty 10 --threads 2 -o "$TMP/unc"
check "--parameter-draws 3 exits 0 (or 1 naming a calibrated miss)" exit_0_or_named_miss "$TMP/draws.log" \
    "$CARTSIM" validate "$study" --size 40 --threads 2 \
    --parameter-draws 3 --uncertainty "$TMP/unc/uncertainty.yaml" -o "$TMP/draws"
check "--parameter-draws: intervals include the parameters' uncertainty and are no narrower" "$PYTHON" -c '
import csv, sys
plain = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]))}
drawn = list(csv.DictReader(open(sys.argv[2])))
ok = all("CI includes parameter uncertainty (3 draws" in r["note"] for r in drawn if r["model_value"])
def width(r):  # an end the data do not reach (a median not reached) leaves the interval open
    return float(r["model_ci_high"]) - float(r["model_ci_low"]) if r["model_ci_low"] and r["model_ci_high"] else float("inf")
# An open interval stays open (inf >= inf); a closed one may only widen or open.
ok = ok and all(width(r) >= width(plain[r["id"]]) - 1e-9 for r in drawn if r["model_value"])
sys.exit(not ok)' "$TMP/seeds/validation.csv" "$TMP/draws/validation.csv"

# --- Leave-one-trial-out, reduced ----------------------------------------------------------------------
check "--leave-one-out on two trials, small cohorts, exits 0" logged "$TMP/loo.log" "$CARTSIM" validate \
    "$study" "$SOURCE_DIR/scenarios/validation/magnetismm-3.yaml" --leave-one-out --calibrations "$spec" \
    --loo-evaluations 3 --loo-size 30 --size 40 --threads 2 -o "$TMP/loo"
check "loo.csv has the documented columns" "$PYTHON" -c '
import csv, sys
h = next(csv.reader(open(sys.argv[1])))
sys.exit(h != ["fold","trial","id","quantity","status","counted","clinical_value","band_low","band_high","predicted","ci_low","ci_high","inside","note"])' "$TMP/loo/loo.csv"
check "loo.csv: one fold per trial, each predicting its own targets" "$PYTHON" -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
folds = {x["fold"] for x in r}
sys.exit(not(folds == {"MajesTEC-1", "MagnetisMM-3"} and len(r) == 10 and all(x["fold"] == x["trial"] for x in r)))' "$TMP/loo/loo.csv"
check "loo_parameters.csv: the refitted attrition rate in each fold, the access at its prior without MajesTEC-1" "$PYTHON" -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
attrition = [x for x in r if "bispecific_attrition" in x["parameter"]]
access = {x["fold"]: x["held_at_prior"] for x in r if "effector_access" in x["parameter"]}
sys.exit(not(len(r) == 4 and len(attrition) == 2 and all(x["held_at_prior"] == "false" for x in attrition)
             and access == {"MajesTEC-1": "true", "MagnetisMM-3": "false"}))' "$TMP/loo/loo_parameters.csv"
check "the headline share is printed" contains "$TMP/loo.log" "left-out targets inside their bands:"

show_logs_on_failure 20 "$TMP/full.log" "$TMP/ci.log" "$TMP/loo.log"
finish
