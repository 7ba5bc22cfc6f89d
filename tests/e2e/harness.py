"""Run the app as a real server and drive it with Debian's Chromium; shared by tests/e2e and bench/.

Plain Python (no pytest): ``AppServer`` starts ``streamlit run app.py`` on a free port against its
own SQLite store and waits on ``/_stcore/health``; ``launch_chromium`` starts the browser with the
flags this machine needs; ``rss_mib`` reads a process tree's resident memory; the page helpers at
the end wait on what Streamlit draws (never on a sleep).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ENV = "DCP_CHROMIUM"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 60.0  # seconds; a cold start imports pandas, scikit-learn and Streamlit

# A deprecation in a server's log: Streamlit's own notice ("`use_container_width` will be removed after 2025-12-31")
# or Python's warning. Python shows a DeprecationWarning only from __main__ by default: the server shows them all.
DEPRECATION = re.compile(r"will be removed after|deprecated|DeprecationWarning|FutureWarning", re.IGNORECASE)
SHOW_WARNINGS = "default::DeprecationWarning,default::PendingDeprecationWarning,default::FutureWarning"


class ServerError(RuntimeError):
    """The app server did not come up; the message carries the tail of its output."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``streamlit run app.py`` as a child process, with its own store under ``workdir``.

    ``start()`` returns once the health endpoint answers; ``restart()`` stops it and starts a
    fresh process on the same port and the same database, which is what a server restart is.
    """

    logs: list[Path] = []  # every server log written in this process, for the deprecation check (tests/e2e/conftest.py)

    def __init__(
        self,
        workdir: Path,
        *,
        port: int | None = None,
        db_url: str | None = None,
        watch_files: bool = True,
        script: str = "app.py",
        env: dict[str, str] | None = None,
    ):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.db_url = db_url or f"sqlite:///{self.workdir / 'playground.db'}"
        # Tests turn the file watcher off: an edit elsewhere in the repo mid-run would otherwise put a
        # "source file changed" prompt in the status widget that the tests wait on.
        self.watch_files = watch_files
        self.script = script  # a path from the repository (or absolute): bench/startup.py runs a bare app beside it
        self.env = dict(env or {})  # extra environment, e.g. an instructor passcode
        self.proc: subprocess.Popen | None = None
        self._log_path: Path | None = None
        self._starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self.proc is None:
            raise ServerError("the server is not running")
        return self.proc.pid

    def start(self, timeout: float = START_TIMEOUT) -> AppServer:
        self.launch()
        self.wait_healthy(timeout)
        return self

    def launch(self) -> None:
        """Start the process without waiting (``wait_healthy`` waits); for timing a cold start."""
        if self.proc is not None:
            raise ServerError("the server is already running")
        self._starts += 1
        # A file, not a pipe: a chatty server can never block on a full pipe buffer.
        self._log_path = self.workdir / f"server-{self._starts}.log"
        AppServer.logs.append(self._log_path)
        log = open(self._log_path, "wb")
        env = {
            **os.environ,
            "DCP_DATABASE_URL": self.db_url,
            "PYTHONUNBUFFERED": "1",
            "PYTHONWARNINGS": SHOW_WARNINGS,
            **self.env,
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                self.script,
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                *([] if self.watch_files else ["--server.fileWatcherType", "none"]),
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so stop() takes any children with it
        )
        log.close()

    def wait_healthy(self, timeout: float = START_TIMEOUT) -> None:
        """Poll ``/_stcore/health`` until it answers "ok"; raise ``ServerError`` with the log if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"the server exited with code {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200 and reply.read().strip() == b"ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.05)  # a poll interval, not a wait for readiness
        output = self.output()
        self.stop()
        raise ServerError(f"the server did not answer {self.url}/_stcore/health within {timeout:.0f} s:\n{output}")

    def stop(self) -> None:
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass

    def restart(self, timeout: float = START_TIMEOUT) -> AppServer:
        """Stop the server and start a new process on the same port and database."""
        self.stop()
        return self.start(timeout)

    def output(self, tail: int = 8000) -> str:
        """The last ``tail`` characters of the current (or last) server's stdout and stderr."""
        if self._log_path is None or not self._log_path.exists():
            return "(no output)"
        return self._log_path.read_text(errors="replace")[-tail:]

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def deprecations(log: Path, start: int = 0, *, final: bool = False) -> tuple[list[str], int]:
    """What a server log tells of deprecations from byte ``start`` on: ``file:line: text`` for each such line, and
    the byte to start from next time. A last line not yet ended is left for next time unless ``final``."""
    raw = log.read_bytes() if log.exists() else b""
    end = len(raw) if final else raw.rfind(b"\n", start) + 1 or start
    first = raw[:start].count(b"\n") + 1
    lines = raw[start:end].decode(errors="replace").splitlines()
    return [f"{log}:{n}: {line.strip()}" for n, line in enumerate(lines, start=first) if DEPRECATION.search(line)], end


