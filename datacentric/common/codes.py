"""Settings a URL carries as a short code (an annotator panel, a drift schedule): read one, or fall back to the
default with a sentence saying why."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar

from datacentric.common.display import shorten


class Coded(Protocol):
    @property
    def code(self) -> str: ...


T = TypeVar("T", bound=Coded)


def from_params(
    params: Mapping[str, str], key: str, parse: Callable[[str], T], default: T, what: str
) -> tuple[T, list[str]]:
    """The value coded in URL parameter ``key`` (read by ``parse``, which raises ``ValueError`` saying what is
    wrong), or ``default`` and the notice naming ``what`` could not be read, and why."""
    code = params.get(key)
    if not code:
        return default, []
    try:
        return parse(code), []
    except ValueError as error:
        return default, [f"The {what} {shorten(code)!r} could not be read ({error}); using {default.code}."]
