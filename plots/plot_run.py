#!/usr/bin/python3
"""Draw one PNG summarising a `cartsim run` output folder.

Usage:
    /usr/bin/python3 plots/plot_run.py RUN_DIR [-o OUT.png]

RUN_DIR must hold timeseries.csv; summary.json and manifest.json are optional (without them the
figure has no therapy lines, assessments or scenario name). The default output is RUN_DIR/plot.png.

Myeloma model runs get four panels sharing the time axis:
  1. tumour composition by clone (Muller-style stacked shares) + total tumour cells (log, right axis)
  2. CAR-T cells in blood per product (log) + bispecific drug concentrations (right axis)
  3. M-protein with the PR / VGPR thresholds, response assessments and progressions
  4. median BCMA density with the CAR-T functional floor + suppression fraction (right axis)
Reference-model runs (summary.json has "model") get one small log panel per column.

Each panel is drawn by its own function taking (ax, run) so that other scripts (replicate
overlays, comparisons) can reuse them; `load_run` (run_data.py, which reads the folder and derives
line spans, progressions and clones) builds the `Run` they all read.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plot_common import run_cli, write_figure  # noqa: E402
from run_data import (Clone, Run, clip_positive, clone_status, display_name, find_clones,  # noqa: E402
                      functional_floor, line_spans, load_run, log_floor, muller_order, progressions,
                      therapy_names, value_at)

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

FIGSIZE_IN = (12.0, 10.0)
DPI = 120
CLONE_VISIBILITY_SHARE = 1e-6  # clones whose share never exceeds this are not drawn
LEGEND_CHARS = 34  # longer legend labels do not fit the right margin at font size 8

RESPONSE_COLOURS = {
    "sCR": "#00441b",
    "CR": "#1b7837",
    "VGPR": "#5aae61",
    "PR": "#a6d96a",
    "MR": "#fdae61",
    "SD": "#969696",
    "PD": "#d73027",
}
RESPONSE_ORDER = ["sCR", "CR", "VGPR", "PR", "MR", "SD", "PD"]
LINE_SHADES = ["#fff2cc", "#dbe9f6", "#e5f5e0", "#fde0ef", "#efedf5", "#fee6ce"]

# Clone colours by BCMA status; several clones of one status take successive shades.
BCMA_POSITIVE_COLOURS = ["#1f4e9c", "#4f83cc", "#8fb6e6", "#0b2e63", "#6baed6"]
BCMA_ONE_ALLELE_COLOURS = ["#7b3fa0", "#b07fd4", "#54276f", "#cbb0e3"]
BCMA_NEGATIVE_COLOURS = ["#d62728", "#f28e2b", "#a50f15", "#fdae61", "#e8553d"]


# --------------------------------------------------------------------------------------------
# Therapy-line decorations


def shade_lines(ax, run: Run) -> None:
    """Shade each therapy line's span (names are written in the timeline strip above the panels)."""
    for i, (_, start, stop) in enumerate(line_spans(run)):
        ax.axvspan(start, stop, color=LINE_SHADES[i % len(LINE_SHADES)], alpha=0.6, zorder=0, lw=0)
        if i > 0:
            ax.axvline(start, color="0.6", lw=0.8, zorder=0.5)


def panel_timeline(ax, run: Run) -> None:
    """A thin strip above the panels: one labelled box per therapy line, infusions and progressions."""
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    spans = line_spans(run)
    for i, (name, start, stop) in enumerate(spans):
        colour = LINE_SHADES[i % len(LINE_SHADES)]
        ax.axvspan(start, stop, ymin=0.05, ymax=0.95, facecolor=colour, edgecolor="0.55", lw=0.8)
        therapies = next((ln.get("therapies") for ln in run.lines() if ln.get("name") == name), None)
        label = f"line {i + 1}: {name}"
        if therapies and [str(t) for t in therapies] != [name]:
            label += " (" + ", ".join(str(t) for t in therapies) + ")"
        ax.text((start + stop) / 2.0, 0.5, label, ha="center", va="center", fontsize=9, fontweight="bold",
                color="0.2", clip_on=True)
    if not spans:
        ax.text(0.5, 0.5, "no therapy lines recorded", transform=ax.transAxes, ha="center", va="center",
                fontsize=8, color="0.5")
    infusions = 0
    for event in run.summary.get("events") or []:
        day, text = event.get("day"), str(event.get("event") or "")
        if isinstance(day, (int, float)) and text.startswith("infusion"):
            infusions += 1
            ax.plot(day, 0.95, marker="v", color="#08519c", ms=7, clip_on=False, zorder=5)
    for day, _, _ in progressions(run):
        ax.plot(day, 0.95, marker="v", color="#b2182b", ms=7, clip_on=False, zorder=5)
    death = run.summary.get("death_day")
    if isinstance(death, (int, float)):
        ax.plot(float(death), 0.5, marker="X", color="black", ms=9, zorder=5)
    ax.set_ylabel("therapy", rotation=0, ha="right", va="center", fontsize=9)
    markers = []
    if infusions:
        markers.append(Line2D([], [], marker="v", ls="", color="#08519c", label="CAR-T infusion"))
    if progressions(run):
        markers.append(Line2D([], [], marker="v", ls="", color="#b2182b", label="progression"))
    if isinstance(death, (int, float)):
        markers.append(Line2D([], [], marker="X", ls="", color="black", label="death"))
    if markers:
        ax.legend(handles=markers, loc="center left", bbox_to_anchor=(1.09, 0.5), fontsize=8, frameon=False,
                  ncol=len(markers), handletextpad=0.2, columnspacing=0.8)
    ax.tick_params(axis="x", labelbottom=False, bottom=False)


