"""Reading a lesson's output folder for plots/plot_lesson.py.

A lesson is a single-patient scenario (one run folder with timeseries.csv) or a tiny study whose arms
run the same patient (patients.csv, summary.json, scenario.yaml). A study keeps no time series, so
each arm is run again as a single patient into FOLDER/arms/<n>-<arm>/: the resolved study without
its arms, with the arm's regimen and its `set` overrides. Patient 0 of a study uses the scenario's
seed, so the re-run is the same patient; its endpoints are checked against patients.csv.

Times are in days, cells are whole-body counts, densities in molecules/cell.
"""

from __future__ import annotations

import csv
import math
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from plot_common import PlotError
from run_data import Run, find_clones, functional_floor, load_run

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CARTSIM = REPO / "build" / "src" / "cli" / "cartsim"


class PlainDumper(yaml.SafeDumper):
    """Writes every scalar as the text it was read with (BaseLoader reads all scalars as text), so
    `450.0e6` or `true` reach cartsim unchanged and unquoted."""

    yaml_implicit_resolvers: dict = {}


@dataclass
class Arm:
    """One situation of the lesson: its name, its run and (for a study) its patients.csv row."""

    name: str
    run: Run
    row: dict | None = None


@dataclass
class Lesson:
    folder: Path
    name: str
    description: str
    arms: list[Arm]
    is_study: bool


def find_cartsim(explicit: str | None) -> Path:
    """--cartsim, else $CARTSIM, else the build tree next to this script."""
    candidate = Path(explicit or os.environ.get("CARTSIM") or DEFAULT_CARTSIM)
    if not candidate.is_file():
        raise PlotError(f"cartsim not found at {candidate} (build it, or pass --cartsim PATH)")
    return candidate


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "arm"


def read_patients(path: Path) -> dict[str, dict]:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise PlotError(f"{path} has no patient rows")
    return {row["arm"]: row for row in rows if row.get("patient") == "0"}


def run_arm(cartsim: Path, study: dict, arm: dict, out: Path) -> None:
    """Run one arm of the study as a single patient into `out`."""
    scenario = {key: value for key, value in study.items() if key not in ("arms", "cohort", "sweep")}
    if "regimen" in arm:
        scenario["regimen"] = arm["regimen"]
    overrides = [item for value in arm.get("set") or [] for item in ("--set", value)]
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", dir=out.parent, delete=False) as handle:
        yaml.dump(scenario, handle, Dumper=PlainDumper, sort_keys=False)
        path = handle.name
    try:
        done = subprocess.run([str(cartsim), "run", path, "-o", str(out), "-q", *overrides],
                              capture_output=True, text=True)
    finally:
        os.unlink(path)
    if done.returncode != 0:
        raise PlotError(f"re-running arm {arm.get('name')!r} failed: {done.stderr.strip()}")


def same_number(a, b) -> bool:
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


def check_arm(arm: Arm) -> None:
    """The re-run must reproduce the study's endpoints, or the picture would show another patient."""
    summary, row = arm.run.summary, arm.row or {}
    for key in ("progression_day", "cart_peak_blood_cells_per_ul"):
        if not same_number(summary.get(key), row.get(key)):
            raise PlotError(f"arm {arm.name!r}: re-run gives {key} {summary.get(key)}, patients.csv has "
                            f"{row.get(key)!r} (was cartsim rebuilt since the study ran? run it again)")


def load_lesson(folder: str | Path, cartsim: str | None = None) -> Lesson:
    folder = Path(folder)
    if (folder / "patients.csv").is_file() and (folder / "scenario.yaml").is_file():
        study = yaml.load((folder / "scenario.yaml").read_text(), Loader=yaml.BaseLoader)
        if not isinstance(study, dict) or not study.get("arms"):
            raise PlotError(f"{folder}/scenario.yaml is not a study with arms (a lesson compares arms)")
        if "cohort" in study or "sweep" in study:
            raise PlotError(f"{folder} holds a cohort or sweep; a lesson has arms on one patient")
        rows = read_patients(folder / "patients.csv")
        binary = find_cartsim(cartsim)
        arms = []
        for i, spec in enumerate(study["arms"]):
            name = str(spec.get("name"))
            out = folder / "arms" / f"{i + 1}-{slug(name)}"
            run_arm(binary, study, spec, out)
            arm = Arm(name, load_run(out), rows.get(name))
            check_arm(arm)
            arms.append(arm)
        return Lesson(folder, str(study.get("name")), str(study.get("description") or ""), arms, True)
    if (folder / "timeseries.csv").is_file():
        run = load_run(folder)
        return Lesson(folder, run.name, str(run.scenario.get("description") or ""), [Arm(run.name, run)], False)
    raise PlotError(f"{folder} has neither timeseries.csv nor patients.csv "
                    f"(run `cartsim run scenarios/lessons/LESSON.yaml -o {folder}` first)")


