"""Fix the labels: the data-centric loop. The model stays fixed; every label action retrains it."""

import streamlit as st

from datacentric.ui import exports, headline, review_loop, session, widgets

scenario = session.current_scenario()
model = widgets.opened(scenario).fixed_model
scenario, lab = widgets.page_intro(
    "Fix the labels",
    f"The fixed model is **{model.in_sentence}**: {model.summary} It never changes here; only the training labels do.",
    "pages/fix_labels.py",
)
if lab.dataset.is_users or scenario.holdout:
    st.caption(lab.grading_note)
headline.pick(lab, "fix_labels")

review_loop.show(scenario)

with st.expander("Export your cleaned data", icon=":material/download:"):
    exports.export_buttons(scenario)
