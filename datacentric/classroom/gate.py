"""The instructor's passcode: compared in constant time, behind ``resume.Limiter`` (a session that keeps failing
waits; an address that keeps failing is slowed, never refused, so the instructor gets in whoever guessed), and a
cookie value that proves a browser typed it (an HMAC of the passcode, so changing the passcode signs everyone out).

The passcode comes from ``DCP_INSTRUCTOR_PASSCODE`` or ``[instructor] passcode`` in ``.streamlit/secrets.toml``;
with neither, no one is an instructor (the Teach page says how to set one).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from datacentric.persistence.resume import Client, Limiter, waiting

__all__ = [
    "FAILURES",
    "PER_ADDRESS",
    "WINDOW",
    "MIN_CHARS",
    "TARGET",
    "COOKIE",
    "MAX_AGE",
    "Verdict",
    "Gate",
    "allowed_email",
]

FAILURES = 5  # wrong passcodes a session may type per WINDOW, after which it waits
PER_ADDRESS = 30  # wrong passcodes from one address per WINDOW before its tries are slowed (resume.Limiter's figures)
WINDOW = 15 * 60
MIN_CHARS = 8  # a shorter passcode is refused: it would be guessed across many clients
TARGET = "the instructor passcode"  # every wrong passcode is a try at this one secret: counted together, and logged
COOKIE = "dcp_instructor"
MAX_AGE = 12 * 3600  # seconds a sign-in lasts, checked by the server


@dataclass(frozen=True)
class Verdict:
    ok: bool
    said: str  # what to tell the person at the keyboard


class Gate:
    """Checks typed passcodes against ``passcode`` (None: none configured), limiting guesses with ``attempts``."""

    def __init__(self, passcode: str | None, *, attempts: Limiter | None = None):
        self.passcode = passcode or None
        self.attempts = attempts or Limiter(
            what="instructor passcode", per_session=FAILURES, per_address=PER_ADDRESS, window=WINDOW
        )

    @property
    def problem(self) -> str | None:
        """Why no one can sign in as an instructor, or None."""
        if self.passcode is None:
            return (
                "No instructor passcode is set on this server. Set DCP_INSTRUCTOR_PASSCODE (or `passcode` under "
                "`[instructor]` in .streamlit/secrets.toml) and restart the app."
            )
        if len(self.passcode) < MIN_CHARS:
            return f"The instructor passcode is shorter than {MIN_CHARS} characters: set a longer one and restart."
        return None

    def check(self, client: Client, typed: str) -> Verdict:
        """Whether ``typed`` is the passcode. It may first wait a few seconds, when ``client``'s address has typed many
        wrong ones; the right passcode is refused only to a session that itself typed ``FAILURES`` wrong ones."""
        if self.problem:
            return Verdict(False, self.problem)
        with self.attempts.attempt(client) as turn:
            if turn.wait:
                return Verdict(False, f"Too many wrong passcodes: {waiting(turn.wait)}.")
            if hmac.compare_digest(str(typed).encode(), self.passcode.encode()):
                return Verdict(True, "Signed in as the instructor.")
            turn.failed(tried=TARGET)
            return Verdict(False, "That is not the instructor passcode.")

    def token(self, now: float | None = None) -> str:
        """What an instructor's browser keeps in its cookie: when it was issued and a MAC of that under the passcode,
        so it proves the passcode was typed without holding it, and the server (not only the browser) ends it."""
        if self.problem:
            return ""
        issued = str(int(time.time() if now is None else now))
        return f"{issued}.{self._mac(issued)}"

    def recognises(self, cookie: str | None, now: float | None = None) -> bool:
        issued, _, mac = str(cookie or "").partition(".")
        if self.problem or not issued.isdigit() or not hmac.compare_digest(mac, self._mac(issued)):
            return False
        return 0 <= (time.time() if now is None else now) - int(issued) < MAX_AGE

    def _mac(self, issued: str) -> str:
        return hmac.new(self.passcode.encode(), f"dcp instructor v2 {issued}".encode(), hashlib.sha256).hexdigest()


def allowed_email(email: object, allowed: str | None) -> bool:
    """True if ``email`` (from an identity provider) is one of ``allowed`` (comma-separated, any case)."""
    wanted = {e.strip().lower() for e in (allowed or "").split(",") if e.strip()}
    return isinstance(email, str) and email.strip().lower() in wanted