# --------------------------------------------------------------------------------------------
# Quantities the lesson panels draw


def cells_by_bcma(run: Run) -> dict[str, np.ndarray]:
    """Tumour cells (whole body) summed by BCMA status: 'positive' (2 alleles), 'one allele', 'negative'."""
    groups: dict[str, np.ndarray] = {}
    for clone in find_clones(run):
        values = run.col(clone.column)
        if values is None:
            continue
        status = {2: "positive", 1: "one allele"}.get(clone.bcma_alleles, "negative")
        groups[status] = groups.get(status, 0.0) + np.nan_to_num(np.maximum(values, 0.0))
    return groups


def bcma_negative_share(run: Run) -> np.ndarray:
    """Share (0..1) of tumour cells without BCMA."""
    groups = cells_by_bcma(run)
    total = sum(groups.values())
    negative = groups.get("negative", np.zeros_like(run.time))
    return np.where(total > 0, negative / np.where(total > 0, total, 1.0), np.nan)


def fit_t_cell_share(run: Run) -> np.ndarray | None:
    """Functional (not exhausted) share (0..1) of the patient's own marrow T cells."""
    fit, tired = run.col("endogenous_t_functional_cells"), run.col("endogenous_t_exhausted_cells")
    if fit is None or tired is None:
        return None
    total = fit + tired
    return np.where(total > 0, fit / np.where(total > 0, total, 1.0), np.nan)


def event_days(run: Run, prefix: str) -> list[float]:
    """Days of summary.json events whose text starts with `prefix` ('infusion', 'apheresis', ...)."""
    days = []
    for event in run.summary.get("events") or []:
        day, text = event.get("day"), str(event.get("event") or "")
        if isinstance(day, (int, float)) and text.startswith(prefix):
            days.append(float(day))
    return days


def first_progression(run: Run) -> tuple[float, str] | None:
    """(day, relapse type) of the first progression, or None."""
    for line in run.lines():
        day = line.get("progression_day")
        if isinstance(day, (int, float)):
            return float(day), str(line.get("relapse_type") or "")
    return None


def progression_days(run: Run) -> list[float]:
    """Days of every progression, line by line."""
    return [float(line["progression_day"]) for line in run.lines()
            if isinstance(line.get("progression_day"), (int, float))]


def cart_line(run: Run) -> dict | None:
    """The line that infused the first CAR-T product: the last line started by the infusion day."""
    infusions = event_days(run, "infusion")
    started = [line for line in run.lines()
               if infusions and isinstance(line.get("start_day"), (int, float)) and line["start_day"] <= infusions[0]]
    return started[-1] if started else None


def cart_remission_days(run: Run) -> tuple[float, bool]:
    """Days from the CAR-T line's start to its progression, and whether it progressed (if not: the days
    to the end of follow-up)."""
    line = cart_line(run)
    if line is None:
        return math.nan, False
    start = float(line["start_day"])
    progression = line.get("progression_day")
    if isinstance(progression, (int, float)):
        return float(progression) - start, True
    return horizon(run) - start, False


def gsi_fold_at_start(run: Run) -> float:
    """Surface BCMA multiplier of a gamma-secretase inhibitor given from day 0 of the first line, else 1."""
    regimen = run.scenario.get("regimen") or []
    first = regimen[0] if regimen else {}
    for therapy in first.get("therapies") or []:
        if therapy.get("type") == "gamma_secretase_inhibitor" and not therapy.get("start_day"):
            return float(therapy.get("bcma_density_fold") or 1.0)
    return 1.0


