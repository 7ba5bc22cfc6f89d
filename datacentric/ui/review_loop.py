"""Fix the labels' review loop: metrics, the review card, actions, charts and the queue, in one fragment.

Callbacks and the fragment take the scenario, never the lab: Streamlit keeps them with the session (for
as long as it may reconnect, and until another session arrives to expire it), so anything they reach
stays in memory. The lab lives in the server's shared cache, within its memory budget.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from datacentric.common.display import NAME_CHARS, counted, plain, shorten
from datacentric.findings import filters, issues, review
from datacentric.findings.issues import random_order
from datacentric.findings.problems import KINDS
from datacentric.lab import commands, cuts, worklog
from datacentric.lab.lab import Lab
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action
from datacentric.present import charts
from datacentric.ui import bulk, headline, keys, myslices, services, session, widgets


class Feedback(enum.StrEnum):
    """How the last action's message is shown: its rise, fall or no change of the headline (``review.Change``'s
    direction), or nothing done."""

    ROSE = "rose"
    FELL = "fell"
    SAME = "same"
    NOTHING_DONE = "nothing done"


@dataclass(frozen=True)
class LastChange:
    """The sentence about what the last action did, keyed by scenario and log version: it is stale as soon as either
    moves on."""

    scenario: Scenario
    version: int
    kind: Feedback
    text: str


def act(
    scenario: Scenario, new_actions: list[Action], seen: worklog.Seen, command: commands.Command = commands.label
) -> bool:
    """Run ``command`` (``commands.label``, ``bulk`` or ``collect``) on the log as it is now, read once, and keep
    what it did for the page's message. True when the actions were written."""
    lab = session.lab(scenario)
    done = command(lab, session.log(), new_actions, seen, write=session.record, read=session.log)
    if done.written:
        st.session_state[keys.LAST_CHANGE] = _what_changed(scenario, lab, done)
    elif not done.repeat:  # a double click: the first one said what it did
        st.session_state[keys.LAST_CHANGE] = LastChange(scenario, done.now.version, Feedback.NOTHING_DONE, done.said)
    return done.written


def _what_changed(scenario: Scenario, lab: Lab, done: commands.Outcome) -> LastChange:
    graded = lab.grading != "none"
    before, after = done.before, done.now
    metric = headline.current(lab)
    change = review.judge_change(
        services.score_of(scenario, before.labels, before.kept, before.copies),
        services.score_of(scenario, after.labels, after.kept, after.copies),
        worth=headline.worth(lab, metric),
        metric=metric,
        noisy=review.noisy_left(lab, after) if graded else None,
        made_wrong=review.made_wrong(lab, before, after) if graded else 0,
    )
    said = review.describe_actions(list(done.actions), lab.dataset.classes)
    if graded and len(done.actions) > 1:
        said += f" ({review.batch_outcome(lab, list(done.actions))})"
    return LastChange(scenario, after.version, Feedback(change.direction), f"{said}: {change.sentence}.")


def last_change(scenario: Scenario, now: worklog.LabelState) -> None:
    """What the last action did, in its colour, while it is still the latest entry of this scenario's log. On a
    phone the buttons sit below the card, so the run right after an action brings this message (and the card
    under it) back into view, once."""
    last = st.session_state.get(keys.LAST_CHANGE)
    if last is not None and (last.scenario, last.version) == (scenario, now.version):
        show_box, icon = FEEDBACK[last.kind]
        with st.container(key=keys.LAST_CHANGE):
            show_box(plain(last.text), icon=icon)
            if st.session_state.get(keys.LAST_CHANGE_SHOWN) != (scenario, now.version):
                st.session_state[keys.LAST_CHANGE_SHOWN] = (scenario, now.version)
                widgets.into_view_on_a_phone(keys.LAST_CHANGE, now.version)


FEEDBACK = {  # how a change is shown: green only for a rise, red for a fall, plain when nothing moved
    Feedback.ROSE: (st.success, ":material/trending_up:"),
    Feedback.FELL: (st.error, ":material/trending_down:"),
    Feedback.SAME: (st.info, ":material/trending_flat:"),
    Feedback.NOTHING_DONE: (st.warning, ":material/sync_problem:"),
}


