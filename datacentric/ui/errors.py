"""An uncaught error that the app can say in a sentence: app.py hands every page's uncaught error here first
(``st.App(on_script_error=...)``); anything else is shown as Streamlit shows it (its type only, see config.toml)."""

from __future__ import annotations

import streamlit as st

from datacentric.common.display import plain
from datacentric.lab.worklog import StoreBusy


def said(error: Exception) -> bool:
    """Say what happened, in a sentence, when ``error`` is one the app knows; True when it was said."""
    if isinstance(error, StoreBusy):  # a write the store could not make through its retries: nothing was saved
        st.warning(plain(f"{error} What the page showed before is still as it was."), icon=":material/sync_problem:")
        return True
    return False
