"""Kaplan-Meier figure of a study folder (km.png), times in months.

Up to MAX_KM_GROUPS arms (or sweep points): line-1 PFS and OS side by side, every arm in one panel with
its 95% band, censoring ticks and median, the numbers at risk under each panel and, below them, a
legend giving each arm's n, median and hazard ratio against the reference arm. Arms whose curves
coincide are drawn wider first and in distinct dash patterns, and the legend says so.

More arms: small multiples, one panel per arm against the reference arm (PFS solid, OS dashed), the
hazard ratios written in each panel; for any number of arms, but a sweep of more than MAX_KM_POINTS
points (a Sobol design) gets no km.png.

The reference arm is the first arm unless one is named (`--reference`, or the study's, found in
summary.json as `reference_arm` or as the `reference_arm` of its first comparison). Hazard ratios and
log-rank p come from summary.json's `comparisons` (HR of arm against reference_arm; inverted when the
file holds them the other way round).
"""

from __future__ import annotations

import math
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from study_data import (DAYS_PER_MONTH, Study, failed_note, group_colours, month_grid,  # noqa: E402
                        numbers_at_risk)

MAX_KM_GROUPS = 8  # more arms than this get one panel per arm against the reference
MAX_KM_POINTS = 40  # a sweep with more points (a Sobol design) gets no km.png: sweep.csv tells more
ENDPOINTS = [("pfs", "pfs_days", "PFS", "PFS: progression-free survival on line 1"),
             ("os", "os_days", "OS", "OS: overall survival")]
DASHES = ["solid", (0, (6, 2.5)), (0, (1.5, 1.5)), (0, (8, 2, 1.5, 2)), (0, (3, 1.5)), (0, (10, 3)),
          (0, (4, 1.5, 1.5, 1.5, 1.5, 1.5)), (0, (2, 3))]
CHAR_IN = 0.062  # width of an average character at font size 8, inches
REFERENCE_COLOUR = "0.35"
ARM_COLOUR = "#1f77b4"


def months(days: float) -> float:
    return days / DAYS_PER_MONTH


def km_groups(study: Study) -> list[str]:
    present = {row["arm"] for row in study.km or []}
    return [group for group in study.groups if group in present]


def reference_group(study: Study, groups: list[str]) -> str:
    """The arm the others are compared with: --reference, else the study's (summary.json's `reference_arm`,
    or the `reference_arm` of its first comparison), else the first arm."""
    comparisons = [c for c in study.summary.get("comparisons") or [] if isinstance(c, dict)]
    for named in (study.reference, study.summary.get("reference_arm"),
                  comparisons[0].get("reference_arm") if comparisons else None):
        if named in groups:
            return named
    return groups[0]


def group_title(study: Study, group: str) -> str:
    """The arm's name; for a sweep point also its parameter values (last part of each path)."""
    row = next((r for r in study.sweep or [] if r["point"] == group), None)
    if row is None:
        return group
    values = [f"{name.split('.')[-1]}={row[name]:.3g}" for name in study.sweep_parameters() if row[name] is not None]
    return f"{group}: {', '.join(values)}" if values else group


def why_not_km(study: Study) -> str | None:
    if study.km is None:
        return f"{study.folder / 'km.csv'} not found"
    if not km_groups(study):
        return f"{study.folder / 'km.csv'} has no rows for the {study.group_column}s of summary.json"
    if study.kind == "sweep" and len(km_groups(study)) > MAX_KM_POINTS:
        return f"{study.folder / 'km.csv'} has {len(km_groups(study))} points, more than {MAX_KM_POINTS} panels"
    if study.reference is not None and study.reference not in km_groups(study):
        return f"--reference {study.reference!r} is not a {study.group_column} of {study.folder / 'km.csv'}"
    return None


def curve_rows(study: Study, group: str, endpoint: str) -> list[dict]:
    return sorted((r for r in study.km if r["arm"] == group and r["endpoint"] == endpoint),
                  key=lambda r: r["time_days"])