def mark_progressions(ax, run: Run) -> None:
    for day, _, _ in progressions(run):
        ax.axvline(day, color="#b2182b", ls="--", lw=1.2, zorder=3)
    death = run.summary.get("death_day")
    if isinstance(death, (int, float)):
        ax.axvline(float(death), color="black", ls="-", lw=1.5, zorder=3)


def no_data(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="0.4", fontsize=10)


# --------------------------------------------------------------------------------------------
# Panels


def clone_styles(clones: list[Clone]) -> dict[str, dict]:
    counters = {"pos": 0, "one": 0, "neg": 0}
    palettes = {"pos": BCMA_POSITIVE_COLOURS, "one": BCMA_ONE_ALLELE_COLOURS, "neg": BCMA_NEGATIVE_COLOURS}
    styles = {}
    for clone in clones:
        kind = "pos" if clone.bcma_alleles >= 2 else "one" if clone.bcma_alleles == 1 else "neg"
        palette = palettes[kind]
        colour = palette[counters[kind] % len(palette)]
        counters[kind] += 1
        styles[clone.name] = {"color": colour, "hatch": "xx" if clone.gprc5d_alleles == 0 else None}
    return styles


def panel_tumour_clones(ax, run: Run) -> None:
    """Muller-style shares of each clone in the tumour, total tumour cells on a log twin axis."""
    t = run.time
    clones = [c for c in find_clones(run) if run.col(c.column) is not None]
    total = run.col("tumour_total_cells")
    cells = {c.name: np.nan_to_num(np.maximum(run.col(c.column), 0.0)) for c in clones}
    if total is None and clones:
        total = np.sum(list(cells.values()), axis=0)
    if not clones:
        no_data(ax, "no tumour_<clone>_cells columns")
    else:
        denominator = np.sum(list(cells.values()), axis=0)
        denominator = np.where(denominator > 0, denominator, np.nan)
        shares = {name: np.nan_to_num(value / denominator) for name, value in cells.items()}
        shown = [c for c in clones if shares[c.name].max() > CLONE_VISIBILITY_SHARE]
        hidden = len(clones) - len(shown)
        styles = clone_styles(shown)
        segments = muller_order(shown)
        layers = [shares[clone.name] * weight for clone, weight in segments]
        polys = ax.stackplot(t, *layers, colors=[styles[c.name]["color"] for c, _ in segments])
        for poly, (clone, _) in zip(polys, segments):
            hatch = styles[clone.name]["hatch"]
            # A thin edge of the fill colour hides the anti-aliasing seam between the two halves of a parent.
            poly.set_edgecolor(styles[clone.name]["color"])
            poly.set_linewidth(1.0)
            if hatch:
                poly.set_hatch(hatch)
                poly.set_edgecolor("white")
                poly.set_linewidth(0)
        handles = []
        for clone in shown:
            style = styles[clone.name]
            peak = shares[clone.name].max()
            label = f"{clone.name}: {clone_status(clone)}"
            if len(label) > LEGEND_CHARS:  # the legend sits in the right margin: status on a line of its own
                label = f"{clone.name}:\n  {clone_status(clone)}"
            if peak < 0.01:
                label += f"\n  (peak share {peak:.1g})"
            handles.append(
                Patch(
                    facecolor=style["color"],
                    hatch=style["hatch"],
                    edgecolor="white" if style["hatch"] else style["color"],
                    label=label,
                )
            )
        if hidden:
            handles.append(Patch(facecolor="none", edgecolor="none", label=f"+{hidden} clone(s) < 1e-6 hidden"))
        ax.set_ylim(0, 1)
        ax.set_ylabel("share of tumour")
        handles.append(Line2D([], [], color="black", lw=1.8, label="total tumour cells (right)"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.09, 1.02), fontsize=8, frameon=False)

    if total is not None and np.any(total > 0):
        twin = ax.twinx()
        floor = log_floor(total, decades=8, hard_min=1.0)
        twin.plot(t, clip_positive(total, floor), color="black", lw=1.8)
        twin.set_yscale("log")
        twin.set_ylim(bottom=floor)
        twin.set_ylabel("tumour cells")
    ax.set_title("Tumour composition by clone (Muller plot)", fontsize=10, loc="left")


