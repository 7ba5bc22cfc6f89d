"""Load a text-classification dataset from the Hugging Face Hub (or a local folder in Hub format) as a table."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "HubError",
    "Suggestion",
    "SUGGESTED",
    "HubTable",
    "LABEL_NAMES",
    "TEXT_NAMES",
    "HUB_ONLY",
    "LOG",
    "load_table",
    "is_hub_id",
    "local_folder",
]


class HubError(Exception):
    """A dataset could not be loaded; ``str(err)`` says why and what to do, in plain English."""


@dataclass(frozen=True)
class Suggestion:
    name: str
    config: str | None
    split: str
    text: str
    label: str
    summary: str


SUGGESTED: dict[str, Suggestion] = {
    s.name: s
    for s in (
        Suggestion(
            "cornell-movie-review-data/rotten_tomatoes",
            None,
            "train",
            "text",
            "label",
            "Movie-review snippets, negative or positive; 8.5k rows. Small and quick.",
        ),
        Suggestion(
            "stanfordnlp/sst2",
            None,
            "train",
            "sentence",
            "label",
            "Single movie-review sentences, negative or positive; 67k rows.",
        ),
        Suggestion(
            "stanfordnlp/imdb",
            "plain_text",
            "train",
            "text",
            "label",
            "Long IMDB reviews, negative or positive; 25k rows.",
        ),
        Suggestion(
            "dair-ai/emotion",
            "split",
            "train",
            "text",
            "label",
            "Tweets by emotion: sadness, joy, love, anger, fear, surprise; 16k rows.",
        ),
        Suggestion(
            "fancyzhx/ag_news",
            None,
            "train",
            "text",
            "label",
            "News headlines and leads in 4 topics: World, Sports, Business, Sci/Tech; 120k rows.",
        ),
    )
}


@dataclass(frozen=True)
class HubTable:
    frame: pd.DataFrame  # ClassLabel columns hold their class names; other columns as stored
    source: str  # where the rows came from, for a caption
    text: str | None  # None: no string column, a tabular set
    label: str


LABEL_NAMES = ("label", "labels", "class", "category", "sentiment", "target")
TEXT_NAMES = ("text", "sentence", "review", "content", "document")
_OFFLINE_LOCK = threading.Lock()  # the offline flags are process-wide; one fallback at a time
# A Hub repository id: a name, or owner/name, of ASCII letters, digits, '-', '_' and '.', at most 96 each.
_HUB_ID = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")
# `datasets` reads a bare "hf://datasets/<id>" from the Hub (or its cache) only, never from a local folder of
# the same name; without it, load_dataset("data") would load the server's ./data folder.
HUB_ONLY = "hf://datasets/"
LOG = logging.getLogger(__name__)


def load_table(
    name: str,
    *,
    config: str | None = None,
    split: str = "train",
    text: str | None = None,
    label: str | None = None,
    limit: int | None = None,
    seed: int = 0,
    probe_timeout: float = 3.0,
    local_root: str | None = None,
) -> HubTable:
    """Rows of one split of a Hub dataset (or a local folder in Hub format), labels as class names.

    ``name`` is a Hub id and nothing else, unless ``local_root`` is a folder and ``name`` names a folder
    inside it (see ``local_folder``): a learner must not read the server's files. A Hub id is loaded from
    the cache alone when HF_HUB_OFFLINE is set or the Hub does not answer within ``probe_timeout`` seconds.
    A folder is cached apart from the Hub's datasets (see ``_folder_cache``), so a name resolves against
    the current root or the Hub and nothing else: once its folder or the root is gone, the name is a Hub
    id again. ``limit`` keeps a random sample of at most that many labelled rows. Raises HubError with a
    message meant for the learner; it never says whether a server folder exists.

    Case: a folder's name is exact, upper and lower case included, on every filesystem. A Hub id goes to
    the Hub as typed (the Hub matches ids in any case); offline, `datasets` finds a cached copy under the
    spelling it was cached with, so type it as it was prefetched.
    """
    name = (name or "").strip()
    if not name:
        raise HubError("Enter a dataset name, such as cornell-movie-review-data/rotten_tomatoes.")
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if probe_timeout <= 0:
        raise ValueError(f"probe_timeout must be positive, got {probe_timeout}")
    folder = local_folder(name, local_root)
    if folder is None and not is_hub_id(name):
        raise HubError(_not_an_id(name, local_root))
    from huggingface_hub import constants  # light, unlike `datasets`

    # Start the probe before importing `datasets` (about a second) so the two overlap.
    reachable = None if folder or constants.is_offline_mode() else _start_probe(constants.ENDPOINT, probe_timeout)
    cache_dir = _folder_cache(folder) if folder else None
    dataset = _load(folder or HUB_ONLY + name, name, config, split, reachable, cache_dir)
    return _to_table(dataset, name, split, text, label, limit, seed)


def is_hub_id(name: str) -> bool:
    """Whether ``name`` can only mean a dataset on the Hub: well formed, and not one of `datasets`' packaged
    builders ("csv", "parquet", ...), which would read data files from the server's working directory."""
    # "___" is how the datasets cache spells "/" in its folder names: no id needs it.
    if not _HUB_ID.match(name) or any(part in name for part in ("..", "--", "___")) or name.endswith((".", "-")):
        return False
    owner, _, repo = name.rpartition("/")
    return owner != "buckets" and (bool(owner) or repo.lower() not in _packaged_builders())


