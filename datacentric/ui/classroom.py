"""The classroom for a learner's session: the room their workspace belongs to, joining one with a code, the
challenge's submissions and the leaderboard that refreshes itself. Everything a learner or an instructor typed is
drawn as text (``st.text``, dataframes, ``display.plain``), never as Markdown or HTML."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import streamlit as st

from datacentric.classroom.rooms import CODE_LENGTH, Room, RoomError, normalised, shown
from datacentric.common.display import counted, plain
from datacentric.lab.scenario import parse_scenario
from datacentric.lab.worklog import label_actions, rows_touched
from datacentric.persistence import resume
from datacentric.ui import keys, services, session

if TYPE_CHECKING:  # navigation.py imports this module on every first page: the store and the scoring load when used
    from datacentric.classroom import contest
    from datacentric.classroom.roster import Member, Roster
    from datacentric.lab.lab import Lab

JOIN_PARAM = "join"  # /classroom?join=CODE: the join link an instructor shows
BOARD_EVERY = 5  # seconds between leaderboard refreshes (bench/leaderboard.py measures what 50 of them cost)
BOARD_FRESH = 2.0  # seconds a room's leaderboard is reused by every session of the process before it is read again


@st.cache_resource(show_spinner=False)
def roster() -> Roster:
    from datacentric.classroom.roster import Roster

    return Roster(services.get_store())


@st.cache_resource(show_spinner=False)
def join_attempts() -> resume.Limiter:
    """Wrong room codes, counted as resume codes are (``resume.Limiter``: a session waits, an address is slowed)."""
    return resume.Limiter(what="room code")


def membership() -> tuple[Room, Member] | None:
    """The room this session's workspace was made for, and its member; None outside any room."""
    ws = session.workspace_id()
    return roster().membership(ws) if ws else None


def seen(found: tuple[Room, Member] | None, page: str) -> None:
    """Note the page a room's learner (``found``: ``membership()``) is on, for the instructor's view; a view of
    someone's work is not them."""
    if found and not session.read_only() and found[1].round == found[0].round:
        roster().seen(found[1], page)


def prefill_from_url() -> None:
    """Keep a join link's code for the form (navigation.py drops unknown parameters from the address)."""
    code = normalised(st.query_params.get(JOIN_PARAM, ""))
    if code:
        st.session_state[keys.JOIN_CODE] = shown(code)
        st.session_state[keys.JOIN_LINKED] = code


def linked_elsewhere(room: Room) -> str | None:
    """The code of another room than ``room`` (the one this learner is in) that a join link brought them to."""
    code = st.session_state.get(keys.JOIN_LINKED)
    return code if code and code != room.code else None


def stay() -> None:
    """The learner stays in their room: the join link they followed is forgotten."""
    st.session_state.pop(keys.JOIN_LINKED, None)


def join(typed_code: str, name: str) -> tuple[bool, str]:
    """Join the room ``typed_code`` names as ``name``, in a new private workspace opened in this session; (joined,
    what happened in a sentence). Wrong codes count against this client (``join_attempts``); a right one gets in,
    after a few seconds at most when others on this address typed many wrong ones."""
    from datacentric.classroom.roster import Refused

    code = normalised(typed_code)
    if code is None:  # a typo that can be no room's code (a 0 or an O, too short) is no guess: not counted
        return False, (
            f"That is not a room code: {CODE_LENGTH} letters and digits, as your instructor shows it "
            "(there is no 0, 1, I, L or O in a code)."
        )
    with st.spinner("Checking the code..."), join_attempts().attempt(session.guesser()) as turn:
        if turn.wait:
            return False, f"Too many wrong codes: {resume.waiting(turn.wait)}."
        try:
            member = roster().join(code, name)
        except Refused as refused:
            if roster().room(code) is None:  # a closed room or a name taken is no wrong guess
                turn.failed(tried=code)
            return False, str(refused)
        except RoomError as problem:
            return False, str(problem)
    session.open_workspace(member.workspace)
    st.session_state.pop(keys.JOIN_LINKED, None)
    return True, "You are in. Your work in this room is your own; the sidebar keeps your resume code."


def rejoin(room: Room, member: Member) -> tuple[bool, str]:
    """Join the room's new round under the same name (a reset started one)."""
    return join(room.code, member.name)


def halves(lab: Lab, room: Room) -> contest.Split:
    from datacentric.classroom import contest

    return services.shared(
        ("challenge split", lab.scenario, room.split_seed), lambda: contest.split(lab, room.split_seed)
    )


