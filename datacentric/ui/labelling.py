"""Label consistently's instructions exercise: the parts to label under a version of the instruction, the learner
against the inspectors and their class, the versions side by side, and the class's rounds on Teach."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from datacentric.common.display import plain
from datacentric.consistency import exercise, instructions, parts, plots
from datacentric.consistency.instructions import Rule
from datacentric.crowd import agreement
from datacentric.ui import keys, services, session, widgets

SHOWN_PARTS = 5  # parts a row of the labelling grid holds


def the_parts(member_of) -> parts.Parts:
    """The parts to label: of the room's scenario's seed for a room's learner (``member_of``:
    ``classroom.membership()``), so the whole class labels the same ones; else of the session's scenario's."""
    from datacentric.lab.scenario import parse_scenario

    seed = parse_scenario(member_of[0].scenario)[0].seed if member_of else session.current_scenario().seed
    return parts.make_parts(seed)


def records(made: parts.Parts) -> list[dict]:
    """The learner's saved labels of the parts, oldest first."""
    return session.records(exercise.labels_topic(made.seed))


def my_rules(made: parts.Parts) -> list[Rule]:
    return exercise.written(session.records(exercise.rules_topic(made.seed)))


def pick_version(rules: list[Rule]) -> int:
    """Which version to label under (v1 until the learner has written another); its place in ``rules``."""
    if len(rules) == 1:
        return 0
    st.session_state[keys.LABEL_UNDER] = min(st.session_state.get(keys.LABEL_UNDER, 0), len(rules) - 1)
    return st.radio(
        "Label the parts under",
        range(len(rules)),
        format_func=lambda i: plain(rules[i].name),
        horizontal=True,
        key=keys.LABEL_UNDER,  # options render Markdown, and the names are the learner's
        help="Label the same parts again under a version you wrote, and compare.",
    )


def part_alt(made: parts.Parts, item: int, n: int) -> str:
    """The picture of part ``n`` in words, for a screen reader: its scratch's length as the eye reads it against the
    scale bar, to a tenth of the bar; nothing the picture does not show."""
    step = parts.SCALE_BAR_MM / 10
    return (
        f"Part {n}: a metal square with one scratch about {round(made.length[item] / step) * step:.2f} mm long, "
        f"and the {parts.SCALE_BAR_MM} mm scale bar under it"
    )


def labelling_form(made: parts.Parts, rule: Rule, at: int, mine: np.ndarray) -> None:
    """The parts to label as a grid, each with its labels under ``rule`` (the ``at``-th version); saving stores them
    in the workspace."""
    chosen = made.to_label()
    options = exercise.allowed(rule)
    with st.form(f"label_parts_{at}", border=False):
        for start in range(0, len(chosen), SHOWN_PARTS):
            columns = st.columns(SHOWN_PARTS)
            for k, item in enumerate(chosen[start : start + SHOWN_PARTS]):
                with columns[k]:
                    st.image(
                        np.kron(parts.image(made, int(item)), np.ones((3, 3))),
                        clamp=True,
                        width="stretch",
                        alt=part_alt(made, int(item), start + k + 1),
                    )
                    given = int(mine[start + k])
                    st.radio(
                        f"Part {start + k + 1}",
                        options,
                        index=options.index(given) if given in options else None,
                        horizontal=True,
                        format_func=instructions.LABELS.__getitem__,
                        key=keys.PART_LABEL.format(at, start + k),
                    )
        if st.form_submit_button("Save my labels", type="primary", icon=":material/save:", **session.writable()):
            picked = {int(item): st.session_state.get(keys.PART_LABEL.format(at, k)) for k, item in enumerate(chosen)}
            labels = {item: int(v) for item, v in picked.items() if v is not None}
            session.add_event(exercise.labels_topic(made.seed), exercise.labels_record(made, labels, rule))
            missing = len(chosen) - len(labels)
            st.session_state[keys.PARTS_SAVED] = f"Saved {len(labels)} labels under {rule.name}." + (
                f" {missing} parts still have none." if missing else ""
            )
            st.rerun()
    saved = st.session_state.get(keys.PARTS_SAVED)
    if saved:
        st.success(plain(saved), icon=":material/check:")
        if not session.app_rerun_pending():  # a first save made the workspace: the app runs once more, keep it for that
            del st.session_state[keys.PARTS_SAVED]


