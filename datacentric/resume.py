"""Resume codes: the way back to a workspace from another device, short enough to read aloud or write down.

A code is 12 characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L): 31^12, about 2^59
codes, so guessing one takes about 10^17 tries on average; ``Attempts`` allows a few failures per client before
it makes them wait.
"""
from __future__ import annotations

import secrets
import threading
import time

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
FAILURES = 5  # wrong codes a client may type ...
WINDOW = 15 * 60  # ... per this many seconds, after which it waits


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """'ABCD-EFGH-JKMN': in groups of four, to read aloud."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalised(typed: str) -> str | None:
    """The code in ``typed`` (any case, spaces and dashes ignored), or None if it cannot be one."""
    code = "".join(c for c in str(typed).upper() if c not in " -\t")
    return code if len(code) == LENGTH and all(c in ALPHABET for c in code) else None


class Attempts:
    """Failed tries per client (an address, or a session when there is none), forgotten after ``WINDOW``."""

    def __init__(self, failures: int = FAILURES, window: float = WINDOW, clock=time.monotonic):
        self.failures, self.window, self.clock = failures, window, clock
        self._failed: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds ``client`` must wait before trying again (0: it may try now)."""
        with self._lock:
            now = self.clock()
            recent = [t for t in self._failed.get(client, []) if now - t < self.window]
            self._failed[client] = recent
            return 0.0 if len(recent) < self.failures else self.window - (now - recent[0])

    def failed(self, client: str) -> None:
        with self._lock:
            self._failed.setdefault(client, []).append(self.clock())
