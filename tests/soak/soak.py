#!/usr/bin/python3
"""Random-parameter soak: every numeric model parameter drawn over a wide valid range, many patients.

    soak.py --size N [--hybrid] [--threads T] [--seed S] [--timeout SECONDS] [--run-time-limit SECONDS]
            -o OUT [--cartsim PATH]

Writes OUT/soak.yaml (a study generated from `cartsim params --format csv`), runs it into OUT/study
and prints the figures: runs, draws the loader rejected, runs that failed, NaN or infinite cells,
runs with a state variable below minus the solver's absolute tolerance (negative_state_points),
wall time and the peak resident memory of cartsim; with the hybrid, the runs that met a hybrid bound
(agent_bound_hits, lineage_bound_hits, runs stopped by the agent bound) and the largest peak_agents.
Exits 1 on any NaN, negative state, failed run, run over --run-time-limit (a near-hang) or timeout
(a hang), 0 otherwise. A run stopped by hybrid.max_agents is the bound doing its job: reported, not a
failure.

How each parameter is drawn (per patient, independently):
- the patient's parameters (patient.*), those of the two declared clones, and those of the CAR-T
  product (ide-cel) and the bispecific (talquetamab) of a two-line regimen;
- a positive default d: log-uniform over [d/10, 10 d] cut to the parameter's valid range; a share
  (valid range within [0, 1]) with d >= 0.01: uniform over its valid range;
- left at their defaults: zero defaults (0 means "none" or "off" there, it cannot be scaled), lists,
  names and choices, integers (the BCMA bin count, alleles), and the clone fractions (they must sum
  to 1); the parameters of other therapy types;
- two arms: the mechanisms as shipped, and every mechanism on.
"""
import argparse
import csv
import io
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

THERAPIES = {"cart": ("cart", "ide-cel"), "bispecific": ("talquetamab", "talquetamab")}
CLONES = ("main", "bcma_neg")
# Narrower ranges where the loader ties parameters together (a draw it refuses is wasted): the tumour
# starts below its lethal burden, which lies below the carrying capacity; the full dose comes after
# the step-up doses.
RANGES = {
    "patient.tumour.initial_cells": (3e10, 1e12),
    "patient.tumour.lethal_burden_cells": (1.5e12, 3e12),
    "patient.tumour.carrying_capacity_cells": (5e12, 5e13),
    "regimen[talquetamab].therapies[talquetamab].first_full_dose_day": (3.0, 40.0),
}
SKIPPED_KEYS = {"patient.tumour.bcma_bins", "patient.tumour.clones[].fraction"}
MECHANISMS_OFF_BY_DEFAULT = ("cytokine_space", "expansion_capacity", "activation_cytokines")


