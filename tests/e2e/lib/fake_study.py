#!/usr/bin/python3
"""Write a synthetic, self-consistent study output folder (the contract of `cartsim run study.yaml -o OUT`)
for testing plots/plot_study.py without the simulator.

Usage: fake_study.py trial|cohort|grid|sobol OUT [--seed N]

  trial   three arms of 60 patients, exponential PFS and OS, random responses, 2 failed runs per arm
  cohort  one arm of 40 patients
  grid    a sweep over growth rate (4 log-spaced values) x CAR-T dose (3 linear values), 20 patients each,
          with sweep.csv
  sobol   a sweep of 40 random points over three parameters, 3 patients each, with sweep.csv and sobol.csv

Every file is derived from the drawn patients: km.csv is their Kaplan-Meier estimate (Greenwood, log-log
band), summary.json their response rates (Wilson), medians, relapse types and log-rank comparisons.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from pathlib import Path

import numpy as np

HORIZON_DAYS = 1095.0
RESPONSES = ["sCR", "CR", "VGPR", "PR", "MR", "SD", "PD"]
CHANGE_RANGES = {"sCR": (-100, -100), "CR": (-100, -98), "VGPR": (-97, -90), "PR": (-89, -50), "MR": (-49, -25),
                 "SD": (-24, 24), "PD": (25, 160)}
RELAPSES = ["antigen_positive", "antigen_low", "antigen_negative"]
LINES = 3
GROWTH = "patient.tumour.growth_rate_per_day"
DOSE = "therapy.cart.dose_cells"
ESCAPE = "patient.tumour.bcma_negative_fraction"
ENDPOINTS = ["outcome", "best_response", "mrd_negative", "progression_day", "relapse_type", "death_day", "death_cause",
             "cure", "cart_peak_blood_cells_per_ul", "cart_peak_day", "crs_grade", "best_mprotein_change_percent",
             "dominant_clone_at_progression", "pfs_days", "pfs_event"]
LINE_COLUMNS = ["line{k}_name", "line{k}_start_day", "line{k}_best_response", "line{k}_progression_day",
                "line{k}_pfs_days", "line{k}_pfs_event"]
# arm: (line names, median PFS of line 1 in days, response weights sCR..PD, relapse-type weights, CAR-T)
ARMS = {
    "standard": (["VRd", "DaraPd", "Kd"], 240.0, [0.05, 0.1, 0.2, 0.3, 0.1, 0.15, 0.1], [0.9, 0.05, 0.05], False),
    "cilta-cel": (["cilta-cel", "talquetamab", "Kd"], 600.0, [0.3, 0.3, 0.15, 0.1, 0.05, 0.05, 0.05],
                  [0.55, 0.15, 0.3], True),
    "cilta-cel+len": (["cilta-cel+len", "talquetamab", "Kd"], 800.0, [0.35, 0.3, 0.15, 0.1, 0.04, 0.03, 0.03],
                      [0.6, 0.15, 0.25], True),
}


def patient(rng, arm: tuple, pfs_scale: float = 1.0) -> dict:
    """One simulated course: line k runs until progression, the next starts two weeks later."""
    names, median_pfs, response_weights, relapse_weights, cart = arm
    row = {}
    death = rng.exponential(3000.0)  # death from other causes
    start, progressed_first = 0.0, None
    for k in range(1, LINES + 1):
        if start >= min(death, HORIZON_DAYS):
            break
        response = RESPONSES[rng.choice(7, p=response_weights)] if k == 1 else RESPONSES[rng.integers(1, 7)]
        scale = median_pfs * pfs_scale / (1.0 if k == 1 else 2.0 * (k - 1)) / math.log(2.0)
        progression = start + (rng.uniform(20, 60) if response == "PD" else rng.exponential(scale))
        end = min(progression, death, HORIZON_DAYS)
        progressed = progression < min(death, HORIZON_DAYS)
        row.update({f"line{k}_name": names[k - 1], f"line{k}_start_day": round(start, 1),
                    f"line{k}_best_response": response, f"line{k}_pfs_days": round(end - start, 1),
                    f"line{k}_pfs_event": int(progression <= HORIZON_DAYS or death <= HORIZON_DAYS),
                    f"line{k}_progression_day": round(progression, 1) if progressed else None})
        if k == 1:
            row["pfs_days"], row["pfs_event"] = row["line1_pfs_days"], row["line1_pfs_event"]
            row["best_response"] = response
            low, high = CHANGE_RANGES[response]
            row["best_mprotein_change_percent"] = round(rng.uniform(low, high), 1)
            row["mrd_negative"] = int(response in ("sCR", "CR") and rng.random() < 0.6)
        if not progressed:
            break
        if k == 1:
            progressed_first = progression
        death = min(death, progression + rng.exponential(500.0 if k < LINES else 150.0))
        start = progression + 14.0
    first = row.get("best_response")
    responded = first in ("sCR", "CR", "VGPR", "PR")
    relapse = RELAPSES[rng.choice(3, p=relapse_weights)] if progressed_first is not None and responded else None
    died = death <= HORIZON_DAYS
    if progressed_first is None:
        outcome = "death_without_progression" if died else ("cure" if first in ("sCR", "CR") else "ongoing_response")
    else:
        outcome = f"{relapse}_relapse" if relapse else "no_response"
    row.update({"outcome": outcome, "progression_day": row["line1_progression_day"], "relapse_type": relapse,
                "death_day": round(death, 1) if died else None,
                "death_cause": ("progression" if progressed_first is not None else "other") if died else None,
                "cure": int(outcome == "cure"), "os_days": round(min(death, HORIZON_DAYS), 1), "os_event": int(died),
                "dominant_clone_at_progression": ("bcma_neg" if relapse == "antigen_negative" else "parental")
                if progressed_first is not None else None})
    if cart:
        row.update({"cart_peak_blood_cells_per_ul": round(rng.lognormal(4.0, 1.0), 1),
                    "cart_peak_day": round(rng.uniform(7, 14), 1),
                    "crs_grade": int(rng.choice(4, p=[0.2, 0.5, 0.25, 0.05]))})
    return row


def kaplan_meier(times: list[float], events: list[int]) -> list[dict]:
    """Rows of km.csv for one arm and endpoint: time 0, then each distinct time."""
    rows = [{"time_days": 0.0, "at_risk": len(times), "events": 0, "censored": 0, "survival": 1.0, "ci_low": 1.0,
             "ci_high": 1.0}]
    survival, greenwood = 1.0, 0.0
    for t in sorted(set(times)):
        at_risk = sum(1 for x in times if x >= t)
        deaths = sum(1 for x, e in zip(times, events) if x == t and e)
        censored = sum(1 for x, e in zip(times, events) if x == t and not e)
        survival *= 1.0 - deaths / at_risk
        greenwood += deaths / (at_risk * (at_risk - deaths)) if at_risk > deaths else 0.0
        low = high = None
        if 0.0 < survival < 1.0:
            spread = 1.96 * math.sqrt(greenwood) / abs(math.log(survival))
            low, high = survival ** math.exp(spread), survival ** math.exp(-spread)
        elif survival == 1.0:
            low = high = 1.0
        rows.append({"time_days": t, "at_risk": at_risk, "events": deaths, "censored": censored,
                     "survival": round(survival, 6), "ci_low": None if low is None else round(low, 6),
                     "ci_high": None if high is None else round(high, 6)})
    return rows


def km_median(rows: list[dict]) -> dict:
    def first(column):
        return next((r["time_days"] for r in rows if r[column] is not None and r[column] <= 0.5), None)
    return {"value": first("survival"), "ci_low": first("ci_low"), "ci_high": first("ci_high")}


def wilson(successes: int, n: int) -> dict:
    if n == 0:
        return {"value": None, "ci_low": None, "ci_high": None}
    p, z = successes / n, 1.96
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return {"value": round(p, 6), "ci_low": round(centre - half, 6), "ci_high": round(centre + half, 6)}


def logrank(a: list[tuple[float, int]], b: list[tuple[float, int]]) -> tuple[dict, float]:
    """Peto hazard ratio of b vs a with its 95% interval, and the log-rank p-value."""
    observed_minus_expected, variance = 0.0, 0.0
    for t in sorted({x for x, e in a + b if e}):
        n_a, n_b = sum(x >= t for x, _ in a), sum(x >= t for x, _ in b)
        d_a, d_b = sum(x == t and e for x, e in a), sum(x == t and e for x, e in b)
        n, d = n_a + n_b, d_a + d_b
        observed_minus_expected += d_b - d * n_b / n
        variance += d * (n_a / n) * (n_b / n) * (n - d) / (n - 1) if n > 1 else 0.0
    log_hr = observed_minus_expected / variance
    half = 1.96 / math.sqrt(variance)
    p = math.erfc(math.sqrt(observed_minus_expected ** 2 / variance / 2.0))
    return {"value": round(math.exp(log_hr), 4), "ci_low": round(math.exp(log_hr - half), 4),
            "ci_high": round(math.exp(log_hr + half), 4)}, p


def entry(rows: list[dict], failed: int) -> dict:
    """summary.json's results for one arm or point (n counts every patient, errors the failed ones)."""
    relapses = [r["relapse_type"] for r in rows if r["relapse_type"]]
    result = {"n": len(rows) + failed, "errors": failed,
              "orr": wilson(sum(r["best_response"] in ("sCR", "CR", "VGPR", "PR") for r in rows), len(rows)),
              "cr_or_better": wilson(sum(r["best_response"] in ("sCR", "CR") for r in rows), len(rows)),
              "mrd_negative": wilson(sum(r["mrd_negative"] for r in rows), len(rows))}
    for endpoint, time, event in (("pfs", "line1_pfs_days", "line1_pfs_event"), ("os", "os_days", "os_event")):
        result[f"median_{endpoint}_days"] = km_median(kaplan_meier([r[time] for r in rows], [r[event] for r in rows]))
    result["relapse_types"] = {t: {"count": relapses.count(t), "share": round(relapses.count(t) / len(rows), 6)}
                               for t in RELAPSES if t in relapses}
    return result


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row[c] for c in columns])