def panel_cart(ax, run: Run) -> None:
    """CAR-T cells in blood (log) per product; bispecific drug levels on a twin axis."""
    t = run.time
    names = therapy_names(run)
    cart_cols = [c for c in run.columns if re.fullmatch(r"cart_(.+)_blood_cells_per_ul", c)]
    drug_cols = [c for c in run.columns if re.fullmatch(r"drug_(.+)_ug_per_ml", c)]
    cart_colours = ["#08519c", "#2ca25f", "#6a51a3", "#e6550d"]
    drug_colours = ["#e7298a", "#d95f02", "#1b9e77", "#7570b3"]
    handles = []
    any_cart = False
    for i, column in enumerate(cart_cols):
        values = run.col(column)
        if not np.any(values > 0):
            continue
        any_cart = True
        product = display_name(re.fullmatch(r"cart_(.+)_blood_cells_per_ul", column).group(1), names)
        floor = log_floor(values, decades=6, hard_min=1e-4)
        (line,) = ax.plot(t, clip_positive(values, floor), color=cart_colours[i % 4], lw=1.8, label=f"{product} CAR-T")
        handles.append(line)
    if any_cart:
        ax.set_yscale("log")
        floors = [log_floor(run.col(c), 6, 1e-4) for c in cart_cols if np.any(run.col(c) > 0)]
        ax.set_ylim(bottom=min(floors))
        ax.set_ylabel("CAR-T in blood\n(cells/uL)")
        peak_day = run.summary.get("cart_peak_day")
        peak = run.summary.get("cart_peak_blood_cells_per_ul")
        if isinstance(peak_day, (int, float)) and isinstance(peak, (int, float)) and peak > 0:
            ax.annotate(
                f"peak {peak:.3g}/uL, day {peak_day:g}",
                (peak_day, peak),
                xytext=(8, -4),
                textcoords="offset points",
                fontsize=8,
                va="top",
            )
    else:
        ax.set_yticks([])
        ax.set_ylabel("CAR-T in blood")
        if not drug_cols:
            no_data(ax, "no CAR-T product or bispecific antibody in this run")
        else:
            no_data(ax, "no CAR-T product in this run")

    active_drugs = [c for c in drug_cols if np.any(run.col(c) > 0)]
    if active_drugs:
        twin = ax.twinx()
        for i, column in enumerate(active_drugs):
            drug = display_name(re.fullmatch(r"drug_(.+)_ug_per_ml", column).group(1), names)
            (line,) = twin.plot(
                t, run.col(column), color=drug_colours[i % 4], lw=1.5, ls="-", label=f"{drug} (ug/mL, right)"
            )
            handles.append(line)
        twin.set_ylim(bottom=0)
        twin.set_ylabel("bispecific\n(ug/mL)")
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.09, 1.02), fontsize=8, frameon=False)
    ax.set_title("CAR-T expansion and persistence in blood; bispecific antibody levels", fontsize=10, loc="left")


