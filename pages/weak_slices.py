"""Find the weak slice: where the fixed model is wrong, and which slice of the data is worth the next hour."""

import numpy as np
import pandas as pd
import streamlit as st

from datacentric.findings import slices
from datacentric.lab import cuts
from datacentric.ui import consistency, headline, keys, links, myslices, services, session, slice_work, widgets

scenario, lab = widgets.page_intro(
    "Find the weak slice",
    "Totals hide where the model fails. This page scores the fixed model, trained on your "
    "current labels, on slices of the test items, finds the weakest, and ranks slices by what fixing them could "
    "gain, as in Andrew Ng's priority table.",
    "pages/weak_slices.py",
)
metric = headline.pick(lab, "weak_slices")
shown = headline.in_sentence(metric)
now = lab.state(session.log())
predicted = services.score_of(scenario, now.labels, now.kept, now.copies).predicted
graded = lab.grading != "none"
every_row = np.ones(lab.n_train, dtype=bool)  # the ceiling: clean labels on every training row, the reserve included
reference = services.score_of(scenario, lab.true_labels, every_row).predicted if graded else None
mine = myslices.saved(scenario, lab)
single = [*services.slices_of(scenario), *mine]
slice_work.feedback(scenario, lab, now)

st.header("The weakest slices")
found = slices.discover(lab, predicted, single=single)
st.caption(
    f"Every slice of one or two conditions with at least {slices.MIN_SHARE * 100:.0f} % of the test items, "
    "ranked by "
    "its errors beyond the overall error rate (error rate and size in one number)."
)
st.dataframe(
    found.drop(columns="of"),
    hide_index=True,
    width="stretch",
    column_config={
        "slice": st.column_config.TextColumn("slice", width="large"),  # a learner's names and values: shown as text
        "error": st.column_config.NumberColumn("error rate", format="percent"),
        "test_items": st.column_config.NumberColumn("test items"),
        "share": st.column_config.NumberColumn("share of test items", format="percent"),
        "excess": st.column_config.NumberColumn("errors beyond the average", format="%.1f"),
    },
)

st.header("Where the next hour goes: the priority table")
level = item_levels = None
source = consistency.reference_source(graded)
if source == "ceiling":
    st.caption(
        "Reference level: the clean-label ceiling of each slice, the fixed model trained on the true labels "
        "of every training row" + (", the reserve included." if lab.reserve.any() else ".")
    )
elif source == "agreement":
    item_levels = consistency.agreement_reference(lab, metric)
    reference = None
else:
    reference = None
    level = (
        st.number_input(
            f"Reference level ({shown}, %): what a slice could reach, for example human level",
            0.0,
            100.0,
            95.0,
            step=1.0,
        )
        / 100
    )
focus = myslices.focused(scenario)
kept_in_view = cuts.find(single, focus["key"]) if focus else None  # the slice chosen stays, discovered or not
chosen_slices = [*single, *found["of"], *([kept_in_view] if kept_in_view else [])]
by_name = {s.name: s for s in chosen_slices}
table = slices.priority(lab, chosen_slices, predicted, reference, metric, level=level, item_levels=item_levels)
table, moved = slice_work.measured(table, focus, by_name, lab, predicted, metric)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "slice": st.column_config.TextColumn("slice", width="medium"),
        "now": st.column_config.NumberColumn(f"{shown} now", format="percent"),
        "reference": st.column_config.NumberColumn("reference level", format="percent"),
        "gap": st.column_config.NumberColumn("gap (points)", format="%.1f"),
        "share": st.column_config.NumberColumn("share of data", format="percent"),
        "potential": st.column_config.NumberColumn("potential gain (points)", format="%.2f"),
        "measured": st.column_config.TextColumn(
            "measured gain (points)", help="Since you chose the slice to review or collect: points of the whole."
        ),
    },
)
if item_levels is not None:
    consistency.low_agreement(table, item_levels)
st.caption(
    "Equal gains go to the narrower slice first; a slice that holds a narrower one with "
    f"{slices.NESTED * 100:.0f} % of "
    "its potential gain is listed after it: acting on the narrower one buys most of the gain for less work."
)
if focus and focus["name"] in list(table["slice"]):
    st.session_state.setdefault(keys.SLICE_TO_REVIEW, focus["name"])  # after a reload: the slice chosen last
pick = st.selectbox("Work on a slice (the table's order)", list(table["slice"]), key=keys.SLICE_TO_REVIEW)
row = table.set_index("slice").loc[pick]
chosen = (scenario, by_name[pick].key, pick, float(row["now"]), float(row["potential"]), float(row["share"]), metric)
if st.button("Review this slice", type="primary", icon=":material/fact_check:", **session.writable()):
    myslices.focus(*chosen)
    st.switch_page(links.page("pages/fix_labels.py"))
slice_work.collect_more(scenario, lab, now, by_name[pick], chosen[1:])
if moved is not None:
    st.info(
        f"Since you chose it, your slice moved {moved:+.1f} points on its test items, "
        f"{moved * focus['share']:+.2f} points of the whole; its potential gain was {focus['potential']:.2f}.",
        icon=":material/straighten:",
    )
    st.text(focus["name"])  # which slice, as text
slice_work.define(scenario, lab, mine)

st.markdown(
    f"- **{headline.name(metric)} now**: the fixed model, trained on your current labels, on the slice's test items.\n"
    "- **Reference level**: what the slice could reach (here " + consistency.REFERENCES[source].lower() + ").\n"
    "- **Gap**: reference level minus now, in points.\n"
    "- **Share of data**: the slice's share of the test items.\n"
    "- **Potential gain**: gap x share, the points of the whole that closing the gap would buy. Sort by this, not by "
    "the lowest score: a weak slice nobody meets is worth little."
)
st.caption("Source: Andrew Ng, Machine Learning in Production (DeepLearning.AI, 2021), the speech example below.")
speech = slices.NG_SPEECH.assign(
    gap=lambda t: (t["reference"] - t["now"]) * 100, potential=lambda t: (t["reference"] - t["now"]) * 100 * t["share"]
)
st.dataframe(
    pd.DataFrame(speech),
    hide_index=True,
    column_config={
        "now": st.column_config.NumberColumn("accuracy", format="percent"),
        "reference": st.column_config.NumberColumn("human level", format="percent"),
        "share": st.column_config.NumberColumn("share of data", format="percent"),
        "gap": st.column_config.NumberColumn("gap (points)", format="%.0f"),
        "potential": st.column_config.NumberColumn("potential gain (points)", format="%.2f"),
    },
)
slice_work.spend_budget(scenario, lab, metric, level)
st.page_link(links.page("pages/fix_labels.py"), label="Fix the labels of a weak slice", icon=":material/fact_check:")
