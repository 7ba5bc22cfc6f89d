"""The problems read from a row's own values: planted junk text and out-of-range numbers are found with precision
and recall of at least 0.9, and clean data gives (almost) nothing."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from datacentric.findings import rowchecks

EXAMPLES = Path(__file__).resolve().parents[3] / "data" / "examples"
sys.path.insert(0, str(EXAMPLES))
from make_machines import make as machines  # noqa: E402
from make_reviews import make as reviews  # noqa: E402

JUNK = [
    '<div class="review-widget">{}</div>',
    "<p>{}</p>",
    "{}<br/>",
    "!!!!!!!!!!!!!!",
    "$$$ 1234 %%% 5678 ###",
    "aaaaaaaaaaaaaaaaaa",
    "&nbsp;&nbsp;&nbsp;{}",
    "................",
    "[] () <> 0x1F 0x2A ~~",
]


def precision_recall(found: np.ndarray, planted: np.ndarray) -> tuple[float, float]:
    hits = int((found & planted).sum())
    return hits / max(int(found.sum()), 1), hits / int(planted.sum())


def test_planted_junk_text_is_found_with_precision_and_recall_of_at_least_0_9():
    rng = np.random.default_rng(0)
    rows = pd.DataFrame(reviews(600, noise=0.0, seed=1))
    planted = rng.random(len(rows)) < 0.2
    texts = rows["review"].tolist()
    for i in np.flatnonzero(planted):
        texts[i] = JUNK[i % len(JUNK)].replace("{}", texts[i])
    found, scores = rowchecks.junk_text(pd.DataFrame({"review": texts}))
    precision, recall = precision_recall(found, planted)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    assert scores[found].max() < rowchecks.LETTER_SHARE <= scores[~found].min()


@pytest.mark.parametrize(
    "text, junk",
    [
        ("Broke after a week, would not buy again.", False),
        ("Great!", False),
        ("5 stars, 10/10", False),  # digits, but words too
        ("Très bon produit, livré à temps", False),
        ("Отличный товар", False),
        ("<span>Great</span>", True),
        ("!!!!", True),
        ("zzzzzzzz", True),
        ("12345 67890", True),
        ("&nbsp;&nbsp;Great", True),
        ("", True),
    ],
)
def test_a_text_is_junk_by_its_tags_its_share_of_letters_or_one_repeated_character(text, junk):
    assert (rowchecks.text_junk_score(text) < rowchecks.LETTER_SHARE) is junk


def test_a_missing_text_is_not_junk():
    found, _ = rowchecks.junk_text(pd.DataFrame({"review": ["fine words", None, np.nan]}))
    assert not found.any()


def test_planted_out_of_range_readings_are_found_with_precision_and_recall_of_at_least_0_9():
    rng = np.random.default_rng(1)
    columns = ["temperature", "vibration", "hours_since_service", "load"]
    train, test = machines(900, seed=0, noisy=True)[columns], machines(450, seed=1, noisy=False)[columns]
    planted = rng.random(len(train)) < 0.05
    broken = train.copy()
    for n, i in enumerate(np.flatnonzero(planted)):
        column = columns[n % len(columns)]
        broken.loc[i, column] = train[column].max() * (10 if n % 3 else -1)  # a unit mix-up, a sign flip
    found, scores = rowchecks.out_of_range(broken, test)
    precision, recall = precision_recall(found, planted)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    assert not rowchecks.out_of_range(train, test)[0].any()  # the clean readings: none
    assert scores.min() < scores[~found].min()


def test_with_few_test_rows_the_bulk_of_the_training_rows_is_the_reference():
    train = pd.DataFrame({"x": [*range(100), 10_000], "note": ["a"] * 101})  # text is no number: never flagged
    found, _ = rowchecks.out_of_range(train, pd.DataFrame({"x": [1, 2, 3]}))
    assert found.tolist() == [False] * 100 + [True]
