"""A learner's own table: column roles, label checks, the dataset it builds, the lab, grading and export."""

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

from datacentric.data import featurize, userdata
from datacentric.findings.issues import out_of_fold_pred_probs, rank_label_issues
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.lab import TEST_SHARE
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario, is_user_key, parse_scenario
from datacentric.lab.worklog import Action, apply
from datacentric.present import export

WORDS = {"pos": "great lovely excellent fun superb".split(), "neg": "awful boring bad dull poor".split()}


def reviews(n: int = 300, *, noise: float = 0.2, seed: int = 0) -> pd.DataFrame:
    """Text, a category, a number and an id; ``label`` with ``noise`` of it wrong, ``true_label`` right."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(["pos", "neg"], n)
    text = [" ".join([*rng.choice(WORDS[t], 2), *rng.choice("the film plot actor was a".split(), 4)]) for t in truth]
    label = np.where(rng.random(n) < noise, np.where(truth == "pos", "neg", "pos"), truth)
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "review": text,
            "genre": rng.choice(["drama", "comedy"], n),
            "length": rng.normal(100, 20, n),
            "label": label,
            "true_label": truth,
        }
    )


def spec_for(frame, truth="true_label", **flags):
    exclude = ("label", truth) if truth else ("label",)
    roles = tuple((r.column, r.role) for r in featurize.detect_roles(frame, exclude=exclude))
    return userdata.UserSpec("label", truth, roles, **flags)


@pytest.mark.parametrize(
    "values, role",
    [
        ([f"a long sentence number {i} with many words in it" for i in range(30)], "text"),
        (["a long sentence with many words in it", "another long sentence of many words"] * 15, "categorical"),
        (["red", "blue", "red", "blue"], "categorical"),
        ([1.5, 2.25, 3.0, 4.75], "numeric"),
        ([0, 1, 0, 1], "categorical"),
        ([7, 7, 7, 7], "ignored"),
        ([None, None, None, None], "ignored"),
        (["x1", "x2", "x3", "x4"], "ignored"),
    ],
)
def test_detect_roles(values, role):
    frame = pd.DataFrame({"c": values})
    assert featurize.detect_roles(frame)[0].role == role


def test_wordy_values_that_repeat_are_a_category_and_the_reason_says_so():
    labels = [f"Grade {g}: the surface shows a defect of this kind" for g in "ABC"]
    role = featurize.detect_roles(pd.DataFrame({"grade": labels * 40}))[0]
    assert role.role == "categorical" and role.why.startswith("only 3 different values (2 % of rows), though 10 words")
    many = pd.DataFrame({"note": [f"note {i} written by hand, each one different" for i in range(1000)] * 1})
    assert featurize.detect_roles(many)[0].role == "text"
    few_share = pd.DataFrame({"note": [f"a templated message about case {i % 40} today" for i in range(1000)]})
    assert featurize.detect_roles(few_share)[0].role == "categorical"  # 40 values, 4 % of the rows


def test_an_increasing_whole_number_column_is_an_id():
    assert featurize.detect_roles(pd.DataFrame({"row": range(50)}))[0].role == "ignored"


def test_describe_names_each_step_in_words():
    roles = featurize.detect_roles(reviews(), exclude=("label", "true_label"))
    text = " ".join(featurize.describe(roles))
    assert "Numeric columns (length)" in text and "Categorical columns (genre)" in text
    assert "Text columns (review) become TF-IDF" in text and "Ignored: id" in text


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda f: f.assign(label="pos", true_label="pos"), "one class"),
        (lambda f: f.assign(label=np.arange(len(f))), "different values"),
        (lambda f: f.assign(label=f["label"].where(f.index > 2)), "3 rows have no value"),
        (lambda f: f.assign(true_label=np.where(f.index < 2, "odd", f["true_label"])), "fewer than 5 rows"),
        (lambda f: f.assign(true_label=(f["true_label"] == "pos").astype(int)), "holds other values"),
    ],
)
def test_label_problems_are_named(change, message):
    frame = change(reviews())
    check = userdata.check_labels(frame, userdata.UserSpec("label", "true_label"))
    assert not check.ok and any(message in p for p in check.problems), check.problems


def test_dropping_rows_without_labels_or_of_rare_classes_fixes_the_check():
    frame = reviews()
    frame.loc[:2, "label"] = None
    frame.loc[3:4, "true_label"] = "odd"
    spec = spec_for(frame, drop_missing=True, drop_rare=True)
    assert userdata.check_labels(frame, spec).ok
    dataset = userdata.build(frame, spec, key="u-" + "0" * 16, title="t")
    assert len(dataset.labels) == len(frame) - 5 and dataset.classes == ("neg", "pos")


def test_the_key_names_file_and_spec():
    a, b = userdata.UserSpec("label"), userdata.UserSpec("label", "true_label")
    assert userdata.dataset_key("f1", a) == userdata.dataset_key("f1", a)
    assert len({userdata.dataset_key("f1", a), userdata.dataset_key("f1", b), userdata.dataset_key("f2", a)}) == 3
    assert is_user_key(userdata.dataset_key("f1", a)) and not is_user_key("u-nothex")


def test_user_keys_parse_but_pair_noise_does_not_apply():
    key = userdata.dataset_key("f", userdata.UserSpec("label"))
    scenario, problems = parse_scenario({"dataset": key, "noise": "pairs", "rate": "10"})
    assert scenario.dataset == key and scenario.noise == "uniform" and "Confusable-pair" in problems[0]
    assert "no label noise added" in Scenario(key, "none", 0, 0).describe("My reviews")


def lab_for(frame, truth="true_label", *, rate=0, seed=0):
    spec = spec_for(frame, truth)
    key = userdata.dataset_key("sha", spec)
    dataset = userdata.build(frame, spec, key=key, title="reviews")
    return prepare(Scenario(key, "uniform" if rate else "none", rate, seed), dataset)


def test_with_a_truth_column_the_wrong_labels_are_known_and_fixing_them_helps():
    frame = reviews(noise=0.3)
    lab = lab_for(frame)
    assert lab.grading == "truth" and lab.sparse and lab.dataset.modality == "text"
    truly_wrong = (frame["label"] != frame["true_label"]).to_numpy()[lab.train_index]
    assert np.array_equal(lab.is_noisy, truly_wrong)
    noisy, clean = train_and_score(lab, lab.noisy_labels), train_and_score(lab, lab.true_labels)
    assert clean.accuracy > noisy.accuracy
    kept = np.ones(lab.n_train, dtype=bool)
    queue = rank_label_issues(lab.noisy_labels, out_of_fold_pred_probs(lab, lab.noisy_labels, kept), kept)
    top = queue["item"].to_numpy()[: int(lab.is_noisy.sum())]
    assert lab.is_noisy[top].mean() > 0.8  # the ranked queue finds the wrong labels first


def test_without_a_truth_column_only_injected_noise_is_graded():
    frame = reviews().drop(columns="true_label")
    plain = lab_for(frame, None)
    assert plain.grading == "none" and not plain.is_noisy.any()
    assert np.array_equal(plain.test_labels, plain.dataset.labels[plain.test_index])
    noisy = lab_for(frame, None, rate=20)
    assert noisy.grading == "injected" and noisy.is_noisy.sum() == round(0.2 * noisy.n_train)


def test_a_table_without_text_is_dense_and_tabular():
    frame = reviews().drop(columns="review")
    lab = lab_for(frame)
    assert not lab.sparse and lab.dataset.modality == "tabular"
    assert 0.0 <= train_and_score(lab, lab.noisy_labels).accuracy <= 1.0


def test_export_keeps_every_row_and_says_what_was_done():
    frame = reviews().rename(columns={"genre": "split"})  # a learner's column named like ours is kept
    lab = lab_for(frame)
    wrong = np.flatnonzero(lab.is_noisy)
    log = [
        Action("relabel", int(wrong[0]), int(lab.true_labels[wrong[0]]), 1),
        Action("remove", int(wrong[1]), None, 2),
        Action("confirm", 0 if not lab.is_noisy[0] else int(np.flatnonzero(~lab.is_noisy)[0]), None, 3),
    ]
    table = export.cleaned(lab, apply(lab.noisy_labels, log))
    assert len(table) == len(frame) and "split" in table and "_split" in table
    assert list(table["file_row"]) == list(range(1, len(frame) + 1))
    row = table.iloc[lab.train_index[wrong[0]]]
    assert (row["action"], row["original_label"], row["label"]) == (
        "relabelled",
        frame["label"].iloc[lab.train_index[wrong[0]]],
        frame["true_label"].iloc[lab.train_index[wrong[0]]],
    )
    assert table.iloc[lab.train_index[wrong[1]]]["action"] == "removed"
    assert (table["action"] == "confirmed").sum() == 1
    assert set(table.iloc[lab.test_index]["_split"]) == {"test"} and set(table.iloc[lab.test_index]["action"]) == {""}
    assert "current_label" not in table  # the label column holds it, so the file reads back as it was set up
    assert (table["label"] == frame["label"]).sum() == len(frame) - 1  # one relabel
    again = dict((r.column, r.role) for r in featurize.detect_roles(table, exclude=("label", "true_label")))
    assert {again[c] for c in ("file_row", "split", "_split", "original_label", "action")} == {"ignored"}
    assert again["review"] == "text" and again["length"] == "numeric"
    log_table = export.action_log(lab, log)
    assert list(log_table["action"]) == ["relabel", "remove", "confirm"]
    assert log_table["row"].iloc[0] == lab.train_index[wrong[0]] + 1


def test_export_of_a_built_in_dataset_carries_features_and_truth():
    lab = prepare(Scenario("wine", "uniform", 20, 0))
    table = export.cleaned(lab, apply(lab.noisy_labels, []))
    assert len(table) == 178 and "alcohol" in table and "true_label" in table
    assert (table["original_label"] != table["true_label"]).sum() == lab.is_noisy.sum()


def test_infinities_are_gaps_and_a_column_of_row_numbers_is_an_id_whatever_its_name():
    frame = reviews().assign(length=lambda f: f["length"].where(f.index != 3, np.inf), n=lambda f: f.index + 1)
    roles = dict((r.column, r.role) for r in featurize.detect_roles(frame, exclude=("label", "true_label")))
    assert roles["n"] == "ignored" and roles["length"] == "numeric"
    lab = lab_for(frame)
    assert np.isfinite(lab.train_features.data).all()


def test_text_without_any_word_is_refused_in_words():
    frame = reviews().assign(review=lambda f: [f"{chr(97 + i % 26)} {chr(97 + i // 26 % 26)}" for i in f.index])
    with pytest.raises(featurize.DataError, match="no word that appears"):
        lab_for(frame)


def test_spellings_of_one_class_are_one_class_and_the_check_says_so():
    frame = reviews(60).assign(
        label=lambda f: np.where(np.arange(60) % 3 == 0, "1.0", np.where(np.arange(60) % 3 == 1, "1", "2 ")),
        true_label=lambda f: np.where(np.arange(60) % 3 == 2, "2", "1"),
    )
    spec = spec_for(frame)
    check = userdata.check_labels(frame, spec)
    assert check.ok and check.classes == ("1", "2")
    assert check.notes == ("In 'label', spellings of one class are read as one: '1' and '1.0' as '1'.",)
    dataset = userdata.build(frame, spec, key=userdata.dataset_key("sha", spec), title="t")
    assert dataset.classes == ("1", "2") and (dataset.given == dataset.labels).all()


@pytest.mark.parametrize("values", [[1, 2, 1, 2], [1.0, 2.0, None, 2.0], ["a", "b", "a", "b"]])
def test_one_spelling_per_class_needs_no_note(values):
    frame = pd.DataFrame({"x": range(20), "label": values * 5})
    assert userdata.check_labels(frame, userdata.UserSpec("label", drop_missing=True)).notes == ()


def look_alike_table(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Three classes in two numeric columns: 'oak' and 'elm' overlap (they look alike), 'fir' stands apart;
    ``label`` has a few of the learner's own errors, ``true_label`` is right."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(["oak", "elm", "fir"], n)
    centre = {"oak": (0.0, 0.0), "elm": (1.2, 0.0), "fir": (8.0, 8.0)}
    xy = np.array([centre[t] for t in truth]) + rng.normal(0, 1, (n, 2))
    label = truth.copy()
    label[rng.choice(n, 12, replace=False)] = "fir"  # the learner's own file is not spotless
    return pd.DataFrame({"width": xy[:, 0], "height": xy[:, 1], "label": label, "true_label": truth})


@pytest.mark.parametrize("kind", ["systematic", "ambiguous"])
def test_noise_that_follows_the_items_works_on_a_learners_table_with_known_true_labels(kind):
    frame = look_alike_table()
    spec = spec_for(frame)
    key = userdata.dataset_key("sha", spec)
    dataset = userdata.build(frame, spec, key=key, title="trees")
    lab = prepare(Scenario(key, kind, 30, 0), dataset)
    again = prepare(Scenario(key, kind, 30, 0), userdata.build(frame, spec, key=key, title="trees"))
    assert np.array_equal(lab.noisy_labels, again.noisy_labels)  # seeded
    assert lab.grading == "truth"
    start = dataset.given[lab.train_index]
    flipped = lab.noisy_labels != start
    oak, elm, fir = (dataset.classes.index(name) for name in ("oak", "elm", "fir"))
    # The look-alike classes are the ones the data mixes up: no label is flipped to the class that stands apart.
    assert not (lab.noisy_labels[flipped] == fir).any()
    if kind == "systematic":  # and it is never the source either
        # One pair (three classes make one): the 30 % of its source class that look most like the other.
        source = start[flipped][0]
        assert source != fir and set(start[flipped]) == {source}
        assert set(lab.noisy_labels[flipped]) == {({oak, elm} - {source}).pop()}
        assert flipped.sum() == round(0.3 * (start == source).sum())
    else:  # the items a model is unsure of are the likeliest to flip: the clear-cut firs seldom do
        assert flipped.sum() == round(0.3 * lab.n_train)
        apart = lab.true_labels == fir
        assert flipped[apart].mean() < flipped[~apart].mean() / 4
    # Graded against the known-true column: the learner's own errors and the injected ones are both known.
    own = start != lab.true_labels
    assert own.any() and np.array_equal(lab.is_noisy, lab.noisy_labels != lab.true_labels)


def build_with_test(frame, spec, test=None):
    return userdata.build(frame, spec, key=userdata.dataset_key("sha", spec), title="t", test_frame=test)


def test_a_test_file_is_the_test_set_and_its_labels_the_truth():
    train, test = reviews(300, noise=0.3, seed=0), reviews(120, noise=0.3, seed=1)
    spec = dataclasses.replace(spec_for(train, None), test_file="f" * 64)
    dataset = build_with_test(train.drop(columns="true_label"), spec, test.drop(columns="true_label"))
    lab = prepare(Scenario(dataset.name, "none", 0, 3), dataset)
    assert lab.n_train == 300 and len(lab.test_index) == 120  # no seed moves them
    assert np.array_equal(lab.test_labels, [dataset.classes.index(c) for c in test["label"]])
    assert "your test file (120 test items), its labels taken as the truth" == lab.test_source
    assert not lab.test_known_clean  # taken as the truth, never called clean
    again = prepare(Scenario(dataset.name, "none", 0, 4), dataset)
    assert np.array_equal(again.test_index, lab.test_index)


def test_a_test_file_with_a_known_true_column_is_graded_by_it():
    train, test = reviews(300, noise=0.3, seed=0), reviews(120, noise=0.3, seed=1)
    spec = dataclasses.replace(spec_for(train), test_file="f" * 64)
    dataset = build_with_test(train, spec, test)
    lab = prepare(Scenario(dataset.name, "none", 0, 0), dataset)
    assert np.array_equal(lab.test_labels, [dataset.classes.index(c) for c in test["true_label"]])
    assert np.array_equal(lab.noisy_labels, [dataset.classes.index(c) for c in train["label"]])


def test_a_split_column_marks_the_test_rows():
    frame = reviews(300).assign(part=["test" if i % 4 == 0 else "train" for i in range(300)])
    spec = dataclasses.replace(spec_for(frame), split_column="part", test_value="test")
    dataset = build_with_test(frame, spec)
    assert "part" not in dataset.feature_names  # the split is not a feature
    lab = prepare(Scenario(dataset.name, "none", 0, 0), dataset)
    assert list(lab.test_index) == list(range(0, 300, 4))
    assert lab.test_source.startswith("the rows your split column marks for testing (75 test items), graded by")
    plain = prepare(
        Scenario(dataset.name, "none", 0, 0),
        build_with_test(frame.drop(columns="true_label"), dataclasses.replace(spec, truth=None)),
    )
    assert plain.test_source.endswith("with their labels as given: not known to be clean")
    assert lab.test_known_clean and not plain.test_known_clean


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda t: t.drop(columns=["review", "genre"]), "lacks columns the training file uses: 'review', 'genre'"),
        (lambda t: t.assign(label=t["label"].where(t.index > 2, "meh")), "classes the training file does not: 'meh'"),
        (lambda t: t.iloc[:0], "no rows with a label"),
        (lambda t: t.assign(label=t["label"].where(t.index > 2, None)), "3 rows of the test file have no value"),
    ],
)
def test_a_test_file_that_does_not_match_is_refused_naming_what_differs(change, message):
    train, test = reviews(200).drop(columns="true_label"), reviews(60, seed=1).drop(columns="true_label")
    spec = dataclasses.replace(spec_for(train, None), test_file="f" * 64)
    with pytest.raises(featurize.DataError, match=re.escape(message)):
        build_with_test(train, spec, change(test))


@pytest.mark.parametrize("value, message", [("nope", "No row has 'nope'"), ("any", "Every row has 'any'")])
def test_a_split_column_must_leave_rows_on_both_sides(value, message):
    frame = reviews(100).assign(part="any")
    spec = dataclasses.replace(spec_for(frame), split_column="part", test_value=value)
    with pytest.raises(featurize.DataError, match=message):
        build_with_test(frame, spec)


def test_specs_from_before_test_sets_keep_their_json_and_key():
    spec = userdata.UserSpec("label", "truth", (("a", "numeric"),))
    assert "test" not in spec.to_json() and "split" not in spec.to_json()
    assert userdata.UserSpec.from_json(spec.to_json()) == spec
    own = dataclasses.replace(spec, split_column="part", test_value="test")
    assert userdata.UserSpec.from_json(own.to_json()) == own and own.test_source == "column"
    with pytest.raises(ValueError):
        dataclasses.replace(spec, split_column="part")


@pytest.mark.parametrize(
    "columns, label, truth",
    [
        (["text", "label", "true_label"], "label", "true_label"),
        (["text", "noisy_sentiment", "sentiment"], "noisy_sentiment", "sentiment"),
        (["text", "Sentiment_given", "sentiment"], "Sentiment_given", "sentiment"),
        (["text", "noisy_label", "label"], "noisy_label", "label"),
        (["text", "label", "category"], "label", None),
        (["text", "noisy_label"], "noisy_label", None),
    ],
)
def test_the_known_true_column_is_guessed_by_its_name_or_as_the_noisy_ones_plain_name(columns, label, truth):
    others = [c for c in columns if c != label]
    assert userdata.guess_truth(others, label) == truth


def test_an_upload_with_the_same_columns_pairs_with_the_file_set_up_whichever_came_first():
    from datacentric.data.userdata import Upload, after_upload

    columns, shuffled = ["review", "label"], ["label", "review"]
    assert after_upload("reviews.csv", columns, None, ()) is Upload.SET_UP  # the first file
    assert after_upload("reviews-test.csv", shuffled, "reviews.csv", columns) is Upload.ITS_TEST_FILE
    assert after_upload("reviews.csv", columns, "reviews-test.csv", columns) is Upload.TESTED_BY_IT
    assert after_upload("test_rows.csv", columns, "train_rows.csv", columns) is Upload.ITS_TEST_FILE
    assert after_upload("reviews-2.csv", columns, "reviews.csv", columns) is Upload.KEPT  # no name says which
    assert after_upload("contest.csv", columns, "reviews.csv", columns) is Upload.KEPT  # "test" inside a word
    assert after_upload("machines.csv", ["temp", "label"], "reviews.csv", columns) is Upload.SET_UP  # another table


@pytest.mark.parametrize("source", ["random", "file", "column"])
def test_the_split_a_form_states_is_the_one_the_lab_makes(source):
    frame = reviews(301, noise=0.3, seed=0).assign(part=["test" if i % 4 == 0 else "train" for i in range(301)])
    frame.loc[[3, 7], "label"] = None  # two rows without a label, dropped
    test = reviews(120, noise=0.3, seed=1).assign(part="test")
    test.loc[[5], ["label", "true_label"]] = None  # and one in the test file
    spec = spec_for(frame, drop_missing=True)
    if source == "file":
        spec = dataclasses.replace(spec, test_file="f" * 64)
    elif source == "column":
        spec = dataclasses.replace(spec, split_column="part", test_value="test")
    test_frame = test if source == "file" else None
    sizes = userdata.split_sizes(frame, spec, test_frame, test_share=TEST_SHARE)
    dataset = build_with_test(frame, spec, test_frame)
    lab = prepare(Scenario(dataset.name, "none", 0, 0), dataset)
    assert sizes == (lab.n_train, len(lab.test_index))
    assert sizes == {"random": (209, 90), "file": (299, 119), "column": (223, 76)}[source]
