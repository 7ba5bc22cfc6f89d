"""Resume codes: the way back to a workspace from another device, short enough to read aloud or write down.

A code is 12 characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L): 31^12, about 2^59
codes, so guessing one takes about 10^17 tries on average; ``Attempts`` allows a few failures per client before
it makes them wait.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

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


PER_ADDRESS = 50  # wrong tries from one network address per WINDOW: a class behind one school router shares it


@dataclass(frozen=True)
class Client:
    """Who is guessing: a browser session, and the network address it came from (None where unknown)."""

    session: str
    address: str | None = None


class Limiter:
    """``Attempts`` per session and per address together: a session waits after ``per_session`` failures, and an
    address after ``per_address`` (so a class sharing one address is not locked out by five typos, and a guesser
    opening new sessions is still stopped). With 31^12 resume codes or 31^8 room codes, 50 tries per quarter of an
    hour per address keep guessing hopeless (for a room code: about 2,000 years per address for one of 50 rooms)."""

    def __init__(self, per_session: int = FAILURES, per_address: int = PER_ADDRESS, window: float = WINDOW,
                 clock=time.monotonic):
        self.sessions = Attempts(per_session, window, clock)
        self.addresses = Attempts(per_address, window, clock)

    def wait(self, client: Client) -> float:
        waits = [self.sessions.wait(client.session)]
        if client.address:
            waits.append(self.addresses.wait(client.address))
        return max(waits)

    def failed(self, client: Client) -> None:
        self.sessions.failed(client.session)
        if client.address:
            self.addresses.failed(client.address)