@st.fragment
def show(scenario: Scenario) -> None:
    """The metrics, the review card, the charts and the queue: reruns alone after each action."""
    session.rerun_app_if_workspace_is_new()
    lab = session.lab(scenario)
    classes = lab.dataset.classes
    graded = lab.grading != "none"  # whether the app knows which labels are wrong
    log = session.log()
    now = lab.state(log)
    start = services.score_of(scenario, lab.noisy_labels)
    score = services.score_of(scenario, now.labels, now.kept, now.copies)
    noisy = review.noisy_left(lab, now)

    m1, m2, m3, m4 = st.columns(4)
    metric = headline.current(lab)
    was, now_value = start.value(metric), score.value(metric)
    low, high = headline.worth(lab, metric)
    m1.metric(
        f"Test {headline.in_sentence(metric)}",
        f"{now_value:.1%}",
        f"{_signed((now_value - was) * 100, 1)} pts since start",
        **_flat_if(not review.moved(was, now_value, low)),
        help=f"On {len(lab.test_index)} test items: one item is "
        + (
            f"{low:.2f} points."
            if round(low, 2) == round(high, 2)
            else f"{low:.2f} to {high:.2f} points, by its class."
        ),
    )
    other = "accuracy" if metric != "accuracy" else "balanced_accuracy"  # what the headline can hide, beside it
    other_moved = score.value(other) - start.value(other)
    m2.metric(
        f"Test {headline.in_sentence(other)}",
        f"{score.value(other):.1%}",
        f"{_signed(other_moved * 100, 1)} pts since start",
        **_flat_if(round(other_moved * 100, 1) == 0),
    )
    if graded:
        fixed = noisy - lab.n_wrong
        m3.metric(
            "Noisy labels left",
            noisy,
            f"{fixed} since start",
            **_flat_if(fixed == 0, color="inverse"),
            help="Training labels still in use that differ from the truth. "
            + (
                "The app knows: it made them wrong."
                if lab.grading == "injected" or not lab.dataset.is_users
                else "The app knows from your column of known-true labels."
            ),
        )
    else:
        m3.metric(
            "Labels changed",
            int((now.labels != lab.noisy_labels).sum()),
            help="Nobody has told the app which labels are truly wrong, so it counts your changes instead.",
        )
    m4.metric(
        "Actions taken",
        now.n_actions,
        # Gray and with no arrow: a count beside the count, not a change.
        delta=f"{counted(now.n_rows_touched, 'row')} touched" if now.n_actions else None,
        delta_color="off",
        delta_arrow="off",
        help=f"{int(now.kept.sum())} of {lab.n_train} training items in use"
        + (f" ({int(now.held.sum())} still in the reserve)" if now.held is not None and now.held.any() else "")
        + (f", {score.n_trained_on} rows with the duplicates." if now.copies is not None else "."),
    )
    last_change(scenario, now)
    stranded = lab.shortfall(now)
    if stranded:  # a log stored before the floor: say so, and point at the way back
        st.warning(
            plain(
                stranded
                + (" Undo the last action, or restore rows, to give it enough to learn from." if now.groups else "")
            ),
            icon=":material/block:",
        )

    rank_state = worklog.ranked_state(lab.noisy_labels, now, lab.reserve)
    ranked, estimate = services.queue_of(scenario, rank_state.labels, rank_state.kept)
    queue = review.pending(ranked, now)
    session.kept(keys.RANDOM_ORDER, False)  # restored before it is read: the toggle is drawn further down
    if st.session_state[keys.RANDOM_ORDER]:
        queue = review.in_random_order(queue, random_order(lab.n_train, seed=scenario.seed))
    found = services.problems_of(scenario, rank_state.labels, rank_state.kept, compute=False)
    only = bulk.queue_choice()
    if found is not None and only != bulk.ALL:
        queue = queue[found.flags[only][queue["item"].to_numpy()]].reset_index(drop=True)
    focus = myslices.focused(scenario)
    chosen_slice = (
        cuts.find([*services.slices_of(scenario), *myslices.saved(scenario, lab)], focus["key"]) if focus else None
    )
    if chosen_slice is not None:
        queue = queue[chosen_slice.train[queue["item"].to_numpy()]].reset_index(drop=True)

    with st.container(key="stack_review"):  # one column under the other when the page is narrow (presenter.py)
        left, right = st.columns([3, 2], gap="large")
    with left:
        review_card(scenario, lab, queue, now)
        batch_and_rank(scenario, lab, queue, ranked, now, estimate)
        many_rows(scenario, lab, now, ranked, rank_state, found)
    with right:
        frame = services.accuracy_history(scenario, log, metric)
        ceiling = services.score_of(scenario, lab.true_labels).value(metric) if graded else None
        widgets.chart(charts.accuracy_history(frame, ceiling=ceiling, metric=headline.name(metric)))
        widgets.chart(charts.confusion(score.confusion, classes))
    headline.every_metric(
        score.confusion,
        lab,
        f"Every metric, and each class, with your current labels ({headline.in_sentence(metric)} is the headline)",
    )

    st.header("Up next")
    widgets.up_next(lab, queue)

    st.header("Why ranking matters")
    if not graded:
        st.caption(
            "This chart counts the wrong labels a reviewer finds, so it needs to know which labels are wrong: "
            "add noise on Home, or bring a column of known-true labels."
        )
        return
    curves, you = services.found_curves(scenario), review.your_curve(lab, now)
    window = charts.found_window(len(you), lab.n_in_use)
    whole = window is not None and st.toggle(
        f"Show the whole queue ({lab.n_in_use:,} items)", wrap=True, **session.kept(keys.WHOLE_QUEUE, False)
    )
    widgets.chart(charts.found_vs_reviewed(curves, you=you, upto=None if whole else window))
    zoom = (
        f" The chart shows the first {window} items, so your line is visible beside the others."
        if window is not None and not whole
        else ""
    )
    st.caption(
        "How many wrong labels a reviewer finds against how many items they look at: in cleanlab's ranked "
        "order, in random order, and for an oracle that knows the answer. Your own review is the 'you' line." + zoom
    )


