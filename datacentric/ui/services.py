"""Computations shared by every session of a server, kept within one memory budget (DCP_CACHE_MB).

Prepared datasets, out-of-fold probabilities, rankings and scores are keyed on the scenario and on the
labels' content, and live in one byte-bounded cache: the least recently used leave first, and a quarter
of an hour unused is enough to leave. A learner's big file is parsed and encoded a few at a time, so a class
uploading at once cannot stack up the memory of every preparation. pandas, SQLAlchemy and cleanlab are
imported where first needed: navigation.py imports this module before the first page draws anything, and
start-up time is budgeted.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import streamlit as st

from datacentric.common.memory import ByteCache
from datacentric.data.catalog import Dataset
from datacentric.lab.lab import Lab
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

    from datacentric.lab.evaluate import Score
    from datacentric.persistence.store import Store

T = TypeVar("T")
LOG = logging.getLogger(__name__)
IDLE_SECONDS = 15 * 60  # an entry nobody used for 15 minutes leaves: a server's memory falls after class
# Parsing a maximum-size upload (50 MB, 50,000 x 200) peaks near 0.7 GB and takes 4 s of one core:
# two at a time keep both cores busy and bound what eight learners uploading at once can pile up.
HEAVY_AT_ONCE = 2
_HEAVY = threading.BoundedSemaphore(HEAVY_AT_ONCE)


@st.cache_resource(show_spinner=False)
def get_store() -> Store:
    """One store (and connection pool) per server process."""
    from datacentric.persistence.store import Store

    return Store(_store_url())


def _store_url() -> str:
    from datacentric.common import settings
    from datacentric.persistence import store

    if settings.text(store.URL_ENV):
        return settings.text(store.URL_ENV)
    try:
        return st.secrets["database"]["url"]
    except (KeyError, FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return store.default_url()


@st.cache_resource(show_spinner=False)
def single_threaded_blas():
    """Once per server process: one BLAS thread (see ``models.limit_blas_threads``); sessions are the parallelism."""
    from datacentric.modelling.models import limit_blas_threads

    return limit_blas_threads(1)


@st.cache_resource(show_spinner=False)
def memory() -> ByteCache:
    """The server's one cache, sized by DCP_CACHE_MB (a bad value is logged and the default used)."""
    from datacentric.common import settings
    from datacentric.common.memory import map_big_blocks

    map_big_blocks()  # so memory that leaves the cache leaves the process too
    try:
        budget = settings.cache_bytes()
    except settings.SettingError as error:
        LOG.error("%s Using the default.", error)
        budget = settings.default_cache_mb() * settings.MB
    return ByteCache(budget, idle_seconds=IDLE_SECONDS)


def _kept(key: Hashable, compute: Callable[[], T], spinner: str | None = None) -> T:
    """``compute()``, kept in the server's cache under ``key``; a spinner says what is happening if it runs."""
    cache = memory()
    if spinner is None or key in cache:
        return cache.get(key, compute)
    with st.spinner(spinner):
        return cache.get(key, compute)


def shared(key: Hashable, compute: Callable[[], T], spinner: str | None = None) -> T:
    """``compute()``, kept in the server's one cache under ``key`` (a tuple naming what it is), for every session;
    ``spinner`` says what is happening while it computes (nothing when it is already kept)."""
    return _kept(key, compute, spinner)


@contextlib.contextmanager
def heavy_work():
    """Hold one of the few slots for parsing or encoding a learner's file. Never wait on the cache inside it:
    a thread that holds a slot must not wait for one that waits for a slot."""
    from datacentric.common.memory import release_free_memory

    with _HEAVY:
        try:
            yield
        finally:
            release_free_memory()  # a parse's or an encoding's temporaries are hundreds of MB: give them back


# A learner's dataset key -> the workspace that last opened its lab through ``lab_for`` (the store found the dataset
# filed under it). A few dozen bytes per dataset a server has seen.
_OPENED: dict[str, str | None] = {}


def lab_for(workspace: str | None, scenario: Scenario) -> Lab:
    """The lab ``workspace`` may open: a built-in scenario's for anyone; a learner's own dataset's only for the
    workspace that filed it, which the store answers on every call, before the shared cache (PermissionError if
    not: another workspace's dataset, or no workspace yet). Pages go through ``session.lab``, which calls this."""
    if scenario.is_users:
        if get_store().dataset_record(workspace, scenario.dataset) is None:
            raise PermissionError("This dataset was uploaded into another workspace, so this session cannot open it.")
        _OPENED[scenario.dataset] = workspace
    return get_lab(scenario)


