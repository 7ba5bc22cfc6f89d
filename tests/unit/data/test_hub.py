"""Hub loading: a local folder in Hub format goes through the real `datasets` path; offline failures are quick and say
what to do."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import datasets
import huggingface_hub.constants
import numpy as np
import pytest
from datasets import ClassLabel, Dataset, Features, Value

from datacentric.common import settings
from datacentric.data.hub import SUGGESTED, HubError, _explain, is_hub_id, load_table, local_folder
from datacentric.data.prefetch import main

ROOT = Path(__file__).resolve().parents[3]
FEATURES = Features(
    {
        "text": Value("string"),
        "label": ClassLabel(names=["neg", "pos"]),
        "score": Value("float32"),
        "flag": ClassLabel(names=["no", "yes"]),
    }
)
# No route: a connect hangs until the probe gives up. (Behind an intercepting proxy it may answer
# instead, with a 404; the HubError must be the same either way.)
UNROUTABLE = "http://10.255.255.1"


def _rows(n, seed, hidden=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    labels[:hidden] = -1  # -1 is how `datasets` marks a hidden label
    return {
        "text": [f"review {i} " + "word " * int(rng.integers(1, 20)) for i in range(n)],
        "label": labels.tolist(),
        "score": rng.random(n).tolist(),
        "flag": [0] * n,
    }


@pytest.fixture
def folder(tmp_path):
    """A dataset in Hub layout: 40 train rows (2 without a label), 10 test rows."""
    folder = tmp_path / "hubset"
    folder.mkdir()
    Dataset.from_dict(_rows(40, 0, hidden=2), features=FEATURES).to_parquet(folder / "train.parquet")
    Dataset.from_dict(_rows(10, 1), features=FEATURES).to_parquet(folder / "test.parquet")
    return folder


@pytest.fixture(autouse=True)
def no_real_cache_or_network(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)  # in this process, not even a probe


def test_loads_a_folder_with_class_names_and_detected_columns(folder):
    table = load_table(str(folder), local_root=str(folder.parent), split="train")
    assert (table.text, table.label) == ("text", "label")
    assert len(table.frame) == 38  # the 2 hidden labels are left out
    assert set(table.frame["label"]) == {"neg", "pos"} and set(table.frame["flag"]) == {"no"}
    assert table.frame["score"].dtype.kind == "f"
    assert table.source == f"{folder} (config default, split train, 38 rows, 2 unlabelled rows left out)"
    assert len(load_table(str(folder), local_root=str(folder.parent), split="test").frame) == 10


def test_limit_is_a_seeded_sample(folder):
    a, b = (load_table(str(folder), local_root=str(folder.parent), limit=10, seed=3).frame for _ in range(2))
    other = load_table(str(folder), local_root=str(folder.parent), limit=10, seed=4).frame
    assert len(a) == 10 and a.equals(b) and not a.equals(other)
    assert "10 of 38 rows, seed 3" in load_table(str(folder), local_root=str(folder.parent), limit=10, seed=3).source
    assert len(load_table(str(folder), local_root=str(folder.parent), limit=1000).frame) == 38


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"split": "validation"}, "no split 'validation'. Available splits: train, test."),
        ({"label": "stars"}, "no column 'stars' to use as the label. Columns: text, label, score, flag."),
        ({"text": "body"}, "no column 'body' to use as the text."),
        ({"label": "flag"}, "no usable label column: 'flag' has a single class ('no')"),
        ({"label": "score"}, "no usable label column: 'score' looks like a regression target"),
        ({"config": "other"}, "no config 'other'. Available configs: default."),
    ],
)
def test_bad_choices_say_what_exists(folder, kwargs, expected):
    with pytest.raises(HubError, match="Columns|Available") as err:
        load_table(str(folder), local_root=str(folder.parent), **kwargs)
    assert expected in str(err.value)


@pytest.mark.parametrize(
    "columns, text, problem",
    [
        ({"title": ["a"] * 30, "body": ["a long body"] * 30, "label": [0, 1] * 15}, "body", None),
        ({"x": [1.0] * 30, "category": ["a", "b", "c"] * 10}, None, None),
        ({"text": ["t"] * 30, "target": [i / 7 for i in range(30)]}, None, "looks like a regression target"),
        ({"text": ["t"] * 30, "stars": [1, 2] * 15}, None, "no class-label column, and none named"),
        ({"text": ["t"] * 30, "label": [[0, 1]] * 30}, None, "holds lists"),
    ],
)
def test_detection(tmp_path, columns, text, problem):
    Dataset.from_dict(columns).to_parquet(tmp_path / "set" / "train.parquet")
    if problem:
        with pytest.raises(HubError, match="no usable label column") as err:
            load_table(str(tmp_path / "set"), local_root=str(tmp_path))
        assert problem in str(err.value)
    else:
        assert load_table(str(tmp_path / "set"), local_root=str(tmp_path)).text == text


def test_hidden_labels_and_missing_folders(tmp_path):
    (tmp_path / "empty").mkdir()
    Dataset.from_dict(
        {"text": ["t"] * 3, "label": [-1] * 3},
        features=Features({"text": Value("string"), "label": ClassLabel(names=["a", "b"])}),
    ).to_parquet(tmp_path / "hidden" / "test.parquet")
    with pytest.raises(HubError, match="has no labels in split 'test'"):
        load_table(str(tmp_path / "hidden"), local_root=str(tmp_path), split="test")
    with pytest.raises(HubError, match="No data files found in the folder"):
        load_table(str(tmp_path / "empty"), local_root=str(tmp_path))
    with pytest.raises(HubError, match="is not a Hugging Face Hub dataset id"):
        load_table(str(tmp_path / "nowhere" / "set"), local_root=str(tmp_path))
    with pytest.raises(HubError, match="Enter a dataset name"):
        load_table("  ")


@pytest.mark.parametrize(
    "err, expected",
    [
        (
            datasets.exceptions.DatasetNotFoundError(
                "Dataset 'some/one' doesn't exist on the Hub or cannot be accessed."
            ),
            "There is no dataset some/one on the Hugging Face Hub, or it is private. Check the owner/name spelling",
        ),
        (
            datasets.exceptions.DatasetNotFoundError("Dataset 'some/one' is a gated dataset on the Hub."),
            "some/one is gated on the Hub",
        ),
        (
            ValueError(
                "Config name is missing.\nPlease pick one among the available configs: ['a', 'b']\n"
                "Example of usage:\n\t`load_dataset('some/one', 'a')`"
            ),
            "some/one has several configs; choose one: a, b.",
        ),
        (
            ValueError("Couldn't find cache for some/one for config 'c'\nAvailable configs in the cache: ['a']"),
            "config 'c' of some/one is not in the local cache (cached: a).",
        ),
        (
            RuntimeError("boom at /srv/app/secret.py\nTraceback details"),
            "Could not load some/one: the datasets library failed in a way this app does not recognise",
        ),
        (
            FileNotFoundError(
                "Couldn't find any data file at /srv/app/some/one. Couldn't find 'some/one' on the Hub either"
            ),
            "Could not load some/one",
        ),
    ],
)
def test_library_errors_become_plain_messages(err, expected, caplog):
    message = _explain(err, "some/one", "c", "train", offline_by_choice=True)
    assert message.startswith(expected) or expected in message
    assert "Traceback" not in message and "/srv" not in message and "boom" not in message
    assert (
        "boom" in caplog.text
        or "Couldn't find" in caplog.text
        or "gated" in message
        or "configs" in message
        or "cache" in message
        or "no dataset" in message
    )  # what the learner is not shown, the server's log has


def test_no_message_names_a_server_path(tmp_path):
    err = ConnectionError("Couldn't reach 'some/one' on the Hub")
    message = _explain(err, "some/one", None, "train", offline_by_choice=True)
    assert str(datasets.config.HF_DATASETS_CACHE) not in message and str(Path.home()) not in message
    assert "python -m datacentric.data.prefetch some/one" in message


# --- no name reaches the server's folders ------------------------------------------------------


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A working directory holding a private folder named like a Hub id, an app-like data/ folder, CSV
    files that datasets' packaged builders would pick up, and a home with a dataset in it."""
    cwd = tmp_path / "srv"
    for folder in ("secretdir", "data", "home/mine"):
        Dataset.from_dict({"text": ["secret row"] * 10, "label": [0, 1] * 5}).to_parquet(cwd / folder / "train.parquet")
    (cwd / "train.csv").write_text("text,label\nsecret,0\nsecret,1\n")
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(cwd / "home"))
    return cwd


