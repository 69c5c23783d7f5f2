"""Reading a `cartsim run study.yaml -o OUT` folder for plots/plot_study.py, and the small computations
the study plots share (patient groups, numbers at risk, the swimmer sample, the time grid).

Times in the files are in days; the figures show months (DAYS_PER_MONTH).
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from plot_common import PlotError

DAYS_PER_MONTH = 365.25 / 12.0
KINDS = ("trial", "cohort", "sweep")
ENDPOINT_COLUMNS = [
    "outcome", "best_response", "mrd_negative", "progression_day", "relapse_type", "death_day", "death_cause",
    "cure", "cart_peak_blood_cells_per_ul", "cart_peak_day", "crs_grade", "best_mprotein_change_percent",
    "dominant_clone_at_progression",
]
LINE_FIELDS = ["line{k}_name", "line{k}_start_day", "line{k}_best_response", "line{k}_progression_day",
               "line{k}_pfs_days", "line{k}_pfs_event"]
LINE_NUMBERS = ["line{k}_start_day", "line{k}_progression_day", "line{k}_pfs_days", "line{k}_pfs_event"]
PATIENT_NUMBERS = ["best_mprotein_change_percent", "pfs_days", "pfs_event", "os_days", "os_event"]
KM_COLUMNS = ["arm", "endpoint", "time_days", "at_risk", "events", "censored", "survival", "ci_low", "ci_high"]
SOBOL_COLUMNS = ["parameter", "first_order", "first_ci_low", "first_ci_high", "total_order", "total_ci_low",
                 "total_ci_high"]
LINE_NAME = re.compile(r"line(\d+)_name")
Row = dict  # one CSV row: column -> str, or float | None for the columns parsed as numbers


@dataclass
class Study:
    """What the study plots read. Patient rows with a non-empty `error` are kept apart in `failed`."""

    folder: Path
    summary: dict
    kind: str
    group_column: str  # "arm" for trials and cohorts, "point" for sweeps
    groups: list[str]  # arms or points, in the order of summary.json
    patients: list[Row]
    failed: list[Row]
    lines: int
    km: list[Row] | None = None
    sweep: list[Row] | None = None
    sweep_columns: list[str] = field(default_factory=list)
    sobol: list[Row] | None = None
    reference: str | None = None  # the arm the others are compared with (plot_study.py --reference)

    @property
    def name(self) -> str:
        return str(self.summary.get("study") or self.folder.resolve().name)

    @property
    def horizon_days(self) -> float:
        horizon = self.summary.get("horizon_days")
        if isinstance(horizon, (int, float)) and horizon > 0:
            return float(horizon)
        times = [row["os_days"] for row in self.patients if row["os_days"] is not None]
        return max(times, default=DAYS_PER_MONTH)

    @property
    def entries(self) -> dict:
        """summary.json's per-arm (or per-point) results."""
        return self.summary["points" if self.kind == "sweep" else "arms"]

    def sweep_parameters(self) -> list[str]:
        """The parameter columns of sweep.csv: those between `point` and `n`."""
        return self.sweep_columns[1:self.sweep_columns.index("n")] if self.sweep is not None else []


# --------------------------------------------------------------------------------------------
# Loading


def read_json(path: Path) -> dict:
    if not path.is_file():
        raise PlotError(f"{path} not found (run `cartsim run STUDY.yaml -o {path.parent}` first)")
    try:
        value = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PlotError(f"cannot read {path}: {error}") from None
    if not isinstance(value, dict):
        raise PlotError(f"{path} is not a JSON object")
    return value


