"""The story under each lesson's title (plots/plot_lesson.py), written from the lesson's own outputs:
relapse days and types from each arm's summary.json, cell counts, shares and peaks from its time
series, folds and fractions from its resolved scenario. Nothing the model decides is written in by
hand, so a caption cannot contradict the run it describes (tests/plots/check_captions.py checks it).

Each function takes the Lesson and returns the caption as paragraphs separated by newlines; the figure
wraps them to its width.
"""

from __future__ import annotations

import numpy as np

from plot_lesson_data import (Arm, Lesson, anti_car_columns, bcma_negative_share, cart_blood_total, cart_line,
                              cart_remission_days, cleared_day, density_at_start, event_days, first_day_at_least,
                              fit_t_cell_share, gsi_fold_at_start, horizon, peak_after, progression_days, value_before,
                              value_on)

# Why the model gave a relapse its type (model/endpoints), said once per type.
RELAPSE_REASONS = {
    "antigen_low": "most relapsing cells sit under the floor, though none has lost the gene",
    "antigen_negative": "most relapsing cells have lost BCMA",
    "antigen_positive": "most relapsing cells still carry enough BCMA",
}
FOLD_WORDS = {2.0: "doubles", 3.0: "triples", 4.0: "quadruples"}


def relapse_words(relapse_type: str) -> str:
    """A relapse type as written in captions: antigen_low -> antigen-low."""
    return relapse_type.replace("_", "-") if relapse_type else "of unknown type"


def relapse_of(arm: Arm) -> tuple[float, str] | None:
    """(day, relapse type) of the arm's first progression as its summary.json reports it, or None."""
    summary = arm.run.summary
    day = summary.get("progression_day")
    if isinstance(day, (int, float)):
        return float(day), str(summary.get("relapse_type") or "")
    return None


def count_words(count: float) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if count >= size:
            return f"{count / size:.2g} {word}"
    return f"{count:,.0f}"


def fold(value: float) -> str:
    """A reduction or ratio: '4-fold', '1,000-fold'; an infinite one (no cell left): 'to no cell'."""
    if not np.isfinite(value):
        return "to no cell"
    return f"{value:,.0f}-fold" if value >= 10 else f"{value:.2g}-fold"


def times_words(ratio: float) -> str:
    if abs(ratio - 2.0) < 0.1:
        return "twice as long"
    return f"{ratio:.1f} times as long"


def tumour_fall(arm: Arm) -> float:
    """Start over nadir of total myeloma cells: how many-fold the therapy shrank the tumour."""
    cells = arm.run.col("tumour_total_cells")
    nadir = float(np.nanmin(cells))
    return float(cells[0]) / nadir if nadir > 0 else float("inf")


def relapse_clause(arms: list[Arm], subject: str | None = None) -> str:
    """'calls both relapses antigen-low (most ...)' or one phrase per arm when the types differ."""
    found = [(arm, relapse_of(arm)) for arm in arms]
    types = {r[1] for _, r in found if r}
    if len(types) == 1 and all(r for _, r in found):
        kind = types.pop()
        subject = subject or ("the relapse" if len(arms) == 1 else "both relapses" if len(arms) == 2
                              else "every relapse")
        reason = RELAPSE_REASONS.get(kind)
        return f"calls {subject} {relapse_words(kind)}" + (f" ({reason})" if reason else "")
    relapsing = [f"{relapse_words(r[1])} with {arm.name} (day {r[0]:g})" for arm, r in found if r]
    quiet = [f"no relapse with {arm.name} within {horizon(arm.run):g} days" for arm, r in found if not r]
    if not relapsing:
        return "finds " + (f"no relapse within {horizon(arms[0].run):g} days" if len(arms) == 1 else "; ".join(quiet))
    text = f"calls the relapse{'s' if len(relapsing) > 1 else ''} " + "; ".join(relapsing)
    return text + (", and finds " + "; ".join(quiet) if quiet else "")


def escape_caption(lesson: Lesson) -> str:
    arm = lesson.arms[0]
    clones = ((arm.run.scenario.get("patient") or {}).get("tumour") or {}).get("clones") or []
    negative = [c for c in clones if isinstance(c, dict) and ((c.get("bcma") or {}).get("alleles") == 0)]
    share = sum(float(c.get("fraction") or 0.0) for c in negative)
    before = (f"Before therapy 1 in {1.0 / share:,.0f} myeloma cells has lost BCMA." if share > 0
              else "Before therapy no myeloma cell has lost BCMA.")
    found = relapse_of(arm)
    if found:
        day, kind = found
        negative_share = 100.0 * value_on(arm.run, bcma_negative_share(arm.run), day)
        after = (f"these keep dividing and make up the relapse on day {day:g} ({negative_share:.0f}% of the tumour "
                 f"BCMA-negative; the model calls it {relapse_words(kind)}).")
    else:
        after = f"these keep dividing, but no relapse is called within {horizon(arm.run):g} days."
    return (f"{before} The CAR-T destroy the BCMA-positive cells, but cannot see the BCMA-negative ones: "
            f"{after}")


