"""Alembic from the command line (alembic.ini, datacentric/persistence/migrations/env.py): the schema it makes is the
app's, on
SQLite and PostgreSQL; every revision goes back down; the database is the one the app would use."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from datacentric.persistence import store as stores
from datacentric.persistence.store import Store

ROOT = Path(__file__).resolve().parents[3]


def alembic(*args: str, url: str | None, cwd: Path = ROOT, home: Path | None = None) -> subprocess.CompletedProcess:
    """``alembic ARGS`` as a person types it, in ``cwd``, with ``$DCP_DATABASE_URL`` set to ``url`` (unset if None)."""
    command = shutil.which("alembic", path=str(Path(sys.executable).parent))
    env = {k: v for k, v in os.environ.items() if k != stores.URL_ENV}
    if url is not None:
        env[stores.URL_ENV] = url
    if home is not None:
        env["HOME"] = str(home)  # ~/.streamlit/secrets.toml is read too: the machine's must not answer
    program = [command] if command else [sys.executable, "-m", "alembic"]
    done = subprocess.run([*program, *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env)
    assert done.returncode == 0, f"alembic {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(request, tmp_path):
    """Two fresh, empty databases of one kind: one for the command line, one for the app."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cli.db'}", f"sqlite:///{tmp_path / 'app.db'}"
    server = request.getfixturevalue("postgres")
    return tuple(server.new_database(f"t{uuid.uuid4().hex[:16]}") for _ in range(2))


def schema(url: str) -> dict:
    """Every table's columns, keys, indexes and unique constraints as the database reports them (Alembic's own table
    aside), and the revision."""
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            found = inspect(db)
            tables = {
                table: {
                    "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)],
                    "primary key": found.get_pk_constraint(table)["constrained_columns"],
                    "foreign keys": sorted(
                        (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                        for f in found.get_foreign_keys(table)
                    ),
                    "indexes": sorted(
                        (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes(table)
                    ),
                    "unique": sorted(
                        (u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints(table)
                    ),
                }
                for table in found.get_table_names()
                if table != "alembic_version"
            }
            revision = (
                db.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if found.has_table("alembic_version")
                else None
            )
    finally:
        engine.dispose()
    return {"tables": tables, "revision": revision}


def revisions() -> list[str]:
    """The revisions from the first to the head."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(Config(ROOT / "alembic.ini"))
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]


def test_alembic_upgrade_head_from_the_command_line_makes_the_apps_schema(two_databases):
    cli, app = two_databases
    done = alembic("upgrade", "head", url=cli)
    assert f"-> {revisions()[-1]}" in done.stderr  # alembic.ini's logging names each revision run
    _ = Store(app).engine  # the app's own path: store.migrate on its connection
    made = schema(cli)
    assert made == schema(app)
    assert made["revision"] == revisions()[-1] and {"workspaces", "actions", "rooms"} <= set(made["tables"])
    assert "No new upgrade operations detected" in alembic("check", url=cli).stdout  # and it is schema.py's


def test_alembic_downgrade_base_from_the_command_line_leaves_no_table_and_upgrades_again(two_databases):
    cli, _ = two_databases
    alembic("upgrade", "head", url=cli)
    alembic("downgrade", "base", url=cli)
    assert schema(cli) == {"tables": {}, "revision": None}
    alembic("upgrade", "head", url=cli)
    assert schema(cli)["revision"] == revisions()[-1]


def test_every_revision_goes_down_to_the_schema_before_it_with_work_in_the_store(two_databases, monkeypatch):
    """One revision up at a time, then back down one at a time through the command line's environment, a learner's
    work in the store: each step down gives back the schema of the step before it."""
    from alembic import command
    from alembic.config import Config

    cli, _ = two_databases
    monkeypatch.setenv(stores.URL_ENV, cli)
    config = Config(ROOT / "alembic.ini")  # no connection handed over: env.py connects as from the command line
    before = [schema(cli)]
    for revision in revisions():
        command.upgrade(config, revision)
        before.append(schema(cli))
    store = Store(cli)
    workspace = store.create_workspace({"dataset": "digits"})
    store.resume_code(workspace), store.view_token(workspace)
    store.append(workspace, "s", [stores.Action("remove", 1)])
    store.engine.dispose()
    for expected in reversed(before[:-1]):
        command.downgrade(config, "-1")
        assert schema(cli) == expected


def test_the_command_line_finds_the_database_the_app_would(tmp_path):
    """No $DCP_DATABASE_URL: the project's .streamlit/secrets.toml names it, as for the app."""
    (tmp_path / ".streamlit").mkdir()
    named = tmp_path / "from-secrets.db"
    (tmp_path / ".streamlit" / "secrets.toml").write_text(f'[database]\nurl = "sqlite:///{named.as_posix()}"\n')
    alembic("-c", str(ROOT / "alembic.ini"), "upgrade", "head", url=None, cwd=tmp_path, home=tmp_path / "home")
    assert schema(f"sqlite:///{named.as_posix()}")["revision"] == revisions()[-1]


@pytest.mark.parametrize(
    "environment, home, project, expected",
    [
        ("sqlite:///env.db", "sqlite:///home.db", "sqlite:///project.db", "sqlite:///env.db"),
        (None, "sqlite:///home.db", "sqlite:///project.db", "sqlite:///project.db"),
        (None, "sqlite:///home.db", None, "sqlite:///home.db"),
        (None, None, None, f"sqlite:///{stores.DEFAULT_PATH}"),
    ],
)
def test_the_stores_url_is_the_environment_then_the_secrets_then_the_sqlite_file(
    tmp_path, monkeypatch, environment, home, project, expected
):
    files = []
    for where, url in (("home", home), ("project", project)):
        path = tmp_path / where / "secrets.toml"
        path.parent.mkdir()
        path.write_text(f'[database]\nurl = "{url}"\n' if url else "[other]\nkey = 1\n")
        files.append(path)
    if environment:
        monkeypatch.setenv(stores.URL_ENV, environment)
    else:
        monkeypatch.delenv(stores.URL_ENV, raising=False)
    assert stores.configured_url(files) == expected
