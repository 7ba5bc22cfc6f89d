import numpy as np
import pytest

from tests.app.conftest import DATASETS

PAGE = "pages/compare.py"


def table(at, index=0):
    return at.table[index].value


@pytest.mark.parametrize("dataset", DATASETS)
def test_page_runs_and_says_how_to_fill_the_table(open_page, dataset):
    at = open_page(PAGE, dataset=dataset, noise="uniform", rate="20", seed="0")
    rows = table(at)
    assert list(rows.index) == ["Baseline", "Model-centric", "Data-centric", "Clean-data ceiling", "Floor"]
    assert "not yet" in rows.loc["Model-centric", "how"] and "not yet" in rows.loc["Data-centric", "how"]
    assert (
        rows.loc["Model-centric", "test accuracy"] == "—" and rows.loc["Baseline", "gain over baseline"] == "+0.0 pts"
    )


def test_replay_fills_its_own_table(open_page):
    at = open_page(PAGE, dataset="wine", noise="pairs", rate="30", seed="0")
    at.slider[0].set_value(10).run()
    next(b for b in at.button if b.label == "Replay the experiment").click().run()
    assert not at.exception
    replayed = table(at, 1)
    assert replayed["test accuracy"].str.endswith(" %").all()
    assert "best of 10 trials by validation" in replayed.loc["Model-centric", "how"]
    assert list(replayed.index) == [
        "Baseline",
        "Model-centric",
        "Data-centric (reviewer)",
        "Data-centric (trusting suggestions)",
        "Both",
        "Clean-data ceiling",
    ]
    assert "right 100 % of the time" in replayed.loc["Data-centric (reviewer)", "how"]
    assert any(" won: " in m.value or m.value.startswith("- A tie") for m in at.markdown)  # the explanation


def test_a_careless_reviewer_is_a_replay_of_its_own(open_page):
    at = open_page(PAGE, dataset="wine", noise="pairs", rate="30", seed="0")
    at.slider[0].set_value(10).run()
    at.slider[1].set_value(80).run()
    next(b for b in at.button if b.label == "Replay the experiment").click().run()
    assert not at.exception
    assert "right 80 % of the time" in table(at, 1).loc["Data-centric (reviewer)", "how"]


def test_your_own_table_is_explained_in_words(open_page, store_url):
    """Once both rows are filled the page says who is ahead and why, from the learner's own numbers."""
    from datacentric.experiment.tuning import train_run
    from datacentric.lab.prepare import prepare
    from datacentric.lab.scenario import Scenario
    from datacentric.lab.worklog import Action
    from datacentric.persistence.store import Store

    scenario = Scenario("wine", "pairs", 30, 0)
    lab = prepare(scenario)
    store = Store(store_url)
    ws = store.create_workspace(scenario.to_params())
    everything = np.ones(lab.n_train, dtype=bool)
    run = train_run(lab, lab.noisy_labels, everything, family="knn", validate=True)
    store.add_run(ws, scenario.slug, run.to_record(), scenario.to_params())
    wrong = [int(i) for i in lab.is_noisy.nonzero()[0][:3]]
    for i in wrong:  # three clicks: three actions
        store.append(ws, scenario.slug, [Action("relabel", i, int(lab.true_labels[i]))], scenario.to_params())
    at = open_page(PAGE, ws=ws)
    said = " ".join(m.value for m in at.markdown)
    assert " is ahead: " in said or "A tie" in said
    assert "3 label actions against 1 tuning run" in said
    assert f"There were {int(lab.is_noisy.sum())} wrong labels" in said and "fixed 3 of them" in said
    assert "The model tuning chose, k-nearest neighbours," in said
    assert "between the baseline and the clean ceiling" in said
