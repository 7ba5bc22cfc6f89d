"""Class and Teach: joining a room, the instructor's passcode, the challenge's budget and cap as a learner meets
them, and the private half of the held-out items, which never reaches a learner's session or page."""

import pytest
import streamlit as st

from datacentric.classroom import gate, rooms
from datacentric.classroom.rooms import Challenge, shown
from datacentric.classroom.roster import Roster
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action
from datacentric.persistence import resume
from datacentric.persistence.store import Store
from datacentric.ui import classroom, teaching
from tests.app.conftest import metric
from tests.unit.persistence.test_resume import FakeTime

CLASS, TEACH, FIX = "pages/classroom.py", "pages/teach.py", "pages/fix_labels.py"
PASSCODE = "correct horse battery"
SCENARIO = Scenario(dataset="wine", noise="uniform", rate=30, seed=0, holdout=50)


@pytest.fixture
def roster(store_url):
    return Roster(Store(store_url))


@pytest.fixture
def passcode(monkeypatch):
    monkeypatch.setenv("DCP_INSTRUCTOR_PASSCODE", PASSCODE)
    return PASSCODE


def texts(at) -> list[str]:
    """Every text a page drew, in any element (for what must never be there)."""
    found = []
    for kind in (
        "markdown",
        "caption",
        "text",
        "info",
        "warning",
        "error",
        "success",
        "metric",
        "subheader",
        "header",
        "title",
        "button",
        "dataframe",
    ):
        for element in getattr(at, kind):
            value = getattr(element, "value", None)
            found.append(value.to_csv() if hasattr(value, "to_csv") else str(value))
            found.append(str(getattr(element, "label", "")))
    return found


def button(at, start):
    return next(b for b in at.button if b.label.startswith(start))


def test_teach_is_closed_without_a_passcode_on_the_server(open_page):
    at = open_page(TEACH)
    assert any("No instructor passcode is set" in w.value for w in at.warning)
    assert not [e for e in at.text_input if e.label == "Instructor passcode"]


def sign_in(at, typed: str):
    at.text_input(key="instructor_passcode").input(typed)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception, at.exception
    return at


def signed_in(at) -> bool:
    return any(b.label == "Open the room" for b in at.button)


def test_a_wrong_passcode_is_refused_and_repeated_ones_make_the_session_wait(open_page, passcode):
    at = open_page(TEACH)
    for _ in range(gate.FAILURES):
        sign_in(at, "guess")
        assert any("not the instructor passcode" in e.value for e in at.error)
    sign_in(at, passcode)
    assert any(e.value.startswith("Too many wrong passcodes: try again in ") for e in at.error)
    assert not signed_in(at)  # (every AppTest is one session, "test session id": another tab is for the unit tests)


@pytest.fixture
def other_sessions(monkeypatch):
    """Limits on a clock and a sleep the test moves, and, with an ``address``, the page's sessions on that address
    (Streamlit reports none in AppTest, as for a same-host connection); returns the time and a way to type wrong
    secrets from 20 other sessions of that address into a limiter."""

    def on(address: str | None):
        if address:
            monkeypatch.setattr(type(st.context), "ip_address", property(lambda self: address))

        def guess(limits: resume.Limiter, times: int = 100):
            for i in range(times):
                with limits.attempt(resume.Client(f"other {i // resume.FAILURES}", address)) as turn:
                    if not turn.wait:  # (the unit tests check that none of them is told to wait)
                        turn.failed(tried=f"guess {i}")
            time.slept.clear()

        return guess

    time = FakeTime()
    return time, on


@pytest.mark.parametrize("address", ["203.0.113.7", None])
def test_the_right_passcode_gets_in_after_100_wrong_ones_from_the_same_address(
    open_page, passcode, other_sessions, monkeypatch, address
):
    time, on = other_sessions
    door = gate.Gate(
        passcode,
        attempts=resume.Limiter(
            what="instructor passcode",
            per_session=gate.FAILURES,
            per_address=gate.PER_ADDRESS,
            clock=time,
            sleep=time.sleep,
        ),
    )
    monkeypatch.setattr(teaching, "door", lambda: door)
    on(address)(door.attempts)
    at = sign_in(open_page(TEACH), passcode)
    assert signed_in(at) and not at.error
    assert 0 < sum(time.slept) <= door.attempts.slowest  # slowed (a same-host guesser too), a few seconds at most


