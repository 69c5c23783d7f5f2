#!/usr/bin/env bash
# End-to-end test of `cartsim run --replicates N`: 1 and 2 threads give byte-identical summary.json
# and replicates.csv; summary.json lists every outcome with shares summing to 1 and Wilson intervals
# around them; replicates.csv has one row per replicate with seeds base..base+N-1, and replicate 0
# matches a single run with the base seed; bad input writes nothing and exits 2; the outcome plot
# (plots/plot_replicates.py, also through `cartsim plot`) is a PNG. Chance matters in the example (two
# outcomes of at least 10% in 200 replicates), the escape share follows branching-process theory, and
# thresholds moved ten-fold keep the outcome shares.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
ESCAPE="$SOURCE_DIR/scenarios/examples/antigen-escape.yaml"
REPLICATES=20
BASE_SEED=7  # not the file's seed, so that --set seed reaches the replicates
OUTCOMES="cure ongoing_response antigen_positive_relapse antigen_low_relapse antigen_negative_relapse no_response"
OUTCOMES+=" death_without_progression error"  # src/simulate/outcome.hpp kOutcomes, then error

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

is_status() { [[ "$1" -eq "$2" ]]; }
absent() { [[ ! -e "$1" ]]; }
contains() { grep -qF -- "$2" "$1"; }
is_png() { [[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]]; }

# --- The same replicates on 1 and 2 threads -------------------------------------------------------
for threads in 1 2; do
    check "--threads $threads exits 0" logged "$TMP/t$threads.log" \
        "$CARTSIM" run "$ESCAPE" --set "seed=$BASE_SEED" --replicates "$REPLICATES" --threads "$threads" \
        -o "$TMP/t$threads"
done
for file in summary.json replicates.csv; do
    check "$file byte-identical for 1 and 2 threads" cmp "$TMP/t1/$file" "$TMP/t2/$file"
done
check "manifest.json written" test -f "$TMP/t1/manifest.json"
check "no timeseries.csv in a replicate run" absent "$TMP/t1/timeseries.csv"
check "no temporary file left behind" test -z "$(find "$TMP/t1" -name '.*' -print -quit)"

# Not a terminal: no progress line on stderr; the table of outcome shares on stdout.
check "stdout has the outcome table" contains "$TMP/t1.log" "95% CI"
check "stdout names the seeds" contains "$TMP/t1.log" "seeds $BASE_SEED..$((BASE_SEED + REPLICATES - 1))"
"$CARTSIM" run "$ESCAPE" --set "seed=$BASE_SEED" --replicates 3 -o "$TMP/quiet" -q >"$TMP/quiet.out" 2>"$TMP/quiet.err"
check "--quiet prints nothing" test ! -s "$TMP/quiet.out"
check "no progress on stderr when stdout is not a terminal" test ! -s "$TMP/quiet.err"

