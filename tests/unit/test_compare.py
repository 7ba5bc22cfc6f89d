import numpy as np
import pytest

from datacentric import compare, replay
from datacentric.lab import prepare
from datacentric.scenario import Scenario
from datacentric.tuning import train_run


@pytest.fixture(scope="module")
def lab():
    return prepare(Scenario("wine", "pairs", 30, 0))


def test_rows_not_yet_produced_say_how_to_produce_them(lab):
    kept = np.ones(lab.n_train, dtype=bool)
    table = compare.comparison(lab, runs=[], labels=lab.noisy_labels, kept=kept, n_actions=0).set_index("approach")
    assert list(table.index) == ["Baseline", "Model-centric", "Data-centric", "Clean-data ceiling", "Floor"]
    assert np.isnan(table.loc["Model-centric", "accuracy"]) and "Tune the model" in table.loc["Model-centric", "how"]
    assert np.isnan(table.loc["Data-centric", "accuracy"]) and "Fix the labels" in table.loc["Data-centric", "how"]
    assert table.loc["Baseline", "gain"] == 0
    assert "Fill the table" in compare.verdict(table.reset_index())


def test_filled_rows_use_the_best_noisy_run_and_the_current_labels(lab):
    kept = np.ones(lab.n_train, dtype=bool)
    runs = [train_run(lab, lab.noisy_labels, kept, family=f).to_record() for f in ("knn", "svm")]
    runs.append({**runs[0], "accuracy": 1.0, "data": "yours@3"})  # trained on fixed labels: not model-centric
    table = compare.comparison(lab, runs=runs, labels=lab.true_labels, kept=kept, n_actions=5).set_index("approach")
    assert table.loc["Model-centric", "accuracy"] == max(r["accuracy"] for r in runs[:2])
    assert table.loc["Data-centric", "accuracy"] == table.loc["Clean-data ceiling", "accuracy"]
    assert "after 5 label actions" in table.loc["Data-centric", "how"]
    assert "points" in compare.verdict(table.reset_index())


def test_replay_is_deterministic_and_fixing_finds_wrong_labels(lab):
    seen = []
    a = replay.replay_experiment(lab, steps=12, on_progress=lambda f, text: seen.append(f))
    b = replay.replay_experiment(lab, steps=12)
    assert a.curves.equals(b.curves) and a.best_run.params == b.best_run.params
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert a.fixed_actions == 12 and a.noisy_left < int(lab.is_noisy.sum())
    table = compare.replay_table(lab, a).set_index("approach")
    assert table.loc["Model-centric", "accuracy"] == a.best_run.accuracy
    assert len(a.curves) == 2 * 13
