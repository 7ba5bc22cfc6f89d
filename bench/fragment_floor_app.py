"""The floor under bench/leaderboard.py: a bare page whose only content is a fragment refreshing itself every 5 s and
drawing nothing, so what one refresh costs Streamlit itself (a run started, finished and reported) is measured."""

import streamlit as st


@st.fragment(run_every=5)
def nothing() -> None:
    """Drawn every 5 s, with nothing in it."""


nothing()
