"""The instructor's passcode: compared in constant time, with a lock-out after repeated failures per client, and a
cookie value that proves a browser typed it (an HMAC of the passcode, so changing the passcode signs everyone out).

The passcode comes from ``DCP_INSTRUCTOR_PASSCODE`` or ``[instructor] passcode`` in ``.streamlit/secrets.toml``;
with neither, no one is an instructor (the Teach page says how to set one).
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from datacentric.resume import Attempts

FAILURES = 5  # wrong passcodes a client may type ...
WINDOW = 15 * 60  # ... per this many seconds, after which it waits
MIN_CHARS = 8  # a shorter passcode is refused: it would be guessed across many clients
COOKIE = "dcp_instructor"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    said: str  # what to tell the person at the keyboard


class Gate:
    """Checks typed passcodes against ``passcode`` (None: none configured), counting failures per client."""

    def __init__(self, passcode: str | None, attempts: Attempts | None = None):
        self.passcode = passcode or None
        self.attempts = attempts or Attempts(FAILURES, WINDOW)

    @property
    def problem(self) -> str | None:
        """Why no one can sign in as an instructor, or None."""
        if self.passcode is None:
            return ("No instructor passcode is set on this server. Set DCP_INSTRUCTOR_PASSCODE (or `passcode` under "
                    "`[instructor]` in .streamlit/secrets.toml) and restart the app.")
        if len(self.passcode) < MIN_CHARS:
            return f"The instructor passcode is shorter than {MIN_CHARS} characters: set a longer one and restart."
        return None

    def check(self, client: str, typed: str) -> Verdict:
        if self.problem:
            return Verdict(False, self.problem)
        wait = self.attempts.wait(client)
        if wait:
            return Verdict(False, f"Too many wrong passcodes from here: try again in {max(1, round(wait / 60))} minutes.")
        if hmac.compare_digest(str(typed).encode(), self.passcode.encode()):
            return Verdict(True, "Signed in as the instructor.")
        self.attempts.failed(client)
        return Verdict(False, "That is not the instructor passcode.")

    def token(self) -> str:
        """What an instructor's browser keeps in its cookie: proves the passcode was typed, without holding it."""
        if self.problem:
            return ""
        return hmac.new(self.passcode.encode(), b"dcp instructor v1", hashlib.sha256).hexdigest()

    def recognises(self, cookie: str | None) -> bool:
        return bool(cookie) and not self.problem and hmac.compare_digest(str(cookie), self.token())


def allowed_email(email: object, allowed: str | None) -> bool:
    """True if ``email`` (from an identity provider) is one of ``allowed`` (comma-separated, any case)."""
    wanted = {e.strip().lower() for e in (allowed or "").split(",") if e.strip()}
    return isinstance(email, str) and email.strip().lower() in wanted
