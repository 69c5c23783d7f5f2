#!/usr/bin/env bash
# End-to-end test of the output naming contract (src/io/column_names.hpp, README "Output files"):
# every CSV that run, run --replicates, a trial, a sweep (with drawn and swept parameters and an
# arm's own value), validate and calibrate write has column names of lowercase letters, digits and
# underscores (dots only in parameter columns), starting with a letter, never two alike; R's
# read.csv (check.names = TRUE) keeps every name unchanged, and pandas-style readers see the same
# header. Per-line columns are line<k>_..., and the trial endpoints are pfs, pfs2, ttnt and os.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
S="$SOURCE_DIR/scenarios"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

check "run exits 0" logged "$TMP/run.log" "$CARTSIM" run "$S/examples/antigen-escape.yaml" -o "$TMP/run"
check "replicates exit 0" logged "$TMP/rep.log" "$CARTSIM" run "$S/examples/idecel-single-patient.yaml" --replicates 2 \
    --set horizon_days=120 -o "$TMP/rep"
check "trial exits 0" logged "$TMP/trial.log" "$CARTSIM" run "$S/studies/sequencing-cart-vs-bispecific.yaml" \
    --set cohort.size=3 --set horizon_days=400 -o "$TMP/trial"
check "sweep exits 0" logged "$TMP/sweep.log" "$CARTSIM" run "$S/studies/escape-sweep.yaml" \
    --set cohort.size=2 --set horizon_days=200 --set hybrid.enabled=false -o "$TMP/sweep"
check "validate exits 0 or 1" bash -c '"$1" validate "$2" --size 12 -o "$3" -q > "$3.log" 2>&1; [ $? -le 1 ]' _ \
    "$CARTSIM" "$S/validation/karmma.yaml" "$TMP/validate"
cat > "$TMP/cal.yaml" <<YAML
name: contract
studies: [$S/validation/karmma.yaml]
cohort_size: 8
parameters:
  - {file: $S/products/ide-cel.yaml, key: expansion_rate_per_day, low: 0.3, high: 2.0, scale: log,
     prior: 0.8, prior_source: "test", informed_by: [karmma-orr]}
method: {max_evaluations: 3}
YAML
check "calibrate exits 0" logged "$TMP/cal.log" "$CARTSIM" calibrate "$TMP/cal.yaml" -o "$TMP/cal" --threads 2

mapfile -t files < <(find "$TMP/run" "$TMP/rep" "$TMP/trial" "$TMP/sweep" "$TMP/validate" "$TMP/cal" -name '*.csv' | sort)
check "at least 10 CSV files written ($(echo ${#files[@]}))" test "${#files[@]}" -ge 10
check "every header follows the contract: lowercase, digits, underscores, dots only in parameter paths, distinct" \
    "$PYTHON" -c '
import csv, re, sys
rule = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
bad = []
for path in sys.argv[1:]:
    header = next(csv.reader(open(path)))
    for name in header:
        if not rule.match(name): bad.append(f"{path}: {name!r}")
    if len(set(header)) != len(header): bad.append(f"{path}: repeated names")
sys.exit("\n".join("  " + b for b in bad[:20])) if bad else None
' "${files[@]}"
check "R read.csv keeps every column name (check.names changes none)" Rscript -e '
bad <- character(0)
for (f in commandArgs(trailingOnly = TRUE)) {
  raw <- names(read.csv(f, check.names = FALSE, nrows = 1))
  checked <- names(read.csv(f, check.names = TRUE, nrows = 1))
  if (!identical(raw, checked)) bad <- c(bad, paste(f, paste(raw[raw != checked], collapse = " ")))
}
if (length(bad)) { cat(bad, sep = "\n"); quit(status = 1) }
' "${files[@]}"
check "trial patients.csv: trial endpoints and per-line columns by the contract" "$PYTHON" -c '
import csv, sys
header = next(csv.reader(open(sys.argv[1])))
need = ["pfs_days", "pfs_event", "pfs2_days", "ttnt_days", "os_days", "line1_pfs_days", "line2_pfs_days",
        "line2_dor_days", "line1_prog_bcma_status", "line2_prog_gprc5d_median_molecules_per_cell"]
missing = [n for n in need if n not in header]
sys.exit(f"  missing {missing}") if missing else None
' "$TMP/trial/patients.csv"
check "sweep: a swept path is one column named by its path, in patients.csv and sweep.csv" "$PYTHON" -c '
import csv, sys
for path in sys.argv[1:]:
    header = next(csv.reader(open(path)))
    if "regimen.cart.therapies.ide_cel.dose_cells" not in header: sys.exit(f"  {path}: {header[:6]}")
' "$TMP/sweep/patients.csv" "$TMP/sweep/sweep.csv"

finish
