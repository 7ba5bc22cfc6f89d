"""Label consistently's annotator panel (form, study, its tables and charts), and annotators' agreement as the human
level on Find the weak slice. The instructions exercise is ``ui/labelling.py``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from datacentric.common.display import plain
from datacentric.common.glossary import gloss
from datacentric.consistency import plots, study
from datacentric.crowd import agreement, panels
from datacentric.crowd.panels import METHODS
from datacentric.data.catalog import DATASETS
from datacentric.lab.lab import Lab
from datacentric.lab.scenario import Scenario
from datacentric.ui import headline, links, services, session, widgets

GROUP_TITLES = ("Group A", "Group B", "Group C")


# ---- The annotator panel -------------------------------------------------------------------------------------


def current_panel() -> panels.Panel:
    """The session's panel (from the URL, kept across pages by ``state.sync_url``); else the panel of a scenario
    of the annotator-panel kind; else the default. A code that cannot be read is named in a warning and dropped."""
    found = session.from_url_copy("panel", panels.parse_panel)
    if found is None:
        scenario = session.current_scenario()
        return scenario.panel[1] if scenario.crowd else panels.DEFAULT_PANEL
    return found


def base_scenario(member_of) -> Scenario:
    """The scenario the panel labels: the session's built-in dataset and seed, labels as published (a learner's
    own data has no known truth to simulate annotators around, so the digits stand in); says so when it differs,
    and warns a room's learner in a challenge (``member_of``: ``classroom.membership()``) that sending the panel's
    labels to Fix the labels leaves the challenge's scenario."""
    scenario = session.current_scenario()
    dataset = scenario.dataset if scenario.dataset in DATASETS else "digits"
    if dataset != scenario.dataset:
        st.caption(
            "Your own data has no known true labels to simulate annotators around: the panel labels the "
            "handwritten digits."
        )
    elif scenario.reserve or scenario.holdout:
        st.caption(
            "The panel labels every training item of the split, with no reserve held back or test items held out."
        )
    if member_of and member_of[0].challenge is not None:
        st.caption(
            "In your room's challenge, Fix these labels below leaves the challenge's scenario; come back to it "
            "through Class."
        )
    return Scenario(dataset, "none", 0, scenario.seed)


def panel_form(current: panels.Panel) -> None:
    """Up to three groups of annotators and the labels per item; submitting puts the new panel in the URL."""
    groups = list(current.groups) + [panels.Group(0, 80, "pair")] * (panels.MAX_GROUPS - len(current.groups))
    with st.form("panel_form", border=True):
        st.markdown("**Your panel of annotators**")
        chosen = []
        for i, (title, group) in enumerate(zip(GROUP_TITLES, groups)):
            c1, c2, c3 = st.columns([1, 2, 2])
            count = c1.number_input(
                f"{title}: annotators", 0, panels.MAX_ANNOTATORS, group.count, key=f"panel_count_{i}"
            )
            accuracy = c2.slider(
                f"{title}: right (% of the time)", 0, 100, group.accuracy, step=5, key=f"panel_accuracy_{i}"
            )
            habit = c3.selectbox(
                f"{title}: habit",
                list(panels.HABITS),
                list(panels.HABITS).index(group.habit),
                format_func=lambda h: panels.HABITS[h].split(":")[0],
                key=f"panel_habit_{i}",
                help="  \n".join(panels.HABITS.values()),
            )
            if count:
                chosen.append(panels.Group(int(count), int(accuracy), habit))
        per_item = st.number_input(
            "Labels per item (annotators drawn at random for each)",
            panels.MIN_PER_ITEM,
            panels.MAX_PER_ITEM,
            current.per_item,
            key="panel_per_item",
        )
        if st.form_submit_button("Simulate this panel", type="primary", icon=":material/groups:"):
            try:
                if sum(g.count for g in chosen) < 2:
                    raise ValueError("set at least two annotators across the groups")
                made = panels.checked(panels.Panel(tuple(chosen), int(per_item)))
            except ValueError as error:
                st.error(plain(f"This panel cannot label anything: {error}."), icon=":material/error:")
                return
            session.keep_in_url("panel", made.code)
            st.rerun()


