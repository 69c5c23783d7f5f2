"""Pieces shared by the cartsim plotting scripts: the error type, atomic PNG writing, the command line."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

import matplotlib.pyplot as plt

import figure_check


class PlotError(Exception):
    """A problem with the input folder, reported to the user without a traceback."""


def save_atomic(fig, out: Path, dpi: int) -> None:
    """Write the PNG next to its final name, then rename it over, so no half-written file appears."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            fig.savefig(stream, format="png", dpi=dpi)
        os.chmod(temporary, 0o644)
        os.replace(temporary, out)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def fit_below_header(fig, header_in: float, pad_in: float = 0.08) -> None:
    """Lay the panels out (tight_layout: their titles, tick and axis labels and legends inside the figure)
    in the figure below a header of `header_in` inches that holds the figure title and its note."""
    fig.tight_layout(rect=(0.0, 0.0, 1.0, 1.0 - header_in / fig.get_figheight()), pad=pad_in * 72 / 10)


class FigureFlaw(PlotError):
    """A figure with text cut off or overlapping (found when CARTSIM_CHECK_FIGURES=1)."""


def write_figure(fig, out: Path, dpi: int) -> Path:
    """Saves atomically and always closes the figure. With CARTSIM_CHECK_FIGURES=1 the figure is checked
    first (figure_check.py) and a flawed one, still written, raises FigureFlaw listing every flaw."""
    try:
        flaws = figure_check.figure_flaws(fig) if figure_check.enabled() else []
        save_atomic(fig, out, dpi)
    finally:
        plt.close(fig)
    if flaws:
        raise FigureFlaw(f"{out}: {len(flaws)} flaw(s):\n  " + "\n  ".join(flaws))
    return out


def run_cli(name: str, description: str, folder_help: str, output_help: str,
            plot: Callable[[str, str | None], Path], argv: list[str] | None = None) -> int:
    """The shared command line: FOLDER [-o PNG]; prints the PNG path, exits 2 on a PlotError."""
    parser = argparse.ArgumentParser(prog=name, description=description)
    parser.add_argument("folder", help=folder_help)
    parser.add_argument("-o", "--output", help=output_help)
    args = parser.parse_args(argv)
    try:
        out = plot(args.folder, args.output)
    except PlotError as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 2
    print(out)
    return 0
