"""Replay the experiment: the same budget of N steps spent on tuning and on fixing, from the same start.

Both arms run in this process, one after the other. Worker processes were tried and were slower
here (17 s in-process against 25 s with two spawned workers for digits at N = 100): each worker
pays the imports, and the BLAS already uses both cores.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from datacentric import issues, review
from datacentric.evaluate import train_and_score
from datacentric.lab import Lab
from datacentric.models import FAMILIES
from datacentric.tuning import Run, best, sample_params, train_run
from datacentric.workspace import Action, replay

# Families quick enough on the built-ins to try a hundred times within the replay's budget.
REPLAY_FAMILIES = ("logistic", "knn", "svm")


def families(lab: Lab) -> tuple[str, ...]:
    """The families the tuning arm samples for this lab: on sparse text, only those quick there."""
    return tuple(f for f in REPLAY_FAMILIES if FAMILIES[f].sparse_ok or not lab.sparse)
RERANK_EVERY = 10
TRIALS_PER_TASK = 10  # trials between progress reports


@dataclass(frozen=True)
class Replay:
    curves: pd.DataFrame  # columns: step, accuracy, arm
    best_run: Run
    fixed_actions: int
    noisy_left: int


def replay_experiment(lab: Lab, *, steps: int, on_progress: Callable[[float, str], None] | None = None) -> Replay:
    """From the noisy starting labels, spend ``steps`` on tuning and ``steps`` on fixing.

    Tuning: ``steps`` random-search trials over ``families(lab)`` (the fixed model's defaults
    first). Fixing: accept the top suggestion ``steps`` times with the fixed model, re-ranking
    every ``RERANK_EVERY`` actions. Deterministic for a scenario.
    """
    if steps < 1:
        raise ValueError("the replay needs at least one step")
    report = on_progress or (lambda fraction, text: None)
    trials = _trial_plan(lab, steps)
    tuned: list[Run] = []
    for start in range(0, steps, TRIALS_PER_TASK):
        tuned += _tune(lab, trials[start:start + TRIALS_PER_TASK])
        report(len(tuned) / (2 * steps), f"Tuning: trial {len(tuned)} of {steps}")
    log: list[Action] = []
    accuracies: list[float] = []
    while len(accuracies) < steps:
        log, more = _fix(lab, log, min(RERANK_EVERY, steps - len(accuracies)))
        accuracies += more
        report(0.5 + len(accuracies) / (2 * steps), f"Fixing: action {len(accuracies)} of {steps}")
    state = replay(lab.noisy_labels, log)
    start = train_and_score(lab, lab.noisy_labels).accuracy
    running_best = np.maximum.accumulate([run.accuracy for run in tuned])
    curves = pd.concat([
        pd.DataFrame({"step": range(steps + 1), "accuracy": [start, *running_best], "arm": "model-centric (trials)"}),
        pd.DataFrame({"step": range(steps + 1), "accuracy": [start, *accuracies], "arm": "data-centric (actions)"}),
    ], ignore_index=True)
    return Replay(curves, best(tuned), state.n_actions, review.noisy_left(lab, state))


def _trial_plan(lab: Lab, steps: int) -> list[tuple[str, dict]]:
    """The tuning arm's (family, hyperparameters), drawn up front so the order of work cannot change them."""
    rng = np.random.default_rng(lab.scenario.seed)
    plan = [("logistic", lab.fixed_model.defaults())]
    while len(plan) < steps:
        family = families(lab)[int(rng.integers(len(families(lab))))]
        plan.append((family, sample_params(family, rng)))
    return plan


def _tune(lab: Lab, trials: list[tuple[str, dict]]) -> list[Run]:
    kept = np.ones(lab.n_train, dtype=bool)
    return [train_run(lab, lab.noisy_labels, kept, family=f, params=p, source="replay") for f, p in trials]


def _fix(lab: Lab, log: list[Action], n: int) -> tuple[list[Action], list[float]]:
    """Re-rank on the labels ``log`` gives, then accept the top suggestion ``n`` times, scoring after each."""
    state = replay(lab.noisy_labels, log)
    queue = issues.rank_label_issues(state.labels, issues.out_of_fold_pred_probs(lab, state.labels, state.kept),
                                     state.kept)
    log, accuracies = list(log), []
    for _ in range(n):
        log += review.accept_top(review.pending(queue, state), 1)
        state = replay(lab.noisy_labels, log)
        accuracies.append(train_and_score(lab, state.labels, state.kept).accuracy)
    return log, accuracies
