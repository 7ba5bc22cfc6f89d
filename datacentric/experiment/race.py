"""Replay the experiment: the same budget of N steps spent on tuning and on fixing, from the same start.

A fair experiment on both arms:
- Tuning: N random-search trials, each scored on held-out training rows with the training labels as
  they are (noisy); the run chosen so far is the best of those, and its test score is what the curve
  shows. The test split never chooses (choosing on it is optimistic, and a practitioner cannot).
- Fixing: a reviewer looks at the ranked items one by one and sets the label they see, the true one,
  right with probability ``reviewer_accuracy`` (people err; a wrong call is another class). A second
  data curve trusts the model's suggestion blindly, to show what that costs.
- Both: the run tuning chose, trained on the reviewer's labels.

Everything runs in this process, one arm after the other. Worker processes were tried and were slower
here (17 s in-process against 25 s with two spawned workers for digits at N = 100): each worker pays the
imports, and the BLAS already uses both cores.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from datacentric.common import metrics
from datacentric.experiment.approaches import Approach
from datacentric.experiment.tuning import Run, sample_params, test_value, train_run, validation_confusion
from datacentric.findings import issues, review
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.lab import Lab
from datacentric.lab.worklog import Action, LabelState

__all__ = ["REPLAY_FAMILIES", "RERANK_EVERY", "REPORT_EVERY", "REVIEWER_ACCURACY", "families", "DataArm", "Race", "run"]

# Families quick enough on the built-ins to try a hundred times within the replay's budget.
REPLAY_FAMILIES = ("logistic", "knn", "svm")
RERANK_EVERY = 10
REPORT_EVERY = 10  # steps between progress reports
REVIEWER_ACCURACY = 1.0  # default: on digits a person reads the true label; the learner can lower it


def families(lab: Lab) -> tuple[str, ...]:
    """The families the tuning arm samples for this lab: on sparse text, only those quick there."""
    return tuple(f for f in REPLAY_FAMILIES if lab.families[f].sparse_ok or not lab.sparse)


@dataclass(frozen=True)
class DataArm:
    """Where a data-centric arm ended: its final labels and what its N reviews did to them."""

    accuracy: float  # the test score by the replay's metric
    state: LabelState
    fixed: int  # reviews that made a wrong label right
    broke: int  # reviews that made a right label wrong
    noisy_left: int


@dataclass(frozen=True)
class Race:
    curves: pd.DataFrame  # columns: step, accuracy, arm (Approach.MODEL, REVIEWED when graded, TRUSTED)
    chosen: Run  # tuning's choice by validation, with its test score
    trials: int
    reviewer_accuracy: float
    reviewed: DataArm | None  # None when nothing says which labels are true (an ungraded dataset)
    trusted: DataArm
    both: float | None  # test score of ``chosen`` trained on the reviewer's labels
    chosen_clean: float | None  # test score of ``chosen`` trained on the true labels: how much noise costs it
    metric: str = "accuracy"  # what every score here is (metrics.METRICS): chooses on validation, reports on test

    @property
    def fixed_actions(self) -> int:
        return self.trusted.state.n_actions


def run(
    lab: Lab,
    *,
    steps: int,
    reviewer_accuracy: float = REVIEWER_ACCURACY,
    on_progress: Callable[[float, str], None] | None = None,
    metric: str = "accuracy",
) -> Race:
    """From the noisy starting labels, spend ``steps`` on tuning and ``steps`` on each way of fixing.

    Deterministic for a scenario and a reviewer accuracy. Test labels are read only to report scores.
    """
    if steps < 1:
        raise ValueError("the replay needs at least one step")
    if not 0.0 <= reviewer_accuracy <= 1.0:
        raise ValueError(f"reviewer accuracy must be between 0 and 1, got {reviewer_accuracy}")
    graded = lab.grading != "none"
    report = on_progress or (lambda fraction, text: None)
    arms = 3 if graded else 2
    start = train_and_score(lab, lab.noisy_labels).value(metric)

    chosen, tuned = _tune(
        lab, steps, lambda done: report(done / (arms * steps), f"Tuning: trial {done} of {steps}"), metric
    )
    first_probs = issues.out_of_fold_pred_probs(lab, lab.noisy_labels, lab.in_use)
    curves = [_curve(start, tuned, Approach.MODEL)]
    reviewed = None
    if graded:
        rng = np.random.default_rng(lab.scenario.seed)

        def look(row) -> int:
            return _reviewer_label(lab, int(row.item), reviewer_accuracy, rng)

        reviewed, accuracies = _fix(
            lab,
            steps,
            look,
            first_probs,
            lambda done: report((steps + done) / (arms * steps), f"Reviewing: item {done} of {steps}"),
            metric,
        )
        curves.append(_curve(start, accuracies, Approach.REVIEWED))
    trusted, accuracies = _fix(
        lab,
        steps,
        lambda row: int(row.suggested),
        first_probs,
        lambda done: report(((arms - 1) * steps + done) / (arms * steps), f"Accepting suggestions: {done} of {steps}"),
        metric,
    )
    curves.append(_curve(start, accuracies, Approach.TRUSTED))
    both = chosen_clean = None
    if reviewed is not None:
        both = _score(lab, chosen, reviewed.state.labels, reviewed.state.kept, metric)
        chosen_clean = _score(lab, chosen, lab.true_labels, lab.in_use, metric)
    report(1.0, "Done")
    return Race(
        pd.concat(curves, ignore_index=True),
        chosen,
        steps,
        reviewer_accuracy,
        reviewed,
        trusted,
        both,
        chosen_clean,
        metric,
    )


def _score(lab: Lab, run: Run, labels: np.ndarray, kept: np.ndarray, metric: str) -> float:
    return test_value(
        train_run(lab, labels, kept, family=run.family, params=run.params, source="replay").to_record(), metric
    )


def _curve(start: float, accuracies: list[float], arm: Approach) -> pd.DataFrame:
    return pd.DataFrame({"step": range(len(accuracies) + 1), "accuracy": [start, *accuracies], "arm": arm.value})


def _trial_plan(lab: Lab, steps: int) -> list[tuple[str, dict[str, Any]]]:
    """The tuning arm's (family, hyperparameters), drawn up front so the order of work cannot change them."""
    rng = np.random.default_rng(lab.scenario.seed)
    plan = [("logistic", lab.fixed_model.defaults())]
    while len(plan) < steps:
        family = families(lab)[int(rng.integers(len(families(lab))))]
        plan.append((family, sample_params(family, rng)))
    return plan


