"""Home's figures kept on disk (datacentric/present/first_page.py): what is kept is what is computed again, for the
default
and for scenarios of every kind; another version of a library or of the code is another file; an unreadable file
or a learner's dataset is never read; and a server reading them imports neither scikit-learn nor pandas."""

import dataclasses
import json
import subprocess
import sys

import pytest

from datacentric.data.catalog import USER_PREFIX
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import DEFAULT, Scenario
from datacentric.modelling.models import FLOOR
from datacentric.present import first_page
from tests.conftest import ROOT


def computed(scenario: Scenario) -> first_page.Figures:
    lab = prepare(scenario)
    return first_page.of(
        lab,
        train_and_score(lab, lab.noisy_labels),
        train_and_score(lab, lab.true_labels),
        train_and_score(lab, lab.noisy_labels, model=FLOOR),
    )


@pytest.mark.parametrize(
    "scenario",
    [DEFAULT, Scenario("digits", "systematic", 30, 1), Scenario("wine", "scarce", 0, 0, reserve=10)],
    ids=lambda s: s.slug,
)
def test_the_kept_figures_are_the_figures_computed_again(scenario, tmp_path):
    figures = computed(scenario)
    first_page.write(scenario, figures, tmp_path)
    assert first_page.read(scenario, tmp_path) == figures
    assert first_page.read(scenario, tmp_path) == computed(scenario)  # deterministic: the cache never drifts
    assert first_page.read(dataclasses.replace(scenario, seed=scenario.seed + 1), tmp_path) is None


def test_the_figures_say_what_home_shows():
    figures = computed(DEFAULT)
    lab = prepare(DEFAULT)
    noisy = train_and_score(lab, lab.noisy_labels)
    assert figures.value("noisy", "accuracy") == pytest.approx(noisy.accuracy)
    assert figures.value("floor", "accuracy") < figures.value("noisy", "accuracy") < figures.value("clean", "accuracy")
    assert (figures.n_in_use, figures.n_wrong) == (lab.n_in_use, lab.n_wrong)
    assert figures.classes == lab.dataset.classes and len(figures.test_labels) == len(lab.test_labels)


def test_another_librarys_version_or_another_code_is_another_file(tmp_path, monkeypatch):
    before = first_page.name(DEFAULT)
    monkeypatch.setattr(first_page, "_versions", lambda: ["scikit-learn==0.0"])
    assert first_page.name(DEFAULT) != before
    monkeypatch.undo()
    code = tmp_path / "code"
    code.mkdir()
    (code / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(first_page, "CODE", code)
    one = first_page.name(DEFAULT)
    (code / "a.py").write_text("x = 2\n")
    assert first_page.name(DEFAULT) != one


def test_an_unreadable_file_or_a_learners_dataset_is_never_read(tmp_path):
    (tmp_path / first_page.name(DEFAULT)).write_text("{not json")
    assert first_page.read(DEFAULT, tmp_path) is None
    (tmp_path / first_page.name(DEFAULT)).write_text(json.dumps({"classes": ["a"]}))  # not whole
    assert first_page.read(DEFAULT, tmp_path) is None
    users = Scenario(USER_PREFIX + "0123456789abcdef", "none", 0, 0)
    first_page.write(users, computed(DEFAULT), tmp_path)
    assert first_page.read(users, tmp_path) is None and not (tmp_path / first_page.name(users)).exists()


def test_reading_the_kept_figures_imports_neither_scikit_learn_nor_pandas(tmp_path):
    first_page.write(DEFAULT, computed(DEFAULT), tmp_path)
    probe = (
        "import sys; from datacentric.present import first_page; from datacentric.lab.scenario import DEFAULT; "
        f"figures = first_page.read(DEFAULT, __import__('pathlib').Path({str(tmp_path)!r})); "
        "print(figures is not None, sorted(m for m in ('pandas', 'sklearn') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True []"
