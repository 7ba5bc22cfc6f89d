"""Find the weak slice: runs on every built-in dataset and on a learner's, with its tables and the lesson link."""

import pytest

from datacentric.findings.slices import NESTED, YOURS
from tests.app.conftest import DATASETS

PAGE = "pages/weak_slices.py"


def frame_of(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_page_finds_slices_and_ranks_them_by_potential_gain(open_page, dataset):
    at = open_page(PAGE, dataset=dataset, noise="systematic", rate="30", seed="0")
    assert not at.exception and at.title[0].value == "Find the weak slice"
    found = frame_of(at, "excess")
    assert len(found) > 0 and (found["share"] >= 0.02).all()
    assert list(found["excess"]) == sorted(found["excess"], reverse=True)
    table = frame_of(at, "potential")
    # Largest first, save that a slice follows a narrower one inside it holding most of its gain (unit-tested).
    assert table["potential"].iloc[0] >= NESTED * table["potential"].max()
    assert (table["potential"] - table["gap"] * table["share"]).abs().max() < 1e-9
    assert any("Lesson: Analyse data slices" in m.value for m in at.markdown)


def test_on_a_learners_dataset_without_truth_the_learner_types_the_reference(open_page, store_url):
    from tests.app.test_your_data import REVIEWS, button, workspace_with

    raw = REVIEWS.read_text().replace("true_label", "comment").encode()
    ws = workspace_with(store_url, raw)
    setup = open_page("pages/your_data.py", ws=ws)
    truth = next(s for s in setup.selectbox if s.label.startswith("Known-true"))
    truth.set_value(truth.options[0]).run()  # none
    button(setup, "Use this dataset").click().run()
    key = setup.session_state["scenario"].dataset
    at = open_page(PAGE, ws=ws, dataset=key, noise="none", rate="0", seed="0")
    assert not at.exception
    at.number_input[0].set_value(90.0).run()
    table = frame_of(at, "potential")
    assert (table["reference"] == 0.9).all()


def test_review_this_slice_opens_fix_the_labels_on_it_and_the_gain_is_measured(open_page):
    at = open_page(PAGE, dataset="digits", noise="systematic", rate="30", seed="0")
    top = frame_of(at, "potential")["slice"].iloc[0]
    assert at.selectbox(key="slice_to_review").value == top  # the table's first row
    next(b for b in at.button if b.label == "Review this slice").click().run()
    assert not at.exception and at.title[0].value == "Fix the labels"
    assert any(t.value == top for t in at.text)  # the slice, named as text above the card
    at.switch_page("pages/fix_labels.py").run()  # AppTest reruns the page it was told, not the one switched to
    assert any(t.value == top for t in at.text)
    card = next(m.value for m in at.markdown if m.value.startswith("**Review item "))
    in_queue = int(card.split("; ")[1].split(" in the queue")[0])
    assert 0 < in_queue < 1257 - 1  # only the slice's training items are queued (digits has 1,257)
    next(b for b in at.button if b.label.startswith("Label is right")).click().run()
    assert next(m.value for m in at.markdown if m.value.startswith("**Review item ")) != card
    at.switch_page(PAGE).run()
    assert any("Since you chose it, your slice moved" in box.value for box in at.info)


def button(at, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def test_on_the_under_represented_scenario_collecting_the_top_slice_is_logged_measured_and_undone(open_page):
    from itertools import permutations

    from datacentric.lab.prepare import prepare
    from datacentric.lab.scenario import Scenario

    planted = prepare(Scenario("digits", "scarce", 0, 0, reserve=10)).planted
    at = open_page(PAGE, dataset="digits", noise="scarce", rate="0", seed="0", reserve="10")
    assert not at.exception
    table = frame_of(at, "potential")
    top = table["slice"].iloc[0]
    assert top in {" and ".join(order) for order in permutations(planted)}  # the planted slice leads the table
    assert at.selectbox(key="slice_to_review").value == top
    button(at, "Collect more data for this slice").click().run()
    assert not at.exception
    assert any("Collected 30 rows from the reserve into training" in box.value for box in [*at.success, *at.info])
    table = frame_of(at, "potential").set_index("slice")
    assert float(table.loc[top, "measured"]) > 0  # measured, beside the potential gain it predicted
    assert any("Since you chose it, your slice moved +" in box.value for box in at.info)
    ws = at.session_state["workspace"]
    again = open_page(PAGE, dataset="digits", noise="scarce", rate="0", seed="0", reserve="10", ws=ws)
    assert any("Since you chose it, your slice moved +" in box.value for box in again.info)  # kept in the workspace
    assert again.selectbox(key="slice_to_review").value == top
    button(at, "Undo the last collection (30 rows)").click().run()
    assert not at.exception
    assert not any(b.label.startswith("Undo the last collection") for b in at.button)


def test_without_a_reserve_the_page_offers_to_start_the_scenario_with_one(open_page):
    at = open_page(PAGE, dataset="digits", noise="systematic", rate="30", seed="0")
    assert not any(b.label == "Collect more data for this slice" for b in at.button)
    button(at, "Start this scenario with a 10 % reserve").click().run()
    assert not at.exception and at.session_state["scenario"].reserve == 10
    assert any(b.label == "Collect more data for this slice" for b in at.button)


def test_a_saved_slice_joins_the_tables_is_shown_as_text_and_can_be_removed(open_page):
    at = open_page(PAGE, dataset="breast_cancer", noise="uniform", rate="20", seed="0")
    at.selectbox(key="slice_kind").set_value("range").run()
    at.number_input(key="bulk_range_low_mean radius").set_value(15.0).run()  # the larger tumours
    name = "<b>big</b> **tumours** [x](http://e.com)"
    at.text_input(key="slice_name").set_value(name).run()
    button(at, "Save this slice").click().run()
    assert not at.exception
    saved = name + YOURS
    assert saved in list(frame_of(at, "potential")["slice"])
    assert any(t.value.startswith(saved + ":") for t in at.text)
    assert not any("<b>big</b>" in m.value or "**tumours**" in m.value for m in at.markdown)
    at.selectbox(key="slice_to_review").set_value(saved).run()
    button(at, "Review this slice").click().run()
    at.switch_page("pages/fix_labels.py").run()
    assert any(t.value == saved for t in at.text)  # named as text above the card
    card = next(m.value for m in at.markdown if m.value.startswith("**Review item "))
    assert 0 < int(card.split("; ")[1].split(" in the queue")[0]) < 398  # the queue narrowed to the saved slice
    at.switch_page(PAGE).run()
    button(at, "Remove").click().run()
    assert saved not in list(frame_of(at, "potential")["slice"])


def test_a_label_filter_cannot_make_a_slice_and_an_empty_name_is_refused(open_page):
    at = open_page(PAGE, dataset="digits", noise="uniform", rate="20", seed="0")
    assert set(at.selectbox(key="slice_kind").options) <= {
        "a number between",
        "text contains",
        "text matches a regular expression",
        "a category is one of",
    }
    button(at, "Save this slice").click().run()
    assert any("Give the slice a name" in w.value for w in at.warning)


def test_the_replay_spends_the_budget_three_ways(open_page):
    at = open_page(PAGE, dataset="digits", noise="scarce", rate="0", seed="0", reserve="10")
    at.toggle(key="collect_replay").set_value(True).run()
    assert not at.exception
    line = next(t.value for t in at.text if "after 30 rows" in t.value)
    assert "the top slice:" in line and "random rows:" in line and "the lowest-priority slice:" in line
