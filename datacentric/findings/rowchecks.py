"""Problems Datalab does not look for, read from a row's own values: a number far outside the range the test rows
hold (or, with too few test rows, the bulk of the training rows), and text that looks like markup or junk.

On an outside dataset these were the real problems (HTML fragments scraped with the reviews, readings from a broken
sensor), and Datalab's outliers, near-duplicates and leaks found neither: it reads the rows through their
neighbours in feature space, where a wrapped review sits beside its clean twin and one wild reading is one column
among many.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

__all__ = [
    "RANGE_MARGIN",
    "MIN_REFERENCE",
    "LETTER_SHARE",
    "TAG",
    "WORD",
    "out_of_range",
    "junk_text",
    "text_junk_score",
]

RANGE_MARGIN = 0.1  # a value beyond the reference range by more than this share of its width is out of range
MIN_REFERENCE = 20  # test rows needed to take their range as the reference; else the training rows' 1st-99th centile
LETTER_SHARE = 0.5  # text with fewer letters than this share of its visible characters is junk
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|&(#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)  # <p>, &nbsp;
WORD = re.compile(r"[^\W\d_]{3,}")  # a run of three letters or more, in any script


def out_of_range(train: pd.DataFrame, test: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(flags, scores) over the rows of ``train``: a row is flagged when one of its numeric columns lies beyond the
    reference range by more than ``RANGE_MARGIN`` of the range's width. The reference is the test rows' range
    when there are at least ``MIN_REFERENCE`` of them (a model is scored there, so a training value outside it
    teaches nothing the test asks), else the training rows' 1st to 99th centile. Scores: 1 in range, lower the
    further out (1 / (1 + excess in widths))."""
    scores = np.ones(len(train))
    for column in train.columns:
        values = pd.to_numeric(train[column], errors="coerce").to_numpy(dtype=float)
        reference = pd.to_numeric(test[column], errors="coerce").dropna() if column in test else pd.Series()
        if len(reference) >= MIN_REFERENCE:
            low, high = float(reference.min()), float(reference.max())
        else:
            known = values[~np.isnan(values)]
            if len(known) < MIN_REFERENCE:
                continue
            low, high = (float(v) for v in np.percentile(known, [1, 99]))
        width = high - low or max(abs(high), 1.0)
        excess = np.nan_to_num(np.maximum(low - values, values - high), nan=0.0).clip(min=0) / width
        scores = np.minimum(scores, 1 / (1 + excess))
    return scores < 1 / (1 + RANGE_MARGIN), scores


def text_junk_score(text: str) -> float:
    """How much ``text`` reads as words, from 0 (markup, symbols, one character over and over) to 1: 0 with a tag
    or an HTML entity in it; 1 minus the share of its most common character when that one character is most of a
    text of four or more; else the share of its visible characters that are letters, raised to ``LETTER_SHARE``
    when it holds a word of three letters or more ("5 stars, 10/10" reads as words)."""
    if TAG.search(text):
        return 0.0
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    top = Counter(visible).most_common(1)[0][1] / len(visible)
    if len(visible) >= 4 and top > 0.5:
        return 1 - top
    letters = sum(c.isalpha() for c in visible) / len(visible)
    return max(letters, LETTER_SHARE) if WORD.search(text) else letters


def junk_text(train: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(flags, scores) over the rows of ``train`` (its text columns): a row is flagged when one of its texts has a
    tag, or fewer letters than ``LETTER_SHARE`` of its characters, or is one character repeated (``text_junk_score``
    below ``LETTER_SHARE``). A missing text is not junk; its row may still be flagged for another column."""
    scores = np.ones(len(train))
    for column in train.columns:
        column_scores = [1.0 if pd.isna(v) else text_junk_score(str(v)) for v in train[column]]
        scores = np.minimum(scores, np.asarray(column_scores, dtype=float))
    return scores < LETTER_SHARE, scores