def test_the_instructor_opens_a_room_and_shows_its_code(open_page, passcode, roster):
    at = open_page(TEACH)
    at.text_input(key="instructor_passcode").input(passcode)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception, at.exception
    at.text_input[0].input("**Tuesday** <b>class</b>")  # the room name, as typed
    next(b for b in at.button if b.label == "Open the room").click().run()
    assert not at.exception, at.exception
    room = roster.rooms()[0]
    assert room.name == "**Tuesday** <b>class</b>" and room.challenge.budget == 40 and room.scenario["holdout"] == "50"
    assert any(shown(room.code) in m.value for m in at.markdown)
    assert any(h.value == r"\*\*Tuesday\*\* \<b\>class\</b\>" for h in at.header)  # as text, not bold, not HTML
    assert at.query_params["room"] == [room.code] or at.query_params["room"] == room.code


def test_the_instructor_picks_one_room_after_another(open_page, passcode, roster):
    from datacentric.ui.keys import TEACH_ROOM_PICKED as PICKER

    first, second = (roster.open(name, SCENARIO, None) for name in ("Monday", "Tuesday"))
    at = open_page(TEACH)
    at.text_input(key="instructor_passcode").input(passcode)
    next(b for b in at.button if b.label == "Sign in").click().run()
    for room in (first, second, first, second):
        at.selectbox(key=PICKER).select(room.code).run()
        assert not at.exception, at.exception
        assert at.header[0].value == room.name  # every pick holds, not every other one


def test_a_learner_joins_with_the_code_and_a_name_and_lands_in_their_own_workspace(open_page, roster):
    room = roster.open("Class", SCENARIO, Challenge(5, 2, 30), task="Fix the *rare* class first.")
    at = open_page(CLASS, join=room.code)
    assert at.text_input(key="join_code_typed").value == shown(room.code)  # the join link filled it in
    at.text_input[1].input("<i>Ann</i>")
    next(b for b in at.button if b.label == "Join").click().run()
    assert not at.exception, at.exception
    ws = at.session_state["workspace"]
    found_room, member = roster.membership(ws)
    assert found_room.code == room.code and member.name == "<i>Ann</i>"
    assert at.session_state["scenario"] == SCENARIO
    assert "Fix the *rare* class first." in [t.value for t in at.text]  # the task, as text
    assert any(r"\<i\>Ann\</i\>" in c.value for c in at.caption)
    assert any(m.value.startswith("Label actions used: **0 of 5**") for m in at.markdown)


def join(at, code: str, name: str):
    at.text_input(key="join_code_typed").input(code)
    at.text_input[1].input(name)
    next(b for b in at.button if b.label == "Join").click().run()
    assert not at.exception, at.exception
    return at


def test_a_wrong_room_code_says_so_and_repeated_ones_make_the_session_wait(open_page, roster):
    room = roster.open("Class", SCENARIO, Challenge(5, 2, 30))
    at = open_page(CLASS)
    for _ in range(resume.FAILURES):
        assert any("No room has that code" in w.value for w in join(at, "ABCD-EFGH", "Ann").warning)
    assert any(w.value.startswith("Too many wrong codes: try again in ") for w in join(at, room.code, "Ann").warning)
    assert at.session_state["workspace"] is None


def test_the_right_room_code_gets_in_after_100_wrong_ones_from_the_same_address(
    open_page, roster, other_sessions, monkeypatch
):
    time, on = other_sessions
    limits = resume.Limiter(what="room code", clock=time, sleep=time.sleep)
    monkeypatch.setattr(classroom, "join_attempts", lambda: limits)
    on("203.0.113.7")(limits)
    room = roster.open("Class", SCENARIO, Challenge(5, 2, 30))
    at = join(open_page(CLASS), shown(room.code), "Ann")
    assert roster.membership(at.session_state["workspace"])[1].name == "Ann"
    assert 0 < sum(time.slept) <= limits.slowest


