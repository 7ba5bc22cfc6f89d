"""Refusing an upload over the row limit: time, memory, and how much it slows other learners.

Two versions of datacentric/data/tables.py side by side: "before", as of BEFORE (the row limit checked
after the whole file was parsed; `--before REF` picks another git ref), loaded from `git show`,
and "after", the working tree's. Every read_csv runs with the default Limits (50,000 rows).
- One call: a 12,200,001-line file of tiny rows (b"a,b\\n" + b"1,2\\n" * 12,200,000, 46.5 MiB), over
  the limit; and, for information, a valid maximum-size file (50,000 rows x 200 numeric columns,
  47.7 MiB). Seconds until read_csv returns or raises, and the call's peak memory: the rise in
  resource.getrusage(RUSAGE_SELF).ru_maxrss across the call (what the OS saw, C allocations
  included), each the median of 3 fresh processes that read the file from disk first. Linux
  carries ru_maxrss over from the process that starts a child, so those are started by this
  script while it is still small, and the files are written by a child of their own.
- Other learners: in this process, seconds of a label action (train_and_score on digits with 20 %
  uniform noise, the app's fixed model), median of 20, alone and while another thread submits one
  of the files to read_csv again and again (Streamlit runs sessions as threads of one process),
  or once a second.
Run by hand, never by pytest: python bench/csv_limits.py
"""

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEFORE = "e83ad35c5d0e2e74f0bd59bee1533d9f231c7f0e"  # the last commit before reading stopped at the row limit
TINY_ROWS = 12_200_000
WIDE_ROWS, WIDE_COLUMNS = 50_000, 200
RUNS = 3
ACTIONS = 20
FILES = {
    "tiny": f"{TINY_ROWS + 1:,}-line file of tiny rows",
    "wide": f"valid file, {WIDE_ROWS:,} rows x {WIDE_COLUMNS} numeric columns",
}


def load(source: Path, name: str):
    """The module at `source`, imported as `name` (two versions of tables.py live side by side)."""
    spec = importlib.util.spec_from_file_location(name, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def write_files(folder: Path) -> None:
    import numpy as np

    (folder / "tiny.csv").write_bytes(b"a,b\n" + b"1,2\n" * TINY_ROWS)
    cells = [f"0.{i:02d}".encode() for i in range(100)]  # 4 characters a value: 1,000 bytes a row
    values = np.random.default_rng(0).integers(0, 100, size=(WIDE_ROWS, WIDE_COLUMNS)).tolist()
    header = ",".join(f"f{j}" for j in range(WIDE_COLUMNS)).encode()
    rows = (b",".join(cells[v] for v in row) for row in values)
    (folder / "wide.csv").write_bytes(b"\n".join([header, *rows]) + b"\n")


def measure_one(module_path: Path, csv_path: Path) -> None:
    """In a fresh process: one read_csv of the file; prints seconds, the MiB ru_maxrss rose by, and the outcome."""
    tables = load(module_path, "tables_measured")
    raw = csv_path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    start = time.perf_counter()
    try:
        outcome = "read {:,} x {}".format(*tables.read_csv(raw).frame.shape)
    except tables.TableError as error:
        outcome = f"TableError: {str(error)[:80]}..."
    seconds = time.perf_counter() - start
    rise = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(json.dumps({"seconds": seconds, "mib": rise, "outcome": outcome}))


def child(*args: str) -> str:
    return subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True).stdout


def measure(module_path: Path, csv_path: Path) -> dict:
    """Medians over RUNS fresh processes; the first one's outcome."""
    runs = [json.loads(child("--measure", str(module_path), str(csv_path)).splitlines()[-1]) for _ in range(RUNS)]
    return {
        "seconds": statistics.median(run["seconds"] for run in runs),
        "mib": statistics.median(run["mib"] for run in runs),
        "outcome": runs[0]["outcome"],
    }


def submit(tables, raw: bytes):
    """A function that hands `raw` to read_csv as an upload, refused or not."""

    def read():
        try:
            tables.read_csv(raw)
        except tables.TableError:
            pass

    return read


