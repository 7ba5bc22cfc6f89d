"""An error the app does not foresee reaches the learner as a sentence, its details only in the server's log."""

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_your_data import PAGE, button, workspace_with

ROOT = Path(__file__).resolve().parents[2]


def test_a_deployment_shows_an_uncaught_errors_type_only():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "type"  # no message, no traceback with server paths


def test_with_that_setting_an_uncaught_error_hides_its_message():
    from streamlit import config

    config.set_option("client.showErrorDetails", "type")
    at = AppTest.from_string('raise ValueError("at /srv/app/secret.py")').run()
    assert "/srv" not in at.exception[0].message and not at.exception[0].stack_trace


def test_an_unforeseen_failure_while_preparing_is_a_sentence_and_keeps_nothing(
    open_page, store_url, monkeypatch, caplog
):
    from datacentric.lab import prepare
    from datacentric.persistence.store import Store
    from datacentric.ui import services  # noqa: F401 - imported before the patch, or it would bind the broken prepare

    def broken(*args, **kwargs):
        raise RuntimeError("boom in /srv/app/datacentric/lab/prepare.py")

    monkeypatch.setattr(prepare, "prepare", broken)
    monkeypatch.setattr("datacentric.ui.services.prepare", broken)
    ws = workspace_with(store_url, (ROOT / "data" / "examples" / "reviews.csv").read_bytes())
    at = open_page(PAGE, ws=ws)
    button(at, "Use this dataset").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("server" in e and "log" in e for e in errors), errors
    assert not any("boom" in e or "/srv" in e for e in errors)
    assert "boom" in caplog.text
    assert Store(store_url).datasets(ws) == []


@pytest.mark.parametrize("page", ["pages/fix_labels.py", "pages/weak_slices.py", "pages/home.py"])
def test_a_session_never_opens_another_workspaces_dataset_whatever_put_it_there(open_page, store_url, page):
    """Ownership is checked where every page loads its lab (state.lab), not only when the URL is read."""
    from datacentric.lab.scenario import Scenario
    from tests.app.test_your_data import REVIEWS, workspace_with

    owner = open_page("pages/your_data.py", ws=workspace_with(store_url, REVIEWS.read_bytes()))
    next(b for b in owner.button if b.label == "Use this dataset").click().run()
    theirs = owner.session_state["scenario"].dataset
    at = open_page("pages/home.py")  # a stranger: no workspace of theirs
    at.session_state["scenario"] = Scenario(theirs, "none", 0, 0)
    at.switch_page(page).run()
    assert not at.exception
    assert any("uploaded into another workspace" in e.value for e in at.error)
    assert not at.dataframe and not at.metric  # nothing of theirs drawn
