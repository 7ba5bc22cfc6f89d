"""Read-only views: a link that shows a learner's work to someone else and never lets them change it.

The link carries a token of its own (``Store.view_token``), never the workspace id or the resume code, which both
open the work for writing. A session that arrived through such a link reads the store through ``ReadOnlyStore``:
the reading methods are listed, and every other attribute, a write added later included, refuses.
"""

from __future__ import annotations

import secrets
from typing import Any

__all__ = ["PARAM", "ReadOnly", "new_token", "READS", "ReadOnlyStore"]

PARAM = "view"  # the URL parameter that carries the token


class ReadOnly(PermissionError):
    """An action asked of a read-only view."""

    def __init__(self, asked: str):
        super().__init__(f"This is a read-only view of someone's work: nothing can be changed from here ({asked}).")
        self.asked = asked


def new_token() -> str:
    return secrets.token_urlsafe(16)  # 128 bits, 22 characters: as unguessable as a workspace id


# The store's methods that only read. Anything else a read-only session asks of the store is refused.
READS = frozenset(
    {
        "by_view",
        "exists",
        "last_scenario",
        "log",
        "runs",
        "events",
        "files",
        "file_bytes",
        "has_file",
        "datasets",
        "dataset",
        "dataset_record",
    }
)


class ReadOnlyStore:
    """The store as a read-only view sees it: the reading methods pass through; every other one raises."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name in READS:
            return getattr(self._store, name)
        raise ReadOnly(name)