def local_folder(name: str, root: str | None) -> str | None:
    """The real path of the folder ``name`` names inside ``root``, or None (no root, outside it, not a folder).

    ``name`` is a path of folder names below the root (``imdb-copy``, ``mine/imdb-copy``), or the same
    after the root as it is set or as it resolves (``/srv/datasets/imdb-copy``). Each folder name must be
    spelled as on disk, upper and lower case included, even where the filesystem ignores case (macOS,
    Windows): the rule is the server's, not its disk's. No ``..``, and no link out of the root.
    """
    if not root or "\x00" in name:  # a NUL cannot be in a path; os.path would raise
        return None
    base = os.path.realpath(root)
    # No ~ expansion and no working directory: a name is read relative to the root alone.
    relative = os.path.normpath(name)
    if os.path.isabs(relative):
        starts = {os.path.normpath(os.path.abspath(root)), base}
        relative = next((os.path.relpath(relative, start) for start in starts if _inside(relative, start)), os.pardir)
    parts = [part for part in relative.split(os.sep) if part not in ("", os.curdir)]
    if not parts or os.pardir in parts:
        return None
    path = base
    for part in parts:
        try:
            if part not in os.listdir(path):  # the exact spelling, whatever the filesystem would accept
                return None
        except OSError:  # not a folder, or not readable
            return None
        path = os.path.join(path, part)
    path = os.path.realpath(path)
    return path if path != base and _inside(path, base) and os.path.isdir(path) else None


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # one relative and one absolute, or two drives
        return False


def _folder_cache(folder: str) -> str:
    """Where `datasets` keeps its copy of a local folder: one folder per real path, beside the Hub's datasets.

    `datasets` names a local folder's cache after the folder's last name, exactly where it looks for a
    Hub id of that name when the Hub cannot be reached: a folder loaded once stayed loadable by that
    bare name (in any case `datasets` spells the same) after it, or the root, was gone, and stood in for
    the Hub's dataset of that name. A Hub id starts with a letter or digit, so nothing it names can be
    under "_local_folders".
    """

    import datasets

    source = hashlib.blake2b(os.fsencode(folder), digest_size=8).hexdigest()
    return os.path.join(str(datasets.config.HF_DATASETS_CACHE), "_local_folders", source)


def _packaged_builders() -> frozenset[str]:
    try:
        from datasets.packaged_modules import _PACKAGED_DATASETS_MODULES
    except ImportError:  # moved in a later `datasets`: the names of this version's builders
        return frozenset(
            {
                "arrow",
                "audiofolder",
                "csv",
                "imagefolder",
                "json",
                "pandas",
                "parquet",
                "text",
                "videofolder",
                "webdataset",
                "xml",
            }
        )
    return frozenset(_PACKAGED_DATASETS_MODULES)


def _not_an_id(name: str, root: str | None) -> str:
    """One message for every name that is neither a Hub id nor a folder under the root, wherever it points."""
    message = (
        f"'{name}' is not a Hugging Face Hub dataset id. An id is a name or owner/name, made of letters, "
        "digits, '-', '_' and '.', such as stanfordnlp/imdb."
    )
    if root:
        message += (
            " Folders on the server load only from the datasets folder the administrator set up, by their "
            "exact name in it, upper and lower case included."
        )
    return message


