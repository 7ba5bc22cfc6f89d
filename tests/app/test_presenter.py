"""The presenter view: no sidebar block (nothing private drawn at all), a way out, and "Reset demo"."""

from streamlit.testing.v1 import AppTest

from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action
from datacentric.persistence import resume
from datacentric.persistence.store import Store
from tests.app.conftest import App, flat

SCENARIO = Scenario()


def first_run(**params: str) -> AppTest:
    at = App()
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def drawn(at: AppTest) -> str:
    """Everything the run drew, as its messages: text, values, labels, whatever the element type."""
    found, todo = [], [at._tree]
    while todo:
        node = todo.pop()
        todo.extend(getattr(node, "children", {}).values())
        if getattr(node, "proto", None) is not None:
            found.append(str(node.proto))
    return "\n".join(found)


def work(store_url: str) -> tuple[Store, str]:
    """A workspace with one label fixed, its resume code and view link already made (as the sidebar makes them)."""
    store = Store(store_url)
    ws = store.create_workspace(SCENARIO.to_params())
    store.append(ws, SCENARIO.slug, [Action("relabel", 0, 1)])
    store.resume_code(ws), store.view_token(ws)
    return store, ws


def test_the_presenter_view_draws_no_sidebar_block_and_nothing_private(store_url):
    store, ws = work(store_url)
    code, token = store.resume_code(ws), store.view_token(ws)

    learner = first_run(**SCENARIO.to_params(), ws=ws)  # the same work without the presenter view: all there
    assert "Your resume code (private)" in [e.label for e in learner.sidebar.expander]
    assert learner.sidebar.toggle[0].label == "Presenter view"

    at = first_run(**SCENARIO.to_params(), ws=ws, present="1")
    assert at.session_state["workspace"] == ws  # the presenter's own work, shown
    assert not at.sidebar.children, "the presenter view drew in the sidebar"
    everything = drawn(at)
    assert code not in everything and resume.shown(code) not in everything and token not in everything
    assert "Your resume code (private)" not in everything and "Show your work (read-only link)" not in everything
    assert [b.label for b in at.button] == ["Reset demo", "Leave presenter view"]
    assert flat(at.query_params)["present"] == "1"


def test_reset_demo_opens_a_fresh_workspace_on_the_scenario_and_keeps_the_old_work(store_url):
    store, ws = work(store_url)
    at = first_run(**SCENARIO.to_params(), ws=ws, present="1")
    at.button(key="presenter_reset").click().run()
    assert not at.exception, at.exception
    fresh = at.session_state["workspace"]
    assert fresh != ws
    assert store.log(fresh, SCENARIO.slug) == []
    assert store.last_scenario(fresh) == SCENARIO.to_params()  # the same scenario, to demonstrate again
    assert [a.kind for a in store.log(ws, SCENARIO.slug)] == ["relabel"]  # the work before stays
    assert store.by_code(store.resume_code(ws)) == ws  # and its resume code still opens it


def test_the_toggle_turns_the_view_on_and_the_button_turns_it_off():
    at = first_run()
    at.sidebar.toggle[0].set_value(True).run()
    assert flat(at.query_params)["present"] == "1"
    at.switch_page("pages/fix_labels.py").run()  # (a browser's address loses it here: tests/e2e checks that)
    assert not at.exception, at.exception
    assert not at.sidebar.selectbox, "the headline picker drawn in the sidebar"

    again = first_run(present="1")
    again.button(key="presenter_leave").click().run()
    assert "present" not in flat(again.query_params)
    assert not again.session_state["presenter_view"]


def test_a_read_only_view_can_be_presented_but_not_reset(store_url):
    store, ws = work(store_url)
    at = first_run(**SCENARIO.to_params(), view=store.view_token(ws), present="1")
    assert at.session_state["workspace"] == ws
    assert [b.label for b in at.button] == ["Leave presenter view"]  # a fresh start is the owner's to make
