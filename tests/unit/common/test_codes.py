"""A URL's short codes (an annotator panel, a drift schedule) are read by one function: the value, or the default
with a notice that quotes the code as given and the parser's reason."""

from datacentric.common.codes import from_params
from datacentric.crowd.panels import DEFAULT_PANEL, parse_code, parse_panel
from datacentric.deployment.drift import DEFAULT_SCHEDULE, parse_schedule


def test_a_missing_or_empty_code_is_the_default_without_a_notice():
    assert parse_panel({}) == (DEFAULT_PANEL, [])
    assert parse_schedule({"drift": ""}) == (DEFAULT_SCHEDULE, [])


def test_a_good_code_is_read_and_a_bad_one_falls_back_saying_why():
    panel = parse_code("40x60r-10x30r-k5")
    assert parse_panel({"panel": panel.code}) == (panel, [])
    value, said = from_params({"panel": "40x60q-k5"}, "panel", parse_code, DEFAULT_PANEL, "annotator panel")
    assert value == DEFAULT_PANEL
    assert said[0].startswith("The annotator panel '40x60q-k5' could not be read (")
    assert said[0].endswith(f"using {DEFAULT_PANEL.code}.")
    schedule, said = parse_schedule({"drift": "nonsense"})
    assert schedule == DEFAULT_SCHEDULE and "drift schedule 'nonsense' could not be read" in said[0]
