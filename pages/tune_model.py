"""Tune the model: the model-centric way. The labels stay as they are; the model changes."""

import time

import numpy as np
import pandas as pd
import streamlit as st

from datacentric.common.display import plain
from datacentric.experiment import tuning
from datacentric.present import charts
from datacentric.ui import headline, keys, links, services, session, widgets

scenario, lab = widgets.page_intro(
    "Tune the model",
    "Model-centric work: keep the data as it is, change the model and its hyperparameters, "
    "and see how far that gets you. Every run is saved in your workspace.",
    "pages/tune_model.py",
)

now = lab.state(session.log())
families = lab.families
metric = headline.pick(lab, "tune_model")
shown = headline.in_sentence(metric)
wrong = f"{lab.n_wrong} of {lab.n_in_use} wrong" if lab.grading != "none" else "as uploaded"
choices = {"noisy": f"the scenario's noisy labels ({wrong})"}
stranded = lab.shortfall(now) if now.n_actions else None  # too little left to train and validate on
if now.n_actions and not stranded:
    choices["yours"] = f"your current labels, after {now.n_actions} actions on Fix the labels"
# The option keys stay the same as the log grows, so the learner's choice survives each label action.
source = st.radio(
    "Train on",
    list(choices),
    format_func=choices.__getitem__,
    horizontal=True,
    help="Model-centric work keeps the noisy labels; compare against your fixed labels if you like.",
)
if stranded:
    st.caption(plain(f"{stranded} Your current labels are offered here again once Fix the labels brings rows back."))
data = "noisy" if source == "noisy" else f"yours@{now.version}"  # runs record which labels they saw
labels, kept, copies = (
    (lab.noisy_labels, lab.in_use, None) if data == "noisy" else (now.labels, now.kept, now.copies)
)  # your labels: with any duplicated rows

with st.container(key="stack_tune"):  # one column under the other when the page is narrow (ui/presenter.py)
    left, right = st.columns([2, 3], gap="large")
with left:
    usable = [k for k in families if families[k].sparse_ok or not lab.sparse]
    family = st.selectbox(
        "Model family",
        usable,
        format_func=lambda k: families[k].name,
        **session.kept(keys.TUNE_FAMILY, usable[0], allowed=usable),
    )
    if len(usable) < len(families):
        left_out = ", ".join(families[k].name for k in families if k not in usable)
        st.caption(
            f"Not offered on text ({left_out}): on thousands of sparse TF-IDF columns they need dense "
            "features or take minutes per fit."
        )
    st.info(families[family].summary, icon=":material/info:")
    with st.form("train"):
        params = widgets.param_inputs(lab, family)
        trained = st.form_submit_button("Train", type="primary", width="stretch", **session.writable())
    with st.form("search"):
        st.markdown("**Automatic search** over this family: random hyperparameters, the defaults first.")
        budget = st.slider("Time budget (seconds)", 5, 120, 20, step=5)
        took = tuning.last_trial_seconds(session.runs(), family, data)
        if took is not None:
            st.caption(
                f"A trial of this family took {took:.1f} s here last time: a search needs about "
                f"{max(5, tuning.FEW_TRIALS * took):.0f} s for {tuning.FEW_TRIALS} trials."
            )
        searched = st.form_submit_button("Search", width="stretch", **session.writable())

if trained:
    with st.spinner(f"Training {families[family].name}..."):
        run = tuning.train_run(lab, labels, kept, family=family, params=params, data=data, validate=True, copies=copies)
    session.add_run(run.to_record())
if searched:
    bar = st.progress(0.0, text="Searching...")
    started = time.perf_counter()

    def trial_done(i: int, run: tuning.Run) -> None:
        session.add_run(run.to_record())  # saved as it goes: a closed tab loses nothing done
        bar.progress(
            min(1.0, (time.perf_counter() - started) / budget),
            text=f"Trial {i}: validation {shown} {tuning.validation_score(run.to_record(), metric):.1%}",
        )

    found = tuning.random_search(
        lab,
        labels,
        kept,
        family=family,
        budget_seconds=budget,
        data=data,
        copies=copies,
        seed=scenario.seed + len(session.runs()),
        on_trial=trial_done,
    )
    top = tuning.selected(found, metric)
    bar.progress(
        1.0,
        text=f"Done: {len(found)} trials in {budget} s; the best by validation scored "
        f"{tuning.validation_score(top.to_record(), metric):.1%} there",
    )

