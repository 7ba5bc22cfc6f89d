"""The figures docs/your-data.md quotes for the examples with their own test files.

machines.csv: the fixed model on its labels, then on its true labels, scored on machines-test.csv:
every metric and the per-class table (accuracy against balanced accuracy).
junk-reviews.csv: scored on junk-reviews-test.csv, the fixed model on the file as it is; after the
rows containing '<' are removed (data-centric, one bulk action); and the model a 20-second search
per family chooses by validation on the file as it is (model-centric).
Run: python bench/headline.py
"""

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datacentric.common import metrics
from datacentric.data import featurize, userdata  # noqa: E402
from datacentric.experiment import tuning
from datacentric.findings import filters
from datacentric.lab.evaluate import train_and_score  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402
from datacentric.modelling.models import FAMILIES  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
SEARCH_SECONDS = 15


def lab_of(name: str, truth: str | None):
    train, test = pd.read_csv(EXAMPLES / f"{name}.csv"), pd.read_csv(EXAMPLES / f"{name}-test.csv")
    roles = tuple((r.column, r.role) for r in featurize.detect_roles(train, exclude=("label", truth or "label")))
    spec = userdata.UserSpec("label", truth, roles, test_file=f"{name}-test.csv")
    dataset = userdata.build(train, spec, key=userdata.dataset_key("bench", spec), title=name, test_frame=test)
    return prepare(Scenario(dataset.name, "none", 0, 0), dataset)


def junk() -> None:
    lab = lab_of("junk-reviews", None)
    start = lab.state([])
    picked = filters.matches(lab, start, filters.RowFilter("contains", "review", text="<"))
    removed = lab.state(filters.bulk("remove", picked, start))
    base = train_and_score(lab, lab.noisy_labels).accuracy
    cleaned = train_and_score(lab, removed.labels, removed.kept).accuracy
    print(f"\njunk-reviews, scored on its test file ({len(lab.test_index)} items): baseline {base:.1%}")
    print(
        f"  data-centric: {int(picked.sum())} rows containing '<' removed in one action: {cleaned:.1%} "
        f"({(cleaned - base) * 100:+.1f} pts)"
    )
    kept = start.kept
    families = [k for k, spec in FAMILIES.items() if k != "floor" and (spec.sparse_ok or not lab.sparse)]
    runs = [
        run
        for family in families
        for run in tuning.random_search(lab, lab.noisy_labels, kept, family=family, budget_seconds=SEARCH_SECONDS)
    ]
    chosen = tuning.selected(runs)
    print(
        f"  model-centric: {len(runs)} trials, {SEARCH_SECONDS} s a family over {', '.join(families)}, chosen by "
        f"validation: {lab.families[chosen.family].name}, "
        f"{tuning.describe_params(chosen.params)}: {chosen.accuracy:.1%} ({(chosen.accuracy - base) * 100:+.1f} pts)"
    )


def main() -> None:
    lab = lab_of("machines", "true_label")
    dataset = lab.dataset
    key, why = metrics.default_metric(lab.test_labels, dataset.n_classes)
    print(f"headline by default: {key}. {why}")
    for labels, name in ((lab.noisy_labels, "its labels"), (lab.true_labels, "the true labels")):
        score = train_and_score(lab, labels)
        figures = ", ".join(f"{m.name.lower()} {score.value(k):.1%}" for k, m in metrics.METRICS.items())
        print(f"\nfixed model on {name}: {figures}")
        print(metrics.per_class(score.confusion, dataset.classes).round(3).to_string(index=False))
    junk()


if __name__ == "__main__":
    main()
