"""A throwaway PostgreSQL server for the tests: Debian's ``postgresql`` package, a cluster made in a temporary
folder (as the ``postgres`` user when the tests run as root, since PostgreSQL refuses to run as root)."""

from __future__ import annotations

import glob
import os
import socket
import subprocess
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed or would not start: the reason, for the test report."""


def binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise PostgresUnavailable("PostgreSQL is not installed (apt-get install postgresql; scripts/test.sh does it)")
    return Path(found[-1]).parent


class Postgres:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.bin = binaries()

    def _run(self, *args: str) -> None:
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise PostgresUnavailable(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> Postgres:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres", str(self.folder)], check=True)
        self._run(str(self.bin / "initdb"), "-D", str(self.folder / "data"), "-A", "trust", "-U", "dcp", "-E", "UTF8")
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses='' -c fsync=off",
            "start",
        )
        return self

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://dcp@/{database}?host={self.folder}&port={self.port}"

    def new_database(self, name: str) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(
            host=str(self.folder), port=self.port, user="dcp", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
