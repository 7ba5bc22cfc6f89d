"""A panel of annotators on a scenario's training items: their labels, how far they agree, the three ways of
turning their labels into one, and what the fixed model learns from each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from datacentric.crowd import agreement, consensus
from datacentric.crowd.panels import BAD_BELOW, METHODS, MISSING, Panel, fallback_classes, simulate
from datacentric.lab import planting
from datacentric.lab.evaluate import fitted, train_and_score
from datacentric.lab.lab import Lab

__all__ = [
    "Study",
    "run",
    "combine",
    "outcomes",
    "notes",
    "annotators",
    "RANKINGS",
    "found",
    "LOWER_BY",
    "human_levels",
]


@dataclass(frozen=True)
class Study:
    panel: Panel
    labels: np.ndarray  # (n_train, n_annotators), MISSING where not given
    combined: dict[str, np.ndarray]  # METHODS key -> one label per training item
    quality: np.ndarray  # CROWDLAB's estimated quality of each annotator
    alpha: float
    fleiss: float
    kappa: np.ndarray  # pairwise Cohen's kappa

    @property
    def truly_bad(self) -> np.ndarray:
        """Annotators set to be right less often than ``BAD_BELOW``: what the simulation knows."""
        return self.panel.accuracies < BAD_BELOW


def run(lab: Lab, panel: Panel, *, probs: np.ndarray | None = None) -> Study:
    """Simulate ``panel`` on the lab's training items (its true labels) and combine its labels three ways.

    ``probs``: out-of-fold probabilities of the fixed model on the true labels, for the unsure habit (computed
    here when a group has that habit and none are given).
    """
    return combine(lab, panel, planting.labelled(lab, panel, probs=probs))


def combine(lab: Lab, panel: Panel, labels: np.ndarray) -> Study:
    """The study of an already simulated ``labels`` matrix."""
    seed, n_classes = lab.scenario.seed, lab.dataset.n_classes
    crowd = planting.crowdlab(lab, labels)
    combined = {
        "single": consensus.single(labels, seed=seed),
        "majority": consensus.majority(labels, n_classes, seed=seed),
        "crowdlab": crowd.labels,
    }
    return Study(
        panel,
        labels,
        combined,
        crowd.quality,
        agreement.krippendorff_alpha(labels, n_classes),
        agreement.fleiss_kappa(labels, n_classes),
        agreement.pairwise_kappa(labels),
    )


def outcomes(lab: Lab, study: Study, metric: str) -> pd.DataFrame:
    """One row per method, and the true labels as the ceiling: label accuracy against the truth, and the fixed
    model's test ``metric`` when trained on those labels."""

    rows = []
    for key, labels in {**study.combined, "truth": lab.true_labels}.items():
        score = train_and_score(lab, labels, np.ones(lab.n_train, dtype=bool))
        rows.append(
            {
                "method": key,
                "title": METHODS[key].title if key in METHODS else "True labels",
                "label_accuracy": float(np.mean(labels == lab.true_labels)),
                "test": score.value(metric),
            }
        )
    return pd.DataFrame(rows)