def start_score(lab: Lab, room: Room) -> float:
    """The public score of the labels everyone starts from: what gain is measured against."""
    from datacentric.classroom import contest

    metric = room.challenge.metric

    def score() -> float:
        return contest.scores(lab, lab.noisy_labels, lab.in_use, None, halves(lab, room), metric)[0]

    return services.shared(("challenge start", lab.scenario, room.split_seed, metric), score)


def submit(room: Room, lab: Lab) -> str:
    """Score the learner's current labels on both halves and file it; says what happened (the public score only)."""
    from datacentric.classroom.roster import Refused

    try:
        receipt = roster().submit_labels(session.ensure_workspace(), lab)
    except Refused as refused:
        said = str(refused)
    else:
        said = (
            f"Submitted: {receipt.public:.1%} on the public half, after {receipt.actions} label actions. "
            f"{receipt.left} scored submissions left."
        )
        forget_board(room.code)  # the submitter's board shows the submission at once, not a board read before it
    st.session_state[keys.RECEIPT] = said
    return said


def lab_of(room: Room) -> Lab:
    scenario, _ = parse_scenario(room.scenario)
    return session.lab(scenario)


def time_left(room: Room) -> str:
    now = datetime.now(UTC)
    if room.challenge is None:
        return "No challenge in this room."
    if room.revealed:
        return "The challenge is over: the final ranking (on the private half) is revealed."
    left = room.seconds_left(now)
    if left is None:
        return "The challenge has not started yet."
    if left == 0:
        return "Time is up: the instructor reveals the final ranking."
    return f"{int(left // 60)} min {int(left % 60):02d} s left."


def clock(room: Room) -> str:
    """The challenge's time left as 'mm:ss', or a word for before and after."""
    left = room.seconds_left(datetime.now(UTC))
    if left is None:
        return "not started"
    return "over" if left == 0 else f"{int(left // 60)}:{int(left % 60):02d}"


@dataclass(frozen=True)
class _Board:
    read_at: float
    room: Room
    entries: list
    table: object  # a pyarrow Table: st.dataframe sends it as it is, where a pandas frame costs a conversion a run


@st.cache_resource(show_spinner=False)
def _boards() -> dict[str, _Board]:
    """The process's leaderboards by room code (a cached resource, so clearing Streamlit's caches clears it)."""
    return {}


def _board(code: str) -> _Board | None:
    """The room and its leaderboard, read at most once per ``BOARD_FRESH`` seconds per process: fifty learners
    refreshing every few seconds share one read of the store and one table (bench/leaderboard.py: building and
    converting the table on every refresh cost 11 ms of server CPU a refresh, 11 % of a core for 50 learners)."""
    known = _boards().get(code)
    if known and time.monotonic() - known.read_at < BOARD_FRESH:
        return known
    room = roster().room(code)  # read again: the instructor may reveal the ranking or hide names meanwhile
    if room is None or room.challenge is None:
        return None
    from datacentric.classroom import contest

    private = room.revealed  # the private half's scores are read only once the ranking is revealed
    members = [(m.workspace, m.name) for m in roster().members(room.code, room.round)]
    rows = roster().submitted(room.code, room.round, private=private)
    entries = contest.standings(
        members, rows, start=start_score(lab_of(room), room), private=private, names_hidden=room.names_hidden
    )
    board = _Board(time.monotonic(), room, entries, _table(room, entries))
    _boards()[code] = board
    return board


def forget_board(code: str) -> None:
    """After the instructor changes the room: its next leaderboard reads the store again."""
    _boards().pop(code, None)


SCORE, FINAL, NAME, GAIN = "Public score", "Private score (final)", "Name", "Gain per action (points)"
COLUMNS = {
    FINAL: st.column_config.NumberColumn(format="percent"),
    SCORE: st.column_config.NumberColumn(format="percent"),
    GAIN: st.column_config.NumberColumn(format="%+.2f"),
}


def _table(room: Room, entries: list):
    import pyarrow as pa

    columns = {
        "Rank": pa.array([i if e.scored else None for i, e in enumerate(entries, start=1)], pa.int64()),
        NAME: pa.array([e.name for e in entries], pa.string()),
        **({FINAL: pa.array([e.private for e in entries], pa.float64())} if room.revealed else {}),
        SCORE: pa.array([e.public for e in entries], pa.float64()),
        "Label actions": pa.array([e.actions for e in entries], pa.int64()),
        GAIN: pa.array([None if e.gain_per_action is None else e.gain_per_action * 100 for e in entries], pa.float64()),
        "Submissions": pa.array([e.submissions for e in entries], pa.int64()),
    }
    return pa.table(columns)


