"""Panels of the lesson figures (plots/plot_lesson.py). Each takes (ax, arms, styles): the lesson's
situations (plot_lesson_data.Arm) and one matplotlib line style per arm ({"color": ..., "ls": ...}),
and draws one quantity for all of them.

Units: time in days, cells as whole-body counts, CAR-T in cells/uL of blood, densities in
molecules/cell, soluble BCMA in ng/mL, shares in percent.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.lines import Line2D

from plot_lesson_data import (Arm, anti_car_columns, bcma_negative_share, cart_blood_total, cells_by_bcma,
                              cleared_day, density_at_start, event_days, first_progression, fit_t_cell_share,
                              horizon, progression_days, value_on)
from run_data import Run, clip_positive, functional_floor, line_spans

BCMA_POSITIVE = "#1f4e9c"
BCMA_ONE_ALLELE = "#7b3fa0"
BCMA_NEGATIVE = "#d62728"
FLOOR_COLOUR = "#d62728"
THERAPY_SHADE = "#fff2cc"
RELAPSE_MARKER = {"marker": "o", "ms": 9, "mfc": "white", "mew": 2.2, "ls": "", "zorder": 6}
CLEARED_MARKER = {"marker": "X", "ms": 10, "mec": "black", "mew": 0.6, "ls": "", "zorder": 6, "clip_on": False}


def arm_handles(arms: list[Arm], styles: list[dict]) -> list[Line2D]:
    return [Line2D([], [], label=a.name, **{**s, "lw": min(s.get("lw", 2.6), 3.4)}) for a, s in zip(arms, styles)]


def relapse_handle() -> Line2D:
    return Line2D([], [], color="0.3", label="relapse (progression)", **RELAPSE_MARKER)


def cleared_handle() -> Line2D:
    return Line2D([], [], color="0.6", label="no myeloma cell left", **CLEARED_MARKER)


def shade_therapy(ax, run: Run) -> None:
    """Shade the therapy lines of a single-run lesson."""
    for _, start, stop in line_spans(run):
        ax.axvspan(start, stop, color=THERAPY_SHADE, zorder=0, lw=0)


def mark_relapse(ax, run: Run, values: np.ndarray, colour: str, floor: float) -> None:
    """A ring on the curve at every progression."""
    for day in progression_days(run):
        ax.plot([day], [max(value_on(run, values, day), floor)], color=colour, mec=colour, **RELAPSE_MARKER)


def log_axis_floor(series: list[np.ndarray], decades: float, hard_min: float) -> float:
    peaks = [float(np.nanmax(s)) for s in series if s is not None and np.any(s > 0)]
    return max(hard_min, max(peaks) * 10.0 ** (-decades)) if peaks else hard_min


def readable(count: float) -> str:
    """A cell count in words: 1.3 million, 1,500."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if count >= size:
            return f"{count / size:.2g} {word}"
    return f"{count:,.0f}" if count >= 10 else f"{count:.2g}"


def wrapped(name: str, width: int = 13) -> str:
    return "\n".join(textwrap.wrap(name, width)) or name


def bars_for_arms(ax, arms: list[Arm], styles: list[dict], values: list[float | None], title: str,
                  labels: list[str], unit: str) -> None:
    """Horizontal bars, one per arm (top to bottom in arm order), with `labels` at the bar ends and the
    x axis in `unit`."""
    top = max([v for v in values if v is not None and np.isfinite(v)] + [1.0])
    for i, (value, style, label) in enumerate(zip(values, styles, labels)):
        width = value if value is not None and np.isfinite(value) else 0.0
        ax.barh(i, width, color=style["color"], height=0.7, hatch="//" if style.get("ls") == "--" else None,
                edgecolor="white")
        ax.text(width + 0.02 * top, i, label, va="center", ha="left", fontsize=9, color="0.15")
    ax.set_xlim(0, top * 1.3)
    ax.set_ylim(len(arms) - 0.4, -0.6)
    ax.set_yticks([])
    ax.set_title(title, fontsize=9.5, loc="left", color="0.2")
    ax.set_xlabel(unit, fontsize=8, labelpad=1)
    ax.tick_params(labelsize=8)


# --------------------------------------------------------------------------------------------
# Tumour