def gsi_caption(lesson: Lesson) -> str:
    arms = lesson.arms
    text = "Every cell carries BCMA, some very little. The CAR-T kill the cells with most BCMA first"
    text += "; those under the floor survive and grow back." if any(relapse_of(arm) for arm in arms) else "."
    text += f" The model {relapse_clause(arms)}."
    if len(arms) != 2 or gsi_fold_at_start(arms[1].run) == 1.0:
        return text
    alone, treated = arms
    fold_at_start = gsi_fold_at_start(treated.run)
    raises = FOLD_WORDS.get(fold_at_start, f"raises {fold_at_start:g}-fold")
    hidden = []
    for arm in arms:
        start = density_at_start(arm.run)
        hidden.append(float(start[1][~start[2]].sum()) if start else float("nan"))
    text += f" The gamma-secretase inhibitor {raises} surface BCMA and blocks its shedding: "
    if all(np.isfinite(hidden)):
        text += f"{count_words(hidden[1])} instead of {count_words(hidden[0])} cells hide under the floor, "
    deeper = tumour_fall(treated) / tumour_fall(alone)
    text += (f"the tumour falls {fold(deeper)} deeper" if np.isfinite(deeper) and deeper > 1
             else "the tumour is cleared" if not np.isfinite(tumour_fall(treated)) else "the tumour falls no deeper")
    first, second = relapse_of(alone), relapse_of(treated)
    if first and second:
        text += f" and takes {times_words(second[0] / first[0])} to return (day {second[0]:g} against {first[0]:g})."
    elif first:
        text += f" and does not return within {horizon(treated.run):g} days."
    else:
        text += "."
    return text


def number(value, unit: str) -> str:
    """A whole number with its unit, or 'no value' when the run has none."""
    return f"{value:.0f}{unit}" if isinstance(value, (int, float)) and np.isfinite(value) else "no value"


def fit_at_apheresis(arm: Arm) -> float | None:
    share, days = fit_t_cell_share(arm.run), event_days(arm.run, "apheresis")
    return 100.0 * value_on(arm.run, share, days[0]) if share is not None and days else None


def cart_outcome(arm: Arm) -> str:
    """'the tumour returns 196 days after the infusion (day 308, antigen-...)' or '... does not return ...'."""
    days, progressed = cart_remission_days(arm.run)
    line = cart_line(arm.run) or {}
    if progressed:
        return (f"the tumour returns {days:.0f} days after the infusion (day {line['progression_day']:g}, "
                f"{relapse_words(str(line.get('relapse_type') or ''))})")
    return f"the tumour does not return within the {horizon(arm.run):g} days"


def exhaustion_caption(lesson: Lesson) -> str:
    arms = lesson.arms
    if len(arms) < 2:
        return lesson.description
    cart_first, bispecific_first = arms[0], arms[1]
    bispecific = str((bispecific_first.run.lines() or [{}])[0].get("name") or "the bispecific")
    failed = relapse_of(bispecific_first)
    fails = (f"in this patient it fails on day {failed[0]:g} (the model calls it {relapse_words(failed[1])})"
             if failed else f"in this patient it holds for {horizon(bispecific_first.run):g} days")
    peak = [number(arm.run.summary.get("cart_peak_blood_cells_per_ul"), "") for arm in arms]
    fit = [number(fit_at_apheresis(arm), "%") for arm in arms]
    text = (f"{bispecific.capitalize()} works through the patient's own T cells; dosed every week it wears them out, "
            f"and {fails}.")
    if not event_days(bispecific_first.run, "infusion"):
        return text + (f" After {bispecific} no CAR-T is given; CAR-T first: {cart_outcome(cart_first)}.")
    text += (f" CAR-T cells are made from the T cells collected at apheresis: collected after {bispecific}, "
            f"{fit[1]} are fit (against {fit[0]} for CAR-T first), the product peaks at {peak[1]} "
            f"against {peak[0]} cells/uL and {cart_outcome(bispecific_first)}; CAR-T first: "
            f"{cart_outcome(cart_first)}.")
    if len(arms) > 2 and event_days(arms[2].run, "infusion"):
        fit_product = arms[2]
        text += (f" The dashed arm makes the product as if from fit T cells: it peaks at {peak[2]} cells/uL and "
                 f"{cart_outcome(fit_product)}")
        longer = cart_remission_days(fit_product.run)[0] > cart_remission_days(bispecific_first.run)[0]
        text += ", so the exhausted starting material is the cause." if longer else "."
    return text


def majority_day(arm: Arm) -> float | None:
    """First day on which BCMA-negative cells are the majority of the tumour."""
    share = bcma_negative_share(arm.run)
    over = np.flatnonzero(share > 0.5)
    return float(arm.run.time[over[0]]) if over.size else None


