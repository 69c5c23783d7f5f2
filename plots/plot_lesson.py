#!/usr/bin/python3
"""Draw the teaching figure of a lesson (scenarios/lessons/) from its output folder.

Usage:
    cartsim run scenarios/lessons/LESSON.yaml -o OUT
    /usr/bin/python3 plots/plot_lesson.py OUT [-o OUT/lesson.png] [--cartsim PATH]

A single-patient lesson is drawn from OUT/timeseries.csv. A lesson with arms (a tiny study) keeps no
time series, so each arm is first run again as a single patient into OUT/arms/ (plot_lesson_data.py;
cartsim from --cartsim, $CARTSIM or build/src/cli/cartsim) and checked against OUT/patients.csv.
The figure is chosen by the scenario name (one per lesson; an unknown name gets a general figure)
and written to OUT/lesson.png (1440x1080 px) through a temporary name; its path is printed.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plot_common import PlotError, write_figure  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from plot_lesson_data import (Lesson, cart_remission_days, cells_by_bcma, event_days,  # noqa: E402
                              first_progression, fit_t_cell_share, horizon, load_lesson, value_on)
from plot_lesson_panels import (arm_handles, bars_for_arms, cleared_handle, mark_relapse,  # noqa: E402
                                panel_anti_car, panel_bcma_status, panel_cart_blood, panel_cart_blood_total,
                                panel_density_at_start, panel_fit_t_cells,
                                panel_median_bcma, panel_negative_share, panel_relapse_makeup, panel_soluble_bcma,
                                panel_suppression, panel_tumour, relapse_handle, shade_therapy)
from plot_lesson_captions import caption  # noqa: E402
from run_data import clip_positive, line_spans  # noqa: E402

FIGSIZE_IN = (12.0, 9.0)
DPI = 120
DAYS = "time since the start of therapy (days)"
GENERAL_COLOURS = ["#e66101", "#1b9e77", "#7570b3", "#a6761d", "#e7298a", "#66a61e"]


def styles_of(colours: list[str], count: int, dashed: tuple[int, ...] = ()) -> list[dict]:
    """Line styles for `count` arms from `colours` (repeated if short); earlier arms are drawn wider, so
    where the curves of two arms coincide the later one shows on top of the earlier one."""
    colours = (colours * (count // max(1, len(colours)) + 1))[:count]
    return [{"color": c, "ls": "--" if i in dashed else "-", "lw": 2.2 + 0.7 * (count - 1 - i)}
            for i, c in enumerate(colours)]


STORY_CHARS = 150  # characters per line of the story at font size 10 across the 12-inch figure
STORY_LINE = 10 * 1.2 / 72 / FIGSIZE_IN[1]  # height of one story line, figure fraction


def titles(fig, title: str, story: str) -> float:
    """The title and the story (wrapped to the figure's width); returns the figure fraction under the story."""
    fig.suptitle(title, fontsize=14, fontweight="bold", x=0.03, y=0.985, ha="left")
    lines = [line for paragraph in story.split("\n")
             for line in textwrap.wrap(paragraph, STORY_CHARS, break_on_hyphens=False)]
    fig.text(0.03, 0.935, "\n".join(lines), fontsize=10, color="0.25", ha="left", va="top")
    return 0.935 - STORY_LINE * len(lines)


def panel_title(ax, text: str) -> None:
    ax.set_title(text, fontsize=10.5, loc="left", fontweight="bold", color="0.2")


def days_to_relapse(arms) -> tuple[list[float], list[str]]:
    """Days to the first progression per arm, or to the end of follow-up (labelled '>= N, none')."""
    values, labels = [], []
    for arm in arms:
        found = first_progression(arm.run)
        days = found[0] if found else horizon(arm.run)
        values.append(days)
        labels.append(f"{days:g}" if found else f"\u2265{days:g} (none)")
    return values, labels


# --------------------------------------------------------------------------------------------
# Lesson 1: a pre-existing BCMA-negative clone


def figure_escape(lesson: Lesson):
    run = lesson.arms[0].run
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=FIGSIZE_IN, dpi=DPI,
                             gridspec_kw={"height_ratios": [3.0, 1.4, 1.4]})
    top = titles(fig, "Lesson 1: antigen escape by a pre-existing BCMA-negative clone", caption(lesson))
    fig.subplots_adjust(left=0.1, right=0.97, top=top - 0.05, bottom=0.07, hspace=0.3)
    found = first_progression(run)
    groups = cells_by_bcma(run)
    negative = groups.get("negative", np.zeros_like(run.time))
    total = sum(groups.values())
    for ax in axes:
        shade_therapy(ax, run)
        if found:
            ax.axvline(found[0], color="#b2182b", ls="--", lw=1.3, zorder=2)

    ax = axes[0]
    panel_bcma_status(ax, run)
    panel_title(ax, "Myeloma cells by BCMA status (shaded: on CAR-T)")
    spans = line_spans(run)
    if spans:
        name, start, stop = spans[0]
        ax.text((start + stop) / 2, 0.97, f"CAR-T line ({name})", transform=ax.get_xaxis_transform(),
                ha="center", va="top", fontsize=9, color="0.35")
    positive = groups.get("positive")
    if positive is not None:
        day = 20.0
        ax.annotate("the CAR-T melt the\nBCMA-positive tumour", (day, value_on(run, positive, day)),
                    xytext=(day + 40, value_on(run, positive, 0) / 10), fontsize=10.5, color="#1f4e9c",
                    arrowprops={"arrowstyle": "->", "color": "#1f4e9c"})
        day = 0.8 * horizon(run)
        ax.annotate("a BCMA-dim rest, held in check\nby the CAR-T that persist", (day, value_on(run, positive, day)),
                    xytext=(day, value_on(run, positive, day) / 60), fontsize=9, color="#1f4e9c", ha="center",
                    arrowprops={"arrowstyle": "->", "color": "#1f4e9c"})
    if np.any(negative > 0):
        day = 0.45 * (found[0] if found else horizon(run))
        ax.annotate("the BCMA-negative clone is\ninvisible to them and grows",
                    (day, value_on(run, negative, day)), xytext=(day + 25, value_on(run, negative, day) / 300),
                    fontsize=10.5, color="#d62728", arrowprops={"arrowstyle": "->", "color": "#d62728"})
    if found:
        share = value_on(run, negative, found[0]) / max(value_on(run, total, found[0]), 1.0)
        ax.text(found[0], 0.03, f" relapse, day {found[0]:g}:\n {100 * share:.0f}% BCMA-negative",
                transform=ax.get_xaxis_transform(), fontsize=10, color="#b2182b", va="bottom", ha="left")

    ax = axes[1]
    panel_cart_blood(ax, [lesson.arms[0]], styles_of(["#08519c"], 1))
    panel_title(ax, "CAR-T cells in blood (\u2605 peak)")

    ax = axes[2]
    mprotein = run.col("mprotein_g_per_dl")
    bottom = max(1e-3, float(np.nanmax(mprotein)) * 1e-4)
    ax.plot(run.time, clip_positive(mprotein, bottom), color="black", lw=2.0)
    mark_relapse(ax, run, mprotein, "black", bottom)
    ax.set_yscale("log")
    ax.set_ylim(bottom, float(np.nanmax(mprotein)) * 5)
    ax.set_ylabel("M-protein\n(g/dL)")
    panel_title(ax, "Serum M-protein, what the clinic measures (\u25cb relapse)")
    ax.set_xlabel(DAYS)
    ax.set_xlim(0, horizon(run))

    return fig