# --- summary.json, manifest.json, replicates.csv ----------------------------------------------------
check_outputs() {
    "$PYTHON" - "$TMP/t1" "$TMP/t2" "$REPLICATES" "$BASE_SEED" "$OUTCOMES" <<'EOF_PY'
import csv, json, math, sys
one, two, n, base, outcomes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split()
problems = []
def expect(condition, message):
    if not condition:
        problems.append(message)

s = json.load(open(f"{one}/summary.json"))
expect(list(s)[:3] == ["scenario", "replicates", "first_seed"], f"key order {list(s)}")
expect(s["replicates"] == n and s["first_seed"] == base, "replicates or first_seed")
expect(list(s["outcomes"]) == outcomes, f"outcome names {list(s['outcomes'])}")
expect(abs(sum(o["share"] for o in s["outcomes"].values()) - 1.0) < 1e-12, "shares do not sum to 1")
expect(sum(o["count"] for o in s["outcomes"].values()) == n, "counts do not sum to n")
z = 1.959963984540054
for name, o in s["outcomes"].items():
    expect(list(o) == ["count", "share", "ci_low", "ci_high"], f"{name}: keys {list(o)}")
    p = o["count"] / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    expect(abs(o["share"] - p) < 1e-15, f"{name}: share")
    expect(abs(o["ci_low"] - max(0.0, centre - half)) < 1e-12 and abs(o["ci_high"] - min(1.0, centre + half)) < 1e-12,
           f"{name}: Wilson interval {o['ci_low']}, {o['ci_high']}")

rows = list(csv.DictReader(open(f"{one}/replicates.csv")))
expect(len(rows) == n, f"{len(rows)} rows")
expect([int(r["replicate"]) for r in rows] == list(range(n)), "replicate column")
expect([int(r["seed"]) for r in rows] == list(range(base, base + n)), "seed column")
for name in outcomes:
    expect(sum(r["outcome"] == name for r in rows) == s["outcomes"][name]["count"], f"{name}: csv and json counts")
progressed = sorted(float(r["progression_day"]) for r in rows if r["progression_day"])
if progressed:
    k = len(progressed)
    median = progressed[k // 2] if k % 2 else (progressed[k // 2 - 1] + progressed[k // 2]) / 2
    expect(s["median_progression_day"] == median, f"median progression day {s['median_progression_day']} != {median}")
else:
    expect(s["median_progression_day"] is None, "median progression day should be null")

for folder, threads in ((one, 1), (two, 2)):
    m = json.load(open(f"{folder}/manifest.json"))
    expect(m.get("replicates") == n and m.get("threads") == threads and m.get("seed") == base, f"manifest {folder}")
    expect(isinstance(m.get("wall_time_seconds"), (int, float)) and m.get("git_commit") and m.get("started_at"),
           "manifest lacks wall time, commit or start time")
    expect(m.get("scenario", {}).get("name") == "antigen-escape", "manifest scenario")
for problem in problems:
    print("  " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF_PY
}
check "summary.json, replicates.csv and manifest.json agree with each other and with Wilson" check_outputs

# --- Replicate 0 is the single run with the base seed ----------------------------------------------
check "single run with seed $BASE_SEED exits 0" logged "$TMP/single.log" \
    "$CARTSIM" run "$ESCAPE" --set "seed=$BASE_SEED" -o "$TMP/single" -q
same_as_single() {
    "$PYTHON" - "$TMP/single/summary.json" "$TMP/t1/replicates.csv" <<'EOF_PY'
import csv, json, sys
single = json.load(open(sys.argv[1]))
row = next(csv.DictReader(open(sys.argv[2])))
def value(text):
    return None if text == "" else text
ok = row["replicate"] == "0"
ok &= value(row["best_response"]) == single["best_response"]
day = single["progression_day"]
ok &= (row["progression_day"] == "") if day is None else (float(row["progression_day"]) == day)
ok &= value(row["relapse_type"]) == single["relapse_type"]
death = single["death_day"]
ok &= (row["death_day"] == "") if death is None else (float(row["death_day"]) == death)
if not ok:
    print(f"  row 0 {row} differs from single run", file=sys.stderr)
sys.exit(0 if ok else 1)
EOF_PY
}
check "replicate 0 matches the single run (best response, progression, relapse type, death)" same_as_single

# --- Bad input: exit 2, nothing written --------------------------------------------------------------
bad="$TMP/bad.yaml"
sed 's/^horizon_days:/horizon_dys:/' "$ESCAPE" >"$bad"
ln -s "$SOURCE_DIR/scenarios/products" "$TMP/products"
expect_bad() {  # expect_bad CASE COMMAND...: exits 2 and does not create $TMP/out_CASE
    local name="$1" status=0
    shift
    "$@" -o "$TMP/out_$name" >"$TMP/$name.out" 2>"$TMP/$name.err" || status=$?
    check "$name: exits 2" is_status "$status" 2
    check "$name: output folder not created" absent "$TMP/out_$name"
}
expect_bad unknown_key "$CARTSIM" run "$bad" --replicates 5
check "unknown_key: message names the key" contains "$TMP/unknown_key.err" "horizon_dys"
expect_bad bad_set "$CARTSIM" run "$ESCAPE" --replicates 5 --set patient.tumour.growth_rate_per_day=fast
expect_bad zero_replicates "$CARTSIM" run "$ESCAPE" --replicates 0
expect_bad zero_threads "$CARTSIM" run "$ESCAPE" --replicates 5 --threads 0
expect_bad threads_alone "$CARTSIM" run "$ESCAPE" --threads 2
expect_bad seed_overflow "$CARTSIM" run "$ESCAPE" --replicates 5 --set seed=2147483646
expect_bad reference_model "$CARTSIM" run "$SOURCE_DIR/scenarios/reference/cartmath.yaml" --replicates 5
# An older replicate run stays byte-identical when bad input names its folder.
cp "$TMP/t1/replicates.csv" "$TMP/old_replicates.csv"
status=0
"$CARTSIM" run "$bad" --replicates 5 -o "$TMP/t1" >/dev/null 2>&1 || status=$?
check "existing folder: bad input exits 2" is_status "$status" 2
check "existing folder: replicates.csv unchanged" cmp -s "$TMP/t1/replicates.csv" "$TMP/old_replicates.csv"

# --- Plot ------------------------------------------------------------------------------------------
check "plot_replicates.py exits 0" logged "$TMP/plot.log" "$PYTHON" "$SOURCE_DIR/plots/plot_replicates.py" "$TMP/t1"
check "plot_replicates.py prints the PNG path" grep -qxF "$TMP/t1/outcomes.png" "$TMP/plot.log"
check "outcomes.png is a PNG" is_png "$TMP/t1/outcomes.png"
check "plot_replicates.py -o writes the named file" logged "$TMP/plot_o.log" \
    "$PYTHON" "$SOURCE_DIR/plots/plot_replicates.py" "$TMP/t1" -o "$TMP/custom/outcomes.png"
check "-o output is a PNG" is_png "$TMP/custom/outcomes.png"
check "cartsim plot on a replicate folder exits 0" logged "$TMP/cli_plot.log" "$CARTSIM" plot "$TMP/t2"
check "cartsim plot draws outcomes.png" is_png "$TMP/t2/outcomes.png"
check "no temporary PNG left behind" test -z "$(find "$TMP/t1" "$TMP/t2" -name '.outcomes.png.*' -print -quit)"
mkdir -p "$TMP/empty"
status=0
"$PYTHON" "$SOURCE_DIR/plots/plot_replicates.py" "$TMP/empty" >"$TMP/empty.log" 2>&1 || status=$?
check "plot of an empty folder: non-zero exit" test "$status" -ne 0
check "plot of an empty folder: message names summary.json" contains "$TMP/empty.log" "summary.json"
status=0
"$PYTHON" "$SOURCE_DIR/plots/plot_replicates.py" "$TMP/single" >"$TMP/single_plot.log" 2>&1 || status=$?
check "plot of a single-run folder: non-zero exit" test "$status" -ne 0

# --- Chance decides: the issue's command, theory, and the switching thresholds ----------------------
shares() {  # shares FOLDER: prints "outcome count ci_low ci_high" per outcome with a count
    "$PYTHON" -c '
import json, sys
for name, o in json.load(open(sys.argv[1] + "/summary.json"))["outcomes"].items():
    if o["count"]: print(name, o["count"], o["ci_low"], o["ci_high"])' "$1"
}
check "200 replicates of the example exit 0" logged "$TMP/r200.log" \
    "$CARTSIM" run "$ESCAPE" --replicates 200 -o "$TMP/r200" -q
shares "$TMP/r200" >"$TMP/r200.shares"
two_common() { [[ "$(awk '$2 >= 20' "$TMP/r200.shares" | wc -l)" -ge 2 ]]; }
check "at least two outcomes each in at least 10% of 200 replicates" two_common
# The ODE cannot lose the single BCMA-negative cell, so without the agents every patient who lives
# long enough relapses antigen-negative (the other outcome is death from background mortality).
check "ODE replicates exit 0" logged "$TMP/ode.log" \
    "$CARTSIM" run "$ESCAPE" --replicates 50 --set hybrid.enabled=false -o "$TMP/ode" -q
no_lucky_escape() {
    shares "$TMP/ode" >"$TMP/ode.shares"
    grep -q "^antigen_negative_relapse " "$TMP/ode.shares" && ! grep -q "^ongoing_response \|^cure " "$TMP/ode.shares"
}
check "ODE replicates: no patient escapes the relapse by chance" no_lucky_escape

# Branching-process theory: with no background deaths and no lymphodepletion kill, the one BCMA-negative
# cell (not targeted, linear birth-death) founds a relapse exactly when its lineage survives, with
# probability 1 - d/b. d = turnover 0.01/day; b = (0.02 + 0.01)/day x crowding, which at low burden is
# 1 / (1 - 3e11/5e12) (logistic crowding normalised to the initial burden), so 1 - d/b = 0.6867.
# Tolerance: 400 replicates, binomial sd 0.023; 3 sd = 0.07 (about 0.3% chance of a false alarm).
check "theory replicates exit 0" logged "$TMP/theory.log" \
    "$CARTSIM" run "$ESCAPE" --replicates 400 --set mechanisms.background_mortality=false \
    --set patient.lymphodepletion.tumour_kill_fraction=0 -o "$TMP/theory" -q
escape_share_theory() {
    "$PYTHON" -c '
import json, sys
o = json.load(open(sys.argv[1] + "/summary.json"))["outcomes"]
expected = 1 - 0.01 / (0.03 / (1 - 3e11 / 5e12))
share = o["antigen_negative_relapse"]["share"]
sd = (expected * (1 - expected) / 400) ** 0.5
other = sum(v["count"] for k, v in o.items() if k not in ("antigen_negative_relapse", "ongoing_response"))
ok = abs(share - expected) <= 3 * sd and other == 0
print(f"  share {share:.3f}, expected {expected:.4f} +- {3 * sd:.3f}; other outcomes {other}", file=sys.stderr)
sys.exit(0 if ok else 1)' "$TMP/theory"
}
check "antigen-negative relapse share is 1 - d/b within 3 binomial sd" logged "$TMP/theory_check.log" escape_share_theory

# Thresholds ten times lower (200 replicates) and ten times higher (40: each run then carries up to 1e6
# agents) give outcome shares whose 95% Wilson intervals overlap those of the default thresholds.
check "thresholds /10 exit 0" logged "$TMP/low.log" "$CARTSIM" run "$ESCAPE" --replicates 200 -o "$TMP/low" -q \
    --set hybrid.to_agents_below_cells=1e3 --set hybrid.to_ode_above_cells=1e4
check "thresholds x10 exit 0" logged "$TMP/high.log" "$CARTSIM" run "$ESCAPE" --replicates 40 -o "$TMP/high" -q \
    --set hybrid.to_agents_below_cells=1e5 --set hybrid.to_ode_above_cells=1e6
overlap() {  # overlap FOLDER: every outcome's interval overlaps the default run's
    "$PYTHON" -c '
import json, sys
a = json.load(open(sys.argv[1] + "/summary.json"))["outcomes"]
b = json.load(open(sys.argv[2] + "/summary.json"))["outcomes"]
bad = [k for k in a if a[k]["ci_low"] > b[k]["ci_high"] or b[k]["ci_low"] > a[k]["ci_high"]]
for k in bad: print(f"  {k}: {a[k]} vs {b[k]}", file=sys.stderr)
sys.exit(1 if bad else 0)' "$TMP/r200" "$1"
}
check "thresholds /10: outcome shares within the default run's intervals" overlap "$TMP/low"
check "thresholds x10: outcome shares within the default run's intervals" overlap "$TMP/high"

show_logs_on_failure 20 "$TMP"/*.log "$TMP"/*.err
finish
