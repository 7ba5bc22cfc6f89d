"""Label consistently's parts: the annotator panel (form, study, its tables and charts) and the instructions
exercise (labelling the borderline parts, the versions of the rule, the class's labels)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from datacentric.catalog import DATASETS
from datacentric import panels
from datacentric.panels import METHODS
from datacentric.consistency import agreement, instructions, parts, plots, study
from datacentric.display import plain
from datacentric.lab import Lab
from datacentric.scenario import Scenario
from datacentric.ui import cached, headline, state, widgets

GROUP_TITLES = ("Group A", "Group B", "Group C")
LABEL_KEY = "part_label_{}"
SHOWN_PARTS = 5  # parts a row of the labelling grid holds
SAVED = state.per_workspace("parts_saved")  # the one-time message after saving the labels


# ---- The annotator panel -------------------------------------------------------------------------------------

def current_panel() -> panels.Panel:
    """The session's panel (from the URL, kept across pages by ``state.sync_url``); else the panel of a scenario
    of the annotator-panel kind; else the default. A code that cannot be read is named in a warning and dropped."""
    code = st.session_state.get(state.PANEL_SHADOW)
    if not code:
        scenario = state.current_scenario()
        return scenario.panel[1] if scenario.crowd else panels.DEFAULT_PANEL
    found, problems = panels.parse_panel({"panel": code})
    for problem in problems:
        st.warning(plain(problem), icon=":material/link_off:")
        del st.session_state[state.PANEL_SHADOW]
        state.sync_url()
    return found


def base_scenario() -> Scenario:
    """The scenario the panel labels: the session's built-in dataset and seed, labels as published (a learner's
    own data has no known truth to simulate annotators around, so the digits stand in)."""
    scenario = state.current_scenario()
    dataset = scenario.dataset if scenario.dataset in DATASETS else "digits"
    return Scenario(dataset, "none", 0, scenario.seed)


def panel_form(current: panels.Panel) -> None:
    """Up to three groups of annotators and the labels per item; submitting puts the new panel in the URL."""
    groups = list(current.groups) + [panels.Group(0, 80, "pair")] * (panels.MAX_GROUPS - len(current.groups))
    with st.form("panel_form", border=True):
        st.markdown("**Your panel of annotators**")
        chosen = []
        for i, (title, group) in enumerate(zip(GROUP_TITLES, groups)):
            c1, c2, c3 = st.columns([1, 2, 2])
            count = c1.number_input(f"{title}: annotators", 0, panels.MAX_ANNOTATORS, group.count, key=f"panel_count_{i}")
            accuracy = c2.slider(f"{title}: right (% of the time)", 0, 100, group.accuracy, step=5,
                                 key=f"panel_accuracy_{i}")
            habit = c3.selectbox(f"{title}: habit", list(panels.HABITS), list(panels.HABITS).index(group.habit),
                                 format_func=lambda h: panels.HABITS[h].split(":")[0], key=f"panel_habit_{i}",
                                 help="  \n".join(panels.HABITS.values()))
            if count:
                chosen.append(panels.Group(int(count), int(accuracy), habit))
        per_item = st.number_input("Labels per item (annotators drawn at random for each)", panels.MIN_PER_ITEM,
                                   panels.MAX_PER_ITEM,
                                   current.per_item, key="panel_per_item")
        if st.form_submit_button("Simulate this panel", type="primary", icon=":material/groups:"):
            try:
                made = panels.checked(panels.Panel(tuple(chosen), int(per_item)))
            except ValueError as error:
                st.error(plain(f"This panel cannot label anything: {error}."), icon=":material/error:")
                return
            st.session_state[state.PANEL_SHADOW] = made.code
            state.sync_url()
            st.rerun()


def studied(lab: Lab, chosen: panels.Panel, metric: str) -> tuple[study.Study, pd.DataFrame, pd.DataFrame]:
    """The panel's study, its outcomes by method and its annotator table: shared by every session."""
    def compute():
        done = study.run(lab, chosen)
        return done, study.outcomes(lab, done, metric), study.annotators(done, lab)

    with st.spinner("The annotators are labelling, and CROWDLAB is weighing them..."):
        return cached.shared(("panel study", lab.scenario, chosen.code, metric), compute)


