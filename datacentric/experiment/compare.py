"""Model-centric against data-centric on one scenario: the learner's table, and the replay's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from datacentric.common.display import counted, percent
from datacentric.common.metrics import lowered
from datacentric.experiment.approaches import ROWS, Approach
from datacentric.experiment.race import DataArm, Race
from datacentric.experiment.tuning import describe_params, selected_record, test_value
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.lab import Lab
from datacentric.lab.worklog import LabelState
from datacentric.modelling.models import FLOOR

__all__ = ["Row", "comparison", "chosen_so_far", "for_display", "race_table", "your_curve", "at_step"]


@dataclass(frozen=True)
class Row:
    approach: Approach
    accuracy: float | None
    how: str  # what produced the row, or how to produce it


def _fixed_accuracy(lab: Lab, metric: str = "accuracy") -> Callable[..., float]:
    return lambda labels, kept=None, copies=None: train_and_score(lab, labels, kept, copies=copies).value(metric)


def comparison(
    lab: Lab,
    *,
    runs: list[dict[str, Any]],
    labels: np.ndarray,
    kept: np.ndarray,
    n_actions: int,
    accuracy_of: Callable[..., float] | None = None,
    metric: str = "accuracy",
    copies: np.ndarray | None = None,
) -> pd.DataFrame:
    """The learner's table in the shape of the one in Ng's data-centric talk.

    ``runs`` are the learner's run records; ``labels``/``kept`` their current labels after
    ``n_actions`` label actions. ``accuracy_of(labels, kept=None, copies=None)`` scores the fixed model by ``metric``
    (pass a cached one: the page already has these scores). Columns: approach (an ``Approach``), accuracy (the
    metric's value, whichever it is), gain over the baseline in points, how.
    """
    accuracy_of = accuracy_of or _fixed_accuracy(lab, metric)
    baseline = accuracy_of(lab.noisy_labels)
    fixed_name = lab.fixed_model.in_sentence
    model_runs = [r for r in runs if r["data"] == "noisy"]
    chosen = selected_record(runs, "noisy", metric)
    top = runs[chosen] if chosen is not None else None
    rows = [
        Row(Approach.BASELINE, baseline, f"{fixed_name} on the noisy labels"),
        Row(
            Approach.MODEL,
            test_value(top, metric),
            f"chosen by validation from {len(model_runs)} "
            f"run{'s' if len(model_runs) > 1 else ''}: {lab.families[top['family']].name}, "
            f"{describe_params(top['params'])}; labels unchanged",
        )
        if top
        else Row(Approach.MODEL, None, "not yet: train or search models on Tune the model"),
        Row(
            Approach.DATA,
            accuracy_of(labels, kept, copies=copies),
            f"{fixed_name} after {counted(n_actions, 'label action')}",
        )
        if n_actions
        else Row(Approach.DATA, None, "not yet: fix some labels on Fix the labels"),
        _ceiling(lab, accuracy_of, f"{fixed_name} on the true labels"),
        Row(Approach.FLOOR, train_and_score(lab, lab.noisy_labels, model=FLOOR).value(metric), FLOOR.summary),
    ]
    return _table(rows, baseline)


def _table(rows: list[Row], baseline: float) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "approach": [r.approach.value for r in rows],
            "accuracy": [r.accuracy for r in rows],
            "how": [r.how for r in rows],
        }
    )
    frame["gain"] = (frame["accuracy"] - baseline) * 100
    return frame[["approach", "accuracy", "gain", "how"]]


def _ceiling(lab: Lab, accuracy_of: Callable[..., float], how: str) -> Row:
    if lab.grading == "none":
        return Row(Approach.CEILING, None, "unknown: nothing says which of your labels are wrong")
    return Row(Approach.CEILING, accuracy_of(lab.true_labels), how)


def chosen_so_far(runs: list[dict[str, Any]], metric: str = "accuracy") -> list[float]:
    """After each of these runs, the test ``metric`` of the one chosen by validation so far (NaN before any)."""
    chosen = [selected_record(runs[:n], data=None, metric=metric) for n in range(1, len(runs) + 1)]
    return [test_value(runs[i], metric) if i is not None else float("nan") for i in chosen]


def for_display(table: pd.DataFrame, metric: str = "Accuracy") -> pd.DataFrame:
    """The table with its numbers written out for people: '93.1 %', '+16.9 pts', and '—' for rows not yet produced;
    each row named as ``ROWS`` says, and the value column named by ``metric``."""
    shown = table.copy()
    shown["approach"] = table["approach"].map(ROWS)
    shown["accuracy"] = table["accuracy"].map(lambda a: "—" if pd.isna(a) else percent(a))
    shown["gain"] = table["gain"].map(lambda g: "—" if pd.isna(g) else f"{g:+.1f} pts")
    return shown.rename(columns={"accuracy": f"test {lowered(metric)}", "gain": "gain over baseline"}).set_index(
        "approach"
    )


def your_curve(history: pd.DataFrame, steps: int) -> pd.DataFrame:
    """The learner's own label actions as a line of the replay's chart: ``history`` (the fixed model's test score
    before any action and after each one still in effect: columns actions, accuracy) up to ``steps`` actions, in
    the replay's columns (step, accuracy, arm). Empty when they have taken none."""
    shown = history[history["actions"] <= steps] if len(history) > 1 else history.iloc[:0]
    return pd.DataFrame(
        {"step": shown["actions"].to_numpy(), "accuracy": shown["accuracy"].to_numpy(), "arm": Approach.YOURS.value}
    )


def at_step(curves: pd.DataFrame, arm: Approach, step: int) -> float:
    """An arm's score after ``step`` steps of the replay (its last, past the end)."""
    line = curves[curves["arm"] == arm.value]
    return float(line.loc[line["step"] <= step, "accuracy"].iloc[-1])


def race_table(
    lab: Lab,
    result: Race,
    *,
    accuracy_of: Callable[..., float] | None = None,
    yours: tuple[LabelState, float] | None = None,
) -> pd.DataFrame:
    """The replay's outcome in the shape of the learner's table: one row per arm, then the clean ceiling, all by
    the replay's metric (``accuracy_of`` must score by it too). ``yours``: the learner's own labels and their
    score, a row beside the arms when they have taken label actions."""
    accuracy_of = accuracy_of or _fixed_accuracy(lab, result.metric)
    baseline = accuracy_of(lab.noisy_labels)
    chosen, n = result.chosen, result.trials
    rows = [
        Row(Approach.BASELINE, baseline, "the fixed model on the noisy labels"),
        Row(
            Approach.MODEL,
            test_value(chosen.to_record(), result.metric),
            f"best of {n} trials by validation ({percent(chosen.validation)} on held-out training rows with their "
            f"noisy labels): {lab.families[chosen.family].name}, {describe_params(chosen.params)}",
        ),
    ]
    if result.reviewed is not None:
        rows.append(
            Row(
                Approach.REVIEWED,
                result.reviewed.accuracy,
                f"the fixed model after {n} reviews by a reviewer right {percent(result.reviewer_accuracy, 0)} "
                f"of the time: {_arm_effect(result.reviewed)}",
            )
        )
    rows.append(
        Row(
            Approach.TRUSTED,
            result.trusted.accuracy,
            f"the fixed model after accepting {n} suggestions unchecked"
            + (f": {_arm_effect(result.trusted)}" if lab.grading != "none" else ""),
        )
    )
    if yours is not None and yours[0].n_actions:
        now, score = yours
        rows.append(
            Row(
                Approach.YOURS,
                score,
                f"the fixed model after your {counted(now.n_actions, 'label action')} "
                f"({counted(now.n_rows_touched, 'row')} touched), as on Fix the labels",
            )
        )
    if result.both is not None:
        rows.append(Row(Approach.BOTH, result.both, "the model tuning chose, trained on the reviewer's labels"))
    rows.append(_ceiling(lab, accuracy_of, "the fixed model on the true labels"))
    return _table(rows, baseline)


def _arm_effect(arm: DataArm) -> str:
    return (
        f"{arm.fixed} wrong labels fixed, {arm.broke} right label{'s' if arm.broke != 1 else ''} made wrong, "
        f"{arm.noisy_left} wrong labels left"
    )
