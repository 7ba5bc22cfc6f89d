"""Load a text-classification dataset from the Hugging Face Hub (or a local folder in Hub format) as a table."""
from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pandas as pd


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
        Suggestion("cornell-movie-review-data/rotten_tomatoes", None, "train", "text", "label",
                   "Movie-review snippets, negative or positive; 8.5k rows. Small and quick."),
        Suggestion("stanfordnlp/sst2", None, "train", "sentence", "label",
                   "Single movie-review sentences, negative or positive; 67k rows."),
        Suggestion("stanfordnlp/imdb", "plain_text", "train", "text", "label",
                   "Long IMDB reviews, negative or positive; 25k rows."),
        Suggestion("dair-ai/emotion", "split", "train", "text", "label",
                   "Tweets by emotion: sadness, joy, love, anger, fear, surprise; 16k rows."),
        Suggestion("fancyzhx/ag_news", None, "train", "text", "label",
                   "News headlines and leads in 4 topics: World, Sports, Business, Sci/Tech; 120k rows."),
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
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def load_table(name: str, *, config: str | None = None, split: str = "train", text: str | None = None,
               label: str | None = None, limit: int | None = None, seed: int = 0,
               probe_timeout: float = 3.0, local_root: str | None = "/") -> HubTable:
    """Rows of one split of a Hub dataset (or a local folder in Hub format), labels as class names.

    A Hub id is loaded from the cache alone when HF_HUB_OFFLINE is set or the Hub does not answer
    within ``probe_timeout`` seconds. ``limit`` keeps a random sample of at most that many labelled rows.
    A local folder is read only inside ``local_root`` (None: no local folders, as on a shared server,
    where a learner must not read the server's files). Raises HubError with a message meant for the learner.
    """
    name = (name or "").strip()
    if not name:
        raise HubError("Enter a dataset name, such as cornell-movie-review-data/rotten_tomatoes.")
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if probe_timeout <= 0:
        raise ValueError(f"probe_timeout must be positive, got {probe_timeout}")
    path = os.path.expanduser(name)
    local = os.path.isdir(path) and _inside(path, local_root)
    if not local and not _HUB_ID.match(name):
        raise HubError(f"There is no dataset folder at {name}, and it is not a Hub dataset id (owner/name).")
    from huggingface_hub import constants  # light, unlike `datasets`

    # Start the probe before importing `datasets` (about a second) so the two overlap.
    reachable = None if local or constants.is_offline_mode() else _start_probe(constants.ENDPOINT, probe_timeout)
    dataset = _load(path if local else name, config, split, reachable)
    return _to_table(dataset, name, split, text, label, limit, seed)


def _inside(path: str, root: str | None) -> bool:
    if root is None:
        return False
    real, base = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([real, base]) == base


def _load(name: str, config: str | None, split: str, reachable: Callable[[], bool] | None):
    import datasets

    try:
        if reachable is None or datasets.config.HF_HUB_OFFLINE or reachable():
            return datasets.load_dataset(name, config, split=split)
        with _OFFLINE_LOCK:
            import huggingface_hub.constants as hub_constants

            saved = datasets.config.HF_HUB_OFFLINE, hub_constants.HF_HUB_OFFLINE
            datasets.config.HF_HUB_OFFLINE = hub_constants.HF_HUB_OFFLINE = True
            try:
                return datasets.load_dataset(name, config, split=split)
            finally:
                datasets.config.HF_HUB_OFFLINE, hub_constants.HF_HUB_OFFLINE = saved
    except Exception as err:  # the library's errors are many and loosely typed: read the message
        raise HubError(_explain(err, name, config, split, offline_by_choice=reachable is None)) from err


