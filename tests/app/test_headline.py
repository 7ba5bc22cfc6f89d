"""The headline metric on every practice page: balanced accuracy by default on an imbalanced dataset with its
own test file, picked once in the sidebar and used by Home, Tune the model, Fix the labels and Compare."""

from pathlib import Path

import pandas as pd
import pytest

from datacentric.persistence.store import Store
from datacentric.ui.keys import EVERY_METRIC
from tests.app.conftest import metric

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
PAGES = ["pages/home.py", "pages/tune_model.py", "pages/fix_labels.py", "pages/compare.py"]


def picker(at, page: str):
    """The sidebar's headline picker on ``page`` (each page has its own widget, kept in step)."""
    return at.selectbox(key=f"headline_metric_{Path(page).stem}")


@pytest.fixture
def machines(open_page, store_url):
    """The imbalanced example set up with its own test file; returns (workspace, dataset key)."""
    store = Store(store_url)
    ws = store.create_workspace({"dataset": "digits"})
    test_sha = store.add_file(
        ws, "machines-test.csv", (EXAMPLES / "machines-test.csv").read_bytes(), {"kind": "upload"}
    )
    train_sha = store.add_file(ws, "machines.csv", (EXAMPLES / "machines.csv").read_bytes(), {"kind": "upload"})
    at = open_page("pages/your_data.py", ws=ws)
    at.radio(key=f"test_from_{train_sha}").set_value("file").run()
    assert at.selectbox(key=f"test_file_{train_sha}").value == test_sha
    next(b for b in at.button if b.label == "Use this dataset").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return ws, at.session_state["scenario"].dataset


def open_on(open_page, page, ws, key):
    return open_page(page, ws=ws, dataset=key, noise="none", rate="0", seed="0")


@pytest.mark.parametrize("page", PAGES)
def test_an_imbalanced_dataset_reports_balanced_accuracy_and_says_why(open_page, machines, page):
    at = open_on(open_page, page, *machines)
    assert not at.exception
    shown = picker(at, page)
    assert shown.value == "auto" and shown.format_func(shown.value) == "Automatic: balanced accuracy"
    counts = pd.read_csv(EXAMPLES / "machines-test.csv")["label"].value_counts()
    said = f"The smallest class has {counts.min()} test items against {counts.max()}"
    assert any(said in c.value for c in at.caption)
    assert any(f"your test file ({counts.sum()} test items)" in t.value for t in (*at.caption, *at.markdown))


def test_each_page_reports_in_the_headline(open_page, machines):
    ws, key = machines
    fix = open_on(open_page, "pages/fix_labels.py", ws, key)
    assert metric(fix, "Test balanced accuracy").endswith("%")
    assert [m.label for m in fix.metric[:2]] == ["Test balanced accuracy", "Test accuracy"]
    assert "Macro-F1" not in {m.label for m in fix.metric}  # every metric is drawn only once its expander opens
    fix.session_state[EVERY_METRIC] = True  # the learner opens it
    fix.run()
    every = {m.label: m.value for m in fix.metric}
    assert {"Accuracy", "Balanced accuracy", "Macro-F1"} <= set(every)  # every metric, under the headline
    assert float(every["Balanced accuracy"].rstrip("%")) < float(every["Accuracy"].rstrip("%")) - 10  # the rare class
    home = open_on(open_page, "pages/home.py", ws, key)
    assert metric(home, "Trained on noisy labels") == every["Balanced accuracy"]
    compare = open_on(open_page, "pages/compare.py", ws, key)
    assert "test balanced accuracy" in compare.table[0].value.columns
    assert (
        compare.table[0].value.loc["Baseline", "test balanced accuracy"].replace(" ", "") == every["Balanced accuracy"]
    )


def test_the_learner_picks_the_headline_once_for_every_page(open_page, machines):
    ws, key = machines
    at = open_on(open_page, "pages/fix_labels.py", ws, key)
    picker(at, "pages/fix_labels.py").set_value("accuracy").run()
    assert metric(at, "Test accuracy").endswith("%")
    at.switch_page("pages/tune_model.py").run()
    assert picker(at, "pages/tune_model.py").value == "accuracy"
    at.switch_page("pages/home.py").run()
    assert picker(at, "pages/home.py").value == "accuracy"
    assert any("the share of test items predicted right" in c.value for c in at.caption)


def test_the_headline_rides_in_the_url_so_a_refresh_keeps_it(open_page, machines):
    from tests.app.conftest import flat

    ws, key = machines
    at = open_page("pages/home.py", ws=ws, dataset=key, noise="none", rate="0", seed="0")
    picker(at, "pages/home.py").set_value("macro_f1").run()
    assert flat(at.query_params)["metric"] == "macro_f1"
    again = open_page("pages/fix_labels.py", ws=ws, dataset=key, noise="none", rate="0", seed="0", metric="macro_f1")
    assert picker(again, "pages/fix_labels.py").value == "macro_f1"
    assert metric(again, "Test macro-F1").endswith("%")


def test_tune_chooses_on_validation_by_the_headline(open_page, machines):
    ws, key = machines
    at = open_on(open_page, "pages/tune_model.py", ws, key)
    next(b for b in at.button if b.label == "Train").click().run()
    assert not at.exception
    assert metric(at, "Validation balanced accuracy (chosen run)").endswith("%")
    assert metric(at, "Test balanced accuracy (chosen run)").endswith("%")
    table = next(d.value for d in at.dataframe if "hyperparameters" in d.value.columns)
    assert "validation" in table.columns and table["validation"].notna().all()
