#!/usr/bin/python3
"""Draw the outcome shares of a `cartsim run --replicates N` output folder.

Usage:
    /usr/bin/python3 plots/plot_replicates.py OUT [-o FILE.png]

OUT must hold summary.json written by a replicate run (it has `replicates` and `outcomes`);
manifest.json is optional (it gives the scenario name). The default output is OUT/outcomes.png.

One bar per outcome in the order of summary.json (the simulator's kOutcomes, then `error`, which
is drawn only when a replicate failed): the share of replicates with that outcome, a whisker for
its 95% Wilson score interval, and the count written above the bar.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plot_common import PlotError, run_cli, write_figure  # noqa: E402

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

FIGSIZE_IN = (10.0, 6.0)
DPI = 120

OUTCOME_COLOURS = {
    "cure": "#00441b",
    "ongoing_response": "#5aae61",
    "antigen_positive_relapse": "#2166ac",
    "antigen_low_relapse": "#7b3fa0",
    "antigen_negative_relapse": "#d62728",
    "no_response": "#969696",
    "death_without_progression": "#252525",
    "error": "#f28e2b",
}


def read_json(path: Path, required: bool) -> dict:
    if not path.is_file():
        if required:
            raise PlotError(f"{path} not found (run `cartsim run SCENARIO --replicates N -o {path.parent}` first)")
        return {}
    try:
        value = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        if required:
            raise PlotError(f"cannot read {path}: {error}") from None
        print(f"plot_replicates: ignoring {path}: {error}", file=sys.stderr)
        return {}
    return value if isinstance(value, dict) else {}


def load(folder: Path) -> tuple[dict, dict]:
    summary = read_json(folder / "summary.json", required=True)
    if not isinstance(summary.get("outcomes"), dict) or not isinstance(summary.get("replicates"), int):
        raise PlotError(f"{folder / 'summary.json'} is not from a replicate run (no `replicates` and `outcomes`)")
    return summary, read_json(folder / "manifest.json", required=False)


def scenario_name(summary: dict, manifest: dict, folder: Path) -> str:
    scenario = manifest.get("scenario")
    if isinstance(scenario, dict) and scenario.get("name"):
        return str(scenario["name"])
    return str(summary.get("scenario") or folder.resolve().name)


def label(outcome: str) -> str:
    """Outcome names on two lines: `antigen_negative_relapse` -> `antigen-negative` / `relapse`."""
    words = outcome.split("_")
    if len(words) == 1:
        return outcome
    joiner = "-" if words[0] == "antigen" else " "
    return joiner.join(words[:-1]) + "\n" + words[-1]


def figure(summary: dict, manifest: dict, folder: Path):
    outcomes = [
        (name, value)
        for name, value in summary["outcomes"].items()
        if isinstance(value, dict) and not (name == "error" and not value.get("count"))
    ]
    n = summary["replicates"]
    names = [name for name, _ in outcomes]
    shares = [float(value.get("share", 0.0)) for _, value in outcomes]
    counts = [int(value.get("count", 0)) for _, value in outcomes]
    lows = [float(value.get("ci_low", share)) for (_, value), share in zip(outcomes, shares)]
    highs = [float(value.get("ci_high", share)) for (_, value), share in zip(outcomes, shares)]

    fig, ax = plt.subplots(figsize=FIGSIZE_IN, dpi=DPI)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.12)
    x = range(len(names))
    ax.bar(x, shares, width=0.7, color=[OUTCOME_COLOURS.get(name, "#4f83cc") for name in names],
           edgecolor="0.2", linewidth=0.6, zorder=2)
    ax.errorbar(x, shares, yerr=[[s - lo for s, lo in zip(shares, lows)], [hi - s for s, hi in zip(shares, highs)]],
                fmt="none", ecolor="black", elinewidth=1.2, capsize=6, zorder=3)
    for i, (count, share, high) in enumerate(zip(counts, shares, highs)):
        ax.text(i, high + 0.015, f"{count}\n({share:.1%})", ha="center", va="bottom", fontsize=9, zorder=4)
    ax.set_xticks(list(x))
    ax.set_xticklabels([label(name) for name in names], fontsize=9)
    ax.set_xlim(-0.6, len(names) - 0.4)
    top = max(highs, default=0.0) + 0.13  # room for the counts above the highest whisker
    ax.set_ylim(0.0, max(0.2, top))
    ax.set_yticks([tick / 10 for tick in range(0, 11) if tick / 10 <= top])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("share of replicates")
    ax.grid(axis="y", color="0.9", zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    seeds = ""
    if isinstance(summary.get("first_seed"), int) and isinstance(summary.get("last_seed"), int):
        seeds = f", seeds {summary['first_seed']}..{summary['last_seed']}"
    fig.suptitle(f"{scenario_name(summary, manifest, folder)}: outcomes of {n} replicates{seeds}",
                 fontsize=13, fontweight="bold", x=0.02, ha="left")
    median = summary.get("median_progression_day")
    progressed = summary.get("progressed")
    detail = "bars: share of replicates; whiskers: 95% Wilson score interval; numbers: count (share)"
    if isinstance(median, (int, float)):
        detail += f"\nmedian progression day {median:g}"
        if isinstance(progressed, int):
            detail += f" ({progressed} of {n} progressed)"
    else:
        detail += "\nno replicate progressed"
    fig.text(0.02, 0.925, detail, fontsize=9, color="0.3", ha="left", va="top")
    return fig


def plot_replicates(folder: str | Path, out: str | Path | None = None) -> Path:
    folder = Path(folder)
    summary, manifest = load(folder)
    out = Path(out) if out else folder / "outcomes.png"
    fig = figure(summary, manifest, folder)
    return write_figure(fig, out, DPI)


def main(argv: list[str] | None = None) -> int:
    return run_cli("plot_replicates", "Plot the outcome shares of a cartsim replicate run.",
                   "folder written by `cartsim run ... --replicates N -o OUT`",
                   "PNG to write (default: OUT/outcomes.png)", plot_replicates, argv)


if __name__ == "__main__":
    sys.exit(main())
