"""A least-recently-used cache bounded by bytes, not by count; and how many bytes a value holds.

A server shares one cache among all its learners: prepared datasets, rankings and scores. A count
(six datasets, say) bounds nothing when one dataset is 5 MB and the next 300 MB; bytes do. Values
that share arrays or tables (a dataset and the lab built on it) are counted once. Memory that leaves
is handed back to the operating system, so a server's footprint falls when its learners go home.
"""

from __future__ import annotations

import ctypes
import dataclasses
import gc
import logging
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = [
    "T",
    "LOG",
    "TRIM_AFTER",
    "ENTRY_BYTES",
    "ByteCache",
    "nbytes",
    "buffers_of",
    "release_free_memory",
    "map_big_blocks",
]

T = TypeVar("T")
LOG = logging.getLogger(__name__)
TRIM_AFTER = 32 * 1024 * 1024  # bytes released before malloc_trim hands free memory back to the system
ENTRY_BYTES = 512  # a key and its bookkeeping, counted for every entry (scores are many and small)


class ByteCache:
    """Values by key, at most ``budget`` bytes of them; the least recently used leave first.

    ``idle_seconds``: an entry nobody asked for in that long leaves too (checked on every call and by a
    sweeper thread while the cache holds anything). A value bigger than the whole budget is computed and
    returned but not kept. ``get`` computes a missing value once, even when many threads ask at once.
    """

    def __init__(
        self,
        budget: int,
        *,
        idle_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sweep_every: float = 60.0,
    ):
        if budget < 1:
            raise ValueError(f"budget must be at least 1 byte, got {budget}")
        self.budget = budget
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._sweep_every = sweep_every
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._owners: dict[int, list[Any]] = {}  # id of a buffer -> [entries holding it, bytes, the object itself]
        self._lock = threading.RLock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._used = 0
        self._released = 0
        self._sweeper: threading.Thread | None = None
        self.hits = self.misses = self.evictions = 0

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def used(self) -> int:
        """Bytes held, each shared buffer counted once."""
        return self._used

    def peek(self, key: Hashable) -> Any:
        """The value kept for ``key``, or None: nothing is computed."""
        return self._lookup(key)[1]

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key``, computing (and keeping) it if missing."""
        found, value = self._lookup(key)
        if found:
            return value
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:  # one computation per key; the others wait for it, then find it
            found, value = self._lookup(key)
            if found:
                return value
            with self._lock:
                self.misses += 1
            try:
                value = compute()
                self.put(key, value)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key`` (replacing any), then shed the least recently used down to the budget."""
        buffers = buffers_of(value)
        size = sum(n for n, _ in buffers.values()) + ENTRY_BYTES
        with self._lock:
            self._drop(key)
            if size > self.budget:
                LOG.warning(
                    "Not caching %r: %.0f MB is over the cache budget of %.0f MB (DCP_CACHE_MB).",
                    key,
                    size / 2**20,
                    self.budget / 2**20,
                )
                return
            self._entries[key] = _Entry(value, set(buffers), self._clock())
            self._used += ENTRY_BYTES
            for ident, (n, obj) in buffers.items():
                if ident not in self._owners:
                    self._owners[ident] = [0, n, obj]
                    self._used += n
                self._owners[ident][0] += 1
            self._shed(keep=key)
        self._trim()
        self._start_sweeper()

    def discard(self, key: Hashable) -> None:
        with self._lock:
            self._drop(key)
        self._trim()

    def clear(self) -> None:
        with self._lock:
            for key in list(self._entries):
                self._drop(key)
        self._trim()

    def sweep(self) -> None:
        """Let entries idle for longer than ``idle_seconds`` go."""
        with self._lock:
            self._expire()
        self._trim()

    def _lookup(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            self._expire()
            entry = self._entries.get(key)
            if entry is None:
                return False, None
            self.hits += 1
            entry.used = self._clock()
            self._entries.move_to_end(key)
            return True, entry.value

    def _shed(self, *, keep: Hashable) -> None:
        self._expire()
        while self.used > self.budget and len(self._entries) > 1:
            oldest = next(key for key in self._entries if key != keep)
            self._drop(oldest)
            self.evictions += 1

    def _expire(self) -> None:
        if self.idle_seconds is None:
            return
        cutoff = self._clock() - self.idle_seconds
        for key in [key for key, entry in self._entries.items() if entry.used < cutoff]:
            self._drop(key)
            self.evictions += 1

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._used -= ENTRY_BYTES
        for ident in entry.buffers:
            owner = self._owners[ident]
            owner[0] -= 1
            if owner[0] == 0:
                self._used -= owner[1]
                self._released += owner[1]
                del self._owners[ident]

    def _trim(self) -> None:
        with self._lock:
            if self._released < TRIM_AFTER:
                return
            self._released = 0
        gc.collect()  # Streamlit's collection after every run is off (.streamlit/config.toml): free cycles here, rarely
        release_free_memory()

    def _start_sweeper(self) -> None:
        if self.idle_seconds is None:
            return
        with self._lock:
            if self._sweeper is not None and self._sweeper.is_alive():
                return
            self._sweeper = threading.Thread(target=self._sweep_while_full, name="cache-sweeper", daemon=True)
            self._sweeper.start()

    def _sweep_while_full(self) -> None:
        while True:
            time.sleep(self._sweep_every)
            self.sweep()
            with self._lock:
                if not self._entries:
                    self._sweeper = None
                    return


@dataclasses.dataclass
class _Entry:
    value: Any
    buffers: set[int]
    used: float


def nbytes(value: Any) -> int:
    """Bytes held by ``value``: arrays, sparse matrices, tables and strings, shared parts counted once."""
    return sum(n for n, _ in buffers_of(value).values())


def buffers_of(value: Any) -> dict[int, tuple[int, Any]]:
    """The memory-holding parts of ``value`` by identity: {id: (bytes, the part)}.

    The part itself is kept with its id so the id cannot be reused while the cache counts it.
    """
    found: dict[int, tuple[int, Any]] = {}
    _collect(value, found, set())
    return found


def _collect(value: Any, found: dict[int, tuple[int, Any]], seen: set[int]) -> None:
    if value is None or isinstance(value, (bool, int, float, complex)) or id(value) in seen:
        return
    seen.add(id(value))
    module = type(value).__module__.split(".")[0]
    if module == "numpy" and hasattr(value, "nbytes"):
        root = value
        while getattr(root, "base", None) is not None and hasattr(root.base, "nbytes"):
            root = root.base  # a view holds its base's memory
        found[id(root)] = (int(root.nbytes), root)
    elif module == "scipy" and hasattr(value, "tocsr"):
        parts = [getattr(value, name, None) for name in ("data", "indices", "indptr", "row", "col", "offsets")]
        found[id(value)] = (sum(int(p.nbytes) for p in parts if hasattr(p, "nbytes")), value)
    elif module == "pandas" and hasattr(value, "memory_usage"):
        usage = value.memory_usage(deep=True, index=True)
        found[id(value)] = (int(usage.sum() if hasattr(usage, "sum") else usage), value)
    elif isinstance(value, (str, bytes, bytearray)):
        found[id(value)] = (sys.getsizeof(value), value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _collect(getattr(value, field.name), found, seen)
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(key, found, seen)
            _collect(item, found, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _collect(item, found, seen)
    else:
        found[id(value)] = (sys.getsizeof(value), value)


def release_free_memory() -> None:
    """Hand memory freed inside the process back to the system (glibc's malloc_trim); a no-op elsewhere."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def map_big_blocks(threshold: int = 256 * 1024) -> None:
    """Have glibc give every block of ``threshold`` bytes or more its own mapping, returned to the system when
    freed. By default the threshold rises (to 32 MB) after big frees, and a table's columns then land in the
    heap, where freed memory stays with the process. A no-op where glibc is not the allocator."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(-3, threshold)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass
