import numpy as np
import pytest

from datacentric.experiment import tuning
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.modelling.models import FAMILIES


@pytest.fixture(scope="module")
def wine():
    lab = prepare(Scenario("wine", "uniform", 20, 0))
    return lab, np.ones(lab.n_train, dtype=bool)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_family_trains_with_its_defaults_and_explains_itself(wine, family):
    lab, kept = wine
    run = tuning.train_run(lab, lab.noisy_labels, kept, family=family)
    assert 0 <= run.accuracy <= 1 and run.seconds >= 0 and run.params == FAMILIES[family].defaults()
    assert FAMILIES[family].summary and all(p.help for p in FAMILIES[family].params)


@pytest.mark.parametrize("family", [f for f in FAMILIES if FAMILIES[f].params])
def test_sampled_params_stay_in_range(family):
    rng = np.random.default_rng(0)
    for _ in range(50):
        params = tuning.sample_params(family, rng)
        for spec in FAMILIES[family].params:
            value = params[spec.name]
            if spec.choices:
                assert value in spec.choices
            else:
                assert spec.low <= value <= spec.high
                assert isinstance(value, int) == spec.integer


def test_search_respects_its_time_budget_and_reports_every_trial(wine):
    lab, kept = wine
    seen = []
    ticks = iter(range(1000))  # a clock that moves one second each time it is read
    runs = tuning.random_search(
        lab,
        lab.noisy_labels,
        kept,
        family="knn",
        budget_seconds=4.0,
        on_trial=lambda i, run: seen.append(i),
        clock=lambda: float(next(ticks)),
    )
    # Read at 0 (start), then before each trial at 1, 2, 3: the read at 4 is past the budget.
    assert len(runs) == 3 and seen == [1, 2, 3]
    assert runs[0].params == FAMILIES["knn"].defaults() and all(r.source == "search" for r in runs)


def test_search_with_a_trial_cap_is_deterministic(wine):
    lab, kept = wine
    a = tuning.random_search(lab, lab.noisy_labels, kept, family="svm", budget_seconds=60, max_trials=5, seed=3)
    b = tuning.random_search(lab, lab.noisy_labels, kept, family="svm", budget_seconds=60, max_trials=5, seed=3)
    assert len(a) == 5 and [r.params for r in a] == [r.params for r in b]
    assert [r.accuracy for r in a] == [r.accuracy for r in b]
    assert tuning.best(a).accuracy == max(r.accuracy for r in a)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"family": "transformer"}, "unknown model family"),
        ({"family": "svm", "params": {"depth": 3}}, "no hyperparameter depth"),
    ],
)
def test_bad_runs_say_what_is_wrong(wine, kwargs, message):
    lab, kept = wine
    with pytest.raises(ValueError, match=message):
        tuning.train_run(lab, lab.noisy_labels, kept, **kwargs)


def test_a_run_record_is_plain_json(wine):
    import json

    lab, kept = wine
    record = tuning.train_run(lab, lab.noisy_labels, kept, family="knn").to_record()
    assert json.loads(json.dumps(record)) == record


def test_validation_holds_out_training_rows_only_and_selection_reads_it_not_the_test(wine):
    lab, kept = wine
    fit, held = tuning.validation_split(lab, lab.noisy_labels, kept)
    assert len(np.intersect1d(fit, held)) == 0 and len(fit) + len(held) == lab.n_train
    assert abs(len(held) - tuning.VALIDATION_SHARE * lab.n_train) <= 1
    run = tuning.train_run(lab, lab.noisy_labels, kept, family="knn", validate=True)
    assert 0 <= run.validation <= 1
    folds = tuning.validation_folds(lab, lab.noisy_labels, kept)
    assert len(folds) == tuning.FOLDS
    held_out = np.concatenate([held for _, held in folds])
    assert sorted(held_out) == list(range(lab.n_train))  # every training row held out once, no test row ever
    assert all(len(np.intersect1d(fit, held)) == 0 for fit, held in folds)
    confusions = tuning.cross_validation(lab, lab.noisy_labels, kept, family="knn", params=run.params)
    assert run.validation_folds == [c.tolist() for c in confusions]
    assert run.validation == pytest.approx(np.trace(np.sum(confusions, axis=0)) / lab.n_train)
    scores = [np.trace(c) / c.sum() for c in confusions]
    assert tuning.validation_spread(run.to_record()) == pytest.approx(np.std(scores, ddof=1))
    assert tuning.validation_spread({"validation_folds": None}) is None  # a run saved before folds were kept
    runs = [
        tuning.Run("knn", {}, "noisy", accuracy=a, macro_f1=a, seconds=0, validation=v)
        for a, v in [(0.9, 0.5), (0.6, 0.8), (0.99, 0.8), (0.7, None)]
    ]
    assert tuning.selected(runs) is runs[1]  # best validation, earliest of equals; test scores unread
    assert tuning.best(runs) is runs[2]
    assert tuning.selected([runs[3]]) is None


def test_on_text_the_tuned_logistic_family_is_exactly_the_fixed_model():
    from tests.unit.data.test_userdata import lab_for, reviews

    text = lab_for(reviews())
    assert text.sparse and text.families["logistic"] is text.fixed_model
    assert "standardised" not in text.families["logistic"].name.lower()
    kept = np.ones(text.n_train, dtype=bool)
    tuned = tuning.train_run(text, text.noisy_labels, kept, family="logistic")
    assert tuned.params == text.fixed_model.defaults()  # the same C
    assert tuned.accuracy == train_and_score(text, text.noisy_labels).accuracy  # the same model, the same score


def test_the_choice_follows_the_headline_metric_on_validation():
    # A: right on every common item, never on the rare class; B: a little worse overall, sees the rare class.
    a = {"data": "noisy", "validation": 0.90, "validation_confusion": [[90, 0], [10, 0]]}
    b = {"data": "noisy", "validation": 0.85, "validation_confusion": [[78, 12], [3, 7]]}
    assert tuning.selected_record([a, b], metric="accuracy") == 0
    assert tuning.selected_record([a, b], metric="balanced_accuracy") == 1
    assert tuning.validation_score(b, "balanced_accuracy") == pytest.approx((78 / 90 + 7 / 10) / 2)
    old = {"data": "noisy", "validation": 0.95}  # saved before the confusion was kept: its accuracy stands
    assert tuning.validation_score(old, "balanced_accuracy") == 0.95


def test_a_validated_run_keeps_its_validation_confusion():
    lab = prepare(Scenario("wine", "uniform", 20, 0))
    run = tuning.train_run(lab, lab.noisy_labels, np.ones(lab.n_train, dtype=bool), family="knn", validate=True)
    held = np.asarray(run.validation_confusion)
    assert held.shape == (3, 3) and held.trace() / held.sum() == pytest.approx(run.validation)


def test_a_run_on_your_labels_trains_on_the_rows_you_duplicated():
    lab = prepare(Scenario("wine", "uniform", 20, 0))
    kept = np.ones(lab.n_train, dtype=bool)
    copies = np.where(lab.noisy_labels == 0, 2, 0)
    run = tuning.train_run(lab, lab.noisy_labels, kept, family="logistic", copies=copies)
    assert run.accuracy == train_and_score(lab, lab.noisy_labels, kept, copies=copies).accuracy


def test_every_family_validates_and_fits_on_the_fewest_rows_a_learner_can_leave():
    """Two rows of each class left (the least a log may leave, lab.check_trainable): the validation split has no
    room to stratify, and 50 neighbours are more than the rows; neither may raise on Tune the model."""
    import warnings

    from datacentric.experiment.tuning import validation_accuracy
    from datacentric.lab.evaluate import train_and_score
    from datacentric.lab.prepare import prepare
    from datacentric.lab.scenario import Scenario

    lab = prepare(Scenario("wine", "uniform", 20, 0))
    labels = lab.noisy_labels
    kept = np.zeros(lab.n_train, dtype=bool)
    for c in np.unique(labels):
        kept[np.flatnonzero(labels == c)[:2]] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an MLP on 6 rows does not converge: that is not the point here
        for family, spec in lab.families.items():
            params = {"n_neighbors": 50} if family == "knn" else {}
            assert 0.0 <= validation_accuracy(lab, labels, kept, family=family, params=params) <= 1.0
            assert train_and_score(lab, labels, kept, model=spec, params=params).n_trained_on == kept.sum()


def test_why_validation_and_test_differ_calls_test_labels_clean_only_when_they_are_known_to_be(wine):
    assert wine[0].test_known_clean  # a built-in's published labels
    assert "the test split's labels are clean" in tuning.why_they_differ(True)
    doubtful = tuning.why_they_differ(False)
    assert "clean" not in doubtful and "taken as the truth" in doubtful


def test_runs_within_one_standard_error_of_the_chosen_run_are_ties():
    def run(score: float, rows: int = 100, data: str = "noisy") -> dict:
        right = round(score * rows)
        return {"data": data, "validation": score, "validation_confusion": [[right, 0], [rows - right, 0]]}

    records = [run(0.80), run(0.78), run(0.70), run(0.79, data="clean"), run(0.80, rows=400)]
    assert tuning.validation_noise(records[0]) == pytest.approx(0.04)  # sqrt(0.8 x 0.2 / 100)
    assert tuning.tied_with(records, 0) == [1, 4]  # 0.70 is out; a run on other labels is not a rival
    assert tuning.tied_with(records, 4) == [0]  # on 400 rows the error is 0.02: 0.78 is no longer a tie
    assert tuning.tied_with([{"data": "noisy", "validation": 0.8}], 0) == []  # saved before confusions were kept
