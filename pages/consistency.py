"""Label consistently: a panel of simulated annotators (agreement, three ways to one label, who is bad), and the
labelling-instructions exercise (label borderline parts under v1, write v2, watch agreement and the model)."""

import streamlit as st

from datacentric.common.display import plain
from datacentric.consistency import exercise, instructions, parts, plots, study
from datacentric.ui import classroom, consistency, headline, labelling, session, widgets

st.title("Label consistently")
st.markdown(
    "Careful people label the same thing differently when nobody has written down how. This page measures "
    "that disagreement, shows what to do about many labels per item, and lets you write the instruction "
    "that removes it."
)
widgets.lesson_card("pages/consistency.py")
annotators, instructing = st.tabs(["Simulated annotators", "Labelling instructions"])
member_of = classroom.membership()

with annotators:
    base = consistency.base_scenario(member_of)
    lab = session.lab(base)
    chosen = consistency.current_panel()
    st.markdown(
        f"**{base.describe()}**: each training item is labelled by a panel of simulated annotators, who "
        "only see the item. The app knows the true labels, so it can say how right each way of combining "
        "them is; a real project cannot."
    )
    st.text(chosen.describe())  # the panel's code comes from the URL: shown as text
    consistency.panel_form(chosen)
    metric = headline.pick(lab, "consistency")
    done, outcomes, table = consistency.studied(lab, chosen, metric)

    st.header("How far the annotators agree")
    consistency.agreement_figures(done)
    widgets.chart(plots.kappa_heatmap(done.kappa, chosen.names()))
    st.markdown("**The items they disagreed on most**")
    consistency.disputed(lab, done)

    st.header("Many labels into one")
    consistency.methods_chart(outcomes, metric)

    st.header("Who is a bad annotator?")
    consistency.annotator_table(table, study.found(done))

    st.header("Continue the loop")
    st.markdown(
        "Fix the labels starts from the labels you pick here, the fixed model held, and ranks the items most "
        "likely still wrong."
    )
    consistency.send_to_fix(base, chosen)

with instructing:
    made = labelling.the_parts(member_of)
    st.markdown(
        f"Parts come off a line with one scratch each. Inspectors label them, and a model learns from their "
        f"labels to sort the next parts. Each picture is 1 mm across; the bar under the part is "
        f"{parts.SCALE_BAR_MM} mm."
    )
    rules = labelling.my_rules(made)
    saved = labelling.records(made)
    at = labelling.pick_version(rules)
    rule = rules[at]
    st.markdown(
        f"**Instruction {plain(rule.name)}:** _{plain(rule.text)}_ "
        + ("That is all the inspectors were told. " if rule == instructions.V1 else "")
        + f"Label these {parts.N_LABEL} parts as you would, under that instruction."
    )
    mine = exercise.latest_labels(made, saved, rule.name)
    labelling.labelling_form(made, rule, at, mine)
    if (exercise.latest_labels(made, saved) >= 0).any():
        if (mine >= 0).any():
            st.header("You and the inspectors")
            labelling.inspectors_on_mine(made, rule, mine)
            if member_of:
                room, _ = member_of
                labelling.class_line(room.code, room.round, made, rule, mine)

        st.header("Write the next version")
        st.markdown(
            f"The customer grades the parts by their spec: **a scratch longer than {parts.SPEC_MM} mm is a "
            f"defect**. Nobody told the inspectors. Write a version of the instruction that does; the "
            f"{instructions.INSPECTORS} inspectors relabel every part under it, and you can label the parts "
            "again under it too."
        )
        labelling.rule_form(made, rules)
        st.header("Versions side by side")
        labelling.versions(made, rules, saved)
    else:
        st.caption("Label the parts above (and save) to compare with the inspectors and write the next version.")