def get_lab(scenario: Scenario) -> Lab:
    """The scenario's split, features and noisy labels, for every session. The services below call it after a page
    opened the lab through ``lab_for``: a learner's dataset, if the cache let it go since, is read again from the
    store for the workspace that opened it (LookupError if that workspace no longer has it)."""
    single_threaded_blas()  # every fit comes after a lab: cap BLAS before the first one
    if not scenario.is_users:
        return _kept(("lab", scenario), lambda: prepare(scenario), "Preparing the scenario...")

    def encode() -> Lab:
        dataset = user_dataset(_OPENED.get(scenario.dataset), scenario.dataset)
        with heavy_work():
            return prepare(scenario, dataset)

    return _kept(("lab", scenario), encode, "Preparing your dataset...")


def first_figures(scenario: Scenario):
    """Home's figures of ``scenario`` (``first_page.Figures``): a built-in scenario's from the disk when kept there
    (no fit, no scikit-learn import: a cold server's first page), else computed from its lab and kept. A learner's
    own dataset goes through ``session.lab`` first (Home opens it for the session's workspace)."""
    from datacentric.present import first_page

    def compute():
        found = first_page.read(scenario)
        if found is not None:
            return found
        from datacentric.lab.evaluate import train_and_score
        from datacentric.modelling.models import FLOOR

        lab = get_lab(scenario)
        figures = first_page.of(
            lab,
            score_of(scenario, lab.noisy_labels),
            score_of(scenario, lab.true_labels),
            train_and_score(lab, lab.noisy_labels, model=FLOOR),
        )
        first_page.write(scenario, figures)
        return figures

    return _kept(("first figures", scenario), compute)


def user_dataset(workspace: str | None, key: str) -> Dataset:
    """The workspace's dataset ``key`` from the store: its file parsed again and read by its spec (deterministic): in
    the text encoding the spec names for it (the learner's choice) or else the one recorded when it was stored, and
    its test file likewise. LookupError unless the workspace filed it (the store is asked before the shared cache)."""
    from datacentric.data import userdata

    store = get_store()
    record = store.dataset_record(workspace, key)
    if record is None:
        raise LookupError(f"No dataset {key} in this workspace.")

    def read() -> Dataset:
        spec = userdata.UserSpec.from_json(record["spec"])
        sources = _sources(workspace)
        frame = _stored_table(workspace, record["sha"], spec.encoding or _recorded(sources.get(record["sha"])))
        test = (
            _stored_table(workspace, spec.test_file, spec.test_encoding or _recorded(sources[spec.test_file]))
            if spec.test_file in sources
            else None
        )
        # No title: two workspaces reading the same file the same way share this dataset, not their file names.
        return userdata.build(frame, spec, key=key, title="", test_frame=test)

    return _kept(("dataset", key), read, "Reading your data...")


def table_of(workspace: str | None, sha: str, *, encoding: str | None = None, name: str = "the file") -> pd.DataFrame:
    """A workspace's stored file as a table (read-only: callers must not change it), its bytes decoded with
    ``encoding`` if given, else with the encoding recorded when the file was stored, so an upload reads as it first
    did whatever detection says now, else as detected (a Hub table, stored as UTF-8, has none recorded).
    LookupError unless the workspace filed it; TableError if the bytes are not text in ``encoding`` (naming the file
    as ``name``)."""
    source = _sources(workspace).get(sha)  # the store's answer, before the shared cache
    if source is None:
        raise LookupError("That file is not in this workspace.")
    return _stored_table(workspace, sha, encoding or _recorded(source), "Reading the file...", name)


def remember(sha: str, frame: pd.DataFrame) -> None:
    """Keep a table just parsed on upload, so setting it up does not parse it again (under the encoding it was read
    in, ``frame.attrs``, which the upload's source record holds too)."""
    memory().put(("table", sha, frame.attrs.get("encoding")), frame)


