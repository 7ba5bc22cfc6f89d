import pytest

from tests.app.conftest import DATASETS, metric

PAGE = "pages/tune_model.py"


@pytest.mark.parametrize("dataset", DATASETS)
def test_page_runs_for_every_built_in_dataset(open_page, dataset):
    at = open_page(PAGE, dataset=dataset, noise="uniform", rate="20", seed="0")
    assert at.title[0].value == "Tune the model"
    assert "No runs yet" in at.info[-1].value


def test_train_records_a_run_and_shows_its_metrics(open_page):
    at = open_page(PAGE, dataset="wine", noise="pairs", rate="30", seed="0")
    at.selectbox[0].select("knn").run()
    at.slider(key="param_knn_n_neighbors").set_value(9)  # a form: the value goes with the submit
    next(b for b in at.button if b.label == "Train").click().run()
    assert not at.exception
    assert metric(at, "Test accuracy (chosen run)").endswith("%") and metric(at, "Validation accuracy (chosen run)")
    assert any("Validation scores a run on the training rows by 4-fold cross-validation" in c.value for c in at.caption)
    said = [c.value for c in at.caption if c.value.startswith("A trial of this family took ")]
    assert len(said) == 1 and "a search needs about" in said[0], said
    validation = next(m for m in at.metric if m.label == "Validation accuracy (chosen run)")
    assert validation.proto.delta.startswith("± ") and validation.proto.delta.endswith(" pts across 4 folds")
    runs = at.dataframe[-1].value
    assert len(runs) == 1 and runs.loc[0, "model"] == "k-nearest neighbours"
    assert "n_neighbors=9" in runs.loc[0, "hyperparameters"]


def test_search_runs_within_its_budget_and_marks_the_best(open_page):
    at = open_page(PAGE, dataset="wine", noise="uniform", rate="20", seed="0")
    at.selectbox[0].select("svm").run()
    at.slider[-1].set_value(5)  # the time budget, in a form: it goes with the submit
    next(b for b in at.button if b.label == "Search").click().run()
    assert not at.exception
    runs = at.dataframe[-1].value
    assert len(runs) >= 2 and (runs["source"] == "search").all()
    chosen = runs.loc[runs["chosen"] == "★"]
    assert chosen.index[0] == runs.index[0]  # pinned at the top
    assert chosen["validation"].item() == runs["validation"].max()  # chosen by validation, whatever the test says
    shown = float(metric(at, "Test accuracy (chosen run)").rstrip("%"))
    assert abs(shown - chosen["accuracy"].item() * 100) < 0.051  # the headline is the chosen run, not the last


def test_a_run_as_good_as_the_chosen_one_within_the_validation_noise_is_marked_a_tie(open_page):
    at = open_page(PAGE, dataset="wine", noise="uniform", rate="20", seed="0")
    train = next(b for b in at.button if b.label == "Train")
    train.click().run()
    assert not [w for w in at.warning if "standard error" in w.value]  # one run: nothing to tie with
    next(b for b in at.button if b.label == "Train").click().run()  # the same model again: the same score
    assert not at.exception
    said = next(w.value for w in at.warning if "standard error" in w.value)
    assert said.startswith("1 other run (marked 'tie' below) is within one standard error") and "±" in said
    runs = at.dataframe[-1].value
    assert sorted(runs["chosen"]) == ["tie", "★"]
