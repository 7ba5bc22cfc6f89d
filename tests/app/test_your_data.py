"""Your data: set-up of a stored file, the Hub form on a local folder, bad labels; and every page on a learner's
dataset.

AppTest cannot drive a file uploader, so these tests file the CSV in the store as an upload
would; the upload itself is tested in a real browser (tests/e2e/test_your_data_journey.py).
"""

import hashlib
import json
import re
from pathlib import Path

import pytest

from datacentric.lab.scenario import DEFAULT
from datacentric.persistence.store import Store
from tests.app.conftest import flat, metric

PAGE = "pages/your_data.py"
REVIEWS = Path(__file__).resolve().parents[2] / "data" / "examples" / "reviews.csv"


def workspace_with(store_url: str, raw: bytes, name: str = "reviews.csv") -> str:
    store = Store(store_url)
    ws = store.create_workspace({"dataset": "digits"})
    store.add_file(ws, name, raw, {"kind": "upload"})
    return ws


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_page_without_files_offers_upload_and_hub(open_page):
    at = open_page(PAGE)
    assert at.title[0].value == "Your data"
    assert [t.label for t in at.tabs] == ["Upload a CSV", "From the Hugging Face Hub"]
    assert any("Bring a file above" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "Use this dataset"]


def test_a_stored_file_is_set_up_guessing_label_truth_and_roles(open_page, store_url):
    ws = workspace_with(store_url, REVIEWS.read_bytes())
    at = open_page(PAGE, ws=ws)
    assert at.selectbox(key=next(k for k in _keys(at) if k.startswith("label_"))).value == "label"
    assert at.selectbox(key=next(k for k in _keys(at) if k.startswith("truth_"))).value == "true_label"
    steps = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))  # shown escaped: the learner's names
    assert "Text columns (review) become TF-IDF" in steps
    assert "Categorical columns (category)" in steps
    assert "Numeric columns (price, stars)" in steps
    assert "Ignored: review_id" in steps
    assert any(s.value.startswith("Graded") for s in at.success)

    button(at, "Use this dataset").click().run()
    assert not at.exception, at.exception
    scenario = at.session_state["scenario"]
    assert scenario.dataset.startswith("u-") and scenario.noise == "none"
    assert at.title[0].value == "Fix the labels"
    assert [d["key"] for d in Store(store_url).datasets(ws)] == [scenario.dataset]


def test_without_a_truth_column_the_page_says_it_cannot_grade(open_page, store_url):
    raw = REVIEWS.read_text().replace("true_label", "comment").encode()  # a truth column no one would guess
    ws = workspace_with(store_url, raw)
    at = open_page(PAGE, ws=ws)
    assert at.selectbox(key=next(k for k in _keys(at) if k.startswith("truth_"))).value.startswith("(none")
    assert any("Not graded" in i.value for i in at.info)


@pytest.mark.parametrize(
    "csv, message, fix",
    [
        ("text,label\nfine day,a\nsunny day,a\nwarm day,a\nnice day,a\ngood day,a\nhot day,a\n", "has one class", None),
        (
            "text,label\n" + "".join(f"row {i},{'a' if i % 2 else 'b'}\n" for i in range(12)) + "no label,\n",
            "rows have no value",
            "Drop the 1 rows without a label",
        ),
        (
            "text,label\n" + "".join(f"row {i},{'a' if i % 2 else 'b'}\n" for i in range(12)) + "odd one,c\n",
            "fewer than 5 rows",
            "Drop the rows of 1 classes with fewer than 5 rows",
        ),
    ],
)
def test_a_bad_label_column_is_explained_and_blocks_until_fixed(open_page, store_url, csv, message, fix):
    at = open_page(PAGE, ws=workspace_with(store_url, csv.encode(), "bad.csv"))
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert button(at, "Use this dataset").disabled
    if fix:
        next(c for c in at.checkbox if c.label == fix).check().run()
        assert not at.error
        assert not button(at, "Use this dataset").disabled