def parse_range(text):
    """(low, high) of a valid range such as '[0.1, 20]' or '>= 0'; None when not numeric."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        low, high = (float(v) for v in text[1:-1].split(","))
        return low, high
    if text.startswith(">="):
        return float(text[2:]), math.inf
    return None


def draw_rule(default, valid):
    """The distribution line for one parameter, or None to keep its default."""
    try:
        d = float(default)
    except ValueError:
        return None
    low, high = valid
    if d == 0.0 or d != d:
        return None
    if low >= 0.0 and high <= 1.0 and d >= 0.01:
        return {"distribution": "uniform", "low": low, "high": high}
    if d < 0.0:
        return None
    lo = max(d / 10.0, low if low > 0.0 else d / 10.0)
    hi = min(d * 10.0, high)
    if not lo < hi:
        return None
    return {"distribution": "log_uniform", "low": lo, "high": hi}


def parameter_paths(params_csv):
    """(path, rule) for every parameter drawn, and the count of those kept at their defaults."""
    drawn, kept = [], 0
    for row in csv.DictReader(io.StringIO(params_csv)):
        key, valid = row["key"], parse_range(row["range"])
        if valid is None or key in SKIPPED_KEYS or "alleles" in key:
            kept += valid is not None
            continue
        rule = draw_rule(row["default"], valid)
        if key.startswith("patient.tumour.clones[]."):
            paths = [key.replace("clones[]", f"clones[{c}]") for c in CLONES]
            rule = rule or (draw_rule("0.5", valid) if "sigma_log" in key else None)
        elif key.startswith("patient."):
            paths = [key]
        elif key.startswith("regimen[].therapies[]."):
            when = row["applies_when"]
            kinds = [k for k in THERAPIES if f"type: {k}" in when or f"| {k}" in when or f" {k} |" in when]
            paths = [key.replace("regimen[]", f"regimen[{THERAPIES[k][0]}]").replace(
                "therapies[]", f"therapies[{THERAPIES[k][1]}]") for k in kinds]
        else:
            continue
        if rule is None or not paths:
            kept += 1
            continue
        for p in paths:
            if p in RANGES:
                drawn.append((p, {"distribution": "log_uniform", "low": RANGES[p][0], "high": RANGES[p][1]}))
            else:
                drawn.append((p, rule))
    return drawn, kept


def study_yaml(drawn, size, seed, hybrid):
    lines = [
        "name: random-parameter soak",
        "description: every numeric parameter drawn over a wide valid range (tests/soak/soak.py)",
        "horizon_days: 730",
        "seed: 1",
        f"hybrid: {{enabled: {'true' if hybrid else 'false'}}}",
        "patient:",
        "  tumour:",
        "    clones:",
        "      - {name: main, fraction: 0.999}",
        "      - {name: bcma_neg, fraction: 0.001, bcma: {alleles: 0}}",
        "regimen:",
        "  - {name: cart, start: 0, therapies: [{product: ide-cel}]}",
        "  - {name: talquetamab, start: progression, therapies: [{product: talquetamab}]}",
        "arms:",
        "  - name: mechanisms as shipped",
        "  - name: every mechanism on",
        "    set: [" + ", ".join(f"mechanisms.{m}=true" for m in MECHANISMS_OFF_BY_DEFAULT) + "]",
        "cohort:",
        f"  size: {size}",
        f"  seed: {seed}",
        "  parameters:",
    ]
    for path, rule in drawn:
        cells = ", ".join(f"{k}: {v!r}" if isinstance(v, str) else f"{k}: {v:.17g}" for k, v in rule.items())
        lines.append(f'    - {{path: "{path}", {cells}}}')
    return "\n".join(lines) + "\n"


def check(patients):
    """Counts of the things a soak must not produce, from patients.csv."""
    rows = list(csv.DictReader(open(patients)))
    figures = {"runs": len(rows), "rejected_draws": 0, "failed_runs": 0, "non_finite_cells": 0,
               "runs_with_negative_states": 0, "failures": [], "over_time_limit": 0, "stopped_by_agent_bound": 0,
               "runs_with_agent_bound_hits": 0, "runs_with_lineage_bound_hits": 0, "largest_peak_agents": 0}
    for r in rows:
        error = r.get("error", "")
        if "hybrid.max_agents" in error:
            figures["stopped_by_agent_bound"] += 1
            continue
        if "wall-time limit" in error:
            figures["over_time_limit"] += 1
            figures["failures"].append(f"patient {r['patient']} ({r['arm']}): {error[:200]}")
            continue
        if error:
            # A draw the scenario's rules refuse is recorded as a rejected input, not a failure.
            # (the loader's messages start with the --set override or the file:line they concern).
            if error.startswith("--set ") or ".yaml:" in error.split(":")[0] + ":" or " must " in error:
                figures["rejected_draws"] += 1
            else:
                figures["failed_runs"] += 1
                figures["failures"].append(f"patient {r['patient']} ({r['arm']}): {error[:200]}")
            continue
        for column, value in r.items():
            if value.lower() in ("nan", "inf", "-inf", "+inf"):
                figures["non_finite_cells"] += 1
                figures["failures"].append(f"patient {r['patient']} ({r['arm']}): {column} = {value}")
        figures["runs_with_agent_bound_hits"] += int(r.get("agent_bound_hits") or 0) > 0
        figures["runs_with_lineage_bound_hits"] += int(r.get("lineage_bound_hits") or 0) > 0
        figures["largest_peak_agents"] = max(figures["largest_peak_agents"], int(r.get("peak_agents") or 0))
        if int(r.get("negative_state_points") or 0) > 0:
            figures["runs_with_negative_states"] += 1
            figures["failures"].append(f"patient {r['patient']} ({r['arm']}): {r['negative_state_points']} solver "
                                       f"points below -abs_tol, the most negative {r['most_negative_state']}")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100, help="patients (each runs in both arms)")
    parser.add_argument("--hybrid", action="store_true", help="agents where populations are small")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds before the soak counts as hung")
    parser.add_argument("--run-time-limit", type=float, default=0.0,
                        help="wall-clock seconds per run (cartsim --run-time-limit; 0: none)")
    parser.add_argument("--cartsim", default=os.environ.get("CARTSIM", "build/src/cli/cartsim"))
    parser.add_argument("-o", "--out", required=True, type=Path)
    args = parser.parse_args()

    params = subprocess.run([args.cartsim, "params", "--format", "csv"], check=True, capture_output=True, text=True)
    drawn, kept = parameter_paths(params.stdout)
    args.out.mkdir(parents=True, exist_ok=True)
    scenario = args.out / "soak.yaml"
    scenario.write_text(study_yaml(drawn, args.size, args.seed, args.hybrid))

    command = [args.cartsim, "run", str(scenario), "-o", str(args.out / "study"), "-q", "--threads", str(args.threads)]
    if args.run_time_limit > 0:
        command += ["--run-time-limit", str(args.run_time_limit)]
    started = time.monotonic()
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        print(f"soak: FAIL - no result after {args.timeout:.0f} s (a hang)")
        return 1
    wall = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    if run.returncode not in (0,):
        print(f"soak: cartsim exited {run.returncode}:\n{run.stderr[-2000:]}")
        return 1
    figures = check(args.out / "study" / "patients.csv")
    mode = "hybrid" if args.hybrid else "ODE"
    print(f"soak ({mode}): {len(drawn)} parameters drawn, {kept} kept at their defaults; {figures['runs']} runs "
          f"({args.size} patients x 2 arms) in {wall:.1f} s on {args.threads} threads, peak memory {peak_mb:.0f} MB")
    print(f"  rejected draws {figures['rejected_draws']}, failed runs {figures['failed_runs']}, "
          f"non-finite cells {figures['non_finite_cells']}, runs with negative states "
          f"{figures['runs_with_negative_states']}")
    if args.run_time_limit > 0:
        print(f"  runs over the wall-time limit of {args.run_time_limit:g} s: {figures['over_time_limit']}")
    if args.hybrid:
        print(f"  hybrid bounds: runs with agent bound hits {figures['runs_with_agent_bound_hits']}, runs stopped "
              f"by the agent bound {figures['stopped_by_agent_bound']}, runs with lineage bound hits "
              f"{figures['runs_with_lineage_bound_hits']}, largest peak agents {figures['largest_peak_agents']}")
    for line in figures["failures"][:20]:
        print("  " + line)
    bad = (figures["failed_runs"] + figures["non_finite_cells"] + figures["runs_with_negative_states"] +
           figures["over_time_limit"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
