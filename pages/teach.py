"""Teach: the instructor's page, behind the passcode. Open a room, show its join code, run the challenge, and watch
the class."""

import streamlit as st

from datacentric.classroom.rooms import TASK_CHARS
from datacentric.common.display import plain
from datacentric.common.metrics import METRICS
from datacentric.consistency.parts import N_LABEL
from datacentric.present.lessons import load_lessons
from datacentric.ui import classroom, keys, teaching, widgets

st.title("Teach")
widgets.lesson_card("pages/classroom.py")
teaching.keep_signed_in()  # first: after signing out, it drops the cookie
if not teaching.is_instructor():
    st.markdown(
        "This page is for the instructor: open a room for the class, run a data-centric challenge and see "
        "how the class is doing. Learners join on **Class** with the room's code."
    )
    teaching.sign_in()
    st.stop()
st.button("Sign out", icon=":material/logout:", key="sign_out", on_click=teaching.sign_out)

rooms = classroom.roster().rooms()
room = teaching.chosen()
with st.expander("Open a new room", icon=":material/add:", expanded=not rooms):
    opened = teaching.open_room_form(len(rooms))
    if opened:
        st.rerun()
if not rooms:
    st.stop()
codes = [r.code for r in rooms]
by_code = {r.code: r for r in rooms}
room = teaching.pick_room(codes, room, format_func=lambda code: teaching.describe(by_code[code]))
room = by_code[room]

st.header(plain(room.name))
teaching.join_panel(room)
lab = classroom.lab_of(room)
st.caption(f"Scenario: {plain(lab.scenario.describe())}. Round {room.round}.")
if room.task:
    st.text(room.task)

with st.expander("Task and lessons", icon=":material/assignment:"):
    task = st.text_area("Task for the class (plain text)", room.task, max_chars=TASK_CHARS, key=f"task_{room.code}")
    lessons = load_lessons()
    assigned = st.multiselect(
        "Assigned lessons",
        [lesson.slug for lesson in lessons],
        default=list(room.lessons),
        format_func={lesson.slug: lesson.title for lesson in lessons}.__getitem__,
        key=f"lessons_{room.code}",
    )
    if st.button("Save task and lessons", key=f"save_{room.code}"):
        classroom.roster().change(room.code, task=task, lessons=tuple(assigned))
        st.rerun()

if room.challenge:
    c = room.challenge
    st.subheader("Challenge")
    st.markdown(
        f"{c.budget} label actions and {c.cap} scored submissions per learner, {c.minutes} minutes once "
        f"started, scored by {METRICS[c.metric].name.lower()}. {classroom.time_left(room)}"
    )
    teaching.halves_note(room, lab)
    b1, b2, b3 = st.columns(3)
    if b1.button(
        "Start the clock" if room.started is None else "Restart the clock",
        icon=":material/timer:",
        disabled=room.closed or room.revealed,
        key="start_clock",
        help="After the reveal, reset the room to run the challenge again." if room.revealed else None,
    ):
        classroom.roster().start(room.code)
        classroom.forget_board(room.code)
        st.rerun()
    if b2.button(
        "Reveal the final ranking",
        type="primary",
        icon=":material/emoji_events:",
        disabled=room.started is None or room.revealed,
        key="reveal",
        help="Ends the challenge and ranks by the private half, which no one has seen.",
    ):
        classroom.roster().reveal(room.code)
        classroom.forget_board(room.code)
        st.rerun()
    hide = keys.HIDE_NAMES.format(room.code)
    st.session_state[hide] = room.names_hidden  # the store's value: a tab opened earlier must not undo another's choice
    b3.toggle("Hide names on the leaderboard", key=hide, on_change=teaching.hide_names, args=(room.code, hide))
    classroom.leaderboard(room.code)

st.subheader("The class")
teaching.members_table(room)

st.subheader("Labelling exercise")
st.caption(
    f"On Label consistently, every learner of this room labels the same {N_LABEL} borderline parts under "
    "instruction v1. Their agreement and each part's labels appear here as answers arrive. Then agree on a "
    "rule together: each learner writes it as a version and labels the parts again under it, and the second "
    "round's agreement appears beside the first."
)
teaching.labelling_view(room)

with st.expander("Close or reset the room", icon=":material/settings:"):
    if st.button("Reopen the room" if room.closed else "Close the room (no one joins or submits)", key="close_room"):
        classroom.roster().close(room.code, not room.closed)
        classroom.forget_board(room.code)
        st.rerun()
    sure = keys.RESET_SURE.format(room.code)
    st.checkbox(
        "Yes: start a new round. Every learner starts afresh in a new workspace; the round's "
        "submissions are cleared from the leaderboard (all work stays in the store).",
        key=sure,
    )
    st.button(
        "Reset the room",
        disabled=not st.session_state.get(sure),
        key=f"reset_room_{room.code}",
        on_click=teaching.reset,
        args=(room.code, sure),
    )
