"""The learner's own slices: column filters saved by name in the workspace, per dataset (they read its columns),
and the slice chosen on Find the weak slice, kept per scenario."""

from __future__ import annotations

import streamlit as st

from datacentric.common.display import plain
from datacentric.findings import filters, slices
from datacentric.lab import cuts
from datacentric.lab.lab import Lab
from datacentric.lab.scenario import Scenario
from datacentric.ui import keys, session

TOPIC = "slice/"  # saved slices are events under this topic and the dataset's key
FOCUS_TOPIC = "focus/"  # the same, kept in the workspace per scenario


def saved(scenario: Scenario, lab: Lab) -> list[cuts.Slice]:
    """The learner's saved slices on this dataset; one whose filter no longer reads is left out, and said."""
    topic = TOPIC + scenario.dataset
    records = session.records(topic)
    found = []
    for name, row_filter in slices.saved_filters(records).items():
        try:
            found.append(slices.saved(lab, name, row_filter))
        except filters.FilterError as problem:
            st.warning(plain(f"Your slice {name!r} cannot be read here: {problem}"), icon=":material/filter_alt_off:")
    return found


def save(scenario: Scenario, name: str, row_filter: filters.RowFilter) -> None:
    session.add_event(TOPIC + scenario.dataset, {"name": " ".join(name.split()), "filter": row_filter.to_dict()})


def remove(scenario: Scenario, s: cuts.Slice) -> None:
    session.add_event(TOPIC + scenario.dataset, {"name": s.name.removesuffix(slices.YOURS), "removed": True})


def focus(
    scenario: Scenario, key: tuple[str, ...], name: str, then: float, potential: float, share: float, metric: str
) -> None:
    """Remember the slice the learner chose to work on, with its score and potential gain at that moment: in the
    session, and in the workspace, so a reload or another device measures the gain against the same start."""
    record = {"key": list(key), "name": name, "then": then, "potential": potential, "share": share, "metric": metric}
    st.session_state[keys.SLICE_FOCUS] = {"scenario": scenario, **record, "key": tuple(key)}
    session.add_event(FOCUS_TOPIC + scenario.slug, record)


def focused(scenario: Scenario) -> dict | None:
    """The slice chosen on Find the weak slice for this scenario, or None."""
    chosen = st.session_state.get(keys.SLICE_FOCUS)
    if chosen and chosen["scenario"] == scenario and not session.read_only():  # a view follows the owner's choice
        return chosen if "key" in chosen else None
    topic = FOCUS_TOPIC + scenario.slug
    records = session.records(topic)  # not a longer slug alike
    last = records[-1] if records else {}
    chosen = {"scenario": scenario, **last, "key": tuple(last["key"])} if last.get("key") else {"scenario": scenario}
    st.session_state[keys.SLICE_FOCUS] = chosen  # read once per session
    return chosen if "key" in chosen else None


def unfocus() -> None:
    scenario = session.current_scenario()
    st.session_state[keys.SLICE_FOCUS] = {"scenario": scenario}
    if session.workspace_id():
        session.add_event(FOCUS_TOPIC + scenario.slug, {"cleared": True})