def forget(sha: str) -> None:
    """A deleted file's tables leave the cache: as detected and in every encoding with a name (one read in a codec
    without one ages out; its datasets' labs leave as they age too)."""
    from datacentric.data.encodings import ENCODING_NAMES

    for encoding in (None, *ENCODING_NAMES):
        memory().discard(("table", sha, encoding))


@st.cache_data(show_spinner="Detecting column roles...", max_entries=32)
def roles_of(workspace: str | None, sha: str, exclude: tuple[str, ...], encoding: str | None = None) -> list:
    """Detected roles of a stored file's columns (all but ``exclude``), read in ``encoding`` as ``table_of`` reads
    it: a pass over every text value."""
    from datacentric.data.featurize import detect_roles

    return detect_roles(table_of(workspace, sha, encoding=encoding), exclude=exclude)


def _sources(workspace: str | None) -> dict[str, dict]:
    """The workspace's files: sha -> where each came from (an upload's record holds the encoding it was read in)."""
    return {file["sha"]: file["source"] for file in get_store().files(workspace)}


def _recorded(source: dict | None) -> str | None:
    return (source or {}).get("encoding")


def _stored_table(
    workspace: str | None, sha: str, encoding: str | None, spinner: str | None = None, name: str = "the file"
) -> pd.DataFrame:
    """A stored file read in ``encoding`` (None: as detected), kept under a key that names it: one file read in two
    encodings is two tables, whose classes may differ."""
    return _kept(("table", sha, encoding), lambda: _read_stored(_file_bytes(workspace, sha), encoding, name), spinner)


def _file_bytes(workspace: str | None, sha: str) -> bytes:
    raw = get_store().file_bytes(workspace, sha)
    if raw is None:
        raise LookupError("That file is not in this workspace.")
    return raw


def _read_stored(raw: bytes, encoding: str | None, name: str = "the file") -> pd.DataFrame:
    from datacentric.data import tables

    # The file passed the limits when it was stored; a later, lower limit must not lock its work away.
    with heavy_work():
        return tables.read_csv(raw, limits=tables.NO_LIMITS, name=name, encoding=encoding).frame


def score_of(
    scenario: Scenario, labels: np.ndarray, kept: np.ndarray | None = None, copies: np.ndarray | None = None
) -> Score:
    """The fixed model's score with these labels (the items in training at the start unless ``kept`` says otherwise;
    each ``1 + copies`` times)."""
    from datacentric.lab.evaluate import train_and_score

    kept = get_lab(scenario).in_use if kept is None else kept  # by default, the rows in training at the start
    key = ("score", scenario, content_key(labels, kept))
    if copies is not None:
        key += (hashlib.blake2b(np.asarray(copies, dtype=np.int64).tobytes(), digest_size=16).digest(),)
    return _kept(
        key, lambda: train_and_score(get_lab(scenario), np.asarray(labels), np.asarray(kept, dtype=bool), copies=copies)
    )


def on_true_labels(scenario: Scenario, family: str, params: dict) -> Score:
    """The test score of ``family`` with ``params`` trained on the true labels: with its score on the noisy
    labels, what the noise costs that model."""
    import json

    def train() -> Score:
        from datacentric.lab.evaluate import train_and_score

        lab = get_lab(scenario)
        spec = lab.families[family]
        return train_and_score(lab, lab.true_labels, model=spec, params={**spec.defaults(), **params})

    return _kept(
        ("on true labels", scenario, family, json.dumps(params, sort_keys=True)),
        train,
        "Training the chosen model on the true labels, to see what the noise costs it...",
    )


def problems_of(
    scenario: Scenario,
    labels: np.ndarray,
    kept: np.ndarray,
    *,
    compute: bool = True,
    on_progress: Callable[[float, str], None] | None = None,
):
    """Data problems beyond wrong labels (``problems.find``) for these labels; None when not computed yet and
    ``compute`` is False (Datalab takes seconds on a large dataset: the learner asks for it)."""
    from datacentric.findings import problems

    key = ("problems", scenario, content_key(labels, kept))
    if not compute and key not in memory():
        return None
    return memory().get(
        key,
        lambda: problems.find(
            get_lab(scenario),
            np.asarray(labels),
            np.asarray(kept, dtype=bool),
            **({"on_progress": on_progress} if on_progress else {}),
        ),
    )


