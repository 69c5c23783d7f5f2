#!/usr/bin/python3
"""Check the text of each lesson figure against the lesson's own outputs.

Usage:
    /usr/bin/python3 tests/plots/check_captions.py LESSON_OUT... [--caption TEXT]

LESSON_OUT is a folder written by `cartsim run scenarios/lessons/LESSON.yaml -o LESSON_OUT` and drawn by
plots/plot_lesson.py (so a study's arms are in LESSON_OUT/arms/). The figure is built again
(plot_lesson.FIGURES, without writing it) and all its text read back. The run's outputs are read
independently of the plotting code: summary.json of the run or of each re-run arm, and patients.csv.

Checks, each failure printed on one line (exit status 1 if any):
  - every relapse type named anywhere in the figure but its title (which names the lesson's topic),
    as antigen-low or antigen_negative, is a type some therapy line of the lesson's runs reports (a
    shorter name such as antigen-positive matches antigen_positive_exhaustion);
  - the caption (the story under the title) names the relapse type of every arm that relapses, as its
    summary.json and patients.csv report it;
  - every 'day N' in the caption is a progression or event day of one of the runs.
--caption TEXT checks TEXT as if it were the caption of the (single) folder given: used to show that a
hand-written claim the run does not support is caught.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path

PLOTS = Path(__file__).resolve().parents[2] / "plots"
sys.path.insert(0, str(PLOTS))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402

RELAPSE_MENTION = re.compile(r"\bantigen(?:[-_ ](?:positive|low|negative|exhaustion|effector|loss))+\b", re.I)
DAY_MENTION = re.compile(r"\bday (\d+(?:\.\d+)?)\b")


def normalise(mention: str) -> str:
    return re.sub(r"[-_ ]+", "_", mention.lower())


def run_outputs(folder: Path) -> list[dict]:
    """summary.json of the single run, or of each re-run arm of a study, in arm order."""
    if (folder / "timeseries.csv").is_file():
        return [json.loads((folder / "summary.json").read_text())]
    arms = sorted((folder / "arms").glob("*/summary.json"), key=lambda p: int(p.parent.name.split("-")[0]))
    if not arms:
        raise SystemExit(f"{folder}: no arms/*/summary.json (draw the lesson with plot_lesson.py first)")
    return [json.loads(path.read_text()) for path in arms]


def reported_types(summaries: list[dict], folder: Path) -> tuple[set[str], list[str]]:
    """(every relapse type of any line, the first relapse type of each arm that relapsed)."""
    every, first = set(), []
    for summary in summaries:
        for line in summary.get("lines") or []:
            if line.get("relapse_type"):
                every.add(line["relapse_type"])
        if summary.get("relapse_type"):
            every.add(summary["relapse_type"])
            first.append(summary["relapse_type"])
    if (folder / "patients.csv").is_file():  # the study's own record must agree with the re-runs
        rows = [r for r in csv.DictReader((folder / "patients.csv").open()) if r["patient"] == "0"]
        study_types = [r["relapse_type"] for r in rows if r["relapse_type"] not in ("", "none")]
        if sorted(study_types) != sorted(first):
            raise SystemExit(f"{folder}: patients.csv relapse types {study_types} differ from the arms' {first}")
    return every, first


def known_days(summaries: list[dict]) -> set[float]:
    days = set()
    for summary in summaries:
        for line in summary.get("lines") or []:
            for key in ("progression_day", "start_day"):
                if isinstance(line.get(key), (int, float)):
                    days.add(float(line[key]))
        days.update(float(e["day"]) for e in summary.get("events") or [] if isinstance(e.get("day"), (int, float)))
    return days


def figure_texts(folder: Path) -> tuple[str, list[str]]:
    """(the caption, every text drawn in the lesson's figure)."""
    from plot_lesson import FIGURES, figure_general
    from plot_lesson_captions import caption
    from plot_lesson_data import load_lesson

    lesson = load_lesson(folder, os.environ.get("CARTSIM"))
    fig = FIGURES.get(lesson.name, figure_general)(lesson)
    title = getattr(fig, "_suptitle", None)  # the lesson's topic, not a claim about this run
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t is not title]
    plt.close(fig)
    story = caption(lesson)
    drawn = " ".join(" ".join(texts).split())
    if " ".join(story.split()) not in drawn:
        raise SystemExit(f"{folder}: the caption is not drawn in the figure")
    return story, texts


def problems(folder: Path, story: str, texts: list[str]) -> list[str]:
    summaries = run_outputs(folder)
    every, first = reported_types(summaries, folder)
    found = []
    for text in texts + [story]:
        for mention in RELAPSE_MENTION.findall(text):
            kind = normalise(mention)
            if not any(t == kind or t.startswith(kind + "_") for t in every):
                found.append(f"{folder.name}: the figure says {mention!r}, the runs report {sorted(every) or 'none'}")
    named = {normalise(m) for m in RELAPSE_MENTION.findall(story)}
    for kind in first:
        if kind not in named:
            found.append(f"{folder.name}: the caption does not name the relapse type {kind} the run reports")
    days = known_days(summaries)
    for day in DAY_MENTION.findall(story):
        if float(day) not in days:
            found.append(f"{folder.name}: the caption names day {day}, not a progression or event day of the runs")
    return sorted(set(found))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--caption", help="check this text as the caption of the one folder given")
    args = parser.parse_args(argv)
    if args.caption is not None and len(args.folders) != 1:
        parser.error("--caption needs exactly one folder")
    failed = []
    for folder in args.folders:
        story, texts = (args.caption, []) if args.caption is not None else figure_texts(folder)
        failed += problems(folder, story, texts)
    for line in failed:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
