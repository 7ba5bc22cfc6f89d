"""Class: join a room with its code, see the room's task and assigned lessons, and take part in its challenge."""

import streamlit as st

from datacentric.classroom import contest
from datacentric.classroom.rooms import CODE_LENGTH, NAME_CHARS, shown
from datacentric.common.display import plain
from datacentric.lab.worklog import label_actions, rows_touched
from datacentric.present.lessons import load_lessons
from datacentric.ui import classroom, keys, links, session, widgets
from datacentric.ui import lesson as lessons_view


def join_form() -> None:
    """Not in a room yet: the room's code and a display name."""
    st.markdown(
        "Your instructor shows a **room code** (or a link, or a QR code). Join with it and a display name: "
        "you get a workspace of your own in the room, on the room's scenario. Your name is shown to the class "
        "on the leaderboard."
    )
    with st.form("join_room"):
        code = st.text_input("Room code", placeholder="ABCD-EFGH", max_chars=CODE_LENGTH + 4, key=keys.JOIN_CODE)
        name = st.text_input("Display name", max_chars=NAME_CHARS, placeholder="How the class will see you")
        if st.form_submit_button("Join", type="primary", icon=":material/login:", **session.writable()):
            joined, said = classroom.join(code, name)
            if joined:
                st.rerun()
            st.warning(said, icon=":material/lock:")


def room_page(room, member) -> None:
    """The learner's room. It returns early rather than call st.stop(): navigation.py keeps a workspace just joined in
    the
    browser's cookie after the page has run, which st.stop() would skip."""
    st.header(plain(room.name))
    # The join code lets anyone into the room: never on a read-only view of a learner's work.
    st.caption(
        f"you are {plain(member.name)}"
        if session.read_only()
        else f"Room {shown(room.code)} · you are {plain(member.name)}"
    )
    if member.round != room.round:
        st.info(
            "Your instructor started a new round: your work so far stays in this workspace; join the new round to "
            "start afresh on the room's scenario.",
            icon=":material/restart_alt:",
        )
        if st.button("Join the new round", type="primary", **session.writable()):
            joined, said = classroom.rejoin(room, member)
            if joined:
                st.rerun()
            st.warning(said)
        return

    if room.task:
        with st.container(border=True):
            st.markdown("**Your task**")
            st.text(room.task)

    if room.lessons:
        st.markdown("**Lessons assigned to this room**")
        all_lessons = [lesson for lesson in load_lessons() if lesson.slug in room.lessons]
        progress = lessons_view.progress_of_all(all_lessons)
        for lesson in all_lessons:
            done = progress[lesson.slug]["complete"]
            st.page_link(
                links.page("pages/learn.py"),
                label=f"{'✅ ' if done else ''}{lesson.title} ({lesson.minutes} min)",
                query_params={"lesson": lesson.slug},
                icon=":material/school:",
            )

    if room.challenge is None:
        st.caption("This room has no challenge: work through the pages at your own pace.")
        return

    lab = classroom.lab_of(room)
    log = session.log()  # on the room's scenario: a challenge's learner cannot leave it (state.pinned)
    st.markdown(
        f"**The challenge.** The model is fixed ({lab.fixed_model.in_sentence}); only your labels change. "
        f"Fix the labels on **Fix the labels**, then submit them here: each submission is scored on test items "
        f"held out of this scenario (its pages score the rest of its test split, never these). "
        f"{contest.PUBLIC_SHARE:.0%} of them score the live leaderboard; the others, never shown until the "
        "end, "
        "decide the final ranking. During the challenge no page says which labels are truly wrong."
    )
    st.page_link(links.page("pages/fix_labels.py"), label="Fix the labels", icon=":material/fact_check:")
    classroom.challenge(room.code, lab, you=member.workspace, used=label_actions(log), touched=rows_touched(log))


st.title("Class")
widgets.lesson_card("pages/classroom.py")
found = classroom.membership()
elsewhere = found and not session.read_only() and classroom.linked_elsewhere(found[0])
if elsewhere:  # a join link for another room: offer it, rather than show the room they are in as if it were that one
    st.info(
        f"This join link is for room {shown(elsewhere)}; you are in {plain(found[0].name)} (room "
        f"{shown(found[0].code)}). Joining the new room starts you afresh in a workspace of its own: to come back "
        "to your work here later, keep your resume code (in the sidebar) first.",
        icon=":material/swap_horiz:",
    )
    st.button(f"Stay in {plain(found[0].name)}", on_click=classroom.stay, icon=":material/undo:")
    found = None
if found is None:
    join_form()
else:
    room_page(*found)