runs = session.runs()
chosen = tuning.selected_record(runs, data, metric)
with right:
    if not runs:
        st.info(
            "No runs yet. Choose a family, set its hyperparameters and press **Train**, or let **Search** try many."
        )
    elif chosen is None:
        st.info("None of your runs on these labels has a validation score yet: press **Train** or **Search**.")
    else:
        top = runs[chosen]
        start = services.score_of(scenario, lab.noisy_labels).value(metric)
        tested = tuning.test_value(top, metric)
        m1, m2 = st.columns(2)  # two across: their labels are long enough to be cut at three
        spread = tuning.validation_spread(top, metric)
        m1.metric(
            f"Validation {shown} (chosen run)",
            f"{tuning.validation_score(top, metric):.1%}",
            None if spread is None else f"± {spread * 100:.1f} pts across {tuning.FOLDS} folds",
            delta_color="off",
            delta_arrow="off",
            help=f"{tuning.FOLDS}-fold cross-validation on the training rows, with the labels you train on: each "
            "quarter held out once, every row scored once. This chooses. Beside it, how much the score moved from "
            "one held-out quarter to another.",
        )
        m2.metric(
            f"Test {shown} (chosen run)",
            f"{tested:.1%}",
            f"{(tested - start) * 100:+.1f} pts vs baseline",
            **({"delta_color": "off", "delta_arrow": "off"} if tested == start else {}),
            help=f"The baseline: the fixed model ({lab.fixed_model.in_sentence}) on the noisy labels. "
            "The test split reports; it never chooses.",
        )
        st.caption(
            f"Chosen by validation among your runs on these labels: {families[top['family']].name}, "
            f"{tuning.describe_params(top['params'])}. "
            f"{tuning.why_they_differ(lab.test_known_clean)}"
        )
        tied = tuning.tied_with(runs, chosen, metric)
        if tied:
            noise = tuning.validation_noise(top, metric) or 0.0
            st.warning(
                f"{len(tied)} other run{'s' if len(tied) > 1 else ''} (marked 'tie' below) "
                f"{'are' if len(tied) > 1 else 'is'} within one standard error of the chosen run's validation "
                f"{shown} (±{noise * 100:.1f} points): between them the choice is a matter of which rows were "
                "held out, not of a better model. Compare their test scores only to see the spread; never choose by "
                "them.",
                icon=":material/balance:",
            )
        last = runs[-1]
        if len(runs) - 1 != chosen:
            st.caption(
                f"Last run: {families[last['family']].name}, {tuning.describe_params(last['params'])}: test "
                f"{shown} {tuning.test_value(last, metric):.1%}."
            )
        widgets.chart(charts.confusion(np.array(top["confusion"]), lab.dataset.classes))
        headline.every_metric(top["confusion"], lab, "Every metric, and each class, for the chosen run")

if runs:
    st.header("Your runs")
    table = pd.DataFrame(runs)
    table["validation"] = [tuning.validation_score(r, metric) for r in runs]
    table["spread"] = [tuning.validation_spread(r, metric) for r in runs]
    tied = set(tuning.tied_with(runs, chosen, metric)) if chosen is not None else set()
    table.insert(0, "chosen", ["★" if i == chosen else "tie" if i in tied else "" for i in table.index])
    table["model"] = table["family"].map(lambda k: families[k].name)
    table["hyperparameters"] = table["params"].map(tuning.describe_params)
    table["labels"] = table["data"].map(lambda d: "noisy" if d == "noisy" else "yours")
    table["balanced"] = [tuning.test_value(r, "balanced_accuracy") for r in runs]
    table["macro_f1"] = [tuning.test_value(r, "macro_f1") for r in runs]
    table = pd.concat([table.loc[[chosen]], table.drop(index=chosen)]) if chosen is not None else table
    st.dataframe(
        table[
            [
                "chosen",
                "model",
                "hyperparameters",
                "labels",
                "validation",
                "spread",
                "accuracy",
                "balanced",
                "macro_f1",
                "seconds",
                "source",
            ]
        ],
        hide_index=True,
        column_config={
            "validation": st.column_config.NumberColumn(
                f"validation {shown}",
                format="percent",
                help=f"{tuning.FOLDS}-fold cross-validation on the training rows: this chooses",
            ),
            "spread": st.column_config.NumberColumn(
                "± across folds", format="percent", help="The standard deviation of the folds' scores"
            ),
            "accuracy": st.column_config.NumberColumn("test accuracy", format="percent"),
            "balanced": st.column_config.NumberColumn("test balanced accuracy", format="percent"),
            "macro_f1": st.column_config.NumberColumn("test macro-F1", format="percent"),
            "seconds": st.column_config.NumberColumn(format="%.2f s"),
        },
    )
    st.page_link(links.page("pages/compare.py"), label="Compare with fixing the data", icon=":material/compare_arrows:")