def inspectors_on_mine(made: parts.Parts, rule: Rule, mine: np.ndarray) -> None:
    """How the learner's labels under ``rule`` agree with the inspectors' under the same rule."""
    chosen = made.to_label()
    others = instructions.inspect(made, rule)[chosen]
    found = instructions.compare(mine, others, seed=made.seed)
    st.markdown(
        f"Under {plain(rule.name)}, you agree with the {instructions.INSPECTORS} inspectors' majority on "
        f"**{found.with_majority} of {found.labelled}** parts you labelled (Cohen's kappa with their majority: "
        f"{_number(found.kappa)}). On average, {np.nanmean(found.share_agreeing):.0%} of the inspectors gave "
        "a part the label you gave it."
    )
    frame = pd.DataFrame(
        {
            "part": [f"Part {k + 1}" for k in range(len(chosen))],
            "your label": [instructions.LABELS[c] if c >= 0 else "" for c in mine],
            "inspectors": [_said(row) for row in others],
            "inspectors agreeing with you": found.share_agreeing,
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "inspectors agreeing with you": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)
        },
    )


def _said(row: np.ndarray) -> str:
    table = np.bincount(row[row >= 0], minlength=len(instructions.LABELS))
    return ", ".join(f"{instructions.LABELS[c]} × {n}" for c, n in enumerate(table) if n)


def _number(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}"


def rule_form(made: parts.Parts, rules: list[Rule]) -> None:
    """Write the next version: a name, a threshold and, if wanted, a Borderline band."""
    with st.form("rule_form", border=True):
        name = st.text_input("Name of this version", f"v{len(rules) + 1}", max_chars=instructions.NAME_CHARS)
        spec = min(instructions.THRESHOLDS_MM, key=lambda t: abs(t - parts.SPEC_MM))
        threshold = st.select_slider(
            "A scratch longer than this is a defect (mm)", instructions.THRESHOLDS_MM, value=spec
        )
        band = st.radio(
            "Borderline class",
            instructions.BANDS_MM,
            horizontal=True,
            format_func=lambda b: "none" if not b else f"within {b:.2f} mm of it",
            help="Parts this close to the threshold are labelled Borderline: an expert settles them, and "
            "they stay out of training.",
        )
        if st.form_submit_button("Add this version", type="primary", icon=":material/edit_note:", **session.writable()):
            name = " ".join(name.split())[: instructions.NAME_CHARS]
            if not name or name == instructions.V1.name:
                st.error(f"Give the version a name other than {instructions.V1.name!r}.", icon=":material/error:")
                return
            rule = Rule(name, float(threshold), float(band))
            session.add_event(exercise.rules_topic(made.seed), rule.to_record())
            st.rerun()


def versions(made: parts.Parts, rules: list[Rule], mine: list[dict]) -> None:
    """Every version side by side: its instruction, the inspectors' agreement, label accuracy and the model's test
    accuracy, and the learner's own agreement with the inspectors where they labelled under it (``mine``: their
    records)."""
    outcomes = [
        services.shared(
            ("instructions", made.seed, rule), lambda rule=rule: instructions.outcome(made, rule, seed=made.seed)
        )
        for rule in rules
    ]
    chosen = made.to_label()
    yours = []
    for rule in rules:
        labels = exercise.latest_labels(made, mine, rule.name)
        found = instructions.compare(labels, instructions.inspect(made, rule)[chosen], seed=made.seed)
        yours.append(f"{found.with_majority} of {found.labelled}" if found.labelled else "")
    n = parts.N_LABEL
    frame = pd.DataFrame(
        {
            "version": [o.rule.name for o in outcomes],
            "instruction": [o.rule.text for o in outcomes],
            "agreement": [o.on_set for o in outcomes],
            "pairs_agree": [o.pairs_agree for o in outcomes],
            "agreement_all": [o.agreement for o in outcomes],
            "label_accuracy": [o.label_accuracy for o in outcomes],
            "left_out": [o.left_out for o in outcomes],
            "test_accuracy": [o.test_accuracy for o in outcomes],
            "yours": yours,
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "version": st.column_config.TextColumn("version"),  # the learner's words: text
            "instruction": st.column_config.TextColumn("instruction", width="large"),
            "agreement": st.column_config.NumberColumn(f"agreement on the {n} parts (alpha)", format="%.2f"),
            "pairs_agree": st.column_config.NumberColumn(f"pairs of inspectors agreeing ({n} parts)", format="percent"),
            "agreement_all": st.column_config.NumberColumn("agreement on all parts (alpha)", format="%.2f"),
            "label_accuracy": st.column_config.NumberColumn("label accuracy", format="percent"),
            "left_out": st.column_config.NumberColumn("left out as Borderline", format="percent"),
            "test_accuracy": st.column_config.NumberColumn("model's test accuracy", format="percent"),
            "yours": st.column_config.TextColumn("you with the inspectors' majority"),
        },
    )
    st.caption(
        "Alpha corrects for chance: when a rule gives nearly every part the same label, chance alone agrees "
        "often, so alpha can be low (or not measurable) while the inspectors do agree. The share of pairs "
        "agreeing says it without the correction."
    )
    widgets.chart(plots.versions(frame))
    if len(outcomes) > 1:
        first, last = outcomes[0], outcomes[-1]
        said, fell = instructions.change(first, last)
        (st.warning if fell else st.success)(
            plain(said), icon=":material/trending_down:" if fell else ":material/trending_up:"
        )
        if last.rule.threshold is not None and abs(last.rule.threshold - parts.SPEC_MM) > 1e-9:
            st.caption(
                f"Your rule's threshold is {last.rule.threshold:.2f} mm; the spec that grades the test parts "
                "says "
                f"{parts.SPEC_MM:.2f} mm. Inspectors can agree perfectly on a rule and still label against the "
                "customer's need."
            )