def _load(
    target: str,
    name: str,
    config: str | None,
    split: str,
    reachable: Callable[[], bool] | None,
    cache_dir: str | None = None,
):
    """``target``: a local folder's real path, or ``HUB_ONLY`` + the id; ``name`` is what the learner typed;
    ``cache_dir``: None for the Hub's cache."""
    import datasets

    try:
        if reachable is None or datasets.config.HF_HUB_OFFLINE or reachable():
            return datasets.load_dataset(target, config, split=split, cache_dir=cache_dir)
        with _OFFLINE_LOCK:
            import huggingface_hub.constants as hub_constants

            saved = datasets.config.HF_HUB_OFFLINE, hub_constants.HF_HUB_OFFLINE
            datasets.config.HF_HUB_OFFLINE = hub_constants.HF_HUB_OFFLINE = True
            try:
                return datasets.load_dataset(target, config, split=split, cache_dir=cache_dir)
            finally:
                datasets.config.HF_HUB_OFFLINE, hub_constants.HF_HUB_OFFLINE = saved
    except Exception as err:  # the library's errors are many and loosely typed: read the message
        local = not target.startswith(HUB_ONLY)
        message = _explain(err, name, config, split, offline_by_choice=reachable is None and not local, local=local)
        raise HubError(message) from err


def _explain(
    err: Exception, name: str, config: str | None, split: str, *, offline_by_choice: bool, local: bool = False
) -> str:
    """A learner's message for a library error: what is wrong and what to do, never a server path or a raw
    exception (those go to the server's log)."""
    import datasets

    message = str(err)
    spec = f"{name}:{config}" if config else name
    how = (
        f" On a machine with internet, run `python -m datacentric.data.prefetch {spec}` to cache it (copy the "
        "Hugging Face cache folder, HF_HOME, across if that is another machine), then start the app with "
        "HF_HUB_OFFLINE=1."
    )
    offline = (
        "Offline mode is on (HF_HUB_OFFLINE=1)"
        if offline_by_choice or datasets.config.HF_HUB_OFFLINE
        else f"Cannot reach the Hugging Face Hub ({datasets.config.HF_ENDPOINT})"
    )
    listed = re.search(r"\[([^\]]*)\]", message)  # the first [...] in the message names the choices
    options = ", ".join(re.findall(r"'([^']+)'", listed.group(1))) if listed else ""
    if "Config name is missing" in message or "configurations in the cache" in message:
        options = options or message.partition("cache: ")[2].partition("\n")[0]
        return f"{name} has several configs; choose one: {options}."
    if "BuilderConfig" in message and "not found" in message:
        return f"{name} has no config '{config}'. Available configs: {options}."
    if "Unknown split" in message or "Bad split" in message:
        return f"{name} has no split '{split}'. Available splits: {options}."
    if local and isinstance(err, FileNotFoundError):  # DataFilesNotFoundError and EmptyDatasetError are ones
        return (
            f"No data files found in the folder {name}. Expected files such as train.parquet and "
            "test.parquet, or data/train-*.parquet."
        )
    # A broken connection shows up as ConnectionError, or (an HTTP answer that is not the Hub's, say from
    # a proxy) as FileNotFoundError naming LocalEntryNotFoundError.
    if not local and (
        isinstance(err, ConnectionError) or "OfflineModeIsEnabled" in message or "LocalEntryNotFoundError" in message
    ):
        return (
            f"{offline}, and {name} is not in the local cache.{how} Offline, type the name as it was cached, "
            "upper and lower case included."
        )
    if not local and "Couldn't find cache for" in message:
        cached = f" (cached: {options})" if options else ""
        return f"{offline}, and config '{config}' of {name} is not in the local cache{cached}.{how}"
    if isinstance(err, datasets.exceptions.DatasetNotFoundError) and "gated" in message:
        return (
            f"{name} is gated on the Hub: accept its terms on https://huggingface.co/datasets/{name} "
            "and log in with `hf auth login`, or choose another dataset."
        )
    if isinstance(err, datasets.exceptions.DatasetNotFoundError) or "doesn't exist on the Hub" in message:
        return (
            f"There is no dataset {name} on the Hugging Face Hub, or it is private. Check the owner/name "
            "spelling, upper and lower case included (e.g. stanfordnlp/imdb)."
        )
    LOG.error(
        "Loading %s (config %s, split %s) failed in a way the app does not explain", name, config, split, exc_info=err
    )
    return (
        f"Could not load {name}: the datasets library failed in a way this app does not recognise "
        "(the details are in the server's log). Try another dataset or split, "
        "or tell the person who runs the app."
    )


