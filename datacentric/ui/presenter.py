"""The presenter view, for teaching from a projector; and the layout rules every page needs to hold at a projector's
zoom (150 %, or 1280 x 720 at a device scale of 1.5).

On with ``?present=1`` in the address or the sidebar's toggle; the session remembers it across pages (navigation
clears the address) and puts it back in the address, so a refresh keeps it. In it, navigation.py draws none of its
sidebar
block: the resume code and the read-only link open or show the presenter's work, and CSS that hid them would still
send them to every browser tab showing the room. The sidebar starts collapsed (it holds the page list only); metrics,
the Compare table and the charts' text are larger; and a bar at the top of each page has the way out and "Reset
demo", a fresh workspace on the same scenario for the next class.
"""

from __future__ import annotations

import streamlit as st

from datacentric.ui import keys, session

PARAM = "present"  # in state.PAGE_PARAMS: sync_url keeps it
ON = "1"

# Columns in a container keyed "stack_..." stack one under another when the container is narrower than this, as
# Streamlit stacks every column on a phone (below 640 px of window). At 150 % zoom the main area of a page with its
# sidebar is about 520 px wide: Fix the labels' review card had 110 px for its buttons ("Accep…"), and its charts
# 200 px ("Test accuracy as …", confusion counts written over each other).
STACK_BELOW_PX = 700
# Columns in a container keyed "flow_..." flow as cards at least this wide, as many to a row as fit (Home's
# journey: five columns of 100 px at 150 % zoom broke "Compare" into "Compar e" and cut "Go to ..." to "Go").
FLOW_MIN_REM = 12
# Columns in a container keyed "keys_..." flow as small buttons at least this wide (the review card's class buttons:
# five to a row in a half-width column at 150 % zoom cut "0 ... 9" short). In one keyed "keys_same_..." each button's
# label is its key, so Streamlit's key hint beside it ("6 6") is kept for screen readers only.
KEYS_MIN_REM = 3


def _columns_of(kind: str) -> str:
    """A selector for the row of columns drawn right inside a container keyed ``kind...``."""
    return f'[class*="st-key-{kind}"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"]'


LAYOUT_CSS = f"""
[class*="st-key-stack_"], [class*="st-key-flow_"], [class*="st-key-keys_"] {{ container-type: inline-size; }}
@container (max-width: {STACK_BELOW_PX}px) {{
  {_columns_of("stack_")} {{ flex-direction: column; }}
  {_columns_of("stack_")} > [data-testid="stColumn"] {{ width: 100%; flex: 1 1 auto; }}
}}
{_columns_of("flow_")} {{ display: grid; grid-template-columns: repeat(auto-fill, minmax({FLOW_MIN_REM}rem, 1fr)); }}
{_columns_of("flow_")} > [data-testid="stColumn"] {{ width: auto; min-width: 0; }}
{_columns_of("keys_")} {{ display: grid; grid-template-columns: repeat(auto-fill, minmax({KEYS_MIN_REM}rem, 1fr)); }}
{_columns_of("keys_")} > [data-testid="stColumn"] {{ width: auto; min-width: 0; }}
[class*="st-key-keys_same_"] button kbd {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }}
/* A metric's label and delta wrap, and its value shrinks with a narrow column, rather than end in "...". */
div[data-testid="stMetric"] {{ container-type: inline-size; }}
div[data-testid="stMetric"] [data-testid="stMetricLabel"] .stMarkdownEllipsis,
div[data-testid="stMetric"] [data-testid="stMetricLabel"] p,
div[data-testid="stMetric"] [data-testid="stMetricDelta"] .stMarkdownEllipsis,
div[data-testid="stMetric"] [data-testid="stMetricDelta"] p,
div[data-testid="stMetric"] [data-testid="stMetricValue"] .stMarkdownEllipsis,
div[data-testid="stMetric"] [data-testid="stMetricValue"] p {{
  white-space: normal; text-overflow: clip; overflow-wrap: break-word;
}}
div[data-testid="stMetric"] [data-testid="stMetricValue"] {{ font-size: clamp(1.5rem, 28cqi, 2.25rem); }}
/* A page link's label wraps rather than end in "...". */
[data-testid="stPageLink-NavLink"] span, [data-testid="stPageLink-NavLink"] p {{
  white-space: normal; text-overflow: clip; overflow-wrap: break-word;
}}
/* The review card's digit: square pixels, however far its column enlarges it. */
.st-key-item_image img {{ image-rendering: pixelated; }}
/* A slider's value, over its thumb, in the text's colour: Streamlit draws it in the primary colour, 3.9:1 on the dark
   theme's background (WCAG asks 4.5:1), and no primary colour serves both it and the white label of a primary
   button there. */
[data-testid="stSliderThumbValue"] {{ color: inherit; }}
"""

