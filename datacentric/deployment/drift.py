"""What changes after deployment: a drift schedule (its kind, the week it starts, how the weeks are cut), how it
reads from and writes to a URL, and what it does to a week's items, seeded.

Four kinds, each changing one thing and nothing else:
- covariate: the inputs change, the labelling rule does not. Digits come from a new scanner: blurred, fainter
  and a little rotated; tabular features shift by some standard deviations.
- prior: the class balance changes; each item is as it was.
- subpopulation: a growing share of the items comes from a kind training barely had (digits written on a tilted
  form, tabular items far off on two features); the rest are as they were.
- concept: the labelling rule changes: items of a look-alike pair trade labels; the inputs are as they were.
A drift starts at ``Schedule.start`` and reaches full strength ``RAMP`` weeks later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from datacentric.common import codes
from datacentric.common.display import shorten

__all__ = [
    "KINDS",
    "RAMP",
    "MAX_WEEKS",
    "MAX_BATCH",
    "ROTATION",
    "BLUR",
    "FAINTER",
    "TILT",
    "SHIFT_SD",
    "SUBPOPULATION_SHARE",
    "CONCEPT_SHARE",
    "PRIOR_SPREAD",
    "Schedule",
    "DEFAULT_SCHEDULE",
    "parse_code",
    "checked",
    "parse_schedule",
    "World",
    "sample",
    "apply",
]

KINDS = {
    "none": "No drift: every week looks like the training data.",
    "covariate": "Covariate shift: the inputs change (digits from a new scanner: blurred, fainter, askew; tabular "
    "features shifted); the labelling rule does not.",
    "prior": "Prior shift: the class balance changes week by week; each item looks as before.",
    "subpopulation": "A new subpopulation: a growing share of items of a kind training barely had.",
    "concept": "Concept drift: the labelling rule changes (a look-alike pair trades labels); the inputs do not.",
}
RAMP = 3  # weeks from the start of a drift to its full strength
MAX_WEEKS = 20
MAX_BATCH = 200
ROTATION = 8  # degrees, covariate shift at full strength: a new scanner, its pages a little askew,
BLUR = 0.4  # its ink blurred (a Gaussian of this many pixels of an 8x8 image: 5 % of the width, at any size)
FAINTER = 0.25  # and fainter: ink x (1 - this)
TILT = 45.0  # degrees, the new subpopulation's tilted form
SHIFT_SD = 1.5  # tabular covariate shift at full strength: this many training standard deviations
SUBPOPULATION_SHARE = 0.6  # of a week's items at full strength
CONCEPT_SHARE = 0.8  # of a look-alike pair's items whose label flips at full strength
PRIOR_SPREAD = 2.0  # how far class weights move apart at full strength (log scale)


@dataclass(frozen=True)
class Schedule:
    """A drift of ``kind`` from week ``start`` (weeks count from 1), over ``weeks`` weeks of ``batch`` items."""

    kind: str = "covariate"
    start: int = 3
    weeks: int = 10
    batch: int = 80

    @property
    def code(self) -> str:
        """'covariate-s3-w10-b60', for a URL."""
        return f"{self.kind}-s{self.start}-w{self.weeks}-b{self.batch}"

    def severity(self, week: int) -> float:
        """0 before the drift starts, rising to 1 over ``RAMP`` weeks from its start."""
        if self.kind == "none" or week < self.start:
            return 0.0
        return min(1.0, (week - self.start + 1) / RAMP)

    def describe(self) -> str:
        if self.kind == "none":
            return f"{self.weeks} weeks of {self.batch} items, no drift"
        return (
            f"{self.weeks} weeks of {self.batch} items; {KINDS[self.kind].split(':')[0].lower()} from week "
            f"{self.start}, full strength from week {self.start + RAMP - 1}"
        )


DEFAULT_SCHEDULE = Schedule()


def parse_code(code: str) -> Schedule:
    """The schedule a code names; ``ValueError`` with a plain-English reason if it names none."""
    kind, *rest = code.strip().split("-")
    if kind not in KINDS:
        raise ValueError(f"unknown drift kind {shorten(kind)!r}")
    values = {}
    for part in rest:
        key, number = part[:1], part[1:]
        if key not in ("s", "w", "b") or not (number.isascii() and number.isdigit()):
            raise ValueError(f"{shorten(part)!r} is not s<start week>, w<weeks> or b<batch size>")
        values[key] = int(number)
    made = Schedule(
        kind,
        values.get("s", DEFAULT_SCHEDULE.start),
        values.get("w", DEFAULT_SCHEDULE.weeks),
        values.get("b", DEFAULT_SCHEDULE.batch),
    )
    return checked(made)


def checked(schedule: Schedule) -> Schedule:
    if schedule.kind not in KINDS:
        raise ValueError(f"unknown drift kind {shorten(schedule.kind)!r}")
    if not 2 <= schedule.weeks <= MAX_WEEKS:
        raise ValueError(f"a stream has 2 to {MAX_WEEKS} weeks")
    if not 1 <= schedule.start <= schedule.weeks:
        raise ValueError("the drift starts in one of the stream's weeks")
    if not 10 <= schedule.batch <= MAX_BATCH:
        raise ValueError(f"a week holds 10 to {MAX_BATCH} items")
    return schedule


def parse_schedule(params: Mapping[str, str]) -> tuple[Schedule, list[str]]:
    """The schedule in URL parameters (``drift``), or the default with the reason it could not be read."""
    return codes.from_params(params, "drift", parse_code, DEFAULT_SCHEDULE, "drift schedule")


@dataclass(frozen=True)
class World:
    """What a drift needs to know of the data: its kind of features and what training looks like."""

    modality: str
    image_shape: tuple[int, int] | None
    n_classes: int
    pairs: tuple[tuple[int, int], ...]
    mean: np.ndarray  # per feature, over training
    sd: np.ndarray


def sample(
    world: World, labels: np.ndarray, schedule: Schedule, week: int, *, seed: int, size: int | None = None
) -> np.ndarray:
    """Which of the pool's items (by position in ``labels``, their true labels) make week ``week``'s batch of
    ``size`` (the schedule's batch by default, at most the pool): drawn at random without replacement within the
    week, by class weights under prior shift."""
    rng = np.random.default_rng([seed, 40, week])
    n = min(size or schedule.batch, len(labels))
    weight = np.ones(len(labels))
    if schedule.kind == "prior":
        moves = np.random.default_rng([seed, 41]).normal(0, 1, world.n_classes)
        weight = np.exp(PRIOR_SPREAD * schedule.severity(week) * moves)[labels]
    return rng.choice(len(labels), size=n, replace=False, p=weight / weight.sum())


def apply(
    world: World, features: np.ndarray, labels: np.ndarray, schedule: Schedule, week: int, *, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A week's items as deployment sees them: (features, labels, which items the drift touched)."""
    s = schedule.severity(week)
    features, labels = np.array(features, dtype=float), np.array(labels)
    touched = np.zeros(len(labels), dtype=bool)
    if s == 0 or schedule.kind == "prior":
        return features, labels, touched | (s > 0)
    rng = np.random.default_rng([seed, 42, week])
    if schedule.kind == "covariate":
        touched[:] = True
        return _covariate(world, features, s, seed), labels, touched
    if schedule.kind == "subpopulation":
        touched = rng.random(len(labels)) < SUBPOPULATION_SHARE * s
        features[touched] = _subpopulation(world, features[touched], seed)
        return features, labels, touched
    partner = {a: b for a, b in world.pairs[:1]} | {b: a for a, b in world.pairs[:1]}  # concept
    paired = np.isin(labels, list(partner))
    touched = paired & (rng.random(len(labels)) < CONCEPT_SHARE * s)
    labels[touched] = [partner[int(c)] for c in labels[touched]]
    return features, labels, touched


def _covariate(world: World, features: np.ndarray, s: float, seed: int) -> np.ndarray:
    if world.modality == "image":
        images = features.reshape(-1, *world.image_shape)
        # The same blur relative to the image: 0.4 px on 8x8 digits, 1.4 px on 28x28 MNIST (0.4 px there left the
        # never-retrained model where it was at deployment, so no strategy had a drift to recover from).
        blur = BLUR * s * world.image_shape[1] / 8
        images = ndimage.gaussian_filter(images, sigma=(0, blur, blur))
        images = ndimage.rotate(images, ROTATION * s, axes=(1, 2), reshape=False, order=1)
        return (images * (1 - FAINTER * s)).reshape(len(features), -1)
    moved = np.random.default_rng([seed, 43]).permutation(features.shape[1])[: max(1, features.shape[1] // 2)]
    features[:, moved] += SHIFT_SD * s * world.sd[moved]
    return features


def _subpopulation(world: World, features: np.ndarray, seed: int) -> np.ndarray:
    if world.modality == "image":
        images = features.reshape(-1, *world.image_shape)
        return ndimage.rotate(images, TILT, axes=(1, 2), reshape=False, order=1).reshape(len(features), -1)
    far = np.random.default_rng([seed, 44]).permutation(features.shape[1])[:2]
    features[:, far] += 4 * world.sd[far]
    return features