def test_hub_form_loads_a_local_folder_through_the_hub_code(open_page, tmp_path, store_url, monkeypatch):
    monkeypatch.setenv("DCP_HUB_LOCAL_ROOT", str(tmp_path))  # an administrator's opt-in; off by default
    from datasets import ClassLabel, Dataset, Features, Value

    folder = tmp_path / "tiny_reviews"
    folder.mkdir()
    texts = [f"{'good great fine' if i % 2 else 'bad awful poor'} product number {i}" for i in range(40)]
    Dataset.from_dict(
        {"text": texts, "label": [i % 2 for i in range(40)]},
        features=Features({"text": Value("string"), "label": ClassLabel(names=["neg", "pos"])}),
    ).to_parquet(str(folder / "train.parquet"))
    at = open_page(PAGE)
    at.selectbox(key="hub_choice").select("Another dataset...").run()
    at.text_input(key="hub_name_Another dataset...").input(str(folder)).run()
    button(at, "Load from the Hub").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    ws = at.session_state["workspace"]
    files = Store(store_url).files(ws)
    assert len(files) == 1 and files[0]["source"]["kind"] == "hub"
    assert at.selectbox(key=next(k for k in _keys(at) if k.startswith("label_"))).value == "label"


def test_an_unknown_hub_name_offline_is_a_message(open_page, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    at = open_page(PAGE)
    at.selectbox(key="hub_choice").select("Another dataset...").run()
    at.text_input(key="hub_name_Another dataset...").input("someone/surely-not-a-dataset").run()
    button(at, "Load from the Hub").click().run()
    assert not at.exception
    assert any("prefetch" in e.value for e in at.error), [e.value for e in at.error]


@pytest.fixture
def reviews_scenario(open_page, store_url):
    """A workspace with the example reviews set up as a dataset; returns (ws, dataset key)."""
    ws = workspace_with(store_url, REVIEWS.read_bytes())
    at = open_page(PAGE, ws=ws)
    button(at, "Use this dataset").click().run()
    return ws, at.session_state["scenario"].dataset


@pytest.mark.parametrize(
    "page, title",
    [
        ("pages/home.py", None),
        ("pages/fix_labels.py", "Fix the labels"),
        ("pages/tune_model.py", "Tune the model"),
        ("pages/compare.py", "Compare"),
    ],
)
def test_every_page_works_on_a_learners_dataset(open_page, reviews_scenario, page, title):
    ws, key = reviews_scenario
    at = open_page(page, ws=ws, dataset=key, noise="none", rate="0", seed="0")
    if title:
        assert at.title[0].value == title
    assert not at.exception


def test_fix_labels_on_a_learners_dataset_is_graded_and_shows_text(open_page, reviews_scenario):
    ws, key = reviews_scenario
    at = open_page("pages/fix_labels.py", ws=ws, dataset=key, noise="none", rate="0", seed="0")
    before = int(metric(at, "Noisy labels left"))
    assert before > 0
    assert at.main.text[-1].value  # the review's text, shown as text
    next(b for b in at.button if b.label.startswith("Accept suggestion")).click().run()
    assert metric(at, "Actions taken") == "1"
    assert int(metric(at, "Noisy labels left")) in (before - 1, before)


def test_someone_elses_dataset_link_falls_back_to_digits(open_page, reviews_scenario):
    _, key = reviews_scenario
    at = open_page("pages/home.py", dataset=key, noise="none", rate="0", seed="0")
    assert flat(at.query_params)["dataset"] == DEFAULT.dataset
    assert any("private workspace" in w.value for w in at.warning)


def test_the_shared_cache_opens_a_learners_lab_only_for_its_workspace(reviews_scenario, store_url):
    from datacentric.lab.scenario import Scenario
    from datacentric.ui import services

    ws, key = reviews_scenario
    scenario = Scenario(key, "none", 0, 0)
    other = workspace_with(store_url, REVIEWS.read_bytes())  # the same bytes, and it knows the key
    assert ("lab", scenario) in services.memory()  # the lab is in the cache every session shares...
    assert services.lab_for(ws, scenario).n_train > 0
    with pytest.raises(PermissionError):  # ...and the store still refuses it to another workspace
        services.lab_for(other, scenario)
    with pytest.raises(LookupError):
        services.user_dataset(other, key)


def test_a_learners_lab_the_cache_let_go_is_read_again_for_its_workspace(reviews_scenario, store_url):
    from datacentric.lab.scenario import Scenario
    from datacentric.ui import services

    ws, key = reviews_scenario
    scenario = Scenario(key, "none", 0, 0)
    n_train = services.lab_for(ws, scenario).n_train
    services.memory().clear()
    assert services.get_lab(scenario).n_train == n_train  # a service below the page, after an eviction
    sha = Store(store_url).datasets(ws)[0]["sha"]
    Store(store_url).remove_file(ws, sha)
    services.memory().clear()
    with pytest.raises(LookupError):  # the workspace that opened it no longer has it: nothing is read
        services.get_lab(scenario)


def _keys(at) -> list[str]:
    return [w.key for w in at.selectbox if w.key]


def test_a_file_with_nothing_but_labels_cannot_be_used(open_page, store_url):
    csv = "label,true_label\n" + "".join(f"{'a' if i % 2 else 'b'},{'a' if i % 2 else 'b'}\n" for i in range(20))
    at = open_page(PAGE, ws=workspace_with(store_url, csv.encode(), "labels-only.csv"))
    assert any("no columns besides the labels" in e.value for e in at.error)
    assert button(at, "Use this dataset").disabled


@pytest.mark.parametrize("root", [None, "elsewhere"])
@pytest.mark.parametrize("name", ["data", "tests", "pages/..", "{tmp}", "csv"])
def test_a_server_folder_is_never_loaded_by_a_name_outside_the_administrators_root(
    open_page, tmp_path, monkeypatch, store_url, name, root
):
    """The app's own folders (data/, tests/ beside app.py), any absolute path, and `datasets`' builders that read
    the working directory: refused or looked up on the Hub only, with or without a root set elsewhere."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    if root:
        (tmp_path / root).mkdir()
        monkeypatch.setenv("DCP_HUB_LOCAL_ROOT", str(tmp_path / root))
    else:
        monkeypatch.delenv("DCP_HUB_LOCAL_ROOT", raising=False)
    at = open_page(PAGE)
    at.selectbox(key="hub_choice").select("Another dataset...").run()
    at.text_input(key="hub_name_Another dataset...").input(name.format(tmp=tmp_path)).run()
    button(at, "Load from the Hub").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("not a Hugging Face Hub dataset id" in e or "not in the local cache" in e for e in errors), errors
    ws = at.session_state["workspace"]
    assert ws is None or Store(store_url).files(ws) == []


def test_data_the_encoder_refuses_is_explained_and_not_kept(open_page, store_url):
    letters = "abcdefghij"
    notes = [f"{a} {b}" for a in letters for b in letters][:60]  # one-letter words: no TF-IDF term at all
    csv = "note,label,true_label\n" + "".join(
        f"{n},{'p' if i % 2 else 'q'},{'p' if i % 2 else 'q'}\n" for i, n in enumerate(notes)
    )
    ws = workspace_with(store_url, csv.encode(), "notes.csv")
    at = open_page(PAGE, ws=ws)
    button(at, "Use this dataset").click().run()
    assert not at.exception, at.exception
    assert any("no word that appears" in e.value for e in at.error), [e.value for e in at.error]
    assert Store(store_url).datasets(ws) == []  # nothing broken left behind to open later


def test_a_file_can_be_deleted_with_its_datasets(open_page, reviews_scenario, store_url):
    ws, key = reviews_scenario
    at = open_page(PAGE, ws=ws, dataset=key, noise="none", rate="0", seed="0")
    next(b for b in at.button if b.label == "Delete it").click().run()
    assert not at.exception, at.exception
    assert Store(store_url).files(ws) == [] and Store(store_url).datasets(ws) == []
    assert at.session_state["scenario"].dataset == DEFAULT.dataset
    assert any("Bring a file above" in c.value for c in at.caption)


def test_a_changed_role_changes_the_pipeline(open_page, store_url):
    ws = workspace_with(store_url, REVIEWS.read_bytes())
    at = open_page(PAGE, ws=ws)
    key = f"roles_{hashlib.sha256(REVIEWS.read_bytes()).hexdigest()}_label_true_label"
    # AppTest cannot drive st.data_editor; its state is what a browser edit would send.
    at.session_state[key] = {
        "edited_rows": {4: {"role": "ignored"}, 2: {"role": "text"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    steps = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))
    assert "Numeric columns (price) are scaled" in steps
    assert "Text columns (review, category)" in steps and "Ignored: review_id, stars" in steps
    button(at, "Use this dataset").click().run()
    assert not at.exception, at.exception
    roles = dict(json.loads(Store(store_url).datasets(ws)[0]["spec"])["roles"])
    assert roles["stars"] == "ignored" and roles["category"] == "text"


def test_markup_in_the_data_is_shown_as_text(open_page, store_url):
    import pandas as pd

    frame = pd.read_csv(REVIEWS)
    frame["review"] = "**bold** <b>tag</b> [link](http://example.com) " + frame["review"]
    ws = workspace_with(store_url, frame.to_csv(index=False).encode(), "markup.csv")
    at = open_page(PAGE, ws=ws)
    button(at, "Use this dataset").click().run()
    assert at.title[0].value == "Fix the labels"
    assert at.main.text[-1].value.startswith("**bold** <b>tag</b> [link](http://example.com) ")
    assert not any("<b>" in m.value for m in at.markdown)


def two_files(store_url: str, test_change=lambda frame: frame):
    """A workspace holding the example reviews as a training file (300 rows) and a test file (100 rows)."""
    import pandas as pd

    frame = pd.read_csv(REVIEWS)
    train = frame.iloc[:300].to_csv(index=False).encode()
    test = test_change(frame.iloc[300:]).to_csv(index=False).encode()
    store = Store(store_url)
    ws = store.create_workspace({"dataset": "digits"})
    test_sha = store.add_file(ws, "reviews-test.csv", test, {"kind": "upload"})
    train_sha = store.add_file(ws, "reviews-train.csv", train, {"kind": "upload"})  # the newest: set up first
    return ws, train_sha, test_sha


def split_line(at) -> str | None:
    """The form's one line on the split, its Markdown escapes removed; None when it states none."""
    return next(
        (unescaped for m in at.markdown if (unescaped := m.value.replace("\\", "")).startswith("Split: ")), None
    )


def test_a_second_file_is_the_test_set_and_every_page_says_so(open_page, store_url):
    ws, train_sha, test_sha = two_files(store_url)
    at = open_page(PAGE, ws=ws)
    at.radio(key=f"test_from_{train_sha}").set_value("file").run()
    assert at.selectbox(key=f"test_file_{train_sha}").value == test_sha
    assert split_line(at) == (
        "Split: 300 rows train the model and 100 rows test it: every labelled row of 'reviews-test.csv', a file of "
        "their own."
    )
    button(at, "Use this dataset").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    key = at.session_state["scenario"].dataset
    spec = json.loads(Store(store_url).datasets(ws)[0]["spec"])
    assert spec["test_file"] == test_sha
    for page in ("pages/fix_labels.py", "pages/tune_model.py", "pages/compare.py"):
        shown = open_page(page, ws=ws, dataset=key, noise="none", rate="0", seed="0")
        said = " ".join(c.value for c in shown.caption)
        assert "Every score on this page is on your test file (100 test items), its labels taken as the truth" in said
        assert "clean test split" not in said
        if page == "pages/tune_model.py":  # a run chosen by validation: why the test differs, never "clean"
            button(shown, "Train").click().run()
            chosen = next(c.value for c in shown.caption if c.value.startswith("Chosen by validation"))
            assert "taken as the truth" in chosen and "clean" not in chosen
    fix = open_page("pages/fix_labels.py", ws=ws, dataset=key, noise="none", rate="0", seed="0")
    assert metric(fix, "Actions taken") == "0" and "300 of 300 training items" in str(fix.metric[3].proto.help)


def test_the_test_set_chosen_for_a_file_stays_when_another_file_is_looked_at_and_back(open_page, store_url):
    ws, train_sha, test_sha = two_files(store_url)
    at = open_page(PAGE, ws=ws)
    at.radio(key=f"test_from_{train_sha}").set_value("file").run()
    at.selectbox(key="yourdata_file").set_value(test_sha).run()  # a look at the other file
    at.selectbox(key="yourdata_file").set_value(train_sha).run()  # and back
    assert at.radio(key=f"test_from_{train_sha}").value == "file"  # it was reset to a random split
    assert at.selectbox(key=f"test_file_{train_sha}").value == test_sha
    assert not button(at, "Use this dataset").disabled


def test_the_file_set_up_and_its_test_file_stay_after_another_page(open_page, store_url):
    ws, train_sha, test_sha = two_files(store_url)
    Store(store_url).add_file(ws, "other.csv", REVIEWS.read_bytes(), {"kind": "upload"})  # the newest now
    at = open_page(PAGE, ws=ws)
    at.selectbox(key="yourdata_file").set_value(train_sha).run()
    at.radio(key=f"test_from_{train_sha}").set_value("file").run()
    at.selectbox(key=f"test_file_{train_sha}").set_value(test_sha).run()
    at.switch_page("pages/compare.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="yourdata_file").value == train_sha  # it went back to the newest file
    assert at.radio(key=f"test_from_{train_sha}").value == "file"
    assert at.selectbox(key=f"test_file_{train_sha}").value == test_sha


def test_another_file_as_the_test_set_before_there_is_one_keeps_the_dataset_unused(open_page, store_url):
    ws = workspace_with(store_url, REVIEWS.read_bytes())  # one file: nothing to test on but itself
    at = open_page(PAGE, ws=ws)
    sha = Store(store_url).files(ws)[0]["sha"]
    assert not button(at, "Use this dataset").disabled  # a seeded random split, as the radio starts
    assert split_line(at) == "Split: 280 rows train the model and 120 rows test it: a seeded random 30 % of this file."
    at.radio(key=f"test_from_{sha}").set_value("file").run()
    assert button(at, "Use this dataset").disabled  # never a random split in place of the file chosen
    assert split_line(at) is None  # no split to state
    assert any(box.value.startswith("No test file yet") for box in at.info)
    assert Store(store_url).datasets(ws) == []
    at.radio(key=f"test_from_{sha}").set_value("random").run()
    assert not button(at, "Use this dataset").disabled


def test_a_test_file_with_other_columns_is_refused_naming_them_and_nothing_is_stored(open_page, store_url):
    ws, train_sha, _ = two_files(store_url, lambda frame: frame.drop(columns=["price", "category"]))
    at = open_page(PAGE, ws=ws)
    at.radio(key=f"test_from_{train_sha}").set_value("file").run()
    said = " ".join(e.value for e in at.error).replace("\\", "")
    assert "The test file lacks columns the training file uses: 'category', 'price'" in said
    assert button(at, "Use this dataset").disabled
    assert Store(store_url).datasets(ws) == []


def test_a_split_column_marks_the_test_rows(open_page, store_url):
    import pandas as pd

    frame = pd.read_csv(REVIEWS).assign(split=lambda f: ["test" if i % 5 == 0 else "train" for i in range(len(f))])
    ws = workspace_with(store_url, frame.to_csv(index=False).encode(), "split.csv")
    at = open_page(PAGE, ws=ws)
    sha = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    assert at.radio(key=f"test_from_{sha}").value == "column"  # guessed from the column's name
    assert at.selectbox(key=f"split_column_{sha}").value == "split"
    assert at.selectbox(key=f"test_value_{sha}_split").value == "test"
    assert split_line(at) == "Split: 320 rows train the model and 80 rows test it: the rows whose 'split' is 'test'."
    steps = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))
    pipeline = [line for line in steps.splitlines() if line.startswith("- ")]
    assert pipeline and not any("split" in line for line in pipeline)  # the split is not a feature
    button(at, "Use this dataset").click().run()
    assert not at.exception and not at.error
    said = " ".join(c.value for c in at.caption)
    assert "the rows your split column marks for testing (80 test items), graded by your column of known-true" in said


