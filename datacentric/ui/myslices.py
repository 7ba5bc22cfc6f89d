"""The learner's own slices: column filters saved by name in the workspace, per dataset (they read its columns)."""
from __future__ import annotations

import streamlit as st

from datacentric import filters, slices
from datacentric.display import plain
from datacentric.lab import Lab
from datacentric.scenario import Scenario
from datacentric.ui import state

TOPIC = "slice/"  # saved slices are events under this topic and the dataset's key


def saved(scenario: Scenario, lab: Lab) -> list[slices.Slice]:
    """The learner's saved slices on this dataset; one whose filter no longer reads is left out, and said."""
    topic = TOPIC + scenario.dataset
    records = [r for name, r in state.events(topic) if name == topic]
    found = []
    for name, row_filter in slices.saved_filters(records).items():
        try:
            found.append(slices.saved(lab, name, row_filter))
        except filters.FilterError as problem:
            st.warning(plain(f"Your slice {name!r} cannot be read here: {problem}"), icon=":material/filter_alt_off:")
    return found


def save(scenario: Scenario, name: str, row_filter: filters.RowFilter) -> None:
    state.add_event(TOPIC + scenario.dataset, {"name": " ".join(name.split()), "filter": row_filter.to_dict()})


def remove(scenario: Scenario, s: slices.Slice) -> None:
    state.add_event(TOPIC + scenario.dataset, {"name": s.name.removesuffix(slices.YOURS), "removed": True})