def panel_mprotein(ax, run: Run) -> None:
    """M-protein with PR/VGPR thresholds relative to the start of line 1, assessments, progressions."""
    t = run.time
    mprotein = run.col("mprotein_g_per_dl")
    if mprotein is None or not np.any(mprotein > 0):
        no_data(ax, "no mprotein_g_per_dl column")
        ax.set_ylabel("M-protein (g/dL)")
        return
    spans = line_spans(run)
    start = spans[0][1] if spans else float(t[0])
    baseline = value_at(run, "mprotein_g_per_dl", start) or float(mprotein[0])
    floor = max(log_floor(mprotein, decades=4, hard_min=1e-4), baseline * 1e-4)
    ax.plot(t, clip_positive(mprotein, floor), color="black", lw=1.6, label="M-protein")
    ax.set_yscale("log")
    handles = [Line2D([], [], color="black", lw=1.6, label="M-protein")]
    if baseline > 0:
        thresholds = (
            (1.0, "baseline (line 1 start)", "0.45"),
            (0.5, "PR (50%)", "#4d9221"),
            (0.1, "VGPR (10%)", "#00441b"),
        )
        for fraction, label, colour in thresholds:
            ax.axhline(baseline * fraction, color=colour, ls=":", lw=1.3 if fraction < 1 else 1.0)
            handles.append(Line2D([], [], color=colour, ls=":", lw=1.3, label=f"{label}: {baseline * fraction:.2g}"))
    seen = set()
    for assessment in run.summary.get("assessments") or []:
        day = assessment.get("day")
        value = assessment.get("mprotein_g_per_dl")
        response = str(assessment.get("response") or "")
        if not isinstance(day, (int, float)) or not isinstance(value, (int, float)):
            continue
        colour = RESPONSE_COLOURS.get(response, "#737373")
        marker = "D" if assessment.get("mrd_negative") else "o"
        ax.plot(day, max(value, floor), marker=marker, ms=6, color=colour, mec="black", mew=0.5, zorder=4, ls="")
        seen.add(response)
    for response in sorted(seen, key=lambda r: RESPONSE_ORDER.index(r) if r in RESPONSE_ORDER else 99):
        handles.append(
            Line2D([], [], marker="o", ls="", color=RESPONSE_COLOURS.get(response, "#737373"), mec="black",
                   mew=0.5, label=response)
        )
    if any(a.get("mrd_negative") for a in run.summary.get("assessments") or []):
        handles.append(Line2D([], [], marker="D", ls="", color="white", mec="black", label="MRD-neg"))
    t_min, t_max = float(np.nanmin(t)), float(np.nanmax(t))
    for day, line, relapse in progressions(run):
        on_right = day > t_min + 0.6 * (t_max - t_min)
        text = f"progression day {day:g}: {relapse.replace('_', ' ') or 'type unknown'}"
        ax.text(
            day, 0.04, f"{text} " if on_right else f" {text}",
            transform=ax.get_xaxis_transform(), fontsize=8, color="#b2182b", va="bottom",
            ha="right" if on_right else "left",
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1.0}, zorder=5,
        )
    if progressions(run):
        handles.append(Line2D([], [], color="#b2182b", ls="--", label="progression"))
    ax.set_ylim(bottom=floor, top=max(float(np.nanmax(mprotein)), baseline) * 4.0)
    ax.set_ylabel("M-protein (g/dL)")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.09, 1.02), fontsize=8, frameon=False,
              ncol=2 if len(handles) > 8 else 1, columnspacing=1.0)
    ax.set_title("Serum M-protein and response assessments", fontsize=10, loc="left")


def panel_bcma(ax, run: Run) -> None:
    """Median BCMA density (log) against the binder's functional floor; suppression on a twin axis."""
    t = run.time
    density = run.col("bcma_median_molecules_per_cell")
    handles = []
    if density is not None:
        floor_value = functional_floor(run)
        axis_floor = 1.0
        ax.plot(t, clip_positive(density, axis_floor), color="#1f4e9c", lw=1.6)
        ax.axhline(floor_value, color="#d62728", ls="--", lw=1.2)
        ax.set_yscale("log")
        top = float(np.nanmax(density)) if np.any(density > 0) else floor_value
        ax.set_ylim(axis_floor * 0.8, max(top, floor_value) * 3.0)
        ax.set_ylabel("median BCMA\n(molecules/cell)")
        handles.append(Line2D([], [], color="#1f4e9c", lw=1.6, label="median BCMA density"))
        handles.append(
            Line2D([], [], color="#d62728", ls="--", label=f"functional floor ({floor_value:g}/cell)")
        )
        if np.any(density <= 0):
            note = "at axis bottom: median is 0\n(BCMA-negative majority)"
            handles.append(Patch(facecolor="none", edgecolor="none", label=note))
    else:
        no_data(ax, "no bcma_median_molecules_per_cell column")
    suppression = run.col("suppression_fraction")
    if suppression is not None:
        twin = ax.twinx()
        twin.plot(t, suppression, color="#ff7f00", lw=1.3, alpha=0.9)
        twin.set_ylim(0, max(0.05, float(np.nanmax(suppression)) * 1.15))
        twin.set_ylabel("suppression\nfraction")
        handles.append(Line2D([], [], color="#ff7f00", lw=1.3, label="suppression fraction (right)"))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.09, 1.02), fontsize=8, frameon=False)
    ax.set_title("Target antigen density and immune suppression", fontsize=10, loc="left")


