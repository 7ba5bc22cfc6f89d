"""Write machines.csv and machines-test.csv: a small imbalanced tabular set with its own test file.

Synthetic on purpose (no licence questions): sensor readings of machines on three lines, each
``ok`` (about 70 %), ``worn`` (about 22 %) or ``failing`` (about 8 %, the rare class that matters).
In the training file an inspector's convention labels the milder half of the failing machines
``worn``, and 10 % of the other labels are slips to another class; ``true_label`` keeps the
truth. The test file is clean, with the same columns. Accuracy barely notices the failing class;
balanced accuracy does. Run ``python data/examples/make_machines.py`` to write both again
(seeded, so identical).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

CLASSES = ("ok", "worn", "failing")
SHARES = (0.70, 0.22, 0.08)
#                 temperature, vibration, hours since service, load
CENTRES = {"ok": (60.0, 2.0, 300.0, 0.55), "worn": (66.0, 3.6, 900.0, 0.65), "failing": (73.0, 5.2, 1400.0, 0.75)}
SPREAD = (4.5, 0.9, 260.0, 0.12)


def make(n: int, *, seed: int, noisy: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    truth = rng.choice(CLASSES, n, p=SHARES)
    readings = np.array([CENTRES[t] for t in truth]) + rng.normal(0, 1, (n, 4)) * SPREAD
    frame = pd.DataFrame(
        {
            "machine_id": np.arange(10_000 + seed * 10_000, 10_000 + seed * 10_000 + n),
            "line": rng.choice(["A", "B", "C"], n),
            "temperature": readings[:, 0].round(1),
            "vibration": readings[:, 1].clip(0.1).round(2),
            "hours_since_service": readings[:, 2].clip(0).round(0).astype(int),
            "load": readings[:, 3].clip(0.05, 1.0).round(2),
        }
    )
    label = truth.copy()
    if noisy:
        failing = np.flatnonzero(truth == "failing")
        mild = failing[np.argsort(frame["vibration"].to_numpy()[failing])[: len(failing) // 2]]
        label[mild] = "worn"  # the convention: a failing machine that does not shake much is "worn"
        others = np.flatnonzero(truth != "failing")
        slips = rng.choice(others, round(0.10 * len(others)), replace=False)
        label[slips] = [rng.choice([c for c in CLASSES if c != truth[i]]) for i in slips]
    frame["label"] = label
    if noisy:
        frame["true_label"] = truth
    return frame


def main() -> None:
    here = Path(__file__).resolve().parent
    make(900, seed=0, noisy=True).to_csv(here / "machines.csv", index=False)
    make(450, seed=1, noisy=False).to_csv(here / "machines-test.csv", index=False)


if __name__ == "__main__":
    main()
