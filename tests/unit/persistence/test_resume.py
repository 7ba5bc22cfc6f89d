"""Resume codes, easy to read aloud and unguessable in practice; and the limits on guessing any secret, which stop a
guesser without ever refusing the right code because others typed wrong ones."""

import logging

import pytest

from datacentric.persistence import resume


class FakeTime:
    """A clock and a sleep for a ``Limiter``: a sleep moves the clock on (``advance``), or only notes how long."""

    def __init__(self, *, advance: bool = True):
        self.now, self.advance, self.slept = 1000.0, advance, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.advance:
            self.now += seconds


def limiter(time: FakeTime, **options) -> resume.Limiter:
    return resume.Limiter(clock=time, sleep=time.sleep, **options)


def typed(limits: resume.Limiter, client: resume.Client, code: str, *, right: str = resume.new_code()):
    """What the pages do with a typed code: True if it opens, False if it is wrong, None if the session must wait."""
    with limits.attempt(client) as turn:
        if turn.wait:
            return None
        if code == right:
            return True
        turn.failed(tried=code)
        return False


def test_codes_are_unique_and_use_only_characters_that_cannot_be_confused():
    codes = {resume.new_code() for _ in range(20_000)}
    assert len(codes) == 20_000
    assert all(len(c) == resume.LENGTH and set(c) <= set(resume.ALPHABET) for c in codes)
    assert not set("01OIL") & set(resume.ALPHABET)
    assert len(resume.ALPHABET) ** resume.LENGTH > 2**58  # about 10^17 guesses on average


def test_a_typed_code_may_differ_in_case_spaces_and_dashes():
    code = resume.new_code()
    assert resume.normalised(resume.shown(code).lower()) == code
    assert resume.normalised(" ".join(resume.shown(code).split("-"))) == code
    assert resume.normalised(code[:-1]) is None and resume.normalised(code[:-1] + "0") is None


