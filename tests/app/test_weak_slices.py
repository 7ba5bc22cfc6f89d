"""Find the weak slice: runs on every built-in dataset and on a learner's, with its tables and the lesson link."""
import pytest

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
    assert list(table["potential"].dropna()) == sorted(table["potential"].dropna(), reverse=True)
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
