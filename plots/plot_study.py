#!/usr/bin/python3
"""Draw the figures of a `cartsim run study.yaml -o OUT` folder (a trial, cohort or sweep).

Usage:
    /usr/bin/python3 plots/plot_study.py FOLDER [-o OUTDIR] [--endpoint NAME] [--only km,swimmer,...]
                                         [--reference ARM]

FOLDER must hold summary.json and patients.csv; km.csv, sweep.csv and sobol.csv are optional. Each
figure the files support is written as OUTDIR/NAME.png (default OUTDIR: FOLDER), through a temporary
name, and its path printed:
  km             Kaplan-Meier PFS (line 1) and OS by arm, CI bands, medians, numbers at risk, hazard ratios
                 against the reference arm (km.csv); above 8 arms one small panel per arm against it
  swimmer        up to 30 patients by index, the same in every arm: therapy lines, progressions, death, best responses
  waterfall      best M-protein change per patient, sorted, one panel per arm
  relapse_types  stacked shares of relapse types (and no relapse) per arm or point
  heatmap        an endpoint of sweep.csv over a two-parameter grid (--endpoint, default median_pfs_days)
  curve          a one-parameter sweep: median CAR-T blood peak, responses and median PFS/OS against it
  sobol          first- and total-order Sobol indices with confidence intervals (sobol.csv)
Figures whose input is absent are skipped; a skipped figure whose input is present is noted on stderr.
Asked for with --only, a figure that cannot be drawn is an error. Errors exit with status 2. With
CARTSIM_CHECK_FIGURES=1 every figure is checked for cut-off or overlapping text (figure_check.py); all
figures are still written, and the flaws of all of them are reported (status 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plot_common import FigureFlaw, PlotError, write_figure  # noqa: E402
from study_data import Study, load_study  # noqa: E402
from study_response import (figure_relapse_types, figure_waterfall, why_not_relapse_types,  # noqa: E402
                            why_not_waterfall)
from study_km import figure_km, why_not_km  # noqa: E402
from study_curve import figure_curve, why_not_curve  # noqa: E402
from study_survival import figure_swimmer, why_not_swimmer  # noqa: E402
from study_sweep import (DEFAULT_ENDPOINT, check_endpoint, figure_heatmap, figure_sobol,  # noqa: E402
                         why_not_heatmap, why_not_sobol)

DPI = 120
NAME = "plot_study"

# name -> (reason it cannot be drawn or None, figure, the optional file it needs)
PLOTS = {
    "km": (why_not_km, lambda study, endpoint: figure_km(study), "km.csv"),
    "swimmer": (why_not_swimmer, lambda study, endpoint: figure_swimmer(study), None),
    "waterfall": (why_not_waterfall, lambda study, endpoint: figure_waterfall(study), None),
    "relapse_types": (why_not_relapse_types, lambda study, endpoint: figure_relapse_types(study), None),
    "heatmap": (why_not_heatmap, figure_heatmap, "sweep.csv"),
    "curve": (why_not_curve, lambda study, endpoint: figure_curve(study), "sweep.csv"),
    "sobol": (why_not_sobol, lambda study, endpoint: figure_sobol(study), "sobol.csv"),
}


def drawn_instead(name: str, study: Study) -> bool:
    """A sweep of one parameter is drawn as curves, one of two as a heatmap: the other is no loss."""
    if study.sweep is None:
        return False
    count = len(study.sweep_parameters())
    return (name == "curve" and count != 1) or (name == "heatmap" and count == 1)


def plan(study: Study, only: list[str] | None, endpoint: str) -> list[str]:
    """The figures to draw, checked before any is drawn. Without --only, what lacks its optional file (or
    is drawn in another form) is skipped quietly and what cannot be drawn otherwise with a note; with
    --only, either is an error."""
    chosen, notes = [], []
    for name in only or list(PLOTS):
        why_not, _, needs = PLOTS[name]
        reason = why_not(study)
        if reason is None:
            chosen.append(name)
        elif only:
            raise PlotError(f"cannot draw {name}: {reason}")
        elif (needs is None or (study.folder / needs).is_file()) and not drawn_instead(name, study):
            notes.append(f"skipping {name}: {reason}")
    if not chosen:
        raise PlotError(f"{study.folder}: nothing to draw" + "".join(f"; {note}" for note in notes))
    if "heatmap" in chosen:
        check_endpoint(study, endpoint)
    for note in notes:
        print(f"{NAME}: {note}", file=sys.stderr)
    return chosen


def plot_study(folder: str | Path, out_dir: str | Path | None = None, endpoint: str = DEFAULT_ENDPOINT,
               only: list[str] | None = None, on_written=None, reference: str | None = None) -> list[Path]:
    """Writes every chosen figure as OUT_DIR/NAME.png; `on_written(path)` is called after each. Flaws found
    by the figure check are collected over all figures and raised at the end."""
    study = load_study(folder)
    study.reference = reference
    out_dir = Path(out_dir) if out_dir else study.folder
    written, flaws = [], []
    for name in plan(study, only, endpoint):
        fig = PLOTS[name][1](study, endpoint)
        path = out_dir / f"{name}.png"
        try:
            written.append(write_figure(fig, path, DPI))
        except FigureFlaw as flaw:
            written.append(path)
            flaws.append(str(flaw))
        if on_written:
            on_written(written[-1])
    if flaws:
        raise FigureFlaw("\n".join(flaws))
    return written


def plot_names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in PLOTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown plot {', '.join(unknown) or '(none)'}; choose from {','.join(PLOTS)}")
    return list(dict.fromkeys(names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=NAME, description="Plot the results of a cartsim study (trial, cohort, "
                                     "sweep): " + ", ".join(PLOTS) + ".")
    parser.add_argument("folder", help="folder written by `cartsim run STUDY.yaml -o OUT`")
    parser.add_argument("-o", "--output", metavar="OUTDIR", help="folder for the PNGs (default: FOLDER)")
    parser.add_argument("--endpoint", default=DEFAULT_ENDPOINT,
                        help=f"sweep.csv column drawn in the heatmap (default: {DEFAULT_ENDPOINT})")
    parser.add_argument("--only", type=plot_names, metavar="NAMES",
                        help="comma-separated subset of: " + ",".join(PLOTS))
    parser.add_argument("--reference", metavar="ARM",
                        help="arm the km figure compares the others with (default: the first arm)")
    args = parser.parse_args(argv)
    try:
        plot_study(args.folder, args.output, args.endpoint, args.only, on_written=lambda path: print(path, flush=True),
                   reference=args.reference)
    except PlotError as error:
        print(f"{NAME}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
