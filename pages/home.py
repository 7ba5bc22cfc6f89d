"""Home: what the app is for, the journey, and the scenario picker."""

import streamlit as st

from datacentric.lab.scenario import RATE_MEANS
from datacentric.modelling.models import FLOOR
from datacentric.ui import headline, links, presenter, services, widgets, workspace

SMALL_COST = 5  # test errors: below this, the under-represented slice is hard to tell from chance (bench/collect.py)

st.title("Data-Centric Playground")
st.markdown(
    "**AI = code + data.** Most machine-learning practice tunes the model while the data stays fixed; "
    "here you hold the model fixed and improve the data. Pick a dataset, make some of its labels wrong, "
    "then find and fix them, and watch the model get better with every fix."
)

st.header("Your journey")
JOURNEY = [
    ("1. Choose a scenario", "A dataset and how many of its training labels are wrong: below.", None),
    (
        "2. Tune the model",
        "Model-centric: keep the data, change the model and its hyperparameters.",
        "pages/tune_model.py",
    ),
    (
        "3. Fix the labels",
        "Data-centric: keep the model, fix the labels most likely to be wrong first.",
        "pages/fix_labels.py",
    ),
    (
        "4. Compare",
        "Your own baseline / model-centric / data-centric table, and accuracy against effort.",
        "pages/compare.py",
    ),
    (
        "5. Your data",
        "The same loop on a CSV of your own or a Hugging Face dataset: text, categories, numbers.",
        "pages/your_data.py",
    ),
]
with st.container(key="flow_journey"):  # as many cards to a row as fit (presenter.py)
    steps = st.columns(len(JOURNEY))
for column, (title, text, page) in zip(steps, JOURNEY):
    with column, st.container(border=True, height="stretch"):
        st.markdown(f"**{title}**  \n{text}")
        if page:
            st.page_link(links.page(page), label=f"Go to {title.split('. ', 1)[1]}", icon=":material/arrow_forward:")
st.caption("New to this? The lessons on **Learn** explain each step, with a short quiz.")
st.page_link(links.page("pages/learn.py"), label="Learn", icon=":material/school:")

if not presenter.active():  # a resume code typed in front of a room would be read by all of it
    workspace.resume_form()

st.header("1. Choose a scenario")
with st.container(key="stack_scenario"):
    left, right = st.columns([2, 3], gap="large")
with left:
    scenario = widgets.scenario_picker()
with (
    right,
    st.spinner(
        "Preparing this scenario: the split, the noise, and the fixed model trained on the noisy "
        "and on the clean labels...",
        show_time=True,
    ),
):  # the page shows first; the figures follow
    if scenario.is_users:
        widgets.opened(scenario)  # a learner's own dataset: only for the workspace that owns it
    figures = services.first_figures(scenario)  # a built-in's from the disk on a cold server: no fit, no import
metric = headline.pick_for(figures.test_labels, figures.n_classes, "home")
shown = headline.in_sentence(metric)
noisy, clean, floor = (figures.value(which, metric) for which in ("noisy", "clean", "floor"))
with right:
    st.markdown(
        f"**What the noise costs** — the fixed model (*{figures.model_sentence}*), trained on "
        f"{figures.n_in_use} items and scored on {figures.test_source}."
    )
    m1, m2, m3 = st.columns(3)
    if figures.grading == "none":
        m1.metric("Trained on your labels", f"{noisy:.1%}", help=f"Test {shown} on {figures.test_source}.")
        m2.metric("Most-frequent-class floor", f"{floor:.1%}", help=FLOOR.summary)
        st.info(
            figures.grading_note + ("" if scenario.holdout else " Add noise here to practise with grading."),
            icon=":material/info:",
        )
    else:
        m1.metric(
            "Trained on noisy labels",
            f"{noisy:.1%}",
            f"{(noisy - clean) * 100:+.1f} pts",
            help=f"Test {shown} of the fixed model trained on the labels you start from.",
        )
        m2.metric("Trained on clean labels", f"{clean:.1%}", help="The ceiling: the same model on the true labels.")
        m3.metric("Most-frequent-class floor", f"{floor:.1%}", help=FLOOR.summary)
        why = {"truth": "your column of known-true labels says which", "injected": "it made them wrong"}
        known = why[figures.grading] if scenario.is_users else "it made them wrong"
        st.markdown(
            f"**{figures.n_wrong:,} of {figures.n_in_use:,}** training labels are wrong "
            f"({figures.n_wrong / max(figures.n_in_use, 1):.0%}). The app knows which ({known}), so it can "
            "grade your review."
        )
        if scenario.noise in RATE_MEANS and scenario.rate:
            st.caption(f"The noise rate, {scenario.rate} %, is {RATE_MEANS[scenario.noise]}.")
        if figures.train_rows and figures.n_in_use <= figures.train_rows:
            st.caption(
                f"Only {figures.n_in_use:,} training items, on purpose: with little data every label counts, "
                "so each one you set right moves the model."
            )
        cost = (clean - noisy) * 100
        if figures.n_wrong and cost < 1 and scenario.noise != "scarce":
            st.warning(
                f"This noise costs the fixed model {cost:.1f} points of {shown}, less than one: fixing it "
                "cannot show much. "
                + (
                    "Try a panel with worse annotators, or fewer labels per item, on Label consistently."
                    if scenario.noise == "crowd"
                    else "Try a higher rate or systematic noise."
                ),
                icon=":material/info:",
            )
    if scenario.noise == "crowd":
        st.page_link(
            links.page("pages/consistency.py"),
            label="These labels come from a panel of simulated annotators: change the panel on Label consistently",
            icon=":material/how_to_vote:",
        )
    if figures.reserve_rows:
        st.markdown(
            f"**{figures.reserve_rows:,} training rows are held back** in the reserve, to collect later on "
            "Find the weak slice."
            + (
                " One slice of the data is nearly missing from training: which one is for you to find."
                if scenario.noise == "scarce"
                else ""
            )
        )
        if scenario.noise == "scarce":
            cost = figures.planted_cost
            st.caption(
                f"When it was planted, its scarcity cost the fixed model {cost} more wrong answers on the "
                "slice's test items than with all its rows in training (both trained on the labels before "
                "any noise)."
            )
            if cost < SMALL_COST:
                st.warning(
                    f"{cost} errors is a small effect here: discovery may not single the slice out from chance. "
                    "The handwritten digits show it best.",
                    icon=":material/info:",
                )
        st.page_link(links.page("pages/weak_slices.py"), label="Find the weak slice", icon=":material/troubleshoot:")
    headline.every_metric_of(
        figures.noisy, figures.classes, "Every metric, and each class, trained on the labels you start from"
    )
    st.page_link(links.page("pages/fix_labels.py"), label="Now fix them", icon=":material/fact_check:")
