"""Checks that a finished matplotlib figure shows all its text: every text that is drawn (titles, axis
and tick labels, legend texts, annotations, notes, text boxes) lies inside the figure, is not cut by the
panel it is clipped to and, when placed in a panel's axes fraction, stays inside that panel; panel
titles, the figure title and figure notes do not overlap one another, nor do the unrotated tick labels
of one axis.

`write_figure` (plot_common.py) runs `figure_flaws` on every figure before saving it when the environment
has CARTSIM_CHECK_FIGURES=1, and fails the plot with the list of flaws (the PNG is still written, so the
flaw can be looked at). Extents are in display pixels of the saved PNG (the figure's dpi), measured with
the renderer after a full draw, so layout engines have run; TOLERANCE_PX allows for rounding.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import matplotlib.text as mtext
from matplotlib.transforms import Bbox

ENVIRONMENT = "CARTSIM_CHECK_FIGURES"
TOLERANCE_PX = 1.0  # anti-aliasing and rounding
SHOWN_CHARS = 50  # characters of a flawed text quoted in a message


def enabled() -> bool:
    return os.environ.get(ENVIRONMENT, "") not in ("", "0")


@contextmanager
def recording_texts(drawn: list):
    """While active, every Text that actually draws (visible, non-empty, inside the view for tick labels)
    is appended to `drawn` as (text, extent of its glyphs in display pixels)."""
    original = mtext.Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip() and getattr(self, "_renderer", None) is not None:
            drawn.append((self, mtext.Text.get_window_extent(self, renderer)))

    mtext.Text.draw = draw
    try:
        yield
    finally:
        mtext.Text.draw = original


def roles(fig) -> dict[int, str]:
    """What each text of the figure is, by id: panel title, axis label, tick label, legend text, figure
    title (axis labels and tick labels know their figure but not their axes, so they are looked up)."""
    from matplotlib.legend import Legend

    found: dict[int, str] = {}
    for legend in fig.findobj(Legend):
        for text in legend.get_texts() + [legend.get_title()]:
            found[id(text)] = "legend text"
    for axes in fig.axes:
        for title in (axes.title, axes._left_title, axes._right_title):
            found[id(title)] = "panel title"
        for axis in (axes.xaxis, axes.yaxis):
            found[id(axis.label)] = "axis label"
            for tick in axis.majorTicks + axis.minorTicks:
                found[id(tick.label1)] = found[id(tick.label2)] = f"tick label ({axis.axis_name})"
                tick.label1._cartsim_axis = tick.label2._cartsim_axis = id(axis)
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None:
        found[id(suptitle)] = "figure title"
    for text in fig.texts:
        found.setdefault(id(text), "figure note")
    return found


def describe(text: mtext.Text, role: str) -> str:
    shown = " ".join(text.get_text().split())
    if len(shown) > SHOWN_CHARS:
        shown = shown[: SHOWN_CHARS - 3] + "..."
    return f"{role} {shown!r}"


def outside(extent: Bbox, box: Bbox, tolerance: float = TOLERANCE_PX) -> list[str]:
    """The sides of `box` that `extent` crosses by more than `tolerance`, with the overshoot in pixels."""
    sides = []
    if extent.x0 < box.x0 - tolerance:
        sides.append(f"left by {box.x0 - extent.x0:.0f} px")
    if extent.x1 > box.x1 + tolerance:
        sides.append(f"right by {extent.x1 - box.x1:.0f} px")
    if extent.y0 < box.y0 - tolerance:
        sides.append(f"bottom by {box.y0 - extent.y0:.0f} px")
    if extent.y1 > box.y1 + tolerance:
        sides.append(f"top by {extent.y1 - box.y1:.0f} px")
    return sides


def overlap(a: Bbox, b: Bbox, tolerance: float = TOLERANCE_PX) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


HEADINGS = ("panel title", "figure title", "figure note")


def axis_aligned(text: mtext.Text) -> bool:
    return text.get_rotation() % 90.0 == 0.0


def placed_in_panel(text: mtext.Text) -> bool:
    """A text positioned in its panel's axes fraction, inside the panel (x and y in 0..1)."""
    if text.axes is None or text.get_transform() != text.axes.transAxes:
        return False
    x, y = text.get_position()
    return 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0


def clip_extent(text: mtext.Text) -> Bbox | None:
    """The box a text is clipped to (its clip box, else the extent of its clip path, e.g. the axes), if any."""
    if not text.get_clip_on():
        return None
    if text.get_clip_box() is not None:
        return text.get_clip_box()
    path = text.get_clip_path()
    return path.get_fully_transformed_path().get_extents() if path is not None else None


def figure_flaws(fig) -> list[str]:
    """Every text drawn outside the figure, cut by its clip box, or placed in a panel but running off it;
    every heading (panel title, figure title, note) overlapping another; tick labels of one axis
    overlapping each other. Draws the figure once (layout engines run then)."""
    drawn: list = []
    with recording_texts(drawn):
        fig.canvas.draw()
    role_of = roles(fig)

    def named(text):
        return describe(text, role_of.get(id(text), "text"))

    flaws = []
    for text, extent in drawn:
        sides = outside(extent, fig.bbox)
        clip = clip_extent(text)
        if sides:
            flaws.append(f"{named(text)} runs off the figure ({', '.join(sides)})")
        elif clip is not None and outside(extent, clip):
            flaws.append(f"{named(text)} is cut by its panel ({', '.join(outside(extent, clip))})")
        elif placed_in_panel(text) and outside(extent, text.axes.bbox):
            flaws.append(f"{named(text)} runs off its panel ({', '.join(outside(extent, text.axes.bbox))})")
    headings = [(text, extent) for text, extent in drawn if role_of.get(id(text)) in HEADINGS]
    for i, (first, first_extent) in enumerate(headings):
        for second, second_extent in headings[i + 1:]:
            if overlap(first_extent, second_extent):
                flaws.append(f"{named(first)} overlaps {named(second)}")
    ticks: dict[str, list] = {}
    for text, extent in drawn:
        kind = role_of.get(id(text), "")
        if kind.startswith("tick label") and axis_aligned(text):
            ticks.setdefault(getattr(text, "_cartsim_axis", None), []).append((text, extent))
    for labels in ticks.values():
        for i, (first, first_extent) in enumerate(labels):
            for second, second_extent in labels[i + 1:]:
                if overlap(first_extent, second_extent):
                    flaws.append(f"{named(first)} overlaps {named(second)}")
    return flaws
