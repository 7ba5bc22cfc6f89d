from pathlib import Path

import pytest

from datacentric.lessons import load_lessons, parse_lesson

ROOT = Path(__file__).resolve().parents[2]


def test_every_lesson_parses_and_links_to_a_page_that_exists():
    lessons = load_lessons()
    assert lessons
    for lesson in lessons:
        assert (ROOT / lesson.practice).is_file(), lesson.practice
        assert lesson.objectives and 1 <= lesson.minutes <= 30 and lesson.body


@pytest.mark.parametrize("text, message", [("no front matter", "no front matter"), ("---\ntitle: x\n---\nbody", "lacks")])
def test_malformed_lessons_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_lesson(text, slug="bad")
