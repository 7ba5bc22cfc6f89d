"""The browser tests fail on a deprecation in a server's log (tests/e2e/conftest.py): the check finds Streamlit's
notices and Python's warnings, and nothing else, reading each log once and a line only when it is whole."""

from tests.e2e.harness import SHOW_WARNINGS, deprecations

LOG = (
    "  You can now view your Streamlit app in your browser.\n"
    "2026-12-07 05:40:01.123 Please replace `use_container_width` with `width`.\n"
    "`use_container_width` will be removed after 2025-12-31.\n"
    "/app/datacentric/x.py:3: DeprecationWarning: datetime.utcnow() is deprecated\n"
    "/lib/pandas/core.py:9: FutureWarning: Downcasting object dtype arrays is deprecated\n"
    "A label action took 0.07 s\n"
)


def test_the_check_finds_streamlits_notices_and_pythons_warnings_and_nothing_else(tmp_path):
    log = tmp_path / "server-1.log"
    log.write_text(LOG)
    found, end = deprecations(log)
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in found] == ["3", "4", "5"]
    assert end == len(LOG.encode())
    assert deprecations(log, end) == ([], end)  # read once


def test_a_line_still_being_written_waits_for_its_end_unless_the_log_is_final(tmp_path):
    log = tmp_path / "server-1.log"
    log.write_text("ok\n`st.foo` will be removed after")
    found, end = deprecations(log)
    assert found == [] and end == 3
    found, _ = deprecations(log, end, final=True)
    assert len(found) == 1 and found[0].startswith(f"{log}:2:")


def test_the_servers_show_every_deprecation_warning():
    assert {"default::DeprecationWarning", "default::FutureWarning"} <= set(SHOW_WARNINGS.split(","))
