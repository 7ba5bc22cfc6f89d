"""Find the weak slice's actions: collect more of a slice from the reserve (and undo it), the learner's own
slices (a column filter saved by name), and the replay of a budget spent three ways.

Callbacks take the scenario, never the lab (see ``review_loop``): the lab lives in the shared cache.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from datacentric.common.display import plain
from datacentric.findings import collect, filters, slices
from datacentric.lab import commands, cuts, worklog
from datacentric.lab.lab import Lab
from datacentric.lab.scenario import SCARCE_RESERVE, Scenario
from datacentric.lab.worklog import Action
from datacentric.present import charts
from datacentric.ui import bulk, headline, keys, myslices, review_loop, services, session, widgets


def define(scenario: Scenario, lab: Lab, mine: list[cuts.Slice]) -> None:
    """Save a filter on a column (as in Fix the labels' filter) as a named slice; list and remove saved ones."""
    with st.expander("Your own slices: a filter on a column, saved by name", icon=":material/bookmark_add:"):
        readable = filters.columns(lab)
        kinds = [k for k in filters.READS if bulk.usable(k, readable)]
        left, right = st.columns([1, 2])
        kind = left.selectbox("Rows where", kinds, format_func=filters.KINDS.get, key="slice_kind")
        try:
            row_filter = bulk.inputs(right, kind, lab, readable, None)
            name = st.text_input(
                "Name of the slice",
                max_chars=slices.MAX_NAME,
                key="slice_name",
                placeholder="for example: long reviews",
            )
            if st.button("Save this slice", icon=":material/bookmark_add:", key="save_slice", **session.writable()):
                made = slices.saved(lab, name, row_filter)  # checks it reads before it is kept
                if not made.test.any():
                    raise filters.FilterError("No test item matches it, so it has nothing to score.")
                myslices.save(scenario, name, row_filter)
                st.rerun()
        except filters.FilterError as problem:
            st.warning(plain(str(problem)), icon=":material/filter_alt_off:")
        for s in mine:
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.text(f"{s.name}: {int(s.test.sum())} test items, {int(s.train.sum())} training rows")  # as text
            if right.button(
                "Remove", key=f"remove_slice_{s.name}", icon=":material/delete:", wrap=True, **session.writable()
            ):
                myslices.remove(scenario, s)
                st.rerun()


def collect_more(scenario: Scenario, lab: Lab, now: worklog.LabelState, chosen: cuts.Slice, focus: tuple) -> None:
    """Collect rows of the chosen slice from the reserve, up to a budget the learner sets: one logged action,
    checked against what the page showed, then retrained. ``focus``: ``myslices.focus``'s arguments after
    the scenario, so the page can measure the gain against the potential it predicted."""
    if not lab.reserve.any():
        st.caption(
            "This scenario holds no rows back, so there is nothing to collect. Start it again with a reserve "
            "(a new scenario: holding rows back changes the training set)."
        )
        if st.button(f"Start this scenario with a {SCARCE_RESERVE} % reserve", icon=":material/inventory_2:"):
            session.set_scenario(dataclasses.replace(scenario, reserve=SCARCE_RESERVE))
            st.rerun()
        return
    free = int(collect.available(now, chosen.train).sum())
    if not free:
        st.caption("No row of this slice is left in the reserve.")
        return
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    k = left.number_input(
        f"Rows to collect (the reserve holds {free:,} of this slice)",
        1,
        free,
        min(collect.BUDGET, free),
        key=f"{keys.COLLECT_BUDGET}_{free}",
    )
    actions = collect.draw(lab, now, chosen.train, int(k))
    seen = worklog.seen(now, [a.item for a in actions])
    right.button(
        "Collect more data for this slice",
        icon=":material/add_circle:",
        on_click=_collect,
        args=(scenario, actions, seen, focus),
        key=f"collect_v{now.version}",
        width="stretch",
        wrap=True,
        help="Draws labelled rows of the slice from the reserve into training; one undo takes them back.",
        **session.writable(),
    )


def _collect(scenario: Scenario, actions: list[Action], seen: worklog.Seen, focus: tuple) -> None:
    if review_loop.act(scenario, actions, seen, commands.collect):
        myslices.focus(scenario, *focus)


def feedback(scenario: Scenario, lab: Lab, now: worklog.LabelState) -> None:
    """What the last action did (the review loop's words), while it is the latest; an undo for a collection; and
    when training holds too little to learn from (a log stored before the floor), why, with an undo."""
    review_loop.last_change(scenario, now)
    stranded = lab.shortfall(now)
    if stranded:
        back = " or collect rows of a slice below" if lab.reserve.any() else ""
        st.warning(
            plain(stranded + (f" Undo the last action{back} to give it enough to learn from." if now.groups else "")),
            icon=":material/block:",
        )
    if now.groups and now.groups[-1][0].kind == "collect":
        review_loop.action_button(
            f"Undo the last collection ({len(now.groups[-1])} rows)",
            scenario,
            now,
            [Action("undo")],
            key="undo_collect",
            icon=":material/undo:",
        )
    elif stranded and now.groups:
        review_loop.undo_button(scenario, now)


def spend_budget(scenario: Scenario, lab: Lab, metric: str, level: float | None) -> None:
    """The budget spent three ways from the scenario's start: the top slice, random rows, the lowest-priority slice."""
    st.header("Where does a budget of new data go furthest?")
    if not lab.reserve.any():
        st.caption("This scenario holds no rows back: start it with a reserve to replay collecting.")
        return
    budget = collect.BUDGET
    st.caption(
        f"A replay from the start of this scenario, the same for everyone: {budget} rows collected "
        f"{collect.STEP} at a time from the slice at the top of the priority table, from random rows (with "
        "that slice at its share of the data), and from the lowest-priority slice that shares no row with it."
    )
    if not st.toggle("Replay it", key="collect_replay"):
        return
    curves = services.spend(scenario, budget, metric, level)
    words = {"top": "the top slice", "random": "random rows", "lowest": "the lowest-priority slice"}
    curves = curves.assign(
        way=[f"{words[a]}: {s}" if a != "random" else words[a] for a, s in zip(curves["arm"], curves["slice"])]
    )
    widgets.chart(charts.collected(curves, headline.name(metric)))
    end = curves.groupby("arm", sort=False)["value"].last()  # in the caption's order: top, random, lowest
    start = curves["value"].iloc[0]
    st.text(
        "; ".join(f"{words[a]}: {(end[a] - start) * 100:+.1f} points" for a in end.index)
        + f" of test {headline.in_sentence(metric)} after {budget} rows."
    )
    if "lowest" not in end.index:
        st.caption("No other slice apart from the top one has rows in the reserve, so the third way is missing.")
    said = collect.why_not_top(lab, {arm: (end[arm] - start) * 100 for arm in end.index})
    if said:
        st.info(said, icon=":material/info:")
        made_for = collect.made_for_slices(scenario.seed)
        if scenario != made_for and st.button(
            "Try the page where one slice is missing and no label is wrong",
            icon=":material/science:",
            key="slices_made_for",
        ):
            session.set_scenario(made_for)
            st.rerun()


def measured(table, focus: dict | None, by_name: dict, lab: Lab, predicted: np.ndarray, metric: str):
    """The priority table with the measured gain (points of the whole, as text: blank on the other rows) of the
    slice chosen last, beside its potential gain; and how far the slice moved (points of itself), or None."""
    if not focus or focus["metric"] != metric or focus["name"] not in by_name:
        return table, None
    moved = (slices.score(by_name[focus["name"]], lab, predicted, metric) - focus["then"]) * 100
    table = table.copy()
    words = np.where(table["slice"] == focus["name"], f"{moved * focus['share']:+.2f}", "")
    table.insert(table.columns.get_loc("potential") + 1, "measured", words)  # beside the gain it predicted
    return table, moved
