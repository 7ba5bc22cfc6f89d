import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from datacentric.present.lessons import load_lessons, parse_lesson, progress, shuffled
from datacentric.ui.lesson import CHART, CHARTS

ROOT = Path(__file__).resolve().parents[3]


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


@pytest.mark.parametrize(
    "text, message",
    [
        ("no front matter", "no front matter"),
        ("---\ntitle: x\n---\nbody", "lacks"),
        (
            "---\ntitle: t\nminutes: 5\nobjectives: [o]\npractice: p\nquiz:\n  - question: q\n    choices: [a, b]\n"
            "    answer: c\n    explanation: e\n---\nbody",
            "not one of the choices",
        ),
        # An unquoted "Nothing: a rare class..." is a mapping in YAML, not the text of an option.
        (
            "---\ntitle: t\nminutes: 5\nobjectives: [o]\npractice: p\nquiz:\n  - question: q\n    choices: [a, b: c]\n"
            "    answer: a\n    explanation: e\n---\nbody",
            "quote it",
        ),
        (
            "---\ntitle: t\nminutes: 5\nobjectives: [o]\npractice: p\nquiz:\n  - question: q\n    choices: [a, b]\n"
            "    answer: a\n    explanation: e\n    formerly: {old b: c}\n---\nbody",
            "formerly",
        ),
        (
            "---\ntitle: t\nminutes: 5\nobjectives: [o]\npractice: p\nquiz:\n  - question: q\n---\nbody",
            "needs question",
        ),
    ],
)
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


# --- the quiz rule: options in an order of each learner's own, the right answer not given away ------------------

QUESTIONS = [(lesson, i) for lesson in load_lessons() for i in range(len(lesson.quiz))]
SEEDS = [f"workspace-{n}" for n in range(600)]  # stand-ins for workspace ids


def test_each_learner_sees_the_options_in_an_order_of_their_own_and_the_same_one_on_every_reload():
    ann = [shuffled(lesson, i, seed="ann's workspace") for lesson, i in QUESTIONS]
    assert ann == [shuffled(lesson, i, seed="ann's workspace") for lesson, i in QUESTIONS]  # stable
    bob = [shuffled(lesson, i, seed="bob's workspace") for lesson, i in QUESTIONS]
    assert sum(a != b for a, b in zip(ann, bob)) >= len(QUESTIONS) // 3  # shuffled per learner
    assert any(order != lesson.quiz[i].choices for order, (lesson, i) in zip(ann, QUESTIONS))  # not the file's order
    for order, (lesson, i) in zip(ann, QUESTIONS):
        assert sorted(order) == sorted(lesson.quiz[i].choices)  # every option, once


def test_the_order_survives_a_server_restart():
    """A new process hashes strings afresh (PYTHONHASHSEED): an order built on hash() would move on a restart."""
    here = [shuffled(lesson, i, seed="ann's workspace") for lesson, i in QUESTIONS]
    script = (
        "import json; from datacentric.present.lessons import load_lessons, shuffled; print(json.dumps("
        '[shuffled(l, i, seed="ann\'s workspace") for l in load_lessons() for i in range(len(l.quiz))]))'
    )
    for hash_seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout
        assert [tuple(order) for order in json.loads(out)] == here


@pytest.mark.parametrize("lesson, index", QUESTIONS, ids=lambda x: x.slug if hasattr(x, "slug") else f"q{x + 1}")
def test_the_right_answer_lands_in_every_position_alike(lesson, index):
    q = lesson.quiz[index]
    at = Counter(shuffled(lesson, index, seed=seed).index(q.answer) for seed in SEEDS)
    for position in range(len(q.choices)):
        assert abs(at[position] / len(SEEDS) - 1 / len(q.choices)) < 0.1, (position, at)


