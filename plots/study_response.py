"""Response figures of a study folder: the waterfall of best M-protein change (waterfall.png) and the
relapse-type shares per arm or point (relapse_types.png)."""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from plot_common import fit_below_header  # noqa: E402
from study_data import Study, failed_note, group_colours, patient_groups  # noqa: E402

MAX_PANELS = 8  # sweeps with more points are pooled into one panel
MAX_BARS = 40  # relapse-type bars; more points are pooled into one bar
CLIP_PERCENT = 100.0
THRESHOLDS = [(-50.0, "PR: -50%", (0, (5, 3))), (-90.0, "VGPR: -90%", (0, (1.5, 2)))]
RELAPSE_ORDER = ["antigen_positive", "antigen_low", "antigen_negative"]
RELAPSE_COLOURS = {"antigen_positive": "#2166ac", "antigen_low": "#7b3fa0", "antigen_negative": "#d62728"}
OTHER_RELAPSE_COLOURS = ["#f28e2b", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
NO_RELAPSE = "no relapse"
NO_RELAPSE_VALUES = ("", "none")  # relapse_type cells meaning the patient did not relapse
CHAR_IN = 0.0078  # width of an average character per point of font size, inches


def wrap_to(text: str, width_in: float, size: float) -> str:
    """`text` wrapped into lines that fit `width_in` inches at font size `size` (a longer word keeps its line)."""
    return "\n".join(textwrap.wrap(text, max(6, int(width_in / (CHAR_IN * size))), break_long_words=False)) or text


def longest_word_in(labels: list[str], size: float) -> float:
    """Inches taken by the longest word of any label at font size `size`."""
    return max((len(word) for label in labels for word in label.split()), default=1) * CHAR_IN * size


def change_values(rows: list[dict]) -> list[float]:
    return [row["best_mprotein_change_percent"] for row in rows if row["best_mprotein_change_percent"] is not None]


def why_not_waterfall(study: Study) -> str | None:
    if not change_values(study.patients):
        return f"{study.folder / 'patients.csv'} has no best_mprotein_change_percent value"
    return None


def figure_waterfall(study: Study):
    groups = [(label, rows) for label, rows in patient_groups(study, MAX_PANELS) if change_values(rows)]
    colours = group_colours([label for label, _ in groups])
    width = max(8.0, 4.2 * len(groups))
    fig, axes = plt.subplots(1, len(groups), figsize=(width, 6.0), sharey=True, squeeze=False)
    panel_in = (width - 1.2) / len(groups) - 0.15
    clipped_total, missing_total = 0, 0
    for ax, (label, rows) in zip(axes[0], groups):
        values = sorted(change_values(rows), reverse=True)
        missing_total += len(rows) - len(values)
        shown = [min(value, CLIP_PERCENT) for value in values]
        clipped = [value > CLIP_PERCENT for value in values]
        clipped_total += sum(clipped)
        bars = ax.bar(range(len(shown)), shown, width=0.85, color=colours[label], edgecolor="none", zorder=2)
        for i, (bar, cut) in enumerate(zip(bars, clipped)):
            if cut:
                bar.set_hatch("///")
                bar.set_edgecolor("white")
                ax.plot(i, CLIP_PERCENT + 3.0, marker="^", ms=5, color=colours[label], ls="", clip_on=False)
        for level, name, dashes in THRESHOLDS:
            ax.axhline(level, color="0.15", ls=dashes, lw=1.1, zorder=3)
            ax.text(0.01, level - 1.5, name, transform=ax.get_yaxis_transform(), fontsize=8, ha="left", va="top",
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.0}, zorder=4)
        ax.axhline(0, color="0.3", lw=0.8, zorder=3)
        responders = sum(value <= -50.0 for value in values) / len(values)
        ax.set_title(f"{wrap_to(label, panel_in, 10)}\nn={len(values)}: {responders:.0%} with \u2265 50% reduction",
                     fontsize=10, color=colours[label], loc="left")
        ax.set_xlim(-0.8, len(shown) - 0.2)
        ax.set_xticks([])
        ax.set_xlabel("patients, sorted by change")
        ax.grid(axis="y", color="0.92", zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0][0].set_ylim(-105.0, CLIP_PERCENT + 8.0)
    axes[0][0].set_ylabel("best M-protein change from baseline (%)")
    notes = []
    if clipped_total:
        notes.append(f"{clipped_total} values above +{CLIP_PERCENT:.0f}% drawn at +{CLIP_PERCENT:.0f}% "
                     "(hatched, \u25b2)")
    if missing_total:
        notes.append(f"{missing_total} patients without an M-protein change not drawn")
    if study.failed:
        notes.append(failed_note(study))
    fig.suptitle(f"{study.name}: best M-protein change per patient", fontsize=13, fontweight="bold",
                 x=0.02, ha="left")
    fig.text(0.02, 0.925, wrap_to("; ".join(notes) or "no value clipped", width - 0.4, 8.5), fontsize=8.5,
             color="0.3", ha="left", va="top")
    fit_below_header(fig, 0.6 + 0.15 * fig.texts[-1].get_text().count("\n"))
    return fig