# --------------------------------------------------------------------------------------------
# Lesson 2: BCMA-low cells escape; a gamma-secretase inhibitor lifts them over the floor


def figure_gsi(lesson: Lesson):
    arms = lesson.arms
    styles = styles_of(["#e66101", "#1b9e77"] + GENERAL_COLOURS[2:], len(arms))
    fig = plt.figure(figsize=FIGSIZE_IN, dpi=DPI)
    top = titles(fig, "Lesson 2: antigen-low escape, and a gamma-secretase inhibitor against it", caption(lesson))
    grid = fig.add_gridspec(3, 2, width_ratios=[2.0, 1.0], height_ratios=[2.0, 1.6, 1.2], left=0.1, right=0.98,
                            top=top - 0.07, bottom=0.07, hspace=0.55, wspace=0.32)
    tumour_ax = fig.add_subplot(grid[0, 0])
    median_ax = fig.add_subplot(grid[1, 0], sharex=tumour_ax)
    shed_ax = fig.add_subplot(grid[2, 0])
    relapse_ax = fig.add_subplot(grid[0, 1])
    start_ax = fig.add_subplot(grid[1:, 1])

    panel_tumour(tumour_ax, arms, styles)
    panel_title(tumour_ax, "Myeloma cells (\u25cb relapse)")
    tumour_ax.legend(handles=arm_handles(arms, styles), loc="lower right", fontsize=9, frameon=False)
    panel_median_bcma(median_ax, arms, styles)
    panel_title(median_ax, "BCMA on the cells that are left: the CAR-T leave the dimmest")
    median_ax.set_xlabel(DAYS)
    median_ax.set_xlim(0, max(horizon(a.run) for a in arms))
    plt.setp(tumour_ax.get_xticklabels(), visible=False)
    panel_soluble_bcma(shed_ax, arms, styles, log=False)
    panel_title(shed_ax, "Shed BCMA in serum, a decoy for the CAR-T: the first month")
    shed_ax.set_xlabel(DAYS)
    shed_ax.set_xlim(0, 30)

    values, labels = days_to_relapse(arms)
    bars_for_arms(relapse_ax, arms, styles, values, "Days until the relapse", labels, "days")
    panel_density_at_start(start_ax, arms, styles)
    panel_title(start_ax, "Day 0: BCMA per cell")

    return fig


