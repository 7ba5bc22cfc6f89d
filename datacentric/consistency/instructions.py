"""Labelling instructions for the scratched parts: versions of a rule, the inspectors who label under them, and
what each version does to agreement, to label accuracy and to the model.

Under the first version nobody states a threshold, so each inspector uses their own, drawn between
``OWN_THRESHOLD_MM``. A later version states one (and may add a "Borderline" class for lengths near it, which an
expert settles: those parts are left out of training). Every inspector also misjudges lengths a little, the same
way under every version, so only the instruction changes between versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from datacentric.consistency.parts import CLASSES, N_LABEL, Parts
from datacentric.crowd import agreement
from datacentric.crowd.consensus import majority
from datacentric.crowd.panels import MISSING
from datacentric.modelling.models import FIXED_MODELS

__all__ = [
    "INSPECTORS",
    "OWN_THRESHOLD_MM",
    "EYE_SD_MM",
    "BORDERLINE",
    "LABELS",
    "NAME_CHARS",
    "THRESHOLDS_MM",
    "BANDS_MM",
    "Rule",
    "V1",
    "own_thresholds",
    "inspect",
    "Outcome",
    "outcome",
    "Comparison",
    "compare",
    "change",
]

INSPECTORS = 9
OWN_THRESHOLD_MM = (0.15, 0.6)  # each inspector's own idea of a defect, when the instruction gives none
EYE_SD_MM = 0.03  # how far an inspector's eye misjudges a length
BORDERLINE = 2  # the label of a part within a rule's band: settled by an expert, left out of training
LABELS = (*CLASSES, "Borderline")
NAME_CHARS = 60
THRESHOLDS_MM = tuple(round(t, 2) for t in np.arange(0.10, 0.61, 0.05))  # the thresholds a learner can choose
BANDS_MM = (0.0, 0.02, 0.05)


@dataclass(frozen=True)
class Rule:
    """A version of the labelling instruction. ``threshold`` None: "label the defective parts", nothing more."""

    name: str
    threshold: float | None = None
    band: float = 0.0  # mm either side of the threshold labelled Borderline

    def __post_init__(self):
        if self.threshold is not None and not 0 < self.threshold < 1:
            raise ValueError("a threshold is a length in mm, between 0 and 1")
        if self.band and (self.threshold is None or not 0 < self.band < 0.2):
            raise ValueError("a borderline band needs a threshold, and is under 0.2 mm either side")

    @property
    def text(self) -> str:
        """The instruction as the inspectors read it."""
        if self.threshold is None:
            return "Label the defective parts."
        said = f"A scratch longer than {self.threshold:.2f} mm is a defect."
        if self.band:
            low, high = self.threshold - self.band, self.threshold + self.band
            said += f" Between {low:.2f} and {high:.2f} mm, label it Borderline: an expert settles it."
        return said

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "threshold": self.threshold, "band": self.band}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Rule:
        return cls(str(record.get("name", ""))[:NAME_CHARS], record.get("threshold"), float(record.get("band", 0.0)))


V1 = Rule("v1", None)


def own_thresholds(seed: int) -> np.ndarray:
    """Each inspector's own threshold under an instruction that states none (mm), seeded."""
    low, high = OWN_THRESHOLD_MM
    return np.random.default_rng([seed, 31]).uniform(low, high, INSPECTORS)


def inspect(parts: Parts, rule: Rule) -> np.ndarray:
    """(n_parts, INSPECTORS) labels: 0 OK, 1 Defect, ``BORDERLINE`` within the rule's band. Every inspector labels
    every part."""
    seen = parts.length[:, None] + np.random.default_rng([parts.seed, 30]).normal(0, EYE_SD_MM, (parts.n, INSPECTORS))
    threshold = own_thresholds(parts.seed)[None, :] if rule.threshold is None else rule.threshold
    labels = (seen > threshold).astype(int)
    if rule.band:
        labels[np.abs(seen - rule.threshold) <= rule.band] = BORDERLINE
    return labels


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    agreement: float  # Krippendorff's alpha among the inspectors, on every training part
    on_set: float  # the same on the parts the learner labels
    pairs_agree: float  # on those parts, the share of pairs of inspectors who give a part the same label (no chance
    # correction: when nearly every part gets one label, alpha can fall to 0 while this stays near 1)
    label_accuracy: float  # one inspector's label per part against the spec (parts labelled Borderline left out)
    left_out: float  # share of training parts labelled Borderline by their inspector
    test_accuracy: float  # the model trained on one inspector's label per part, on the test parts (graded by spec)


