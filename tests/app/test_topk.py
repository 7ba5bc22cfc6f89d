"""Fix the labels' "Accept the top k": bounded by the calibrated estimate, previewed by class, warned by the learner's
own reviews."""

import numpy as np

from datacentric.findings import issues, review
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action
from datacentric.persistence.store import Store

PAGE = "pages/fix_labels.py"
SCENARIO = Scenario("digits", "uniform", 20, 0)


def ranked():
    """The page's ranked queue and calibrated estimate at the start, through the core."""
    lab = prepare(SCENARIO)
    kept = lab.state([]).kept
    probs = issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept)
    return (
        lab,
        issues.rank_label_issues(lab.noisy_labels, probs, kept),
        issues.estimate_issue_count(lab.noisy_labels, probs, kept),
    )


def accept_button(at):
    return next(b for b in at.button if b.label.startswith("Accept the top "))


def test_the_top_k_is_previewed_by_class_and_past_the_estimate_waits_for_a_tick(open_page):
    lab, queue, estimate = ranked()
    at = open_page(PAGE, **SCENARIO.to_params())
    assert any(
        f"About **{estimate}** of the labels left to review are wrong, by cleanlab's count" in m.value
        for m in at.markdown
    )
    k = at.number_input(key="batch_size").value
    assert k == min(review.BATCH_DEFAULT, estimate)
    flow = next(d.value for d in at.dataframe if list(d.value.columns) == ["class", "rows in use", "out", "in"])
    assert flow["class"].tolist() == list(lab.dataset.classes)
    moves = [a for a in review.accept_top(queue, k) if a.kind == "relabel"]
    assert flow["out"].sum() == flow["in"].sum() == len(moves)
    assert flow["rows in use"].tolist() == np.bincount(lab.noisy_labels, minlength=len(lab.dataset.classes)).tolist()
    assert not accept_button(at).disabled

    at.number_input(key="batch_size").set_value(estimate + 1).run()
    assert any(
        f"{estimate + 1} is more than the {estimate} labels cleanlab estimates" in w.value.replace("\\", "")
        for w in at.warning
    )
    assert accept_button(at).disabled
    next(c for c in at.checkbox if c.label.startswith(f"Accept {estimate + 1} anyway")).check().run()
    assert not accept_button(at).disabled


def test_suggestions_the_learner_kept_the_label_against_warn_before_a_batch(open_page, store_url):
    lab, queue, _ = ranked()
    at = open_page(PAGE, **SCENARIO.to_params())
    next(b for b in at.button if b.label.startswith("Label is right")).click().run()  # the workspace's first action
    assert not any("You kept the given label" in w.value.replace("\\", "") for w in at.warning)
    store, ws = Store(store_url), at.session_state["workspace"]
    done = {a.item for a in store.log(ws, SCENARIO.slug)}
    differing = [int(i) for i in queue[queue["suggested"] != queue["given"]]["item"] if i not in done]
    for item in differing[: review.MIN_CHECKED]:  # one by one, each its own action: the label kept every time
        store.append(ws, SCENARIO.slug, [Action("confirm", item)])
    at.run()
    assert not at.exception, at.exception
    checked = review.checked_suggestions(lab.noisy_labels, lab.state(store.log(ws, SCENARIO.slug)), queue)
    assert checked.doubtful and checked.kept == checked.reviewed >= review.MIN_CHECKED
    said = [w.value.replace("\\", "") for w in at.warning if "You kept the given label" in w.value]
    assert len(said) == 1
    assert f"on {checked.kept} of the {checked.reviewed} suggestions you reviewed one by one" in said[0]
