"""Every page runs through navigation.py, even the first deep link a fresh server receives.

Streamlit discovers a ``pages/`` folder by itself until some session has run ``st.navigation``:
on a fresh server, a first request for ``/fix_labels`` would run that page alone, without the
page config, the sidebar or the scenario in the URL. A page that finds itself run that way
goes to navigation.py, which sends it back to the page, now routed. (Renaming ``pages/`` would avoid
this too, but the project's layout promises a ``pages/`` folder.)
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

WANTED = "page_wanted_before_routing"
# Once navigation.py has run st.navigation in this process, Streamlit stops discovering pages/ by itself.
# (AppTest resets that discovery before every run and then runs the page alone: no detour there.)
_navigated = False


def require(page_file: str) -> None:
    """Call first thing in a page, with ``__file__``."""
    if _navigated or not _discovered_by_streamlit():
        return
    st.session_state[WANTED] = f"pages/{Path(page_file).name}"
    st.switch_page("navigation.py", query_params=_params())


def resume() -> None:
    """Call in navigation.py right after ``st.navigation``: finish a detour that ``require`` started."""
    global _navigated
    _navigated = True
    if WANTED in st.session_state:
        wanted = st.session_state[WANTED]
        del st.session_state[WANTED]
        st.switch_page(wanted, query_params=_params())


def _discovered_by_streamlit() -> bool:
    """True while Streamlit routes by its own discovery of ``pages/`` (no st.navigation yet)."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # moved in a later Streamlit: routing through navigation.py is all we lose
        return False
    return bool(getattr(PagesManager, "uses_pages_directory", False))


def _params() -> dict[str, str]:
    return {key: st.query_params[key] for key in st.query_params}
