"""Cached, shared-across-sessions computations, keyed on scenario and label content.

pandas, SQLAlchemy and cleanlab are imported where first needed: app.py imports this module
before the first page draws anything, and start-up time is budgeted.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from datacentric.catalog import Dataset
from datacentric.lab import Lab, prepare
from datacentric.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

    from datacentric.evaluate import Score
    from datacentric.store import Store


@st.cache_resource(show_spinner=False)
def get_store() -> Store:
    """One store (and connection pool) per server process."""
    from datacentric.store import Store

    return Store(_store_url())


def _store_url() -> str:
    from datacentric import settings, store

    if settings.text(store.URL_ENV):
        return settings.text(store.URL_ENV)
    try:
        return st.secrets["database"]["url"]
    except (KeyError, FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return store.default_url()


@st.cache_resource(show_spinner=False)
def single_threaded_blas():
    """Once per server process: one BLAS thread (see ``models.limit_blas_threads``); sessions are the parallelism."""
    from datacentric.models import limit_blas_threads

    return limit_blas_threads(1)


def get_lab(scenario: Scenario) -> Lab:
    """The scenario's split, features and noisy labels; a learner's dataset must be checked as theirs first."""
    single_threaded_blas()  # every fit comes after a lab: cap BLAS before the first one
    return _users_lab(scenario) if scenario.is_users else _built_in_lab(scenario)


@st.cache_resource(show_spinner="Preparing the scenario...", max_entries=64)
def _built_in_lab(scenario: Scenario) -> Lab:
    return prepare(scenario)


# A 20,000-row text lab holds about 70 MiB (table, TF-IDF matrices): keep few, and not forever.
@st.cache_resource(show_spinner="Preparing your dataset...", max_entries=6, ttl=2 * 3600)
def _users_lab(scenario: Scenario) -> Lab:
    return prepare(scenario, user_dataset(scenario.dataset))


@st.cache_resource(show_spinner="Reading your data...", max_entries=6, ttl=2 * 3600)
def user_dataset(key: str) -> Dataset:
    """A learner's dataset from the store: its file parsed again and read by its spec (deterministic)."""
    from datacentric import userdata

    found = get_store().dataset(key)
    if found is None:
        raise LookupError(f"No dataset {key} in the store.")
    record, raw = found
    frame = parsed().get(record["sha"])
    frame = _read_stored(raw) if frame is None else frame
    # No title: two workspaces reading the same file the same way share this dataset, not their file names.
    return userdata.build(frame, userdata.UserSpec.from_json(record["spec"]), key=key, title="")


@st.cache_resource(show_spinner="Reading the file...", max_entries=8)
def table_of(workspace: str | None, sha: str) -> pd.DataFrame:
    """A workspace's stored file as a table (read-only: callers must not change it)."""
    if sha in parsed():
        if not any(f["sha"] == sha for f in get_store().files(workspace)):
            raise LookupError("That file is not in this workspace.")
        return parsed()[sha]
    raw = get_store().file_bytes(workspace, sha)
    if raw is None:
        raise LookupError("That file is not in this workspace.")
    return _read_stored(raw)


_REMEMBER_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def parsed() -> dict:
    """Tables just parsed on upload, by file SHA-256, so setting one up does not parse it again.

    Holds the last few only (``remember``); a 20,000-row text file takes 0.3-0.8 s to parse.
    """
    return {}


def remember(sha: str, frame: pd.DataFrame, keep: int = 4) -> None:
    tables = parsed()
    with _REMEMBER_LOCK:  # sessions upload at the same time
        tables[sha] = frame
        while len(tables) > keep:
            tables.pop(next(iter(tables)))


@st.cache_data(show_spinner="Detecting column roles...", max_entries=32)
def roles_of(workspace: str | None, sha: str, exclude: tuple[str, ...]) -> list:
    """Detected roles of a stored file's columns (all but ``exclude``): a pass over every text value."""
    from datacentric.featurize import detect_roles

    return detect_roles(table_of(workspace, sha), exclude=exclude)


