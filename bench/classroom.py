"""A class at once: simulated learners against two app servers sharing PostgreSQL.

Each learner has its own session (its own cookie, so its own private workspace) on Fix the labels, and takes
label actions one after another, alternating "Accept suggestion" and "Label is right", with a pause before each
click as a person reads the card (4 s on average, each pause 2-6 s, seeded; --jitter 0 makes the whole class click
in step, the servers' worst case). Learners are spread over two server processes; half-way, each one's connection
moves to the other process (a proxy rebalancing, a server restarting), with its workspace cookie, and it carries on.

A learner is driven one of two ways (--client):
- protocol (the default): a small Python client speaking Streamlit's own websocket protocol (bench/st_client.py),
  sending the messages a browser sends and reading what the server draws, with no rendering: the servers are the
  only thing measured, so 50 learners fit on this machine;
- browser: a Chromium context through Playwright. Each page burns about half a second of CPU per action drawing
  charts, on the same 2 cores as the servers and PostgreSQL, so with many learners this measures Chromium
  contention and its latencies are an upper bound for a class whose browsers run on their own laptops.

Prints, with the setup:
- actions lost: clicks the page confirmed (its "Actions taken" figure reached the click's number) minus the
  actions found in the learner's log in the database afterwards, and any learner whose undo groups repeat;
- latency, p50 / p95 / max. Protocol: from the click until the server's message showing the new "Actions taken"
  figure arrives, and until the run it started has finished (all it redraws has arrived). Browser: from the click
  until the page shows the new figure with nothing stale left (the server's run and the browser's drawing);
- each server's resident memory (process tree), at the start and at its peak, and the CPU time it used from
  the learners' arrival to the end, per action it served (page loads included).

Run: python bench/classroom.py [--client protocol|browser] [--learners 50] [--actions 20] [--at-once 50]
     [--pause 4.0] [--jitter 0.5]
"""

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import async_playwright  # noqa: E402

from bench import st_client  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402
from datacentric.persistence.store import Store  # noqa: E402
from tests.e2e.harness import CHROMIUM_ARGS, AppServer, chromium_path, rss_mib  # noqa: E402
from tests.postgres import Postgres  # noqa: E402

SCENARIO = Scenario("digits", "uniform", 20, 0)
QUERY = "&".join(f"{k}={v}" for k, v in SCENARIO.to_params().items())
PAGE = "fix_labels"
LOAD_TIMEOUT = 180_000  # ms: 50 learners arriving at once on 2 cores
COOKIE = "dcp_workspace"
ACTIONS = "Actions taken"
# The "Actions taken" figure as the page shows it, read in the browser (polled on every animation frame, so
# the time is not rounded up to an assertion's polling interval).
ACTIONS_SHOWN = """n => {
    const metric = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .find(m => m.innerText.includes('Actions taken'));
    const value = metric && metric.querySelector('[data-testid="stMetricValue"]');
    return value !== null && value !== undefined && value.innerText.trim() === String(n)
        && document.querySelectorAll('[data-stale="true"]').length === 0;
}"""
BUTTONS = ("Accept suggestion", "Label is right")
FRESH_PAGE = "click to fresh metrics on the page"
FIGURE_SENT = "click to the new 'Actions taken' from the server"
RUN_FINISHED = "click to run finished"


class Peak:
    """Each server's resident memory, sampled twice a second in a thread."""

    def __init__(self, servers):
        self.servers = servers
        self.start = [rss_mib(s.pid) for s in servers]
        self.peak = list(self.start)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.5):
            for i, server in enumerate(self.servers):
                self.peak[i] = max(self.peak[i], rss_mib(server.pid))

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and of the children it has waited for (the app starts none)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(ticks) for ticks in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime


class Room:
    """What a class did, gathered as its learners go: their results, latencies by name, the actions each server
    confirmed, problems, and each server's CPU time from the learners' arrival (after the warm-up) to the end."""

    def __init__(self, servers, timings: tuple[str, ...]):
        self.servers = servers
        self.results: list[dict] = []
        self.timings: dict[str, list[float]] = {name: [] for name in timings}
        self.served = [0] * len(servers)
        self.problems: list[str] = []
        self.cpu: list[float] = []  # seconds each server used between open() and close()
        self.elapsed = 0.0

    def open(self) -> None:
        self._cpu_at_open = [cpu_seconds(s.pid) for s in self.servers]
        self._started = time.perf_counter()

    def close(self, results: list[dict]) -> None:
        self.elapsed = time.perf_counter() - self._started
        self.cpu = [cpu_seconds(s.pid) - before for s, before in zip(self.servers, self._cpu_at_open)]
        self.results = results

    def failed(self, number: int, confirmed: int, error: Exception) -> None:
        first_line = (str(error).splitlines() or [type(error).__name__])[0]  # a timeout has no message
        self.problems.append(f"learner {number} after {confirmed} actions: {first_line}")