def agreement_figures(done: study.Study) -> None:
    a, b, c = st.columns(3)
    a.metric("Krippendorff's alpha", f"{done.alpha:.2f}", help="1 is perfect agreement, 0 what chance alone gives; "
             "it allows items with different numbers of labels.")
    b.metric("Fleiss' kappa", f"{done.fleiss:.2f}", help="The same idea for many annotators at once.")
    pairs = done.kappa[np.triu_indices_from(done.kappa, k=1)]
    c.metric("Median pair's Cohen's kappa", f"{np.nanmedian(pairs):.2f}" if np.isfinite(pairs).any() else "n/a")
    st.caption(f"Overall: {agreement.in_words(done.alpha)} (Landis and Koch's words). Pairs sharing fewer than "
               f"{agreement.MIN_SHARED} items have no kappa.")


def disputed(lab: Lab, done: study.Study, *, top: int = 8) -> None:
    """The items with the most disagreement: each as an image (digits) or a row, with the labels it got."""
    items = agreement.most_disputed(done.labels, lab.dataset.n_classes, top=top)
    if not len(items):
        st.caption("The annotators agreed on every item.")
        return
    table = agreement.counts(done.labels[items], lab.dataset.n_classes)
    classes = lab.dataset.classes
    said = [", ".join(f"{classes[c]} × {n}" for c, n in sorted(enumerate(row), key=lambda cn: -cn[1]) if n)
            for row in table]
    if lab.dataset.modality == "image":
        columns = st.columns(max(len(items), 4))
        for k, (item, words) in enumerate(zip(items, said)):
            with columns[k % len(columns)]:
                pixels = lab.train_features[item].reshape(lab.dataset.image_shape)
                st.image(np.kron(1.0 - pixels / max(float(pixels.max()), 1.0), np.ones((12, 12))), clamp=True,
                         width="stretch")
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
    st.markdown(plain(f"Label accuracy: one annotator {one:.1%}, majority vote {most:.1%}, CROWDLAB {crowd:.1%}. "
                      f"The fixed model trained on them scores {frame.loc['single', 'test']:.1%}, "
                      f"{frame.loc['majority', 'test']:.1%} and {frame.loc['crowdlab', 'test']:.1%} against "
                      f"{frame.loc['truth', 'test']:.1%} on the true labels."))
    for note in study.notes(outcomes):
        st.info(note, icon=":material/info:")


def annotator_table(table: pd.DataFrame, found: list) -> None:
    bad = int(table["truly_bad"].sum())
    if bad:
        st.markdown(plain("Truly bad annotators (set to be right less than half the time): " + str(bad) + ". "
                          + " ".join(f"The {f.of} lowest by {f.by} hold {f.found} of them." for f in found)))
    else:
        st.caption(f"No annotator is set below {panels.BAD_BELOW:.0%}, so there is no truly bad one to find.")
    st.dataframe(table.sort_values("quality_rank"), hide_index=True, width="stretch", column_config={
        "annotator": st.column_config.TextColumn("annotator"),
        "habit": st.column_config.TextColumn("habit"),
        "set_accuracy": st.column_config.NumberColumn("set to be right", format="percent"),
        "accuracy": st.column_config.NumberColumn("right (simulation only)", format="percent"),
        "quality": st.column_config.NumberColumn("CROWDLAB quality", format="%.2f"),
        "with_majority": st.column_config.NumberColumn("agrees with majority", format="percent"),
        "truly_bad": st.column_config.CheckboxColumn("truly bad"),
        "quality_rank": st.column_config.NumberColumn("rank by quality"),
        "majority_rank": st.column_config.NumberColumn("rank by agreement"),
    })


def send_to_fix(base: Scenario, chosen: panels.Panel) -> None:
    """Start Fix the labels from the panel's labels, combined by the method the learner picks."""
    method = st.radio("Start from the labels by", list(METHODS), index=list(METHODS).index("crowdlab"),
                      format_func=lambda k: METHODS[k].title, horizontal=True, key="send_method")
    if st.button("Fix these labels on Fix the labels", icon=":material/fact_check:", key="send_to_fix",
                 **state.writable()):
        state.set_scenario(Scenario(base.dataset, "crowd", 0, base.seed, crowd=f"{method}.{chosen.code}"))
        st.switch_page("pages/fix_labels.py")


