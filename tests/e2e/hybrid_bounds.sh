#!/usr/bin/env bash
# Bounds on hybrid work and memory and the per-run wall-time limit (issue 20, defect 3):
# - no shipped example, lesson or study meets a hybrid bound (studies at 10 patients per arm or point,
#   with the hybrid switched on where they ship it off), and the peaks leave a margin;
# - a run whose agents outgrow hybrid.max_agents exits 1 with a message naming the key and writes nothing;
# - lineage records beyond hybrid.max_lineages are pooled (founding_events) and the run's numbers stay
#   the same;
# - --run-time-limit: runs over it are error rows and the study goes on; a generous limit changes nothing.
# Environment (set by CTest): CARTSIM, SOURCE_DIR, PYTHON.
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# bounds_zero FOLDER: summary.json or patients.csv reports no bound hit and no error; prints the peaks.
bounds_zero() {
    "$PYTHON" - "$1" <<'EOF'
import csv, json, sys
from pathlib import Path
folder = Path(sys.argv[1])
keys = ("agent_bound_hits", "lineage_bound_hits", "peak_agents", "lineage_records")
if (folder / "patients.csv").exists():
    rows = list(csv.DictReader(open(folder / "patients.csv")))
    errors = [r["error"] for r in rows if r["error"]]
    if errors:
        print(f"    {len(errors)} error rows, first: {errors[0][:200]}")
        sys.exit(1)
    worst = {k: max(int(r[k]) for r in rows) for k in keys}
else:
    summary = json.load(open(folder / "summary.json"))
    worst = {k: summary[k] for k in keys}
print(f"    {folder.name}: " + ", ".join(f"{k} {v}" for k, v in worst.items()))
sys.exit(1 if worst["agent_bound_hits"] or worst["lineage_bound_hits"] else 0)
EOF
}

for file in "$SOURCE_DIR"/scenarios/examples/*.yaml "$SOURCE_DIR"/scenarios/lessons/*.yaml; do
    name="$(basename "$file" .yaml)"
    threads=()
    grep -qE '^(arms|cohort|sweep):' "$file" && threads=(--threads 2)
    check "$name (as shipped) runs" logged "$TMP/$name.log" "$CARTSIM" run "$file" -q "${threads[@]}" -o "$TMP/$name"
    check "$name: no hybrid bound met" bounds_zero "$TMP/$name"
done
for file in "$SOURCE_DIR"/scenarios/studies/*.yaml "$SOURCE_DIR"/scenarios/validation/*.yaml; do
    name="$(basename "$file" .yaml)"
    check "$name (hybrid on, 10 patients) runs" logged "$TMP/$name.log" "$CARTSIM" run "$file" -q --threads 2 \
        --set hybrid.enabled=true --set cohort.size=10 -o "$TMP/study-$name"
    check "$name: no hybrid bound met, no error row" bounds_zero "$TMP/study-$name"
done

cat >"$TMP/fast.yaml" <<'EOF'
name: fast-small-tumour
description: 500 tumour cells as agents growing at 0.5/day, synchronised every 10 days at most
horizon_days: 60
patient:
  tumour:
    initial_cells: 500
    growth_rate_per_day: 0.5
hybrid: {to_agents_below_cells: 1000, to_ode_above_cells: 1000000, max_sync_days: 10, max_agents: 600}
mechanisms: {cytokine_space: false}   # its level moves as T cells recover and keeps the ODE steps short
EOF
status=0
"$CARTSIM" run "$TMP/fast.yaml" -q -o "$TMP/over" 2>"$TMP/over.err" || status=$?
check "agents past twice hybrid.max_agents between synchronisations: exit 1" test "$status" -eq 1
check "... the message names the key and the day" \
    grep -qE "grew to [0-9]+ between two synchronisations \(by day [0-9.]+\), more than twice hybrid.max_agents = 600" \
    "$TMP/over.err"
check "... and nothing is written" test ! -e "$TMP/over"
check "... the same tumour under a bound it fits runs" logged "$TMP/fits.log" \
    "$CARTSIM" run "$TMP/fast.yaml" --set hybrid.max_agents=2000000 -q -o "$TMP/fits"

ESCAPE="$SOURCE_DIR/scenarios/examples/antigen-escape.yaml"

check "max_lineages 100: runs" logged "$TMP/pool.log" "$CARTSIM" run "$ESCAPE" --set horizon_days=120 \
    --set hybrid.max_lineages=100 -q -o "$TMP/pool"
check "... unbounded: runs" logged "$TMP/free.log" "$CARTSIM" run "$ESCAPE" --set horizon_days=120 -q -o "$TMP/free"
check "... the time series is the same" cmp "$TMP/pool/timeseries.csv" "$TMP/free/timeseries.csv"
check "... lineage.csv has 101 records, the last pooling every later founding event" "$PYTHON" - "$TMP" <<'EOF'
import csv, json, sys
tmp = sys.argv[1]
pool = list(csv.DictReader(open(f"{tmp}/pool/lineage.csv")))
free = list(csv.DictReader(open(f"{tmp}/free/lineage.csv")))
hits = json.load(open(f"{tmp}/pool/summary.json"))["lineage_bound_hits"]
ok = (len(pool) == 101 and sum(int(r["founding_events"]) for r in pool) == len(free)
      and int(pool[-1]["founding_events"]) == hits == len(free) - 100 and pool[-1]["founding_cell_id"] == "")
print(f"    {len(pool)} records, {len(free)} unbounded, {hits} bound hits")
sys.exit(0 if ok else 1)
EOF

SEQUENCING="$SOURCE_DIR/scenarios/studies/sequencing-cart-vs-bispecific.yaml"
small=(--set cohort.size=6 --set horizon_days=365 --threads 2 -q)
check "a study with no time limit runs" logged "$TMP/nolimit.log" "$CARTSIM" run "$SEQUENCING" "${small[@]}" -o "$TMP/nolimit"
check "... with a generous --run-time-limit the rows are the same" logged "$TMP/limit.log" \
    "$CARTSIM" run "$SEQUENCING" "${small[@]}" --run-time-limit 600 -o "$TMP/limit"
check "... (patients.csv sorted)" cmp <(sort "$TMP/nolimit/patients.csv") <(sort "$TMP/limit/patients.csv")
status=0
"$CARTSIM" run "$SEQUENCING" "${small[@]}" --run-time-limit 1e-6 -o "$TMP/tiny" 2>"$TMP/tiny.err" || status=$?
check "a limit every run exceeds: the study still finishes (exit 1: runs failed)" test "$status" -eq 1
check "... with one error row per run naming the limit" "$PYTHON" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sys.exit(0 if len(rows) == 18 and all("wall-time limit of 1e-06 s" in r["error"] for r in rows) else 1)' \
    "$TMP/tiny/patients.csv"
check "... and the manifest says finished" grep -q '"status": "finished"' "$TMP/tiny/manifest.json"
status=0
"$CARTSIM" run "$ESCAPE" --run-time-limit 1e-6 -q -o "$TMP/single" 2>"$TMP/single.err" || status=$?
check "a single run over its limit: exit 1, nothing written" test "$status" -eq 1 -a ! -e "$TMP/single"
check "... the message names --run-time-limit" grep -q "wall-time limit of 1e-06 s (--run-time-limit)" "$TMP/single.err"
status=0
"$CARTSIM" run "$ESCAPE" --run-time-limit -1 -q -o "$TMP/negative" 2>"$TMP/negative.err" || status=$?
check "a negative --run-time-limit is refused (exit 2)" test "$status" -eq 2
finish