# --------------------------------------------------------------------------------------------
# Lesson 3: a bispecific first exhausts the T cells the CAR-T is made from


def figure_exhaustion(lesson: Lesson):
    arms = lesson.arms
    styles = styles_of(["#2166ac", "#b2182b", "#f4a582"] + GENERAL_COLOURS[3:], len(arms), dashed=(2,))
    fig = plt.figure(figsize=FIGSIZE_IN, dpi=DPI)
    top = titles(fig, "Lesson 3: T-cell exhaustion, and why a bispecific first weakens the CAR-T after it",
                 caption(lesson))
    grid = fig.add_gridspec(2, 2, width_ratios=[2.0, 1.0], left=0.09, right=0.98, top=top - 0.09, bottom=0.08,
                            hspace=0.36, wspace=0.3)
    fit_ax = fig.add_subplot(grid[0, 0])
    tumour_ax = fig.add_subplot(grid[1, 0], sharex=fit_ax)
    cart_ax = fig.add_subplot(grid[0, 1])
    bars = grid[1, 1].subgridspec(3, 1, hspace=1.25)

    panel_fit_t_cells(fit_ax, arms, styles)
    panel_title(fit_ax, "The patient's own T cells (\u25b2 apheresis: the CAR-T are made from these)")
    plt.setp(fit_ax.get_xticklabels(), visible=False)

    panel_tumour(tumour_ax, arms, styles)
    for arm, style in zip(arms, styles):
        values = arm.run.col("tumour_total_cells")
        for day in event_days(arm.run, "infusion"):
            tumour_ax.plot([day], [value_on(arm.run, values, day) * 6], marker="v", ms=11, color=style["color"],
                           mec="black", mew=0.6, ls="", zorder=6, clip_on=False)
    panel_title(tumour_ax, "Myeloma cells (\u25bc CAR-T infusion)")
    tumour_ax.legend(handles=arm_handles(arms, styles) + [relapse_handle(), cleared_handle()], loc="center right",
                     fontsize=8.5, frameon=True, framealpha=0.9)
    tumour_ax.set_xlabel(DAYS)
    tumour_ax.set_xlim(0, max(horizon(a.run) for a in arms))

    panel_cart_blood(cart_ax, arms, styles, after_infusion=True)
    cart_ax.set_xlim(0, 120)
    cart_ax.set_xlabel("days after the CAR-T infusion")
    panel_title(cart_ax, "CAR-T expansion (\u2605 peak)")

    fit_at_apheresis, peaks, remission, remission_labels = [], [], [], []
    for arm in arms:
        share, days = fit_t_cell_share(arm.run), event_days(arm.run, "apheresis")
        fit_at_apheresis.append(100.0 * value_on(arm.run, share, days[0]) if share is not None and days else None)
        peak = arm.run.summary.get("cart_peak_blood_cells_per_ul")
        peaks.append(float(peak) if isinstance(peak, (int, float)) else None)
        days_in_remission, progressed = cart_remission_days(arm.run)
        remission.append(days_in_remission)
        remission_labels.append(f"{days_in_remission:.0f}" if progressed else f"\u2265{days_in_remission:.0f} (none)")
    bars_for_arms(fig.add_subplot(bars[0, 0]), arms, styles, fit_at_apheresis, "Fit T cells at apheresis",
                  [f"{v:.0f}%" if v is not None else "none" for v in fit_at_apheresis], "% of T cells")
    bars_for_arms(fig.add_subplot(bars[1, 0]), arms, styles, peaks, "CAR-T peak in blood",
                  [f"{v:.0f}" if v is not None else "none" for v in peaks], "cells/uL")
    bars_for_arms(fig.add_subplot(bars[2, 0]), arms, styles, remission, "From CAR-T to progression",
                  remission_labels, "days")

    return fig