# ---- Agreement as the reference level of Find the weak slice's priority table -----------------------------------

REFERENCES = {
    "ceiling": "The clean-label ceiling",
    "agreement": "Human level, from annotators' agreement",
    "typed": "A level you type",
}


def reference_source(graded: bool) -> str:
    """The priority table's reference level: the ceiling (when the truth is known), annotators' agreement (a
    built-in dataset's panel), or a level the learner types."""
    scenario = state.current_scenario()
    options = [k for k in REFERENCES if (k != "ceiling" or graded) and (k != "agreement" or scenario.dataset in DATASETS)]
    return st.radio("Reference level", options, format_func=REFERENCES.__getitem__, horizontal=True,
                    key="reference_source", help="Human-level performance is Ng's usual reference. Without the truth "
                    "it is measured as how often one annotator agrees with the others: here, with the majority of the "
                    "other annotators of the panel on Label consistently.")


def agreement_reference(lab: Lab, metric: str) -> np.ndarray:
    """Per test item, how often one of the panel's annotators agrees with the others' majority (the panel of Label
    consistently): human level, as an accuracy."""
    chosen = current_panel()
    levels = cached.shared(("human levels", lab.scenario, chosen.code), lambda: study.human_levels(lab, chosen))
    unlike = "" if metric == "accuracy" else (f" It is an accuracy, read beside the slice's "
                                              f"{headline.in_sentence(metric)}.")
    st.caption(plain(f"Reference level: how often one simulated annotator agrees with the majority of the others on "
                     f"a slice's test items ({np.nanmean(levels):.0%} over all of them), for the panel on Label "
                     f"consistently: {chosen.describe()}.{unlike}"))
    return levels


def low_agreement(table: pd.DataFrame, levels: np.ndarray) -> None:
    """Name the slices where the model falls short of human level and the annotators also agree less than on the
    rest: there, the labels (and the instructions behind them) are the first suspect."""
    overall = float(np.nanmean(levels))
    low = table[(table["gap"] > 0) & (table["reference"] < overall - study.LOWER_BY)]
    if low.empty:
        return
    names = ", ".join(f"{name!r} ({level:.0%})" for name, level in zip(low["slice"].head(3), low["reference"].head(3)))
    st.info(plain(f"On {len(low)} slice{'s' if len(low) != 1 else ''} where the model is below human level, these "
                  f"annotators also agree less than on the whole ({overall:.0%}): for example {names}. On real data, "
                  "read the labelling instructions for such items before tuning the model: people who disagree "
                  "give the model mixed answers to learn from."), icon=":material/how_to_vote:")
    st.page_link("pages/consistency.py", label="Label consistently", icon=":material/how_to_vote:")


# ---- The instructions exercise -------------------------------------------------------------------------------

def the_parts(member_of) -> parts.Parts:
    """The parts to label: of the room's scenario's seed for a room's learner (``member_of``:
    ``classroom.membership()``), so the whole class labels the same ones; else of the session's scenario's."""
    from datacentric.scenario import parse_scenario

    seed = parse_scenario(member_of[0].scenario)[0].seed if member_of else state.current_scenario().seed
    return parts.make_parts(seed)


def my_labels(made: parts.Parts) -> np.ndarray:
    return instructions.latest_labels(made, [r for _, r in state.events(instructions.labels_topic(made.seed))])


def my_rules(made: parts.Parts) -> list[instructions.Rule]:
    return instructions.written([r for _, r in state.events(instructions.rules_topic(made.seed))])


