"""Every ``DCP_*`` setting in one place: its default and what it is for. The table in docs/deployment.md is tested
against this."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "MB",
    "SettingError",
    "Setting",
    "SETTINGS",
    "positive_int",
    "text",
    "cache_bytes",
    "default_cache_mb",
    "UNKNOWN_MEMORY",
    "machine_memory",
]

MB = 1024 * 1024


class SettingError(ValueError):
    """A setting holds a value the app cannot use; ``str(err)`` names the variable and what it accepts."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as it reads in docs/deployment.md's table
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "DCP_DATABASE_URL",
            "a SQLite file, var/playground.db",
            "The store's SQLAlchemy URL (learners' work, files and datasets); also `[database] url` in "
            ".streamlit/secrets.toml. Use PostgreSQL for more than one server process.",
        ),
        Setting("DCP_MAX_ROWS", "50000", "Rows of data per uploaded file; a bigger file is refused while it is read."),
        Setting("DCP_MAX_COLUMNS", "200", "Columns per uploaded file."),
        Setting(
            "DCP_MAX_UPLOAD_MB",
            "50",
            "Megabytes per uploaded file; raise `maxUploadSize` under `[server]` in .streamlit/config.toml with it.",
        ),
        Setting(
            "DCP_HUB_LOCAL_ROOT",
            "unset: no server folder is read",
            "A server folder whose subfolders (in the Hub's format) learners may load by name on Your data.",
        ),
        Setting(
            "DCP_INSTRUCTOR_PASSCODE",
            "unset: no one can open Teach",
            "The passcode that opens the Teach page (rooms, the challenge, the class's view); at least 8 "
            "characters; "
            "also `passcode` under `[instructor]` in .streamlit/secrets.toml.",
        ),
        Setting(
            "DCP_INSTRUCTOR_EMAILS",
            "unset",
            "Where the deployment signs people in with OpenID Connect (`[auth]` in secrets.toml, see Streamlit's "
            "st.login): the e-mail addresses, comma-separated, that open Teach without the passcode.",
        ),
        Setting(
            "DCP_TRUSTED_PROXIES",
            "unset: no proxy is believed",
            "The proxies (addresses or networks, comma-separated, such as 172.18.0.0/16) whose X-Forwarded-For and "
            "X-Forwarded-Proto name a learner's address and HTTPS; behind the documented proxy, its network. "
            "Without it every learner behind a proxy shares the proxy's address in the guess limits, and cookies "
            "are not marked Secure.",
        ),
        Setting(
            "DCP_CACHE_MB",
            "a sixteenth of the machine's memory, 256 to 1024",
            "Megabytes the server keeps of prepared datasets, rankings and scores, shared by all learners; "
            "the least recently used leave first.",
        ),
        Setting(
            "DCP_FIGURES_DIR",
            "var/figures",
            "Folder where Home's figures of each built-in scenario are kept (a small JSON file each, named by the "
            "libraries' versions and the app's code), so a fresh server's first page draws them without a fit.",
        ),
    )
}


def positive_int(name: str, environ: Mapping[str, str] | None = None, *, default: int) -> int:
    """The whole number above 0 in ``name`` (``default`` when unset or blank), or SettingError."""
    _known(name)
    value = (os.environ if environ is None else environ).get(name, "").strip()
    if not value:
        return default
    number = int(value) if re.fullmatch(r"\d+", value) else 0
    if number < 1:
        raise SettingError(
            f"{name} must be a whole number above 0 (the default is {default}), not {value!r}. "
            "Fix it or remove it, then restart the app (see docs/deployment.md, 'Settings')."
        )
    return number


def text(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The setting's text, stripped; None when unset or blank."""
    _known(name)
    value = (os.environ if environ is None else environ).get(name, "").strip()
    return value or None


def cache_bytes(environ: Mapping[str, str] | None = None) -> int:
    """DCP_CACHE_MB in bytes; by default a sixteenth of the memory this process may use, between 256 and 1024 MB."""
    return positive_int("DCP_CACHE_MB", environ, default=default_cache_mb()) * MB


def default_cache_mb() -> int:
    return min(1024, max(256, machine_memory() // 16 // MB))


# Where the machine's memory cannot be read without a further package (Windows has no os.sysconf): the cache's floor.
UNKNOWN_MEMORY = 4096 * MB


def machine_memory() -> int:
    """Bytes of memory this process may use: the container's limit (cgroup v2 or v1) if lower than the machine's."""
    if hasattr(os, "sysconf"):
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    else:
        physical = UNKNOWN_MEMORY
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path) as limit:
                value = limit.read().strip()
        except OSError:
            continue
        if value.isdigit():
            physical = min(physical, int(value))
    return physical


def _known(name: str) -> None:
    if name not in SETTINGS:
        raise KeyError(f"{name} is not a setting; add it to SETTINGS with its default and help.")
