"""Lessons: Markdown files with YAML front matter (title, minutes, objectives, practice page, quiz)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

LESSONS_DIR = Path(__file__).resolve().parent.parent / "lessons"
REQUIRED = {"title", "minutes", "objectives", "practice"}


@dataclass(frozen=True)
class Question:
    question: str
    choices: tuple[str, ...]
    answer: str  # the text of the right choice
    explanation: str  # shown after answering, right or wrong


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
    return Lesson(slug, str(meta["title"]), int(meta["minutes"]), tuple(meta["objectives"]), str(meta["practice"]),
                  body.strip(), quiz)


def _question(raw: dict, slug: str, index: int) -> Question:
    try:
        question = Question(str(raw["question"]), tuple(str(c) for c in raw["choices"]), str(raw["answer"]),
                            str(raw["explanation"]))
    except (KeyError, TypeError) as missing:
        raise ValueError(f"lesson {slug!r}, question {index + 1}: needs question, choices, answer, explanation") from missing
    if question.answer not in question.choices:
        raise ValueError(f"lesson {slug!r}, question {index + 1}: the answer is not one of the choices")
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


def progress(lesson: Lesson, events: list[dict]) -> dict:
    """What a learner's answer events add up to for ``lesson``.

    ``events`` are records ``{"question": i, "choice": text}`` or ``{"complete": True}``, oldest
    first. Returns the last choice per question, which questions were ever answered right, and
    whether the lesson is complete.
    """
    last: dict[int, str] = {}
    right: set[int] = set()
    complete = False
    for event in events:
        if event.get("complete"):
            complete = True
        elif "question" in event and 0 <= event["question"] < len(lesson.quiz):
            i = event["question"]
            last[i] = event["choice"]
            if event["choice"] == lesson.quiz[i].answer:
                right.add(i)
    return {"last": last, "right": right, "complete": complete,
            "can_complete": len(right) == len(lesson.quiz)}
