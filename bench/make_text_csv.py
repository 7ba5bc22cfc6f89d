"""A seeded synthetic text CSV of product reviews, the size a learner might upload (20,000 rows by default).

Each review is 20-120 words: mostly common words (Zipf-distributed over a few thousand), some
words of its product category, and a few words that carry its class, diluted by words of other
classes so the task is not trivial (how clearly a review speaks varies from row to row).
Columns: ``review`` (text), ``category`` (categorical), ``price`` (numeric), ``label`` (about
20 % wrong) and ``true_label``. Run ``python bench/make_text_csv.py OUT.csv [--rows N]`` to
write one; ``bench/user_data.py`` writes its own into a temporary directory.
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import numpy as np

CLASSES = ("positive", "negative", "neutral", "mixed")
PRIORS = (0.40, 0.30, 0.18, 0.12)
CATEGORIES = ("kitchen", "books", "electronics", "garden", "toys", "clothing", "sports", "beauty")
N_COMMON = 3000  # common words, Zipf-distributed
N_CLASS_WORDS = 80  # words that lean towards one class
N_TOPIC_WORDS = 120  # words of one product category
SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "ta",
    "vo",
    "sel",
    "dar",
    "pin",
    "mor",
    "ul",
    "gra",
    "fe",
    "bi",
    "zo",
    "qua",
    "len",
    "tis",
    "ho",
    "war",
    "ex",
    "ab",
    "cor",
    "dun",
    "ri",
    "sa",
    "po",
    "ven",
    "il",
)


def vocabulary(size: int, rng: np.random.Generator) -> list[str]:
    """``size`` distinct pronounceable words of 1-4 syllables."""
    words: dict[str, None] = {}
    while len(words) < size:
        n = rng.choice([1, 2, 2, 3, 3, 3, 4])
        words.setdefault("".join(rng.choice(SYLLABLES, size=n)), None)
    return list(words)


def make(n_rows: int = 20_000, *, noise: float = 0.2, n_classes: int = 3, seed: int = 0) -> bytes:
    """The CSV file's bytes (UTF-8, a header row, comma-separated)."""
    if not 2 <= n_classes <= len(CLASSES):
        raise ValueError(f"n_classes must be 2-{len(CLASSES)}")
    rng = np.random.default_rng(seed)
    words = np.array(vocabulary(N_COMMON + n_classes * N_CLASS_WORDS + len(CATEGORIES) * N_TOPIC_WORDS, rng))
    class_words = N_COMMON + np.arange(n_classes * N_CLASS_WORDS).reshape(n_classes, N_CLASS_WORDS)
    topic_words = class_words.max() + 1 + np.arange(len(CATEGORIES) * N_TOPIC_WORDS).reshape(len(CATEGORIES), -1)
    zipf = 1.0 / np.arange(1, N_COMMON + 1) ** 1.07
    priors = np.array(PRIORS[:n_classes]) / sum(PRIORS[:n_classes])
    # Each category leans a little towards some classes, and positive reviews cost a little more:
    # the categorical and numeric columns help a bit, as they would in real data.
    category_given_class = rng.dirichlet(np.full(len(CATEGORIES), 2.0), size=n_classes)

    truth = rng.choice(n_classes, size=n_rows, p=priors)
    given = np.where(rng.random(n_rows) < noise, (truth + rng.integers(1, n_classes, size=n_rows)) % n_classes, truth)
    category = (rng.random(n_rows)[:, None] > category_given_class[truth].cumsum(axis=1)).sum(axis=1)
    category = np.minimum(category, len(CATEGORIES) - 1)  # rounding in the cumulative sum
    price = np.round(rng.lognormal(3.2 + 0.15 * (truth == 0), 0.6), 2)

    lengths = rng.integers(20, 121, size=n_rows)
    row = np.repeat(np.arange(n_rows), lengths)
    clarity = rng.uniform(0.01, 0.09, size=n_rows)[row]  # share of words that speak for the true class
    u = rng.random(len(row))
    tokens = rng.choice(N_COMMON, size=len(row), p=zipf / zipf.sum())
    own = u < clarity
    tokens[own] = class_words[truth[row[own]], rng.integers(N_CLASS_WORDS, size=own.sum())]
    hedge = (u >= clarity) & (u < clarity + 0.03)  # a word of any class: real reviews hedge
    tokens[hedge] = class_words[
        rng.integers(n_classes, size=hedge.sum()), rng.integers(N_CLASS_WORDS, size=hedge.sum())
    ]
    topic = (u >= clarity + 0.03) & (u < clarity + 0.15)
    tokens[topic] = topic_words[category[row[topic]], rng.integers(N_TOPIC_WORDS, size=topic.sum())]

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["review_id", "review", "category", "price", "label", "true_label"])
    ends = np.cumsum(lengths)
    for i, end in enumerate(ends):
        text = " ".join(words[tokens[end - lengths[i] : end]])
        writer.writerow(
            [
                100_000 + i,
                f"{text[0].upper()}{text[1:]}.",
                CATEGORIES[category[i]],
                price[i],
                CLASSES[given[i]],
                CLASSES[truth[i]],
            ]
        )
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--classes", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    raw = make(args.rows, n_classes=args.classes, seed=args.seed)
    args.out.write_bytes(raw)
    print(f"wrote {args.rows:,} rows, {len(raw) / 2**20:.1f} MB to {args.out}")


if __name__ == "__main__":
    main()