SPELLINGS = [
    "secretdir",
    "data",
    "secretdir/",
    "./secretdir",
    "secretdir/.",
    "data/..",
    "../srv/secretdir",
    "~/mine",
    "~",
    ".",
    "csv",
    "parquet",
    "json",
    "text",
    "CSV",
    "hf://datasets/secretdir",
    "file:secretdir",
    "secretdir/../secretdir",
    "someone___cached",
    " secretdir ",
    "secretdir\x00",
]


@pytest.mark.parametrize("root", [None, "elsewhere"])
@pytest.mark.parametrize("name", SPELLINGS)
def test_no_spelling_of_a_name_loads_a_server_folder(server, tmp_path, name, root):
    local_root = None if root is None else str(tmp_path / root)
    if local_root:
        Path(local_root).mkdir()
    absolute = [str(server / "secretdir"), str(datasets.config.HF_DATASETS_CACHE), str(Path.home())]
    for spelling in [name, *absolute]:
        with pytest.raises(HubError) as err:
            load_table(spelling, local_root=local_root)
        assert "secret" not in str(err.value).replace(spelling.strip(), "")


@pytest.mark.parametrize("root", [None, "elsewhere"])
def test_a_refusal_reads_the_same_whether_or_not_the_folder_exists(server, tmp_path, root):
    local_root = None if root is None else str(tmp_path / root)
    if local_root:
        Path(local_root).mkdir()
    messages = {}
    for there, missing in (
        ("secretdir", "nosuchdir"),
        ("data", "atad"),
        (str(server / "secretdir"), str(server / "nope")),
        ("../srv/secretdir", "../srv/nosuchdir"),
    ):
        for name in (there, missing):
            with pytest.raises(HubError) as err:
                load_table(name, local_root=local_root)
            messages[name] = re.sub(rf"(?<![\w/.]){re.escape(name)}(?![\w/])", "NAME", str(err.value))
        assert messages[there] == messages[missing]