def studied(lab: Lab, chosen: panels.Panel, metric: str) -> tuple[study.Study, pd.DataFrame, pd.DataFrame]:
    """The panel's study, its outcomes by method in ``metric`` and its annotator table: shared by every session
    (the study once per panel, whatever the metric)."""

    def compute():
        done = study.run(lab, chosen)
        return done, study.annotators(done, lab)

    done, table = services.shared(
        ("panel study", lab.scenario, chosen.code),
        compute,
        "The annotators are labelling, and CROWDLAB is weighing them...",
    )
    outcomes = services.shared(
        ("panel outcomes", lab.scenario, chosen.code, metric),
        lambda: study.outcomes(lab, done, metric),
        "Training the fixed model on each way's labels...",
    )
    return done, outcomes, table


def agreement_figures(done: study.Study) -> None:
    a, b, c = st.columns(3)
    a.metric("Krippendorff's alpha", f"{done.alpha:.2f}", help=gloss("alpha"))
    b.metric("Fleiss' kappa", f"{done.fleiss:.2f}", help=gloss("fleiss"))
    pairs = done.kappa[np.triu_indices_from(done.kappa, k=1)]
    c.metric(
        "Median pair's Cohen's kappa",
        f"{np.nanmedian(pairs):.2f}" if np.isfinite(pairs).any() else "n/a",
        help=gloss("cohen"),
    )
    st.caption(
        f"Overall: {agreement.in_words(done.alpha)} (Landis and Koch's words). Pairs sharing fewer than "
        f"{agreement.MIN_SHARED} items have no kappa."
    )


def disputed(lab: Lab, done: study.Study, *, top: int = 8) -> None:
    """The items with the most disagreement: each as an image (digits) or a row, with the labels it got."""
    items = agreement.most_disputed(done.labels, lab.dataset.n_classes, top=top)
    if not len(items):
        st.caption("The annotators agreed on every item.")
        return
    table = agreement.counts(done.labels[items], lab.dataset.n_classes)
    classes = lab.dataset.classes
    said = [
        ", ".join(f"{classes[c]} × {n}" for c, n in sorted(enumerate(row), key=lambda cn: -cn[1]) if n) for row in table
    ]
    if lab.dataset.modality == "image":
        columns = st.columns(max(len(items), 4))
        for k, (item, words) in enumerate(zip(items, said)):
            with columns[k % len(columns)]:
                pixels = lab.train_features[item].reshape(lab.dataset.image_shape)
                st.image(
                    np.kron(1.0 - pixels / max(float(pixels.max()), 1.0), np.ones((12, 12))),
                    clamp=True,
                    width="stretch",
                    alt=f"Training item {item}, which the annotators disagreed on",
                )
                st.caption(plain(f"item {item}: {words}; truly {classes[lab.true_labels[item]]}"))
        return
    frame = pd.DataFrame(lab.train_features[items], columns=list(lab.dataset.feature_names)).round(3)
    frame.insert(0, "labels given", said)
    frame.insert(0, "true label", [classes[c] for c in lab.true_labels[items]])
    frame.insert(0, "item", items)
    st.dataframe(frame, hide_index=True, width="stretch")


def methods_chart(outcomes: pd.DataFrame, metric: str) -> None:
    widgets.chart(plots.methods(outcomes, headline.in_sentence(metric)))
    frame = outcomes.set_index("method")
    one, most, crowd = (frame.loc[k, "label_accuracy"] for k in ("single", "majority", "crowdlab"))
    st.markdown(
        plain(
            f"Label accuracy: one annotator {one:.1%}, majority vote {most:.1%}, CROWDLAB {crowd:.1%}. "
            f"The fixed model trained on them scores {frame.loc['single', 'test']:.1%}, "
            f"{frame.loc['majority', 'test']:.1%} and {frame.loc['crowdlab', 'test']:.1%} against "
            f"{frame.loc['truth', 'test']:.1%} on the true labels."
        )
    )
    st.caption(gloss("crowdlab"))  # where the term first meets the learner on this page
    for note in study.notes(outcomes):
        st.info(note, icon=":material/info:")