def test_a_hub_dataset_brings_its_own_test_split(open_page, tmp_path, store_url, monkeypatch):
    monkeypatch.setenv("DCP_HUB_LOCAL_ROOT", str(tmp_path))
    from datasets import ClassLabel, Dataset, Features, Value

    folder = tmp_path / "tiny_reviews"
    folder.mkdir()
    features = Features({"text": Value("string"), "label": ClassLabel(names=["neg", "pos"])})
    for split, n in (("train", 60), ("test", 24)):
        texts = [f"{'good great fine' if i % 2 else 'bad awful poor'} {split} product {i}" for i in range(n)]
        Dataset.from_dict({"text": texts, "label": [i % 2 for i in range(n)]}, features=features).to_parquet(
            str(folder / f"{split}.parquet")
        )
    at = open_page(PAGE)
    at.selectbox(key="hub_choice").select("Another dataset...").run()
    at.text_input(key="hub_name_Another dataset...").input(str(folder)).run()
    button(at, "Load from the Hub").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    files = Store(store_url).files(at.session_state["workspace"])
    assert sorted(f["source"]["split"] for f in files) == ["test", "train"]
    train = next(f["sha"] for f in files if f["source"]["split"] == "train")
    test = next(f["sha"] for f in files if f["source"]["split"] == "test")
    assert at.radio(key=f"test_from_{train}").value == "file"
    assert at.selectbox(key=f"test_file_{train}").value == test
    button(at, "Use this dataset").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("your test file (24 test items)" in c.value for c in at.caption)


