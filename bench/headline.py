"""The figures the README quotes for the imbalanced example: accuracy against balanced accuracy.

Scores the fixed model on data/examples/machines.csv (its labels, then its true labels) against its
own test file, machines-test.csv, and prints every metric and the per-class table.
Run: python bench/headline.py
"""
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datacentric import featurize, metrics, userdata  # noqa: E402
from datacentric.evaluate import train_and_score  # noqa: E402
from datacentric.lab import prepare  # noqa: E402
from datacentric.scenario import Scenario  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def main() -> None:
    train, test = pd.read_csv(EXAMPLES / "machines.csv"), pd.read_csv(EXAMPLES / "machines-test.csv")
    roles = tuple((r.column, r.role) for r in featurize.detect_roles(train, exclude=("label", "true_label")))
    spec = userdata.UserSpec("label", "true_label", roles, test_file="machines-test.csv")
    dataset = userdata.build(train, spec, key=userdata.dataset_key("bench", spec), title="machines", test_frame=test)
    lab = prepare(Scenario(dataset.name, "none", 0, 0), dataset)
    key, why = metrics.default_metric(lab.test_labels, dataset.n_classes)
    print(f"headline by default: {key}. {why}")
    for labels, name in ((lab.noisy_labels, "its labels"), (lab.true_labels, "the true labels")):
        score = train_and_score(lab, labels)
        figures = ", ".join(f"{m.name.lower()} {score.value(k):.1%}" for k, m in metrics.METRICS.items())
        print(f"\nfixed model on {name}: {figures}")
        print(metrics.per_class(score.confusion, dataset.classes).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