def leaderboard(code: str, *, every: float | None = BOARD_EVERY) -> None:
    """The room's leaderboard, redrawn every ``every`` seconds without a reload: public scores while the challenge
    runs, the private half's ranking once revealed (never before, whoever asks)."""

    @st.fragment(run_every=every)
    def board() -> None:
        found = _board(code)
        if found is not None:
            _draw(found, you=None)

    board()


def challenge(code: str, lab: Lab, *, you: str, used: int, touched: int, every: float | None = BOARD_EVERY) -> None:
    """A learner's challenge: label actions used (``used``), submissions and time left, the Submit button and the
    leaderboard, all redrawn every ``every`` seconds in one fragment, so the clock and the button follow the
    instructor's start and reveal without a reload, for one refresh a page."""

    @st.fragment(run_every=every)
    def panel() -> None:
        found = _board(code)
        if found is None:
            return
        room = found.room
        made = next((e.submissions for e in found.entries if e.workspace == you), 0)
        # One line, not three st.metric: each element redrawn costs server time on every refresh of every learner
        # (bench/leaderboard.py: three metrics in columns added 1.9 ms a refresh).
        st.markdown(
            f"Label actions used: **{used} of {room.challenge.budget}** ({counted(touched, 'row')} touched; one "
            "click is one action however many rows it touches, and an undo gives none back) · "
            f"scored submissions left: **{max(0, room.challenge.cap - made)} of {room.challenge.cap}** · "
            f"time left: **{clock(room)}**"
        )
        why_not = room.accepting(datetime.now(UTC))
        # A callback: it runs before the panel is drawn again, so the figures above count the submission just made.
        st.button(
            "Submit my current labels",
            type="primary",
            icon=":material/publish:",
            on_click=submit,
            args=(room, lab),
            **session.writable(bool(why_not)),
            help=why_not or "Scores your labels as they are now, on the held-out items.",
        )
        if st.session_state.get(keys.RECEIPT):
            st.info(st.session_state[keys.RECEIPT], icon=":material/publish:")
        _draw(found, you=you)

    panel()


def _draw(found: _Board, *, you: str | None) -> None:
    room = found.room
    st.markdown(
        "**Leaderboard** · "
        + (
            "final ranking, on the private half of the held-out items."
            if room.revealed
            else "live, on the public half of the held-out items."
        )
        + f" {time_left(room)}"
    )
    mine = next((i for i, e in enumerate(found.entries) if e.workspace == you), None) if you else None
    if mine is not None:  # said above the table, which stays one shared table (marking a row cost 0.6 ms a run)
        entry = found.entries[mine]
        st.caption(
            f"You: {plain(entry.name)}, "
            + (f"ranked {mine + 1} of {len(found.entries)}." if entry.scored else "no scored submission yet.")
        )
    from datacentric.ui import presenter

    if presenter.active():  # on a projector: an HTML table the presenter view's CSS enlarges (a dataframe is a canvas)
        st.table(_projected(found))
    else:
        st.dataframe(found.table, hide_index=True, width="stretch", column_config=COLUMNS)


def _projected(found: _Board):
    """The leaderboard as text for ``st.table``, whose cells render Markdown: names escaped, scores in percent."""
    import pandas as pd

    frame = found.table.to_pandas()
    for column in (FINAL, SCORE):
        if column in frame:
            frame[column] = [("" if pd.isna(v) else f"{v:.1%}") for v in frame[column]]
    frame[GAIN] = [("" if pd.isna(v) else f"{v:+.2f}") for v in frame[GAIN]]
    frame[NAME] = [plain(name) for name in frame[NAME]]
    for column in ("Rank", "Label actions"):
        frame[column] = [("" if pd.isna(v) else str(int(v))) for v in frame[column]]
    return frame.set_index("Rank")


def sidebar(found: tuple[Room, Member] | None) -> None:
    """In the sidebar on every page, for a room's learner (``found``: ``membership()``): the room, their name and
    the challenge's budget."""
    if not found or found[1].round != found[0].round:
        return
    room, member = found
    st.markdown("**Class**")
    st.text(f"{room.name} · you are {member.name}")  # typed by people: as text
    if room.challenge and session.current_scenario().slug == room.slug:
        log = session.log()
        used = label_actions(log)
        st.progress(
            min(1.0, used / room.challenge.budget),
            text=f"{used} of {room.challenge.budget} label actions used ({counted(rows_touched(log), 'row')} touched)",
        )