def test_the_budget_stops_label_actions_on_fix_the_labels(open_page, roster):
    room = roster.open("Class", SCENARIO, Challenge(1, 2, 30))
    member = roster.join(room.code, "Ann")
    at = open_page(FIX, ws=member.workspace)
    next(b for b in at.button if b.label.startswith("Accept suggestion")).click().run()
    assert metric(at, "Actions taken") == "1"
    next(b for b in at.button if b.label.startswith("Label is right")).click().run()
    assert not at.exception, at.exception
    assert metric(at, "Actions taken") == "1"
    assert any("The challenge allows 1 label actions" in box.value for box in (*at.error, *at.warning, *at.info))
    assert len(roster.store.log(member.workspace, room.slug)) == 1


def test_the_private_half_never_reaches_a_learners_session_or_page(open_page, roster, monkeypatch):
    monkeypatch.setattr(rooms.secrets, "token_hex", lambda n: "5a17" * n)  # a fixed split, whose halves score apart
    room = roster.open("Class", SCENARIO, Challenge(5, 3, 30))
    member = roster.join(room.code, "Ann")
    roster.join(room.code, "Bob")
    roster.start(room.code)
    at = open_page(CLASS, ws=member.workspace)
    button(at, "Submit my current labels").click().run()
    assert not at.exception, at.exception
    private = roster.submitted(room.code, room.round, private=True)[0]["private"]
    public = roster.submitted(room.code, room.round, private=False)[0]["public"]
    assert abs(private - public) > 0.01  # else this test could not tell them apart
    assert any(f"{public:.1%}" in box.value for box in at.info)  # the learner is told their public score
    forms = {f"{private:.1%}", f"{private:.2%}", f"{private * 100:.1f}", f"{private:.4f}", repr(private)}
    drawn = "\n".join(texts(at))
    assert not [form for form in forms if form in drawn]
    session = repr(at.session_state.to_dict())
    assert not [form for form in forms if form in session] and "private" not in session.lower()
    board = at.dataframe[0].value
    assert "Private score (final)" not in board.columns and list(board["Name"]) == ["Ann", "Bob"]
    assert any(c.value.startswith("You: Ann, ranked") for c in at.caption)

    roster.reveal(room.code)  # on another server, say: this one reads the room again once its board is stale
    monkeypatch.setattr(classroom, "BOARD_FRESH", 0.0)
    at.run()
    board = at.dataframe[0].value
    assert board["Private score (final)"].iloc[0] == pytest.approx(private)  # revealed at the end, as a ranking


def test_names_hidden_on_the_leaderboard(open_page, roster):
    room = roster.open("Class", SCENARIO, Challenge(5, 3, 30))
    ann = roster.join(room.code, "Ann")
    roster.change(room.code, names_hidden=True)
    at = open_page(CLASS, ws=ann.workspace)
    assert list(at.dataframe[0].value["Name"]) == ["Learner 1"]
    assert any(c.value == "You: Learner 1, no scored submission yet." for c in at.caption)
    assert "Ann" not in at.dataframe[0].value.to_csv()  # the learner's own page still greets them by name


def test_an_assigned_lesson_is_marked_on_learn_and_its_completion_reaches_the_instructor(open_page, roster):
    from datacentric.classroom import report
    from datacentric.present.lessons import load_lessons

    lesson = load_lessons()[0]
    room = roster.open("Class", SCENARIO, None)
    roster.change(room.code, lessons=(lesson.slug,))
    ann = roster.join(room.code, "Ann")
    at = open_page("pages/learn.py", ws=ann.workspace)
    assert any(m.value.startswith("📌 **1.") for m in at.markdown)
    assert not any(m.value.startswith("📌 **2.") for m in at.markdown)
    roster.store.add_event(ann.workspace, report.LESSON_TOPIC + lesson.slug, {"complete": True})
    events = {ann.workspace: roster.store.events(ann.workspace, report.LESSON_TOPIC)}
    member = roster.members(room.code, room.round)
    logs = {ann.workspace: []}
    rows = report.learners(member, logs, {ann.workspace: None}, lambda s: 0.0, [], events, [lesson])
    assert (rows[0].lessons_done, rows[0].lessons_assigned) == (1, 1)


def test_a_learner_in_a_challenge_sees_the_budget_in_the_sidebar_on_every_page(open_page, roster):
    room = roster.open("Tuesday", SCENARIO, Challenge(5, 2, 30))
    ann = roster.join(room.code, "Ann")
    roster.store.append(ann.workspace, room.slug, [Action("confirm", 0)])
    roster.store.append(ann.workspace, room.slug, [Action("confirm", 1)])
    from tests.app.conftest import App

    at = App()
    at.query_params["ws"] = ann.workspace
    at.run()
    for page in (None, FIX):  # Home, then another page: the sidebar is frame/navigation.py's, drawn around each
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        assert "Tuesday · you are Ann" in [t.value for t in at.sidebar.text], page
        assert "2 of 5 label actions used (2 rows touched)" in [p.proto.text for p in at.get("progress")], page


