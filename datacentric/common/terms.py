"""A term the app names and explains: a key for code, a name for people, and one line on what it means."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Term", "by_key"]


@dataclass(frozen=True)
class Term:
    key: str
    name: str
    explain: str


def by_key(*terms: Term) -> dict[str, Term]:
    """The terms in their order, by key."""
    return {term.key: term for term in terms}
