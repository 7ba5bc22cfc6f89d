"""What durable commits cost a label action: SQLite's synchronous=FULL (the store's setting) against NORMAL.

In WAL mode, NORMAL syncs only at checkpoints, so a power cut can take back commits the page already
called saved; FULL syncs the write-ahead log at every commit. This times one label action's store write
(an append of one action, as Fix the labels does it), median of 200 each, on this machine's disk.
Run: python bench/store_write.py [folder]   (the folder holding the database; default: a temporary one)
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datacentric.lab.worklog import Action  # noqa: E402
from datacentric.persistence import store as store_module  # noqa: E402

N = 200


def append_times(folder: Path, synchronous: str) -> list[float]:
    store_module.SQLITE_SYNCHRONOUS = synchronous
    store = store_module.Store(f"sqlite:///{folder / f'{synchronous}.db'}")
    ws = store.create_workspace({"dataset": "digits"})
    times = []
    for i in range(N):
        start = time.perf_counter()
        store.append(ws, "digits-uniform-20-0", [Action("relabel", i, 1)], {"dataset": "digits"})
        times.append(time.perf_counter() - start)
    with store.engine.connect() as db:
        mode = db.exec_driver_sql("PRAGMA synchronous").scalar()
    assert mode == {"NORMAL": 1, "FULL": 2}[synchronous], mode
    return times


def main() -> None:
    with tempfile.TemporaryDirectory(dir=sys.argv[1] if len(sys.argv) > 1 else None) as tmp:
        results = {mode: append_times(Path(tmp), mode) for mode in ("NORMAL", "FULL")}
    for mode, times in results.items():
        ms = sorted(t * 1000 for t in times)
        print(
            f"synchronous={mode:6} one label action's store write: median {statistics.median(ms):.2f} ms, "
            f"p95 {ms[int(0.95 * len(ms))]:.2f} ms over {N}"
        )
    extra = statistics.median(results["FULL"]) - statistics.median(results["NORMAL"])
    print(f"durable commits cost {extra * 1000:+.2f} ms per label action (median)")


if __name__ == "__main__":
    main()
