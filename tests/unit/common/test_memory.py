"""The byte-bounded cache: the budget holds, shared buffers count once, idle entries leave, one computation per key."""

import threading

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from datacentric.common.memory import ENTRY_BYTES, ByteCache, nbytes

MB = 2**20


def block(mb: float) -> np.ndarray:
    return np.zeros(int(mb * MB) // 8)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_least_recently_used_leave_first_and_the_budget_holds():
    cache = ByteCache(10 * MB)
    for key in "abcd":
        cache.put(key, block(3))
    assert "a" not in cache and all(k in cache for k in "bcd")
    cache.get("b", lambda: pytest.fail("b is cached"))  # b is now the most recent
    cache.put("e", block(3))
    assert "c" not in cache and all(k in cache for k in "bde")
    assert cache.used <= cache.budget and cache.evictions == 2


def test_shared_buffers_are_counted_once_and_freed_with_the_last_holder():
    shared = block(4)
    cache = ByteCache(100 * MB)
    cache.put("table", shared)
    cache.put("lab", (shared, block(2)))
    assert cache.used == shared.nbytes + 2 * MB + 2 * ENTRY_BYTES
    cache.discard("table")
    assert cache.used == shared.nbytes + 2 * MB + ENTRY_BYTES  # the lab still holds it
    cache.discard("lab")
    assert cache.used == 0


def test_a_view_counts_as_its_base():
    base = block(4)
    assert nbytes((base, base[:10], base.reshape(-1, 2))) == base.nbytes


@pytest.mark.parametrize(
    "value, expected",
    [
        (block(1), MB),
        (sparse.csr_matrix(np.eye(100)), 100 * 8 + 100 * 4 + 101 * 4),
        (pd.DataFrame({"x": np.zeros(1000)}), pd.DataFrame({"x": np.zeros(1000)}).memory_usage(deep=True).sum()),
    ],
)
def test_nbytes_reads_what_the_libraries_say(value, expected):
    assert abs(nbytes(value) - expected) <= 64  # a sparse matrix's index width may differ by platform


def test_a_value_over_the_whole_budget_is_returned_but_not_kept():
    cache = ByteCache(1 * MB)
    cache.put("small", block(0.5))
    assert cache.get("huge", lambda: block(2)).nbytes == 2 * MB
    assert "huge" not in cache and "small" in cache


def test_idle_entries_leave():
    clock = Clock()
    cache = ByteCache(10 * MB, idle_seconds=60, clock=clock)
    cache.put("old", block(1))
    clock.now = 30
    cache.put("new", block(1))
    clock.now = 70
    cache.sweep()
    assert "old" not in cache and "new" in cache
    clock.now = 200
    cache.sweep()
    assert len(cache) == 0 and cache.used == 0


def test_many_threads_asking_for_one_key_compute_it_once():
    cache = ByteCache(10 * MB)
    calls, start = [], threading.Barrier(8)

    def compute():
        calls.append(1)
        return block(1)

    def ask():
        start.wait()
        results.append(cache.get("k", compute))

    results = []
    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(results) == 8 and all(r is results[0] for r in results)
    assert cache.misses == 1 and cache.hits == 7


def test_a_failed_computation_is_not_kept_and_can_be_tried_again():
    cache = ByteCache(MB)
    with pytest.raises(RuntimeError):
        cache.get("k", lambda: (_ for _ in ()).throw(RuntimeError("no")))
    assert "k" not in cache and cache.get("k", lambda: 5) == 5


def test_the_budget_must_be_positive():
    with pytest.raises(ValueError):
        ByteCache(0)
