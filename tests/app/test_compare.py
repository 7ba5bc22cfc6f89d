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
    assert rows.loc["Model-centric", "test accuracy"] == "—" and rows.loc["Baseline", "gain over baseline"] == "+0.0 pts"


def test_replay_fills_its_own_table(open_page):
    at = open_page(PAGE, dataset="wine", noise="pairs", rate="30", seed="0")
    at.slider[0].set_value(10).run()
    next(b for b in at.button if b.label == "Replay the experiment").click().run()
    assert not at.exception
    replayed = table(at, 1)
    assert replayed["test accuracy"].str.endswith(" %").all()
    assert "best of 10 trials by validation" in replayed.loc["Model-centric", "how"]
    assert list(replayed.index) == ["Baseline", "Model-centric", "Data-centric (reviewer)",
                                    "Data-centric (trusting suggestions)", "Both", "Clean-data ceiling"]
    assert "right 100 % of the time" in replayed.loc["Data-centric (reviewer)", "how"]
    assert any(" won: " in m.value or m.value.startswith("- A tie") for m in at.markdown)  # the explanation


def test_a_careless_reviewer_is_a_replay_of_its_own(open_page):
    at = open_page(PAGE, dataset="wine", noise="pairs", rate="30", seed="0")
    at.slider[0].set_value(10).run()
    at.slider[1].set_value(80).run()
    next(b for b in at.button if b.label == "Replay the experiment").click().run()
    assert not at.exception
    assert "right 80 % of the time" in table(at, 1).loc["Data-centric (reviewer)", "how"]
