"""Fix the labels' filter over the training rows: what it picks, with a count and a sample, before one action
removes or restores them all (the buttons are the review loop's, so the action is checked and logged like any)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from datacentric.common.display import NAME_CHARS, plain, shorten
from datacentric.findings import filters
from datacentric.findings.problems import KINDS, Problems
from datacentric.lab.lab import Lab
from datacentric.lab.worklog import LabelState
from datacentric.ui import keys, session, widgets

ALL = "all"


def queue_choice() -> str:
    """The problem the review card's queue is narrowed to (ALL for every ranked item); read before it is drawn."""
    session.kept(keys.QUEUE_PROBLEM, ALL)
    return st.session_state[keys.QUEUE_PROBLEM]


def found_problems(found: Problems | None, look: Callable[[Callable[[float, str], None]], Problems]) -> Problems | None:
    """Datalab's findings, one line per kind with its count and what it means, and a choice of which to review one
    by one; when there are none yet, a button that calls ``look(on_progress)`` to find them, with its steps shown.
    Returns the findings (None while there are none)."""
    if found is None:
        st.markdown(
            "**Problems beyond wrong labels**: outliers, near-duplicates, training rows also in the test "
            "set, a rare class, rows of a different kind, numbers out of range, junk text."
        )
        if not st.button("Look for them (cleanlab Datalab)", icon=":material/troubleshoot:", key="find_problems"):
            return None
        with st.status("Looking for data problems...", expanded=True) as status:
            found = look(lambda done, text: status.update(label=text))
            status.update(label="Done", state="complete", expanded=False)
    st.markdown(
        "**Problems beyond wrong labels** (cleanlab Datalab and the rows' own values, on the labels of the last "
        "re-rank). Review one "
        "kind one item at a time in the card above, or pick it below as the filter to act on all its rows."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "problem": [k.name for k in KINDS.values()],
                "rows": [found.count(key) for key in KINDS],
                "what it means": [k.explain for k in KINDS.values()],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={"what it means": st.column_config.TextColumn(width="large")},
    )
    options = [ALL, *KINDS]
    st.selectbox(
        "The review card shows",
        options,
        key=keys.QUEUE_PROBLEM,
        on_change=_keep_queue_choice,
        format_func=lambda k: "every ranked item" if k == ALL else f"only {KINDS[k].name.lower()} ({found.count(k)})",
    )
    return found


def _keep_queue_choice() -> None:
    st.session_state[session.shadow_of(keys.QUEUE_PROBLEM)] = st.session_state[keys.QUEUE_PROBLEM]


def choose(lab: Lab, now: LabelState, suggested: np.ndarray, found: Problems | None) -> tuple[np.ndarray, str] | None:
    """Draw the filter; (the picked training items, the filter in words), or None when it cannot run (it says why)."""
    readable = filters.columns(lab)
    kinds = [k for k in filters.KINDS if usable(k, readable) and (k != "problem" or found is not None)]
    left, right = st.columns([1, 2])
    kind = left.selectbox("Pick rows where", kinds, format_func=filters.KINDS.get, key=keys.BULK_KIND)
    try:
        row_filter = inputs(right, kind, lab, readable, found)
        picked = filters.matches(lab, now, row_filter, suggested, found)
    except filters.FilterError as problem:
        st.warning(plain(str(problem)), icon=":material/filter_alt_off:")
        return None
    if row_filter.unset:  # nothing is picked until the learner says what to pick
        st.caption(row_filter.unset)
    in_use, removed = int((picked & now.kept).sum()), int((picked & ~now.kept).sum())
    st.markdown(
        f"**{int(picked.sum()):,}** of {int(now.reachable.sum()):,} training rows match ({in_use:,} in use, "
        f"{removed:,} removed)."
    )
    shown = filters.sample(picked)
    if shown:
        st.caption("The first of them:")
        texts = widgets.snippets(lab, shown)
        for item, text in zip(shown, texts or [None] * len(shown)):
            st.text(f"item {item} · {lab.dataset.classes[now.labels[item]]}" + (f" · {text}" if text else ""))
    return picked, row_filter.describe()


def usable(kind: str, readable: dict[str, str]) -> bool:
    needs = filters.READS.get(kind)
    return needs is None or needs in readable.values()


def inputs(place, kind: str, lab: Lab, readable: dict[str, str], found: Problems | None) -> filters.RowFilter:
    """The inputs of one kind of filter, drawn in ``place``; the filter they make."""
    classes = lab.dataset.classes
    if kind == "problem":
        problem = place.selectbox(
            "Problem",
            list(KINDS),
            index=None,
            key="bulk_problem",
            placeholder="Choose a problem",
            format_func=lambda k: f"{KINDS[k].name} ({found.count(k)})",
        )
        if problem is not None:
            place.caption(KINDS[problem].explain)
        return filters.RowFilter(kind, values=(problem,) if problem is not None else ())
    if kind in ("given", "suggested"):
        picked = place.multiselect(
            "Classes", range(len(classes)), format_func=lambda c: shorten(classes[c]), key=f"bulk_{kind}_classes"
        )
        return filters.RowFilter(kind, values=tuple(picked))
    role = filters.READS[kind]
    names = [c for c, r in readable.items() if r == role]
    column, value, *upto = place.columns(3 if kind == "range" else 2)  # a range: its two ends side by side
    name = column.selectbox("Column", names, format_func=lambda c: shorten(c, NAME_CHARS), key=f"bulk_{kind}_column")
    if kind in ("contains", "regex"):
        text = value.text_input(
            "Text" if kind == "contains" else "Pattern",
            key=f"bulk_{kind}_text",
            help=None if kind == "contains" else "Python regular expression, case ignored.",
        )
        return filters.RowFilter(kind, name, text=text)
    values = filters.column_values(lab, name)
    if kind == "range":
        numbers = pd.to_numeric(values, errors="coerce").dropna()
        if numbers.empty:
            raise filters.FilterError(f"{shorten(name)!r} holds no numbers in the training rows.")
        low, high = float(numbers.min()), float(numbers.max())
        # Both ends start empty, so the filter picks nothing until the learner sets one (a slider starts on the
        # whole range, which picked every row); the column's own range is the placeholder.
        step = (high - low) / 100 or 1.0
        span = f"The training rows hold {low:g} to {high:g} here."
        start = value.number_input(
            "From",
            value=None,
            step=step,
            placeholder=f"{low:g}",
            key=f"bulk_range_low_{name}",
            help=f"{span} Leave it empty for no lower bound.",
        )
        end = upto[0].number_input(
            "To",
            value=None,
            step=step,
            placeholder=f"{high:g}",
            key=f"bulk_range_high_{name}",
            help=f"{span} Leave it empty for no upper bound.",
        )
        return filters.RowFilter(kind, name, low=start, high=end)
    options = sorted({str(v) for v in values if v == v})[:200]
    picked = value.multiselect("Values", options, format_func=shorten, key=f"bulk_values_{name}")
    return filters.RowFilter(kind, name, values=tuple(picked))
