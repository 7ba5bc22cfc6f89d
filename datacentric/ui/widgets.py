"""Widgets shared by several pages: the scenario picker, an item's view, the lesson card."""

from __future__ import annotations

import numpy as np
import streamlit as st

from datacentric.common.display import CELL_CHARS, NAME_CHARS, plain, shorten, shortened_text
from datacentric.data.catalog import DATASETS
from datacentric.lab.lab import Lab
from datacentric.lab.scenario import MAX_RATE, MAX_RESERVE, NOISE_KINDS, SCARCE_RESERVE, Scenario
from datacentric.present.lessons import lesson_for
from datacentric.ui import keys, links, presenter, session


def scenario_picker() -> Scenario:
    """Dataset, noise kind, noise rate, seed and reserve; any change becomes the session's scenario (and URL)."""
    current = session.current_scenario()
    for field, key in keys.PICKER.items():
        # Widget keys vanish when another page is shown; start them again from the scenario.
        st.session_state.setdefault(key, getattr(current, field))
    locked = session.pinned() is not None
    if locked:
        st.info(
            "You are in a classroom challenge: you work on the room's scenario, the same for the whole class.",
            icon=":material/lock:",
        )
    own = {d["key"]: d["title"] for d in session.user_datasets()}
    titles = {key: spec.title for key, spec in DATASETS.items()} | {
        key: f"Yours: {shorten(title)}" for key, title in own.items()
    }
    st.selectbox(
        "Dataset",
        list(titles),
        key=keys.PICKER["dataset"],
        on_change=_picked,
        format_func=titles.__getitem__,
        help="Built-in datasets work offline. Bring your own on the Your data page.",
        disabled=locked,
    )
    picked = st.session_state[keys.PICKER["dataset"]]
    st.caption(
        DATASETS[picked].summary
        if picked in DATASETS
        else "Your own data, kept in your workspace. Confusable-pair noise and an annotator panel need a built-in "
        "dataset (its look-alike classes, its true labels); uniform noise works on any data."
    )
    st.radio(
        "Noise kind",
        list(NOISE_KINDS),
        key=keys.PICKER["noise"],
        on_change=_picked,
        format_func=lambda k: NOISE_KINDS[k].split(":")[0],
        horizontal=True,
        help="  \n".join(NOISE_KINDS.values()),
        disabled=locked,
    )
    st.slider(
        "Noise rate (% of training labels made wrong)",
        0,
        MAX_RATE,
        key=keys.PICKER["rate"],
        step=5,
        on_change=_picked,
        disabled=locked or st.session_state[keys.PICKER["noise"]] in ("none", "crowd"),
    )
    st.number_input(
        "Seed",
        min_value=0,
        max_value=2**31 - 1,
        step=1,
        key=keys.PICKER["seed"],
        on_change=_picked,
        help="The same seed gives the same split and the same wrong labels, on any machine.",
        disabled=locked,
    )
    st.slider(
        "Reserve (% of training rows held back, to collect later)",
        0,
        MAX_RESERVE,
        key=keys.PICKER["reserve"],
        step=5,
        on_change=_picked,
        help="Rows kept out of training for now, as data you could still collect: on "
        "Find the weak slice, collect more of a weak slice from them. Holding rows back changes the training "
        "set, so it is part of the scenario.",
        disabled=locked,
    )
    return session.current_scenario()


def _picked() -> None:
    values = {field: st.session_state[key] for field, key in keys.PICKER.items()}
    if values["noise"] in ("pairs", "crowd") and values["dataset"] not in DATASETS:  # they need a built-in's truth
        values["noise"] = st.session_state[keys.PICKER["noise"]] = "uniform"
    if values["noise"] in ("none", "crowd"):  # a panel's labels are as wrong as its annotators make them
        values["rate"] = 0
    elif values["rate"] == 0 and values["noise"] != "scarce":  # under-representation alone is a scenario
        values["rate"] = 20
    if values["noise"] == "scarce" != session.current_scenario().noise and values["reserve"] == 0:
        values["reserve"] = SCARCE_RESERVE  # random rows to collect, beside the slice's own
    st.session_state[keys.PICKER["rate"]] = values["rate"]
    st.session_state[keys.PICKER["reserve"]] = values["reserve"]
    session.set_scenario(
        Scenario(
            values["dataset"],
            values["noise"],
            int(values["rate"]),
            int(values["seed"]),
            int(values["reserve"]),
            crowd=session.current_scenario().crowd,
        )
    )  # the panel stays