def write_study(out: Path, name: str, kind: str, groups: dict[str, list[dict]], parameters: list[str],
                failed: dict[str, int], extra_summary: dict | None = None) -> None:
    """groups: arm or point -> patient rows (failed rows carry `error`); writes summary.json, patients.csv, km.csv."""
    out.mkdir(parents=True, exist_ok=True)
    group_column = "point" if kind == "sweep" else "arm"
    first = ["point", "patient"] if kind == "sweep" else ["patient", "arm"]
    line_columns = [c.format(k=k) for k in range(1, LINES + 1) for c in LINE_COLUMNS]
    columns = first + parameters + ENDPOINTS + line_columns + ["os_days", "os_event", "error"]
    all_rows = [dict(row, **{group_column: group}) for group, rows in groups.items() for row in rows]
    write_csv(out / "patients.csv", columns, all_rows)
    valid = {group: [r for r in rows if not r.get("error")] for group, rows in groups.items()}
    km_rows = []
    for group, rows in valid.items():
        for endpoint, time, event in (("pfs", "line1_pfs_days", "line1_pfs_event"), ("os", "os_days", "os_event")):
            for km in kaplan_meier([r[time] for r in rows], [r[event] for r in rows]):
                km_rows.append(dict(km, arm=group, endpoint=endpoint))
    write_csv(out / "km.csv", ["arm", "endpoint", "time_days", "at_risk", "events", "censored", "survival", "ci_low",
                               "ci_high"], km_rows)
    summary = {"study": name, "kind": kind, "horizon_days": HORIZON_DAYS,
               "points" if kind == "sweep" else "arms": {g: entry(rows, failed[g]) for g, rows in valid.items()},
               "comparisons": []}
    names = list(valid)
    if kind == "trial":
        for other in names[1:]:
            pairs = {g: [(r["line1_pfs_days"], r["line1_pfs_event"]) for r in valid[g]] for g in (names[0], other)}
            ratio, p = logrank(pairs[names[0]], pairs[other])
            summary["comparisons"].append({"reference_arm": names[0], "arm": other, "endpoint": "pfs", "hazard_ratio": ratio,
                                           "logrank_p": round(p, 6)})
    summary.update(extra_summary or {})
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")


