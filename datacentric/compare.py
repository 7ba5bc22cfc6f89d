"""Model-centric against data-centric on one scenario: the learner's table, and the replay's."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from datacentric.display import percent
from datacentric.evaluate import train_and_score
from datacentric.lab import Lab
from datacentric.models import FAMILIES, FLOOR
from datacentric.replay import DataArm, Replay
from datacentric.tuning import describe_params, selected_record



@dataclass(frozen=True)
class Row:
    approach: str
    accuracy: float | None
    how: str  # what produced the row, or how to produce it


def _fixed_accuracy(lab: Lab) -> Callable[..., float]:
    return lambda labels, kept=None: train_and_score(lab, labels, kept).accuracy


def comparison(lab: Lab, *, runs: list[dict], labels: np.ndarray, kept: np.ndarray, n_actions: int,
               accuracy_of: Callable[..., float] | None = None) -> pd.DataFrame:
    """The learner's table in the shape of the one in Ng's data-centric talk.

    ``runs`` are the learner's run records; ``labels``/``kept`` their current labels after
    ``n_actions`` label actions. ``accuracy_of(labels, kept=None)`` scores the fixed model (pass a
    cached one: the page already has these scores). Columns: approach, accuracy, gain over the
    baseline in points, how.
    """
    accuracy_of = accuracy_of or _fixed_accuracy(lab)
    baseline = accuracy_of(lab.noisy_labels)
    fixed_name = lab.fixed_model.in_sentence
    model_runs = [r for r in runs if r["data"] == "noisy"]
    chosen = selected_record(runs, "noisy")
    top = runs[chosen] if chosen is not None else None
    rows = [
        Row("Baseline", baseline, f"{fixed_name} on the noisy labels"),
        Row("Model-centric", top["accuracy"], f"chosen by validation from {len(model_runs)} "
            f"run{'s' if len(model_runs) > 1 else ''}: {FAMILIES[top['family']].name}, "
            f"{describe_params(top['params'])}; labels unchanged") if top else
        Row("Model-centric", None, "not yet: train or search models on Tune the model"),
        Row("Data-centric", accuracy_of(labels, kept),
            f"{fixed_name} after {n_actions} label actions") if n_actions else
        Row("Data-centric", None, "not yet: fix some labels on Fix the labels"),
        _ceiling(lab, accuracy_of, f"{fixed_name} on the true labels"),
        Row("Floor", train_and_score(lab, lab.noisy_labels, model=FLOOR).accuracy, FLOOR.summary),
    ]
    frame = pd.DataFrame([r.__dict__ for r in rows])
    frame["gain"] = (frame["accuracy"] - baseline) * 100
    return frame[["approach", "accuracy", "gain", "how"]]


def _ceiling(lab: Lab, accuracy_of: Callable[..., float], how: str) -> Row:
    if lab.grading == "none":
        return Row("Clean-data ceiling", None, "unknown: nothing says which of your labels are wrong")
    return Row("Clean-data ceiling", accuracy_of(lab.true_labels), how)


def chosen_so_far(runs: list[dict]) -> list[float]:
    """After each of these runs, the test accuracy of the one chosen by validation so far (NaN before any)."""
    chosen = [selected_record(runs[:n], data=None) for n in range(1, len(runs) + 1)]
    return [runs[i]["accuracy"] if i is not None else float("nan") for i in chosen]


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its numbers written out for people: '93.1 %', '+16.9 pts', and '—' for rows not yet produced."""
    shown = table.copy()
    shown["accuracy"] = table["accuracy"].map(lambda a: "—" if pd.isna(a) else percent(a))
    shown["gain"] = table["gain"].map(lambda g: "—" if pd.isna(g) else f"{g:+.1f} pts")
    return shown.rename(columns={"accuracy": "test accuracy", "gain": "gain over baseline"}).set_index("approach")


def verdict(table: pd.DataFrame) -> str:
    """The table in a plain sentence or two."""
    rows = table.set_index("approach")
    parts = []
    for approach in ("Model-centric", "Data-centric"):
        if pd.notna(rows.loc[approach, "accuracy"]):
            parts.append(f"{approach} work gained **{rows.loc[approach, 'gain']:+.1f} points** ({rows.loc[approach, 'how']}).")
    if not parts:
        return "Fill the table: tune a model on *Tune the model* and fix labels on *Fix the labels*."
    if pd.isna(rows.loc["Clean-data ceiling", "accuracy"]):
        return " ".join(parts)
    gap = (rows.loc["Clean-data ceiling", "accuracy"] - rows.loc["Baseline", "accuracy"]) * 100
    return " ".join(parts) + f" Clean labels would be worth {gap:+.1f} points to the fixed model."


