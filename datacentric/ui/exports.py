"""Download buttons for the cleaned dataset and the action log; the files are built when clicked."""
from __future__ import annotations

import re

import streamlit as st

from datacentric.lab import Lab
from datacentric.ui import cached, state


def export_buttons(lab: Lab) -> None:
    """Two downloads, built from the store at click time so they include the latest action."""
    from datacentric import export, workspace

    store, ws, scenario = cached.get_store(), state.workspace_id(), state.current_scenario()
    name = re.sub(r"[^A-Za-z0-9]+", "-", state.title()).strip("-").lower() or "dataset"

    def log():
        return store.log(ws, scenario.slug) if ws else []

    def cleaned() -> bytes:
        return export.to_csv(export.cleaned(lab, workspace.replay(lab.noisy_labels, log())))

    def actions() -> bytes:
        return export.to_csv(export.action_log(lab, log()))

    st.markdown("Every row of the dataset with its `split`, `original_label` (where you started), `current_label` "
                "and the `action` you took; removed rows stay, marked. The action log lists every step, undos included.")
    left, right = st.columns(2)
    left.download_button("Cleaned dataset (CSV)", data=cleaned, file_name=f"{name}-cleaned.csv", mime="text/csv",
                         on_click="ignore", icon=":material/table:", key="export_cleaned")
    right.download_button("Action log (CSV)", data=actions, file_name=f"{name}-actions.csv", mime="text/csv",
                          on_click="ignore", icon=":material/history:", key="export_log")