def item_view(lab: Lab, item: int, *, compare: tuple[int, int]) -> None:
    """Show a training item so a person can judge its label: an enlarged image or a feature table.

    ``compare`` names two classes (given, suggested) whose typical values sit beside a tabular row.
    A learner's own row is shown as it was uploaded: text as text, never as Markdown or HTML.
    """
    if lab.dataset.is_users:
        _row_view(lab, item)
        return
    row = lab.train_features[item]
    if lab.dataset.modality == "image":
        paper = _on_paper(row.reshape(lab.dataset.image_shape))
        # As wide as its column, never wider: a fixed 192 px image overflowed a narrow column at 150 % zoom and
        # covered the given label beside it. 32 px a pixel keeps the edges sharp when a wide column enlarges it.
        with st.container(key="item_image"):
            st.image(
                np.kron(paper, np.ones((32, 32))),
                width="stretch",
                clamp=True,
                caption=f"training item {item}",
                alt=f"Training item {item}, enlarged: the picture whose label you are judging",
            )
        return
    import pandas as pd

    means = {c: lab.train_features[lab.noisy_labels == c].mean(axis=0) for c in compare}
    names = lab.dataset.classes
    table = pd.DataFrame({"feature": lab.dataset.feature_names, "this item": row})
    for c in dict.fromkeys(compare):
        table[f"typical {names[c]}"] = means[c]
    st.dataframe(
        table,
        hide_index=True,
        height=260,
        width="stretch",
        column_config={col: st.column_config.NumberColumn(format="%.3g") for col in table.columns[1:]},
    )
    st.caption(f"training item {item}. 'Typical' columns: the mean of each class over the starting training labels.")


def chart(spec: dict) -> None:
    """Draw a chart from ``datacentric.present.charts`` across its column, with the presenter view's larger text when it
    is
    on. Its title goes above it as text, which wraps: Vega-Lite cuts a title to the chart's width ("Test accuracy
    as ..." in a narrow column at 150 % zoom)."""
    spec = dict(presenter.chart(spec))
    title = spec.pop("title", None)
    if title:
        st.markdown(f"**{plain(title)}**")
    st.vega_lite_chart(spec=spec, width="stretch")


def _row_view(lab: Lab, item: int) -> None:
    import pandas as pd

    # by position: a test file's row numbers repeat the training file's
    row = lab.dataset.raw.iloc[lab.train_index[item]]
    for column in lab.dataset.text_columns:
        text, cut = shortened_text(_cell(row[column]))
        with st.container(border=True, height=360 if len(text) > 900 else "content"):
            st.caption(plain(column, limit=NAME_CHARS))
            st.text(text, width="stretch")
            if cut:
                st.caption(cut + " The whole text is kept in your data and in the export.")
    rest = [r.column for r in lab.dataset.roles_used if r.role != "text"]
    if rest:
        st.dataframe(
            pd.DataFrame(
                {"column": [shorten(c) for c in rest], "value": [shorten(_cell(row[c]), CELL_CHARS) for c in rest]}
            ),
            hide_index=True,
            width="stretch",
            height=min(260, 38 + 35 * len(rest)),
        )
    st.caption(f"training item {item}: row {row.name + 1:,} of your file")


def _cell(value) -> str:
    import pandas as pd

    return "(empty)" if pd.isna(value) else str(value)


def snippets(lab: Lab, items, *, length: int = 120) -> list[str] | None:
    """The first text column of each item, cut to ``length`` characters; None without a text column."""
    if not lab.dataset.text_columns:
        return None
    values = lab.dataset.raw[lab.dataset.text_columns[0]].iloc[lab.train_index[list(items)]].map(_cell)
    return [v if len(v) <= length else v[: length - 1] + "…" for v in values]


def up_next(lab: Lab, queue, *, n: int = 10) -> None:
    """The next items in the queue, with a thumbnail for images and the start of the text for text."""
    classes = lab.dataset.classes
    table = queue.head(n).assign(
        given=lambda q: q["given"].map(classes.__getitem__),
        suggested=lambda q: q["suggested"].map(classes.__getitem__),
    )
    columns = ["item", "given", "suggested", "confidence", "quality"]
    if lab.dataset.modality == "image":
        table["image"] = [_thumbnail(lab.train_features[i].reshape(lab.dataset.image_shape)) for i in table["item"]]
        columns.insert(0, "image")
    text = snippets(lab, table["item"])
    if text is not None:
        table["text"] = text
        columns.insert(1, "text")
    st.dataframe(
        table[columns],
        hide_index=True,
        row_height=48 if lab.dataset.modality == "image" else None,
        column_config={
            "image": st.column_config.ImageColumn("image"),
            "confidence": st.column_config.ProgressColumn(
                "model's confidence", format="percent", min_value=0, max_value=1
            ),
            "quality": st.column_config.NumberColumn(
                "label quality", format="%.3f", help="cleanlab's score for the given label: low means likely wrong"
            ),
        },
    )


