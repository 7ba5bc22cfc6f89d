"""Resume codes: easy to read aloud, unguessable in practice, and a client that keeps guessing is made to wait."""
from datacentric import resume


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