def read_csv(path: Path, required: list[str]) -> tuple[list[str], list[Row]]:
    """The header and rows; a missing or empty file, or a missing column, is a PlotError naming the file."""
    if not path.is_file():
        raise PlotError(f"{path} not found (run `cartsim run STUDY.yaml -o {path.parent}` first)")
    try:
        with path.open(newline="") as stream:
            reader = csv.DictReader(stream)
            header = list(reader.fieldnames or [])
            rows = []
            for row in reader:
                row["_line"] = reader.line_num
                rows.append(row)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise PlotError(f"cannot read {path}: {error}") from None
    if not header:
        raise PlotError(f"{path} is empty")
    missing = [column for column in required if column not in header]
    if missing:
        raise PlotError(f"{path} lacks column(s) {', '.join(missing)}")
    return header, rows


def parse_numbers(path: Path, rows: list[Row], columns: list[str]) -> None:
    """Turns the named cells into floats in place (empty cell: None; true/false: 1/0)."""
    for row in rows:
        for column in columns:
            text = (row.get(column) or "").strip()
            if text == "":
                row[column] = None
            elif text.lower() in ("true", "false"):
                row[column] = 1.0 if text.lower() == "true" else 0.0
            else:
                try:
                    row[column] = float(text)
                except ValueError:
                    raise PlotError(f"{path}:{row['_line']}: {column} is not a number: {text!r}") from None


def line_count(path: Path, header: list[str]) -> int:
    """The number L of therapy-line column groups; every group must be complete and numbered 1..L."""
    numbers = sorted(int(match.group(1)) for match in map(LINE_NAME.fullmatch, header) if match)
    if not numbers or numbers != list(range(1, len(numbers) + 1)):
        raise PlotError(f"{path} lacks the line1_..lineL_ columns (found lines {numbers or 'none'})")
    missing = [f.format(k=k) for k in numbers for f in LINE_FIELDS if f.format(k=k) not in header]
    if missing:
        raise PlotError(f"{path} lacks column(s) {', '.join(missing)}")
    return len(numbers)


def load_study(folder: str | Path) -> Study:
    folder = Path(folder)
    if not folder.is_dir():
        raise PlotError(f"{folder} is not a folder")
    summary_path = folder / "summary.json"
    summary = read_json(summary_path)
    kind = summary.get("kind")
    if kind not in KINDS:
        raise PlotError(f"{summary_path}: kind is {kind!r}, expected one of {', '.join(KINDS)}")
    entries_key = "points" if kind == "sweep" else "arms"
    if not isinstance(summary.get(entries_key), dict):
        raise PlotError(f"{summary_path}: a {kind} needs an object `{entries_key}`")
    group_column = "point" if kind == "sweep" else "arm"
    first = ["point", "patient"] if kind == "sweep" else ["patient", "arm"]

    path = folder / "patients.csv"
    header, rows = read_csv(path, first + ENDPOINT_COLUMNS + ["os_days", "os_event", "error"])
    if header[:2] != first:
        raise PlotError(f"{path} starts with {','.join(header[:2])}, expected {','.join(first)} for a {kind}")
    lines = line_count(path, header)
    failed = [row for row in rows if (row.get("error") or "").strip()]
    patients = [row for row in rows if not (row.get("error") or "").strip()]
    numbers = PATIENT_NUMBERS + [f.format(k=k) for k in range(1, lines + 1) for f in LINE_NUMBERS]
    parse_numbers(path, patients, numbers)
    groups = list(summary[entries_key])
    groups += [g for g in dict.fromkeys(row[group_column] for row in rows) if g not in groups]
    study = Study(folder, summary, kind, group_column, groups, patients, failed, lines)

    if (folder / "km.csv").is_file():
        _, study.km = read_csv(folder / "km.csv", KM_COLUMNS)
        parse_numbers(folder / "km.csv", study.km, KM_COLUMNS[2:])
    if kind == "sweep" and (folder / "sweep.csv").is_file():
        study.sweep_columns, study.sweep = read_csv(folder / "sweep.csv", ["point", "n"])
        if study.sweep_columns[0] != "point":
            raise PlotError(f"{folder / 'sweep.csv'} does not start with the column `point`")
        parse_numbers(folder / "sweep.csv", study.sweep, study.sweep_columns[1:])
    if (folder / "sobol.csv").is_file():
        _, study.sobol = read_csv(folder / "sobol.csv", SOBOL_COLUMNS)
        parse_numbers(folder / "sobol.csv", study.sobol, SOBOL_COLUMNS[1:])
    return study