def replay_table(lab: Lab, result: Replay, *, accuracy_of: Callable[..., float] | None = None) -> pd.DataFrame:
    """The replay's outcome in the shape of the learner's table: one row per arm, then the clean ceiling."""
    accuracy_of = accuracy_of or _fixed_accuracy(lab)
    baseline = accuracy_of(lab.noisy_labels)
    chosen, n = result.chosen, result.trials
    rows = [
        Row("Baseline", baseline, "the fixed model on the noisy labels"),
        Row("Model-centric", chosen.accuracy,
            f"best of {n} trials by validation ({percent(chosen.validation)} on held-out training rows with their "
            f"noisy labels): {FAMILIES[chosen.family].name}, {describe_params(chosen.params)}"),
    ]
    if result.reviewed is not None:
        rows.append(Row("Data-centric (reviewer)", result.reviewed.accuracy,
                        f"the fixed model after {n} reviews by a reviewer right {percent(result.reviewer_accuracy, 0)} "
                        f"of the time: {_arm_effect(result.reviewed)}"))
    rows.append(Row("Data-centric (trusting suggestions)", result.trusted.accuracy,
                    f"the fixed model after accepting {n} suggestions unchecked"
                    + (f": {_arm_effect(result.trusted)}" if lab.grading != "none" else "")))
    if result.both is not None:
        rows.append(Row("Both", result.both, "the model tuning chose, trained on the reviewer's labels"))
    rows.append(_ceiling(lab, accuracy_of, "the fixed model on the true labels"))
    frame = pd.DataFrame([r.__dict__ for r in rows])
    frame["gain"] = (frame["accuracy"] - baseline) * 100
    return frame[["approach", "accuracy", "gain", "how"]]


def _arm_effect(arm: DataArm) -> str:
    return (f"{arm.fixed} wrong labels fixed, {arm.broke} right label{'s' if arm.broke != 1 else ''} made wrong, "
            f"{arm.noisy_left} wrong labels left")


def explain_replay(lab: Lab, result: Replay, table: pd.DataFrame) -> list[str]:
    """Why the replay came out as it did, in plain sentences computed from its numbers."""
    rows = table.set_index("approach")
    data_row = "Data-centric (reviewer)" if result.reviewed is not None else "Data-centric (trusting suggestions)"
    model_gain, data_gain = rows.loc["Model-centric", "gain"], rows.loc[data_row, "gain"]
    item = 100 / len(lab.test_index)  # one test item, in points
    steps = f"with {result.trials} steps each (one test item is worth {item:.2f} points)"
    if max(model_gain, data_gain) < item / 2:
        said = [f"Neither way gained: {data_gain:+.1f} points from fixing and {model_gain:+.1f} from tuning, {steps}."]
    elif abs(model_gain - data_gain) < item / 2:
        said = [f"A tie: fixing and tuning each gained {data_gain:+.1f} points, {steps}."]
    else:
        winner = "Fixing the data" if data_gain > model_gain else "Tuning the model"
        said = [f"{winner} won: {data_gain:+.1f} points from fixing against {model_gain:+.1f} from tuning, {steps}."]
    errors = int(lab.is_noisy.sum())
    if lab.grading != "none":
        arm = result.reviewed or result.trusted
        said.append(f"There were {errors} wrong labels among {lab.n_train} training items; {result.trials} reviews "
                    f"could reach at most {min(errors, result.trials)} of them "
                    f"({percent(min(errors, result.trials) / max(errors, 1), 0)}), and fixed {arm.fixed}"
                    + (f" (and made {arm.broke} right ones wrong)." if arm.broke else "."))
    if result.chosen_clean is not None:
        gap = rows.loc["Clean-data ceiling", "gain"]  # what the noise costs the fixed model, in points
        said.append(_robustness(result, gap, item))
        if gap >= item:
            said.append(f"Of the {gap:.1f} points between the baseline and the clean ceiling, "
                        f"{_closed('tuning', model_gain, gap)} and {_closed('fixing', data_gain, gap)}"
                        + (f"; both together reach {rows.loc['Both', 'gain']:+.1f} points." if "Both" in rows.index
                           else "."))
    return said


def _robustness(result: Replay, fixed_cost: float, item: float) -> str:
    """How much the noise costs the model tuning chose, against what it costs the fixed model (points)."""
    cost = (result.chosen_clean - result.chosen.accuracy) * 100
    name = FAMILIES[result.chosen.family].name
    if fixed_cost < item:
        return (f"This noise costs the fixed model {fixed_cost:.1f} points, less than one test item: there is little "
                "for either way to win back, and a search can only find settings that do worse.")
    if cost <= 0:
        return (f"The model tuning chose, {name}, does no better on the true labels than on the noisy ones "
                f"({cost:+.1f} points): the search suited a setting to the noise, not to the task.")
    if cost < fixed_cost / 2:
        return (f"The model tuning chose, {name}, is robust to this noise: it loses {cost:.1f} points to it, where the "
                f"fixed model loses {fixed_cost:.1f}. A robust model averages scattered errors away, so tuning "
                "towards one wins back much of what fixing would.")
    return (f"The model tuning chose, {name}, is not robust to this noise: it loses {cost:.1f} points to it (the "
            f"fixed model {fixed_cost:.1f}). No setting learns what the labels consistently teach wrong, so the "
            "rest can only come from fixing them.")


def _closed(arm: str, gain: float, gap: float) -> str:
    return f"{arm} closed {percent(gain / gap, 0)}" if gain >= 0 else f"{arm} fell {-gain:.1f} points below the baseline"
