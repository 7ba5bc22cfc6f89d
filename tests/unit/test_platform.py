"""The app on every platform: its code uses nothing that only POSIX has (Windows lacks fcntl, pwd, os.fork, SIGKILL and
the rest), and the store runs where those modules cannot be imported. Only Linux runs the tests here; these hold the
code to what Windows and macOS have."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = sorted(
    [*ROOT.glob("datacentric/**/*.py"), *ROOT.glob("pages/**/*.py"), *ROOT.glob("frame/*.py"), ROOT / "app.py"]
)

# The standard library's modules that exist on POSIX only ("Availability: Unix" in Python's documentation).
POSIX_ONLY_MODULES = (
    "fcntl",
    "pwd",
    "grp",
    "resource",
    "termios",
    "tty",
    "pty",
    "syslog",
    "crypt",
    "spwd",
    "nis",
    "posix",
)
# Functions and signals of os and signal that Windows lacks.
POSIX_ONLY = {
    "os": {
        "fork",
        "forkpty",
        "killpg",
        "getpgid",
        "getpgrp",
        "setsid",
        "setpgrp",
        "getuid",
        "geteuid",
        "getgid",
        "getegid",
        "getgroups",
        "setuid",
        "setgid",
        "initgroups",
        "uname",
        "sysconf",
        "confstr",
        "pathconf",
        "fpathconf",
        "statvfs",
        "fstatvfs",
        "nice",
        "getpriority",
        "setpriority",
        "getloadavg",
        "wait3",
        "wait4",
        "mkfifo",
        "mknod",
        "chown",
        "lchown",
        "fchown",
        "chroot",
        "openpty",
        "sched_getaffinity",
        "sched_setaffinity",
        "sync",
        "posix_fadvise",
        "sendfile",
        "register_at_fork",
    },
    "signal": {
        "SIGKILL",
        "SIGHUP",
        "SIGALRM",
        "SIGUSR1",
        "SIGUSR2",
        "SIGCHLD",
        "SIGPIPE",
        "SIGQUIT",
        "SIGSTOP",
        "SIGCONT",
        "SIGTSTP",
        "SIGWINCH",
        "alarm",
        "setitimer",
        "getitimer",
        "pause",
        "pthread_kill",
        "pthread_sigmask",
        "siginterrupt",
        "sigwait",
        "sigpending",
    },
}


def posix_only_uses(source: str) -> list[str]:
    """``line: what`` for each POSIX-only module imported, or os/signal name used, that no guard protects (an
    ``if`` on ``hasattr(os, ...)``, ``sys.platform`` or ``os.name``, or a ``try`` that catches AttributeError or
    ImportError)."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            what = [a.name for a in node.names if a.name.split(".")[0] in POSIX_ONLY_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            top = node.module.split(".")[0]
            what = (
                [node.module]
                if top in POSIX_ONLY_MODULES
                else [f"{top}.{a.name}" for a in node.names if a.name in POSIX_ONLY.get(top, ())]
            )
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            what = [f"{node.value.id}.{node.attr}"] if node.attr in POSIX_ONLY.get(node.value.id, ()) else []
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module" and node.args:
            name = node.args[0].value if isinstance(node.args[0], ast.Constant) else ""
            what = [name] if str(name).split(".")[0] in POSIX_ONLY_MODULES else []
        else:
            continue
        if what and not _guarded(node, parents):
            found += [f"{node.lineno}: {w}" for w in what]
    return found


def _guarded(node, parents) -> bool:
    while node in parents:
        node, child = parents[node], node
        if isinstance(node, ast.If) and child in node.body:
            test = ast.unparse(node.test)
            if "hasattr(" in test or "sys.platform" in test or "os.name" in test:
                return True
        if isinstance(node, ast.Try) and child in node.body:
            caught = " ".join(ast.unparse(h.type) for h in node.handlers if h.type is not None)
            if any(h.type is None for h in node.handlers) or any(
                e in caught for e in ("AttributeError", "ImportError", "ModuleNotFoundError", "Exception")
            ):
                return True
    return False


@pytest.mark.parametrize(
    "source, found",
    [
        ("import fcntl", ["1: fcntl"]),
        ("import os\nos.fork()", ["2: os.fork"]),
        ("from os import sysconf", ["1: os.sysconf"]),
        ("import signal\nsignal.alarm(1)", ["2: signal.alarm"]),
        ("import importlib\nimportlib.import_module('pwd')", ["2: pwd"]),
        ("import os\nif hasattr(os, 'sysconf'):\n    os.sysconf('SC_PAGE_SIZE')", []),
        ("try:\n    import fcntl\nexcept ImportError:\n    fcntl = None", []),
        ("import os, signal\nos.kill(1, signal.SIGTERM)\nos.environ.get('X')", []),
    ],
)
def test_the_check_finds_what_windows_lacks_unless_guarded(source, found):
    assert posix_only_uses(source) == found


@pytest.mark.parametrize("path", APP_CODE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_apps_code_uses_nothing_only_posix_has(path):
    assert posix_only_uses(path.read_text(encoding="utf-8")) == []


def test_the_cache_is_sized_where_os_has_no_sysconf(monkeypatch):
    from datacentric.common import settings

    monkeypatch.delattr(os, "sysconf")
    assert settings.cache_bytes({}) >= 256 * settings.MB


# Run in a fresh interpreter: importing a POSIX-only module raises ImportError there, as on Windows. (Third-party
# packages choose their own way on Windows, by sys.platform; filelock, for one, falls back to a lock of its own here.)
WITHOUT_POSIX = f"""
import sys
for name in {POSIX_ONLY_MODULES!r}:
    sys.modules[name] = None
"""

STORE_RUN = (
    WITHOUT_POSIX
    + """
from pathlib import Path

from sqlalchemy import create_engine, inspect

from datacentric.persistence.store import Store, migrate
from datacentric.lab.worklog import Action

folder = Path(sys.argv[1])
store = Store(f"sqlite:///{folder / 'store.db'}")
workspace = store.create_workspace({"dataset": "digits"})
store.append(workspace, "scenario", [Action("relabel", 3, 1), Action("remove", 4)])
assert [(a.kind, a.item) for a in store.log(workspace, "scenario")] == [("relabel", 3), ("remove", 4)]
fresh = create_engine(f"sqlite:///{folder / 'new.db'}")
migrate(fresh)
assert "workspaces" in inspect(fresh).get_table_names()
print("ok")
"""
)


def run_without_posix(script: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DCP_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env
    )


def test_the_store_runs_where_no_posix_only_module_can_be_imported(tmp_path):
    """A workspace made, an append, its log read and a new SQLite file migrated, with fcntl and the rest missing.
    The store before filelock (``import fcntl``, two servers migrating took turns on fcntl.flock) failed here."""
    done = run_without_posix(STORE_RUN, str(tmp_path))
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


def test_every_module_of_the_core_and_ui_imports_where_no_posix_only_module_can_be_imported():
    script = (
        WITHOUT_POSIX
        + """
import importlib, pkgutil, datacentric
failed = []
for module in pkgutil.walk_packages(datacentric.__path__, "datacentric."):
    if ".migrations" not in module.name:  # the migrations run inside Alembic (tests/unit/test_migrations.py)
        try:
            importlib.import_module(module.name)
        except Exception as error:
            failed.append(f"{module.name}: {error!r}")
print("\\n".join(failed) or "ok")
"""
    )
    done = run_without_posix(script)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stdout[-3000:] + done.stderr[-3000:]