def _explain(err: Exception, name: str, config: str | None, split: str, *, offline_by_choice: bool) -> str:
    import datasets

    message = str(err)
    spec = f"{name}:{config}" if config else name
    how = (f" On a machine with internet, run `python -m datacentric.prefetch {spec}` to cache it (copy the "
           f"cache folder {datasets.config.HF_DATASETS_CACHE} across if that is another machine), then start the "
           "app with HF_HUB_OFFLINE=1.")
    offline = ("Offline mode is on (HF_HUB_OFFLINE=1)" if offline_by_choice or datasets.config.HF_HUB_OFFLINE
               else f"Cannot reach the Hugging Face Hub ({datasets.config.HF_ENDPOINT})")
    listed = re.search(r"\[([^\]]*)\]", message)  # the first [...] in the message names the choices
    options = ", ".join(re.findall(r"'([^']+)'", listed.group(1))) if listed else ""
    # A broken connection shows up as ConnectionError, or (an HTTP answer that is not the Hub's, say from
    # a proxy) as FileNotFoundError naming LocalEntryNotFoundError.
    if isinstance(err, ConnectionError) or "OfflineModeIsEnabled" in message or "LocalEntryNotFoundError" in message:
        return f"{offline}, and {name} is not in the local cache.{how}"
    if "Couldn't find cache for" in message:
        cached = f" (cached: {options})" if options else ""
        return f"{offline}, and config '{config}' of {name} is not in the local cache{cached}.{how}"
    if "Config name is missing" in message or "configurations in the cache" in message:
        options = options or message.partition("cache: ")[2].partition("\n")[0]
        return f"{name} has several configs; choose one: {options}."
    if "BuilderConfig" in message and "not found" in message:
        return f"{name} has no config '{config}'. Available configs: {options}."
    if "Unknown split" in message or "Bad split" in message:
        return f"{name} has no split '{split}'. Available splits: {options}."
    if isinstance(err, datasets.exceptions.DatasetNotFoundError) and "gated" in message:
        return (f"{name} is gated on the Hub: accept its terms on https://huggingface.co/datasets/{name} "
                "and log in with `hf auth login`, or choose another dataset.")
    if isinstance(err, FileNotFoundError) and os.path.isdir(name):
        return (f"No data files found in the folder {name}. Expected files such as train.parquet and "
                "test.parquet, or data/train-*.parquet.")
    if isinstance(err, datasets.exceptions.DatasetNotFoundError) or "doesn't exist on the Hub" in message:
        return (f"There is no dataset {name} on the Hugging Face Hub, or it is private. Check the owner/name "
                "spelling, upper and lower case included (e.g. stanfordnlp/imdb).")
    summary = message.strip().splitlines()[0] if message.strip() else "no details"
    return f"Could not load {name}: {type(err).__name__}: {summary}"


def _to_table(dataset, name: str, split: str, text: str | None, label: str | None,
              limit: int | None, seed: int) -> HubTable:
    import numpy as np

    columns = dataset.column_names
    listed = ", ".join(columns)
    for role, column in (("label", label), ("text", text)):
        if column is not None and column not in columns:
            raise HubError(f"{name} has no column '{column}' to use as the {role}. Columns: {listed}.")
    if label is not None and label == text:
        raise HubError(f"The text and the label must be different columns; both are '{label}'.")
    label = label or _detect_label(dataset.features)
    if label is None:
        raise HubError(f"{name} has no usable label column: no class-label column, and none named "
                       f"{'/'.join(LABEL_NAMES)}. Columns: {listed}. Choose the label column by name.")
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
    import numpy as np
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
    if feature.dtype.startswith("float") and (len(distinct) > 20 or (
            len(distinct) > max(2, len(values) / 2) and np.any(values % 1))):
        return labelled, f"looks like a regression target (decimal numbers, {len(distinct):,} distinct values)"
    if len(distinct) < 2:
        shown = feature.int2str(int(values[0])) if isinstance(feature, ClassLabel) else distinct[0]
        return labelled, f"has a single class ('{shown}'), nothing to tell apart"
    return labelled, None


def _detect_text(dataset, *, exclude: str) -> str | None:
    strings = [c for c, f in dataset.features.items()
               if c != exclude and getattr(f, "dtype", None) in ("string", "large_string")]
    named = [c for c in strings if c.lower() in TEXT_NAMES]
    if named or not strings:
        return named[0] if named else None
    head = dataset.select(range(min(len(dataset), 1000)))
    return max(strings, key=lambda column: sum(len(s or "") for s in head[column]))  # longest mean, same n


def _with_class_names(frame: pd.DataFrame, features) -> pd.DataFrame:
    import numpy as np
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
    import socket
    import urllib.request
    from urllib.parse import urlsplit

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
