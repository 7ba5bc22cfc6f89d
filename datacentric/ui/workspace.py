"""The sidebar's workspace part: the learner's resume code (to come back from another device) and a way in
with one. The workspace id itself is never shown: this browser keeps it (``state.remember_workspace``)."""

from __future__ import annotations

import streamlit as st

from datacentric.persistence import resume
from datacentric.ui import keys, session


@st.cache_resource(show_spinner=False)
def attempts() -> resume.Limiter:
    """Wrong codes per client, for this server process (sticky sessions keep a browser on one)."""
    return resume.Limiter()


def sidebar() -> None:
    if session.read_only():
        st.caption("A read-only view of someone's work: you can look around every page; nothing can be changed.")
        return
    code = session.resume_code()
    if code:
        # Behind an expander: on a projector the whole room would otherwise see a code that opens your work.
        with st.expander("Your resume code (private)", icon=":material/key:"):
            st.markdown(
                "This browser keeps your work. On another device, type this code on Home under "
                "**Continue your work from another device** to open it there, Undo included. Keep it to "
                "yourself."
            )
            st.code(resume.shown(code), language=None)
        with st.expander("Show your work (read-only link)", icon=":material/visibility:"):
            st.markdown(
                "Anyone with this link sees your labels, runs and lessons on every page, and can download "
                "the cleaned data (your own dataset's rows included), but can change nothing. It never opens "
                "your work for editing; only your resume code does."
            )
            st.code(session.view_link(), language=None, wrap_lines=True)
    else:
        st.caption(
            "Your work is saved from your first action, and this browser keeps it; a code to open it on "
            "another device will appear here. Started elsewhere? Type your resume code on Home."
        )


def resume_form() -> None:
    """On Home: open the work started on another device with its resume code."""
    welcomed = st.session_state.pop(keys.RESUMED, None)
    with st.expander("Continue your work from another device", icon=":material/login:", expanded=bool(welcomed)):
        if welcomed:
            st.success(welcomed, icon=":material/login:")
        typed = st.text_input("Resume code", placeholder="ABCD-EFGH-JKMN", max_chars=20, key="resume_code")
        if st.button("Open my work", key="resume_open", icon=":material/login:"):
            opened, said = session.resume_with(typed, attempts())
            if opened:
                for key in keys.PICKER.values():  # the picker starts again from the work's scenario
                    st.session_state.pop(key, None)
                st.session_state[keys.RESUMED] = said
                st.rerun()  # the whole app again: the sidebar was drawn before the work opened, on the old scenario
            st.warning(said, icon=":material/lock:")