def test_failures_past_the_limit_make_a_client_wait_and_the_window_forgives():
    now = [0.0]
    attempts = resume.Attempts(failures=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert attempts.wait("a") == 0
        attempts.failed("a")
    assert attempts.wait("a") == 60 and attempts.wait("b") == 0  # one client's guesses do not stop another
    now[0] = 61
    assert attempts.wait("a") == 0


def test_a_right_code_is_accepted_after_100_wrong_ones_from_the_same_address():
    time, right = FakeTime(), resume.new_code()
    limits = limiter(time)
    for i in range(100):  # 20 sessions behind one router, 5 wrong codes each: none of them is told to wait
        session = resume.Client(f"s{i // resume.FAILURES}", "10.0.0.7")
        assert typed(limits, session, resume.new_code(), right=right) is False
    time.slept.clear()
    assert typed(limits, resume.Client("the learner", "10.0.0.7"), right, right=right) is True
    assert 0 < sum(time.slept) <= limits.slowest  # slowed, for a few seconds at most
    time.slept.clear()
    assert typed(limits, resume.Client("next door", "10.0.0.8"), right, right=right) and not time.slept


def test_a_session_that_keeps_failing_waits_and_is_told_how_long():
    time, right = FakeTime(), resume.new_code()
    limits = limiter(time)
    for _ in range(resume.FAILURES):
        assert typed(limits, resume.Client("s1", "10.0.0.7"), "WRONGWRONG22", right=right) is False
        time.now += 60
    with limits.attempt(resume.Client("s1", "10.0.0.7")) as turn:
        # It waits until its first failure leaves the window: 5 minutes have passed of 15.
        assert turn.wait == resume.WINDOW - resume.FAILURES * 60
    assert resume.waiting(turn.wait) == f"try again in {(resume.WINDOW - resume.FAILURES * 60) // 60} minutes"
    assert typed(limits, resume.Client("s2", "10.0.0.7"), right, right=right)  # another session is not held up
    time.now += turn.wait
    assert typed(limits, resume.Client("s1", "10.0.0.7"), right, right=right)


@pytest.mark.parametrize(
    "seconds, said",
    [
        (0.2, "try again in 1 seconds"),
        (59.5, "try again in 60 seconds"),
        (60, "try again in 1 minute"),
        (61, "try again in 2 minutes"),
    ],
)
def test_a_wait_is_said_in_seconds_or_minutes_never_zero(seconds, said):
    assert resume.waiting(seconds) == said


def test_many_sessions_at_once_from_one_address_are_checked_one_at_a_time():
    from contextlib import ExitStack

    time = FakeTime()
    limits = limiter(time, per_address=3)
    for i in range(3 + resume.slowest_tries()):  # the allowance, then the quicker slowed tries
        typed(limits, resume.Client(f"s{i}", "10.0.0.7"), resume.new_code())
    time.advance = False  # every try now arrives at the same moment, as from many tabs at once
    time.slept.clear()
    with ExitStack() as held:
        turns = [held.enter_context(limits.attempt(resume.Client(f"tab {i}", "10.0.0.7"))) for i in range(10)]
    assert all(turn.wait == 0 for turn in turns)
    woken = sorted(time.slept)
    assert len(woken) == 10 and woken[0] >= limits.slowest
    assert all(later - earlier >= limits.slowest for earlier, later in zip(woken, woken[1:]))
    assert limits.delay("10.0.0.8") == 0  # another address is not held up


def guess_for_a_day(limits: resume.Limiter, time: FakeTime, *, burst: int | None = None) -> int:
    """Tries a guesser at one address gets checked in a day, each from a fresh session; with ``burst``, it tries that
    many as fast as it is let, then idles until its address is no longer slowed."""
    end, checked = time.now + 24 * 3600, 0
    while time.now < end:
        if burst is not None and checked % burst == 0 and checked:
            while limits.delay("198.51.100.9"):
                time.now += 10
        assert typed(limits, resume.Client(f"fresh {checked}", "198.51.100.9"), f"guess {checked}") is False
        checked += 1
    return checked


@pytest.mark.parametrize("burst", [None, resume.PER_ADDRESS, resume.PER_ADDRESS + resume.slowest_tries()])
def test_a_day_of_guessing_from_one_address_gets_no_more_tries_than_the_figures_say(burst):
    time = FakeTime()
    limits = limiter(time)
    checked = guess_for_a_day(limits, time, burst=burst)
    most = resume.most_tries_per_day()
    assert checked <= most
    if burst is None:  # hammering: one try per `slowest` seconds, the figure the comments' years rest on
        assert checked >= 24 * 3600 / limits.slowest
    # and what it leaves behind is at most a window's worth, not a day's
    assert len(limits.sessions._failed) + len(limits.targets._failed) <= 2 * 2 * most * resume.WINDOW / (24 * 3600)


def test_loopback_is_one_address_and_an_ipv6_network_is_one_too():
    assert {resume.network(a) for a in (None, "", "127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1")} == {
        resume.LOOPBACK
    }
    assert resume.network("::ffff:10.0.0.7") == resume.network("10.0.0.7") == "10.0.0.7"
    assert resume.network("2001:db8::1") == resume.network("2001:db8::ffff:1") != resume.network("2001:db8:0:1::1")
    time = FakeTime()
    limits = limiter(time)
    for i in range(60):  # fresh sessions from the same host: no address of their own, still one address
        typed(limits, resume.Client(f"local {i}"), resume.new_code())
    assert limits.delay(None) > 0 and limits.delay("127.0.0.1") == limits.delay(None)
    for i in range(60):
        typed(limits, resume.Client(f"v6 {i}", f"2001:db8::{i:x}"), resume.new_code())
    assert limits.delay("2001:db8::abcd") > 0 and limits.delay("2001:db8:0:1::1") == 0


def test_many_failures_at_one_code_are_logged_once_without_the_code_and_refuse_no_one(caplog):
    time, right = FakeTime(), resume.new_code()
    limits = limiter(time, what="room code")
    misread = resume.new_code()
    caplog.set_level(logging.WARNING, logger=resume.__name__)
    for i in range(2 * resume.TARGET_ALERT):  # a class misreading the projector, on three networks
        assert typed(limits, resume.Client(f"s{i}", f"10.0.{i % 3}.1"), misread, right=right) is False
    alerts = [r.getMessage() for r in caplog.records if "at one room code" in r.getMessage()]
    assert alerts == [
        f"{resume.TARGET_ALERT} failed tries at one room code within {resume.WINDOW // 60} minutes, "
        f"from 3 addresses and {resume.TARGET_ALERT} sessions: a room code misread, or guessing spread "
        "over addresses."
    ]
    assert misread not in caplog.text
    assert typed(limits, resume.Client("late", "10.0.0.1"), right, right=right)
    for i in range(resume.TARGET_ALERT - 1):  # one code each, as a guesser types them: nothing to say per code
        typed(limits, resume.Client(f"g{i}", "10.9.9.9"), resume.new_code())
    assert len([r for r in caplog.records if "at one room code" in r.getMessage()]) == 1
