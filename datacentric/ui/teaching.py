"""The instructor's side of the classroom: signing in with the passcode (or an identity provider), opening a room,
the join code with its link and QR code, the challenge's controls, and the class's view with its CSV."""

from __future__ import annotations

import io
import secrets
from dataclasses import replace

import streamlit as st

from datacentric.classroom import gate, report, rooms
from datacentric.classroom.rooms import Challenge, Room, RoomError, shown
from datacentric.common import settings
from datacentric.common.metrics import METRICS
from datacentric.data.catalog import DATASETS
from datacentric.lab.scenario import DEFAULT, MAX_RATE, MAX_SEED, NOISE_KINDS, SCARCE_RESERVE, Scenario
from datacentric.present.lessons import load_lessons
from datacentric.ui import classroom, keys, services, session

ROOM_PARAM = "room"  # the room the instructor looks at (keys.TEACH_ROOM), in the URL
CLASS_EVERY = 10  # seconds between refreshes of the class's view
SMALL_HALF = 30  # held-out items per half below which Teach warns (one item is more than 3 points)


@st.cache_resource(show_spinner=False)
def door() -> gate.Gate:
    """The passcode gate of this server process: DCP_INSTRUCTOR_PASSCODE, else secrets.toml's [instructor]."""
    passcode = settings.text("DCP_INSTRUCTOR_PASSCODE")
    if passcode is None:
        try:
            passcode = st.secrets["instructor"]["passcode"]
        except (KeyError, FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
            passcode = None
    return gate.Gate(passcode)


def _identity_provider() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return False


def is_instructor() -> bool:
    if session.read_only():
        return False
    if st.session_state.get(keys.SIGNED_IN):
        return True
    if st.session_state.get(keys.SIGNED_OUT):
        return False
    if door().recognises(session.cookie(gate.COOKIE)):
        return True
    if _identity_provider() and getattr(st.user, "is_logged_in", False):
        return gate.allowed_email(st.user.get("email"), settings.text("DCP_INSTRUCTOR_EMAILS"))
    return False


def sign_in() -> None:
    """The passcode form (and an identity provider's button where the deployment has one)."""
    problem = door().problem
    if problem and not _identity_provider():
        st.warning(problem, icon=":material/lock:")
        return
    with st.form("instructor_sign_in"):
        typed = st.text_input("Instructor passcode", type="password", key="instructor_passcode")
        if st.form_submit_button("Sign in", icon=":material/lock_open:"):
            with st.spinner("Checking the passcode..."):  # slowed only when others on this address guessed
                verdict = door().check(session.guesser(), typed)
            if verdict.ok:
                st.session_state[keys.SIGNED_IN] = True
                st.session_state.pop(keys.SIGNED_OUT, None)
                st.session_state[keys.COOKIE_TO_WRITE] = door().token()
                st.rerun()
            st.error(verdict.said, icon=":material/lock:")
    if _identity_provider() and settings.text("DCP_INSTRUCTOR_EMAILS"):
        if getattr(st.user, "is_logged_in", False):
            st.warning("Your account is not one of this deployment's instructors.", icon=":material/lock:")
        elif st.button("Sign in with your organisation's account", icon=":material/badge:"):
            st.login()


def keep_signed_in() -> None:
    """Write the instructor's cookie once after signing in, so a reload keeps the Teach page open."""
    token = st.session_state.pop(keys.COOKIE_TO_WRITE, None)
    if token is not None:  # "" after signing out: the cookie is dropped
        session.write_cookie(gate.COOKIE, token, max_age=gate.MAX_AGE if token else 0, samesite="strict")


def sign_out() -> None:
    """A callback: forget the sign-in in this session and, on the next run, in this browser's cookie."""
    st.session_state.pop(keys.SIGNED_IN, None)
    st.session_state[keys.SIGNED_OUT] = True
    st.session_state[keys.COOKIE_TO_WRITE] = ""


def hide_names(code: str, key: str) -> None:
    """The toggle's callback: the room's names hidden or shown as the toggle now says."""
    classroom.roster().change(code, names_hidden=bool(st.session_state[key]))
    classroom.forget_board(code)


def reset(code: str, sure: str) -> None:
    """The reset button's callback: a new round, and the confirmation unticked for next time."""
    classroom.roster().reset(code)
    classroom.forget_board(code)
    st.session_state[sure] = False


def halves_note(room: Room, lab) -> None:
    """How many held-out items score each half, and what one item is worth: a small half ranks by luck."""
    items = len(classroom.halves(lab, room).public)
    st.caption(f"Each half of the held-out items has about {items} items: one item is {100 / items:.1f} points.")
    if items < SMALL_HALF:
        st.warning(
            f"With {items} items a half, one item moves a score by {100 / items:.1f} points: rankings will "
            "be decided by a few items. The digits hold out more.",
            icon=":material/info:",
        )


def open_room_form(opened: int) -> Room | None:
    """The form that opens a room; the new room, once opened. ``opened``: rooms so far, in the form's name, so the
    form starts empty after each room (clearing it on submit would also clear it when the input was refused)."""
    with st.form(f"open_room_{opened}"):
        name = st.text_input("Room name", max_chars=rooms.ROOM_NAME_CHARS, placeholder="Tuesday workshop")
        datasets = list(DATASETS)
        # The app's default scenario (bench/demonstrations.py measures the challenge on it), with a seed of its own.
        dataset = st.selectbox(
            "Dataset", datasets, index=datasets.index(DEFAULT.dataset), format_func=lambda k: DATASETS[k].title
        )
        noise = st.selectbox(
            "Noise kind",
            list(NOISE_KINDS),
            index=list(NOISE_KINDS).index(DEFAULT.noise),
            format_func=lambda k: NOISE_KINDS[k],
        )
        rate = st.slider("Noise rate (% of training labels made wrong)", 0, MAX_RATE, DEFAULT.rate, step=5)
        # A seed drawn for the room, once per session (drawn on every run, the form showed one seed and opened the
        # room with another): the default scenario's seed 0 is the one every learner met in the lessons.
        drawn = st.session_state.setdefault(keys.NEW_ROOM_SEED, secrets.randbelow(10_000))
        seed = st.number_input("Seed", min_value=0, max_value=MAX_SEED, value=drawn, step=1)
        task = st.text_area("Task for the class (optional, shown as plain text)", max_chars=rooms.TASK_CHARS)
        with_challenge = st.checkbox(
            "Run a challenge: the model fixed, only the labels change, a held-out test set", value=True
        )
        c1, c2, c3 = st.columns(3)
        budget = c1.number_input("Label actions per learner", *rooms.BOUNDS["budget"], 40)
        cap = c2.number_input("Scored submissions per learner", *rooms.BOUNDS["cap"], 5)
        minutes = c3.number_input("Minutes, once started", *rooms.BOUNDS["minutes"], 20)
        metric = st.selectbox("Scored by", list(METRICS), format_func=lambda k: METRICS[k].name)
        if not st.form_submit_button("Open the room", type="primary", icon=":material/meeting_room:"):
            return None
    # as Home's picker: scarce has a reserve
    scenario = Scenario(
        dataset,
        noise,
        0 if noise == "none" else rate,
        int(seed),
        reserve=SCARCE_RESERVE if noise == "scarce" else 0,
        holdout=rooms.HOLDOUT if with_challenge else 0,
    )
    try:
        room = classroom.roster().open(
            name,
            scenario,
            Challenge(int(budget), int(cap), int(minutes), metric) if with_challenge else None,
            task=task,
        )
    except RoomError as problem:
        st.error(str(problem), icon=":material/error:")
        return None
    choose(room.code)
    st.session_state.pop(keys.NEW_ROOM_SEED, None)  # the next room gets a seed of its own
    return room


def choose(code: str) -> None:
    st.session_state[keys.TEACH_ROOM] = code
    st.query_params[ROOM_PARAM] = code


def pick_room(codes: list[str], room: Room | None, *, format_func) -> str:
    """The room picker; returns the code picked. Keyed, with the pick kept by ``choose``: without a key its identity
    followed the room it started on, so every other pick was dropped (Room 0, then Room 1, stayed on Room 0)."""
    current = room.code if room is not None and room.code in codes else codes[0]
    if st.session_state.get(keys.TEACH_ROOM_PICKED) != current:
        st.session_state[keys.TEACH_ROOM_PICKED] = current
    if room is None or room.code != current:
        choose(current)
    st.selectbox(
        "Room",
        codes,
        key=keys.TEACH_ROOM_PICKED,
        format_func=format_func,
        on_change=lambda: choose(st.session_state[keys.TEACH_ROOM_PICKED]),
    )
    return st.session_state[keys.TEACH_ROOM_PICKED]


def chosen() -> Room | None:
    """The room the instructor looks at: the session's choice, else the URL's."""
    code = st.session_state.get(keys.TEACH_ROOM) or st.query_params.get(ROOM_PARAM)
    room = classroom.roster().room(code)
    if room is not None and st.query_params.get(ROOM_PARAM) != room.code:
        st.query_params[ROOM_PARAM] = room.code
    return room


def join_link(room: Room) -> str:
    """The Class page's address with the room's code, under the path the app is served from (behind a proxy's
    prefix too): this page's address with its own last part replaced."""
    from urllib.parse import urlsplit

    url = urlsplit(st.context.url or "")
    base = f"{url.scheme}://{url.netloc}" if url.netloc else ""
    prefix = url.path.rsplit("/", 1)[0] if url.path else ""
    return f"{base}{prefix}/classroom?{classroom.JOIN_PARAM}={room.code}"


def qr_png(text: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=10, border=2)
    return out.getvalue()


def join_panel(room: Room) -> None:
    """The join code, large enough for the back row, with its link and QR code."""
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.markdown("Join at **Class** with the code")
        # Our own code (letters and digits only), in type the back row reads: no stylesheet styles this class.
        st.markdown(
            f"<div class='dcp-join-code' style='font-size: 4rem; font-weight: 700; line-height: 1.2; "
            f"font-family: monospace; letter-spacing: 0.05em'>{shown(room.code)}</div>",
            unsafe_allow_html=True,
        )
        st.code(join_link(room), language=None, wrap_lines=True)
    right.image(qr_png(join_link(room)), caption="Scan to join", width=220, alt="QR code of the room's join link")


def members_table(room: Room) -> None:
    """The class's view: who is where with how many actions and what score, and what they found hard."""
    import pandas as pd

    @st.fragment(run_every=CLASS_EVERY)
    def view() -> None:
        fresh = classroom.roster().room(room.code) or room
        lab = classroom.lab_of(fresh)
        members = classroom.roster().members(fresh.code, fresh.round)
        if not members:
            st.info("No one has joined this round yet.", icon=":material/group:")
            return
        store = services.get_store()
        logs = store.room_logs(fresh.code, fresh.round, fresh.slug)  # the room's members' logs, and no one else's
        states = {ws: lab.state(log) for ws, log in logs.items()}
        metric = fresh.challenge.metric if fresh.challenge else "accuracy"
        events = store.room_events(fresh.code, fresh.round, report.LESSON_TOPIC)
        assigned = [lesson for lesson in load_lessons() if lesson.slug in fresh.lessons]
        submitted = classroom.roster().submitted(fresh.code, fresh.round, private=False)
        rows = report.learners(
            members,
            logs,
            states,
            lambda s: services.score_of(lab.scenario, s.labels, s.kept, s.copies).value(metric),
            submitted,
            events,
            assigned,
        )
        # Names hidden: this page is on the projector, so its table and chart number the learners as the leaderboard
        # does (contest.standings: "Learner 1", "Learner 2"... in joining order); the CSV, downloaded, keeps names.
        shown_names = [f"Learner {i}" if fresh.names_hidden else m.name for i, m in enumerate(members, start=1)]
        st.dataframe(
            pd.DataFrame(
                {
                    "Name": shown_names,
                    "Page": [r.page for r in rows],
                    "Seen (s ago)": [None if r.seen_seconds_ago is None else round(r.seen_seconds_ago) for r in rows],
                    "Label actions": [r.actions for r in rows],
                    f"Score now ({METRICS[metric].name})": [r.score for r in rows],
                    "Submissions": [r.submissions for r in rows],
                    "Best public": [r.best_public for r in rows],
                    "Assigned lessons done": [f"{r.lessons_done} of {r.lessons_assigned}" for r in rows],
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={
                f"Score now ({METRICS[metric].name})": st.column_config.NumberColumn(format="percent"),
                "Best public": st.column_config.NumberColumn(format="percent"),
            },
        )
        st.download_button(
            "Download the class as CSV",
            report.as_csv(rows),
            file_name=f"class-{fresh.code}.csv",
            mime="text/csv",
            icon=":material/download:",
            key=f"class_csv_{fresh.code}",
            help="With the learners' display names, even while they are hidden on the leaderboard.",
        )
        st.vega_lite_chart(spec=report.standing_chart(shown_names, rows, METRICS[metric].name.lower()), width="stretch")
        points = report.progress_points([replace(m, name=n) for m, n in zip(members, shown_names)], submitted)
        if points:
            st.vega_lite_chart(spec=report.scores_chart(points, METRICS[metric].name.lower()), width="stretch")
        misses = report.quiz_misses(load_lessons(), events)
        st.markdown("**Quiz questions answered wrong most often** (first tries)")
        if misses:
            st.dataframe(
                pd.DataFrame(
                    {
                        "Lesson": [m.lesson for m in misses],
                        "Question": [m.question for m in misses],
                        "Wrong": [f"{m.wrong} of {m.answered}" for m in misses],
                        "Commonest wrong answer": [m.commonest_wrong or "" for m in misses],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption("No quiz answers yet.")
        found = report.disagreements(lab, list(states.values()))
        st.markdown("**Labels the class disagreed on most** (items two or more learners acted on)")
        if found:
            st.dataframe(
                pd.DataFrame(
                    {
                        "Item": [d.item for d in found],
                        "Started as": [d.given for d in found],
                        **(
                            {"True label": [d.truth for d in found]}
                            if fresh.challenge is None or fresh.revealed
                            else {}
                        ),
                        "Learners": [d.learners for d in found],
                        "Agreement": [d.agreement for d in found],
                        "Left as": [", ".join(f"{label} × {n}" for label, n in d.labels) for d in found],
                    }
                ),
                hide_index=True,
                width="stretch",
                column_config={"Agreement": st.column_config.NumberColumn(format="percent")},
            )
        else:
            st.caption("No item has been acted on by two learners yet.")

    view()


def labelling_view(room: Room) -> None:
    """The class's labels of the instructions exercise's parts, refreshed as answers arrive."""
    from datacentric.consistency.parts import make_parts
    from datacentric.lab.scenario import parse_scenario
    from datacentric.ui import labelling

    @st.fragment(run_every=CLASS_EVERY)
    def view() -> None:
        fresh = classroom.roster().room(room.code) or room
        scenario, _ = parse_scenario(fresh.scenario)
        labelling.class_view(fresh.code, fresh.round, make_parts(scenario.seed), names_hidden=fresh.names_hidden)

    view()


def describe(room: Room) -> str:
    """'Room name · code' for a picker (selectbox options show text as text)."""
    return f"{room.name} · {shown(room.code)}{' (closed)' if room.closed else ''}"