def macrophages_caption(lesson: Lesson) -> str:
    arms = lesson.arms
    if len(arms) < 2:
        return lesson.description
    high, treated = arms[0], arms[1]
    escape = False  # the macrophages slowed antigen escape: a later BCMA-negative majority, a BCMA+ relapse
    text = (f"Suppressive macrophages cut T-cell killing and feed APRIL to BCMA-positive cells, which then outgrow "
            f"BCMA-negative ones. With {high.name} the CAR-T shrink the tumour {fold(tumour_fall(high))}")
    found = relapse_of(high)
    if found:
        positive = 100.0 * (1.0 - value_on(high.run, bcma_negative_share(high.run), found[0]))
        text += (f", and the relapse (day {found[0]:g}) is {positive:.0f}% BCMA-positive (the model calls it "
                 f"{relapse_words(found[1])})")
    text += f". With {treated.name.lstrip('+ ')} they shrink it {fold(tumour_fall(treated))}"
    days = majority_day(high), majority_day(treated)
    if days[0] is not None and days[1] is not None and days[1] < days[0]:
        text += f", yet the BCMA-negative clone becomes the majority {days[0] - days[1]:.0f} days sooner"
        escape = found is not None and found[1] != "antigen_negative"
    others = "the relapse" if len(arms) == 2 else f"the relapses of the other {len(arms) - 1} arms"
    text += f"; the model {relapse_clause(arms[1:], others)}."
    if escape and tumour_fall(treated) > tumour_fall(high):
        text += " Macrophages both shield the tumour and slow antigen escape."
    return text


def second_infusion(arm: Arm) -> dict | None:
    """What the second CAR-T infusion of an arm met and did: its day, the host's response against the first
    binder just before its lymphodepletion and right after it (%), the CAR-T peak in blood 3-60 days
    after the infusion and what the tumour did next."""
    infusions, responses = event_days(arm.run, "infusion"), anti_car_columns(arm.run)
    cells = cart_blood_total(arm.run)
    if len(infusions) < 2 or not responses or cells is None:
        return None
    day, response = infusions[1], arm.run.col(responses[0])
    progressions = [p for p in progression_days(arm.run) if p > day]
    cleared = cleared_day(arm.run)
    if progressions:
        line = next(line for line in arm.run.lines() if line.get("progression_day") == progressions[0])
        outcome = (f"the tumour returns on day {progressions[0]:g} "
                   f"({relapse_words(str(line.get('relapse_type') or ''))})")
    elif cleared is not None and cleared > day:
        outcome = f"no myeloma cell is left {cleared - day:.0f} days after it"
    else:
        outcome = f"the tumour does not return within the {horizon(arm.run):g} days"
    return {"day": day, "before": 100.0 * value_before(arm.run, response, day),
            "after": 100.0 * value_on(arm.run, response, day),
            "peak": peak_after(arm.run, cells, day + 3.0, day + 60.0), "outcome": outcome,
            "half": [first_day_at_least(arm.run, arm.run.col(c), 0.5, day) for c in responses]}


def days_after(day: float | None, start: float) -> str:
    """'12 days' from start to day, or 'never' (no day)."""
    return f"{day - start:.0f} days" if day is not None else "never"


def anti_car_caption(lesson: Lesson) -> str:
    arms = lesson.arms
    again = second_infusion(arms[0]) if arms else None
    if again is None:
        return lesson.description
    first = arms[0]
    response = first.run.col(anti_car_columns(first.run)[0])
    start = event_days(first.run, "infusion")[0]
    rejected = relapse_of(first)
    text = (f"The host's response against ide-cel's mouse binder is half-maximal "
            f"{days_after(first_day_at_least(first.run, response, 0.5, start), start)} after the infusion, peaks at "
            f"{100.0 * float(np.nanmax(response[first.run.time < again['day']])):.0f}% of full and cuts the CAR-T "
            f"cells down")
    if rejected:
        text += f"; the tumour returns on day {rejected[0]:g} ({relapse_words(rejected[1])})"
    text += (f", the response still at {again['before']:.0f}%. Lymphodepletion leaves {again['after']:.0f}% of it, "
             f"but a remembered response is back above half {days_after(again['half'][0], again['day'])} after the "
             f"second ide-cel, which reaches {number(again['peak'], ' cells/uL')} in the two months after its "
             f"infusion, and {again['outcome']}.")
    other = second_infusion(arms[1]) if len(arms) > 1 else None
    if other:
        own = other["half"][-1] if len(other["half"]) > 1 else None
        text += (f" A product with another binder meets an unprimed response, half-maximal "
                 f"{days_after(own, other['day'])} after it: {number(other['peak'], ' cells/uL')} and "
                 f"{other['outcome']}.")
    fresh = second_infusion(arms[2]) if len(arms) > 2 else None
    if fresh:
        text += (f" Without host memory a second ide-cel also starts afresh: {number(fresh['peak'], ' cells/uL')} "
                 f"and {fresh['outcome']}")
        text += ", so the memory is what fails it." if fresh["peak"] > 3.0 * again["peak"] else "."
    return text


CAPTIONS = {
    "antigen-escape-preexisting": escape_caption,
    "antigen-low-gsi": gsi_caption,
    "exhaustion-bispecific-first": exhaustion_caption,
    "macrophages-april": macrophages_caption,
    "rejection-reinfusion": anti_car_caption,
}


def caption(lesson: Lesson) -> str:
    """The lesson's story; a lesson without a caption function gets its scenario description."""
    return CAPTIONS.get(lesson.name, lambda lesson: lesson.description)(lesson)