def outcome(parts: Parts, rule: Rule, *, seed: int) -> Outcome:
    """What ``rule`` does: agreement, label accuracy and the model, each part labelled by one inspector (as on a
    production line), chosen at random."""

    labels = inspect(parts, rule)
    train = labels[parts.train]
    one = train[np.arange(len(train)), np.random.default_rng([seed, 32]).integers(INSPECTORS, size=len(train))]
    kept = one != BORDERLINE
    truth = parts.spec_labels
    spec = FIXED_MODELS["tabular"]
    features = parts.features
    if len(np.unique(one[kept])) < 2:
        test_accuracy = float(np.mean(truth[parts.test] == (one[kept][0] if kept.any() else 0)))
    else:
        model = spec.make(seed=seed, scale=True, **spec.defaults()).fit(features[parts.train][kept], one[kept])
        test_accuracy = float(np.mean(model.predict(features[parts.test]) == truth[parts.test]))
    chosen = parts.to_label()
    return Outcome(
        rule,
        agreement.krippendorff_alpha(train, len(LABELS)),
        agreement.krippendorff_alpha(labels[chosen], len(LABELS)),
        float(np.mean(agreement.pair_agreement(labels[chosen], len(LABELS)))),
        float(np.mean(one[kept] == truth[parts.train][kept])) if kept.any() else float("nan"),
        float(1 - kept.mean()),
        test_accuracy,
    )


@dataclass(frozen=True)
class Comparison:
    """A learner's labels on the ``N_LABEL`` parts against others' labels of the same parts."""

    labelled: int  # parts the learner and at least one other labelled
    with_majority: int  # of those, how many match the others' most common label
    share_agreeing: np.ndarray  # per part: the share of the others who gave the learner's label (NaN: unlabelled)
    kappa: float  # Cohen's kappa between the learner and the others' majority


def compare(mine: np.ndarray, others: np.ndarray, *, seed: int) -> Comparison:
    """``mine``: the learner's label per part (``MISSING`` where none); ``others``: (parts, people) labels."""

    mine, others = np.asarray(mine), np.asarray(others).reshape(len(mine), -1)
    given = others != MISSING
    both = (mine != MISSING) & given.any(axis=1)  # parts the learner and at least one other labelled
    agreed = np.full(len(mine), MISSING)
    if both.any():
        agreed[both] = majority(others[both], len(LABELS), seed=seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        same = ((others == mine[:, None]) & given).sum(axis=1) / given.sum(axis=1)
    return Comparison(
        int(both.sum()),
        int((mine[both] == agreed[both]).sum()),
        np.where(both, same, np.nan),
        agreement.cohen_kappa(np.where(both, mine, MISSING), agreed),
    )


def change(first: Outcome, last: Outcome) -> tuple[str, bool]:
    """In words, what changed from ``first`` to ``last`` version (agreement on the parts to label, label accuracy,
    the model's test accuracy), and whether anything fell. Where alpha cannot be measured on the parts (every part
    got one label), the share of inspector pairs agreeing stands in, and says so."""
    if first.on_set == first.on_set and last.on_set == last.on_set:
        agreeing = (f"agreement on the {N_LABEL} parts", first.on_set, last.on_set, "{:.2f}")
    else:
        agreeing = (
            f"the share of inspector pairs agreeing on the {N_LABEL} parts (alpha cannot be measured when "
            "every part gets one label)",
            first.pairs_agree,
            last.pairs_agree,
            "{:.0%}",
        )
    moves = [
        agreeing,
        ("label accuracy", first.label_accuracy, last.label_accuracy, "{:.1%}"),
        ("the model's test accuracy", first.test_accuracy, last.test_accuracy, "{:.1%}"),
    ]
    said, fell = [], False
    for what, before, after, shown in moves:
        if shown.format(before) == shown.format(after):
            said.append(f"{what} stayed at {shown.format(after)}")
            continue
        fell = fell or bool(after < before)
        said.append(
            f"{what} {'rose' if after > before else 'fell'} from {shown.format(before)} to {shown.format(after)}"
        )
    return f"From {first.rule.name} to {last.rule.name}: " + "; ".join(said) + ".", fell
