"""A one-parameter sweep of a study folder drawn as curves (curve.png): the median CAR-T blood peak, the
response shares and the median PFS and OS against the swept parameter (for example a dose sweep)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from study_data import Study  # noqa: E402
from study_sweep import log_spaced, why_not_sweep  # noqa: E402

SHARES = (("orr", "ORR", "#2166ac"), ("cr_or_better", ">= CR", "#4dac26"), ("mrd_negative", "MRD-negative", "#b2182b"))
MEDIANS = (("median_pfs_days", "PFS", "#2166ac"), ("median_os_days", "OS", "#762a83"))
PEAK = "median_cart_peak_blood_cells_per_ul"


def why_not_curve(study: Study) -> str | None:
    reason = why_not_sweep(study, 1, "curves need")
    if reason is None and len(study.sweep) < 2:
        reason = f"{study.folder / 'sweep.csv'} has {len(study.sweep)} point, curves need 2 or more"
    return reason


def finite(value) -> bool:
    return value is not None and not math.isnan(value)


def series(rows: list[dict], x_name: str, column: str, scale: float = 1.0) -> tuple[list[float], list[float]]:
    """The points of one column that have a value (a median not reached has none)."""
    pairs = [(r[x_name], r[column] * scale) for r in rows if column in r and finite(r[column])]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def figure_curve(study: Study):
    x_name = study.sweep_parameters()[0]
    rows = sorted(study.sweep, key=lambda r: r[x_name])
    xs = [r[x_name] for r in rows]
    x_log = log_spaced(xs)
    has_peak = PEAK in study.sweep_columns and any(finite(r[PEAK]) for r in rows)
    panels = 3 if has_peak else 2
    fig, axes = plt.subplots(1, panels, figsize=(5.0 * panels, 5.2))
    fig.subplots_adjust(left=0.07, right=0.98, top=0.80, bottom=0.16, wspace=0.32)
    axes = list(axes)
    if has_peak:
        ax = axes.pop(0)
        px, py = series(rows, x_name, PEAK)
        ax.plot(px, py, "o-", color="#d6604d")
        ax.set_yscale("log")
        ticks = [v for v in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
                 if min(py) / 1.5 <= v <= max(py) * 1.5]
        ax.set_yticks(ticks, [f"{v:g}" for v in ticks])
        ax.minorticks_off()
        ax.set_ylabel("median CAR-T blood peak (cells/uL)")
        ax.set_title("expansion", fontsize=11)
    ax = axes[0]
    for width, (column, label, colour) in zip((4.0, 2.6, 1.4), SHARES):  # coinciding curves stay visible
        sx, sy = series(rows, x_name, column, 100.0)
        if sx:
            ax.plot(sx, sy, "o-", color=colour, label=label, lw=width, ms=2.0 + width)
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of patients")
    ax.set_title("response", fontsize=11)
    ax.legend(fontsize=9, loc="upper left")
    ax = axes[1]
    not_reached = []
    for column, label, colour in MEDIANS:
        mx, my = series(rows, x_name, column)
        if mx:
            ax.plot(mx, my, "o-", color=colour, label=f"median {label}")
        not_reached += [f"{label} at {r[x_name]:.3g}" for r in rows if column in r and not finite(r[column])]
    ax.set_ylim(bottom=0)
    ax.set_ylabel("days")
    ax.set_title("survival", fontsize=11)
    ax.legend(fontsize=9, loc="upper left")
    for ax in fig.axes:
        if x_log:
            ax.set_xscale("log")
            ax.set_xticks(xs, [f"{x:.3g}" for x in xs], rotation=45, ha="right", fontsize=8)
            ax.minorticks_off()
        ax.set_xlabel(x_name.rsplit(".", 1)[-1] + (" (log axis)" if x_log else ""), fontsize=9)
        ax.grid(color="0.92")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.suptitle(f"{study.name}: endpoints against {x_name}", fontsize=13, fontweight="bold", x=0.02, ha="left")
    n = sorted({int(r["n"]) for r in rows if finite(r.get("n"))})
    note = f"{len(rows)} points from sweep.csv, {'/'.join(str(v) for v in n)} patients each"
    if not_reached:
        note += "; median not reached: " + ", ".join(not_reached)
    fig.text(0.02, 0.90, note, fontsize=8.5, color="0.3", ha="left", va="top", wrap=True)
    return fig
