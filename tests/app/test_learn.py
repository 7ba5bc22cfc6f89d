from datacentric.present.lessons import load_lessons
from tests.app.conftest import flat

PAGE = "pages/learn.py"


def test_lists_every_lesson_with_progress(open_page):
    at = open_page(PAGE)
    assert at.title[0].value == "Learn"
    opens = [b.label for b in at.button if b.label.startswith("Open")]
    assert opens == [f"Open lesson {i}" for i in range(1, len(load_lessons()) + 1)]
    assert f"0 of {len(load_lessons())} lessons complete" in at.get("progress")[0].proto.text


def messages(at) -> list[str]:
    """What the page says in its boxes (right, wrong, shown answer)."""
    return [m.value for m in [*at.success, *at.error, *at.info, *at.warning]]


def answer(at, lesson, i: int, choice: str) -> None:
    at.radio(key=f"quiz_{lesson.slug}_{i}").set_value(choice).run()
    at.button(key=f"check_{lesson.slug}_{i}").click().run()
    assert not at.exception, at.exception


def links(at) -> list:
    return [(link.proto.label, link.proto.page, link.proto.query_string) for link in at.get("page_link")]


def test_a_wrong_answer_lets_the_learner_try_again_and_the_explanation_waits_for_the_right_one(open_page):
    lesson = load_lessons()[2]  # the one with charts from the scenario
    following = load_lessons()[3]
    at = open_page(PAGE, lesson=lesson.slug, dataset="wine", noise="uniform", rate="20", seed="0")
    assert at.header[0].value == lesson.title and not at.error
    complete = next(b for b in at.button if b.label == "Mark lesson complete")
    assert complete.disabled
    assert not any(b.label == "Show the answer" for b in at.button)  # nothing to show before a try
    orders = [at.radio(key=f"quiz_{lesson.slug}_{i}").options for i in range(len(lesson.quiz))]
    for i, q in enumerate(lesson.quiz):
        wrong = next(c for c in q.choices if c != q.answer)
        answer(at, lesson, i, wrong)
        said = " ".join(messages(at))
        assert f"Not quite: “{wrong}” is not the answer" in said
        assert q.explanation not in said and f"“{q.answer}”" not in said  # neither the why nor the answer yet
        assert at.button(key=f"show_{lesson.slug}_{i}").label == "Show the answer"
        answer(at, lesson, i, q.answer)
        assert f"Right. {q.explanation}" in messages(at)
        assert not any(b.label == "Show the answer" and b.key == f"show_{lesson.slug}_{i}" for b in at.button)
    # The first answer made the workspace, under the id the options were shuffled by: the same order since.
    assert [at.radio(key=f"quiz_{lesson.slug}_{i}").options for i in range(len(lesson.quiz))] == orders
    assert not any(label.startswith("Next lesson") for label, _, _ in links(at))  # not complete yet
    next(b for b in at.button if b.label == "Mark lesson complete").click().run()
    assert not at.exception
    assert any("Lesson complete" in s.value for s in at.success)
    assert ("Next lesson: " + following.title, "learn", f"lesson={following.slug}") in links(at)
    assert at.session_state["workspace"] and "ws" not in flat(at.query_params)  # saved; the secret not in the URL


def test_after_a_wrong_try_the_learner_may_see_the_answer_and_then_still_has_to_give_it(open_page):
    lesson = load_lessons()[0]
    q = lesson.quiz[0]
    wrong = next(c for c in q.choices if c != q.answer)
    at = open_page(PAGE, lesson=lesson.slug)
    answer(at, lesson, 0, wrong)
    at.button(key=f"show_{lesson.slug}_0").click().run()
    assert f"The answer is “{q.answer}”. {q.explanation}" in [m.value for m in at.info]
    assert not any(b.key == f"show_{lesson.slug}_0" for b in at.button)
    assert next(b for b in at.button if b.label == "Mark lesson complete").disabled  # seeing is not answering
    answer(at, lesson, 0, q.answer)
    assert f"Right. {q.explanation}" in [m.value for m in at.success]


def test_the_last_lesson_once_complete_links_back_to_the_list(open_page):
    lesson = load_lessons()[-1]
    at = open_page(PAGE, lesson=lesson.slug)
    for i, q in enumerate(lesson.quiz):
        answer(at, lesson, i, q.answer)
    next(b for b in at.button if b.label == "Mark lesson complete").click().run()
    assert not at.exception, at.exception
    assert ("Back to all lessons", "learn", "") in links(at)


def test_the_measurement_lesson_shows_every_metric_for_the_scenario(open_page):
    lesson = next(x for x in load_lessons() if x.slug.startswith("04-"))
    at = open_page(PAGE, lesson=lesson.slug, dataset="wine", noise="systematic", rate="30", seed="0")
    assert not at.exception and not at.error
    assert {"Accuracy", "Balanced accuracy", "Macro-F1"} <= {m.label for m in at.metric}
    assert any(c.value.startswith("Computed on your scenario") for c in at.caption)
