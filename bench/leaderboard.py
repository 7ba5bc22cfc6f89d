"""What a class's leaderboards cost the server: 50 learners on Class, each page refreshing its leaderboard every
5 s (``st.fragment(run_every=5)``), while the class keeps submitting.

One app server on its own SQLite store. A room with a challenge on the digits is opened in that store, 50 learners
join it (each with a workspace of their own) and each submits once, so the board has 50 rows. Then 50 sessions,
one per learner (its workspace cookie, as its browser would send), open Class over Streamlit's websocket protocol
(bench/st_client.py: the server alone is measured, no browser on the same cores) and, from a random moment within
the first interval, send the fragment rerun their browser would send every interval the server named. One
learner submits every 2 s meanwhile (written to the store directly), so the board keeps changing.

Prints: the server's CPU time over the measured window as a share of one core, with the same 50 sessions open
and idle for the same length of time beside it (what Streamlit costs for open sessions at all), the refreshes
served, CPU per refresh, and each refresh's round trip (p50 / p95). Beside them, the floor: 50 sessions on a bare
page (bench/fragment_floor_app.py) whose fragment refreshes every 5 s and draws nothing, which is what Streamlit
itself spends on a refresh before the app draws anything.

Run: python bench/leaderboard.py [--learners 50] [--seconds 60] [--every 5]
"""

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import st_client  # noqa: E402
from bench.classroom import cpu_seconds  # noqa: E402
from datacentric.classroom.rooms import Challenge  # noqa: E402
from datacentric.classroom.roster import Roster  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402
from datacentric.persistence.store import Store  # noqa: E402
from tests.e2e.harness import AppServer  # noqa: E402

SCENARIO = Scenario("digits", "systematic", 30, 0, holdout=50)
PAGE = "classroom"
COOKIE = "dcp_workspace"


def open_room(url: str, learners: int):
    """A started challenge with ``learners`` members, each with one submission; (roster, room, workspaces)."""
    roster = Roster(Store(url))
    room = roster.open("Benchmark class", SCENARIO, Challenge(budget=40, cap=1_000, minutes=600))
    roster.start(room.code)
    members = [roster.join(room.code, f"Learner {i:02d}") for i in range(learners)]
    rng = random.Random(0)
    for m in members:
        roster.submit(m.workspace, version=0, actions=0, public=rng.uniform(0.8, 0.95), private=rng.uniform(0.8, 0.95))
    return roster, room, [m.workspace for m in members]


async def learner(
    port: int,
    workspace: str | None,
    seconds: float,
    every: float | None,
    rng: random.Random,
    trips: list[float],
    problems: list[str],
    ready: asyncio.Barrier,
    go: asyncio.Event,
) -> int:
    """One learner's page on Class: loaded, then (after everyone has loaded) refreshed as its browser would."""
    async with st_client.connect(port, f"{COOKIE}={workspace}" if workspace else None) as client:
        await client.load(PAGE if workspace else "", "")
        if workspace and not client.elements("dataframe"):
            problems.append(
                f"no leaderboard on the page: {[e.element.exception.message for e in client.elements('exception')]}"
            )
        fragments = dict(client.auto_reruns)
        await ready.wait()
        await go.wait()
        if every is None:  # the idle baseline: the page stays open, nothing refreshes
            await asyncio.sleep(seconds)
            return 0
        if len(fragments) != 1:
            problems.append(f"expected one self-refreshing fragment, found {fragments}")
            return 0
        ((fragment, interval),) = fragments.items()
        end = time.monotonic() + seconds
        next_at = time.monotonic() + rng.uniform(0, interval)  # browsers opened at different moments
        served = 0
        while next_at < end:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            start = time.perf_counter()
            await client.rerun_fragment(fragment)
            trips.append(time.perf_counter() - start)
            served += 1
            next_at += interval
        return served


async def submitting(roster: Roster, workspaces: list[str], stop: asyncio.Event) -> int:
    """One submission every 2 s, round the class, written straight to the store (the board's rows change)."""
    rng, n = random.Random(1), 0
    while workspaces and not stop.is_set():
        await asyncio.to_thread(
            roster.submit,
            workspaces[n % len(workspaces)],
            version=0,
            actions=n % 40,
            public=rng.uniform(0.8, 0.97),
            private=rng.uniform(0.8, 0.97),
        )
        n += 1
        try:
            await asyncio.wait_for(stop.wait(), 2.0)
        except TimeoutError:
            pass
    return n


async def window(server: AppServer, roster: Roster, workspaces: list[str], seconds: float, refresh: bool) -> dict:
    rng = random.Random(2)
    trips, problems = [], []
    ready, go, stop = asyncio.Barrier(len(workspaces) + 1), asyncio.Event(), asyncio.Event()
    tasks = [
        asyncio.create_task(
            learner(
                server.port,
                ws,
                seconds,
                5 if refresh else None,
                random.Random(rng.random()),
                trips,
                problems,
                ready,
                go,
            )
        )
        for ws in workspaces
    ]
    await ready.wait()
    await asyncio.sleep(2)  # let the loads' work settle before the window opens
    cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
    go.set()
    writer = asyncio.create_task(submitting(roster, [w for w in workspaces if w], stop))
    served = sum(await asyncio.gather(*tasks))
    cpu, wall = cpu_seconds(server.pid) - cpu0, time.monotonic() - t0
    stop.set()
    submitted = await writer
    return {"cpu": cpu, "wall": wall, "served": served, "trips": trips, "problems": problems, "submitted": submitted}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = AppServer(Path(folder), watch_files=False)
        roster, room, workspaces = open_room(server.db_url, args.learners)
        with server:
            print(f"server pid {server.pid} (for a profiler)", flush=True)
            idle = asyncio.run(window(server, roster, workspaces, args.seconds, refresh=False))
            busy = asyncio.run(window(server, roster, workspaces, args.seconds, refresh=True))
        bare = AppServer(
            Path(folder) / "floor", watch_files=False, script=str(Path(__file__).with_name("fragment_floor_app.py"))
        )
        with bare:
            floor = asyncio.run(window(bare, roster, [None] * len(workspaces), args.seconds, refresh=True))
    print(f"{args.learners} learners on Class, room {room.code}, {args.seconds:.0f} s windows")
    for problem in sorted(set(idle["problems"] + busy["problems"])):
        print("PROBLEM:", problem)
    for name, got in (("open and idle", idle), ("refreshing every 5 s", busy), ("floor: empty fragment", floor)):
        print(
            f"{name:>22}: server CPU {got['cpu']:.2f} s in {got['wall']:.1f} s = "
            f"{100 * got['cpu'] / got['wall']:.1f} % "
            f"of one core; {got['submitted']} submissions meanwhile"
        )
    trips = sorted(busy["trips"])
    if trips:
        extra = busy["cpu"] - idle["cpu"] * busy["wall"] / idle["wall"]
        print(
            f"refreshes served: {busy['served']} ({busy['served'] / busy['wall']:.1f} a second); "
            f"CPU per refresh {1000 * busy['cpu'] / busy['served']:.1f} ms "
            f"({1000 * extra / busy['served']:.1f} ms above the idle pages)"
        )
        print(
            f"refresh round trip: p50 {1000 * statistics.median(trips):.0f} ms, "
            f"p95 {1000 * trips[int(0.95 * (len(trips) - 1))]:.0f} ms, max {1000 * trips[-1]:.0f} ms"
        )


if __name__ == "__main__":
    main()