def _signed(value: float, digits: int) -> str:
    """'+1.2', '-0.4', and '+0.0' rather than '-0.0' for a value that rounds to nothing."""
    return f"{round(value, digits) + 0.0:+.{digits}f}"


def _flat_if(unchanged: bool, color: str = "normal") -> dict:
    """No arrow and no colour for a delta of zero: nothing has moved yet."""
    return {"delta_color": "off", "delta_arrow": "off"} if unchanged else {"delta_color": color}


def review_card(scenario: Scenario, lab: Lab, queue: pd.DataFrame, now: worklog.LabelState) -> None:
    classes = lab.dataset.classes
    with st.container(border=True):
        focus = myslices.focused(scenario)
        if focus:
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.caption("Reviewing only the slice chosen on Find the weak slice:")
            left.text(focus["name"])  # a learner's column names and values: text
            right.button(
                "Every item",
                on_click=myslices.unfocus,
                key="unfocus_slice",
                width="stretch",
                wrap=True,
                **session.writable(),
            )
        if queue.empty and focus:
            st.info("Nothing of this slice left to review.")
            undo_button(scenario, now)
            return
        if queue.empty and st.session_state.get(keys.QUEUE_PROBLEM, bulk.ALL) != bulk.ALL:
            st.info(
                "Nothing of this kind left to review. Show every ranked item again under 'Problems beyond wrong "
                "labels'."
            )
            undo_button(scenario, now)
            return
        if queue.empty and not now.kept.any():
            st.info("No row is in training, so there is nothing to review. Undo an action to bring rows back.")
            undo_button(scenario, now)
            return
        if queue.empty:
            st.info(
                "Nothing left to review: every item in use has been acted on. Undo an action to look at its item again."
            )
            undo_button(scenario, now)
            return
        item = queue.iloc[0]
        i, given, suggested = int(item["item"]), int(item["given"]), int(item["suggested"])
        order = "random order" if st.session_state.get(keys.RANDOM_ORDER) else "most likely wrong first"
        if st.session_state.get(keys.QUEUE_PROBLEM, bulk.ALL) != bulk.ALL:
            order += f", only {KINDS[st.session_state[keys.QUEUE_PROBLEM]].name.lower()}"
        st.markdown(f"**Review item {i}** ({order}; {len(queue)} in the queue)")
        view, decide = st.columns(2)  # the image stretches to its half; the buttons need the other
        with view:
            widgets.item_view(lab, i, compare=(given, suggested))
        with decide:
            # A metric renders its value as Markdown: class names (a third party's, on a Hub dataset) go as text.
            # Long class names would be cut short side by side; stack them instead.
            g, s = st.columns(2) if max(map(len, classes)) <= 6 else (st.container(), st.container())
            g.metric("Given label", plain(classes[given], limit=NAME_CHARS))
            s.metric(
                "Suggested",
                plain(classes[suggested], limit=NAME_CHARS),
                f"{item['confidence']:.0%} sure",
                delta_color="off",
                delta_arrow="off",
                help="The class the fixed model gives this item when it has not seen it (out-of-fold), and how "
                "sure it is. A model trained on wrong labels can be sure and wrong: look at the item.",
            )
            set_the_label(scenario, lab, now, i, given)
            action_button(
                f"Accept suggestion: {plain(classes[suggested], limit=NAME_CHARS)}",
                scenario,
                now,
                [Action("relabel", i, suggested)],
                key="accept",
                width="stretch",
                disabled=suggested == given,
                shortcut="a",
            )
            # No tooltips on these: one left open after a click would cover the button above.
            action_button(
                "Label is right", scenario, now, [Action("confirm", i)], key="confirm", width="stretch", shortcut="k"
            )
            action_button(
                "Remove from training",
                scenario,
                now,
                [Action("remove", i)],
                key="remove",
                width="stretch",
                shortcut="x",
            )
            if not review.class_keys(classes):  # too many classes for a button each: pick one
                other = st.selectbox(
                    "Relabel to",
                    range(len(classes)),
                    index=suggested,
                    format_func=lambda c: shorten(classes[c]),
                    key=f"relabel_{i}",
                )
                action_button(
                    f"Relabel to {plain(classes[other], limit=NAME_CHARS)}",
                    scenario,
                    now,
                    [Action("relabel", i, other)],
                    key="relabel",
                    width="stretch",
                    disabled=other == given,
                )
            undo_button(scenario, now)
        blind_note(scenario, lab, queue)