def test_a_folder_loads_only_inside_the_root_by_its_name_there(tmp_path, folder):
    root = folder.parent
    assert len(load_table("hubset", local_root=str(root)).frame) == 38  # relative to the root, not the cwd
    assert len(load_table(str(folder), local_root=str(root)).frame) == 38
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "escape").symlink_to(root)  # a link out of the root does not lead out
    with pytest.raises(HubError):
        load_table("escape", local_root=str(tmp_path / "inside"))
    with pytest.raises(HubError):
        load_table("../hubset", local_root=str(tmp_path / "inside"))


@pytest.mark.parametrize(
    "name, ok",
    [
        ("stanfordnlp/imdb", True),
        ("imdb", True),
        ("dair-ai/emotion", True),
        ("a.b/c_d-1", True),
        ("csv", False),
        ("parquet", False),
        ("owner/csv", True),
        ("buckets/x", False),
        ("a/b/c", False),
        ("/abs", False),
        ("a/..", False),
        ("..", False),
        (".hidden", False),
        ("-x", False),
        ("x.", False),
        ("a--b", False),
        ("a" * 97, False),
        ("é/x", False),
        ("a b", False),
        ("", False),
        ("owner/", False),
    ],
)
def test_what_counts_as_a_hub_id(name, ok):
    assert is_hub_id(name) is ok


def test_suggestions_are_complete():
    assert 4 <= len(SUGGESTED) <= 6
    for key, s in SUGGESTED.items():
        assert key == s.name and s.name.count("/") == 1 and s.split and s.text and s.label and s.summary


