"""The first page's path stays light: what navigation.py imports before anything is drawn."""


def test_the_first_page_path_imports_neither_pandas_nor_scikit_learn():
    """navigation.py imports these modules before the first page draws; pandas and scikit-learn (2.5 s cold) wait for
    the page that needs them (docs/performance.md, the startup row)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    probe = (
        "import sys; import datacentric.serving, datacentric.ui.session, datacentric.ui.services, "
        "datacentric.lab.prepare, "
        "datacentric.ui.headline, datacentric.ui.widgets, datacentric.ui.workspace, datacentric.lab.evaluate, "
        "datacentric.modelling.models; "  # and what Home imports before its title
        "print(sorted(m for m in ('pandas', 'sklearn') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
