"""After deployment's parts: the drift schedule, the open week's monitoring, labelling on a budget, the weeks so
far, and the replay of every strategy."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import streamlit as st

from datacentric.common.display import plain
from datacentric.common.glossary import gloss
from datacentric.deployment import drift, monitor, plots, progress, verdict, weeks
from datacentric.deployment.strategies import STRATEGIES
from datacentric.lab.lab import Lab
from datacentric.lab.scenario import Scenario
from datacentric.ui import keys, services, session, widgets

CONFIDENCE_BINS = np.linspace(0, 1, 6)


def current_schedule() -> drift.Schedule:
    """The session's schedule (from the URL, kept across pages by ``state.sync_url``), or the default; a code
    that cannot be read is named in a warning and dropped."""
    return session.from_url_copy("drift", drift.parse_schedule) or drift.DEFAULT_SCHEDULE


def needs_a_reserve(scenario: Scenario, lab: Lab) -> bool:
    """True (and says what to do) when the scenario holds back too few training rows to draw weeks from, or its
    data cannot drift here (text columns)."""
    if lab.sparse:
        st.info(
            "This dataset has text columns: the drift schedules here change numbers and images, not words. Try "
            "a built-in dataset, or your data without its text columns.",
            icon=":material/info:",
        )
        return True
    if scenario.noise == "scarce":
        st.info(
            "The under-represented kind keeps its missing slice in the reserve, so a stream drawn from it would "
            "be full of that slice whatever the schedule. Pick another noise kind on Home to deploy.",
            icon=":material/info:",
        )
        return True
    if lab.reserve.sum() >= weeks.MIN_POOL:
        return False
    st.info(
        f"The deployed model meets new data week by week, drawn from training rows the scenario holds back (its "
        f"reserve) and not collected since. This scenario has {int((lab.reserve & ~lab.in_use).sum())}: it needs "
        f"at least {weeks.MIN_POOL}. Holding rows back makes another scenario, with its own work: your label "
        "actions on this one stay with it.",
        icon=":material/inventory_2:",
    )
    if st.button(
        f"Hold back {weeks.DEPLOY_RESERVE} % of the training rows as the stream",
        type="primary",
        icon=":material/inventory_2:",
        key="hold_back",
        **session.writable(),
    ):
        session.set_scenario(dataclasses.replace(scenario, reserve=weeks.DEPLOY_RESERVE))
        st.rerun()
    return True


def schedule_form(current: drift.Schedule) -> None:
    """The drift's kind, its start and the weeks; submitting puts the schedule in the URL and starts afresh."""
    with st.form("schedule_form", border=True):
        st.markdown("**The drift schedule**")
        kind = st.radio(
            "What changes",
            list(drift.KINDS),
            list(drift.KINDS).index(current.kind),
            format_func=lambda k: drift.KINDS[k].split(":")[0],
            horizontal=True,
            help="  \n".join(drift.KINDS.values()),
        )
        c1, c2, c3 = st.columns(3)
        count = c1.number_input("Weeks", 2, drift.MAX_WEEKS, current.weeks)
        start = c2.number_input("The drift starts in week", 1, drift.MAX_WEEKS, current.start)
        batch = c3.number_input("Items a week", 10, drift.MAX_BATCH, current.batch, step=10)
        if st.form_submit_button("Deploy with this schedule", icon=":material/rocket_launch:"):
            try:
                made = drift.checked(drift.Schedule(kind, int(start), int(count), int(batch)))
            except ValueError as error:
                st.error(plain(f"This schedule cannot run: {error}."), icon=":material/error:")
                return
            session.keep_in_url("drift", made.code)
            st.rerun()


def my_plan(scenario: Scenario, schedule: drift.Schedule) -> dict[int, tuple[str, int]]:
    return progress.plan(session.records(progress.topic(scenario.slug, schedule)))


def lived(
    lab: Lab, labels: np.ndarray, kept: np.ndarray, schedule: drift.Schedule, plan: dict[int, tuple[str, int]]
) -> list[weeks.Week]:
    """The weeks so far and the open one (nothing labelled in it yet), shared by every session on the same path."""
    open_week = min(len(plan) + 1, schedule.weeks)
    path = {**plan, **({} if open_week in plan else {open_week: ("random", 0)})}
    key = ("deployment", lab.scenario, services.content_key(labels, kept), schedule.code, tuple(sorted(path.items())))
    return services.shared(
        key,
        lambda: weeks.run(lab, labels, kept, schedule, plan=path, seed=lab.scenario.seed, upto=open_week),
        "The deployed model is living its weeks...",
    )


