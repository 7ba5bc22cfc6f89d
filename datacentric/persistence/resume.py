"""Resume codes, and the limits on guessing any secret the app asks for (resume codes, room codes, the passcode).

A code is 12 characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L): 31^12, about 2^59 codes.
``Limiter`` stops guessers without locking out the right people: a browser session that keeps failing waits, and an
address that keeps failing is slowed down, never refused, so a right code gets in however many wrong ones others typed.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import logging
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = [
    "LOG",
    "ALPHABET",
    "LENGTH",
    "FAILURES",
    "WINDOW",
    "PER_ADDRESS",
    "STEP",
    "SLOWEST",
    "TARGET_ALERT",
    "LOOPBACK",
    "new_code",
    "shown",
    "normalised",
    "waiting",
    "network",
    "slowest_tries",
    "most_tries_per_day",
    "Attempts",
    "Client",
    "Turn",
    "Limiter",
]

LOG = logging.getLogger(__name__)

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
FAILURES = 5  # wrong codes a browser session may type ...
WINDOW = 15 * 60  # ... per this many seconds, after which it waits (a fresh session is cheap: this stops typos only)
PER_ADDRESS = 50  # wrong tries from one address per WINDOW before its tries are slowed: a class behind one router
STEP = 0.25  # seconds the first slowed try waits; each further failure doubles it ...
SLOWEST = 3.0  # ... up to this, the most the right person behind a guessing address waits (with no one else queued)
# What that leaves a guesser, per address (an IPv4 address, an IPv6 /64), from ``most_tries_per_day``: one try per
# SLOWEST seconds, plus the allowance and the few quicker slowed tries in each window, at most 33,984 a day for codes
# (32,064 for the passcode, which allows 30). Against 31^8 room codes with 50 rooms open, 2.0 x 10^-6 a day: about
# 1,400 years to expect a hit. Against 31^12 resume codes with 10,000 workspaces, about 6 million years. Against an
# 8-character passcode drawn at random from letters and digits (62^8), about 9 million years to expect it; from
# lowercase letters only (26^8), about 9,000 years; a passcode from a list of a million common ones falls in about
# 16 days, so a passcode must be random, not merely long.
TARGET_ALERT = 20  # failures at one target (a code that opens nothing, the passcode) per WINDOW that get logged
LOOPBACK = "loopback"  # the address of a same-host connection, for which Streamlit gives none


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """'ABCD-EFGH-JKMN': in groups of four, to read aloud."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalised(typed: str) -> str | None:
    """The code in ``typed`` (any case, spaces and dashes ignored), or None if it cannot be one."""
    code = "".join(c for c in str(typed).upper() if c not in " -\t")
    return code if len(code) == LENGTH and all(c in ALPHABET for c in code) else None


def waiting(seconds: float) -> str:
    """'try again in 14 minutes': how long a session over its own limit waits, in words."""
    if seconds < 60:
        return f"try again in {max(1, math.ceil(seconds))} seconds"
    minutes = math.ceil(seconds / 60)
    return f"try again in {minutes} minute{'s' if minutes > 1 else ''}"


@functools.lru_cache(maxsize=4096)  # parsed on every try; a class is a few addresses
def network(address: str | None) -> str:
    """What a client is counted on: an IPv4 address; an IPv6 address's /64, since a provider hands a whole /64 to one
    customer (counted one by one, a guesser there would have 2^64 addresses); ``LOOPBACK`` for a same-host connection
    (Streamlit reports none for 127.0.0.1 and ::1), so that one is counted too, not waved through."""
    if not address:
        return LOOPBACK
    try:
        ip = ipaddress.ip_address(address.split("%")[0])  # an IPv6 zone ("fe80::1%eth0") names no other host
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return LOOPBACK
    return str(ip) if ip.version == 4 else str(ipaddress.ip_network(f"{ip}/64", strict=False))


def slowest_tries(*, step: float = STEP, slowest: float = SLOWEST) -> int:
    """How many slowed tries in a row wait less than ``slowest`` (0.25, 0.5, 1 and 2 seconds: 4)."""
    return max(0, math.ceil(math.log2(slowest / step)))