# --- Browser learners: Chromium through Playwright -------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """How long a learner reads a card before clicking: ``mean`` seconds, spread evenly over +/- ``jitter`` of it,
    drawn per learner and action from a fixed seed (the same class every run). With no jitter every learner clicks
    in step with the others: the worst case for the servers."""

    mean: float
    jitter: float

    async def before(self, learner: int, action: int) -> None:
        spread = random.Random(f"{learner}/{action}").uniform(-self.jitter, self.jitter)
        await asyncio.sleep(self.mean * (1 + spread))


async def open_fix_labels(page, base: str) -> None:
    await page.goto(f"{base}/{PAGE}?{QUERY}", timeout=LOAD_TIMEOUT)
    await page.get_by_role("button", name=BUTTONS[0]).first.wait_for(timeout=LOAD_TIMEOUT)
    await page.wait_for_function(
        "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=LOAD_TIMEOUT, polling=100
    )


async def browser_learner(
    browser, number: int, actions: int, pause: Pause, gate: asyncio.Semaphore, room: Room
) -> dict:
    async with gate:
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        confirmed = 0
        try:
            for n in range(1, actions + 1):
                if n == 1 or n == actions // 2 + 1:  # arrive on one server; half-way, move to the other
                    at = (number + (n > 1)) % 2
                    await open_fix_labels(page, room.servers[at].url)
                    await page.wait_for_function(ACTIONS_SHOWN, arg=n - 1, timeout=LOAD_TIMEOUT, polling=100)
                button = page.get_by_role("button", name=BUTTONS[n % 2]).first
                await button.wait_for(timeout=LOAD_TIMEOUT)
                await pause.before(number, n)
                start = time.perf_counter()
                await button.click(timeout=LOAD_TIMEOUT)
                await page.wait_for_function(ACTIONS_SHOWN, arg=n, timeout=LOAD_TIMEOUT, polling="raf")
                room.timings[FRESH_PAGE].append(time.perf_counter() - start)
                confirmed = n
                room.served[at] += 1
        except Exception as error:  # noqa: BLE001 - one learner's failure is a figure, not the end of the run
            room.failed(number, confirmed, error)
        workspace = next((c["value"] for c in await context.cookies() if c["name"] == COOKIE), None)
        await context.close()
        return {"confirmed": confirmed, "workspace": workspace}


async def run_browser_class(room: Room, learners: int, actions: int, at_once: int, pause: Pause) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        warm = await browser.new_page()
        for server in room.servers:  # each process prepares the scenario once, before the class arrives
            await open_fix_labels(warm, server.url)
        await warm.close()
        gate = asyncio.Semaphore(at_once)
        room.open()
        results = await asyncio.gather(
            *(browser_learner(browser, i, actions, pause, gate, room) for i in range(learners))
        )
        room.close(results)
        await browser.close()


# --- Protocol learners: Streamlit's websocket protocol, no browser ---------------------------------------------


async def protocol_learner(number: int, actions: int, pause: Pause, gate: asyncio.Semaphore, room: Room) -> dict:
    """The browser learner's journey over the protocol: a first half on one server, then a new connection to the
    other carrying the workspace cookie the page wrote, as the browser's cookie jar would."""
    load_timeout = LOAD_TIMEOUT / 1000
    async with gate:
        confirmed, workspace = 0, None
        try:
            for half, count in enumerate((actions // 2, actions - actions // 2)):
                at = (number + half) % 2
                cookie = f"{COOKIE}={workspace}" if workspace else None
                async with st_client.connect(room.servers[at].port, cookie) as client:
                    async with asyncio.timeout(load_timeout):
                        await client.load(PAGE, QUERY)
                    shown = client.metrics().get(ACTIONS)
                    if shown != str(confirmed):
                        raise RuntimeError(f"the page opened showing {shown} actions taken, not {confirmed}")
                    for n in range(confirmed + 1, confirmed + count + 1):
                        button = client.button(BUTTONS[n % 2])
                        await pause.before(number, n)
                        start = time.perf_counter()
                        async with asyncio.timeout(load_timeout):
                            run = await client.click(button, watch=(ACTIONS, str(n)))
                        if run.shown_at is None:
                            raise RuntimeError(
                                f"the click's run ended showing {client.metrics().get(ACTIONS)} actions taken, not {n}"
                            )
                        room.timings[FIGURE_SENT].append(run.shown_at - start)
                        room.timings[RUN_FINISHED].append(run.finished_at - start)
                        confirmed = n
                        room.served[at] += 1
                        workspace = workspace or client.cookie_written(COOKIE)
        except Exception as error:  # noqa: BLE001 - one learner's failure is a figure, not the end of the run
            room.failed(number, confirmed, error)
        return {"confirmed": confirmed, "workspace": workspace}


async def run_protocol_class(room: Room, learners: int, actions: int, at_once: int, pause: Pause) -> None:
    for server in room.servers:  # each process prepares the scenario once, before the class arrives
        async with st_client.connect(server.port) as client:
            await client.load(PAGE, QUERY)
    gate = asyncio.Semaphore(at_once)
    room.open()
    room.close(await asyncio.gather(*(protocol_learner(i, actions, pause, gate, room) for i in range(learners))))


CLIENTS = {"protocol": (run_protocol_class, (FIGURE_SENT, RUN_FINISHED)), "browser": (run_browser_class, (FRESH_PAGE,))}


def count_lost(store: Store, results: list[dict]) -> tuple[int, int, int]:
    """(actions lost, learners whose undo groups repeat, actions found in the database)."""
    lost = repeated = found = 0
    for result in results:
        log = store.log(result["workspace"], SCENARIO.slug) if result["workspace"] else []
        found += len(log)
        lost += max(0, result["confirmed"] - len(log))
        repeated += len({a.group for a in log}) != len(log)
    return lost, repeated, found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--client",
        choices=sorted(CLIENTS),
        default="protocol",
        help="how a learner is driven: Streamlit's websocket protocol, or a Chromium page",
    )
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--actions", type=int, default=20)
    parser.add_argument("--at-once", type=int, default=50, help="learners in the room at the same time")
    parser.add_argument("--pause", type=float, default=4.0, help="seconds a learner reads a card before clicking")
    parser.add_argument(
        "--jitter",
        type=float,
        default=0.5,
        help="each pause varies evenly by this share of --pause either way (0: all click in step)",
    )
    args = parser.parse_args()
    run_class, timings = CLIENTS[args.client]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tempfile.mkdtemp(prefix="dcp-postgres-"))  # its own: the postgres user must reach it
        postgres = Postgres(folder).start()
        servers = []
        try:
            url = postgres.new_database("classroom")
            servers = [AppServer(Path(tmp) / name, db_url=url, watch_files=False).start() for name in ("a", "b")]
            memory = Peak(servers)
            room = Room(servers, timings)
            asyncio.run(run_class(room, args.learners, args.actions, args.at_once, Pause(args.pause, args.jitter)))
            memory.stop()
            lost, repeated, found = count_lost(Store(url), room.results)
        finally:
            for server in servers:
                server.stop()
            postgres.stop()
            shutil.rmtree(folder, ignore_errors=True)
    confirmed = sum(r["confirmed"] for r in room.results)
    print(
        f"{args.learners} learners x {args.actions} actions through the {args.client} client ({args.at_once} at "
        f"once, {args.pause:.1f} s +/- {args.jitter:.0%} pause before each click), two server processes on one "
        "PostgreSQL, each learner "
        f"moved to the other process half-way; {room.elapsed:.0f} s in all"
    )
    print(
        f"actions confirmed on the page: {confirmed} of {args.learners * args.actions}; found in the database: "
        f"{found}; lost: {lost}; learners with a repeated undo group: {repeated}"
    )
    for name, times in room.timings.items():
        if times:
            print(
                f"{name}: p50 {statistics.median(times) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} ms, "
                f"max {max(times) * 1000:.0f} ms over {len(times)} actions"
            )
    for name, start, peak in zip("ab", memory.start, memory.peak):
        print(f"server {name} resident memory: {start:.0f} MiB at the start, {peak:.0f} MiB at its peak")
    for name, cpu, served in zip("ab", room.cpu, room.served):
        per_action = f"{cpu / served * 1000:.0f} ms per action" if served else "no action served"
        print(f"server {name} CPU: {cpu:.1f} s over the class for {served} actions served: {per_action}")
    for problem in room.problems:
        print("problem:", problem)


if __name__ == "__main__":
    main()
