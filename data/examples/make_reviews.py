"""Write reviews.csv: a small synthetic product-review table with a noisy and a known-true label.

Synthetic on purpose (no licence questions, no personal data): each review is built from phrases
that carry its sentiment, and 25 % of the ``label`` column is flipped; ``true_label`` keeps the
truth. Run ``python data/examples/make_reviews.py`` to write it again (seeded, so identical).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

POSITIVE = [
    "works perfectly",
    "really love it",
    "great value for the money",
    "would buy again",
    "exceeded my hopes",
    "sturdy and well made",
    "my family loves it",
    "five stars from me",
    "arrived early and works well",
    "does exactly what it says",
]
NEGATIVE = [
    "broke after a week",
    "waste of money",
    "would not buy again",
    "stopped working quickly",
    "cheap and flimsy",
    "returned it the next day",
    "very disappointed",
    "does not do what it says",
    "arrived damaged",
    "customer service never answered",
]
NEUTRAL = [
    "it is fine",
    "does the job",
    "nothing special",
    "about what I expected",
    "average for the price",
    "okay but not great",
    "it works I suppose",
    "neither good nor bad",
    "a bit plain",
    "as described",
]
PRODUCTS = {
    "kitchen": ["kettle", "blender", "frying pan", "toaster"],
    "books": ["novel", "cookbook", "paperback"],
    "electronics": ["charger", "headphones", "keyboard", "speaker"],
    "garden": ["hose", "rake", "planter"],
}
FILLER = [
    "I bought this",
    "Got this as a gift",
    "Ordered this last month",
    "My second purchase of this",
    "Picked this up on sale",
]
CLASSES = {"positive": POSITIVE, "negative": NEGATIVE, "neutral": NEUTRAL}


def make(n: int = 400, *, noise: float = 0.25, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    names = list(CLASSES)
    rows = []
    for i in range(n):
        truth = names[rng.choice(3, p=[0.45, 0.35, 0.20])]
        category = rng.choice(list(PRODUCTS))
        product = rng.choice(PRODUCTS[category])
        # One phrase that carries the sentiment and one from any class: real reviews hedge.
        other = names[rng.integers(3)]
        phrases = [rng.choice(CLASSES[truth]), rng.choice(CLASSES[other])]
        rng.shuffle(phrases)
        text = f"{rng.choice(FILLER)}: the {product}. {phrases[0].capitalize()}, {phrases[1]}."
        label = truth
        if rng.random() < noise:
            label = rng.choice([c for c in names if c != truth])
        stars = {"positive": 4.0, "negative": 2.0, "neutral": 3.0}[truth] + rng.normal(0, 1.2)
        rows.append(
            {
                "review_id": 1000 + i,
                "review": text,
                "category": category,
                "price": round(float(rng.uniform(5, 120)), 2),
                "stars": round(min(5.0, max(1.0, stars)), 1),
                "label": label,
                "true_label": truth,
            }
        )
    return rows


if __name__ == "__main__":
    rows = make()
    path = Path(__file__).with_name("reviews.csv")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {path}")