def label_actions(lab, *, reading=None, pause: float = 0.0) -> tuple[float, int]:
    """Median seconds of ACTIONS label actions while a thread calls `reading()`, waiting `pause` s between
    calls; and how many calls it made meanwhile."""
    from datacentric.lab.evaluate import train_and_score

    stop, reads = threading.Event(), []

    def read_again():
        while not stop.is_set():
            reading()
            reads.append(1)
            stop.wait(pause)

    thread = threading.Thread(target=read_again, daemon=True)
    if reading:
        thread.start()
        time.sleep(0.1)  # the reader is into its first file
    times = []
    for _ in range(ACTIONS):
        start = time.perf_counter()
        train_and_score(lab, lab.noisy_labels)
        times.append(time.perf_counter() - start)
    stop.set()
    if reading:
        thread.join()
    return statistics.median(times), len(reads)


def compare(before_ref: str) -> None:
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = subprocess.run(
            ["git", "show", f"{before_ref}:datacentric/data/tables.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        versions = {"before": folder / "tables_before.py", "after": ROOT / "datacentric" / "tables.py"}
        versions["before"].write_text(source)
        child("--write", tmp)
        files = {key: folder / f"{key}.csv" for key in FILES}
        figures = {(key, version): measure(module, files[key]) for key in files for version, module in versions.items()}

        print(f"tables.py before: {before_ref[:7]}; after: the working tree. read_csv with the default Limits().\n")
        print(f"{'one read_csv call, median of 3 fresh processes':<66}{'before':>10}{'after':>10}")
        for key, title in FILES.items():
            before, after = figures[key, "before"], figures[key, "after"]
            print(f"{title} ({files[key].stat().st_size / 2**20:.1f} MiB)")
            print(f"{'  seconds until it returns or raises':<66}{before['seconds']:>10.2f}{after['seconds']:>10.2f}")
            what = "  peak memory of the call, MiB (rise in ru_maxrss)"
            print(f"{what:<66}{before['mib']:>10.0f}{after['mib']:>10.0f}")
            print(f"    before: {before['outcome']}\n    after:  {after['outcome']}")

        from datacentric.lab.evaluate import train_and_score
        from datacentric.lab.prepare import prepare
        from datacentric.lab.scenario import Scenario

        lab = prepare(Scenario())
        train_and_score(lab, lab.noisy_labels)  # warm imports
        modules = {version: load(path, f"tables_{version}") for version, path in versions.items()}
        raws = {key: path.read_bytes() for key, path in files.items()}
        alone = label_actions(lab)[0]
        situations = {
            "a thread submits the tiny-row file again and again": ("tiny", 0.0),
            "a thread submits the tiny-row file once a second": ("tiny", 1.0),
            "a thread reads the valid file again and again": ("wide", 0.0),
        }
        print(f"\nlabel action (train_and_score, {lab.scenario.slug}), seconds, median of {ACTIONS}")
        print(f"{'  while':<66}{'before':>10}{'after':>10}")
        for what, (key, pause) in situations.items():
            (before, before_reads), (after, after_reads) = (
                label_actions(lab, reading=submit(modules[version], raws[key]), pause=pause) for version in versions
            )
            print(f"{'    ' + what:<66}{before:>10.2f}{after:>10.2f}")
            print(f"{'      (read_csv calls the thread made meanwhile)':<66}{before_reads:>10}{after_reads:>10}")
        # Measured again: other work on the machine shows as a change between the two.
        alone_again = label_actions(lab)[0]
        print(f"{'  alone, before the above and after it':<66}{alone:>10.2f}{alone_again:>10.2f}")
        if max(alone, alone_again) > 1.5 * min(alone, alone_again):
            print("  (the two differ: something else was using the CPUs, so the label-action figures are unreliable)")
    print(
        f"\nload average at the start and the end: {load_at_start:.1f} and {os.getloadavg()[0]:.1f}, "
        f"on {os.cpu_count()} CPUs (other work on the machine slows the label actions)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default=BEFORE, help="git ref of the tables.py to compare with")
    parser.add_argument("--measure", nargs=2, type=Path, metavar=("MODULE", "CSV"), help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path, metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure_one(*args.measure)
    elif args.write:
        write_files(args.write)
    else:
        compare(args.before)


if __name__ == "__main__":
    main()