def _read_stored(raw: bytes) -> pd.DataFrame:
    from datacentric import tables

    # The file passed the limits when it was stored; a later, lower limit must not lock its work away.
    return tables.read_csv(raw, limits=tables.Limits(max_rows=10**9, max_columns=10**6, max_bytes=2**62)).frame


# Labels travel as bytes so the cache key is their content; arrays are rebuilt inside.
@st.cache_data(show_spinner=False, max_entries=20_000)
def score(scenario: Scenario, labels: bytes, kept: bytes) -> Score:
    from datacentric.evaluate import train_and_score

    lab = get_lab(scenario)
    return train_and_score(lab, _ints(labels), _bools(kept))


@st.cache_data(show_spinner="Computing out-of-fold probabilities...", max_entries=512)
def pred_probs(scenario: Scenario, labels: bytes, kept: bytes) -> np.ndarray:
    from datacentric import issues

    return issues.out_of_fold_pred_probs(get_lab(scenario), _ints(labels), _bools(kept))


@st.cache_data(show_spinner="Ranking labels by how likely each is wrong...", max_entries=512)
def ranked_queue(scenario: Scenario, labels: bytes, kept: bytes):
    from datacentric import issues

    labels_, kept_, probs = _ints(labels), _bools(kept), pred_probs(scenario, labels, kept)
    return issues.rank_label_issues(labels_, probs, kept_), issues.estimate_issue_count(labels_, probs, kept_)


@st.cache_data(show_spinner="Computing the confident joint...", max_entries=64)
def confident_joint(scenario: Scenario):
    """The confident joint of the scenario's starting labels."""
    from datacentric import issues

    lab = get_lab(scenario)
    kept = np.ones(lab.n_train, dtype=bool)
    return issues.confident_joint(lab.noisy_labels, pred_probs(scenario, *as_key(lab.noisy_labels, kept)), kept)


@st.cache_data(show_spinner=False, max_entries=64)
def found_curves(scenario: Scenario):
    """Found-vs-reviewed for the starting labels: ranked, random and oracle."""
    from datacentric import issues

    lab = get_lab(scenario)
    queue, _ = queue_of(scenario, lab.noisy_labels, np.ones(lab.n_train, dtype=bool))
    order = issues.random_order(lab.n_train, seed=scenario.seed)
    return issues.found_curves(queue["item"].to_numpy(), order, lab.is_noisy)


def score_of(scenario: Scenario, labels: np.ndarray, kept: np.ndarray | None = None) -> Score:
    """The fixed model's score with these labels (all items kept unless ``kept`` says otherwise)."""
    kept = np.ones(len(labels), dtype=bool) if kept is None else kept
    return score(scenario, *as_key(labels, kept))


def queue_of(scenario: Scenario, labels: np.ndarray, kept: np.ndarray):
    """(ranked queue, cleanlab's estimated issue count) for these labels."""
    return ranked_queue(scenario, *as_key(labels, kept))


def accuracy_history(scenario: Scenario, log) -> pd.DataFrame:
    """Test accuracy before any action and after each group of the log still in effect."""
    import pandas as pd

    from datacentric.workspace import history

    steps = history(get_lab(scenario).noisy_labels, log)
    return pd.DataFrame({"actions": [n for n, _, _ in steps],
                         "accuracy": [score_of(scenario, labels, kept).accuracy for _, labels, kept in steps]})


def as_key(labels: np.ndarray, kept: np.ndarray) -> tuple[bytes, bytes]:
    return np.asarray(labels, dtype=np.int64).tobytes(), np.asarray(kept, dtype=bool).tobytes()


def _ints(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.int64).copy()


def _bools(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=bool).copy()


@st.cache_resource(show_spinner=False)
def replay_lock():
    """One replay computes at a time on a server; the others wait, then find its result."""
    import threading

    return threading.Lock()


@st.cache_resource(show_spinner=False)
def replays() -> dict:
    """Finished replay experiments, shared by every session: (scenario, steps) -> Replay.

    A plain dict rather than ``st.cache_data`` so that the first learner to run one sees its
    progress; everyone after gets the result at once. Deterministic, so sharing is safe.
    """
    return {}