def notes(outcomes: pd.DataFrame) -> list[str]:
    """What a learner should know when the three methods do not come out as usual (one annotator < majority vote <
    CROWDLAB in label accuracy, and the model following): a tie, an order broken, or a model that does not follow.
    ``outcomes``: ``study.outcomes``."""
    frame = outcomes.set_index("method").loc[list(METHODS)]
    accuracy, test = frame["label_accuracy"], frame["test"]
    if accuracy.max() - accuracy.min() < 1e-12:
        return [
            f"All three ways give labels {accuracy.iloc[0]:.1%} right: with annotators this "
            + (
                "accurate, there is nothing to outvote."
                if accuracy.iloc[0] > 0.999
                else "alike, no way of combining them can do better."
            )
        ]
    said = []
    if not accuracy["single"] < accuracy["majority"] < accuracy["crowdlab"]:
        said.append(
            "The three do not come in the usual order (one annotator < majority vote < CROWDLAB). Annotators "
            "who share a mistake (a habit such as confusing look-alikes, or most of them below chance) outvote "
            "the right label: they agree, and agreement is not correctness. With few labels an item, votes "
            "also tie often; and CROWDLAB leans on a model that learned from those same labels."
        )
    ranked = accuracy.sort_values().index
    for worse, better in zip(ranked, ranked[1:]):
        if test[better] < test[worse] and accuracy[better] > accuracy[worse]:
            said.append(
                f"The model does not follow the labels here: the labels by {METHODS[better].phrase} are "
                f"more often right than those by {METHODS[worse].phrase} ({accuracy[better]:.1%} against "
                f"{accuracy[worse]:.1%}), yet the model trained on them scores lower ({test[better]:.1%} "
                f"against {test[worse]:.1%}). Which items are wrong matters as well as how many: errors "
                "that agree with each other teach the model a wrong boundary."
            )
    return said


def annotators(study: Study, lab: Lab) -> pd.DataFrame:
    """One row per annotator: its group's set accuracy and habit, its accuracy on what it labelled (known only to
    the simulation), CROWDLAB's quality, its agreement with the majority, and the ranks those two give."""
    labels, n_classes = study.labels, lab.dataset.n_classes
    panel = study.panel
    fallback = fallback_classes(panel, n_classes=n_classes, seed=lab.scenario.seed)
    habit = [
        f"picks {lab.dataset.classes[fallback[j]]} when unsure"
        if h == "unsure"
        else ("confuses look-alike pairs" if h == "pair" else "random errors")
        for j, h in enumerate(panel.habits)
    ]
    frame = pd.DataFrame(
        {
            "annotator": panel.names(),
            "habit": habit,
            "labelled": (labels != MISSING).sum(axis=0),
            "set_accuracy": panel.accuracies,
            "accuracy": consensus.annotator_accuracy(labels, lab.true_labels),
            "quality": study.quality,
            "with_majority": agreement.with_reference(labels, study.combined["majority"]),
            "truly_bad": study.truly_bad,
        }
    )
    frame["quality_rank"] = frame["quality"].rank(ascending=False, method="min").astype("Int64")
    frame["majority_rank"] = frame["with_majority"].rank(ascending=False, method="min").astype("Int64")
    return frame


RANKINGS = {"quality": "CROWDLAB quality", "majority": "agreement with the majority"}  # key -> what a page says


def found(study: Study) -> list[consensus.Found]:
    """How many truly bad annotators each ranking (a ``RANKINGS`` key) puts at its bottom."""
    return consensus.bad_found(
        study.truly_bad,
        {
            "quality": study.quality,
            "majority": agreement.with_reference(study.labels, study.combined["majority"]),
        },
    )


LOWER_BY = 0.05  # a slice whose human level is this far under the panel's overall level: the annotators disagree there


def human_levels(lab: Lab, panel: Panel) -> np.ndarray:
    """Per test item, how often one of the panel's annotators agrees with the majority of the others on it
    (``agreement.with_others``): human-level performance as it is measured without the truth, an accuracy.

    The panel labels the test items as it labels the training items (the unsure habit reads how much each looks
    like each class to the fixed model trained on the true labels)."""
    probs = None
    if any(g.habit == "unsure" and g.count for g in panel.groups):
        model, _ = fitted(lab, lab.true_labels, np.ones(lab.n_train, dtype=bool))
        probs = np.zeros((len(lab.test_labels), lab.dataset.n_classes))
        probs[:, model.classes_] = model.predict_proba(lab.test_features)
    labels = simulate(
        panel,
        lab.test_labels,
        n_classes=lab.dataset.n_classes,
        seed=lab.scenario.seed,
        probs=probs,
        pairs=lab.dataset.confusable_pairs,
    )
    return agreement.with_others(labels, lab.dataset.n_classes)