# Larger where a room reads: the metrics, the Compare table (st.table is HTML, so CSS reaches it; st.dataframe is a
# canvas), and each chart's title (drawn above it by widgets.chart; its axes and legend are enlarged in the spec).
PRESENTER_CSS = """
div[data-testid="stMetric"] [data-testid="stMetricValue"] { font-size: clamp(1.75rem, 28cqi, 3.5rem); }
div[data-testid="stMetric"] [data-testid="stMetricLabel"] p { font-size: 1.25rem; }
div[data-testid="stMetric"] [data-testid="stMetricDelta"] p { font-size: 1.1rem; }
[data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 1.5rem; line-height: 1.3; }
.stElementContainer:has(+ .stElementContainer [data-testid="stVegaLiteChart"]) strong { font-size: 1.4rem; }
"""


def active() -> bool:
    """Whether this session shows the presenter view: ``?present=1`` in the address turns it on."""
    if st.query_params.get(PARAM) == ON:
        st.session_state[keys.PRESENTER] = True
    return st.session_state.get(keys.PRESENTER, False)


def apply() -> None:
    """Once per run, from navigation.py right after ``st.navigation``: the layout rules, and either the presenter view
    (its
    rules, the collapsed sidebar, the address, the bar of controls) or the sidebar's toggle into it."""
    on = active()
    st.html(f"<style>{LAYOUT_CSS}{PRESENTER_CSS if on else ''}</style>")
    if on:
        st.set_page_config(initial_sidebar_state="collapsed")
        if st.query_params.get(PARAM) != ON:
            st.query_params[PARAM] = ON  # after a page switch: a refresh, or the address copied, keeps the view
        _controls()
        return
    if st.session_state.pop(keys.PRESENTER_LEFT, False):
        st.set_page_config(initial_sidebar_state="expanded")
    st.sidebar.toggle(
        "Presenter view",
        key=keys.PRESENTER_TOGGLE,
        on_change=_enter,
        help="For a projector: hides this sidebar (your resume code and read-only link are not drawn at "
        "all), enlarges figures, tables and charts, and adds a button to reset the demo.",
    )


def chart(spec: dict) -> dict:
    """``spec`` (from ``datacentric.present.charts``) with the projector's larger axis, legend, title and label text
    when the
    presenter view is on; as it is otherwise."""
    from datacentric.present import charts  # pandas with it: kept off the first page's import path

    return charts.projected(spec) if active() else spec


def _controls() -> None:
    with st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center", key="presenter_bar"):
        st.caption("Presenter view")
        if not session.read_only():
            st.button(
                "Reset demo",
                key="presenter_reset",
                icon=":material/restart_alt:",
                on_click=_reset,
                wrap=True,
                help="A fresh workspace on this same scenario, for the next class. The work so far stays saved: "
                "its resume code still opens it.",
            )
        st.button(
            "Leave presenter view",
            key="presenter_leave",
            icon=":material/close_fullscreen:",
            on_click=_leave,
            wrap=True,
        )


def _enter() -> None:
    if st.session_state.get(keys.PRESENTER_TOGGLE):
        st.session_state[keys.PRESENTER] = True
        st.query_params[PARAM] = ON
    st.session_state[keys.PRESENTER_TOGGLE] = False  # drawn again, off, on leaving


def _leave() -> None:
    st.session_state[keys.PRESENTER] = False
    st.session_state[keys.PRESENTER_LEFT] = True
    if PARAM in st.query_params:
        del st.query_params[PARAM]


def _reset() -> None:
    session.start_afresh()  # the callback's rerun shows the fresh workspace; remember_workspace then keeps it