def week_figures(week: weeks.Week, stream: str, *, closed: bool = False) -> None:
    """The open week's monitoring: the estimate without labels against deployment's, with the noise of a week of
    its size; the share of features drifted, the predictions' shift; its alerts; its true accuracy once revealed or
    ``closed`` (``stream``: the stream's topic, whose weeks it names)."""
    found, ref = week.report, week.reference
    change = found.change(ref)
    a, b, c, d = st.columns(4)
    moved = found.beyond_noise(ref)
    a.metric(
        "Estimated accuracy (no labels)",
        f"{found.estimated:.1%}",
        f"{change * 100:+.1f} pts since deployment",
        delta_color="normal" if moved else "off",
        delta_arrow="auto" if moved else "off",
        help="The mean of the model's confidence, calibrated on a labelled reference period at deployment "
        "(as NannyML's CBPE): no label of this week is read.",
    )
    b.metric(
        "Features drifted",
        f"{found.share_drifted:.0%}",
        help=f"Of the features that vary, those whose two-sample Kolmogorov-Smirnov test against the training "
        f"items gives p < {monitor.P_DRIFT}. " + gloss("ks"),
    )
    c.metric("Predicted classes (chi-squared p)", f"{found.predictions_p:.2g}", help=gloss("chi2"))
    shown = st.session_state.get(keys.REVEALED_WEEKS, set())
    if closed or (stream, week.week) in shown:
        d.metric(
            "True accuracy",
            f"{week.accuracy:.1%}",
            f"{(week.accuracy - found.estimated) * 100:+.1f} pts against the estimate",
            delta_color="off",
        )
    elif d.button("Reveal true accuracy", icon=":material/visibility:", key=f"reveal_{week.week}"):
        st.session_state[keys.REVEALED_WEEKS] = shown | {(stream, week.week)}
        st.rerun()
    st.caption(monitor.change_words(week.reference, week.report))
    for alert in week.alerts:
        st.error(alert, icon=":material/notifications_active:")
    if not week.alerts:
        st.caption("No alert this week.")


def drift_table(lab: Lab, week: weeks.Week, *, top: int = 8) -> None:
    found = week.report
    names = list(lab.dataset.feature_names)
    if len(names) != len(found.statistic):  # a learner's table, encoded (one-hot columns and scaled numbers)
        names = [f"encoded column {j + 1}" for j in range(len(found.statistic))]
    order = np.argsort(-found.statistic, kind="stable")[:top]
    st.dataframe(
        pd.DataFrame(
            {
                "feature": [names[j] for j in order],
                "KS statistic": found.statistic[order],
                "p-value": found.p_value[order],
                "Wasserstein (training sd)": found.distance[order],
                "drifted": found.drifted[order],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "feature": st.column_config.TextColumn("feature"),
            "KS statistic": st.column_config.NumberColumn(format="%.2f"),
            "p-value": st.column_config.NumberColumn(format="%.2g"),
            "Wasserstein (training sd)": st.column_config.NumberColumn(format="%.2f", help=gloss("wasserstein")),
        },
    )


def distributions(lab: Lab, week: weeks.Week, ref: monitor.Reference) -> None:
    classes = [str(c) for c in lab.dataset.classes]
    left, right = st.columns(2)
    with left:
        widgets.chart(
            plots.distribution(
                np.bincount(ref.predicted, minlength=len(classes)),
                np.bincount(week.predicted, minlength=len(classes)),
                classes,
                "Predicted classes",
            )
        )
    confidence = week.confidence
    bins = [f"{a:.1f}-{b:.1f}" for a, b in zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:])]
    with right:
        widgets.chart(
            plots.distribution(
                np.histogram(ref.confidence, CONFIDENCE_BINS)[0],
                np.histogram(confidence, CONFIDENCE_BINS)[0],
                bins,
                "Confidence",
            )
        )


def label_form(scenario: Scenario, schedule: drift.Schedule, week: weeks.Week) -> None:
    """Label k of the items the open week offers by a strategy, retrain, and open the next week."""
    topic = progress.topic(scenario.slug, schedule)
    with st.form("label_budget", border=True):
        last = week.week == schedule.weeks
        st.markdown(
            "**Label on a budget, then close the stream**"
            if last
            else f"**Label on a budget, then week {week.week + 1}**"
        )
        strategy = st.radio(
            "Choose the items by",
            list(STRATEGIES),
            format_func=lambda k: STRATEGIES[k].title,
            horizontal=True,
            key=keys.DEPLOY_STRATEGY,
            help="  \n".join([*(f"{s.title}: {s.summary}" for s in STRATEGIES.values()), gloss("activelab")]),
        )
        wanted = st.session_state.get(keys.DEPLOY_BUDGET_WANTED, weeks.BUDGET)
        budget, why = weeks.budget_for(week, wanted)
        st.session_state[keys.DEPLOY_BUDGET] = budget
        offered = len(week.offered)
        k = st.number_input(
            "Items to label this week",
            0,
            offered,
            key=keys.DEPLOY_BUDGET,
            help=f"This week brought {len(week.items)} items: {offered} can be labelled (the others "
            f"score the week, or were labelled before).",
        )
        if why:
            st.caption(why)
        if st.form_submit_button(
            "Label them and close the stream" if last else "Label them, retrain, and go on to the next week",
            type="primary",
            icon=":material/skip_next:",
            on_click=_keep_budget,
            args=(budget,),
            **session.writable(),
        ):
            session.add_event(topic, progress.closed(week.week, strategy, int(k)))
            st.rerun()


