"""The swimmer plot of a study folder (swimmer.png): the treatment course of a patient sample, one bar
per patient from the start to death or the end of follow-up. Times are drawn in months. (The
Kaplan-Meier figure is in study_km.py.)"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from study_data import (DAYS_PER_MONTH, Study, failed_note, group_colours, month_grid,  # noqa: E402
                        patient_groups, swimmer_sample)

MAX_GROUPS = 8  # patient-level plots pool the points of larger sweeps
SWIMMER_PATIENTS = 30
THERAPY_SHADES = ["#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5"]
LABEL_MIN_WIDTH = 0.045  # best-response text only on line segments at least this share of the time axis
BEFORE_THERAPY = "#eeeeee"


def months(days: float) -> float:
    return days / DAYS_PER_MONTH


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