def test_import_is_light():
    code = (
        "import sys, datacentric.data.hub; print(sorted({'datasets', 'pandas', 'huggingface_hub'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _fake_cached_hub_copy(folder, cache, as_name="someone/cached"):
    """Put `folder` into `cache` as if the Hub dataset `as_name` had been downloaded from the Hub (a bare name
    that is the folder's own is already where `datasets` would look for it)."""
    cache = Path(cache)
    datasets.load_dataset(str(folder), cache_dir=str(cache))
    owner, _, name = as_name.rpartition("/")
    if not owner:
        assert name == folder.name
        return
    shutil.copytree(cache / folder.name, cache / f"{owner}___{name}")
    for arrow in (cache / f"{owner}___{name}").rglob(f"{folder.name}-*.arrow"):
        arrow.rename(arrow.with_name(arrow.name.replace(folder.name, name, 1)))


def _run(code, tmp_path, **env):
    """Run `code` in a fresh Python with its own Hugging Face cache; an env value of None unsets it."""
    env = {**os.environ, "HF_HOME": str(tmp_path / "home"), "HF_DATASETS_CACHE": str(tmp_path / "hubcache"), **env}
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run([sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


PROBE = """
    import json, socket
    connects = []  # every connection tried: a retry loop would try many (24 s of them, before the probe)
    _connect = socket.socket.connect
    def counted(self, address):
        connects.append(address)
        return _connect(self, address)
    socket.socket.connect = counted
    import datacentric.data.hub as hub
    out = {}
    for name in ("someone/surely-not-cached-xyz", "someone/cached"):
        connects.clear()
        try:
            out[name] = hub.load_table(name, probe_timeout=1).source
        except hub.HubError as err:
            out[name] = "HubError: " + str(err)
        out[name + " connects"] = len(connects)
    import datasets, huggingface_hub.constants as c
    out["flags after"] = [datasets.config.HF_HUB_OFFLINE, c.HF_HUB_OFFLINE]
    print(json.dumps(out))
"""


@pytest.fixture
def refused():
    """An endpoint on a local port that is bound but not listening: every connect is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.parametrize("case", ["HF_HUB_OFFLINE=1", "refused", "unroutable"])
def test_offline_uncached_fails_fast_with_a_prefetch_hint_and_cached_loads(folder, tmp_path, refused, case):
    endpoint = {"refused": refused, "unroutable": UNROUTABLE}.get(case)
    env = {"HF_HUB_OFFLINE": "1"} if endpoint is None else {"HF_ENDPOINT": endpoint, "HF_HUB_OFFLINE": None}
    why = (
        "Offline mode is on (HF_HUB_OFFLINE=1)"
        if endpoint is None
        else f"Cannot reach the Hugging Face Hub ({endpoint})"
    )
    _fake_cached_hub_copy(folder, tmp_path / "hubcache")
    result = _run(["-c", textwrap.dedent(PROBE)], tmp_path, TRANSFORMERS_OFFLINE=None, **env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    missing = out["someone/surely-not-cached-xyz"]
    assert missing.startswith(f"HubError: {why}, and someone/surely-not-cached-xyz is not in the local cache.")
    assert (
        "python -m datacentric.data.prefetch someone/surely-not-cached-xyz" in missing and "HF_HUB_OFFLINE=1" in missing
    )
    # Counted, not timed: the probe and at most one more try (an unanswered Hub gets two), never the library's
    # retry loop (5 tries with backoff, about 24 s before the probe existed); offline, no connection at all.
    assert out["someone/surely-not-cached-xyz connects"] <= 2
    assert out["someone/cached"] == "someone/cached (config default, split train, 38 rows, 2 unlabelled rows left out)"
    assert out["someone/cached connects"] <= 1
    if endpoint is None:
        assert out["someone/surely-not-cached-xyz connects"] == out["someone/cached connects"] == 0
    assert out["flags after"] == [endpoint is None] * 2  # a fallback to the cache puts the flags back


def test_a_hanging_connect_is_cut_off_by_the_probe_timeout(tmp_path, refused):
    code = """
        import json, socket, time
        socket.create_connection = lambda *args, **kwargs: time.sleep(3600)  # a black hole, DNS or TCP
        import datasets, datacentric.data.hub as hub
        start = time.monotonic()
        try:
            hub.load_table("someone/surely-not-cached-xyz", probe_timeout=1)
        except hub.HubError as err:
            print(json.dumps([str(err), time.monotonic() - start]))
    """
    result = _run(["-c", textwrap.dedent(code)], tmp_path, HF_ENDPOINT=refused, HF_HUB_OFFLINE=None)
    # The black hole holds for an hour and the process is given a minute (``_run``): that it answers at all is the
    # probe's cut-off; no wall-clock bound on a busy machine.
    message, seconds = json.loads(result.stdout.strip().splitlines()[-1])
    assert message.startswith("Cannot reach the Hugging Face Hub") and seconds >= 1  # it waited for the probe


def test_prefetch_command(folder, tmp_path, capsys):
    both = _run(
        ["-m", "datacentric.data.prefetch", str(folder), "someone/surely-not-cached-xyz"], tmp_path, HF_HUB_OFFLINE="1"
    )
    assert both.returncode == 1, both.stderr
    assert f"ok     {folder}: split train, 38 rows, 2 classes, label column 'label', text column 'text'" in both.stdout
    assert "FAILED someone/surely-not-cached-xyz: Offline mode is on" in both.stdout
    assert main([str(folder), "--split", "test"]) == 0
    assert "split test, 10 rows" in capsys.readouterr().out


# --- a name resolves against the current root or the Hub, never against a stale source ---------

OFFLINE_MISS = "Offline mode is on (HF_HUB_OFFLINE=1), and {name} is not in the local cache."


def _set(folder, words):
    """A folder in Hub layout whose 10 rows all read ``words``: which source answered shows in the text."""
    Dataset.from_dict({"text": [words] * 10, "label": [0, 1] * 5}).to_parquet(folder / "train.parquet")
    return folder


def _texts(name):
    """The texts of ``name`` loaded with the root the page would read from DCP_HUB_LOCAL_ROOT now."""
    return set(load_table(name, local_root=settings.text("DCP_HUB_LOCAL_ROOT")).frame["text"])


def _spellings(name):
    """The name in other cases, and as `datasets` spells it in its cache folder (MySet: my_set)."""
    from datasets.naming import camelcase_to_snakecase

    return sorted({name, name.lower(), name.upper(), name.swapcase(), name.capitalize(), camelcase_to_snakecase(name)})


@pytest.mark.parametrize("folder_name", ["hubset", "MySet"])
@pytest.mark.parametrize("gone", ["root unset", "folder deleted", "both"])
def test_the_hub_cache_after_the_root_is_unset(tmp_path, monkeypatch, folder_name, gone):
    root = tmp_path / "root"
    _set(root / folder_name, "from the folder")
    monkeypatch.setenv("DCP_HUB_LOCAL_ROOT", str(root))
    assert _texts(folder_name) == {"from the folder"}
    if gone != "root unset":
        shutil.rmtree(root / folder_name)
    if gone != "folder deleted":
        monkeypatch.delenv("DCP_HUB_LOCAL_ROOT")
    for name in _spellings(folder_name):  # to the Hub, which is offline, with the message that says so
        with pytest.raises(HubError) as err:
            _texts(name)
        assert str(err.value).startswith(OFFLINE_MISS.format(name=name)), str(err.value)


def test_a_name_under_the_root_is_spelled_exactly(tmp_path, monkeypatch):
    root = tmp_path / "root"
    _set(root / "MySet", "from the folder")
    (tmp_path / "link").symlink_to(root)
    monkeypatch.setenv("DCP_HUB_LOCAL_ROOT", str(tmp_path / "link"))  # a full path may start with either spelling
    for name in ("MySet", "./MySet", str(root / "MySet"), str(tmp_path / "link" / "MySet")):
        assert _texts(name) == {"from the folder"}
    monkeypatch.setenv("DCP_HUB_LOCAL_ROOT", str(root))
    for name in [n for n in _spellings("MySet") if n != "MySet"] + [str(root / "myset")]:
        assert local_folder(name, str(root)) is None
        with pytest.raises(HubError, match="not in the local cache|not a Hugging Face Hub dataset id"):
            _texts(name)  # another case is a Hub id (the Hub matches ids in any case), never the folder


def test_two_roots_holding_one_name_give_each_its_own_data(tmp_path, monkeypatch):
    for root in ("a", "b"):
        _set(tmp_path / root / "hubset", f"from root {root}")
    for root in ("a", "b", "a", "b"):
        monkeypatch.setenv("DCP_HUB_LOCAL_ROOT", str(tmp_path / root))
        assert _texts("hubset") == {f"from root {root}"}
    shutil.rmtree(tmp_path / "b" / "hubset")  # root b no longer holds it: a's copy does not stand in
    with pytest.raises(HubError, match=re.escape(OFFLINE_MISS.format(name="hubset"))):
        _texts("hubset")


@pytest.mark.parametrize("hub_name", ["hubset", "someone/hubset"])
def test_a_hub_name_and_a_folder_of_that_name_never_share_a_cache_entry(tmp_path, monkeypatch, hub_name):
    _fake_cached_hub_copy(
        _set(tmp_path / "elsewhere" / "hubset", "from the hub"), datasets.config.HF_DATASETS_CACHE, as_name=hub_name
    )
    root = tmp_path / "root"
    _set(root / "hubset", "from the folder")
    if "/" in hub_name:
        _set(root / "someone" / "hubset", "from the folder")
    for local in (True, False, True, False):
        if local:
            monkeypatch.setenv("DCP_HUB_LOCAL_ROOT", str(root))
        else:
            monkeypatch.delenv("DCP_HUB_LOCAL_ROOT")
        assert _texts(hub_name) == {"from the folder" if local else "from the hub"}
