"""A read-only view link: it shows someone's work on every page and refuses every action.

Each page is opened through the link, and every button that is not turned off is clicked (forms submitted
included); the store must not change, nothing may fail, and the owner's resume code and workspace never show.
"""

import pytest
from sqlalchemy import create_engine, select

from datacentric.findings import filters
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action
from datacentric.persistence import resume, viewing
from datacentric.persistence.store import Store, metadata
from datacentric.ui import myslices
from tests.app.conftest import flat

SCENARIO = Scenario(reserve=10)
PAGES = [
    ("pages/home.py", {}),
    ("pages/tune_model.py", {}),
    ("pages/fix_labels.py", {}),
    ("pages/weak_slices.py", {}),
    ("pages/compare.py", {}),
    ("pages/your_data.py", {}),
    ("pages/learn.py", {}),
    ("pages/learn.py", {"lesson": "01-ai-is-code-plus-data"}),  # a lesson: its quiz and "Mark complete"
    ("pages/classroom.py", {}),
    ("pages/teach.py", {}),
]


@pytest.fixture
def shown(store_url):
    """A workspace with work in it (labels fixed, a run, a quiz answer, a saved slice, a chosen slice) and its
    read-only link's token."""
    from datacentric.experiment import tuning
    from datacentric.lab.prepare import prepare
    from datacentric.modelling.models import FAMILIES
    from datacentric.present.lessons import load_lessons

    lab = prepare(SCENARIO)
    first, second = lab.in_use.nonzero()[0][:2]  # training rows, not the reserve's
    run = tuning.train_run(lab, lab.noisy_labels, lab.in_use, family=next(iter(FAMILIES)), validate=True)
    store = Store(store_url)
    ws = store.create_workspace(SCENARIO.to_params())
    store.append(ws, SCENARIO.slug, [Action("relabel", int(first), 1)])
    store.append(ws, SCENARIO.slug, [Action("remove", int(second))])
    store.add_run(ws, SCENARIO.slug, run.to_record(), SCENARIO.to_params())
    first_lesson = load_lessons()[0]
    store.add_event(ws, f"lesson/{first_lesson.slug}", {"question": 0, "choice": first_lesson.quiz[0].choices[0]})
    ink = filters.RowFilter("range", "pixel_0_5", low=8, high=16)
    store.add_event(ws, myslices.TOPIC + "digits", {"name": "mine", "filter": ink.to_dict()})
    store.add_event(
        ws,
        myslices.FOCUS_TOPIC + SCENARIO.slug,
        {
            "key": ["class is 1"],
            "name": "class is 1",
            "then": 0.9,
            "potential": 0.01,
            "share": 0.1,
            "metric": "accuracy",
        },
    )
    return store, ws, store.view_token(ws)


def rows(url: str) -> dict[str, list]:
    """Every row of every table: an insert, an update or a delete anywhere changes it."""
    engine = create_engine(url)
    with engine.connect() as db:
        return {name: sorted(map(repr, db.execute(select(table)).all())) for name, table in metadata.tables.items()}


@pytest.mark.parametrize("page, extra", PAGES)
def test_a_read_only_link_shows_the_work_and_refuses_every_action(open_page, store_url, shown, page, extra):
    store, ws, token = shown
    code = store.resume_code(ws)  # made before the snapshot: making it is a write
    before = rows(store_url)
    at = open_page(page, **SCENARIO.to_params(), **extra, view=token)
    assert at.session_state["workspace"] == ws and at.session_state["viewing"] == token
    assert flat(at.query_params)[viewing.PARAM] == token  # the link stays a view on every page
    clicked = 0
    for name in [(b.key, b.label) for b in at.button if not b.disabled]:
        at = open_page(page, **SCENARIO.to_params(), **extra, view=token)
        button = next((b for b in at.button if (b.key, b.label) == name), None)
        if button is None or button.disabled:
            continue
        button.click().run()
        clicked += 1
        assert not at.exception, (button.label, at.exception)
        assert rows(store_url) == before, f"{button.label!r} changed the store"
        assert at.session_state["workspace"] == ws  # still the view, never a new workspace
        drawn = " ".join(str(getattr(e, "value", "")) for e in at.main) + " ".join(
            str(getattr(e, "value", "")) for e in at.sidebar
        )
        assert code not in drawn and resume.shown(code) not in drawn and ws not in drawn
    assert rows(store_url) == before
    print(page, "buttons clicked:", clicked)


def test_the_view_shows_the_owners_labels(open_page, shown):
    store, ws, token = shown
    home = open_page("pages/home.py", **SCENARIO.to_params(), view=token)
    assert any("read-only link" in i.value for i in home.info)  # navigation.py's banner
    at = open_page("pages/fix_labels.py", **SCENARIO.to_params(), view=token)
    assert at.session_state["scenario"] == SCENARIO
    actions = [b for b in at.button if b.label.startswith(("Accept suggestion", "Label is right", "Undo"))]
    assert actions and all(b.disabled for b in actions)
    assert at.session_state["workspace"] == ws


def test_a_wrong_view_token_opens_nothing_and_says_so(open_page, shown):
    at = open_page("pages/home.py", **SCENARIO.to_params(), view=viewing.new_token())
    assert at.session_state["workspace"] is None and "viewing" not in at.session_state
    assert any("does not show any saved work" in w.value for w in at.warning)
    assert viewing.PARAM not in flat(at.query_params)


def test_leaving_a_view_for_ones_own_work_forgets_the_owners(open_page, store_url, shown):
    """A viewer types their own resume code: their work opens with nothing of the owner's (the chosen slice, the
    last message), and the session can act again."""
    store, ws, token = shown
    mine = store.create_workspace(SCENARIO.to_params())
    at = open_page("pages/fix_labels.py", **SCENARIO.to_params(), view=token)
    assert at.session_state["slice_focus"]["name"] == "class is 1"  # the owner's chosen slice, in the view
    at.switch_page("pages/home.py").run()
    at.text_input(key="resume_code").input(resume.shown(store.resume_code(mine))).run()
    at.button(key="resume_open").click().run()
    assert at.session_state["workspace"] == mine and "viewing" not in at.session_state
    assert "slice_focus" not in at.session_state and viewing.PARAM not in flat(at.query_params)
    at.switch_page("pages/fix_labels.py").run()
    assert not at.exception
    assert not next(b for b in at.button if b.label.startswith("Label is right")).disabled