def test_rows_picked_by_a_filter_are_removed_in_one_action_and_one_undo(open_page, reviews_scenario, store_url):
    import pandas as pd

    ws, key = reviews_scenario
    at = open_page("pages/fix_labels.py", ws=ws, dataset=key, noise="none", rate="0", seed="0")
    at.selectbox(key="bulk_kind").set_value("contains").run()
    at.text_input(key="bulk_contains_text").input("BROKE after").run()
    frame = pd.read_csv(REVIEWS)
    said = next(m.value for m in at.markdown if "training rows match" in m.value)
    matched = int(said.split("**")[1].replace(",", ""))
    assert 0 < matched <= frame["review"].str.contains("broke after", case=False).sum()
    button(at, f"Remove the {matched} in use").click().run()
    assert not at.exception
    assert metric(at, "Actions taken") == "1"  # one bulk action; its message says how many rows
    log = Store(store_url).log(ws, f"{key}-none-0-0")
    assert [a.kind for a in log] == ["remove"] * matched and len({a.group for a in log}) == 1
    assert any(
        f"Removed {matched} items from training in one action" in box.value.replace("\\", "")
        for box in (*at.success, *at.info, *at.error)
    )
    assert button(at, f"Restore the {matched} removed").disabled is False
    next(b for b in at.button if b.label == "Undo last action").click().run()
    assert metric(at, "Actions taken") == "0"


