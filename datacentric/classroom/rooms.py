"""A room: its join code, its name, the scenario the class works on, and what the instructor set (a task, lessons,
a challenge). Codes are short enough to read off a projector and too many to guess at the rate the guess limits allow
(``resume.Limiter``)."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime

from datacentric.common.metrics import METRICS
from datacentric.persistence.resume import ALPHABET

__all__ = [
    "CODE_LENGTH",
    "NAME_CHARS",
    "ROOM_NAME_CHARS",
    "TASK_CHARS",
    "BOUNDS",
    "HOLDOUT",
    "RoomError",
    "new_code",
    "shown",
    "normalised",
    "clean_text",
    "Challenge",
    "Room",
]

CODE_LENGTH = 8  # 31^8, about 8.5 x 10^11 codes: at most 33,984 tries a day per address (resume.most_tries_per_day),
# one address guessing any of 50 open rooms expects to need about 1,400 years
NAME_CHARS = 40  # a display name
ROOM_NAME_CHARS = 80
TASK_CHARS = 2000


# a challenge's settings, at least and at most
BOUNDS = {"budget": (1, 100_000), "cap": (1, 1_000), "minutes": (1, 24 * 60)}
HOLDOUT = 50  # percent of a challenge scenario's test split held out for the leaderboard; the pages score the rest


class RoomError(ValueError):
    """Something typed for a room that cannot be used; ``str(err)`` says what to do instead."""


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown(code: str) -> str:
    """'ABCD-EFGH': in two groups, to read aloud and to type."""
    return f"{code[:4]}-{code[4:]}"


def normalised(typed: str) -> str | None:
    """The join code in ``typed`` (any case, spaces and dashes ignored), or None if it cannot be one."""
    code = "".join(c for c in str(typed).upper() if c not in " -\t")
    return code if len(code) == CODE_LENGTH and all(c in ALPHABET for c in code) else None


def clean_text(typed: str, *, most: int, what: str, one_line: bool = True, required: bool = True) -> str:
    """``typed`` without control characters (and on one line, spaces squeezed, when ``one_line``); RoomError if
    empty (when required) or too long. Kept as typed otherwise: pages show it as text, never Markdown or HTML."""
    text = "".join(c for c in str(typed) if unicodedata.category(c)[0] != "C" or (c == "\n" and not one_line))
    text = " ".join(text.split()) if one_line else text.strip()
    if required and not text:
        raise RoomError(f"Type a {what}.")
    if len(text) > most:
        raise RoomError(f"A {what} has at most {most} characters; this one has {len(text)}.")
    return text


@dataclass(frozen=True)
class Challenge:
    """The data-centric challenge: the model is the scenario's fixed model, only the labels change. ``budget``:
    label actions each learner may take (an undo gives none back); ``cap``: scored submissions each; ``minutes``:
    how long it runs once started; ``metric``: a key of ``metrics.METRICS``."""

    budget: int
    cap: int
    minutes: int
    metric: str = "accuracy"

    def __post_init__(self) -> None:
        for name, (low, high) in BOUNDS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                raise RoomError(f"The challenge's {name} must be a whole number from {low} to {high}, not {value!r}.")

        if self.metric not in METRICS:
            raise RoomError(f"The challenge's metric must be one of {', '.join(METRICS)}, not {self.metric!r}.")


@dataclass(frozen=True)
class Room:
    code: str
    name: str
    scenario: dict[str, str]  # the scenario's URL parameters
    slug: str
    challenge: Challenge | None
    round: int = 1
    task: str = ""  # what the instructor asks of the class: text, shown as text
    lessons: tuple[str, ...] = ()  # slugs of the lessons assigned to the room
    names_hidden: bool = False
    started: datetime | None = None
    ends: datetime | None = None
    revealed: bool = False
    closed: bool = False
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    # seeds the room's public/private split: never shown
    salt: str = field(default_factory=lambda: secrets.token_hex(8))

    @property
    def split_seed(self) -> str:
        """What seeds the round's public/private split (``contest.split``): the room's secret salt and its round."""
        return f"{self.salt}:{self.round}"

    def accepting(self, now: datetime) -> str | None:
        """Why a submission cannot be scored now, or None if it can."""
        if self.closed:
            return "This room is closed: submissions are no longer scored."
        if self.challenge is None:
            return "This room has no challenge to submit to."
        if self.started is None:
            return "The challenge has not started yet: your instructor starts it."
        if self.revealed or now >= self.ends:
            return "The challenge is over: submissions are no longer scored."
        return None

    def seconds_left(self, now: datetime) -> float | None:
        """Seconds until the challenge ends (0 once over); None before it starts or without one."""
        if self.ends is None:
            return None
        return 0.0 if self.revealed else max(0.0, (self.ends - now).total_seconds())