def most_tries_per_day(
    *, per_address: int = PER_ADDRESS, window: float = WINDOW, step: float = STEP, slowest: float = SLOWEST
) -> float:
    """At most how many tries one address gets checked in a day, however it paces them: in any ``window``, at most
    ``per_address`` unslowed tries and the few slowed ones that wait less than ``slowest``; beyond those, one try per
    ``slowest`` seconds."""
    day = 24 * 3600
    return day / slowest + day / window * (per_address + slowest_tries(step=step, slowest=slowest))


class Attempts:
    """Failed tries per key (a session, an address), forgotten after ``window`` seconds."""

    def __init__(
        self, *, failures: int = FAILURES, window: float = WINDOW, clock: Callable[[], float] = time.monotonic
    ):
        self.failures, self.window, self.clock = failures, window, clock
        self._failed: dict[str, deque[float]] = {}
        self._swept = clock()
        self._lock = threading.Lock()

    def count(self, key: str) -> int:
        """Failures of ``key`` within the window."""
        with self._lock:
            return len(self._recent(key, self.clock()))

    def wait(self, key: str) -> float:
        """Seconds ``key`` must wait before trying again (0: it may try now)."""
        with self._lock:
            now = self.clock()
            recent = self._recent(key, now)
            return 0.0 if len(recent) < self.failures else self.window - (now - recent[-self.failures])

    def failed(self, key: str) -> int:
        """Count a failure of ``key``; returns its failures within the window, this one included."""
        with self._lock:
            now = self.clock()
            recent = self._failed[key] = self._recent(key, now)
            recent.append(now)
            if now - self._swept > self.window:  # keys that stopped failing would otherwise be kept for ever
                self._failed = {k: t for k, t in self._failed.items() if t and now - t[-1] < self.window}
                self._failed[key] = recent
                self._swept = now
            return len(recent)

    def _recent(self, key: str, now: float) -> deque[float]:
        recent = self._failed.get(key, deque())  # a key that never failed is not kept
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        return recent


@dataclass(frozen=True)
class Client:
    """Who is guessing: a browser session, and the network address it came from (None: a same-host connection)."""

    session: str
    address: str | None = None


class Turn:
    """One try at a secret, inside ``Limiter.attempt``: ``wait`` is 0 when the secret may be checked now, else the
    seconds this session must wait first (say so, and do not check); call ``failed`` when the secret was wrong."""

    def __init__(self, limiter: Limiter, client: Client, wait: float):
        self.limiter, self.client, self.wait = limiter, client, wait
        self.where = network(client.address)

    def failed(self, *, tried: str) -> None:
        """The secret ``tried`` was wrong: it counts against the session, the address and ``tried`` itself."""
        self.limiter._failed(self.client.session, self.where, tried)