def _keep_budget(shown: int) -> None:
    """A budget the learner typed becomes the one wanted from now on; one left as the week capped it does not."""
    typed = st.session_state.get(keys.DEPLOY_BUDGET)
    if typed is not None and typed != shown:
        st.session_state[keys.DEPLOY_BUDGET_WANTED] = int(typed)


def history(found: list[weeks.Week], schedule: drift.Schedule, plan: dict[int, tuple[str, int]], stream: str) -> None:
    """The weeks so far: true accuracy for the weeks closed (and the open one once revealed), the estimate for every
    week, and what was labelled in each week closed (``plan``)."""
    rows = [{"week": w.week, "line": plots.ESTIMATED, "accuracy": w.report.estimated} for w in found]
    shown = st.session_state.get(keys.REVEALED_WEEKS, set())
    rows += [
        {"week": w.week, "line": plots.TRUE, "accuracy": w.accuracy}
        for w in found
        if w.week in plan or (stream, w.week) in shown
    ]
    widgets.chart(plots.weeks(pd.DataFrame(rows), start=schedule.start if schedule.kind != "none" else None))
    labelled = [(w.week, len(w.labelled)) for w in found if w.week in plan]
    if labelled:
        st.caption("Labelled so far: " + ", ".join(f"week {w}: {n}" for w, n in labelled) + ".")


def restart(scenario: Scenario, schedule: drift.Schedule) -> None:
    if st.button("Start the stream again", icon=":material/restart_alt:", key="restart_stream", **session.writable()):
        session.add_event(progress.topic(scenario.slug, schedule), progress.RESTART)
        st.session_state.pop(keys.REVEALED_WEEKS, None)
        st.rerun()


def compare_strategies(lab: Lab, labels: np.ndarray, kept: np.ndarray, schedule: drift.Schedule, batch: int) -> None:
    """Every strategy at the same budget on the same stream, with never retraining and labelling everything."""
    k = st.number_input(
        "Items to label each week, for every strategy", 1, batch, min(weeks.BUDGET, batch), key=keys.REPLAY_BUDGET
    )
    key = ("deployment replay", lab.scenario, services.content_key(labels, kept), schedule.code, int(k))
    done = services.peek(key)
    if done is None and st.button("Replay every strategy", icon=":material/replay:", key="replay_all"):
        bar = st.progress(0.0, text="Replaying...")
        done = services.shared(
            key,
            lambda: weeks.compare_strategies(
                lab,
                labels,
                kept,
                schedule,
                int(k),
                seed=lab.scenario.seed,
                progress=lambda share, way: bar.progress(share, text=f"Replaying: {way}"),
            ),
        )
        bar.empty()
    if done is None:
        return
    drifting = schedule.kind != "none"
    start = schedule.start if drifting else None
    widgets.chart(plots.strategies(done, weeks.WAYS, start=start))
    read = verdict.read(done, k=int(k), start=start or 1, drifting=drifting, concept=schedule.kind == "concept")
    table = pd.DataFrame(
        {
            "way": [weeks.WAYS[w] for w in weeks.WAYS],
            "mean accuracy": [read.mean[w] for w in weeks.WAYS],
            "last week": [read.last[w] for w in weeks.WAYS],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "mean accuracy": st.column_config.NumberColumn(f"mean accuracy from week {start or 1}", format="percent"),
            "last week": st.column_config.NumberColumn(f"week {read.last_week}", format="percent"),
        },
    )
    for sentence in read.sentences():
        st.markdown(plain(sentence))
    worse = read.worse_than_never()
    if worse:
        st.error(plain(worse), icon=":material/trending_down:")
    same = done.pivot(index="week", columns="way", values="accuracy")
    if np.allclose(same["activelab"], same["least_confident"], equal_nan=True):
        st.caption(
            "ActiveLab's line lies on least confident's: with no annotator labels yet, ActiveLab scores an "
            "item by the model's confidence alone, so it picks the same items."
        )