def annotator_table(table: pd.DataFrame, found: list) -> None:
    bad = int(table["truly_bad"].sum())
    if bad:
        st.markdown(
            plain(
                "Truly bad annotators (set to be right less than half the time): "
                + str(bad)
                + ". "
                + " ".join(f"The {f.of} lowest by {study.RANKINGS[f.by]} hold {f.found} of them." for f in found)
            )
        )
    else:
        st.caption(f"No annotator is set below {panels.BAD_BELOW:.0%}, so there is no truly bad one to find.")
    st.dataframe(
        table.sort_values("quality_rank"),
        hide_index=True,
        width="stretch",
        column_config={
            "annotator": st.column_config.TextColumn("annotator"),
            "habit": st.column_config.TextColumn("habit"),
            "set_accuracy": st.column_config.NumberColumn("set to be right", format="percent"),
            "accuracy": st.column_config.NumberColumn("right (simulation only)", format="percent"),
            "quality": st.column_config.NumberColumn("CROWDLAB quality", format="%.2f", help=gloss("crowdlab")),
            "with_majority": st.column_config.NumberColumn("agrees with majority", format="percent"),
            "truly_bad": st.column_config.CheckboxColumn("truly bad"),
            "quality_rank": st.column_config.NumberColumn("rank by quality"),
            "majority_rank": st.column_config.NumberColumn("rank by agreement"),
        },
    )


def send_to_fix(base: Scenario, chosen: panels.Panel) -> None:
    """Start Fix the labels from the panel's labels, combined by the method the learner picks."""
    method = st.radio(
        "Start from the labels by",
        list(METHODS),
        index=list(METHODS).index("crowdlab"),
        format_func=lambda k: METHODS[k].title,
        horizontal=True,
        key="send_method",
        help=gloss("crowdlab"),
    )
    if st.button(
        "Fix these labels on Fix the labels", icon=":material/fact_check:", key="send_to_fix", **session.writable()
    ):
        session.set_scenario(Scenario(base.dataset, "crowd", 0, base.seed, crowd=f"{method}.{chosen.code}"))
        st.switch_page(links.page("pages/fix_labels.py"))


# ---- Agreement as the reference level of Find the weak slice's priority table -----------------------------------

REFERENCES = {
    "ceiling": "The clean-label ceiling",
    "agreement": "Human level, from annotators' agreement",
    "typed": "A level you type",
}


def reference_source(graded: bool) -> str:
    """The priority table's reference level: the ceiling (when the truth is known), annotators' agreement (a
    built-in dataset's panel), or a level the learner types."""
    scenario = session.current_scenario()
    options = [
        k for k in REFERENCES if (k != "ceiling" or graded) and (k != "agreement" or scenario.dataset in DATASETS)
    ]
    return st.radio(
        "Reference level",
        options,
        format_func=REFERENCES.__getitem__,
        horizontal=True,
        key="reference_source",
        help="Human-level performance is Ng's usual reference. Without the truth "
        "it is measured as how often one annotator agrees with the others: here, with the majority of the "
        "other annotators of the panel on Label consistently.",
    )


def agreement_reference(lab: Lab, metric: str) -> np.ndarray:
    """Per test item, how often one of the panel's annotators agrees with the others' majority (the panel of Label
    consistently): human level, as an accuracy."""
    chosen = current_panel()
    levels = services.shared(("human levels", lab.scenario, chosen.code), lambda: study.human_levels(lab, chosen))
    unlike = (
        "" if metric == "accuracy" else (f" It is an accuracy, read beside the slice's {headline.in_sentence(metric)}.")
    )
    st.caption(
        plain(
            f"Reference level: how often one simulated annotator agrees with the majority of the others on "
            f"a slice's test items ({np.nanmean(levels):.0%} over all of them), for the panel on Label "
            f"consistently: {chosen.describe()}.{unlike}"
        )
    )
    return levels


def low_agreement(table: pd.DataFrame, levels: np.ndarray) -> None:
    """Name the slices where the model falls short of human level and the annotators also agree less than on the
    rest: there, the labels (and the instructions behind them) are the first suspect."""
    overall = float(np.nanmean(levels))
    low = table[(table["gap"] > 0) & (table["reference"] < overall - study.LOWER_BY)]
    if low.empty:
        return
    names = ", ".join(f"{name!r} ({level:.0%})" for name, level in zip(low["slice"].head(3), low["reference"].head(3)))
    st.info(
        plain(
            f"On {len(low)} slice{'s' if len(low) != 1 else ''} where the model is below human level, these "
            f"annotators also agree less than on the whole ({overall:.0%}): for example {names}. On real data, "
            "read the labelling instructions for such items before tuning the model: people who disagree "
            "give the model mixed answers to learn from."
        ),
        icon=":material/how_to_vote:",
    )
    st.page_link(links.page("pages/consistency.py"), label="Label consistently", icon=":material/how_to_vote:")
