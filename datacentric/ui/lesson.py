"""A lesson on screen: its text with live charts from the learner's scenario, its quiz, its progress."""

from __future__ import annotations

import re

import streamlit as st

from datacentric.common.display import plain
from datacentric.common.glossary import gloss
from datacentric.present import charts, lessons
from datacentric.ui import keys, links, services, session, widgets

CHART = re.compile(r"^\[\[chart:(\w+)\]\]$", re.MULTILINE)
CHARTS = ("confident_joint", "found_vs_reviewed", "every_metric")  # what a [[chart:name]] line may name


def topic(lesson: lessons.Lesson) -> str:
    return f"lesson/{lesson.slug}"


def progress_of(lesson: lessons.Lesson) -> dict:
    return lessons.progress(lesson, [record for _, record in session.events(topic(lesson))])


def progress_of_all(all_lessons: list[lessons.Lesson]) -> dict[str, dict]:
    """Progress for every lesson from one read of the learner's lesson events."""
    events = session.events("lesson/")
    return {
        lesson.slug: lessons.progress(lesson, [r for t, r in events if t == topic(lesson)]) for lesson in all_lessons
    }


def body(lesson: lessons.Lesson) -> None:
    """The lesson's Markdown (our own text), with ``[[chart:name]]`` lines drawn from the scenario."""
    parts = CHART.split(lesson.body)
    for i, part in enumerate(parts):
        if i % 2 == 0:
            st.markdown(part)
        else:
            _chart(part)


def _chart(name: str) -> None:
    scenario = session.current_scenario()
    lab = session.lab(scenario)
    st.caption(f"Computed on your scenario: {plain(session.describe())}.")
    if name == "confident_joint":
        widgets.chart(
            charts.confusion(
                services.confident_joint(scenario),
                lab.dataset.classes,
                rows="given label",
                columns="confidently likely class",
                title="Confident joint",
            )
        )
        st.caption(gloss("confident_joint"))
    elif name == "found_vs_reviewed" and lab.grading == "none":
        st.info(
            "This chart counts wrong labels found, so it needs to know which labels are wrong: add noise to "
            "your scenario on Home, or bring a column of known-true labels.",
            icon=":material/info:",
        )
    elif name == "found_vs_reviewed":
        widgets.chart(charts.found_vs_reviewed(services.found_curves(scenario)))
    elif name == "every_metric":
        from datacentric.ui import headline

        headline.metrics_and_classes(services.score_of(scenario, lab.noisy_labels).confusion, lab.dataset.classes)
    else:
        st.error(f"This lesson asks for a chart the app does not know: {name!r}.")


def quiz(lesson: lessons.Lesson) -> bool:
    """Every question, each checked on its own, its options in this learner's order. A wrong answer says so and
    lets the learner try again; the explanation waits for the right answer, or for "Show the answer" after a wrong
    try. Every try is saved (the instructor's view counts the first). Returns whether the lesson is complete."""
    done = progress_of(lesson)
    seed = session.workspace_id() or st.session_state.get(keys.PENDING) or ""  # the id a first answer saves under
    for i, q in enumerate(lesson.quiz):
        with st.container(border=True):
            st.markdown(f"**Question {i + 1}.** {q.question}")
            order = lessons.shuffled(lesson, i, seed=seed)
            last = done["last"].get(i)
            revealed = i in done["revealed"]
            choice = st.radio(
                "Your answer",
                order,
                index=order.index(last) if last in order else None,
                key=f"quiz_{lesson.slug}_{i}",
                label_visibility="collapsed",
            )
            buttons = st.container(horizontal=True)
            if buttons.button("Check", key=f"check_{lesson.slug}_{i}", disabled=choice is None):
                _save(lesson, {"question": i, "choice": choice})
                last = choice
            if last not in (None, q.answer) and not revealed:  # after a wrong try, never before one
                # Saved in a callback, before the run that shows the answer: that run no longer offers it.
                buttons.button(
                    "Show the answer",
                    key=f"show_{lesson.slug}_{i}",
                    on_click=_save,
                    args=(lesson, {"question": i, "revealed": True}),
                    **session.writable(),
                )
            if last == q.answer:
                st.success(f"Right. {q.explanation}")
            elif revealed:
                st.info(f"The answer is “{q.answer}”. {q.explanation}", icon=":material/lightbulb:")
            elif last is not None:
                st.error(f"Not quite: “{last}” is not the answer. Choose another and check again.")
    done = progress_of(lesson)
    if done["complete"]:
        st.success("Lesson complete.", icon=":material/check_circle:")
    elif st.button(
        "Mark lesson complete",
        type="primary",
        **session.writable(not done["can_complete"]),
        help="Answer every question correctly first." if lesson.quiz else None,
    ):
        session.add_event(topic(lesson), {"complete": True})
        st.rerun()
    return done["complete"]


def _save(lesson: lessons.Lesson, record: dict) -> None:
    if not session.read_only():  # a read-only view may check an answer; it is not saved
        session.add_event(topic(lesson), record)


def next_link(lesson: lessons.Lesson, all_lessons: list[lessons.Lesson]) -> None:
    """A link to the lesson after ``lesson``; after the last, back to the list of lessons."""
    following = next((b for a, b in zip(all_lessons, all_lessons[1:]) if a.slug == lesson.slug), None)
    if following is None:
        st.page_link(links.page("pages/learn.py"), label="Back to all lessons", icon=":material/list:")
    else:
        st.page_link(
            links.page("pages/learn.py"),
            label=f"Next lesson: {following.title}",
            icon=":material/arrow_forward:",
            query_params={"lesson": following.slug},
        )
