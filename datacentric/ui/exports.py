"""Download buttons for the cleaned dataset and the action log; the files are built when clicked.

The buttons keep their builders with the session until the download: they hold the scenario and the
workspace id, and find the lab in the shared cache when clicked, so a session never pins a dataset.
"""

from __future__ import annotations

import re

import streamlit as st

from datacentric.lab.scenario import Scenario
from datacentric.ui import services, session


def export_buttons(scenario: Scenario) -> None:
    """Two downloads, built from the store at click time so they include the latest action."""
    from datacentric.present import export

    ws = session.workspace_id()
    session.lab(scenario)  # refused here, in the page's run, rather than at the click
    name = re.sub(r"[^A-Za-z0-9]+", "-", session.title()).strip("-").lower() or "dataset"

    def log():
        return services.get_store().log(ws, scenario.slug) if ws else []  # outside the session: a read

    def cleaned() -> bytes:
        lab = services.lab_for(ws, scenario)  # at the click, outside the session: the workspace is passed
        return export.to_csv(export.cleaned(lab, lab.state(log())))

    def actions() -> bytes:
        return export.to_csv(export.action_log(services.lab_for(ws, scenario), log()))

    if scenario.holdout:  # a classroom challenge: export.cleaned leaves out the answers
        st.markdown(
            "Your training rows with their `original_label` (where you started), `current_label` and the "
            "`action` you took; removed rows stay, marked. No test item and no true label: during the "
            "challenge they are the answers. The action log lists every step, undos included."
        )
    else:
        st.markdown(
            "Every row of the dataset with its `split`, `original_label` (where you started), `current_label` "
            "and the `action` you took; removed rows stay, marked. The action log lists every step, undos "
            "included."
        )
    left, right = st.columns(2)
    left.download_button(
        "Cleaned dataset (CSV)",
        data=cleaned,
        file_name=f"{name}-cleaned.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/table:",
        key="export_cleaned",
    )
    right.download_button(
        "Action log (CSV)",
        data=actions,
        file_name=f"{name}-actions.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/history:",
        key="export_log",
    )