def draw_patients(rng, arm: tuple, count: int, failures: int, parameters: dict, pfs_scale: float = 1.0) -> list[dict]:
    rows = []
    failed_at = set(rng.choice(count, size=failures, replace=False).tolist()) if failures else set()
    for i in range(count):
        drawn = {name: round(float(draw()), 6) for name, draw in parameters.items()}
        row = {"error": "solver step size underflow at day 41"} if i in failed_at else patient(rng, arm, pfs_scale)
        rows.append(dict(row, patient=i, **drawn))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["trial", "cohort", "grid", "sobol"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    drawn = {GROWTH: lambda: rng.lognormal(math.log(0.01), 0.3)}
    if args.kind in ("trial", "cohort"):
        arms = dict(ARMS) if args.kind == "trial" else {"cilta-cel": ARMS["cilta-cel"]}
        count, failures = (60, 2) if args.kind == "trial" else (40, 1)
        groups = {name: draw_patients(rng, arm, count, failures, drawn) for name, arm in arms.items()}
        write_study(args.out, f"fake {args.kind}", args.kind, groups, [GROWTH], {g: failures for g in groups})
        return
    if args.kind == "grid":
        points = [{GROWTH: g, DOSE: d} for d in (1e8, 2e8, 3e8) for g in (0.005, 0.01, 0.02, 0.04)]
        per_point = 20
    else:
        points = [{GROWTH: round(float(rng.uniform(0.005, 0.04)), 6), DOSE: round(float(rng.uniform(1e8, 3e8)), -5),
                   ESCAPE: round(float(rng.uniform(0, 1e-4)), 8)} for _ in range(40)]
        per_point = 3
    groups, sweep_rows = {}, []
    for i, point in enumerate(points):
        scale = (0.01 / point[GROWTH]) ** 0.7 * (point[DOSE] / 2e8) ** 0.5 * (1.0 - 3000.0 * point.get(ESCAPE, 0.0))
        fixed = {name: (lambda v=value: v) for name, value in point.items()}
        groups[f"p{i}"] = draw_patients(rng, ARMS["cilta-cel"], per_point, 1 if i == 2 else 0, fixed, scale)
    parameters = list(points[0])
    extra = {}
    if args.kind == "sobol":
        indices = [(GROWTH, 0.52, 0.71), (DOSE, 0.18, 0.27), (ESCAPE, 0.03, 0.09)]
        sobol = [{"parameter": p, "first_order": s1, "first_ci_low": round(s1 - 0.08, 3),
                  "first_ci_high": round(s1 + 0.08, 3), "total_order": st, "total_ci_low": round(st - 0.1, 3),
                  "total_ci_high": round(st + 0.1, 3)}
                 for p, s1, st in indices]
        write_csv_path = args.out / "sobol.csv"
        args.out.mkdir(parents=True, exist_ok=True)
        write_csv(write_csv_path, list(sobol[0]), sobol)
        extra = {"sobol": {"endpoint": "median_pfs_days", "indices": sobol}}
    write_study(args.out, f"fake {args.kind} sweep", "sweep", groups, parameters,
                {g: int(i == 2) for i, g in enumerate(groups)}, extra)
    summary = json.loads((args.out / "summary.json").read_text())
    for (name, rows), point in zip(groups.items(), points):
        result = summary["points"][name]
        sweep_rows.append({"point": name, **point, "n": result["n"], "errors": result["errors"],
                           **{k: result[k]["value"] for k in ("orr", "cr_or_better", "mrd_negative", "median_pfs_days",
                                                              "median_os_days")}})
    write_csv(args.out / "sweep.csv", list(sweep_rows[0]), sweep_rows)


if __name__ == "__main__":
    main()