def spend(scenario: Scenario, budget: int, metric: str, level: float | None) -> pd.DataFrame:
    """``collect.three_ways`` for the scenario: a budget of collected rows spent three ways, from the start."""
    from datacentric.findings import collect

    return _kept(
        ("collect replay", scenario, budget, metric, level),
        lambda: collect.three_ways(get_lab(scenario), slices_of(scenario), budget, metric, level),
        "Replaying the budget three ways...",
    )


def slices_of(scenario: Scenario) -> list:
    """The scenario's single-condition slices (``cuts.candidates``): they depend on the data, not the labels."""
    from datacentric.lab import cuts

    return _kept(("slices", scenario), lambda: cuts.candidates(get_lab(scenario)), "Cutting the data into slices...")


def probs_of(scenario: Scenario, labels: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Out-of-fold predicted probabilities of the fixed model with these labels."""
    from datacentric.findings import issues

    return _kept(
        ("probs", scenario, content_key(labels, kept)),
        lambda: issues.out_of_fold_pred_probs(get_lab(scenario), np.asarray(labels), np.asarray(kept)),
        "Computing out-of-fold probabilities...",
    )


def queue_of(scenario: Scenario, labels: np.ndarray, kept: np.ndarray):
    """(ranked queue, how many of its labels are wrong: cleanlab's count calibrated not to overshoot,
    ``issues.estimate_issue_count``) for these labels."""
    from datacentric.findings import issues

    def rank():
        probs = probs_of(scenario, labels, kept)
        return issues.rank_label_issues(labels, probs, kept), issues.estimate_issue_count(labels, probs, kept)

    return _kept(("queue", scenario, content_key(labels, kept)), rank, "Ranking labels by how likely each is wrong...")


def confident_joint(scenario: Scenario):
    """The confident joint of the scenario's starting labels."""
    from datacentric.findings import issues

    def count():
        lab = get_lab(scenario)
        kept = lab.in_use
        return issues.confident_joint(lab.noisy_labels, probs_of(scenario, lab.noisy_labels, kept), kept)

    return _kept(("joint", scenario), count, "Computing the confident joint...")


def found_curves(scenario: Scenario):
    """Found-vs-reviewed for the starting labels: ranked, random and oracle."""
    from datacentric.findings import issues

    def curves():
        lab = get_lab(scenario)
        queue, _ = queue_of(scenario, lab.noisy_labels, lab.in_use)
        order = issues.random_order(lab.n_train, seed=scenario.seed)
        order = order[lab.in_use[order]]  # the reserve is out of reach, so out of the random order too
        return issues.found_curves(queue["item"].to_numpy(), order, lab.is_noisy & lab.in_use)

    return _kept(("curves", scenario), curves)


def accuracy_history(scenario: Scenario, log, metric: str = "accuracy") -> pd.DataFrame:
    """The test ``metric`` before any action and after each group of the log still in effect (column "accuracy")."""
    import pandas as pd

    from datacentric.lab.worklog import history

    lab = get_lab(scenario)
    steps = history(lab.noisy_labels, log, lab.reserve)
    return pd.DataFrame(
        {
            "actions": [n for n, *_ in steps],
            "accuracy": [score_of(scenario, labels, kept, copies).value(metric) for _, labels, kept, copies in steps],
        }
    )


def peek(key: Hashable):
    """What the server's cache holds under ``key``, or None: nothing is computed."""
    return memory().peek(key)


def content_key(labels: np.ndarray, kept: np.ndarray) -> bytes:
    """A short digest of labels and kept flags: cache keys by content, without holding 280 KB of key."""
    digest = hashlib.blake2b(np.asarray(labels, dtype=np.int64).tobytes(), digest_size=16)
    digest.update(np.asarray(kept, dtype=bool).tobytes())
    return digest.digest()


@st.cache_resource(show_spinner=False)
def race_lock():
    """One replay computes at a time on a server; the others wait, then find its result."""
    return threading.Lock()


@st.cache_resource(show_spinner=False)
def races() -> dict:
    """Finished replay experiments, shared by every session: (scenario, steps, reviewer %) -> Replay.

    A plain dict rather than ``st.cache_data`` so that the first learner to run one sees its
    progress; everyone after gets the result at once. Deterministic, so sharing is safe.
    """
    return {}