def test_a_bulk_remove_is_one_action_on_every_page_and_in_the_budget(open_page, roster):
    room = roster.open("Class", SCENARIO, Challenge(2, 2, 30))
    ann = roster.join(room.code, "Ann")
    at = open_page(FIX, ws=ann.workspace)
    at.selectbox(key="bulk_kind").set_value("given").run()
    at.multiselect(key="bulk_given_classes").set_value([0]).run()  # one class of three: no sweep to confirm
    label = next(b.label for b in at.button if b.label.startswith("Remove the ") and b.label.endswith(" in use"))
    rows = int(label.split()[2].replace(",", ""))
    assert rows > 1
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    shown_actions = next(m for m in at.metric if m.label == "Actions taken")
    assert (shown_actions.value, shown_actions.proto.delta) == ("1", f"{rows} rows touched")
    assert f"1 of 2 label actions used ({rows} rows touched)" in [p.proto.text for p in at.get("progress")]
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    said = "\n".join(m.value for m in at.markdown)
    assert f"1 label action touching {rows} rows" in said and f"{rows} label actions" not in said
    at.switch_page(CLASS).run()
    assert not at.exception, at.exception
    assert any(f"Label actions used: **1 of 2** ({rows} rows touched" in m.value for m in at.markdown)
    assert len(roster.store.log(ann.workspace, room.slug)) == rows


def test_the_instructor_sees_the_class_its_quiz_misses_and_its_disagreements(open_page, roster, passcode):
    from datacentric.classroom import report
    from datacentric.present.lessons import load_lessons
    from tests.app.conftest import App

    room = roster.open("Tuesday", SCENARIO, Challenge(5, 2, 30))
    ann, bob = roster.join(room.code, "<b>Ann</b>"), roster.join(room.code, "Bob")
    roster.store.append(ann.workspace, room.slug, [Action("relabel", 0, 1)])
    roster.store.append(bob.workspace, room.slug, [Action("relabel", 0, 2)])
    lesson = load_lessons()[0]
    wrong = next(c for c in lesson.quiz[0].choices if c != lesson.quiz[0].answer)
    for member in (ann, bob):
        roster.store.add_event(member.workspace, report.LESSON_TOPIC + lesson.slug, {"question": 0, "choice": wrong})
    at = App()
    at.run()
    at.session_state["instructor_signed_in"] = True
    at.switch_page(TEACH)
    at.query_params["room"] = room.code
    at.run()
    assert not at.exception, at.exception
    tables = [d.value for d in at.dataframe]
    who = next(t for t in tables if "Page" in t.columns)
    assert list(who["Name"]) == ["<b>Ann</b>", "Bob"] and list(who["Label actions"]) == [1, 1]
    quiz = next(t for t in tables if "Commonest wrong answer" in t.columns)
    assert quiz.iloc[0]["Wrong"] == "2 of 2" and quiz.iloc[0]["Commonest wrong answer"] == wrong
    disagreed = next(t for t in tables if "Left as" in t.columns)
    assert disagreed.iloc[0]["Item"] == 0 and disagreed.iloc[0]["Agreement"] == 0.5
    assert any(b.label == "Download the class as CSV" for b in at.get("download_button"))


def test_on_a_projector_the_leaderboard_is_a_large_table_with_names_as_text(open_page, roster):
    room = roster.open("Class", SCENARIO, Challenge(5, 3, 30))
    ann = roster.join(room.code, "**Ann** <i>x</i>")
    roster.start(room.code)
    roster.submit(ann.workspace, version=0, actions=2, public=0.5, private=0.25)
    at = open_page(CLASS, ws=ann.workspace, present="1")
    assert not at.exception, at.exception
    table = at.table[0].value
    assert list(table["Name"]) == [r"\*\*Ann\*\* \<i\>x\</i\>"] and list(table["Public score"]) == ["50.0%"]
    assert "Private score (final)" not in table.columns and not at.dataframe
