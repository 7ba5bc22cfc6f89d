"""Collect more data: draw rows of a slice from the reserve the scenario held back from training, and replay
a budget of collection three ways (the slice, random rows, another slice) to see which gains most.

A draw takes the reserve's rows in one fixed, seeded order, so the same state always draws the same rows; it
never reaches the test items (the reserve is training rows). The rows come with their labels as given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from datacentric.findings import slices
from datacentric.lab import cuts
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.lab import Lab
from datacentric.lab.scenario import SCARCE_RESERVE, Scenario
from datacentric.lab.worklog import Action, LabelState

__all__ = [
    "STEP",
    "BUDGET",
    "available",
    "draw",
    "random_rows",
    "three_arms",
    "spend",
    "ranked_at_start",
    "three_ways",
    "made_for_slices",
    "why_not_top",
]

STEP = 10  # rows collected between two points of a replay's curve
BUDGET = 30  # rows: the replay's budget, and the page's first suggestion


def available(state: LabelState, where: np.ndarray) -> np.ndarray:
    """The training items of ``where`` (a boolean array over them) still in the reserve."""
    return np.zeros(len(where), dtype=bool) if state.held is None else state.held & np.asarray(where, dtype=bool)


def draw(lab: Lab, state: LabelState, where: np.ndarray, k: int) -> list[Action]:
    """Collect up to ``k`` rows of ``where`` from the reserve: one action each, appended as one group so that one
    undo takes the draw back. Fewer when the reserve holds fewer."""
    if k < 0:
        raise ValueError("a budget cannot be negative")
    free = available(state, where)
    order = np.random.default_rng([lab.scenario.seed, 2]).permutation(lab.n_train)
    return [Action("collect", int(i)) for i in order[free[order]][:k]]


def random_rows(lab: Lab, where: np.ndarray) -> np.ndarray:
    """Reserve rows as random new data would bring them: all those outside the slice ``where``, and of the slice
    only as many as its share of the data. (The under-represented kind's reserve is rich in its slice: that is
    where the slice's rows went; drawing from the reserve as it is would not be random data.)"""
    where = np.asarray(where, dtype=bool)
    outside = lab.reserve & ~where
    share = where.mean()
    wanted = round(outside.sum() * share / (1 - share)) if share < 1 else int(lab.reserve.sum())
    order = np.random.default_rng([lab.scenario.seed, 3]).permutation(lab.n_train)
    chosen = outside.copy()
    chosen[order[(lab.reserve & where)[order]][:wanted]] = True
    return chosen


def three_arms(lab: Lab, ranked: list[cuts.Slice], budget: int) -> dict[str, tuple[str, np.ndarray]]:
    """The replay's three ways to spend ``budget`` collected rows, by name: (the slice, its training rows) for the
    top of the priority table (``ranked``: its slices in order), random rows, and the lowest-priority slice that
    shares no row with the top one and holds the budget in the reserve (or the most it can)."""
    top = ranked[0]
    start = lab.state([])
    apart = [s for s in ranked[1:] if not (s.train & top.train).any() and available(start, s.train).any()]
    full = [s for s in apart if available(start, s.train).sum() >= budget]
    low = (full or sorted(apart, key=lambda s: available(start, s.train).sum()))[-1] if apart else None
    arms = {"top": (top.name, top.train), "random": ("random rows", random_rows(lab, top.train))}
    return arms | ({"lowest": (low.name, low.train)} if low is not None else {})


def spend(
    lab: Lab, arms: dict[str, tuple[str, np.ndarray]], budget: int, metric: str = "accuracy", step: int = STEP
) -> pd.DataFrame:
    """From the scenario's start, collect ``budget`` rows ``step`` at a time from each arm's rows (``three_arms``)
    and score the fixed model after each step: columns arm, slice, collected, value. An arm whose reserve runs
    out stops there. Deterministic: the draws follow ``draw``'s fixed order."""
    start = lab.state([])
    first = train_and_score(lab, start.labels, start.kept).value(metric)
    rows = []
    for arm, (name, where) in arms.items():
        rows.append((arm, name, 0, first))
        log: list[Action] = []
        now = start
        while len(log) < budget:
            taken = draw(lab, now, where, min(step, budget - len(log)))
            if not taken:
                break
            log += taken
            now = lab.state(log)  # the next draw's state too: one apply of the log a step
            rows.append((arm, name, len(log), train_and_score(lab, now.labels, now.kept).value(metric)))
    return pd.DataFrame(rows, columns=["arm", "slice", "collected", "value"])


def ranked_at_start(
    lab: Lab, single: list[cuts.Slice], metric: str = "accuracy", level: float | None = None
) -> list[cuts.Slice]:
    """The priority table's slices in order, at the scenario's start (no action taken): the reference is the
    clean-label ceiling when the lab is graded (every training row, the reserve included), else ``level``."""
    start = lab.state([])
    predicted = train_and_score(lab, start.labels, start.kept).predicted
    graded = lab.grading != "none"
    reference = train_and_score(lab, lab.true_labels, np.ones(lab.n_train, dtype=bool)).predicted if graded else None
    found = slices.discover(lab, predicted, single=single)
    chosen = [*single, *found["of"]]
    table = slices.priority(lab, chosen, predicted, reference, metric, level=level)
    by_name = {s.name: s for s in chosen}
    return [by_name[name] for name in table["slice"]]


def three_ways(
    lab: Lab, single: list[cuts.Slice], budget: int = BUDGET, metric: str = "accuracy", level: float | None = None
) -> pd.DataFrame:
    """``spend`` of the three arms (``three_arms``) from the priority table at the start."""
    return spend(lab, three_arms(lab, ranked_at_start(lab, single, metric, level), budget), budget, metric)


def made_for_slices(seed: int):
    """The scenario the weak-slice demonstration is made for: the 8x8 digits (1,257 training rows), one slice held
    back but for a single row, a 10 % reserve to collect from, no wrong labels."""

    return Scenario("digits", "scarce", 0, seed, reserve=SCARCE_RESERVE)


def why_not_top(lab: Lab, gains: dict[str, float]) -> str | None:
    """When the top slice's rows did not gain most in the replay (``gains``: points by arm), why, in a sentence with
    the figures; None when they did."""
    top = gains.get("top")
    best = max(gains, key=gains.get)
    if top is None or best == "top":
        return None
    ways = {"random": "Random rows", "lowest": "The lowest-priority slice's rows"}
    said = f"{ways[best]} went further than the top slice's here: {gains[best]:+.1f} points against {top:+.1f}. "
    if lab.grading != "none" and lab.n_wrong:
        said += (
            f"The model trains on {lab.n_in_use:,} rows, {lab.n_wrong / lab.n_in_use:.0%} of them wrong: it is "
            "short of good data everywhere, so clean rows help wherever they land, and spread over every class "
            "they fix more than in one slice. Set the labels right first (Fix the labels); a slice's priority "
            "pays "
            "off once the rest of the data is sound."
        )
    else:
        said += "The top slice's gap may come from its labels, which new rows do not fix: review its labels instead."
    return said
