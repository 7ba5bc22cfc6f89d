"""Scratched parts: a small dataset the project generates for the labelling-instructions exercise.

Each part has one scratch of a known length. Whether it is a defect depends on a threshold that the first
instruction ("label the defective parts") does not state: the customer's spec, ``SPEC_MM``, grades the test parts.
The model sees what a camera measures: the scratch's length (with measurement noise), its width and contrast.
Lengths are spread so that a third of the parts are borderline (``BORDERLINE_MM``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "SPEC_MM",
    "N_TRAIN",
    "N_TEST",
    "BORDERLINE_MM",
    "SHARES",
    "SHORT_MM",
    "LONG_MM",
    "MEASURE_SD_MM",
    "IMAGE_PX",
    "PX_PER_MM",
    "SCALE_BAR_MM",
    "N_LABEL",
    "CLASSES",
    "Parts",
    "make_parts",
    "image",
]

SPEC_MM = 0.3  # "a scratch longer than 0.3 mm is a defect": the customer's spec, which grades the test parts
N_TRAIN = 300
N_TEST = 400
BORDERLINE_MM = (0.15, 0.5)  # lengths where people's own thresholds differ
SHARES = (0.35, 0.30, 0.35)  # short, borderline, long
SHORT_MM, LONG_MM = (0.02, 0.15), (0.5, 0.8)
MEASURE_SD_MM = 0.015  # the camera's measurement noise on a length
IMAGE_PX = 64
PX_PER_MM = 64  # the image is 1 mm across
SCALE_BAR_MM = 0.5  # the bar drawn under each part: a length to judge by, not a threshold
N_LABEL = 20  # borderline parts the learner labels
CLASSES = ("OK", "Defect")


@dataclass(frozen=True)
class Parts:
    """Training and test parts of one seed: true lengths, what the camera measures, and the spec's labels."""

    seed: int
    length: np.ndarray  # mm, true; training parts first, then test parts
    width: np.ndarray  # px
    contrast: np.ndarray  # 0 to 1
    angle: np.ndarray  # radians
    centre: np.ndarray  # (n, 2) px

    @property
    def n(self) -> int:
        return len(self.length)

    @property
    def train(self) -> np.ndarray:
        return np.arange(N_TRAIN)

    @property
    def test(self) -> np.ndarray:
        return np.arange(N_TRAIN, self.n)

    @property
    def spec_labels(self) -> np.ndarray:
        """1 (defect) where the scratch is longer than the spec: the truth the test parts are graded by."""
        return (self.length > SPEC_MM).astype(int)

    @property
    def features(self) -> np.ndarray:
        """What the camera measures: length (mm, noisy), width (px), contrast."""
        measured = self.length + np.random.default_rng([self.seed, 21]).normal(0, MEASURE_SD_MM, self.n)
        return np.column_stack([measured, self.width, self.contrast])

    def to_label(self) -> np.ndarray:
        """The ``N_LABEL`` borderline training parts the learner labels, spread evenly over the borderline
        lengths and shown in a seeded order (every learner of a room, on one seed, gets the same)."""
        low, high = BORDERLINE_MM
        borderline = np.flatnonzero((self.length[:N_TRAIN] >= low) & (self.length[:N_TRAIN] <= high))
        by_length = borderline[np.argsort(self.length[borderline], kind="stable")]
        picked = by_length[np.linspace(0, len(by_length) - 1, N_LABEL).round().astype(int)]
        return np.random.default_rng([self.seed, 22]).permutation(picked)


@lru_cache(maxsize=8)
def make_parts(seed: int) -> Parts:
    """The parts of ``seed``: the same seed, the same parts."""
    rng = np.random.default_rng([seed, 20])
    n = N_TRAIN + N_TEST
    kind = rng.choice(3, size=n, p=SHARES)
    ranges = np.array([SHORT_MM, BORDERLINE_MM, LONG_MM])
    length = rng.uniform(ranges[kind, 0], ranges[kind, 1])
    width = rng.uniform(1.0, 2.5, n)
    contrast = rng.uniform(0.45, 0.9, n)
    angle = rng.uniform(0, np.pi, n)
    half = length * PX_PER_MM / 2
    # The scratch stays on the part and off the scale bar: x in [3, 61], y in [3, 55] px.
    low = np.column_stack([half * np.abs(np.cos(angle)), half * np.abs(np.sin(angle))]) + 3
    high = np.array([IMAGE_PX - 3, IMAGE_PX - 9]) - low
    centre = low + rng.random((n, 2)) * np.maximum(high - low, 0)
    return Parts(seed, length, width, contrast, angle, centre)


def image(parts: Parts, item: int) -> np.ndarray:
    """The part as a (IMAGE_PX, IMAGE_PX) grey image in 0..1: a brushed-metal square, its scratch, and a scale
    bar of ``SCALE_BAR_MM`` along the bottom."""
    rng = np.random.default_rng([parts.seed, 23, item])
    y, x = np.mgrid[0:IMAGE_PX, 0:IMAGE_PX] + 0.5
    img = 0.78 + 0.03 * np.sin(y * 0.9 + rng.uniform(0, 6)) + rng.normal(0, 0.015, (IMAGE_PX, IMAGE_PX))
    half = parts.length[item] * PX_PER_MM / 2
    dx, dy = np.cos(parts.angle[item]) * half, np.sin(parts.angle[item]) * half
    cx, cy = parts.centre[item]
    distance = _to_segment(x, y, (cx - dx, cy - dy), (cx + dx, cy + dy))
    ink = np.clip(parts.width[item] / 2 + 0.5 - distance, 0, 1) * parts.contrast[item]
    img = img * (1 - ink) + 0.1 * ink
    bar = int(round(SCALE_BAR_MM * PX_PER_MM))
    img[IMAGE_PX - 5 : IMAGE_PX - 3, 4 : 4 + bar] = 0.0
    return np.clip(img, 0, 1)


def _to_segment(x: np.ndarray, y: np.ndarray, a: tuple[float, float], b: tuple[float, float]) -> np.ndarray:
    """Distance of every pixel centre (x, y) to the segment from ``a`` to ``b``."""
    ax, ay = a
    bx, by = b
    vx, vy = bx - ax, by - ay
    t = np.clip(((x - ax) * vx + (y - ay) * vy) / max(vx * vx + vy * vy, 1e-9), 0, 1)
    return np.hypot(x - (ax + t * vx), y - (ay + t * vy))
