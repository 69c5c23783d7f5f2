"""Reading a `cartsim run` output folder for the run plots, and what is derived from it: the `Run`
the panels read, therapy-line spans, progressions, and the tumour's clones with their antigen status
and lineage (for the Muller plot).

Times are in days; cells are whole-body counts; densities in molecules/cell.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from plot_common import PlotError

DEFAULT_FUNCTIONAL_FLOOR = 50.0  # BCMA molecules/cell below which a binder cannot trigger killing
ANTIGEN_TOKEN = re.compile(r"_(bcma|gprc5d|cd38|fcrh5)(\d)")


# --------------------------------------------------------------------------------------------
# Loading


@dataclass
class Run:
    """Everything the panels read from a run folder."""

    folder: Path
    columns: dict[str, np.ndarray]
    summary: dict = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)

    @property
    def time(self) -> np.ndarray:
        return self.columns["time_day"]

    @property
    def name(self) -> str:
        scenario = self.manifest.get("scenario") if isinstance(self.manifest, dict) else None
        if isinstance(scenario, dict) and scenario.get("name"):
            return str(scenario["name"])
        return self.folder.resolve().name

    @property
    def scenario(self) -> dict:
        scenario = self.manifest.get("scenario")
        return scenario if isinstance(scenario, dict) else {}

    @property
    def is_reference(self) -> bool:
        return bool(self.summary.get("model"))

    def col(self, name: str) -> np.ndarray | None:
        return self.columns.get(name)

    def lines(self) -> list[dict]:
        lines = self.summary.get("lines")
        return [line for line in lines if isinstance(line, dict)] if isinstance(lines, list) else []


def read_timeseries(path: Path) -> dict[str, np.ndarray]:
    """Columns of a CSV file as float arrays, keeping the header names exactly."""
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise PlotError(f"{path} is empty") from None
        rows = [row for row in reader if row]
    if not header or header[0] != "time_day":
        raise PlotError(f"{path}: first column must be time_day, found {header[:1]}")
    if not rows:
        raise PlotError(f"{path} has a header but no data rows")

    def number(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return math.nan

    data = np.full((len(rows), len(header)), np.nan)
    for i, row in enumerate(rows):
        for j, text in enumerate(row[: len(header)]):
            data[i, j] = number(text)
    return {name: data[:, j] for j, name in enumerate(header)}


def read_json(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        print(f"plot_run: ignoring {path}: {error}", file=sys.stderr)
        return {}
    return value if isinstance(value, dict) else {}


def load_run(folder: str | Path) -> Run:
    folder = Path(folder)
    csv_path = folder / "timeseries.csv"
    if not csv_path.is_file():
        raise PlotError(f"{csv_path} not found (run `cartsim run SCENARIO -o {folder}` first)")
    return Run(
        folder=folder,
        columns=read_timeseries(csv_path),
        summary=read_json(folder / "summary.json"),
        manifest=read_json(folder / "manifest.json"),
    )


# --------------------------------------------------------------------------------------------
# Derived quantities


def clip_positive(values: np.ndarray, floor: float) -> np.ndarray:
    """Values for a log axis: NaN stays NaN, anything below `floor` (including 0) becomes `floor`."""
    return np.where(np.isnan(values), np.nan, np.maximum(values, floor))


def log_floor(values: np.ndarray, decades: float, hard_min: float) -> float:
    """A lower limit for a log axis: `decades` below the peak, never under `hard_min`."""
    positive = values[np.isfinite(values) & (values > 0)]
    if positive.size == 0:
        return hard_min
    lowest = max(float(positive.min()), float(positive.max()) * 10.0 ** (-decades))
    return max(hard_min, lowest / 1.5)


def value_at(run: Run, column: str, day: float) -> float | None:
    values = run.col(column)
    if values is None:
        return None
    ok = np.isfinite(values)
    if not ok.any():
        return None
    return float(np.interp(day, run.time[ok], values[ok]))


def display_name(token: str, candidates: list[str]) -> str:
    """Map a column token like `ide_cel` back to the scenario's spelling (`ide-cel`)."""
    for candidate in candidates:
        if re.sub(r"[^A-Za-z0-9]+", "_", candidate) == token:
            return candidate
    return token


def therapy_names(run: Run) -> list[str]:
    names = []
    for line in run.scenario.get("regimen") or []:
        for therapy in (line or {}).get("therapies") or []:
            for key in ("name", "product"):
                if isinstance(therapy, dict) and therapy.get(key):
                    names.append(str(therapy[key]))
    for line in run.lines():
        names.extend(str(t) for t in line.get("therapies") or [])
    return names


def functional_floor(run: Run) -> float:
    for line in run.scenario.get("regimen") or []:
        for therapy in (line or {}).get("therapies") or []:
            if isinstance(therapy, dict) and therapy.get("type") == "cart":
                binder = therapy.get("binder") or {}
                floor = binder.get("functional_floor_molecules_per_cell")
                if isinstance(floor, (int, float)) and floor > 0:
                    return float(floor)
    return DEFAULT_FUNCTIONAL_FLOOR