def density_at_start(run: Run) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Cells per BCMA density bin on day 0, as the model bins them (model/tumour/density_grid.cpp:
    log-spaced bins, each clone lognormal around its median, halved per lost allele; the tails go to the
    end bins). Returns the bin edges as seen on the surface (times a GSI fold), the cells per bin of the
    BCMA-carrying clones and whether each bin is over the CAR-T's functional floor (bin centre x fold)."""
    tumour = (run.scenario.get("patient") or {}).get("tumour") or {}
    clones = [c for c in tumour.get("clones") or [] if isinstance(c, dict)]
    if not clones or "initial_cells" not in tumour:
        return None
    bins = int(tumour.get("bcma_bins", 12))
    low, high = float(tumour.get("bcma_bin_min_molecules_per_cell", 10)), float(
        tumour.get("bcma_bin_max_molecules_per_cell", 1e5))
    edges = low * (high / low) ** (np.arange(bins + 1) / bins)
    given = sum(float(c["fraction"]) for c in clones if c.get("fraction") is not None)
    cells = np.zeros(bins)
    for clone in clones:
        bcma = clone.get("bcma") or {}
        alleles = int(bcma.get("alleles", 2))
        median = float(bcma.get("median_molecules_per_cell", 670)) * alleles / 2.0
        if median <= 0:
            continue
        fraction = clone.get("fraction")
        share = float(fraction) if fraction is not None else max(0.0, 1.0 - given)
        sigma = max(float(bcma.get("sigma_log", 0.6)), 1e-9)
        cdf = np.array([0.5 * math.erfc(-(math.log(e) - math.log(median)) / (sigma * math.sqrt(2.0)))
                        for e in edges])
        cdf[0], cdf[-1] = 0.0, 1.0
        cells += float(tumour["initial_cells"]) * share * np.diff(cdf)
    fold = gsi_fold_at_start(run)
    centres = np.sqrt(edges[:-1] * edges[1:]) * fold
    return edges * fold, cells, centres > functional_floor(run)


def value_on(run: Run, values: np.ndarray, day: float) -> float:
    """`values` (a column of `run`) interpolated on `day`."""
    ok = np.isfinite(values)
    return float(np.interp(day, run.time[ok], values[ok])) if ok.any() else float("nan")


def horizon(run: Run) -> float:
    return float(np.nanmax(run.time))


def cart_blood_total(run: Run) -> np.ndarray | None:
    """CAR-T cells in blood (cells/uL) of every product together, or None without a CAR-T product."""
    columns = [c for c in run.columns if c.startswith("cart_") and c.endswith("_blood_cells_per_ul")]
    return np.sum([run.col(c) for c in columns], axis=0) if columns else None


def anti_car_columns(run: Run) -> list[str]:
    """The host's response against each CAR binder (fraction of full), in the order of the binders' first
    use: the first is the first product's binder."""
    return [c for c in run.columns if c.startswith("anti_car_") and c.endswith("_response_fraction")]


def peak_after(run: Run, values: np.ndarray, start: float, end: float) -> float:
    """Largest value on days start..end (nan when no row falls there)."""
    keep = (run.time >= start) & (run.time <= end)
    return float(np.nanmax(values[keep])) if keep.any() else float("nan")


def value_before(run: Run, values: np.ndarray, day: float) -> float:
    """`values` on the last output row before `day` (an event on `day` has already acted on its row)."""
    before = np.flatnonzero(run.time < day)
    return float(values[before[-1]]) if before.size else float("nan")


def first_day_at_least(run: Run, values: np.ndarray, level: float, after: float) -> float | None:
    """First output day from `after` on with `values` at or above `level`, or None."""
    hit = np.flatnonzero((run.time >= after) & (values >= level))
    return float(run.time[hit[0]]) if hit.size else None


def cleared_day(run: Run) -> float | None:
    """First day with no myeloma cell left, or None."""
    gone = np.flatnonzero(run.col("tumour_total_cells") <= 0)
    return float(run.time[gone[0]]) if gone.size else None