PANELS = (panel_tumour_clones, panel_cart, panel_mprotein, panel_bcma)


# --------------------------------------------------------------------------------------------
# Figures


def title_for(run: Run) -> str:
    summary = run.summary
    parts = [run.name]
    if summary.get("best_response"):
        best = str(summary["best_response"])
        if summary.get("mrd_negative"):
            best += " (MRD-negative)"
        parts.append(f"best response {best}")
    day = summary.get("progression_day")
    if isinstance(day, (int, float)):
        relapse = str(summary.get("relapse_type") or "").replace("_", " ")
        parts.append(f"progression day {day:g}" + (f" ({relapse})" if relapse else ""))
    elif summary:
        parts.append("no progression")
    death = summary.get("death_day")
    if isinstance(death, (int, float)):
        parts.append(f"death day {death:g}")
    return " | ".join(parts)


def figure_run(run: Run):
    fig, axes = plt.subplots(
        5, 1, sharex=True, figsize=FIGSIZE_IN, dpi=DPI, gridspec_kw={"height_ratios": [0.32, 3, 2.2, 2.2, 2.2]}
    )
    fig.subplots_adjust(left=0.09, right=0.70, top=0.905, bottom=0.06, hspace=0.34)
    panel_timeline(axes[0], run)
    for ax, panel in zip(axes[1:], PANELS):
        shade_lines(ax, run)
        mark_progressions(ax, run)
        panel(ax, run)
    axes[0].set_xlim(float(np.nanmin(run.time)), float(np.nanmax(run.time)))
    axes[-1].set_xlabel("time (days)")
    fig.suptitle(title_for(run), fontsize=12, fontweight="bold", x=0.02, ha="left")
    description = run.scenario.get("description")
    if description:
        fig.text(0.02, 0.935, str(description), fontsize=9, color="0.3", ha="left")
    return fig


def figure_reference(run: Run):
    columns = [c for c in run.columns if c != "time_day"]
    ncols = 3 if len(columns) > 4 else 2
    nrows = max(1, math.ceil(len(columns) / ncols))
    fig, axes = plt.subplots(nrows, ncols, sharex=True, figsize=FIGSIZE_IN, dpi=DPI, squeeze=False)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.90, bottom=0.07, hspace=0.45, wspace=0.28)
    t = run.time
    for ax, column in zip(axes.flat, columns):
        values = run.col(column)
        if np.any(values > 0):
            floor = log_floor(values, decades=10, hard_min=1e-300)
            # Clipped values (zeros, values under the floor) in light grey, real values in blue on top.
            ax.plot(t, clip_positive(values, floor), color="0.7", lw=1.0, ls=":")
            ax.plot(t, np.where(values >= floor, values, np.nan), color="#1f4e9c", lw=1.4)
            ax.set_yscale("log")
            if np.any(values < floor):
                ax.text(0.98, 0.95, f"dotted: values < {floor:.2g} (incl. 0)", transform=ax.transAxes,
                        ha="right", va="top", fontsize=7, color="#d62728")
        else:
            ax.plot(t, values, color="#1f4e9c", lw=1.4)
        ax.set_title(column, fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in axes.flat[len(columns):]:
        ax.set_visible(False)
    for column_axes in axes.T:  # the lowest visible panel of each column carries the time axis
        visible = [ax for ax in column_axes if ax.get_visible()]
        if visible:
            visible[-1].tick_params(labelbottom=True)
            visible[-1].set_xlabel("time (days)")
    model = run.summary.get("model")
    extra = ""
    dose = run.summary.get("dose_cells")
    if isinstance(dose, (int, float)):
        extra = f" | dose {dose:.3g} cells"
    name = run.name if run.name != model else ""
    fig.suptitle(f"{name + ' | ' if name else ''}reference model {model}{extra}", fontsize=12, fontweight="bold")
    return fig


def plot_run(run_dir: str | Path, out: str | Path | None = None) -> Path:
    run = load_run(run_dir)
    out = Path(out) if out else Path(run_dir) / "plot.png"
    fig = figure_reference(run) if run.is_reference else figure_run(run)
    return write_figure(fig, out, DPI)


def main(argv: list[str] | None = None) -> int:
    return run_cli("plot_run", "Plot a cartsim run folder into one PNG.",
                   "folder written by `cartsim run ... -o RUN_DIR`", "PNG to write (default: RUN_DIR/plot.png)",
                   plot_run, argv)


if __name__ == "__main__":
    sys.exit(main())