def set_the_label(scenario: Scenario, lab: Lab, now: worklog.LabelState, item: int, given: int) -> None:
    """A button a class, each with its number key: the first thing a reviewer does is set the label they see (the
    given one's button confirms it). None stands out: which one is right is the reviewer's to say. With more classes
    than number keys, 'Relabel to' below does it."""
    classes = lab.dataset.classes
    keys = review.class_keys(classes)
    if not keys:
        return
    st.markdown("**What do you see?** Set its label: click the class, or press its key.")
    same = all(name == keys[c] for c, name in enumerate(classes))  # the digits: each button's label is its key
    with st.container(key="keys_same_set_label" if same else "keys_set_label"):  # as many to a row as fit
        row = st.columns(len(classes))
    for c, name in enumerate(classes):
        label = plain(name, limit=NAME_CHARS)  # Streamlit writes the key beside it (presenter.py hides it if the same)
        with row[c]:
            action_button(
                label,
                scenario,
                now,
                [Action("confirm", item)] if c == given else [Action("relabel", item, c)],
                key=f"set_{c}",
                width="stretch",
                shortcut=keys[c],
            )


def blind_note(scenario: Scenario, lab: Lab, queue: pd.DataFrame) -> None:
    """Say, when it is so, that accepting suggestions unchecked would hurt here: of the next cards, how many of the
    suggestions are right (known on graded data only), and for a convention (systematic noise) why."""
    if lab.grading == "none":
        return
    right, shown = review.suggestions_right(lab, queue, review.NEXT_CARDS)
    if shown and right / shown < review.TRUST_SUGGESTIONS:
        note = (
            f"Of the next {shown} cards, the suggestion is the true label for {right}: accepting them unchecked "
            "would make right labels wrong. Look at each item and set the label you see."
        )
        if scenario.noise == "systematic":
            note += (
                " The annotators here followed a convention, and the model learned it: its suggestion is often "
                "the convention itself."
            )
        st.caption(plain(note))