def same_curve(a: list[dict], b: list[dict]) -> bool:
    """The same steps (times, survival) and censoring: one curve would hide the other."""
    if len(a) != len(b) or not a:
        return False
    for x, y in zip(a, b):
        if x["censored"] != y["censored"] or abs(x["time_days"] - y["time_days"]) > 1e-9:
            return False
        if (x["survival"] is None) != (y["survival"] is None):
            return False
        if x["survival"] is not None and abs(x["survival"] - y["survival"]) > 1e-12:
            return False
    return True


def coinciding(study: Study, groups: list[str], endpoint: str) -> dict[str, list[str]]:
    """Each group -> the groups drawn with the very same curve (itself included), in group order."""
    curves = {g: curve_rows(study, g, endpoint) for g in groups}
    return {g: [h for h in groups if h == g or same_curve(curves[g], curves[h])] for g in groups}


def median_text(entry: dict, key: str, label: str) -> str:
    median = (entry or {}).get(key)
    if not isinstance(median, dict) or not isinstance(median.get("value"), (int, float)):
        return f"median {label} not reached"

    def bound(value):
        return f"{months(value):.1f}" if isinstance(value, (int, float)) else "NR"

    return (f"median {label} {months(median['value']):.1f} mo "
            f"(95% CI {bound(median.get('ci_low'))}-{bound(median.get('ci_high'))})")


def hazard_ratio(study: Study, arm: str, reference: str, endpoint: str) -> tuple[dict, float | None] | None:
    """(HR of `arm` against `reference` as {value, ci_low, ci_high}, log-rank p), or None if not compared.
    A comparison names its arms `reference_arm` and `arm` (HR arm / reference_arm)."""
    for comparison in study.summary.get("comparisons") or []:
        if not isinstance(comparison, dict) or comparison.get("endpoint") != endpoint:
            continue
        pair = (comparison.get("reference_arm"), comparison.get("arm"))
        if pair not in ((reference, arm), (arm, reference)):
            continue
        ratio = dict(comparison.get("hazard_ratio") or {})
        p = comparison.get("logrank_p")
        if pair == (arm, reference):  # the file holds reference vs arm: invert
            ratio = {key: (1.0 / ratio[other] if isinstance(ratio.get(other), (int, float)) and ratio[other] else None)
                     for key, other in (("value", "value"), ("ci_low", "ci_high"), ("ci_high", "ci_low"))}
        return ratio, p if isinstance(p, (int, float)) else None
    return None


def ratio_text(study: Study, arm: str, reference: str, endpoint: str) -> str:
    """'HR 0.38 (0.13-1.11), log-rank p = 0.070', or '' when summary.json has no such comparison."""
    found = hazard_ratio(study, arm, reference, endpoint)
    if found is None:
        return ""
    ratio, p = found
    text = "HR not estimable"
    if isinstance(ratio.get("value"), (int, float)):
        text = f"HR {ratio['value']:.2f}"
        if isinstance(ratio.get("ci_low"), (int, float)) and isinstance(ratio.get("ci_high"), (int, float)):
            text += f" ({ratio['ci_low']:.2f}-{ratio['ci_high']:.2f})"
    if p is not None:
        text += f", log-rank p {'< 0.001' if p < 0.001 else f'= {p:.3f}'}"
    return text


def wrap(text: str, width_in: float, size: float = 8.0) -> str:
    """`text` wrapped to fit `width_in` inches at font size `size`, line by line."""
    chars = max(12, int(width_in / (CHAR_IN * size / 8.0)))
    return "\n".join(part for line in text.split("\n") for part in (textwrap.wrap(line, chars) or [""]))