def panel_bcma_status(ax, run: Run) -> None:
    """Myeloma cells (log) of each BCMA status over time: who melts and who grows."""
    groups = cells_by_bcma(run)
    t = run.time
    floor = 1.0e4
    styles = [("positive", BCMA_POSITIVE, "BCMA-positive cells (the CAR-T target)"),
              ("one allele", BCMA_ONE_ALLELE, "cells with one BCMA allele left"),
              ("negative", BCMA_NEGATIVE, "BCMA-negative cells (invisible to the CAR-T)")]
    for status, colour, label in styles:
        values = groups.get(status)
        if values is not None and np.any(values > floor):
            ax.plot(t, clip_positive(values, floor), color=colour, lw=3.0, label=label)
    total = sum(groups.values())
    ax.plot(t, clip_positive(total, floor), color="black", lw=1.2, ls=":", label="all myeloma cells")
    mark_relapse(ax, run, total, "black", floor)
    ax.set_yscale("log")
    ax.set_ylim(floor, float(np.nanmax(total)) * 8.0)
    ax.set_ylabel("myeloma cells in the body")
    ax.legend(loc="lower left", fontsize=9, frameon=True, framealpha=0.9)


def panel_tumour(ax, arms: list[Arm], styles: list[dict], decades: float = 9.0) -> None:
    """Total myeloma cells (log, `decades` under the peak) per arm; a ring at each arm's relapse, a cross
    where none is left."""
    series = [a.run.col("tumour_total_cells") for a in arms]
    floor = log_axis_floor(series, decades=decades, hard_min=1.0)
    for arm, style, values in zip(arms, styles, series):
        ax.plot(arm.run.time, clip_positive(values, floor), **{"lw": 2.2, **style})
        mark_relapse(ax, arm.run, values, style["color"], floor)
        gone = cleared_day(arm.run)
        if gone is not None:
            ax.plot([gone], [floor], color=style["color"], **CLEARED_MARKER)
    ax.set_yscale("log")
    ax.set_ylim(floor, max(float(np.nanmax(s)) for s in series) * 8.0)
    ax.set_ylabel("myeloma cells in the body")


def panel_negative_share(ax, arms: list[Arm], styles: list[dict]) -> None:
    """Percent of myeloma cells without BCMA (log axis from 0.001% to 100%) per arm."""
    for arm, style in zip(arms, styles):
        share = 100.0 * bcma_negative_share(arm.run)
        ax.plot(arm.run.time, clip_positive(share, 1e-3), **{"lw": 2.2, **style})
        mark_relapse(ax, arm.run, share, style["color"], 1e-3)
    ax.axhline(50.0, color="0.4", ls=":", lw=1.0)
    ax.text(0.005, 50.0, " half the tumour", transform=ax.get_yaxis_transform(), fontsize=8, color="0.3",
            va="bottom")
    ax.set_yscale("log")
    ax.set_ylim(1e-3, 300.0)
    ax.set_yticks([1e-3, 1e-2, 1e-1, 1, 10, 100])
    ax.set_yticklabels(["0.001", "0.01", "0.1", "1", "10", "100"])
    ax.set_ylabel("BCMA-negative cells\n(% of myeloma)")


def panel_relapse_makeup(ax, arms: list[Arm], styles: list[dict]) -> None:
    """One 100% bar per arm: BCMA-positive and BCMA-negative shares of the tumour at progression
    (or at the end of follow-up when there is none)."""
    for i, arm in enumerate(arms):
        found = first_progression(arm.run)
        day = found[0] if found else horizon(arm.run)
        negative = 100.0 * value_on(arm.run, bcma_negative_share(arm.run), day)
        edge = styles[i]["color"]
        ax.bar(i, 100.0 - negative, color=BCMA_POSITIVE, width=0.62, edgecolor=edge, lw=3)
        ax.bar(i, negative, bottom=100.0 - negative, color=BCMA_NEGATIVE, width=0.62, edgecolor=edge, lw=3)
        ax.text(i, 103, f"day {day:g}" if found else "no relapse", ha="center", va="bottom", fontsize=8,
                color="0.2")
    ax.set_xticks(range(len(arms)))
    ax.set_xticklabels([wrapped(a.name, 12) for a in arms], fontsize=8)
    for tick, style in zip(ax.get_xticklabels(), styles):
        tick.set_color(style["color"])
        tick.set_fontweight("bold")
    ax.set_ylim(0, 118)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_ylabel("share of myeloma\nat relapse (%)")
    ax.legend(handles=[Line2D([], [], color=BCMA_NEGATIVE, lw=8, label="BCMA-negative"),
                       Line2D([], [], color=BCMA_POSITIVE, lw=8, label="BCMA-positive")],
              loc="upper center", bbox_to_anchor=(0.5, -0.26), ncol=2, fontsize=8.5, frameon=False)