# --------------------------------------------------------------------------------------------
# Shared computations


def numbers_at_risk(times_days: list[float | None], grid_days: list[float]) -> list[int]:
    """For each grid time t (days), how many subjects are still followed: time >= t. None times are skipped."""
    known = [time for time in times_days if time is not None]
    return [sum(1 for time in known if time >= t) for t in grid_days]


def month_grid(horizon_days: float, max_intervals: int = 8) -> list[float]:
    """Grid times in months, 0, s, 2s, ... up to the horizon, with s the smallest of 1, 2, 3, 6, 12, 24, 60
    months that needs at most `max_intervals` steps."""
    months = horizon_days / DAYS_PER_MONTH
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= max_intervals), 120)
    return [float(i * step) for i in range(int(math.floor(months / step + 1e-9)) + 1)]


def evenly_spaced(count: int, take: int) -> list[int]:
    """`take` indices spread evenly over range(count), first index 0: floor(i * count / take)."""
    take = min(take, count)
    return [i * count // take for i in range(take)]


def swimmer_sample(groups: list[tuple[str, list[Row]]], limit: int) -> list[tuple[str, list[Row]]]:
    """Up to `limit` patients, chosen by patient index, so the sample does not depend on the order in which
    the rows were written (threads, ranks) and a trial shows the same patients in every arm. Each group gets
    an equal quota (at least one); groups past the limit are dropped. The indices are spread evenly over the
    patients present in every group; a group with fewer of them (failed runs) spreads over its own."""
    quota = max(1, limit // max(1, len(groups)))

    def key(row: Row) -> tuple[int, str]:
        return int(row["patient"]), str(row.get("point") or "")

    ordered = [(label, sorted(rows, key=key)) for label, rows in groups]
    present = [{key(row)[0] for row in rows} for _, rows in ordered]
    common = sorted(set.intersection(*present)) if present else []
    sample, left = [], limit
    for label, rows in ordered:
        if left <= 0:
            break
        take = min(quota, left, len(rows))
        first: dict[int, Row] = {}
        for row in rows:  # pooled sweep points hold a patient index more than once: the first point's row
            first.setdefault(key(row)[0], row)
        if len(common) >= take:
            chosen = [first[common[i]] for i in evenly_spaced(len(common), take)]
        else:
            chosen = [rows[i] for i in evenly_spaced(len(rows), take)]
        sample.append((label, chosen))
        left -= len(chosen)
    return sample


def patient_groups(study: Study, max_groups: int) -> list[tuple[str, list[Row]]]:
    """The valid patients by arm or point in summary order; more than `max_groups` points are pooled."""
    by_group: dict[str, list[Row]] = {group: [] for group in study.groups}
    for row in study.patients:
        by_group[row[study.group_column]].append(row)
    groups = [(group, rows) for group, rows in by_group.items() if rows]
    if len(groups) > max_groups:
        return [(f"all {len(groups)} {study.group_column}s", [row for _, rows in groups for row in rows])]
    return groups


def failed_note(study: Study) -> str:
    """'excluded: 3 failed runs (A 1, B 2)', or '' when every run succeeded."""
    if not study.failed:
        return ""
    counts: dict[str, int] = {}
    for row in study.failed:
        counts[row[study.group_column]] = counts.get(row[study.group_column], 0) + 1
    detail = ", ".join(f"{group} {count}" for group, count in counts.items())
    plural = "s" if len(study.failed) > 1 else ""
    return f"excluded: {len(study.failed)} failed patient run{plural} ({detail})"


def group_colours(labels: list[str]) -> dict[str, str]:
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
    return {label: palette[i % len(palette)] for i, label in enumerate(labels)}