def line_spans(run: Run) -> list[tuple[str, float, float]]:
    """(name, start, stop) of every therapy line; from summary.json, else the therapy_line column."""
    t_end = float(np.nanmax(run.time))
    spans = []
    for i, line in enumerate(run.lines()):
        start = line.get("start_day")
        if not isinstance(start, (int, float)):
            continue
        stop = line.get("stop_day")
        stop = float(stop) if isinstance(stop, (int, float)) else t_end
        spans.append((str(line.get("name") or f"line {i + 1}"), float(start), min(stop, t_end)))
    if spans or run.col("therapy_line") is None:
        return spans
    active = run.col("therapy_line")
    t = run.time
    i = 0
    while i < len(t):
        number = active[i]
        j = i
        while j + 1 < len(t) and active[j + 1] == number:
            j += 1
        if np.isfinite(number) and number > 0:
            spans.append((f"line {int(number)}", float(t[i]), float(t[min(j + 1, len(t) - 1)])))
        i = j + 1
    return spans


def progressions(run: Run) -> list[tuple[float, str, str]]:
    """(day, line name, relapse type) for every progression."""
    found = []
    for line in run.lines():
        day = line.get("progression_day")
        if isinstance(day, (int, float)):
            found.append((float(day), str(line.get("name") or ""), str(line.get("relapse_type") or "")))
    day = run.summary.get("progression_day")
    if not found and isinstance(day, (int, float)):
        found.append((float(day), "", str(run.summary.get("relapse_type") or "")))
    return found


# --------------------------------------------------------------------------------------------
# Clones


@dataclass
class Clone:
    name: str
    column: str
    parent: str | None
    bcma_alleles: int
    gprc5d_alleles: int


def declared_clones(run: Run) -> dict[str, dict]:
    tumour = (run.scenario.get("patient") or {}).get("tumour") or {}
    result = {}
    for clone in tumour.get("clones") or []:
        if isinstance(clone, dict) and clone.get("name"):
            result[str(clone["name"])] = clone
    return result


def alleles(spec: dict, antigen: str, default: int = 2) -> int:
    value = (spec.get(antigen) or {}).get("alleles") if isinstance(spec.get(antigen), dict) else None
    return int(value) if isinstance(value, (int, float)) else default


def find_clones(run: Run) -> list[Clone]:
    """Clones from the tumour_<clone>_cells columns, with antigen status and lineage parent."""
    names = [
        m.group(1)
        for column in run.columns
        if (m := re.fullmatch(r"tumour_(.+)_cells", column)) and m.group(1) != "total"
    ]
    declared = declared_clones(run)
    name_set = set(names)
    clones = []
    for name in names:
        # The longest declared clone name that prefixes this one is the root; the rest are losses.
        root = max((d for d in declared if name == d or name.startswith(d + "_")), key=len, default=None)
        if root is None:
            first = ANTIGEN_TOKEN.search(name)
            root = name[: first.start()] if first else name
        spec = declared.get(root, {})
        bcma = alleles(spec, "bcma", 0 if (not spec and "bcma_neg" in root) else 2)
        gprc5d = alleles(spec, "gprc5d", 0 if (not spec and "gprc5d_neg" in root) else 2)
        tokens = ANTIGEN_TOKEN.findall(name[len(root):])
        for antigen, count in tokens:
            if antigen == "bcma":
                bcma = min(bcma, int(count))
            elif antigen == "gprc5d":
                gprc5d = min(gprc5d, int(count))
        parent = None
        if tokens:
            stem = name[: name.rfind("_" + tokens[-1][0] + tokens[-1][1])]
            antigen, count = tokens[-1]
            # Losing the last allele happens in the one-allele clone when it exists.
            one_allele = f"{stem}_{antigen}1"
            parent = one_allele if count == "0" and one_allele in name_set else stem
            if parent not in name_set:
                parent = root if root in name_set and root != name else None
        clones.append(Clone(name, f"tumour_{name}_cells", parent, bcma, gprc5d))
    return clones


def clone_status(clone: Clone) -> str:
    bcma = {2: "BCMA+", 1: "BCMA+ (1 allele)"}.get(clone.bcma_alleles, "BCMA\u2212")
    return bcma + (", GPRC5D\u2212" if clone.gprc5d_alleles == 0 else "")


def muller_order(clones: list[Clone]) -> list[tuple[Clone, float]]:
    """Stacking order for a Muller plot: each parent is split in two halves around its descendants.

    Returns (clone, weight) segments; weights of one clone add up to 1."""
    by_name = {c.name: c for c in clones}
    children: dict[str | None, list[Clone]] = {}
    for clone in clones:
        parent = clone.parent if clone.parent in by_name else None
        children.setdefault(parent, []).append(clone)
    segments: list[tuple[Clone, float]] = []

    def visit(clone: Clone) -> None:
        kids = children.get(clone.name, [])
        if not kids:
            segments.append((clone, 1.0))
            return
        segments.append((clone, 0.5))
        for kid in kids:
            visit(kid)
        segments.append((clone, 0.5))

    for root in children.get(None, []):
        visit(root)
    return segments