def _thumbnail(pixels: np.ndarray) -> str:
    """A small PNG of an image item as a data URI, dark ink on white."""
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray((255 * _on_paper(pixels)).astype(np.uint8)).resize((40, 40), Image.NEAREST).save(
        buffer, format="PNG"
    )
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _on_paper(pixels: np.ndarray) -> np.ndarray:
    """Ink intensities as grey levels in [0, 1]: dark ink on white paper, as digits are written."""
    return 1.0 - pixels / max(float(pixels.max()), 1.0)


def param_inputs(lab: Lab, family: str) -> dict:
    """One widget per hyperparameter of ``family`` (as ``lab`` has it), each with its one-line explanation."""
    values = {}
    for p in lab.families[family].params:
        key = f"param_{family}_{p.name}"
        if p.choices:
            values[p.name] = st.selectbox(p.name, p.choices, index=p.choices.index(p.default), key=key, help=p.help)
        elif p.log:
            grid = _log_grid(p.low, p.high, p.default, integer=p.integer)
            values[p.name] = st.select_slider(
                p.name, grid, value=p.default, key=key, help=p.help, format_func=lambda v: f"{v:g}"
            )
        else:
            cast = int if p.integer else float
            values[p.name] = st.slider(p.name, cast(p.low), cast(p.high), cast(p.default), key=key, help=p.help)
        st.caption(p.help)
    return values


def _log_grid(low: float, high: float, default: float, *, integer: bool) -> list:
    """About three steps per decade from ``low`` to ``high``, with ``default`` on the grid."""
    import math

    n = max(2, int(round(3 * math.log10(high / low))) + 1)
    grid = {float(f"{v:.2g}") for v in np.geomspace(low, high, n)} | {default}
    return sorted({int(round(v)) for v in grid} if integer else grid)


NARROW = 640  # px: below this width Streamlit stacks columns, so a card's buttons sit under the card


def into_view_on_a_phone(key: str, version: int) -> None:
    """On a narrow screen, scroll the element drawn with ``key`` to the top of the view: a script of our own, with
    nothing from the learner in it. ``version`` is written into it, so each action's script differs from the last
    and runs again (the same html redrawn in place does not)."""
    # In a function of its own: the page's scripts share one global scope, where a second `const box` would fail.
    st.html(
        f"<script>/* {int(version)} */ (() => {{ const box = document.querySelector('.st-key-{key}');"
        f"if (box && window.innerWidth < {NARROW}) {{ box.style.scrollMarginTop = '4.5rem';"
        "const go = () => box.scrollIntoView({block: 'start'}); go(); setTimeout(go, 300); } })();</script>",
        # again once the run's last elements have settled; the margin clears the header
        unsafe_allow_javascript=True,
    )


def page_intro(title: str, text: str, page: str, *, scored_on: str | None = None):
    """A practice page's head: title, the scenario and what the page is for, what its scores are on (the test
    split unless ``scored_on`` says otherwise), its lesson card.

    Returns ``(scenario, lab)`` for the page to work on.
    """
    scenario = session.current_scenario()
    st.title(title)
    lab = opened(scenario)
    # a learner's title is text
    title = plain(session.title(), limit=NAME_CHARS) if lab.dataset.is_users else session.title()
    st.markdown(f"**{scenario.describe(title)}.** {text}")
    st.caption(
        scored_on
        or f"Every score on this page is on {lab.test_source}. Test items never enter the review "
        "queue, and no action changes them."
    )
    lesson_card(page)
    return scenario, lab


def opened(scenario: Scenario) -> Lab:
    """``state.lab``, or a sentence and the end of the page when this session may not open the scenario's data."""
    try:
        return session.lab(scenario)
    except PermissionError as refused:
        st.error(str(refused) + " Open your own workspace's link, or choose a dataset on Home.", icon=":material/lock:")
        st.stop()


def lesson_card(page: str) -> None:
    """A short card that points to the lesson behind this page."""
    lesson = lesson_for(page)
    if lesson is None:
        return
    with st.container(border=True):
        text, link = st.columns([4, 1], vertical_alignment="center")
        text.markdown(f"**Lesson: {lesson.title}** ({lesson.minutes} min) — " + "; ".join(lesson.objectives) + ".")
        link.page_link(
            links.page("pages/learn.py"),
            label="Read it",
            icon=":material/school:",
            query_params={"lesson": lesson.slug},
        )
