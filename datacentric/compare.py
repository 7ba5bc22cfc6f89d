"""Model-centric against data-centric on one scenario: the learner's table, and the replay's."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from datacentric.evaluate import train_and_score
from datacentric.lab import Lab
from datacentric.models import FAMILIES, FLOOR
from datacentric.replay import Replay
from datacentric.tuning import describe_params



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
    top = max(model_runs, key=lambda r: r["accuracy"], default=None)
    rows = [
        Row("Baseline", baseline, f"{fixed_name} on the noisy labels"),
        Row("Model-centric", top["accuracy"], f"best of {len(model_runs)} run{'s' if len(model_runs) > 1 else ''}: {FAMILIES[top['family']].name}, "
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


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its numbers written out for people: '93.1 %', '+16.9 pts', and '—' for rows not yet produced."""
    shown = table.copy()
    shown["accuracy"] = table["accuracy"].map(lambda a: "—" if pd.isna(a) else f"{a:.1%}".replace("%", " %"))
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
    """The replay's outcome in the shape of the learner's table."""
    accuracy_of = accuracy_of or _fixed_accuracy(lab)
    baseline = accuracy_of(lab.noisy_labels)
    steps = int(result.curves["step"].max())
    data_final = result.curves.query("arm.str.startswith('data')", engine="python")["accuracy"].iloc[-1]
    rows = [
        Row("Baseline", baseline, "the fixed model on the noisy labels"),
        Row("Model-centric", result.best_run.accuracy,
            f"best of {steps} trials: {FAMILIES[result.best_run.family].name}, {describe_params(result.best_run.params)}"),
        Row("Data-centric", data_final, f"the fixed model after {result.fixed_actions} accepted suggestions"
            + (f"; {result.noisy_left} noisy labels left" if lab.grading != "none" else "")),
        _ceiling(lab, accuracy_of, "the fixed model on the true labels"),
    ]
    frame = pd.DataFrame([r.__dict__ for r in rows])
    frame["gain"] = (frame["accuracy"] - baseline) * 100
    return frame[["approach", "accuracy", "gain", "how"]]
