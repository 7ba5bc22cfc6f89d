"""Shared fixtures: a small seeded scenario, and a throwaway store."""

import os
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True, scope="session")
def one_blas_thread():
    """One BLAS thread, as the app's server sets for itself (``models.limit_blas_threads``): with the cores busy
    (a browser test's server, a CPU hog), two BLAS threads made a fit of the default model 7 times slower (1.19 s
    against 0.17 s)."""
    from datacentric.modelling.models import limit_blas_threads

    limiter = limit_blas_threads(1)
    yield
    limiter.restore_original_limits()


@pytest.fixture(autouse=True, scope="session")
def own_figures_folder(tmp_path_factory):
    """Home's figures kept on disk (datacentric/present/first_page.py) go to the tests' own folder, never the
    repository's
    var/figures, and every server the tests start inherits it."""
    mp = pytest.MonkeyPatch()
    mp.setenv("DCP_FIGURES_DIR", str(tmp_path_factory.mktemp("figures")))
    yield
    mp.undo()


@pytest.fixture(autouse=True, scope="session")
def own_datasets_cache(tmp_path_factory):
    """The tests' `datasets` cache is their own: what they load never lands in (or answers from) the machine's."""
    mp = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("hf-datasets-cache")
    mp.setenv("HF_DATASETS_CACHE", str(folder))  # read by `datasets` when first imported, and by servers started here
    if "datasets" in sys.modules:  # a test module imported it already: its setting was read then
        mp.setattr(sys.modules["datasets"].config, "HF_DATASETS_CACHE", folder)
    yield
    mp.undo()


@pytest.fixture
def store_url(tmp_path):
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL server for the whole run; without one the tests that need it skip (and CI fails)."""
    import shutil
    import tempfile

    from tests.postgres import Postgres, PostgresUnavailable

    folder = Path(tempfile.mkdtemp(prefix="dcp-postgres-"))  # not pytest's: its folders are closed to other users
    try:
        server = Postgres(folder).start()
    except PostgresUnavailable as reason:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(str(reason))
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh store on each database the app supports: a SQLite file, and a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    server = request.getfixturevalue("postgres")
    return server.new_database(f"t{uuid.uuid4().hex[:16]}")


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a hidden failure (a browser test that did not run, say): fail the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"{skipped} test(s) skipped in CI: failing the run.", red=True)
        session.exitstatus = 1
