"""Every DCP_* setting lives in settings.py with its default and help, and the table in docs/deployment.md says
the same."""

import re
from pathlib import Path

import pytest

from datacentric.common import settings

ROOT = Path(__file__).resolve().parents[3]
ROW = re.compile(r"^\| `(DCP_[A-Z_]+)` \| ([^|]+) \| ([^|]+) \|$", re.MULTILINE)


def test_the_deployment_page_lists_every_setting_with_its_default():
    rows = {name: default.strip() for name, default, _ in ROW.findall((ROOT / "docs" / "deployment.md").read_text())}
    assert rows == {name: s.default for name, s in settings.SETTINGS.items()}


def test_no_code_names_a_setting_the_registry_does_not_know():
    named = set()
    for path in [
        ROOT / "app.py",
        *(ROOT / "frame").glob("*.py"),
        *(ROOT / "datacentric").rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
    ]:
        named |= set(re.findall(r"DCP_[A-Z_]+[A-Z]", path.read_text()))
    assert named <= set(settings.SETTINGS), named - set(settings.SETTINGS)


@pytest.mark.parametrize("value, expected", [("", 7), ("  ", 7), ("12", 12), (" 3 ", 3)])
def test_a_whole_number_setting_or_its_default(value, expected):
    assert settings.positive_int("DCP_MAX_ROWS", {"DCP_MAX_ROWS": value}, default=7) == expected


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "lots", "10MB"])
def test_a_bad_number_names_the_setting(value):
    with pytest.raises(
        settings.SettingError, match=f"DCP_CACHE_MB must be a whole number above 0.*{re.escape(repr(value))}"
    ):
        settings.cache_bytes({"DCP_CACHE_MB": value})


def test_the_cache_budget_defaults_to_a_share_of_the_machine():
    assert settings.cache_bytes({"DCP_CACHE_MB": "300"}) == 300 * settings.MB
    default = settings.cache_bytes({})
    assert 256 * settings.MB <= default <= 1024 * settings.MB
    assert default == min(1024, max(256, settings.machine_memory() // 16 // settings.MB)) * settings.MB


def test_an_unknown_setting_is_a_programming_error():
    with pytest.raises(KeyError, match="not a setting"):
        settings.text("DCP_NOPE", {})