def draw_curve(ax, rows: list[dict], colour, style, width: float, zorder: float, band: bool = True) -> None:
    t = [months(r["time_days"]) for r in rows]
    survival = [r["survival"] if r["survival"] is not None else float("nan") for r in rows]
    ax.step(t, survival, where="post", color=colour, ls=style, lw=width, zorder=zorder)
    if band:
        low = [r["ci_low"] if r["ci_low"] is not None else float("nan") for r in rows]
        high = [r["ci_high"] if r["ci_high"] is not None else float("nan") for r in rows]
        ax.fill_between(t, low, high, step="post", color=colour, alpha=0.12, lw=0, zorder=2)
    censored = [(months(r["time_days"]), r["survival"]) for r in rows if r["censored"]]
    if censored:
        ax.plot(*zip(*censored), ls="", marker="|", ms=6, mew=1.0, color=colour, zorder=zorder + 0.5)


def axes_in(fig, left: float, top: float, width: float, height: float, **kwargs):
    """An axes placed in inches from the figure's left and top edges."""
    fig_w, fig_h = fig.get_figwidth(), fig.get_figheight()
    return fig.add_axes([left / fig_w, 1 - (top + height) / fig_h, width / fig_w, height / fig_h], **kwargs)


# --------------------------------------------------------------------------------------------
# Up to MAX_KM_GROUPS arms: all curves in one panel per endpoint


def legend_entries(study: Study, groups: list[str], endpoint: str, short: str, width_in: float):
    """(handles, labels, line widths) of the legend under a panel: per arm its n, median, whether its curve
    coincides with another arm's, and its hazard ratio against the reference; coinciding curves get
    wider lines the earlier they are drawn, so the later ones show on top."""
    colours = group_colours(groups)
    reference = reference_group(study, groups)
    same = coinciding(study, groups, endpoint)
    handles, labels, widths = [], [], {}
    for i, group in enumerate(groups):
        twins = same[group]
        widths[group] = 1.8 + 1.6 * (len(twins) - 1 - twins.index(group))
        n = sum(1 for row in study.patients if row[study.group_column] == group)
        label = f"{group} (n={n}): {median_text(study.entries.get(group), f'median_{endpoint}_days', short)}"
        if len(twins) > 1:
            label += f"; same curve as {', '.join(t for t in twins if t != group)}"
        versus = ratio_text(study, group, reference, endpoint) if len(groups) > 1 else ""
        if group == reference and len(groups) > 1:
            label += "\nreference arm of the hazard ratios"
        elif versus:
            label += f"\n{versus} vs {reference}"
        handles.append(Line2D([], [], color=colours[group], ls=DASHES[i % len(DASHES)], lw=min(widths[group], 3.0)))
        labels.append(wrap(label, width_in))
    handles.append(Line2D([], [], ls="", marker="|", color="0.3"))
    labels.append("censored")
    return handles, labels, widths


def legend_height(labels: list[str]) -> float:
    """Inches taken by a font-size-8 legend of these labels."""
    return 0.14 * sum(label.count("\n") + 1 for label in labels) + 0.056 * len(labels) + 0.1