def undo_button(scenario: Scenario, now: worklog.LabelState) -> None:
    action_button(
        "Undo last action",
        scenario,
        now,
        [Action("undo")],
        key="undo",
        icon=":material/undo:",
        width="stretch",
        disabled=not now.groups,
        shortcut="u",
    )


def action_button(
    label: str,
    scenario: Scenario,
    now: worklog.LabelState,
    actions: list[Action],
    *,
    key: str,
    command: commands.Command = commands.label,
    **kwargs,
) -> None:
    """A button that runs ``command`` on ``actions``, and only on what it showed: it carries what the page showed of
    its items, and its key carries the log's version, so a click on a drawing the page has since replaced does
    nothing."""
    seen = worklog.seen(now, [a.item for a in actions if a.item is not None])
    kwargs |= session.writable(kwargs.get("disabled", False))  # a read-only view shows the buttons, off
    kwargs.setdefault("wrap", True)  # a narrow column (150 % zoom) wraps the label rather than cut it to "Accep…"
    st.button(label, on_click=act, args=(scenario, actions, seen, command), key=f"{key}_v{now.version}", **kwargs)


def sweep_confirmed(now: worklog.LabelState, touched: int) -> bool:
    """Whether removing or duplicating ``touched`` rows in use may go ahead: at once, unless it sweeps more than half
    of the rows in use (``filters.sweeping``); then only once the learner has ticked a box that says the count. The
    box's key carries the log's version and the count, so it is unticked again after any action or another filter."""
    in_use = int(now.kept.sum())
    if not filters.sweeping(touched, in_use):
        return True
    return st.checkbox(
        f"Yes, all {touched:,} of the {in_use:,} rows in use: more than half of the training data",
        key=f"bulk_sweep_v{now.version}_{touched}",
        help="A filter this wide may not pick what you meant: check the rows above first. One undo takes it back.",
        **session.writable(),
    )


def many_rows(
    scenario: Scenario, lab: Lab, now: worklog.LabelState, ranked: pd.DataFrame, rank_state: worklog.LabelState, found
) -> None:
    """Data problems beyond wrong labels, and a filter over the training rows (by a problem among others), then
    one action that removes, restores or keeps all it picks."""
    with st.expander("Act on many rows at once", icon=":material/filter_alt:"):
        found = bulk.found_problems(
            found,
            lambda progress: services.problems_of(scenario, rank_state.labels, rank_state.kept, on_progress=progress),
        )
        suggested = np.full(lab.n_train, -1)
        suggested[ranked["item"].to_numpy()] = ranked["suggested"].to_numpy()
        chosen = bulk.choose(lab, now, suggested, found)
        if chosen is None:
            return
        picked, words = chosen
        removal, restoral, keep, twice = (
            filters.bulk(kind, picked, now) for kind in ("remove", "restore", "confirm", "duplicate")
        )
        swept = sweep_confirmed(now, len(removal))
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            action_button(
                f"Remove the {len(removal):,} in use",
                scenario,
                now,
                removal,
                key="bulk_remove",
                command=commands.bulk,
                disabled=not removal or not swept,
                icon=":material/delete_sweep:",
                width="stretch",
                help=plain(f"Rows where {words}: one action, so one undo takes them all back."),
            )
        with c2:
            action_button(
                f"Restore the {len(restoral):,} removed",
                scenario,
                now,
                restoral,
                key="bulk_restore",
                command=commands.bulk,
                disabled=not restoral,
                icon=":material/restore:",
                width="stretch",
            )
        with c3:
            action_button(
                f"Keep the {len(keep):,} unreviewed",
                scenario,
                now,
                keep,
                key="bulk_keep",
                command=commands.bulk,
                disabled=not keep,
                icon=":material/check:",
                width="stretch",
                help="Mark them reviewed as they are: they leave the review queue.",
            )
        with c4:
            action_button(
                f"Duplicate the {len(twice):,} in use",
                scenario,
                now,
                twice,
                key="bulk_duplicate",
                command=commands.bulk,
                disabled=not twice or not swept,
                icon=":material/content_copy:",
                width="stretch",
                help="Each counts once more in training (rebalancing: protect a rare class, then watch "
                "balanced accuracy against accuracy). Undo takes it back.",
            )


