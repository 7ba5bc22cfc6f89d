from pathlib import Path

import pytest

from datacentric.lessons import load_lessons, parse_lesson, progress
from datacentric.ui.lesson import CHART, CHARTS

ROOT = Path(__file__).resolve().parents[2]


def test_the_lessons_come_in_journey_order():
    numbers = [lesson.slug[:2] for lesson in load_lessons()]
    assert numbers == [f"{i:02d}" for i in range(1, len(numbers) + 1)] and len(numbers) >= 6


@pytest.mark.parametrize("lesson", load_lessons(), ids=lambda lesson: lesson.slug)
def test_every_lesson_parses_links_to_a_page_that_exists_and_has_a_sound_quiz(lesson):
    assert (ROOT / lesson.practice).is_file(), lesson.practice
    assert lesson.objectives and 5 <= lesson.minutes <= 15 and lesson.body
    assert len(lesson.quiz) >= 2
    for q in lesson.quiz:
        assert q.answer in q.choices and len(set(q.choices)) == len(q.choices) >= 2 and q.explanation
    assert set(CHART.findall(lesson.body)) <= set(CHARTS)


@pytest.mark.parametrize("text, message", [
    ("no front matter", "no front matter"),
    ("---\ntitle: x\n---\nbody", "lacks"),
    ("---\ntitle: t\nminutes: 5\nobjectives: [o]\npractice: p\nquiz:\n  - question: q\n    choices: [a, b]\n"
     "    answer: c\n    explanation: e\n---\nbody", "not one of the choices"),
    ("---\ntitle: t\nminutes: 5\nobjectives: [o]\npractice: p\nquiz:\n  - question: q\n---\nbody", "needs question"),
])
def test_malformed_lessons_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_lesson(text, slug="bad")


def test_progress_follows_the_answers():
    lesson = load_lessons()[0]
    wrong = next(c for c in lesson.quiz[0].choices if c != lesson.quiz[0].answer)
    events = [{"question": 0, "choice": wrong}]
    state = progress(lesson, events)
    assert state["last"] == {0: wrong} and not state["right"] and not state["can_complete"]
    events += [{"question": i, "choice": q.answer} for i, q in enumerate(lesson.quiz)]
    state = progress(lesson, events)
    assert state["can_complete"] and not state["complete"]
    assert progress(lesson, events + [{"complete": True}])["complete"]
    assert progress(lesson, [{"question": 99, "choice": "x"}])["last"] == {}