def chromium_path() -> str:
    return os.environ.get(CHROMIUM_ENV, "/usr/bin/chromium")


def launch_chromium(playwright):
    """Launch Chromium headless through Playwright; raise ``FileNotFoundError`` if it is not installed."""
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise FileNotFoundError(
            f"Chromium not found at {path}. Install Debian's chromium package (apt-get install chromium) "
            f"or point ${CHROMIUM_ENV} at a Chromium binary; `playwright install` cannot download one here."
        )
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    try:
        import psutil
    except ImportError:
        return sum(_vm_rss_kib(p) for p in [pid, *_descendants(pid)]) / 1024
    root = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 2**20


def _vm_rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass  # the process ended between listing and reading
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, IndexError, ValueError, ProcessLookupError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


# --- Page helpers: Playwright (sync API) on a Streamlit page ---------------------------------------

SCRIPT_RUNNING = '[data-testid="stStatusWidget"]'  # "Running...", shown only once a run has lasted a moment
STALE = '[data-stale="true"]'  # elements of the previous run not yet redrawn or removed by this one
FIX_LABELS_LOAD_TIMEOUT = 60_000  # ms; a cold scenario is prepared and ranked on the first visit


def metric_value(page, label: str):
    """The value of the ``st.metric`` labelled ``label`` (a locator, so ``expect`` can wait on it)."""
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the run in progress has finished drawing; call it after waiting on text the run draws.

    The status widget alone is not enough: it appears only after a delay, and elements of the
    previous run (a button whose label changed, say) linger until the run ends.
    """
    expect(page.locator(STALE)).to_have_count(0, timeout=timeout)
    expect(page.locator(SCRIPT_RUNNING)).to_have_count(0, timeout=timeout)


def accept_button(page):
    return page.get_by_role("button", name=re.compile(r"^Accept suggestion: "))


def wait_fix_labels_loaded(page, timeout: float = FIX_LABELS_LOAD_TIMEOUT) -> None:
    """Wait until Fix the labels is fully drawn: the review card, the metrics and the last section."""
    expect(accept_button(page)).to_be_visible(timeout=timeout)
    expect(metric_value(page, "Actions taken")).to_be_visible(timeout=timeout)
    expect(page.get_by_role("heading", name="Why ranking matters")).to_be_visible(timeout=timeout)
    wait_idle(page, timeout)


def wait_page_drawn(page, timeout: float = 30_000) -> None:
    """Wait until a page just opened or reloaded is drawn and its run has ended; ``wait_idle`` alone would pass before
    anything is drawn. The sidebar's share link is frame/navigation.py's, drawn around every page."""
    expect(page.get_by_test_id("stSidebar").get_by_text("Share this scenario")).to_be_visible(timeout=timeout)
    wait_idle(page, timeout)


class HeldReplies:
    """Hold what the server sends a page until ``release()``: the page goes on showing what it showed, as on a
    slow connection, while its clicks still reach the server. Install before the page opens the app."""

    def __init__(self, page):
        self._held: list | None = None
        self._socket = None
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._route)

    def _route(self, socket) -> None:
        server = socket.connect_to_server()
        self._socket = socket
        socket.on_message(server.send)
        server.on_message(self._forward)

    def _forward(self, message) -> None:
        if self._held is None:
            self._socket.send(message)
        else:
            self._held.append(message)

    def hold(self) -> None:
        self._held = []

    def release(self) -> None:
        held, self._held = self._held or [], None
        for message in held:
            self._socket.send(message)


WORKSPACE_COOKIE = "dcp_workspace"


def workspace_of(page, timeout: float = 10.0, *, other_than: str | None = None) -> str:
    """The workspace this browser keeps (its cookie, HttpOnly: the address bar and the page's scripts never see it),
    once the server has set it; ``other_than``: wait until it holds another than that one (after a join, say). A
    browser is given its workspace's id on its first page, before its first action creates the workspace."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c["value"] for c in page.context.cookies() if c["name"] == WORKSPACE_COOKIE]
        if found and found[0] != other_than:
            return found[0]
        page.wait_for_timeout(100)  # set by the answer to an image the page draws after it runs: poll the jar
    raise AssertionError(
        f"no {WORKSPACE_COOKIE} cookie (other than {other_than}) in this browser after {timeout:.0f} s"
    )


def keep_workspace(page, cookies: list) -> None:
    """Give ``page``'s browser the workspace cookie from ``cookies`` (another browser's, saved before it closed)."""
    page.context.add_cookies([c for c in cookies if c["name"] == WORKSPACE_COOKIE])


def resume_code_box(page):
    """The sidebar's resume code (an ``st.code`` block), its expander opened."""
    sidebar = page.get_by_test_id("stSidebar")
    toggle = sidebar.get_by_text("Your resume code (private)")
    toggle.wait_for()
    code = sidebar.get_by_test_id("stCode")
    box = code.filter(has_text=re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    if not box.is_visible():
        toggle.click()
    return box
