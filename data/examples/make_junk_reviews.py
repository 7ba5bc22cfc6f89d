"""Write junk-reviews.csv and junk-reviews-test.csv: a review set whose training file is about 35 % junk.

The junk rows are what a careless scrape leaves behind: HTML fragments around a review phrase,
with the label inverted (positive marked negative and the other way round). The test file is
clean and separate, so removing the junk shows as a rise, as it should; scored on a random split
of the dirty file instead, it would not. No known-true column: as with most real data, only the
test file is trusted. Run ``python data/examples/make_junk_reviews.py`` to write both again (seeded).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_reviews import make  # noqa: E402  (the clean reviews come from the same phrases)

FLIP = {"positive": "negative", "negative": "positive", "neutral": "neutral"}
TAGS = ['<div class="review-widget">', '<span class="stars">', '<p class="body">', '<li data-id="{}">']


def junk(rows: list[dict], share: float, seed: int) -> list[dict]:
    """``rows`` with a ``share`` of HTML-wrapped copies of other rows added, their labels inverted, in shuffled
    order."""
    rng = np.random.default_rng(seed)
    n = round(len(rows) * share / (1 - share))
    added = []
    for i, source in enumerate(rng.choice(rows, n)):
        tag = rng.choice(TAGS).format(rng.integers(1e5))
        closing = "</" + tag[1:].split()[0].rstrip(">") + ">"
        added.append(
            {
                **source,
                "review_id": 5000 + i,
                "review": f"{tag}{source['review']}{closing}",
                "label": FLIP[source["true_label"]],
            }
        )
    mixed = rows + added
    return [mixed[i] for i in rng.permutation(len(mixed))]


def write(rows: list[dict], name: str) -> None:
    path = Path(__file__).with_name(name)
    columns = ["review_id", "review", "category", "price", "stars", "label"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {path}")


if __name__ == "__main__":
    write(junk(make(800, noise=0.0, seed=3), share=0.35, seed=3), "junk-reviews.csv")
    write(make(400, noise=0.0, seed=4), "junk-reviews-test.csv")