def batch_and_rank(
    scenario: Scenario,
    lab: Lab,
    queue: pd.DataFrame,
    ranked: pd.DataFrame,
    now: worklog.LabelState,
    estimate: int,
) -> None:
    classes = lab.dataset.classes
    top = review.top_k(ranked, queue, estimate)
    with st.container(border=True):
        st.markdown(
            f"**Work faster.** About **{top.left}** of the labels left to review are wrong, by cleanlab's count "
            "shrunk so that it does not overshoot.",
            help=f"Its count of label issues, shrunk to {issues.ISSUE_SHRINK:.0%} of itself: on the app's own "
            "examples the whole count overshot, and accepting that many unchecked made right labels wrong. "
            "No k above it is offered by default.",
        )
        most = max(len(queue), 1)
        size = session.kept(keys.BATCH_SIZE, min(top.default, most))
        if session.shadow_of(keys.BATCH_SIZE) not in st.session_state:  # not picked yet: follows what is left
            st.session_state[keys.BATCH_SIZE] = min(top.default, most)
        st.session_state[keys.BATCH_SIZE] = min(st.session_state[keys.BATCH_SIZE], most)  # never more than is left
        k = st.number_input("How many from the top of the queue", min_value=1, max_value=most, step=5, **size)
        past = k > top.left and not queue.empty
        batch = review.accept_top(queue, k)
        if not queue.empty:
            st.caption(
                plain(
                    review.batch_preview(queue, k)
                    + " By class: the rows in use, and how many the batch takes out of each class and brings in."
                )
            )
            st.dataframe(review.class_flow(batch, now, classes), hide_index=True, width="content")
            checked = review.checked_suggestions(lab.noisy_labels, now, ranked)
            for warning in review.batch_warnings(queue, k, now, top.left, classes, checked=checked):
                st.warning(plain(warning), icon=":material/warning:")
        anyway = past and st.checkbox(
            f"Accept {k} anyway: more than the {top.left} estimated wrong",
            key=f"batch_past_v{now.version}_{k}",
            **session.writable(),
        )
        action_button(
            f"Accept the top {k} suggestions",
            scenario,
            now,
            batch,
            key="batch",
            command=commands.bulk,
            disabled=queue.empty or (past and not anyway),
            help="One action for undo: it takes back the whole batch.",
        )
        c1, c2 = st.columns(2)
        with c1:
            action_button(
                "Re-rank with the current labels",
                scenario,
                now,
                [Action("rerank")],
                key="rerank",
                icon=":material/sort:",
                help="Out-of-fold probabilities are computed again from your improved labels, so the ranking improves.",
            )
        c2.toggle(
            "Review in random order",
            help="See how much slower review is without ranking.",
            wrap=True,
            **session.kept(keys.RANDOM_ORDER, False),
        )
        removed = [int(i) for i in (~now.kept & now.reachable).nonzero()[0]]  # the reserve is not "removed"
        if removed:
            c3, c4 = st.columns([2, 1], vertical_alignment="bottom")
            back = c3.selectbox("Removed items", removed)
            with c4:
                action_button("Restore", scenario, now, [Action("restore", back)], key="restore")
