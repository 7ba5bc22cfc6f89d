"""Untrusted text on screen: the payload catalogue through the one escaping path, and shortening for display."""

import re

import pytest

from datacentric.common.display import ELLIPSIS, WORD_JOINER, display_names, plain, shorten, shortened_text
from tests.payloads import MARKER, PAYLOADS, markup_in

MARKUP = [p for p in PAYLOADS if not re.match(r"\*\*|#|evil \||two", p)]  # what renders as more than styling


@pytest.mark.parametrize("payload", MARKUP)
def test_the_oracle_sees_the_markup_in_each_raw_payload(payload):
    assert markup_in(payload), payload  # else the tests below could not fail


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_reads_as_text_after_plain(payload):
    shown = plain(payload)
    assert markup_in(shown) == []
    assert "\n" not in shown
    # What the reader sees is the payload itself: unescaped and without word joiners, it is the same text.
    assert re.sub(r"\\(.)", r"\1", shown).replace(WORD_JOINER, "") == " ".join(payload.splitlines())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_is_safe_inside_the_apps_own_markdown(payload):
    assert markup_in(f"**Review item 3** for {plain(payload)}: given *{plain(payload, limit=20)}*") == []


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("short", 60, "short"),
        ("x" * 60, 60, "x" * 60),
        ("x" * 61, 60, "x" * 59 + ELLIPSIS),
        ("two\nlines", 60, "two lines"),
        ("abcdef", 4, "abc" + ELLIPSIS),
    ],
)
def test_shorten(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_a_limited_plain_cuts_before_escaping():
    assert plain("a" * 100_000 + "[x](https://evil.example)", limit=60).count("a") == 59


def test_a_long_text_is_cut_with_a_note_and_a_short_one_is_whole():
    assert shortened_text("word " * 10, limit=100) == ("word " * 10, None)
    text, note = shortened_text("w" * 30_000, limit=20_000)
    assert len(text) == 20_001 and note == "Shown: the first 20,000 of 30,000 characters."


def test_display_names_stay_distinct_when_shortened():
    names = ["a" * 100 + "1", "a" * 100 + "2", "b", "c" * 100]
    shown = display_names(names, limit=20)
    assert len(set(shown)) == 4 and all(len(s) <= 20 for s in shown)
    assert shown[2] == "b" and shown[3] == "c" * 19 + ELLIPSIS


def test_every_payload_carries_the_marker():
    assert all(MARKER in p.lower() for p in PAYLOADS)
