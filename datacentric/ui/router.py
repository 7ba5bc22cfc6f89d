"""Every page runs through app.py, even the first deep link a fresh server receives.

Streamlit discovers a ``pages/`` folder by itself until some session has run ``st.navigation``:
on a fresh server, a first request for ``/fix_labels`` would run that page alone, without the
page config, the sidebar or the scenario in the URL. A page that finds itself run that way
goes to app.py, which sends it back to the page, now routed.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

_ROUTED = contextvars.ContextVar("routed_by_app", default=False)
WANTED = "page_wanted_before_routing"


@contextmanager
def routing():
    """Wrap ``page.run()`` in app.py: pages run inside it know app.py ran first."""
    token = _ROUTED.set(True)
    try:
        yield
    finally:
        _ROUTED.reset(token)


def require(page_file: str) -> None:
    """Call first thing in a page, with ``__file__``."""
    if _ROUTED.get():
        return
    st.session_state[WANTED] = f"pages/{Path(page_file).name}"
    st.switch_page("app.py", query_params=_params())


def resume() -> None:
    """Call in app.py right after ``st.navigation``: finish a detour that ``require`` started."""
    wanted = st.session_state.pop(WANTED, None)
    if wanted:
        st.switch_page(wanted, query_params=_params())


def _params() -> dict[str, str]:
    return {key: st.query_params[key] for key in st.query_params}