# --------------------------------------------------------------------------------------------
# Lesson 4: macrophages, suppression and APRIL


def figure_macrophages(lesson: Lesson):
    arms = lesson.arms
    styles = styles_of(["#8c510a", "#01665e", "#762a83", "#7fbc41"] + GENERAL_COLOURS[4:], len(arms), dashed=(2,))
    fig = plt.figure(figsize=FIGSIZE_IN, dpi=DPI)
    top = titles(fig, "Lesson 4: macrophages, immune suppression and the APRIL trade-off", caption(lesson))
    grid = fig.add_gridspec(2, 2, width_ratios=[1.9, 1.0], left=0.09, right=0.98, top=top - 0.1, bottom=0.15,
                            hspace=0.4, wspace=0.3)
    suppression_ax = fig.add_subplot(grid[0, 0])
    share_ax = fig.add_subplot(grid[1, 0], sharex=suppression_ax)
    tumour_ax = fig.add_subplot(grid[0, 1])
    makeup_ax = fig.add_subplot(grid[1, 1])

    panel_suppression(suppression_ax, arms, styles)
    panel_title(suppression_ax, "Suppressive macrophages blunt the CAR-T")
    plt.setp(suppression_ax.get_xticklabels(), visible=False)

    panel_negative_share(share_ax, arms, styles)
    panel_title(share_ax, "APRIL from macrophages keeps BCMA-positive cells ahead (\u25cb relapse)")
    share_ax.set_xlabel(DAYS)
    share_ax.set_xlim(0, max(horizon(a.run) for a in arms))

    panel_tumour(tumour_ax, arms, styles, decades=5)
    tumour_ax.set_xlabel(DAYS)
    panel_title(tumour_ax, "Myeloma cells (\u25cb relapse)")

    panel_relapse_makeup(makeup_ax, arms, styles)
    panel_title(makeup_ax, "What the relapse is made of")

    fig.legend(handles=arm_handles(arms, styles), loc="upper left", bbox_to_anchor=(0.09, top - 0.015), ncol=len(arms),
               fontsize=10, frameon=False)
    return fig


