"""Sweep figures of a study folder: an endpoint over a two-parameter grid (heatmap.png) and Sobol
sensitivity indices (sobol.png)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from plot_common import PlotError  # noqa: E402
from study_data import Study  # noqa: E402

DEFAULT_ENDPOINT = "median_pfs_days"
ACRONYMS = {"pfs": "PFS", "os": "OS", "orr": "ORR", "mrd": "MRD", "cart": "CAR-T", "crs": "CRS"}
SHARE_ENDPOINTS = {"orr": "overall response rate", "cr_or_better": "CR or better", "mrd_negative": "MRD-negative"}


def grid_values(study: Study) -> tuple[list[float], list[float]] | None:
    """The sorted distinct values of the two sweep parameters when the points form their full grid."""
    x_name, y_name = study.sweep_parameters()
    pairs = [(row[x_name], row[y_name]) for row in study.sweep]
    if any(x is None or y is None for x, y in pairs) or len(set(pairs)) != len(pairs):
        return None
    xs, ys = sorted({x for x, _ in pairs}), sorted({y for _, y in pairs})
    return (xs, ys) if len(pairs) == len(xs) * len(ys) else None


def why_not_sweep(study: Study, count: int, figure: str) -> str | None:
    """Why a figure of a sweep over `count` parameters cannot be drawn from this folder (None: it can)."""
    path = study.folder / "sweep.csv"
    if study.kind != "sweep":
        return f"{study.folder / 'summary.json'}: a {study.kind}, not a sweep"
    if study.sweep is None:
        return f"{path} not found"
    parameters = study.sweep_parameters()
    if len(parameters) != count:
        return f"{path} has {len(parameters)} parameter columns, {figure} {count}"
    return None


def why_not_heatmap(study: Study) -> str | None:
    reason = why_not_sweep(study, 2, "a heatmap needs")
    if reason:
        return reason
    parameters = study.sweep_parameters()
    path = study.folder / "sweep.csv"
    if grid_values(study) is None:
        return f"{path}: the points do not form a full grid of {parameters[0]} x {parameters[1]}"
    return None


def check_endpoint(study: Study, endpoint: str) -> None:
    """A missing endpoint column is an error, not a reason to skip: the user (or the contract) named it."""
    choices = [c for c in study.sweep_columns[1:] if c not in study.sweep_parameters()]
    if endpoint not in choices:
        raise PlotError(f"{study.folder / 'sweep.csv'} has no endpoint column {endpoint!r} "
                        f"(choose one of {', '.join(choices)})")


def log_spaced(values: list[float]) -> bool:
    """At least three positive values with equal ratios (and unequal differences) between neighbours."""
    if len(values) < 3 or min(values) <= 0:
        return False
    logs = np.diff(np.log(values))
    steps = np.diff(values)
    return bool(np.ptp(logs) <= 0.01 * logs.mean() and np.ptp(steps) > 0.01 * steps.mean())


def cell_edges(values: list[float], logarithmic: bool) -> np.ndarray:
    """Edges halfway between neighbouring values (in log space on a log axis), half a step beyond the ends."""
    v = np.log(values) if logarithmic else np.asarray(values, dtype=float)
    if len(v) == 1:
        inner, first, last = np.array([]), v[0] - 0.5, v[0] + 0.5
    else:
        inner = (v[1:] + v[:-1]) / 2
        first, last = v[0] - (v[1] - v[0]) / 2, v[-1] + (v[-1] - v[-2]) / 2
    edges = np.concatenate([[first], inner, [last]])
    return np.exp(edges) if logarithmic else edges


def endpoint_label(endpoint: str, as_percent: bool) -> str:
    if endpoint in SHARE_ENDPOINTS:
        return f"{SHARE_ENDPOINTS[endpoint]} ({'%' if as_percent else 'share'} of patients)"
    words = " ".join(ACRONYMS.get(word, word) for word in endpoint.split("_"))
    for suffix, unit in ((" days", "days"), (" day", "day"), (" percent", "%"), (" per ul", "per uL")):
        if words.endswith(suffix):
            return f"{words[:-len(suffix)]} ({unit})"
    return words


def cell_text(value: float | None, endpoint: str, as_percent: bool) -> str:
    if value is None or math.isnan(value):
        return "NR" if endpoint.startswith("median_") else "-"
    if as_percent:
        return f"{value:.0f}%"
    return f"{value:.0f}" if endpoint.endswith("_days") or abs(value) >= 100 else f"{value:.3g}"


def figure_heatmap(study: Study, endpoint: str):
    check_endpoint(study, endpoint)
    x_name, y_name = study.sweep_parameters()
    xs, ys = grid_values(study)
    raw = [row[endpoint] for row in study.sweep if row[endpoint] is not None]
    as_percent = endpoint in SHARE_ENDPOINTS and all(0.0 <= v <= 1.0 for v in raw)
    scale = 100.0 if as_percent else 1.0
    grid = np.full((len(ys), len(xs)), np.nan)
    for row in study.sweep:
        if row[endpoint] is not None:
            grid[ys.index(row[y_name]), xs.index(row[x_name])] = row[endpoint] * scale
    x_log, y_log = log_spaced(xs), log_spaced(ys)
    fig, ax = plt.subplots(figsize=(max(7.5, 2.5 + 1.1 * len(xs)), max(5.5, 2.2 + 0.7 * len(ys))))
    fig.subplots_adjust(left=0.16, right=0.97, top=0.86, bottom=0.13)
    ax.set_facecolor("#f0f0f0")
    mesh = ax.pcolormesh(cell_edges(xs, x_log), cell_edges(ys, y_log), np.ma.masked_invalid(grid),
                         cmap="viridis", edgecolors="white", linewidth=1.0)
    finite = grid[np.isfinite(grid)]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            value = grid[j, i]
            dark = math.isfinite(value) and (value - low) <= 0.55 * (high - low)
            ax.text(x, y, cell_text(None if math.isnan(value) else value, endpoint, as_percent), ha="center",
                    va="center", fontsize=9, color="white" if dark else "black")
    if x_log:
        ax.set_xscale("log")
    if y_log:
        ax.set_yscale("log")
    ax.set_xticks(xs, [f"{x:.3g}" for x in xs])
    ax.set_yticks(ys, [f"{y:.3g}" for y in ys])
    ax.minorticks_off()
    ax.set_xlabel(x_name + (" (log axis)" if x_log else ""))
    ax.set_ylabel(y_name + (" (log axis)" if y_log else ""))
    fig.colorbar(mesh, ax=ax, label=endpoint_label(endpoint, as_percent))
    fig.suptitle(f"{study.name}: {endpoint_label(endpoint, as_percent)}", fontsize=13, fontweight="bold",
                 x=0.02, ha="left")
    note = f"{len(study.sweep)} points from sweep.csv"
    if any(math.isnan(v) for v in grid.flat):
        note += "; " + ("NR: median not reached" if endpoint.startswith("median_") else "-: no value")
    errors = sum(int(row.get("errors") or 0) for row in study.sweep if "errors" in study.sweep_columns)
    if errors:
        note += f"; {errors} failed patient run{'s' if errors > 1 else ''} excluded"
    fig.text(0.02, 0.925, note, fontsize=8.5, color="0.3", ha="left", va="top")
    return fig


# --------------------------------------------------------------------------------------------
# Sobol indices


def why_not_sobol(study: Study) -> str | None:
    if study.sobol is None:
        return f"{study.folder / 'sobol.csv'} not found"
    if not study.sobol:
        return f"{study.folder / 'sobol.csv'} has no rows"
    return None


def error_lengths(rows: list[dict], value: str, low: str, high: str) -> list[list[float]]:
    """Asymmetric error-bar lengths; a missing bound draws no whisker on that side."""
    below = [max(0.0, r[value] - r[low]) if r[low] is not None and r[value] is not None else 0.0 for r in rows]
    above = [max(0.0, r[high] - r[value]) if r[high] is not None and r[value] is not None else 0.0 for r in rows]
    return [below, above]


def figure_sobol(study: Study):
    rows = sorted(study.sobol, key=lambda r: -(r["total_order"] if r["total_order"] is not None else -1.0))
    named = (study.summary.get("sobol") or {}).get("endpoint")
    endpoint = endpoint_label(str(named), as_percent=False) if named else "an unnamed endpoint"
    fig, ax = plt.subplots(figsize=(10.0, 2.2 + 0.55 * len(rows)))
    fig.subplots_adjust(left=0.36, right=0.97, top=1 - 1.0 / fig.get_figheight(), bottom=0.7 / fig.get_figheight())
    y = np.arange(len(rows))
    for offset, prefix, label, colour in ((-0.19, "first", "first order", "#4f83cc"),
                                          (0.19, "total", "total order", "#d6604d")):
        values = [r[f"{prefix}_order"] if r[f"{prefix}_order"] is not None else 0.0 for r in rows]
        ax.barh(y + offset, values, height=0.36, color=colour, label=label, zorder=2)
        ax.errorbar(values, y + offset, xerr=error_lengths(rows, f"{prefix}_order", f"{prefix}_ci_low",
                                                           f"{prefix}_ci_high"),
                    fmt="none", ecolor="black", elinewidth=1.0, capsize=3, zorder=3)
    ax.set_yticks(y, [r["parameter"] for r in rows], fontsize=9)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.axvline(0, color="0.3", lw=0.8)
    highest = max([r["total_ci_high"] or 0.0 for r in rows] + [r["total_order"] or 0.0 for r in rows] + [1.0])
    lowest = min([r["first_ci_low"] or 0.0 for r in rows] + [0.0])
    ax.set_xlim(lowest - 0.02, highest + 0.02)
    ax.set_xlabel("Sobol index (share of output variance)")
    ax.grid(axis="x", color="0.92", zorder=0)
    ax.legend(loc="lower right", fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.suptitle(f"{study.name}: Sobol sensitivity of {endpoint}", fontsize=13, fontweight="bold", x=0.02, ha="left")
    fig.text(0.02, 1 - 0.5 / fig.get_figheight(), "whiskers: confidence intervals from sobol.csv; parameters "
             "sorted by total-order index", fontsize=8.5, color="0.3", ha="left", va="top")
    return fig
