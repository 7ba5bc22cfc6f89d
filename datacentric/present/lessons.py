"""Lessons: Markdown files with YAML front matter (title, minutes, objectives, practice page, quiz)."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "LESSONS_DIR",
    "REQUIRED",
    "Question",
    "Lesson",
    "parse_lesson",
    "load_lessons",
    "lesson_for",
    "shuffled",
    "progress",
]

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
REQUIRED = {"title", "minutes", "objectives", "practice"}


@dataclass(frozen=True)
class Question:
    question: str
    choices: tuple[str, ...]  # in the file's order; each learner sees them shuffled (``shuffled``)
    answer: str  # the text of the right choice
    explanation: str  # shown once the learner answers right, or asks to see the answer after a wrong try
    # (text an option once had, its text now): answers are stored as text, so a reworded option keeps its answers.
    formerly: tuple[tuple[str, str], ...] = ()

    def current(self, choice: str) -> str:
        """The option's text now, for a ``choice`` stored under an older wording."""
        return dict(self.formerly).get(choice, choice)


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    practice: str  # the page file where the lesson is practised, e.g. "pages/fix_labels.py"
    body: str
    quiz: tuple[Question, ...] = ()


def parse_lesson(text: str, *, slug: str) -> Lesson:
    """Split ``---``-fenced front matter from the Markdown body and check it."""
    if not text.startswith("---\n"):
        raise ValueError(f"lesson {slug!r} has no front matter")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front) or {}
    missing = REQUIRED - set(meta)
    if missing:
        raise ValueError(f"lesson {slug!r} lacks {', '.join(sorted(missing))}")
    quiz = tuple(_question(q, slug, i) for i, q in enumerate(meta.get("quiz") or []))
    return Lesson(
        slug,
        str(meta["title"]),
        int(meta["minutes"]),
        tuple(meta["objectives"]),
        str(meta["practice"]),
        body.strip(),
        quiz,
    )


def _question(raw: dict[str, Any], slug: str, index: int) -> Question:
    where = f"lesson {slug!r}, question {index + 1}"
    try:
        choices, formerly = raw["choices"], raw.get("formerly") or {}
        question = Question(
            str(raw["question"]),
            tuple(str(c) for c in choices),
            str(raw["answer"]),
            str(raw["explanation"]),
            tuple((str(old), str(new)) for old, new in formerly.items()),
        )
    except (KeyError, TypeError, AttributeError) as missing:
        raise ValueError(f"{where}: needs question, choices, answer, explanation") from missing
    odd = [c for c in choices if isinstance(c, (dict, list))]
    if odd:  # an unquoted "Nothing: a rare class does not matter" reads as a mapping
        raise ValueError(f"{where}: the choice {odd[0]!r} is not text (a colon or a bracket in it? quote it)")
    if question.answer not in question.choices:
        raise ValueError(f"{where}: the answer is not one of the choices")
    stray = [new for _, new in question.formerly if new not in question.choices]
    if stray:
        raise ValueError(f"{where}: formerly names {stray[0]!r}, which is not one of the choices")
    return question


def load_lessons(folder: Path = LESSONS_DIR) -> list[Lesson]:
    """Every lesson in ``folder``, in file-name order (files are numbered). Parsed once per version of the files
    (every page run asks: parsing the YAML each time cost 37 ms a run)."""
    return list(_parsed(tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("[0-9]*.md")))))


@functools.lru_cache(maxsize=8)
def _parsed(files: tuple[tuple[Path, int, int], ...]) -> tuple[Lesson, ...]:
    return tuple(parse_lesson(path.read_text(encoding="utf-8"), slug=path.stem) for path, _, _ in files)


def lesson_for(page: str, folder: Path = LESSONS_DIR) -> Lesson | None:
    """The first lesson practised on ``page``."""
    return next((lesson for lesson in load_lessons(folder) if lesson.practice == page), None)


def shuffled(lesson: Lesson, index: int, *, seed: str) -> tuple[str, ...]:
    """The choices of question ``index`` in the order one learner sees them.

    ``seed`` names the learner (their workspace id): the same seed gives the same order on every run and after
    a restart, another seed another order. Each choice is sorted by a SHA-256 digest of (seed, lesson, question,
    choice), so every order is equally likely and the digest tells nothing of the seed.
    """

    def key(choice: str) -> bytes:
        return hashlib.sha256("\n".join((seed, lesson.slug, str(index), choice)).encode()).digest()

    return tuple(sorted(lesson.quiz[index].choices, key=key))


def progress(lesson: Lesson, events: list[dict[str, Any]]) -> dict[str, Any]:
    """What a learner's answer events add up to for ``lesson``.

    ``events``, oldest first, are records ``{"question": i, "choice": text}`` (one per try: "Check"),
    ``{"question": i, "revealed": True}`` (the learner asked to see the answer) or ``{"complete": True}``.
    Returns per question the first and the last choice (in today's wording, see ``Question.formerly``) and
    the tries; the questions ever answered right, and those whose answer was shown; whether the lesson is
    complete, and whether it can be.
    """
    first: dict[int, str] = {}
    last: dict[int, str] = {}
    tries: dict[int, int] = {}
    right: set[int] = set()
    revealed: set[int] = set()
    complete = False
    for event in events:
        i = event.get("question")
        if event.get("complete"):
            complete = True
        elif not isinstance(i, int) or not 0 <= i < len(lesson.quiz):
            continue
        elif event.get("revealed"):
            revealed.add(i)
        elif isinstance(event.get("choice"), str):
            choice = lesson.quiz[i].current(event["choice"])
            first.setdefault(i, choice)
            last[i] = choice
            tries[i] = tries.get(i, 0) + 1
            if choice == lesson.quiz[i].answer:
                right.add(i)
    return {
        "first": first,
        "last": last,
        "tries": tries,
        "right": right,
        "revealed": revealed,
        "complete": complete,
        "can_complete": len(right) == len(lesson.quiz),
    }