# --------------------------------------------------------------------------------------------
# Antigen


def floor_zone(ax, floor: float, bottom: float, text: str) -> None:
    """Shade densities under the CAR-T's functional floor, where it cannot trigger killing."""
    ax.axhspan(bottom, floor, color=FLOOR_COLOUR, alpha=0.10, lw=0)
    ax.axhline(floor, color=FLOOR_COLOUR, ls="--", lw=1.4)
    ax.text(0.45, bottom * 1.25, text, ha="center", va="bottom", transform=ax.get_yaxis_transform(), fontsize=8.5,
            color=FLOOR_COLOUR)


def panel_median_bcma(ax, arms: list[Arm], styles: list[dict]) -> None:
    """Median surface BCMA (log) per arm against the CAR-T's functional floor."""
    floor = functional_floor(arms[0].run)
    bottom = 5.0
    floor_zone(ax, floor, bottom, f"under {floor:g} BCMA/cell the CAR-T cannot see a cell")
    top = floor
    for arm, style in zip(arms, styles):
        density = arm.run.col("bcma_median_molecules_per_cell")
        if density is None:
            continue
        ax.plot(arm.run.time, clip_positive(density, bottom), **{"lw": 2.2, **style})
        mark_relapse(ax, arm.run, density, style["color"], bottom)
        top = max(top, float(np.nanmax(density)))
    ax.set_yscale("log")
    ax.set_ylim(bottom, top * 2.5)
    ax.set_ylabel("median surface BCMA\n(molecules/cell)")


def panel_density_at_start(ax, arms: list[Arm], styles: list[dict]) -> None:
    """How many cells carry how much surface BCMA on day 0 (the model's density bins, log-log), per arm;
    the cells in bins under the floor are counted: the CAR-T cannot see them."""
    floor = functional_floor(arms[0].run)
    ax.axvspan(1.0, floor, color=FLOOR_COLOUR, alpha=0.10, lw=0)
    ax.axvline(floor, color=FLOOR_COLOUR, ls="--", lw=1.4)
    ax.text(floor * 0.85, 0.5, f"under {floor:g}/cell: CAR-T blind", transform=ax.get_xaxis_transform(), ha="right",
            va="center", rotation=90, fontsize=8.5, color=FLOOR_COLOUR)
    for i, (arm, style) in enumerate(zip(arms, styles)):
        start = density_at_start(arm.run)
        if start is None:
            continue
        edges, cells, visible = start
        shown = np.maximum(cells, 1e-1)
        ax.stairs(shown, edges, baseline=1e-1, lw=style.get("lw", 2.2), color=style["color"], ls=style.get("ls", "-"))
        ax.stairs(np.where(visible, 1e-1, shown), edges, baseline=1e-1, fill=True, color=style["color"], alpha=0.35)
        blind = float(cells[~visible].sum())
        ax.text(0.97, 0.2 - 0.1 * i, f"{readable(blind)} cells\nunder the floor", transform=ax.transAxes,
                fontsize=9, color=style["color"], fontweight="bold", va="top", ha="right")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(3.0, 1e5)
    ax.set_ylim(1.0, None)
    ax.set_xlabel("surface BCMA (molecules/cell)")
    ax.set_ylabel("myeloma cells per density bin\n(bins 2.15-fold wide)")


def panel_soluble_bcma(ax, arms: list[Arm], styles: list[dict], log: bool = True) -> None:
    """Soluble (shed) BCMA in serum per arm: the decoy that blunts BCMA-directed killing."""
    series = [a.run.col("sbcma_ng_per_ml") for a in arms]
    floor = log_axis_floor(series, decades=5, hard_min=1e-6) if log else 0.0
    for arm, style, values in zip(arms, styles, series):
        ax.plot(arm.run.time, clip_positive(values, floor) if log else values, **{"lw": 2.2, **style})
    top = max(float(np.nanmax(s)) for s in series)
    if log:
        ax.set_yscale("log")
        ax.set_ylim(floor, top * 5.0)
    else:
        ax.set_ylim(0, top * 1.15)
    ax.set_ylabel("soluble BCMA\n(ng/mL)")


