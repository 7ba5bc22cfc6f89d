"""The rooms in the store: opening one, joining it, where its learners are, and their submissions, with every limit
checked here, where it is written (the budget of label actions is checked by ``Store.append`` itself).

A learner joins with a room's code and a display name and gets a private workspace of their own, on the room's
scenario; a reset starts a new round, in which each learner gets a fresh workspace (the old one stays in the
store). Everything lives in the store, so a room and its data survive a server restart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from datacentric.classroom import contest
from datacentric.classroom import rooms as words
from datacentric.classroom.rooms import Challenge, Room, RoomError
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import label_actions
from datacentric.persistence.schema import members, rooms, submissions
from datacentric.persistence.store import Store, retried

if TYPE_CHECKING:
    from datacentric.lab.lab import Lab

__all__ = ["CODE_TRIES", "SEEN_EVERY", "Member", "Receipt", "Refused", "Roster"]

CODE_TRIES = 5  # draws of a room code before giving up (a clash is 1 in 10^11 per room: more means a fault)
SEEN_EVERY = 30  # seconds: where a learner is, written at most this often unless they change page


@dataclass(frozen=True)
class Member:
    room: str
    round: int
    workspace: str
    name: str
    page: str | None = None
    seen: datetime | None = None


@dataclass(frozen=True)
class Receipt:
    """What a learner is told of a scored submission: never its private score."""

    public: float
    actions: int
    left: int  # scored submissions left


class Refused(RoomError):
    """A join or a submission the room does not accept now; ``str(err)`` says why."""


class Roster:
    def __init__(self, store: Store):
        self.store = store

    @property
    def _engine(self):
        return self.store.engine

    @retried
    def open(
        self,
        name: str,
        scenario: Scenario,
        challenge: Challenge | None,
        *,
        task: str = "",
        lessons: tuple[str, ...] = (),
    ) -> Room:
        """A new room on ``scenario`` (a built-in: rooms hold no learner's own data) with a fresh, unique code."""
        if scenario.is_users:
            raise RoomError("A room runs on a built-in dataset: learners cannot open another learner's upload.")
        if challenge is not None and not scenario.holdout:
            raise RoomError("A challenge needs test items held out of every page: give the scenario a holdout.")
        room = Room(
            words.new_code(),
            words.clean_text(name, most=words.ROOM_NAME_CHARS, what="room name"),
            scenario.to_params(),
            scenario.slug,
            challenge,
            task=words.clean_text(task, most=words.TASK_CHARS, what="task", one_line=False, required=False),
            lessons=tuple(lessons),
        )
        for _ in range(CODE_TRIES):
            try:
                with self._engine.begin() as db:
                    db.execute(insert(rooms).values(_row(room)))
                return room
            except IntegrityError:  # another room has this code (1 in 10^11 per room): draw again
                room = replace(room, code=words.new_code())
        raise RoomError("No free room code was found: try again.")

    def room(self, code: str | None) -> Room | None:
        if not code:
            return None
        with self._engine.connect() as db:
            row = db.execute(select(rooms).where(rooms.c.code == code)).first()
        return None if row is None else _room(row)

    def rooms(self) -> list[Room]:
        """Every room, newest first."""
        with self._engine.connect() as db:
            return [_room(r) for r in db.execute(select(rooms).order_by(rooms.c.created.desc())).all()]

    def change(
        self,
        code: str,
        *,
        task: str | None = None,
        lessons: tuple[str, ...] | None = None,
        names_hidden: bool | None = None,
    ) -> Room:
        """Set what the instructor asks of the class (``None``: unchanged)."""
        room = self._existing(code)
        changed = replace(
            room,
            task=room.task
            if task is None
            else words.clean_text(task, most=words.TASK_CHARS, what="task", one_line=False, required=False),
            lessons=room.lessons if lessons is None else tuple(lessons),
            names_hidden=room.names_hidden if names_hidden is None else bool(names_hidden),
        )
        self._set(code, settings=_settings(changed))
        return changed

    def start(self, code: str, now: datetime | None = None) -> Room:
        """Start the challenge's clock (again, if it had started: the time left starts over)."""
        room = self._existing(code)
        if room.challenge is None:
            raise RoomError("This room has no challenge to start.")
        if room.revealed or room.closed:
            raise RoomError("The final ranking is revealed (or the room is closed): reset the room to run it again.")
        now = now or _now()
        self._set(code, started=now, ends=now + timedelta(minutes=room.challenge.minutes), revealed=0)
        return self._existing(code)

    def reveal(self, code: str) -> Room:
        """End the challenge and rank by the private half."""
        self._set(code, revealed=1)
        return self._existing(code)

    def close(self, code: str, closed: bool = True) -> Room:
        self._set(code, closed=int(closed))
        return self._existing(code)

    @retried
    def reset(self, code: str) -> Room:
        """A new round: every learner starts afresh in a new workspace, with no submissions, the clock stopped and the
        ranking hidden. The round before stays in the store."""
        with self._engine.begin() as db:
            db.execute(
                update(rooms)
                .where(rooms.c.code == code)
                .values(round=rooms.c.round + 1, started=None, ends=None, revealed=0)
            )
        return self._existing(code)

    @retried
    def join(self, code: str, name: str) -> Member:
        """A new member of the room's current round, in a private workspace of their own on the room's scenario."""
        room = self.room(code)
        if room is None:
            raise Refused("No room has that code. Check it with your instructor: 8 letters and digits.")
        if room.closed:
            raise Refused("This room is closed: ask your instructor.")
        name = words.clean_text(name, most=words.NAME_CHARS, what="display name")
        if self._name_taken(room, name):
            raise Refused("Someone in this room already goes by that name: choose another.")
        workspace = self.store.create_workspace(room.scenario)
        member = Member(room.code, room.round, workspace, name)
        try:
            with self._engine.begin() as db:
                db.execute(
                    insert(members).values(
                        room=room.code, round=room.round, workspace=workspace, name=name, joined=_now()
                    )
                )
        except IntegrityError:  # two learners typed the same name at once
            raise Refused("Someone in this room already goes by that name: choose another.") from None
        return member

    def _name_taken(self, room: Room, name: str) -> bool:
        with self._engine.connect() as db:
            return bool(
                db.execute(
                    select(func.count())
                    .select_from(members)
                    .where((members.c.room == room.code) & (members.c.round == room.round) & (members.c.name == name))
                ).scalar_one()
            )

    def membership(self, workspace: str | None) -> tuple[Room, Member] | None:
        """The room a workspace was made for and its member, or None (a workspace of no room)."""
        if not workspace:
            return None
        with self._engine.connect() as db:
            row = db.execute(select(members).where(members.c.workspace == workspace)).first()
        if row is None:
            return None
        room = self.room(row.room)
        return None if room is None else (room, _member(row))

    def members(self, code: str, round: int) -> list[Member]:
        """The round's members, in joining order."""
        with self._engine.connect() as db:
            rows = db.execute(
                select(members).where((members.c.room == code) & (members.c.round == round)).order_by(members.c.seq)
            ).all()
        return [_member(r) for r in rows]

    @retried
    def seen(self, member: Member, page: str, now: datetime | None = None) -> bool:
        """Note where a learner is, unless nothing changed in ``SEEN_EVERY`` seconds; True if written."""
        now = now or _now()
        if member.page == page and member.seen is not None and (now - member.seen).total_seconds() < SEEN_EVERY:
            return False
        with self._engine.begin() as db:
            db.execute(update(members).where(members.c.workspace == member.workspace).values(page=page[:64], seen=now))
        return True

    @retried
    def submit(
        self, workspace: str, *, version: int, actions: int, public: float, private: float, now: datetime | None = None
    ) -> Receipt:
        """Score a submission, if the room accepts it now and the learner has submissions left; ``Refused`` if not.
        Checked and written under the workspace's lock, so two clicks at once cannot pass the cap together."""
        now = now or _now()
        with self.store.locked(workspace) as db:
            row = db.execute(select(members.c.room, members.c.round).where(members.c.workspace == workspace)).first()
            room = None if row is None else _room(db.execute(select(rooms).where(rooms.c.code == row.room)).first())
            if room is None or row.round != room.round:
                raise Refused("This work is not in a room's current round, so it cannot be submitted.")
            why = room.accepting(now)
            if why:
                raise Refused(why)
            if room.challenge.budget is not None and actions > room.challenge.budget:
                raise Refused(f"These labels used {actions} label actions, past the budget of {room.challenge.budget}.")
            made = db.execute(
                select(func.count())
                .select_from(submissions)
                .where((submissions.c.workspace == workspace) & (submissions.c.round == room.round))
            ).scalar_one()
            if made >= room.challenge.cap:
                raise Refused(f"You have used all {room.challenge.cap} scored submissions.")
            db.execute(
                insert(submissions).values(
                    room=room.code,
                    round=room.round,
                    workspace=workspace,
                    version=version,
                    actions=actions,
                    public=public,
                    private=private,
                    created=now,
                )
            )
        return Receipt(public, actions, room.challenge.cap - made - 1)

    def submit_labels(self, workspace: str, lab: Lab, now: datetime | None = None) -> Receipt:
        """Score the workspace's labels as the store has them on its room's scenario (``lab``: that scenario's) and
        file the submission (``submit``'s checks apply). Nothing the page holds is trusted: the log, the actions
        counted and both scores are read and computed here."""

        found = self.membership(workspace)
        if found is None or found[1].round != found[0].round:
            raise Refused("This work is not in a room's current round, so it cannot be submitted.")
        room = found[0]
        if room.challenge is None:
            raise Refused("This room has no challenge to submit to.")
        if lab.scenario.slug != room.slug:
            raise ValueError("the lab is not the room's scenario")
        log = self.store.log(workspace, room.slug)
        now_state = lab.state(log)
        public, private = contest.scores(
            lab,
            now_state.labels,
            now_state.kept,
            now_state.copies,
            contest.split(lab, room.split_seed),
            room.challenge.metric,
        )
        return self.submit(
            workspace, version=len(log), actions=label_actions(log), public=public, private=private, now=now
        )

    def submitted(self, code: str, round: int, *, private: bool) -> list[dict[str, Any]]:
        """The round's submissions, oldest first: workspace, actions, public, and the private score only if
        ``private`` (the private column is not even read otherwise)."""
        columns = [submissions.c.workspace, submissions.c.actions, submissions.c.public, submissions.c.created]
        if private:
            columns.append(submissions.c.private)
        with self._engine.connect() as db:
            rows = db.execute(
                select(*columns)
                .where((submissions.c.room == code) & (submissions.c.round == round))
                .order_by(submissions.c.seq)
            ).all()
        return [{**r._asdict(), "private": getattr(r, "private", None)} for r in rows]

    def _existing(self, code: str) -> Room:
        room = self.room(code)
        if room is None:
            raise RoomError(f"No room {code}.")
        return room

    @retried
    def _set(self, code: str, **values) -> None:
        with self._engine.begin() as db:
            db.execute(update(rooms).where(rooms.c.code == code).values(**values))


def _settings(room: Room) -> str:
    return json.dumps(
        {"task": room.task, "lessons": list(room.lessons), "names_hidden": room.names_hidden, "salt": room.salt}
    )


def _row(room: Room) -> dict[str, Any]:
    c = room.challenge
    return {
        "code": room.code,
        "name": room.name,
        "scenario": json.dumps(room.scenario),
        "slug": room.slug,
        "settings": _settings(room),
        "budget": c and c.budget,
        "cap": c and c.cap,
        "minutes": c and c.minutes,
        "metric": c.metric if c else "accuracy",
        "round": room.round,
        "started": room.started,
        "ends": room.ends,
        "revealed": int(room.revealed),
        "closed": int(room.closed),
        "created": room.created,
    }


def _room(row) -> Room:
    settings = json.loads(row.settings)
    challenge = None if row.cap is None else Challenge(row.budget, row.cap, row.minutes, row.metric)
    return Room(
        row.code,
        row.name,
        json.loads(row.scenario),
        row.slug,
        challenge,
        row.round,
        settings["task"],
        tuple(settings["lessons"]),
        settings["names_hidden"],
        _utc(row.started),
        _utc(row.ends),
        bool(row.revealed),
        bool(row.closed),
        _utc(row.created),
        settings["salt"],
    )


def _member(row) -> Member:
    return Member(row.room, row.round, row.workspace, row.name, row.page, _utc(row.seen))


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes (stored in UTC): make them aware, as PostgreSQL's are."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)
