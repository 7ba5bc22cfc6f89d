"""A challenge room's doors: the URL cannot move a room's learner off the room's scenario or budget, the export
holds no answers, and a read-only view of a room's learner shows neither the join code nor the resume code."""

import pytest

from datacentric.classroom.rooms import Challenge, shown
from datacentric.classroom.roster import Roster
from datacentric.lab.scenario import Scenario, parse_scenario
from datacentric.persistence.store import Store
from tests.app.conftest import metric

CLASS, FIX = "pages/classroom.py", "pages/fix_labels.py"
SCENARIO = Scenario(dataset="wine", noise="uniform", rate=30, seed=0, holdout=50)
# Every parameter a URL could carry to move the session: another holdout, another split, another dataset or kind.
ELSEWHERE = [
    {"holdout": "1"},
    {"holdout": "0"},
    {"holdout": "80"},
    {"seed": "3"},
    {"dataset": "digits"},
    {"noise": "none"},
    {"rate": "0"},
    {"reserve": "40"},
    {"dataset": "digits", "holdout": "1", "rate": "0"},
]


@pytest.fixture
def roster(store_url):
    return Roster(Store(store_url))


def click(at, start):
    next(b for b in at.button if b.label.startswith(start)).click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("moved", ELSEWHERE, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_a_url_cannot_move_a_room_learner_off_the_rooms_scenario_or_budget(open_page, roster, moved):
    room = roster.open("Class", SCENARIO, Challenge(2, 2, 30))
    ann = roster.join(room.code, "Ann")
    at = open_page(FIX, ws=ann.workspace, **{**SCENARIO.to_params(), **moved})
    assert at.session_state["scenario"] == SCENARIO  # the room's scenario, split and test items
    click(at, "Accept suggestion")
    click(at, "Label is right")
    click(at, "Remove from training")  # the third: past the budget of 2
    assert metric(at, "Actions taken") == "2"
    assert len(roster.store.log(ann.workspace, room.slug)) == 2
    assert any("The challenge allows 2 label actions" in box.value for box in (*at.warning, *at.error))
    moved_to, _ = parse_scenario({**SCENARIO.to_params(), **moved})
    assert moved_to == SCENARIO or roster.store.log(ann.workspace, moved_to.slug) == []


def test_the_store_refuses_a_room_learners_actions_on_any_other_scenario(roster):
    from datacentric.lab.worklog import Action, BudgetSpent

    room = roster.open("Class", SCENARIO, Challenge(2, 2, 30))
    ann = roster.join(room.code, "Ann")
    elsewhere, _ = parse_scenario({**SCENARIO.to_params(), "holdout": "1"})
    with pytest.raises(BudgetSpent):
        roster.store.append(ann.workspace, elsewhere.slug, [Action("confirm", 0)])
    assert roster.store.log(ann.workspace, elsewhere.slug) == []
    roster.store.append(ann.workspace, room.slug, [Action("confirm", 0)])  # the room's own is counted as before
    assert len(roster.store.log(ann.workspace, room.slug)) == 1


def test_the_home_page_does_not_offer_a_room_learner_another_scenario(open_page, roster):
    room = roster.open("Class", SCENARIO, Challenge(2, 2, 30))
    ann = roster.join(room.code, "Ann")
    at = open_page("pages/home.py", ws=ann.workspace)
    assert at.session_state["scenario"] == SCENARIO
    from datacentric.ui.keys import PICKER as PICKER_KEYS

    picker = [
        at.selectbox(key=PICKER_KEYS["dataset"]),
        at.radio(key=PICKER_KEYS["noise"]),
        at.slider(key=PICKER_KEYS["rate"]),
        at.number_input(key=PICKER_KEYS["seed"]),
        at.slider(key=PICKER_KEYS["reserve"]),
    ]
    assert all(widget.disabled for widget in picker)
    assert any("the room's scenario" in c.value for c in (*at.caption, *at.info))


def test_a_read_only_view_of_a_room_learner_shows_no_join_or_resume_code(open_page, roster):
    room = roster.open("Class", SCENARIO, Challenge(2, 2, 30))
    ann = roster.join(room.code, "Ann")
    token = roster.store.view_token(ann.workspace)
    code = roster.store.resume_code(ann.workspace)
    at = open_page(CLASS, view=token)
    assert not at.exception, at.exception
    drawn = "\n".join(str(getattr(e, "value", "")) + str(getattr(e, "label", "")) for e in at.main)
    for secret in (room.code, shown(room.code), code):
        assert secret not in drawn
    assert room.code not in repr(at.session_state.to_dict())
    assert "Class" in drawn  # the room is still named: the view shows the work, not the way in