def _to_table(
    dataset, name: str, split: str, text: str | None, label: str | None, limit: int | None, seed: int
) -> HubTable:

    columns = dataset.column_names
    listed = ", ".join(columns)
    for role, column in (("label", label), ("text", text)):
        if column is not None and column not in columns:
            raise HubError(f"{name} has no column '{column}' to use as the {role}. Columns: {listed}.")
    if label is not None and label == text:
        raise HubError(f"The text and the label must be different columns; both are '{label}'.")
    label = label or _detect_label(dataset.features)
    if label is None:
        raise HubError(
            f"{name} has no usable label column: no class-label column, and none named "
            f"{'/'.join(LABEL_NAMES)}. Columns: {listed}. Choose the label column by name."
        )
    labelled, problem = _check_label(dataset, label, split)
    if problem:
        raise HubError(f"{name} has no usable label column: '{label}' {problem}. Columns: {listed}.")
    text = text or _detect_text(dataset, exclude=label)

    rows = np.flatnonzero(labelled)
    n_labelled = len(rows)
    if limit is not None and limit < n_labelled:
        rows = np.sort(np.random.default_rng(seed).choice(rows, size=limit, replace=False))
    if len(rows) < len(dataset):
        dataset = dataset.select(rows)
    frame = _with_class_names(dataset.to_pandas(), dataset.features)

    config = dataset.info.config_name or "default"
    size = f"{len(frame):,} of {n_labelled:,} rows, seed {seed}" if len(frame) < n_labelled else f"{len(frame):,} rows"
    unlabelled = len(labelled) - n_labelled
    dropped = f", {unlabelled:,} unlabelled rows left out" if unlabelled else ""
    return HubTable(frame, f"{name} (config {config}, split {split}, {size}{dropped})", text, label)


def _detect_label(features) -> str | None:
    from datasets import ClassLabel

    class_labels = [c for c, f in features.items() if isinstance(f, ClassLabel)]
    named = [c for c in features if c.lower() in LABEL_NAMES]
    preferred = [c for c in class_labels if c in named] or class_labels or named
    return preferred[0] if preferred else None


def _check_label(dataset, label: str, split: str):
    """Which rows carry a label (ClassLabel -1 and missing values do not), and why the column cannot be
    a class label (None if it can)."""
    import pandas as pd
    from datasets import ClassLabel, Value

    feature = dataset.features[label]
    if not isinstance(feature, (ClassLabel, Value)):
        return None, "holds lists or records (multi-label?), not one class per row"
    values = dataset.data.column(label).to_numpy(zero_copy_only=False)
    labelled = values >= 0 if isinstance(feature, ClassLabel) else np.asarray(~pd.isna(values), dtype=bool)
    values = values[labelled]
    if len(values) == 0:
        return labelled, f"has no labels in split '{split}' (they may be hidden, as in many test splits)"
    distinct = np.unique(values.astype(str))
    # Whole numbers (star ratings 1.0-5.0) can be classes; many distinct or fractional values cannot.
    if feature.dtype.startswith("float") and (
        len(distinct) > 20 or (len(distinct) > max(2, len(values) / 2) and np.any(values % 1))
    ):
        return labelled, f"looks like a regression target (decimal numbers, {len(distinct):,} distinct values)"
    if len(distinct) < 2:
        shown = feature.int2str(int(values[0])) if isinstance(feature, ClassLabel) else distinct[0]
        return labelled, f"has a single class ('{shown}'), nothing to tell apart"
    return labelled, None


def _detect_text(dataset, *, exclude: str) -> str | None:
    strings = [
        c
        for c, f in dataset.features.items()
        if c != exclude and getattr(f, "dtype", None) in ("string", "large_string")
    ]
    named = [c for c in strings if c.lower() in TEXT_NAMES]
    if named or not strings:
        return named[0] if named else None
    head = dataset.select(range(min(len(dataset), 1000)))
    return max(strings, key=lambda column: sum(len(s or "") for s in head[column]))  # longest mean, same n


def _with_class_names(frame: pd.DataFrame, features) -> pd.DataFrame:
    import pandas as pd
    from datasets import ClassLabel

    for column, feature in features.items():
        if isinstance(feature, ClassLabel):
            names = np.array([*feature.names, None], dtype=object)  # code -1 (no label) -> None
            codes = pd.to_numeric(frame[column]).fillna(-1).to_numpy(dtype=int)
            frame[column] = pd.array(names[codes], dtype="str")
    return frame


def _start_probe(endpoint: str, timeout: float) -> Callable[[], bool]:
    """Open a TCP connection to the Hub (or the HTTPS proxy) in the background; the returned call waits
    for the answer until ``timeout`` seconds after the start. A thread bounds DNS too, which has no timeout."""

    url = urlsplit(endpoint)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if proxy and not urllib.request.proxy_bypass(url.hostname or ""):
        url = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    address = (url.hostname or "", url.port or (443 if url.scheme == "https" else 80))
    deadline = time.monotonic() + timeout
    done, answered = threading.Event(), []

    def connect() -> None:
        try:
            socket.create_connection(address, timeout=timeout).close()
            answered.append(True)
        except OSError:
            pass
        finally:
            done.set()

    threading.Thread(target=connect, name="hub-probe", daemon=True).start()
    return lambda: done.wait(max(0.0, deadline - time.monotonic())) and bool(answered)