def test_a_bad_pattern_is_explained_and_acts_on_nothing(open_page, reviews_scenario):
    ws, key = reviews_scenario
    at = open_page("pages/fix_labels.py", ws=ws, dataset=key, noise="none", rate="0", seed="0")
    at.selectbox(key="bulk_kind").set_value("regex").run()
    at.text_input(key="bulk_regex_text").input("(broke").run()
    assert not at.exception
    assert any("not a regular expression the app can read" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label.startswith("Remove the ")]


@pytest.mark.parametrize("fixes", ["every wrong label", "right labels made wrong"])
def test_compare_on_a_learners_data_with_known_true_labels_gives_one_verdict_or_says_why(
    open_page, reviews_scenario, store_url, fixes
):
    import numpy as np

    from datacentric.experiment.tuning import train_run
    from datacentric.lab.scenario import Scenario
    from datacentric.lab.worklog import Action
    from datacentric.ui import services

    ws, key = reviews_scenario
    scenario = Scenario(key, "none", 0, 0)
    lab = services.lab_for(ws, scenario)
    assert lab.grading != "none"  # the reviews' known-true column grades them
    store = Store(store_url)
    family = "knn" if fixes == "every wrong label" else "logistic"  # the fixed model's own family: no gain
    run = train_run(lab, lab.noisy_labels, lab.in_use, family=family, validate=True)
    store.add_run(ws, scenario.slug, run.to_record(), scenario.to_params())
    if fixes == "every wrong label":  # the table's verdict and the replay's agree: fixing is ahead
        touched = [int(i) for i in np.flatnonzero(lab.is_noisy)]
        actions = [Action("relabel", i, int(lab.true_labels[i])) for i in touched]
    else:  # the table's: neither gained; the replay's: its reviewer did
        touched = [int(i) for i in np.flatnonzero(~lab.is_noisy)[:40]]
        actions = [Action("relabel", i, (int(lab.true_labels[i]) + 1) % lab.dataset.n_classes) for i in touched]
    store.append(ws, scenario.slug, actions)  # one click
    at = open_page("pages/compare.py", ws=ws, dataset=key, noise="none", rate="0", seed="0")
    at.slider[0].set_value(10).run()
    next(b for b in at.button if b.label == "Replay the experiment").click().run()
    assert not at.exception, at.exception
    assert not [i for i in at.info if "cannot simulate a reviewer" in i.value]  # a reviewer is offered
    replayed = at.table[1].value
    assert (
        f"after your 1 label action ({len(touched)} rows touched)"
        in replayed.loc["Data-centric (your own actions)", "how"]
    )
    said = [m.value for m in at.markdown if m.value.startswith("- ")]
    yours, replay = said[0], said[-1]
    leader = {"Fixing the data": "data", "Tuning the model": "model", "A tie": "tie", "Neither": "neither"}
    mine = next(v for k, v in leader.items() if yours.startswith(f"- {k}"))
    theirs = next(v for k, v in leader.items() if replay.startswith(f"- {k}"))
    verb = "gained" if fixes == "every wrong label" else "lost"
    assert f"Your own 1 label action touching {len(touched)} rows {verb} " in replay
    apart = "name different winners because they weigh different work" in replay
    assert apart == (mine != theirs), (yours, replay)  # one verdict, or a sentence that says why there are two
    assert apart == (fixes == "right labels made wrong")