def _tune(lab: Lab, steps: int, report: Callable[[int], None], metric: str) -> tuple[Run, list[float]]:
    """Each trial scored on validation by ``metric``; after each, the test score of the choice so far.

    Only a trial that becomes the choice is trained on every training row and tested.
    """
    kept = lab.in_use
    chosen, chosen_validation, accuracies = None, -1.0, []
    for done, (family, params) in enumerate(_trial_plan(lab, steps), start=1):
        params = {**lab.families[family].defaults(), **params}
        validation = metrics.value(
            validation_confusion(lab, lab.noisy_labels, kept, family=family, params=params), metric
        )
        if validation > chosen_validation:  # the earliest of equals stays
            run = train_run(lab, lab.noisy_labels, kept, family=family, params=params, source="replay")
            chosen, chosen_validation = dataclasses.replace(run, validation=validation), validation
            tested = test_value(chosen.to_record(), metric)
        accuracies.append(tested)
        if done % REPORT_EVERY == 0 or done == steps:
            report(done)
    return chosen, accuracies


def _reviewer_label(lab: Lab, item: int, accuracy: float, rng: np.random.Generator) -> int:
    """What a reviewer sets for ``item``: its true label with probability ``accuracy``, else another class."""
    truth = int(lab.true_labels[item])
    if rng.random() < accuracy:
        return truth
    return int((truth + rng.integers(1, lab.dataset.n_classes)) % lab.dataset.n_classes)


def _fix(
    lab: Lab,
    steps: int,
    decide: Callable[[object], int],
    first_probs: np.ndarray,
    report: Callable[[int], None],
    metric: str,
) -> tuple[DataArm, list[float]]:
    """Review the top-ranked item ``steps`` times, setting ``decide(row)``; re-rank every ``RERANK_EVERY``.
    Scores (named accuracy here) are by ``metric``."""
    log: list[Action] = []
    state = lab.state(log)
    accuracy = train_and_score(lab, state.labels, state.kept).value(metric)
    accuracies: list[float] = []
    while len(accuracies) < steps:
        probs = first_probs if not log else issues.out_of_fold_pred_probs(lab, state.labels, state.kept)
        queue = review.pending(issues.rank_label_issues(state.labels, probs, state.kept), state)
        if queue.empty:  # every item reviewed: the rest of the budget buys nothing
            accuracies += [accuracy] * (steps - len(accuracies))
            break
        for row in queue.head(min(RERANK_EVERY, steps - len(accuracies))).itertuples():
            label = decide(row)
            log.append(
                Action("confirm", int(row.item)) if label == row.given else Action("relabel", int(row.item), label)
            )
            if label != row.given:
                state = lab.state(log)
                accuracy = train_and_score(lab, state.labels, state.kept).value(metric)  # unchanged labels: same score
            accuracies.append(accuracy)
            if len(accuracies) % REPORT_EVERY == 0 or len(accuracies) == steps:
                report(len(accuracies))
        state = lab.state(log)
    return DataArm(accuracy, state, *review.fixed_and_broken(lab, state), review.noisy_left(lab, state)), accuracies
