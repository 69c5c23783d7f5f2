"""Pieces shared by the cartsim plotting scripts: the error type, atomic PNG writing, the command line."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

import matplotlib.pyplot as plt


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


def write_figure(fig, out: Path, dpi: int) -> Path:
    """Saves atomically and always closes the figure."""
    try:
        save_atomic(fig, out, dpi)
    finally:
        plt.close(fig)
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