def _class_rows(room_code: str, round_: int, made: parts.Parts, *, but: str | None = None):
    """(members, for each of the class's rounds (exercise.ROUNDS) each member's labels in it): one query for all."""
    from datacentric.ui import classroom

    members = [m for m in classroom.roster().members(room_code, round_) if m.workspace != but]
    topic = exercise.labels_topic(made.seed)
    found = services.get_store().room_events(room_code, round_, topic)  # through the room's membership
    return members, {
        which: [exercise.round_labels(made, [r for t, r in found[m.workspace] if t == topic], which) for m in members]
        for which in exercise.ROUNDS
    }


def class_view(room_code: str, round_: int, made: parts.Parts, *, names_hidden: bool) -> None:
    """The class's labels of the parts in each round (v1, then a written version): their agreement side by side,
    and a per-part heat map of the round picked (for the instructor)."""
    members, by_round = _class_rows(room_code, round_, made)
    rounds = {which: [(i, row) for i, row in enumerate(rows) if (row >= 0).any()] for which, rows in by_round.items()}
    columns = st.columns(len(rounds))
    for column, (which, labelled) in zip(columns, rounds.items()):
        alpha = (
            agreement.krippendorff_alpha(np.column_stack([row for _, row in labelled]), len(instructions.LABELS))
            if len(labelled) >= 2
            else float("nan")
        )
        column.metric(
            f"The class's agreement (Krippendorff's alpha), {exercise.ROUNDS[which].lower()}",
            _number(alpha),
            help=f"{len(labelled)} learners on {parts.N_LABEL} parts; {agreement.in_words(alpha)}.",
        )
        column.caption(
            f"{len(labelled)} learner{'s have' if len(labelled) != 1 else ' has'} labelled "
            f"{exercise.ROUNDS[which].lower()}" + ("" if len(labelled) >= 2 else ": the agreement appears from two.")
        )
    which = st.radio(
        "Show the labels",
        list(exercise.ROUNDS),
        format_func=exercise.ROUNDS.__getitem__,
        horizontal=True,
        key=f"class_round_{room_code}",
    )
    labelled = rounds[which]
    if len(labelled) < 2:
        return
    matrix = np.column_stack([row for _, row in labelled])
    names = [f"Learner {i + 1}" if names_hidden else members[i].name for i, _ in labelled]
    share = agreement.disagreement(matrix, len(instructions.LABELS))
    order = np.lexsort((np.arange(len(share)), -np.nan_to_num(share, nan=-1)))
    used = instructions.LABELS if (matrix == instructions.BORDERLINE).any() else parts.CLASSES
    widgets.chart(plots.class_labels(matrix[order], names, [f"Part {k + 1}" for k in order], used))


def class_line(room_code: str, round_: int, made: parts.Parts, rule: Rule, mine: np.ndarray) -> None:
    """For a learner in a room: how their labels under ``rule`` agree with the rest of the class's in that round."""
    which = "v1" if rule.name == instructions.V1.name else "written"
    _, by_round = _class_rows(room_code, round_, made, but=session.workspace_id())
    rows = [row for row in by_round[which] if (row >= 0).any()]
    if not rows:
        st.caption(f"No one else in your room has labelled the parts {exercise.ROUNDS[which].lower()} yet.")
        return
    found = instructions.compare(mine, np.column_stack(rows), seed=made.seed)
    st.markdown(
        f"**Your class:** {len(rows)} other learner{'s' if len(rows) != 1 else ''} labelled the parts "
        f"{exercise.ROUNDS[which].lower()}. You agree with the class's majority on {found.with_majority} of "
        f"{found.labelled} parts."
    )