# --------------------------------------------------------------------------------------------
# Lesson 5: the host remembers the CAR it rejected


def figure_anti_car(lesson: Lesson):
    arms = lesson.arms
    styles = styles_of(["#b2182b", "#2166ac", "#f4a582"] + GENERAL_COLOURS[3:], len(arms), dashed=(2,))
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=FIGSIZE_IN, dpi=DPI)
    top = titles(fig, "Lesson 5: the host remembers the CAR it rejected", caption(lesson))
    fig.subplots_adjust(left=0.1, right=0.97, top=top - 0.06, bottom=0.07, hspace=0.3)
    panel_tumour(axes[0], arms, styles)
    panel_title(axes[0], "Myeloma cells (\u25cb relapse)")
    axes[0].legend(handles=arm_handles(arms, styles) + [relapse_handle(), cleared_handle()], loc="lower left",
                   fontsize=8.5, frameon=True, framealpha=0.9)
    panel_cart_blood_total(axes[1], arms, styles)
    panel_title(axes[1], "CAR-T cells in blood, every product (\u25bc infusion)")
    panel_anti_car(axes[2], arms, styles)
    panel_title(axes[2], "The host's response against ide-cel's binder (dotted: against the other binder)")
    axes[2].set_xlabel(DAYS)
    axes[2].set_xlim(0, max(horizon(a.run) for a in arms))
    return fig


# --------------------------------------------------------------------------------------------
# Any other lesson folder


def figure_general(lesson: Lesson):
    arms = lesson.arms
    styles = styles_of(GENERAL_COLOURS, len(arms))
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=FIGSIZE_IN, dpi=DPI)
    top = titles(fig, lesson.name, caption(lesson))
    fig.subplots_adjust(left=0.1, right=0.97, top=top - 0.06, bottom=0.07, hspace=0.3)
    panel_tumour(axes[0], arms, styles)
    panel_title(axes[0], "Myeloma cells (\u25cb relapse)")
    axes[0].legend(handles=arm_handles(arms, styles) + [relapse_handle()], loc="upper right", fontsize=8.5,
                   frameon=False)
    panel_cart_blood(axes[1], arms, styles)
    panel_title(axes[1], "CAR-T cells in blood (\u2605 peak)")
    panel_median_bcma(axes[2], arms, styles)
    panel_title(axes[2], "Median surface BCMA")
    axes[2].set_xlabel(DAYS)
    return fig


FIGURES = {
    "antigen-escape-preexisting": figure_escape,
    "antigen-low-gsi": figure_gsi,
    "exhaustion-bispecific-first": figure_exhaustion,
    "macrophages-april": figure_macrophages,
    "rejection-reinfusion": figure_anti_car,
}


def plot_lesson(folder: str | Path, out: str | Path | None = None, cartsim: str | None = None) -> Path:
    lesson = load_lesson(folder, cartsim)
    figure = FIGURES.get(lesson.name, figure_general)
    out = Path(out) if out else Path(folder) / "lesson.png"
    return write_figure(figure(lesson), out, DPI)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plot_lesson", description="Draw the figure of a cartsim lesson.")
    parser.add_argument("folder", help="folder written by `cartsim run scenarios/lessons/LESSON.yaml -o FOLDER`")
    parser.add_argument("-o", "--output", help="PNG to write (default: FOLDER/lesson.png)")
    parser.add_argument("--cartsim", help="cartsim binary for re-running the arms (default: $CARTSIM, "
                        "else build/src/cli/cartsim)")
    args = parser.parse_args(argv)
    try:
        out = plot_lesson(args.folder, args.output, args.cartsim)
    except PlotError as error:
        print(f"plot_lesson: {error}", file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