def panel_km(ax, table, legend_ax, study: Study, groups: list[str], endpoint: str, time_column: str,
             title: str, legend) -> None:
    colours = group_colours(groups)
    handles, labels, widths = legend
    grid = month_grid(study.horizon_days)
    valid = {g: [row for row in study.patients if row[study.group_column] == g] for g in groups}
    for i, group in enumerate(groups):
        rows = curve_rows(study, group, endpoint)
        if rows:
            draw_curve(ax, rows, colours[group], DASHES[i % len(DASHES)], widths[group], zorder=3 + 0.1 * i)
        median = ((study.entries.get(group) or {}).get(f"median_{endpoint}_days") or {}).get("value")
        if isinstance(median, (int, float)):
            ax.plot([0, months(median), months(median)], [0.5, 0.5, 0], color=colours[group], ls=":", lw=1.1,
                    zorder=2)
    ax.set_xlim(0, months(study.horizon_days))
    ax.set_ylim(0, 1.03)
    ax.set_xticks(grid)
    ax.tick_params(labelbottom=False)
    ax.set_ylabel("survival probability")
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(color="0.92", zorder=0)

    legend_ax.axis("off")
    legend_ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.0, 1.0), borderaxespad=0.0, fontsize=8,
                     frameon=False, handlelength=3.2)

    at_risk = {g: numbers_at_risk([r[time_column] for r in valid[g]], [m * DAYS_PER_MONTH for m in grid])
               for g in groups}
    table.set_ylim(len(groups) - 0.5, -0.5)
    for i, group in enumerate(groups):
        for month, count in zip(grid, at_risk[group]):
            table.text(month, i, str(count), ha="center", va="center", fontsize=8, color=colours[group])
    table.set_yticks(range(len(groups)))
    table.set_yticklabels([textwrap.shorten(g, 40, placeholder="...") for g in groups], fontsize=8)
    for label, group in zip(table.get_yticklabels(), groups):
        label.set_color(colours[group])
    table.tick_params(axis="y", left=False, pad=14)
    for side in ("top", "right", "left"):
        table.spines[side].set_visible(False)
    table.set_title("number at risk", fontsize=8, loc="left", color="0.3")
    table.set_xlabel("time since start (months)" if endpoint == "os" else "time since start of line 1 (months)")


def figure_km_panels(study: Study, groups: list[str]):
    longest = min(40, max(len(str(g)) for g in groups))
    left = max(0.95, 0.35 + CHAR_IN * longest)  # the numbers-at-risk labels sit in the left margin
    width, gap, right = 14.0, 0.35, 0.35
    panel = (width - 2 * left - gap - right) / 2
    legends = [legend_entries(study, groups, endpoint, short, panel + left - 0.9)
               for endpoint, _, short, _ in ENDPOINTS]
    table_height = 0.35 + 0.28 * len(groups)
    legend_room = max(legend_height(labels) for _, labels, _ in legends)
    heights = (1.05, 4.2, 0.32, table_height, 0.75, legend_room, 0.1)  # header, km, gap, table, axis, legend
    fig = plt.figure(figsize=(width, sum(heights)))
    for column, (endpoint, time_column, _, title) in enumerate(ENDPOINTS):
        x = left + column * (panel + left + gap)
        ax = axes_in(fig, x, heights[0], panel, heights[1])
        table = axes_in(fig, x, sum(heights[:3]), panel, heights[3], sharex=ax)
        legend_ax = axes_in(fig, x - left + 0.1, sum(heights[:5]), panel + left - 0.2, heights[5])
        panel_km(ax, table, legend_ax, study, groups, endpoint, time_column, title, legends[column])
    fig.suptitle(f"{study.name}: Kaplan-Meier estimates by {study.group_column}", fontsize=13,
                 fontweight="bold", x=0.02, y=1 - 0.12 / fig.get_figheight(), ha="left", va="top")
    note = "shading: 95% confidence band; dotted: median; | censored; numbers at risk from patients.csv"
    if study.failed:
        note += f"; {failed_note(study)}"
    fig.text(0.02, 1 - 0.5 / fig.get_figheight(), wrap(note, width - 0.5, 8.5), fontsize=8.5, color="0.3",
             ha="left", va="top")
    return fig


# --------------------------------------------------------------------------------------------
# More arms: small multiples against the reference arm


