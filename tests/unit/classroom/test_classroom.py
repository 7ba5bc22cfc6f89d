"""The classroom's core: room codes, the instructor's passcode, budgets and caps enforced where they are written,
and the private half of the held-out test items kept from learners."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from datacentric.classroom import contest, gate, report, rooms
from datacentric.classroom.rooms import Challenge, RoomError
from datacentric.classroom.roster import Refused, Roster
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario, parse_scenario
from datacentric.lab.worklog import Action, BudgetSpent, OffTheRoom, apply, label_actions, rows_touched
from datacentric.persistence import resume
from datacentric.persistence.store import Store
from datacentric.present.lessons import load_lessons
from tests.unit.persistence.test_resume import FakeTime
from tests.unit.persistence.test_store import all_at_once

ROOM_SCENARIO = Scenario(dataset="wine", noise="uniform", rate=30, seed=0, holdout=50)
T0 = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


@pytest.fixture
def roster(database_url):
    return Roster(Store(database_url))


def a_room(roster, *, budget=3, cap=2, minutes=30, **kwargs):
    return roster.open("Tuesday's class", ROOM_SCENARIO, Challenge(budget, cap, minutes), **kwargs)


# --- codes ---------------------------------------------------------------------------------------------------


def test_room_codes_are_unique_and_drawn_from_enough_to_be_unguessable():
    codes = {rooms.new_code() for _ in range(20_000)}
    assert len(codes) == 20_000
    assert all(len(c) == rooms.CODE_LENGTH and set(c) <= set(resume.ALPHABET) for c in codes)
    codes = len(resume.ALPHABET) ** rooms.CODE_LENGTH
    # However it paces its tries, one address guessing any of 50 open rooms expects to need over 1,000 years.
    tries_per_year = resume.most_tries_per_day() * 365
    assert codes / 50 / tries_per_year > 1_000


def test_a_code_reads_back_however_it_is_typed():
    code = rooms.new_code()
    assert rooms.normalised(f" {rooms.shown(code).lower()} ") == code
    assert rooms.normalised("ABCD") is None and rooms.normalised("ABCD-EFG0") is None  # 0 is not in the alphabet


def test_two_rooms_never_share_a_code_even_when_the_draw_clashes(roster, monkeypatch):
    first = a_room(roster)
    draws = iter([first.code, first.code, "ZZZZ2222"])
    monkeypatch.setattr(rooms, "new_code", lambda: next(draws))
    second = a_room(roster)
    assert second.code == "ZZZZ2222" and {r.code for r in roster.rooms()} == {first.code, "ZZZZ2222"}


# --- the instructor's passcode ---------------------------------------------------------------------------------


def a_gate(time: FakeTime) -> gate.Gate:
    """The passcode gate as the server builds it, on a clock and a sleep the test moves."""
    return gate.Gate(
        "correct horse battery",
        attempts=resume.Limiter(
            what="instructor passcode",
            per_session=gate.FAILURES,
            per_address=gate.PER_ADDRESS,
            window=gate.WINDOW,
            clock=time,
            sleep=time.sleep,
        ),
    )


def test_the_passcode_lets_in_the_right_one_only():
    door = gate.Gate("correct horse battery")
    me = resume.Client("s1", "10.0.0.7")
    assert door.check(me, "correct horse battery").ok
    assert not door.check(me, "correct horse batter").ok
    assert not door.check(me, "").ok


def test_a_session_that_keeps_failing_waits_and_is_told_how_long_while_the_instructor_gets_in():
    time = FakeTime()
    door = a_gate(time)
    guesser = resume.Client("s1", "10.0.0.7")
    for _ in range(gate.FAILURES):
        assert not door.check(guesser, "guess").ok
    told = door.check(guesser, "correct horse battery")
    assert not told.ok and told.said == f"Too many wrong passcodes: {resume.waiting(gate.WINDOW)}."
    # The instructor, in another session behind the same school router, still gets in, unslowed.
    assert door.check(resume.Client("s2", "10.0.0.7"), "correct horse battery").ok and not time.slept
    time.now += gate.WINDOW
    assert door.check(guesser, "correct horse battery").ok


def test_the_right_passcode_gets_in_after_100_wrong_ones_from_the_same_address():
    time = FakeTime()
    door = a_gate(time)
    for i in range(100):  # 20 sessions behind the instructor's router, 5 wrong passcodes each
        said = door.check(resume.Client(f"s{i // gate.FAILURES}", "10.0.0.7"), f"guess {i}").said
        assert said == "That is not the instructor passcode."
    time.slept.clear()
    assert door.check(resume.Client("the instructor", "10.0.0.7"), "correct horse battery").ok
    assert 0 < sum(time.slept) <= door.attempts.slowest  # slowed, for a few seconds at most
    assert door.check(resume.Client("elsewhere", "10.0.0.8"), "correct horse battery").ok


@pytest.mark.parametrize("passcode", [None, "", "short"])
def test_no_one_is_an_instructor_without_a_long_enough_passcode(passcode):
    door = gate.Gate(passcode)
    assert door.problem
    assert not door.check(resume.Client("a"), passcode or "").ok
    assert door.token() == "" and not door.recognises("")


def test_the_cookie_proves_the_passcode_without_holding_it_ends_on_the_server_and_a_new_passcode_signs_out():
    door = gate.Gate("correct horse battery")
    token = door.token(now=1_000_000)
    assert "correct" not in token and door.recognises(token, now=1_000_000 + 60)
    assert not door.recognises(token, now=1_000_000 + gate.MAX_AGE)  # however long the browser keeps it
    assert not door.recognises(token[:-1] + ("0" if token[-1] != "0" else "1"), now=1_000_060)
    issued, mac = token.split(".")
    assert not door.recognises(f"{int(issued) + 3600}.{mac}", now=1_000_060)  # its time cannot be moved on
    assert not gate.Gate("another long passcode").recognises(token, now=1_000_060)


# --- rooms, joining, rounds --------------------------------------------------------------------------------------


def test_a_learner_joins_with_a_name_into_a_private_workspace_on_the_rooms_scenario(roster):
    room = a_room(roster, task="Fix the 3s and 8s first.")
    ann = roster.join(rooms.shown(room.code).replace("-", ""), "  Ann   Lee ")
    bob = roster.join(room.code, "<b>Bob</b>")
    assert ann.workspace != bob.workspace
    assert roster.store.last_scenario(ann.workspace) == ROOM_SCENARIO.to_params()
    found_room, member = roster.membership(ann.workspace)
    assert found_room.code == room.code and found_room.task == "Fix the 3s and 8s first." and member.name == "Ann Lee"
    assert [m.name for m in roster.members(room.code, 1)] == ["Ann Lee", "<b>Bob</b>"]  # stored as typed, shown as text
    with pytest.raises(Refused, match="already goes by"):
        roster.join(room.code, "Ann Lee")
    with pytest.raises(Refused, match="No room"):
        roster.join("ZZZZZZZZ", "Cy")
    with pytest.raises(RoomError, match="at most"):
        roster.join(room.code, "x" * (rooms.NAME_CHARS + 1))


def test_a_closed_room_takes_no_one_new(roster):
    room = a_room(roster)
    roster.close(room.code)
    with pytest.raises(Refused, match="closed"):
        roster.join(room.code, "Ann")


def test_a_room_and_its_work_survive_a_new_store_object(database_url):
    first = Roster(Store(database_url))
    room = a_room(first)
    ann = first.join(room.code, "Ann")
    again = Roster(Store(database_url))
    assert again.room(room.code) == first.room(room.code)
    assert again.membership(ann.workspace)[1].name == "Ann"


def test_a_reset_starts_a_new_round_and_keeps_the_old_work(roster):
    room = a_room(roster)
    ann = roster.join(room.code, "Ann")
    roster.store.append(ann.workspace, room.slug, [Action("remove", 1)])
    roster.start(room.code)
    roster.submit(ann.workspace, version=1, actions=1, public=0.5, private=0.4)
    after = roster.reset(room.code)
    assert after.round == 2 and after.started is None and not after.revealed
    assert roster.members(room.code, 2) == [] and roster.submitted(room.code, 2, private=True) == []
    assert roster.store.log(ann.workspace, room.slug) == [Action("remove", 1, None, 1)]
    again = roster.join(room.code, "Ann")  # the same name, in the new round
    assert again.workspace != ann.workspace and again.round == 2


def test_rooms_run_on_built_in_data_and_a_challenge_needs_held_out_items(roster):
    with pytest.raises(RoomError, match="built-in"):
        roster.open("x", Scenario(dataset="u-0123456789abcdef"), None)
    with pytest.raises(RoomError, match="holdout"):
        roster.open("x", Scenario(dataset="wine"), Challenge(3, 2, 30))
    with pytest.raises(RoomError):
        Challenge(0, 2, 30)


# --- the budget, enforced by the store --------------------------------------------------------------------------


def test_the_budget_of_label_actions_is_enforced_by_the_store_and_an_undo_gives_none_back(roster):
    room = a_room(roster, budget=3)
    ann = roster.join(room.code, "Ann").workspace
    store = roster.store
    store.append(ann, room.slug, [Action("relabel", 1, 0)])
    store.append(ann, room.slug, [Action("remove", 2)])
    store.append(ann, room.slug, [Action("undo")])  # no label action: always allowed
    store.append(ann, room.slug, [Action("confirm", 3)])
    with pytest.raises(BudgetSpent) as spent:
        store.append(ann, room.slug, [Action("confirm", 4)])
    assert (spent.value.budget, spent.value.spent) == (3, 3)
    assert len(store.log(ann, room.slug)) == 4  # nothing of the refused action was written
    with pytest.raises(OffTheRoom):  # every action counts against the room's budget: none goes to another scenario
        store.append(ann, "another-scenario", [Action("confirm", 4)])
    assert store.log(ann, "another-scenario") == []


def test_a_bulk_action_is_one_action_of_the_budget_however_many_rows_it_touches(roster):
    room = a_room(roster, budget=2)
    ann = roster.join(room.code, "Ann").workspace
    store = roster.store
    store.append(ann, room.slug, [Action("remove", item) for item in range(40)])  # a filter's remove: one click
    store.append(ann, room.slug, [Action("relabel", item, 0) for item in range(40, 50)])  # the top 10 accepted
    log = store.log(ann, room.slug)
    assert (label_actions(log), rows_touched(log)) == (2, 50)
    with pytest.raises(BudgetSpent) as spent:
        store.append(ann, room.slug, [Action("confirm", 60), Action("confirm", 61)])
    assert (spent.value.budget, spent.value.spent) == (2, 2)
    assert len(store.log(ann, room.slug)) == 50


def test_clicks_at_once_cannot_pass_the_budget_together(roster):
    room = a_room(roster, budget=3)
    ann = roster.join(room.code, "Ann").workspace
    errors = all_at_once(lambda: roster.store.append(ann, room.slug, [Action("confirm", 1)]))
    assert len(roster.store.log(ann, room.slug)) == 3
    assert len(errors) == 5 and all(isinstance(e, BudgetSpent) for e in errors)


def test_a_workspace_outside_any_room_has_no_budget(roster):
    a_room(roster, budget=1)
    ws = roster.store.create_workspace(ROOM_SCENARIO.to_params())
    for item in range(3):
        roster.store.append(ws, ROOM_SCENARIO.slug, [Action("confirm", item)])
    assert len(roster.store.log(ws, ROOM_SCENARIO.slug)) == 3


# --- submissions: the cap, the clock, the private half -----------------------------------------------------------


def test_submissions_are_scored_only_while_the_challenge_runs_and_up_to_the_cap(roster):
    room = a_room(roster, cap=2, minutes=30)
    ann = roster.join(room.code, "Ann").workspace
    with pytest.raises(Refused, match="not started"):
        roster.submit(ann, version=0, actions=0, public=0.5, private=0.5, now=T0)
    roster.start(room.code, now=T0)
    first = roster.submit(ann, version=0, actions=0, public=0.5, private=0.5, now=T0 + timedelta(minutes=1))
    assert (first.public, first.left) == (0.5, 1) and not hasattr(first, "private")
    assert roster.submit(ann, version=0, actions=0, public=0.6, private=0.5, now=T0 + timedelta(minutes=2)).left == 0
    with pytest.raises(Refused, match="all 2"):
        roster.submit(ann, version=0, actions=0, public=0.7, private=0.5, now=T0 + timedelta(minutes=3))
    bob = roster.join(room.code, "Bob").workspace
    with pytest.raises(Refused, match="over"):
        roster.submit(bob, version=0, actions=0, public=0.7, private=0.5, now=T0 + timedelta(minutes=31))
    roster.close(room.code)
    with pytest.raises(Refused, match="closed"):
        roster.submit(bob, version=0, actions=0, public=0.7, private=0.5, now=T0 + timedelta(minutes=4))


def test_submissions_at_once_cannot_pass_the_cap_together(roster):
    room = a_room(roster, cap=2)
    ann = roster.join(room.code, "Ann").workspace
    roster.start(room.code)
    errors = all_at_once(lambda: roster.submit(ann, version=0, actions=0, public=0.5, private=0.5))
    assert len(roster.submitted(room.code, 1, private=False)) == 2
    assert len(errors) == 6 and all(isinstance(e, Refused) for e in errors)


def test_a_learner_outside_the_room_cannot_submit(roster):
    room = a_room(roster)
    roster.start(room.code)
    with pytest.raises(Refused):
        roster.submit(roster.store.create_workspace({}), version=0, actions=0, public=0.5, private=0.5)


def test_the_private_scores_are_not_read_until_asked_for_and_rank_only_then(roster):
    room = a_room(roster)
    ann, bob = (roster.join(room.code, n).workspace for n in ("Ann", "Bob"))
    roster.start(room.code)
    roster.submit(ann, version=2, actions=2, public=0.9, private=0.6)
    roster.submit(bob, version=3, actions=3, public=0.8, private=0.7)
    public_rows = roster.submitted(room.code, 1, private=False)
    assert all(r["private"] is None for r in public_rows)
    members = [(m.workspace, m.name) for m in roster.members(room.code, 1)]
    board = contest.standings(members, public_rows, start=0.5, private=False)
    assert [e.name for e in board] == ["Ann", "Bob"] and all(e.private is None for e in board)
    assert board[0].gain_per_action == pytest.approx((0.9 - 0.5) / 2)
    final = contest.standings(members, roster.submitted(room.code, 1, private=True), start=0.5, private=True)
    assert [(e.name, e.private) for e in final] == [("Bob", 0.7), ("Ann", 0.6)]  # the shake-up


def test_each_learners_entry_is_their_best_public_submission_and_names_can_be_hidden():
    members = [("w1", "Ann"), ("w2", "Bob"), ("w3", "Cy")]
    rows = [
        {"workspace": "w1", "actions": 4, "public": 0.7, "private": 0.9},
        {"workspace": "w1", "actions": 9, "public": 0.8, "private": 0.5},
        {"workspace": "w2", "actions": 5, "public": 0.8, "private": 0.6},
    ]
    board = contest.standings(members, rows, start=0.6, private=False, names_hidden=True)
    assert [(e.name, e.actions, e.submissions) for e in board] == [
        ("Learner 2", 5, 1),
        ("Learner 1", 9, 2),
        ("Learner 3", None, 0),
    ]  # equal scores: fewer actions first
    assert board[2].public is None and not board[2].scored


# --- the held-out split -----------------------------------------------------------------------------------------


def test_the_scenario_holds_out_test_items_no_page_scores():
    lab = prepare(ROOM_SCENARIO)
    plain = prepare(Scenario(dataset="wine", noise="uniform", rate=30, seed=0))
    assert not set(lab.test_index) & set(lab.holdout_index)
    assert len(lab.test_index) + len(lab.holdout_index) == len(plain.test_index)
    assert len(lab.holdout_index) == pytest.approx(len(plain.test_index) / 2, abs=1)
    assert parse_scenario(ROOM_SCENARIO.to_params())[0] == ROOM_SCENARIO and ROOM_SCENARIO.slug.endswith("-h50")
    # The same scenario without its holdout splits apart: its pages do not score exactly the held-out items.
    assert set(lab.holdout_index) - set(plain.test_index)
    assert lab.grading == "none" and plain.grading == "truth"  # and no page says which labels are wrong


def test_the_public_and_private_halves_split_the_held_out_items_by_room():
    lab = prepare(ROOM_SCENARIO)
    halves = contest.split(lab, "ABCDEFGH")
    assert not set(halves.public) & set(halves.private)
    assert sorted([*halves.public, *halves.private]) == sorted(lab.holdout_index)
    assert np.array_equal(contest.split(lab, "ABCDEFGH").private, halves.private)
    assert not np.array_equal(contest.split(lab, "HGFEDCBA").private, halves.private)


def test_clean_labels_score_at_least_as_well_as_noisy_ones_on_both_halves():
    lab = prepare(Scenario(dataset="digits", noise="systematic", rate=30, seed=0, holdout=50))
    halves = contest.split(lab, "ABCDEFGH")
    noisy = contest.scores(lab, lab.noisy_labels, lab.in_use, None, halves, "accuracy")
    clean = contest.scores(lab, lab.true_labels, lab.in_use, None, halves, "accuracy")
    assert clean[0] > noisy[0] and clean[1] > noisy[1]
    from sklearn.metrics import accuracy_score

    from datacentric.lab.evaluate import fitted

    model, _ = fitted(lab, lab.noisy_labels)
    assert noisy[0] == accuracy_score(
        lab.dataset.labels[halves.public], model.predict(lab.dataset.features[halves.public])
    )


# --- the instructor's view --------------------------------------------------------------------------------------


def test_the_questions_answered_wrong_most_often_come_first():
    lesson = load_lessons()[0]
    q = lesson.quiz[0]
    wrong = next(c for c in q.choices if c != q.answer)
    topic = report.LESSON_TOPIC + lesson.slug
    events = {
        "a": [(topic, {"question": 0, "choice": wrong}), (topic, {"question": 0, "choice": q.answer})],
        "b": [(topic, {"question": 0, "choice": wrong})],
        "c": [(topic, {"question": 1, "choice": lesson.quiz[1].answer})],
    }
    misses = report.quiz_misses([lesson], events)
    assert (misses[0].question, misses[0].answered, misses[0].wrong, misses[0].commonest_wrong) == (1, 2, 2, wrong)
    assert misses[-1].wrong == 0


def test_the_labels_the_class_disagreed_on_most_come_first():
    lab = prepare(ROOM_SCENARIO)
    a = apply(lab.noisy_labels, [Action("relabel", 0, 1), Action("relabel", 1, 2)], lab.reserve)
    b = apply(lab.noisy_labels, [Action("relabel", 0, 2), Action("relabel", 1, 2)], lab.reserve)
    c = apply(lab.noisy_labels, [Action("remove", 0), Action("relabel", 1, 2), Action("confirm", 5)], lab.reserve)
    found = report.disagreements(lab, [a, b, c])
    assert [d.item for d in found] == [0, 1]  # item 5: one learner only
    assert found[0].agreement == pytest.approx(1 / 3) and found[1].agreement == 1.0
    assert {label for label, _ in found[0].labels} == {lab.dataset.classes[1], lab.dataset.classes[2], "removed"}


def test_the_class_csv_neutralises_a_name_a_spreadsheet_would_run():
    row = report.Learner('=HYPERLINK("x")', "Fix the labels", 3.0, 2, 0.9, 1, 0.8, 1, 2)
    text = report.as_csv([row]).decode()
    assert "'=HYPERLINK" in text and text.splitlines()[0].startswith("name,page")


def test_the_instructors_charts_are_valid_vega_lite():
    import jsonschema

    from tests.unit.present.test_charts import vega_lite_schema

    schema = vega_lite_schema()
    check = jsonschema.validators.validator_for(schema)(schema)
    row = report.Learner("<b>Ann</b>", "Fix the labels", 3.0, 2, 0.9, 1, 0.8, 1, 2)
    for spec in (
        report.standing_chart(["<b>Ann</b>"], [row], "accuracy"),
        report.scores_chart([{"name": "<b>Ann</b>", "actions": 2, "public": 0.8}], "accuracy"),
    ):
        assert not list(check.iter_errors(spec))


def test_a_submission_is_scored_on_the_rooms_log_as_stored_whatever_else_the_learner_did(roster):
    room = a_room(roster, budget=3, cap=5)
    ann = roster.join(room.code, "Ann").workspace
    roster.start(room.code)
    lab = prepare(ROOM_SCENARIO)
    from datetime import datetime

    from sqlalchemy import insert

    from datacentric.persistence.schema import actions

    with roster.store.engine.begin() as db:  # written before the store refused a room learner's other scenarios
        db.execute(
            insert(actions),
            [
                {
                    "workspace": ann,
                    "scenario": "another-scenario",
                    "kind": "remove",
                    "item": i,
                    "label": None,
                    "grp": 1,
                    "created": datetime.now(UTC),
                }
                for i in range(10)
            ],
        )
    first = roster.submit_labels(ann, lab)
    assert first.actions == 0
    roster.store.append(ann, room.slug, [Action("relabel", 0, 1)])
    second = roster.submit_labels(ann, lab)
    halves = contest.split(lab, roster.room(room.code).split_seed)
    state = lab.state(roster.store.log(ann, room.slug))
    assert second.actions == 1
    assert second.public == contest.scores(lab, state.labels, state.kept, None, halves, "accuracy")[0]
    with pytest.raises(ValueError):
        roster.submit_labels(ann, prepare(Scenario(dataset="wine", noise="uniform", rate=30, seed=0)))


def test_the_clock_cannot_run_again_after_the_reveal(roster):
    room = a_room(roster)
    roster.start(room.code)
    roster.reveal(room.code)
    with pytest.raises(RoomError, match="reset"):
        roster.start(room.code)
    assert roster.start(roster.reset(room.code).code).started is not None


def test_a_reset_draws_new_halves_from_a_salt_no_learner_sees():
    from datacentric.classroom.rooms import Room

    lab = prepare(ROOM_SCENARIO)
    room = Room("ABCDEFGH", "x", ROOM_SCENARIO.to_params(), ROOM_SCENARIO.slug, Challenge(3, 2, 30))
    assert room.code not in room.split_seed
    again = contest.split(lab, room.split_seed)
    from dataclasses import replace

    assert not np.array_equal(contest.split(lab, replace(room, round=2).split_seed).private, again.private)
