"""Learn: the lessons, the learner's progress, and one lesson at a time with its quiz."""

import streamlit as st

from datacentric.present.lessons import load_lessons
from datacentric.ui import classroom, links
from datacentric.ui import lesson as view

all_lessons = load_lessons()
by_slug = {lesson.slug: lesson for lesson in all_lessons}

st.title("Learn")
progress = view.progress_of_all(all_lessons)
finished = sum(p["complete"] for p in progress.values())
st.progress(finished / len(all_lessons), text=f"{finished} of {len(all_lessons)} lessons complete")

found = classroom.membership()
assigned = set(found[0].lessons) if found else set()  # lessons the learner's room was given
if assigned:
    st.caption("Lessons marked 📌 are assigned by your instructor; the Class page lists them too.")

chosen = st.query_params.get("lesson")  # in the URL, so a lesson can be linked to
if chosen not in by_slug:
    for i, lesson in enumerate(all_lessons, start=1):
        with st.container(border=True):
            left, right = st.columns([4, 1], vertical_alignment="center")
            mark = ("✅ " if progress[lesson.slug]["complete"] else "") + ("📌 " if lesson.slug in assigned else "")
            left.markdown(f"{mark}**{i}. {lesson.title}** · {lesson.minutes} min  \n" + "; ".join(lesson.objectives))
            # Named apart ("Open lesson 2"), so a screen reader (and a browser test) can tell the buttons apart.
            if right.button(f"Open lesson {i}", key=f"open_{lesson.slug}", width="stretch"):
                st.query_params["lesson"] = lesson.slug
                st.rerun()
    st.stop()

lesson = by_slug[chosen]
if st.button("All lessons", icon=":material/arrow_back:"):
    del st.query_params["lesson"]
    st.rerun()
st.header(lesson.title)
st.caption(f"{lesson.minutes} minutes")
st.markdown("**You will learn to:**\n" + "\n".join(f"- {o}" for o in lesson.objectives))
view.body(lesson)
st.page_link(links.page(lesson.practice), label="Practise it now", icon=":material/exercise:")
if lesson.quiz:
    st.subheader("Check your understanding")
    if view.quiz(lesson):  # complete
        view.next_link(lesson, all_lessons)
