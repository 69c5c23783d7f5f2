"""Time-to-event figures of a study folder: Kaplan-Meier curves with numbers at risk (km.png) and the
swimmer plot of a patient sample (swimmer.png). Times are drawn in months."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from study_data import (DAYS_PER_MONTH, Study, failed_note, group_colours, month_grid,  # noqa: E402
                        numbers_at_risk, patient_groups, swimmer_sample)

MAX_KM_GROUPS = 8  # more curves than this are unreadable
MAX_GROUPS = 8  # patient-level plots pool the points of larger sweeps
SWIMMER_PATIENTS = 30
ENDPOINTS = [("pfs", "pfs1_days", "PFS", "PFS: progression-free survival on line 1"),
             ("os", "os_days", "OS", "OS: overall survival")]
THERAPY_SHADES = ["#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5"]
LABEL_MIN_WIDTH = 0.045  # best-response text only on line segments at least this share of the time axis
BEFORE_THERAPY = "#eeeeee"


def km_groups(study: Study) -> list[str]:
    present = {row["arm"] for row in study.km or []}
    return [group for group in study.groups if group in present]


def why_not_km(study: Study) -> str | None:
    if study.km is None:
        return f"{study.folder / 'km.csv'} not found"
    groups = km_groups(study)
    if not groups:
        return f"{study.folder / 'km.csv'} has no rows for the {study.group_column}s of summary.json"
    if len(groups) > MAX_KM_GROUPS:
        return f"{study.folder / 'km.csv'} has {len(groups)} {study.group_column}s, more than {MAX_KM_GROUPS} curves"
    return None


def months(days: float) -> float:
    return days / DAYS_PER_MONTH


def median_text(entry: dict, key: str, label: str) -> str:
    median = (entry or {}).get(key)
    if not isinstance(median, dict) or not isinstance(median.get("value"), (int, float)):
        return f"median {label} not reached"

    def bound(value):
        return f"{months(value):.1f}" if isinstance(value, (int, float)) else "NR"

    return (f"median {label} {months(median['value']):.1f} mo "
            f"(95% CI {bound(median.get('ci_low'))}-{bound(median.get('ci_high'))})")


def comparison_text(study: Study, endpoint: str) -> str:
    lines = []
    for comparison in study.summary.get("comparisons") or []:
        if not isinstance(comparison, dict) or comparison.get("endpoint") != endpoint:
            continue
        ratio = comparison.get("hazard_ratio") or {}
        text = f"{comparison.get('arm_b')} vs {comparison.get('arm_a')}:"
        if isinstance(ratio.get("value"), (int, float)):
            text += f" HR {ratio['value']:.2f}"
            if isinstance(ratio.get("ci_low"), (int, float)) and isinstance(ratio.get("ci_high"), (int, float)):
                text += f" ({ratio['ci_low']:.2f}-{ratio['ci_high']:.2f})"
        p = comparison.get("logrank_p")
        if isinstance(p, (int, float)):
            text += f", log-rank p {'< 0.001' if p < 0.001 else f'= {p:.3f}'}"
        lines.append(text)
    return "\n".join(lines)


def panel_km(ax, table, study: Study, endpoint: str, time_column: str, short: str, title: str) -> None:
    groups = km_groups(study)
    colours = group_colours(groups)
    horizon = months(study.horizon_days)
    grid = month_grid(study.horizon_days)
    valid = {group: [row for row in study.patients if row[study.group_column] == group] for group in groups}
    for group in groups:
        rows = sorted((r for r in study.km if r["arm"] == group and r["endpoint"] == endpoint),
                      key=lambda r: r["time_days"])
        if not rows:
            continue
        t = [months(r["time_days"]) for r in rows]
        survival = [r["survival"] if r["survival"] is not None else float("nan") for r in rows]
        low = [r["ci_low"] if r["ci_low"] is not None else float("nan") for r in rows]
        high = [r["ci_high"] if r["ci_high"] is not None else float("nan") for r in rows]
        colour = colours[group]
        median_label = median_text(study.entries.get(group), f"median_{endpoint}_days", short)
        label = f"{group} (n={len(valid[group])}): {median_label}"
        ax.step(t, survival, where="post", color=colour, lw=1.8, label=label, zorder=3)
        ax.fill_between(t, low, high, step="post", color=colour, alpha=0.15, lw=0, zorder=2)
        censored = [(months(r["time_days"]), r["survival"]) for r in rows if r["censored"]]
        if censored:
            ax.plot(*zip(*censored), ls="", marker="|", ms=6, mew=1.0, color=colour, zorder=4)
        median = ((study.entries.get(group) or {}).get(f"median_{endpoint}_days") or {}).get("value")
        if isinstance(median, (int, float)):
            ax.plot([0, months(median), months(median)], [0.5, 0.5, 0], color=colour, ls=":", lw=1.1, zorder=2)
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1.03)
    ax.set_xticks(grid)
    ax.tick_params(labelbottom=False)
    ax.set_ylabel("survival probability")
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(color="0.92", zorder=0)
    ax.legend(loc="upper right", fontsize=8, frameon=True, framealpha=0.9,
              handles=ax.get_legend_handles_labels()[0] + [Line2D([], [], ls="", marker="|", color="0.3")],
              labels=ax.get_legend_handles_labels()[1] + ["censored"])
    text = comparison_text(study, endpoint)
    if text:
        ax.text(0.02, 0.03, text, transform=ax.transAxes, fontsize=8, va="bottom", ha="left",
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.6", "alpha": 0.9}, zorder=5)

    at_risk = {g: numbers_at_risk([r[time_column] for r in valid[g]], [m * DAYS_PER_MONTH for m in grid])
               for g in groups}
    table.set_ylim(len(groups) - 0.5, -0.5)
    for i, group in enumerate(groups):
        for month, count in zip(grid, at_risk[group]):
            table.text(month, i, str(count), ha="center", va="center", fontsize=8, color=colours[group])
    table.set_yticks(range(len(groups)))
    table.set_yticklabels(groups, fontsize=8)
    for label, group in zip(table.get_yticklabels(), groups):
        label.set_color(colours[group])
    table.tick_params(axis="y", left=False, pad=14)
    for side in ("top", "right", "left"):
        table.spines[side].set_visible(False)
    table.set_title("number at risk", fontsize=8, loc="left", color="0.3")
    table.set_xlabel("time since start (months)" if endpoint == "os" else "time since start of line 1 (months)")


def figure_km(study: Study):
    groups = km_groups(study)
    fig = plt.figure(figsize=(14.0, 6.5 + 0.22 * len(groups)))
    # Room on the left of each numbers-at-risk table for the longest group name (about 0.0055 of the
    # figure width per character at font size 8).
    longest = max((len(str(g)) for g in groups), default=0)
    left = min(0.3, max(0.08, 0.03 + 0.0055 * longest))
    grid = fig.add_gridspec(2, 2, height_ratios=[5.0, 0.5 + 0.28 * len(groups)], hspace=0.12,
                            wspace=min(0.6, max(0.16, 0.04 + 0.012 * longest)), left=left, right=0.98, top=0.86,
                            bottom=0.1)
    for column, (endpoint, time_column, short, title) in enumerate(ENDPOINTS):
        ax = fig.add_subplot(grid[0, column])
        table = fig.add_subplot(grid[1, column], sharex=ax)
        panel_km(ax, table, study, endpoint, time_column, short, title)
    fig.suptitle(f"{study.name}: Kaplan-Meier estimates by {study.group_column}", fontsize=13,
                 fontweight="bold", x=0.02, ha="left")
    note = "shading: 95% confidence band; dotted: median; | censored; numbers at risk from patients.csv"
    if study.failed:
        note += f"; {failed_note(study)}"
    fig.text(0.02, 0.94, note, fontsize=8.5, color="0.3", ha="left", va="top")
    return fig


# --------------------------------------------------------------------------------------------
# Swimmer plot


def why_not_swimmer(study: Study) -> str | None:
    return None if study.patients else f"{study.folder / 'patients.csv'} has no patient without an error"


def segments(row: dict, lines: int) -> list[tuple[int, float, float]]:
    """(line k, start day, stop day) of each started line; a line ends where the next starts, or at os_days."""
    end = row["os_days"] or 0.0
    starts = [(k, row[f"line{k}_start_day"]) for k in range(1, lines + 1) if row[f"line{k}_start_day"] is not None]
    return [(k, start, starts[i + 1][1] if i + 1 < len(starts) else max(start, end))
            for i, (k, start) in enumerate(starts)]


def sample_text(groups, sample, group_column: str) -> str:
    """'10 of 58 patients per arm', or 'A 10 of 58, B 10 of 57 patients' when the groups differ."""
    sizes = {label: len(rows) for label, rows in groups}
    pairs = [(label, len(rows), sizes[label]) for label, rows in sample]
    if len(pairs) == 1:
        return f"{pairs[0][1]} of {pairs[0][2]} patients of {pairs[0][0]}"
    if len({(taken, size) for _, taken, size in pairs}) == 1:
        return f"{pairs[0][1]} of {pairs[0][2]} patients per {group_column}"
    return ", ".join(f"{label} {taken} of {size}" for label, taken, size in pairs) + " patients"


def figure_swimmer(study: Study):
    groups = patient_groups(study, MAX_GROUPS)
    sample = swimmer_sample(groups, SWIMMER_PATIENTS)
    therapies = list(dict.fromkeys(row[f"line{k}_name"] or f"line {k}" for _, rows in sample for row in rows
                                   for k, _, _ in segments(row, study.lines)))
    shade = {name: THERAPY_SHADES[i % len(THERAPY_SHADES)] for i, name in enumerate(therapies)}
    colours = group_colours([label for label, _ in groups])
    count = sum(len(rows) for _, rows in sample) + len(sample)
    fig, ax = plt.subplots(figsize=(12.0, 2.0 + 0.27 * count))
    fig.subplots_adjust(left=0.14, right=0.8, top=1 - 0.9 / fig.get_figheight(), bottom=0.75 / fig.get_figheight())
    y, ticks, labels, tick_colours = 0, [], [], []
    for label, rows in sample:
        ax.text(0, y, f"{label}", fontsize=9, fontweight="bold", color=colours[label], va="center")
        y += 1
        for row in sorted(rows, key=lambda r: -(r["os_days"] or 0.0)):
            spans = segments(row, study.lines)
            first = spans[0][1] if spans else row["os_days"] or 0.0
            ax.barh(y, months(first), left=0, height=0.6, color=BEFORE_THERAPY, edgecolor="0.5", lw=0.4)
            for k, start, stop in spans:
                ax.barh(y, months(stop - start), left=months(start), height=0.6, edgecolor="0.4", lw=0.5,
                        color=shade[row[f"line{k}_name"] or f"line {k}"])
                response = row[f"line{k}_best_response"]
                if response and stop - start >= LABEL_MIN_WIDTH * study.horizon_days:
                    ax.text(months(start) + 0.3, y, response, fontsize=6.5, va="center", ha="left", clip_on=True)
                progression = row[f"line{k}_progression_day"]
                if progression is not None:
                    ax.plot(months(progression), y - 0.42, marker="v", ms=6, color="#b2182b", ls="", zorder=4)
            end = months(row["os_days"] or 0.0)
            if row["os_event"]:
                ax.plot(end, y, marker="X", ms=7, color="black", mec="white", mew=0.5, ls="", zorder=5)
            else:
                ax.plot(end + 0.6, y, marker=r"$\rightarrow$", ms=10, color="0.25", ls="", zorder=5)
            name = f"{row['point']}/{row['patient']}" if study.kind == "sweep" else str(row["patient"])
            ticks.append(y), labels.append(name), tick_colours.append(colours[label])
            y += 1
    ax.set_ylim(y - 0.4, -0.8)
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels, fontsize=7)
    for tick, colour in zip(ax.get_yticklabels(), tick_colours):
        tick.set_color(colour)
    ax.set_ylabel("point/patient" if study.kind == "sweep" else "patient")
    ax.set_xlim(0, months(study.horizon_days) * 1.04)
    ax.set_xticks(month_grid(study.horizon_days, max_intervals=12))
    ax.set_xlabel("time since start (months)")
    ax.grid(axis="x", color="0.92", zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Patch(facecolor=shade[name], edgecolor="0.4", label=name) for name in therapies]
    handles += [Patch(facecolor=BEFORE_THERAPY, edgecolor="0.5", label="before line 1"),
                Line2D([], [], marker="v", color="#b2182b", ls="", label="progression"),
                Line2D([], [], marker="X", color="black", ls="", label="death"),
                Line2D([], [], marker=r"$\rightarrow$", ms=10, color="0.25", ls="", label="alive at end")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, title="therapy line",
              title_fontsize=8, frameon=False)
    note = (f"sample: {sample_text(groups, sample, study.group_column)}, evenly spaced in patients.csv order, "
            f"sorted by follow-up; text: best response of each line (on segments wide enough)")
    if study.failed:
        note += f"\n{failed_note(study)}"
    fig.suptitle(f"{study.name}: treatment course of sampled patients", fontsize=13, fontweight="bold",
                 x=0.02, ha="left")
    fig.text(0.02, 1 - 0.45 / fig.get_figheight(), note, fontsize=8.5, color="0.3", ha="left", va="top")
    return fig