# --------------------------------------------------------------------------------------------
# T cells and macrophages


def panel_cart_blood(ax, arms: list[Arm], styles: list[dict], after_infusion: bool = False) -> None:
    """CAR-T cells in blood (cells/uL, log) per arm, a star at the peak; against days after each arm's
    infusion if asked."""
    top = 1.0
    for arm, style in zip(arms, styles):
        values = next((arm.run.col(c) for c in arm.run.columns if c.startswith("cart_")
                       and c.endswith("_blood_cells_per_ul")), None)
        infusions = event_days(arm.run, "infusion")
        if values is None or not infusions:
            continue
        t = arm.run.time - infusions[0] if after_infusion else arm.run.time
        keep = t >= 0
        ax.plot(t[keep], clip_positive(values[keep], 1e-3), **{"lw": 2.2, **style})
        peak = int(np.nanargmax(np.where(keep, values, -1.0)))
        ax.plot([t[peak]], [values[peak]], marker="*", ms=14, color=style["color"], mec="black", mew=0.6, zorder=6)
        top = max(top, float(values[peak]))
    ax.set_yscale("log")
    ax.set_ylim(max(1e-3, top * 1e-5), top * 4.0)
    ax.set_ylabel("CAR-T in blood\n(cells/uL)")


def panel_fit_t_cells(ax, arms: list[Arm], styles: list[dict]) -> None:
    """Percent of the patient's own T cells that are fit (not exhausted), with each apheresis marked:
    the CAR-T product is made from the T cells collected there."""
    for arm, style in zip(arms, styles):
        share = fit_t_cell_share(arm.run)
        if share is None:
            continue
        ax.plot(arm.run.time, 100.0 * share, **{"lw": 2.2, **style})
        for day in event_days(arm.run, "apheresis"):
            ax.plot([day], [100.0 * value_on(arm.run, share, day)], marker="^", ms=13, color=style["color"],
                    mec="black", mew=0.8, zorder=6, ls="", clip_on=False)
    ax.set_ylim(0, 105)
    ax.set_ylabel("patient's T cells that\nare fit, not exhausted (%)")


def panel_suppression(ax, arms: list[Arm], styles: list[dict]) -> None:
    """Percent of T-cell killing cut by suppressive macrophages, per arm."""
    for arm, style in zip(arms, styles):
        values = arm.run.col("suppression_fraction")
        if values is not None:
            ax.plot(arm.run.time, 100.0 * values, **{"lw": 2.4, **style})
    ax.set_ylim(-3, 100)
    ax.set_ylabel("T-cell killing cut\nby macrophages (%)")


def panel_cart_blood_total(ax, arms: list[Arm], styles: list[dict]) -> None:
    """CAR-T cells in blood (cells/uL, log), every product of an arm together, a triangle at each infusion."""
    top = 1.0
    for arm, style in zip(arms, styles):
        values = cart_blood_total(arm.run)
        if values is None:
            continue
        ax.plot(arm.run.time, clip_positive(values, 1e-3), **{"lw": 2.2, **style})
        for day in event_days(arm.run, "infusion"):
            ax.plot([day], [max(value_on(arm.run, values, day), 1e-3)], marker="v", ms=10, color=style["color"],
                    mec="black", mew=0.6, ls="", zorder=6)
        top = max(top, float(np.nanmax(values)))
    ax.set_yscale("log")
    ax.set_ylim(1e-3, top * 4.0)
    ax.set_ylabel("CAR-T in blood\n(cells/uL)")


def panel_anti_car(ax, arms: list[Arm], styles: list[dict]) -> None:
    """The host's response against the first product's binder (% of full, solid) per arm; against any other
    binder dotted."""
    for arm, style in zip(arms, styles):
        for k, column in enumerate(anti_car_columns(arm.run)):
            ax.plot(arm.run.time, 100.0 * arm.run.col(column),
                    **{"lw": 2.2 if k == 0 else 1.6, **style, **({} if k == 0 else {"ls": ":"})})
    ax.set_ylim(-3, 105)
    ax.set_ylabel("host response against\nthe CAR binder (%)")

