"""What Home shows of a built-in scenario, kept on disk: the first page of a fresh server process draws its figures
without importing scikit-learn, reading the dataset's file or fitting a model (2-3 s of a cold start on 2 cores).

A file per scenario, named by a digest of the scenario, the versions of the libraries that compute the figures and
the app's own code, so an upgrade or a change of code is a new name and the figures are computed again; a file
that cannot be read is ignored the same way. JSON only: nothing in it is ever run. A learner's own dataset is
never kept here (its figures are its workspace's business). ``tests/unit/test_first_page.py`` recomputes the
figures and compares them with what was kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from datacentric.common import metrics, settings
from datacentric.lab.scenario import Scenario

__all__ = [
    "FOLDER_ENV",
    "DEFAULT_FOLDER",
    "CODE",
    "LIBRARIES",
    "VERSION",
    "Figures",
    "of",
    "folder",
    "name",
    "read",
    "write",
]

FOLDER_ENV = "DCP_FIGURES_DIR"
DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "var" / "figures"
CODE = Path(__file__).resolve().parents[1]  # every module of the app's core: a change anywhere computes them again
LIBRARIES = ("numpy", "scipy", "scikit-learn", "pandas", "mlxtend")  # what the split, the noise and the fits use
VERSION = 1  # of this file's format


@dataclass(frozen=True)
class Figures:
    """Home's figures of a scenario: the three test confusion matrices (the fixed model on the noisy labels, on the
    clean ones, and the most-frequent-class floor) and the facts the page states around them."""

    classes: tuple[str, ...]
    test_labels: tuple[int, ...]
    noisy: tuple[tuple[int, ...], ...]
    clean: tuple[tuple[int, ...], ...]
    floor: tuple[tuple[int, ...], ...]
    n_in_use: int
    n_wrong: int
    test_source: str
    model_sentence: str
    grading: str
    grading_note: str
    train_rows: int | None
    reserve_rows: int
    planted_cost: int | None

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    def value(self, which: str, metric: str) -> float:
        """The metric of ``which`` ("noisy", "clean" or "floor") on the test items."""
        return metrics.value(np.asarray(getattr(self, which)), metric)


def of(lab, noisy, clean, floor) -> Figures:
    """The figures of a prepared lab, from the three scores (``evaluate.Score``) Home shows."""
    confusion = lambda score: tuple(tuple(int(v) for v in row) for row in np.asarray(score.confusion))  # noqa: E731
    return Figures(
        classes=tuple(lab.dataset.classes),
        test_labels=tuple(int(v) for v in lab.test_labels),
        noisy=confusion(noisy),
        clean=confusion(clean),
        floor=confusion(floor),
        n_in_use=lab.n_in_use,
        n_wrong=lab.n_wrong,
        test_source=lab.test_source,
        model_sentence=lab.fixed_model.in_sentence,
        grading=lab.grading,
        grading_note=lab.grading_note,
        train_rows=lab.dataset.train_rows,
        reserve_rows=int(lab.reserve.sum()),
        planted_cost=None if lab.planted_cost is None else int(lab.planted_cost),
    )


def folder(environ=None) -> Path:
    return Path(settings.text(FOLDER_ENV, environ) or DEFAULT_FOLDER)


def name(scenario: Scenario) -> str:
    """The file's name: a digest of the scenario, the libraries' versions and the core's code."""
    digest = hashlib.sha256(json.dumps([VERSION, sorted(scenario.to_params().items()), _versions()]).encode())
    for path in sorted(CODE.rglob("*.py")):
        digest.update(path.relative_to(CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32] + ".json"


def read(scenario: Scenario, where: Path | None = None) -> Figures | None:
    """The figures kept for ``scenario``, or None (none kept, another version's, or unreadable)."""
    if scenario.is_users:
        return None
    try:
        kept = json.loads(((where or folder()) / name(scenario)).read_text(encoding="utf-8"))
        return Figures(**{key: _tuples(value) for key, value in kept.items()})
    except (OSError, ValueError, TypeError):
        return None


def write(scenario: Scenario, figures: Figures, where: Path | None = None) -> None:
    """Keep ``figures`` for ``scenario`` (never a learner's own dataset); a folder that cannot be written is left
    as it is: the figures are computed again next time."""
    if scenario.is_users:
        return
    where = where or folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
        part = where / f".{name(scenario)}.{os.getpid()}"
        part.write_text(json.dumps(asdict(figures)), encoding="utf-8")
        part.replace(where / name(scenario))  # whole or not at all, whoever writes it at the same time
    except OSError:
        pass


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _versions() -> list[str]:
    found = []
    for library in LIBRARIES:
        try:
            found.append(f"{library}=={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            found.append(f"{library} absent")
    return found
