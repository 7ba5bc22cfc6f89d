from datacentric.lessons import load_lessons
from tests.app.conftest import flat

PAGE = "pages/learn.py"


def test_lists_every_lesson_with_progress(open_page):
    at = open_page(PAGE)
    assert at.title[0].value == "Learn"
    opens = [b.label for b in at.button if b.label.startswith("Open")]
    assert opens == [f"Open lesson {i}" for i in range(1, len(load_lessons()) + 1)]
    assert f"0 of {len(load_lessons())} lessons complete" in at.get("progress")[0].proto.text


def test_a_lesson_runs_its_quiz_and_completes(open_page):
    lesson = load_lessons()[2]  # the one with charts from the scenario
    at = open_page(PAGE, lesson=lesson.slug, dataset="wine", noise="uniform", rate="20", seed="0")
    assert at.header[0].value == lesson.title and not at.error
    complete = next(b for b in at.button if b.label == "Mark lesson complete")
    assert complete.disabled
    for i, q in enumerate(lesson.quiz):
        wrong = next(c for c in q.choices if c != q.answer)
        at.radio(key=f"quiz_{lesson.slug}_{i}").set_value(wrong).run()
        at.button(key=f"check_{lesson.slug}_{i}").click().run()
        assert any(q.explanation[:30] in e.value for e in at.error)
        at.radio(key=f"quiz_{lesson.slug}_{i}").set_value(q.answer).run()
        at.button(key=f"check_{lesson.slug}_{i}").click().run()
    next(b for b in at.button if b.label == "Mark lesson complete").click().run()
    assert not at.exception
    assert any("Lesson complete" in s.value for s in at.success)
    assert at.session_state["workspace"] and "ws" not in flat(at.query_params)  # saved; the secret not in the URL


def test_the_measurement_lesson_shows_every_metric_for_the_scenario(open_page):
    lesson = next(x for x in load_lessons() if x.slug.startswith("04-"))
    at = open_page(PAGE, lesson=lesson.slug, dataset="wine", noise="systematic", rate="30", seed="0")
    assert not at.exception and not at.error
    assert {"Accuracy", "Balanced accuracy", "Macro-F1"} <= {m.label for m in at.metric}
    assert any(c.value.startswith("Computed on your scenario") for c in at.caption)