def test_the_right_answer_is_not_given_away_by_its_length():
    """Across every quiz, the longest option is the right one in at most a third of the questions. So that the rule
    is not met by giving the answer away the other way, the shortest is right in at most a third too, and an
    option between them in at most a half. A tie counts as longest (and shortest)."""
    questions = [q for lesson in load_lessons() for q in lesson.quiz]
    longest = [q.question for q in questions if len(q.answer) == max(map(len, q.choices))]
    shortest = [q.question for q in questions if len(q.answer) == min(map(len, q.choices))]
    between = [q.question for q in questions if min(map(len, q.choices)) < len(q.answer) < max(map(len, q.choices))]
    assert 3 * len(longest) <= len(questions), f"{len(longest)} of {len(questions)}: {longest}"
    assert 3 * len(shortest) <= len(questions), f"{len(shortest)} of {len(questions)}: {shortest}"
    assert 2 * len(between) <= len(questions), f"{len(between)} of {len(questions)}: {between}"


def test_tries_are_kept_and_the_first_try_is_what_the_instructor_counts():
    lesson = load_lessons()[0]
    q = lesson.quiz[0]
    wrong = next(c for c in q.choices if c != q.answer)
    done = progress(lesson, [{"question": 0, "choice": wrong}])
    assert done["first"] == {0: wrong} and done["tries"] == {0: 1} and 0 not in done["right"] | done["revealed"]
    done = progress(
        lesson,
        [{"question": 0, "choice": wrong}, {"question": 0, "revealed": True}, {"question": 0, "choice": q.answer}],
    )
    assert done["first"] == {0: wrong} and done["tries"] == {0: 2} and done["last"] == {0: q.answer}
    assert done["revealed"] == {0} and done["right"] == {0}


def test_an_answer_stored_before_its_option_was_reworded_still_counts():
    """Answers are stored as the option's text; a lesson that rewords an option says what it was (``formerly``)."""
    reworded = [
        (lesson, i, old, new) for lesson in load_lessons() for i, q in enumerate(lesson.quiz) for old, new in q.formerly
    ]
    assert any(new == lesson.quiz[i].answer for lesson, i, _, new in reworded)
    for lesson, i, old, new in reworded:
        assert old not in lesson.quiz[i].choices
        done = progress(lesson, [{"question": i, "choice": old}])
        assert done["last"] == {i: new} and (i in done["right"]) == (new == lesson.quiz[i].answer)


def test_the_instructor_counts_first_tries_whatever_came_after_and_in_today_s_wording():
    from datacentric.classroom import report

    lesson, i = next(
        (lesson, i)
        for lesson, i in QUESTIONS
        if any(new != lesson.quiz[i].answer for _, new in lesson.quiz[i].formerly)
    )
    q = lesson.quiz[i]
    old, reworded = next((old, new) for old, new in q.formerly if new != q.answer)
    topic = report.LESSON_TOPIC + lesson.slug
    events = {
        "ann": [
            (topic, {"question": i, "choice": reworded}),
            (topic, {"question": i, "revealed": True}),
            (topic, {"question": i, "choice": q.answer}),
        ],
        "bob": [(topic, {"question": i, "choice": old})],  # answered before the rewording
        "cat": [(topic, {"question": i, "revealed": True})],
    }  # never answered
    miss = next(m for m in report.quiz_misses([lesson], events) if m.question == i + 1)
    assert (miss.answered, miss.wrong, miss.commonest_wrong) == (2, 2, reworded)


def test_lesson_one_describes_the_default_scenario_as_the_code_sets_it():
    """A lesson's words about the default are held to the code: training rows, noise rate and kind."""
    from datacentric.data.catalog import load_dataset
    from datacentric.lab.scenario import DEFAULT
    from tests.conftest import ROOT

    text = " ".join((ROOT / "lessons" / "01-ai-is-code-plus-data.md").read_text().split())
    rows = load_dataset(DEFAULT.dataset).train_rows
    said = f"default scenario is such a project: {rows} handwritten digits for training, {DEFAULT.rate} % of their"
    assert said in text
    assert DEFAULT.noise == "uniform" and "made wrong" in text