def labelling_form(made: parts.Parts, mine: np.ndarray) -> None:
    """The parts to label as a grid, each with OK / Defect; saving stores them in the workspace."""
    chosen = made.to_label()
    with st.form("label_parts", border=False):
        for start in range(0, len(chosen), SHOWN_PARTS):
            columns = st.columns(SHOWN_PARTS)
            for k, item in enumerate(chosen[start:start + SHOWN_PARTS]):
                with columns[k]:
                    st.image(np.kron(parts.image(made, int(item)), np.ones((3, 3))), clamp=True, width="stretch")
                    given = int(mine[start + k])
                    st.radio(f"Part {start + k + 1}", (0, 1), index=given if given >= 0 else None, horizontal=True,
                             format_func=parts.CLASSES.__getitem__, key=LABEL_KEY.format(start + k))
        if st.form_submit_button("Save my labels", type="primary", icon=":material/save:", **state.writable()):
            picked = {int(item): st.session_state.get(LABEL_KEY.format(k)) for k, item in enumerate(chosen)}
            labels = {item: int(v) for item, v in picked.items() if v is not None}
            state.add_event(instructions.labels_topic(made.seed), instructions.labels_record(made, labels))
            missing = len(chosen) - len(labels)
            st.session_state[SAVED] = (f"Saved {len(labels)} labels." +
                                               (f" {missing} parts still have none." if missing else ""))
            st.rerun()
    saved = st.session_state.get(SAVED)
    if saved:
        st.success(saved, icon=":material/check:")
        if not state.app_rerun_pending():  # a first save made the workspace: the app runs once more, keep it for that
            del st.session_state[SAVED]


def inspectors_on_mine(made: parts.Parts, mine: np.ndarray) -> None:
    """How the learner's labels agree with the inspectors' under v1."""
    chosen = made.to_label()
    others = instructions.inspect(made, instructions.V1)[chosen]
    found = instructions.compare(mine, others, seed=made.seed)
    st.markdown(f"You agree with the {instructions.INSPECTORS} inspectors' majority on **{found.with_majority} of "
                f"{found.labelled}** parts you labelled (Cohen's kappa with their majority: "
                f"{_number(found.kappa)}). On average, {np.nanmean(found.share_agreeing):.0%} of the inspectors gave "
                "a part the label you gave it.")
    frame = pd.DataFrame({
        "part": [f"Part {k + 1}" for k in range(len(chosen))],
        "your label": [parts.CLASSES[c] if c >= 0 else "" for c in mine],
        "inspectors": [_said(row) for row in others],
        "inspectors agreeing with you": found.share_agreeing,
    })
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "inspectors agreeing with you": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)})


def _said(row: np.ndarray) -> str:
    table = np.bincount(row[row >= 0], minlength=len(instructions.LABELS))
    return ", ".join(f"{instructions.LABELS[c]} × {n}" for c, n in enumerate(table) if n)


def _number(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}"


def rule_form(made: parts.Parts, rules: list[instructions.Rule]) -> None:
    """Write the next version: a name, a threshold and, if wanted, a Borderline band."""
    with st.form("rule_form", border=True):
        name = st.text_input("Name of this version", f"v{len(rules) + 1}", max_chars=instructions.NAME_CHARS)
        threshold = st.select_slider("A scratch longer than this is a defect (mm)", instructions.THRESHOLDS_MM,
                                     value=0.3 if 0.3 in instructions.THRESHOLDS_MM else instructions.THRESHOLDS_MM[0])
        band = st.radio("Borderline class", instructions.BANDS_MM, horizontal=True,
                        format_func=lambda b: "none" if not b else f"within {b:.2f} mm of it",
                        help="Parts this close to the threshold are labelled Borderline: an expert settles them, and "
                             "they stay out of training.")
        if st.form_submit_button("Add this version", type="primary", icon=":material/edit_note:", **state.writable()):
            name = " ".join(name.split())[:instructions.NAME_CHARS]
            if not name or name == instructions.V1.name:
                st.error(f"Give the version a name other than {instructions.V1.name!r}.", icon=":material/error:")
                return
            rule = instructions.Rule(name, float(threshold), float(band))
            state.add_event(instructions.rules_topic(made.seed), rule.to_record())
            st.rerun()


