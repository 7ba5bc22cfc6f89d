"""Lessons: Markdown files with YAML front matter (title, minutes, objectives, practice page)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

LESSONS_DIR = Path(__file__).resolve().parent.parent / "lessons"


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    practice: str  # the page file where the lesson is practised, e.g. "pages/fix_labels.py"
    body: str


def parse_lesson(text: str, *, slug: str) -> Lesson:
    """Split ``---``-fenced front matter from the Markdown body and check the required keys."""
    if not text.startswith("---\n"):
        raise ValueError(f"lesson {slug!r} has no front matter")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front) or {}
    missing = {"title", "minutes", "objectives", "practice"} - set(meta)
    if missing:
        raise ValueError(f"lesson {slug!r} lacks {', '.join(sorted(missing))}")
    return Lesson(slug, str(meta["title"]), int(meta["minutes"]), tuple(meta["objectives"]), str(meta["practice"]), body.strip())


def load_lessons(folder: Path = LESSONS_DIR) -> list[Lesson]:
    """Every lesson in ``folder``, in file-name order (files are numbered)."""
    return [parse_lesson(p.read_text(encoding="utf-8"), slug=p.stem) for p in sorted(folder.glob("[0-9]*.md"))]


def lesson_for(page: str, folder: Path = LESSONS_DIR) -> Lesson | None:
    """The first lesson practised on ``page``."""
    return next((lesson for lesson in load_lessons(folder) if lesson.practice == page), None)
