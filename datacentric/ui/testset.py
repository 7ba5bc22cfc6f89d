"""Your data's test-set choice: a seeded random split, another file the learner brought, or a split column."""

from __future__ import annotations

import streamlit as st

from datacentric.common.display import plain, shorten
from datacentric.lab.lab import TEST_SHARE
from datacentric.ui import session

TEST_SOURCES = {
    "random": f"A seeded random {TEST_SHARE * 100:.0f} % of this file",
    "file": "Another file I brought, with the same columns",
    "column": "A column of this file says which rows are for testing",
}
SPLIT_NAMES = ("split", "set", "subset", "fold", "partition", "part")


def choose(file: dict, frame, columns: list[str], hints: dict) -> tuple[str | None, str | None, str | None, str | None]:
    """Where the test rows come from: (test file's SHA-256, split column, its test value, what is missing), each
    None if unused. The last is set when the learner chose a test file or a split column that is not there yet:
    the dataset cannot be used until it is (a random split in its place would score on rows they did not choose).
    ``hints``: what a Hub load said about this file (its own test split, as "test_file")."""
    from datacentric.data import userdata

    st.markdown(
        "**Test set**: the rows every score is measured on. They never enter the review queue, and no "
        "action changes them, so keep them as clean as you can."
    )
    others = {f["sha"]: f for f in session.get_store().files(session.workspace_id()) if f["sha"] != file["sha"]}
    guess = "file" if hints.get("test_file") in others else "column" if _guess_split(columns) is not None else "random"
    # Kept while another file is set up (Streamlit forgets an undrawn widget): coming back finds the choice made.
    source = st.radio(
        "Test set",
        list(TEST_SOURCES),
        **session.kept(source_key(file["sha"]), guess, allowed=list(TEST_SOURCES)),
        format_func=TEST_SOURCES.get,
        label_visibility="collapsed",
    )
    if source == "file":
        if not others:
            missing = (
                "No test file yet: bring it above first (upload it, or load a Hub dataset's test split), then "
                "choose it here."
            )
            st.info(missing, icon=":material/upload_file:")
            return None, None, None, missing
        shas = list(others)
        start = shas.index(hints["test_file"]) if hints.get("test_file") in others else 0
        chosen = st.selectbox(
            "Test file",
            shas,
            **session.kept(file_key(file["sha"]), shas[start], allowed=shas),
            format_func=lambda sha: file_label(others[sha]),
        )
        return chosen, None, None, None
    if source == "column":
        if not columns:
            missing = "This file has no other column to say which rows are for testing: choose another test set."
            st.info(missing, icon=":material/info:")
            return None, None, None, missing
        left, right = st.columns(2)
        column = left.selectbox(
            "Split column",
            columns,
            index=_guess_split(columns) or 0,
            key=f"split_column_{file['sha']}",
            format_func=shorten,
        )
        values = userdata.split_values(frame[column])
        if not values:
            missing = "The split column is empty: choose another column or another test set."
            right.info(missing, icon=":material/info:")
            return None, None, None, missing
        value = right.selectbox(
            "Its value for test rows",
            values,
            key=f"test_value_{file['sha']}_{column}",
            index=next((i for i, v in enumerate(values) if v.lower() in ("test", "testing")), 0),
            format_func=shorten,
        )
        return None, column, value, None
    return None, None, None, None


def state_split(spec, sizes: tuple[int, int]) -> None:
    """The split in one line: how many rows train and how many test, and where the test rows come from
    (``sizes``: ``userdata.split_sizes``)."""
    train, test = (f"{n:,}" for n in sizes)
    files = session.get_store().files(session.workspace_id()) if spec.test_file else []
    test_name = next((f["name"] for f in files if f["sha"] == spec.test_file), "the test file")
    where = {
        "random": f"a seeded random {TEST_SHARE * 100:.0f} % of this file",
        "file": f"every labelled row of {shorten(test_name)!r}, a file of their own",
        "column": f"the rows whose {shorten(spec.split_column)!r} is {shorten(spec.test_value)!r}",
    }[spec.test_source]
    st.markdown(plain(f"Split: {train} rows train the model and {test} rows test it: {where}."))


def source_key(sha: str) -> str:
    """The widget key of where the test rows of the file ``sha`` come from."""
    return f"test_from_{sha}"


def file_key(sha: str) -> str:
    """The widget key of the file ``sha``'s test file."""
    return f"test_file_{sha}"


def propose(setup: str, test: str) -> None:
    """Make the stored file ``test`` the test file of the file ``setup`` (the learner can change it), before the
    form is drawn: set as the learner's own choice would be kept."""
    st.session_state[session.shadow_of(source_key(setup))] = "file"
    st.session_state[session.shadow_of(file_key(setup))] = test


def _guess_split(columns: list[str]) -> int | None:
    lowered = [c.strip().lower() for c in columns]
    return next((lowered.index(name) for name in SPLIT_NAMES if name in lowered), None)


def file_label(file: dict) -> str:
    source = "Hub" if file["source"]["kind"] == "hub" else "upload"
    return f"{shorten(file['name'])} ({file['size'] / 1024:,.0f} KB, {source})"