def versions(made: parts.Parts, rules: list[instructions.Rule]) -> None:
    """Every version side by side: its instruction, agreement, label accuracy and the model's test accuracy."""
    outcomes = [cached.shared(("instructions", made.seed, rule), lambda rule=rule: instructions.outcome(
        made, rule, seed=made.seed)) for rule in rules]
    frame = pd.DataFrame({
        "version": [o.rule.name for o in outcomes],
        "instruction": [o.rule.text for o in outcomes],
        "agreement": [o.on_set for o in outcomes],
        "pairs_agree": [o.pairs_agree for o in outcomes],
        "agreement_all": [o.agreement for o in outcomes],
        "label_accuracy": [o.label_accuracy for o in outcomes],
        "left_out": [o.left_out for o in outcomes],
        "test_accuracy": [o.test_accuracy for o in outcomes],
    })
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "version": st.column_config.TextColumn("version"),  # the learner's words: text
        "instruction": st.column_config.TextColumn("instruction", width="large"),
        "agreement": st.column_config.NumberColumn("agreement on the 20 parts (alpha)", format="%.2f"),
        "pairs_agree": st.column_config.NumberColumn("pairs of inspectors agreeing (20 parts)", format="percent"),
        "agreement_all": st.column_config.NumberColumn("agreement on all parts (alpha)", format="%.2f"),
        "label_accuracy": st.column_config.NumberColumn("label accuracy", format="percent"),
        "left_out": st.column_config.NumberColumn("left out as Borderline", format="percent"),
        "test_accuracy": st.column_config.NumberColumn("model's test accuracy", format="percent"),
    })
    st.caption("Alpha corrects for chance: when a rule gives nearly every part the same label, chance alone agrees "
               "often, so alpha can be low (or not measurable) while the inspectors do agree. The share of pairs "
               "agreeing says it without the correction.")
    widgets.chart(plots.versions(frame))
    if len(outcomes) > 1:
        first, last = outcomes[0], outcomes[-1]
        said, fell = instructions.change(first, last)
        (st.warning if fell else st.success)(plain(said), icon=":material/trending_down:" if fell else
                                             ":material/trending_up:")
        if last.rule.threshold is not None and abs(last.rule.threshold - parts.SPEC_MM) > 1e-9:
            st.caption(f"Your rule's threshold is {last.rule.threshold:.2f} mm; the spec that grades the test parts says "
                       f"{parts.SPEC_MM:.2f} mm. Inspectors can agree perfectly on a rule and still label against the "
                       "customer's need.")


def class_view(room_code: str, round_: int, made: parts.Parts, *, names_hidden: bool) -> None:
    """The class's labels of the parts: their agreement and a per-part heat map (for the instructor)."""
    from datacentric.ui import classroom

    members = classroom.roster().members(room_code, round_)
    store = cached.get_store()
    rows = [instructions.latest_labels(made, [r for _, r in store.events(m.workspace, instructions.labels_topic(made.seed))])
            for m in members]
    labelled = [(i, row) for i, row in enumerate(rows) if (row >= 0).any()]
    if len(labelled) < 2:
        st.caption(f"{len(labelled)} learner{'s have' if len(labelled) != 1 else ' has'} labelled parts so far: the "
                   "class's agreement appears from two.")
        return
    matrix = np.column_stack([row for _, row in labelled])
    names = [f"Learner {i + 1}" if names_hidden else members[i].name for i, _ in labelled]
    alpha = agreement.krippendorff_alpha(matrix, len(parts.CLASSES))
    st.metric("The class's agreement (Krippendorff's alpha)", _number(alpha),
              help=f"{len(labelled)} learners on {len(made.to_label())} parts; {agreement.in_words(alpha)}.")
    share = agreement.disagreement(matrix, len(parts.CLASSES))
    order = np.lexsort((np.arange(len(share)), -np.nan_to_num(share, nan=-1)))
    part_names = [f"Part {k + 1}" for k in order]
    widgets.chart(plots.class_labels(matrix[order], names, part_names, parts.CLASSES))


def class_line(room_code: str, round_: int, made: parts.Parts, mine: np.ndarray) -> None:
    """For a learner in a room: how their labels agree with the rest of the class."""
    from datacentric.ui import classroom

    store = cached.get_store()
    me = state.workspace_id()
    rows = [instructions.latest_labels(made, [r for _, r in store.events(m.workspace, instructions.labels_topic(made.seed))])
            for m in classroom.roster().members(room_code, round_) if m.workspace != me]
    rows = [row for row in rows if (row >= 0).any()]
    if not rows:
        st.caption("No one else in your room has labelled the parts yet.")
        return
    found = instructions.compare(mine, np.column_stack(rows), seed=made.seed)
    st.markdown(f"**Your class:** {len(rows)} other learner{'s' if len(rows) != 1 else ''} labelled the parts. You "
                f"agree with the class's majority on {found.with_majority} of {found.labelled} parts.")