def panel_versus(ax, study: Study, group: str, reference: str) -> None:
    notes = []
    for endpoint, style, short in (("pfs", "solid", "PFS"), ("os", (0, (5, 2)), "OS")):
        ref_rows, rows = curve_rows(study, reference, endpoint), curve_rows(study, group, endpoint)
        draw_curve(ax, ref_rows, REFERENCE_COLOUR, style, 3.0, zorder=3, band=False)
        draw_curve(ax, rows, ARM_COLOUR, style, 1.5, zorder=4, band=endpoint == "pfs")
        versus = ratio_text(study, group, reference, endpoint).replace("log-rank ", "")
        if same_curve(ref_rows, rows):
            notes.append(f"{short}: same curve as the reference")
        elif versus:
            notes.append(f"{short} {versus}")
    ax.set_xlim(0, months(study.horizon_days))
    ax.set_ylim(0, 1.03)
    ax.set_xticks(month_grid(study.horizon_days, max_intervals=6))
    ax.grid(color="0.92", zorder=0)
    ax.tick_params(labelsize=8)
    ax.set_title(wrap(group_title(study, group), 3.0, 9.5), fontsize=9.5, loc="left")
    if notes:
        ax.text(0.03, 0.04, "\n".join(notes), transform=ax.transAxes, fontsize=7.5, ha="left", va="bottom",
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "0.7", "alpha": 0.85},
                zorder=6)


def figure_km_multiples(study: Study, groups: list[str]):
    reference = reference_group(study, groups)
    others = [g for g in groups if g != reference]
    columns = 4 if len(others) <= 16 else 5
    rows = math.ceil(len(others) / columns)
    panel_w, panel_h, gap_w, gap_h, left, header = 3.1, 2.3, 0.3, 0.95, 0.85, 1.25
    title_lines = [max((wrap(group_title(study, g), 3.0, 9.5).count("\n") + 1
                        for g in others[r * columns:(r + 1) * columns]), default=1) for r in range(rows)]
    fig = plt.figure(figsize=(left + columns * (panel_w + gap_w) + 0.1,
                              header + sum(panel_h + gap_h + 0.17 * n for n in title_lines) - gap_h + 0.5))
    top = header
    axes = []
    for r in range(rows):
        top += 0.17 * title_lines[r]
        for c, group in enumerate(others[r * columns:(r + 1) * columns]):
            ax = axes_in(fig, left + c * (panel_w + gap_w), top, panel_w, panel_h,
                         **({"sharex": axes[0], "sharey": axes[0]} if axes else {}))
            panel_versus(ax, study, group, reference)
            if c == 0:
                ax.set_ylabel("survival", fontsize=9)
            else:
                ax.tick_params(labelleft=False)
            ax.set_xlabel("months", fontsize=8, labelpad=1)
            axes.append(ax)
        top += panel_h + gap_h
    fig.suptitle(f"{study.name}: Kaplan-Meier estimates, each {study.group_column} against {reference}",
                 fontsize=13, fontweight="bold", x=0.02, y=1 - 0.12 / fig.get_figheight(), ha="left", va="top")
    handles = [Line2D([], [], color=REFERENCE_COLOUR, lw=3.0, label=f"PFS (line 1), {group_title(study, reference)}"),
               Line2D([], [], color=REFERENCE_COLOUR, lw=3.0, ls=(0, (5, 2)), label=f"OS, {reference}"),
               Line2D([], [], color=ARM_COLOUR, lw=1.5, label=f"PFS, the panel's {study.group_column}"),
               Line2D([], [], color=ARM_COLOUR, lw=1.5, ls=(0, (5, 2)), label=f"OS, the panel's {study.group_column}")]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.02, 1 - 0.45 / fig.get_figheight()), ncol=4,
               fontsize=8.5, frameon=False, handlelength=3.2)
    note = (f"{len(groups)} {study.group_column}s: one panel each against {reference} (the reference); shading: "
            f"95% band of the panel's PFS; | censored; HR and log-rank p against the reference from summary.json")
    if study.failed:
        note += f"; {failed_note(study)}"
    fig.text(0.02, 1 - 0.8 / fig.get_figheight(), wrap(note, fig.get_figwidth() - 0.5, 8.5), fontsize=8.5,
             color="0.3", ha="left", va="top")
    return fig


def figure_km(study: Study):
    groups = km_groups(study)
    return figure_km_panels(study, groups) if len(groups) <= MAX_KM_GROUPS else figure_km_multiples(study, groups)
