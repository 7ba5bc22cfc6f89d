"""After deployment: the model trained on your labels meets a drifting stream of weekly batches. Monitor each
week, label a budget of its items by a strategy, retrain, and replay every strategy on the same stream."""

import streamlit as st

from datacentric.deployment import progress, weeks
from datacentric.ui import deployment, session, widgets

scenario, lab = widgets.page_intro(
    "After deployment",
    "The fixed model, trained on your current labels, is deployed. Week by week it meets new "
    "items drawn from the rows the scenario held back, changed by the drift you schedule. Watch what monitoring "
    "sees without labels, label a few items a week, and see whether the model recovers.",
    "pages/deployment.py",
    scored_on="Every score on this page is on the stream: each week's items from the half of the held-back rows "
    "that nobody labels. The test split is not used here.",
)
if not deployment.needs_a_reserve(scenario, lab):
    schedule = deployment.current_schedule()
    st.text(schedule.describe())  # from the URL: shown as text
    deployment.schedule_form(schedule)
    now = lab.state(session.log())
    batch = weeks.week_size(lab, schedule, now.kept)
    if batch < schedule.batch:
        st.caption(
            f"This scenario holds back {len(weeks.pool_of(lab, now.kept))} rows for the stream, so a week "
            f"brings {batch} items, not {schedule.batch}."
        )
    plan = deployment.my_plan(scenario, schedule)
    stream = progress.topic(scenario.slug, schedule)
    lived = deployment.lived(lab, now.labels, now.kept, schedule, plan)
    week = lived[-1]
    finished = len(plan) >= schedule.weeks

    st.header(f"Week {week.week} of {schedule.weeks}" + (" (the last)" if week.week == schedule.weeks else ""))
    deployment.week_figures(week, stream, closed=finished)
    with st.expander("Drift per feature, predictions and confidence", icon=":material/monitoring:"):
        deployment.drift_table(lab, week)
        deployment.distributions(lab, week, week.reference)
    if finished:
        st.success(f"The stream is over: {schedule.weeks} weeks lived.", icon=":material/flag:")
    else:
        deployment.label_form(scenario, schedule, week)
    deployment.history(lived, schedule, plan, stream)
    deployment.restart(scenario, schedule)

    st.header("Replay: every strategy at the same budget")
    st.markdown(
        "The same stream from the same start, each strategy labelling the same number of items a week, "
        "beside never retraining (the floor) and labelling every item offered (an unlimited budget). Every "
        "way is scored on the same items of each week, which nobody labels. Deterministic, and shared by "
        "everyone on the server once computed."
    )
    deployment.compare_strategies(lab, now.labels, now.kept, schedule, batch)