# --------------------------------------------------------------------------------------------
# Relapse types


def relapse_categories(study: Study) -> list[str]:
    """The relapse types of patients.csv and summary.json, known ones first, then 'no relapse'."""
    seen = {(row["relapse_type"] or "").strip() for row in study.patients}
    for entry in study.entries.values():
        seen.update((entry or {}).get("relapse_types") or {})
    seen -= set(NO_RELAPSE_VALUES)
    return [t for t in RELAPSE_ORDER if t in seen] + sorted(seen - set(RELAPSE_ORDER)) + [NO_RELAPSE]


def relapse_counts(rows: list[dict], categories: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(categories, 0)
    for row in rows:
        kind = (row["relapse_type"] or "").strip()
        counts[NO_RELAPSE if kind in NO_RELAPSE_VALUES else kind] += 1
    return counts


def why_not_relapse_types(study: Study) -> str | None:
    return None if study.patients else f"{study.folder / 'patients.csv'} has no patient without an error"


def figure_relapse_types(study: Study):
    groups = patient_groups(study, MAX_BARS)
    categories = relapse_categories(study)
    others = iter(OTHER_RELAPSE_COLOURS * 4)
    colours = {c: RELAPSE_COLOURS.get(c) or ("#d9d9d9" if c == NO_RELAPSE else next(others)) for c in categories}
    # Each bar's name is written under it, wrapped at spaces: the figure is wide enough for the longest word.
    word_in = longest_word_in([label for label, _ in groups], 9)
    fig, ax = plt.subplots(figsize=(max(9.0, 3.5 + 0.9 * len(groups), 3.8 + len(groups) * word_in / 0.9), 6.0))
    slot_in = 0.9 * (fig.get_figwidth() - 3.8) / len(groups)
    bottoms = [0.0] * len(groups)
    counts = [relapse_counts(rows, categories) for _, rows in groups]
    for category in categories:
        shares = [c[category] / len(rows) for c, (_, rows) in zip(counts, groups)]
        ax.bar(range(len(groups)), shares, bottom=bottoms, width=0.7, color=colours[category], edgecolor="white",
               lw=0.6, label=category.replace("_", "-") if category != NO_RELAPSE else category, zorder=2)
        for i, (share, c) in enumerate(zip(shares, counts)):
            if share >= 0.045:
                text_colour = "black" if category == NO_RELAPSE else "white"
                ax.text(i, bottoms[i] + share / 2, f"{c[category]}", ha="center", va="center", fontsize=8,
                        color=text_colour, zorder=3)
            elif share > 0:  # too thin for the count inside: beside the bar
                ax.text(i + 0.37, bottoms[i] + share / 2, f"{c[category]}", ha="left", va="center", fontsize=7,
                        color=colours[category], zorder=3)
        bottoms = [b + s for b, s in zip(bottoms, shares)]
    for i, (_, rows) in enumerate(groups):
        ax.text(i, 1.01, f"n={len(rows)}", ha="center", va="bottom", fontsize=8, color="0.3")
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([wrap_to(label, slot_in, 9) for label, _ in groups], fontsize=9)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_ylim(0, 1.07)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("share of patients (%)")
    ax.set_xlabel(study.group_column)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9,
              title="relapse type", frameon=False)
    fig.suptitle(f"{study.name}: relapse types by {study.group_column}", fontsize=13, fontweight="bold",
                 x=0.02, ha="left")
    note = "bars: share of patients by relapse type (patients.csv relapse_type); numbers: patients"
    if study.failed:
        note += f"\n{failed_note(study)}"
    fig.text(0.02, 0.925, note, fontsize=8.5, color="0.3", ha="left", va="top")
    fit_below_header(fig, 0.6 + 0.15 * note.count("\n"))
    return fig