class Limiter:
    """Limits on guessing one kind of secret (``what``: "room code"), per session, per address and per target.

    - A session that fails ``per_session`` times in ``window`` waits out the window (a typist's own typos; a fresh
      session is cheap, so this alone stops no guesser).
    - An address that has failed ``per_address`` times is slowed, never refused: each further try waits
      ``step`` seconds, doubling with each failure up to ``slowest``, and that address's tries are checked one at
      a time with at least that wait between them, so opening many sessions does not multiply a guesser's rate.
      The right secret then gets in, however many wrong ones came from its address (``most_tries_per_day``).
    - Failures at one target (the code tried, or the one passcode) are counted too: many of them, from however many
      addresses, are logged, never refused (a code misread from the projector, or guessing spread over addresses).

    ``clock`` and ``sleep`` are injectable, so a test runs a day of guessing in no time.
    """

    def __init__(
        self,
        *,
        what: str = "resume code",
        per_session: int = FAILURES,
        per_address: int = PER_ADDRESS,
        window: float = WINDOW,
        step: float = STEP,
        slowest: float = SLOWEST,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.what, self.per_address, self.step, self.slowest = what, per_address, step, slowest
        self.clock, self.sleep = clock, sleep
        self.sessions = Attempts(failures=per_session, window=window, clock=clock)
        self.addresses = Attempts(failures=per_address, window=window, clock=clock)
        self.targets = Attempts(failures=TARGET_ALERT, window=window, clock=clock)
        self._checking: dict[str, int] = {}  # tries of each address being checked now: counted before they fail
        self._next: dict[str, float] = {}  # when the next slowed try of each address may be checked
        self._seen: dict[str, tuple[float, set[str], set[str]]] = {}  # a target's last failure, addresses, sessions
        self._logged: dict[str, float] = {}  # when each address or target was last logged
        self._swept = clock()
        self._salt = secrets.token_bytes(16)  # targets are kept as keyed digests, never as the codes typed
        self._lock = threading.Lock()

    @contextmanager
    def attempt(self, client: Client) -> Iterator[Turn]:
        """One try by ``client``: waits out its address's slow-down (if any), then yields the ``Turn``."""
        wait = self.sessions.wait(client.session)
        if wait:
            yield Turn(self, client, wait)
            return
        turn = Turn(self, client, 0.0)
        where = turn.where
        with self._lock:
            self._checking[where] = self._checking.get(where, 0) + 1
            delay = self._slot(where)
        try:
            if delay > 0:
                self.sleep(delay)
            yield turn
        finally:
            with self._lock:
                self._checking[where] -= 1
                if not self._checking[where]:
                    del self._checking[where]

    def delay(self, address: str | None) -> float:
        """The slow-down a try from ``address`` would wait now, before any queue (0: none)."""
        with self._lock:
            return self._delay(network(address), 0)

    def _delay(self, where: str, checking: int) -> float:
        excess = self.addresses.count(where) + checking - self.per_address + 1  # its allowance spent, a try is slowed
        return 0.0 if excess <= 0 else min(self.slowest, self.step * 2 ** (excess - 1))

    def _slot(self, where: str) -> float:
        """Seconds this try waits: its slow-down, counted after the address's earlier slowed try (under the lock)."""
        delay = self._delay(where, self._checking[where] - 1)  # this try's own check is not yet a failure
        if not delay:
            return 0.0
        now = self.clock()
        at = max(now, self._next.get(where, now)) + delay
        self._next = {k: t for k, t in self._next.items() if t > now}  # past slots hold nothing up
        self._next[where] = at
        return at - now

    def _failed(self, session: str, where: str, tried: str) -> None:
        self.sessions.failed(session)
        from_there = self.addresses.failed(where)
        target = hmac.new(self._salt, str(tried).encode(), hashlib.sha256).hexdigest()[:32]
        at_target = self.targets.failed(target)
        with self._lock:
            now, window = self.clock(), self.addresses.window
            if now - self._swept > window:  # targets no one tries any more are forgotten, once a window
                self._seen = {k: v for k, v in self._seen.items() if now - v[0] < window}
                self._logged = {k: t for k, t in self._logged.items() if now - t < window}
                self._swept = now
            _, addresses, sessions = self._seen.get(target, (now, set(), set()))
            addresses.add(where)
            sessions.add(session)
            self._seen[target] = (now, addresses, sessions)
            slowed = from_there >= self.per_address and self._first_in_window(f"address {where}", now)
            alert = at_target >= TARGET_ALERT and self._first_in_window(f"target {target}", now)
            if alert:  # the next line, a window on, counts afresh
                del self._seen[target]
        if slowed:
            LOG.warning(
                "%d wrong %ss from %s within %d minutes: its further tries are slowed down (at most %g s "
                "each), never refused.",
                from_there,
                self.what,
                where,
                window // 60,
                self.slowest,
            )
        if alert:
            LOG.warning(
                "%d failed tries at one %s within %d minutes, from %d addresses and %d sessions: a %s misread, "
                "or guessing spread over addresses.",
                at_target,
                self.what,
                window // 60,
                len(addresses),
                len(sessions),
                self.what,
            )

    def _first_in_window(self, what: str, now: float) -> bool:
        """True once per window for ``what`` (under the lock), so the log says that something goes on, not each time."""
        if now - self._logged.get(what, -math.inf) < self.addresses.window:
            return False
        self._logged[what] = now
        return True
