"""What the instructor sees of a room: who is where with how many actions and what score, the class's scores
against actions, the quiz questions answered wrong most often, the labels the class disagreed on most, and a CSV."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from datacentric.classroom.roster import Member
from datacentric.lab.lab import Lab
from datacentric.lab.worklog import Action, LabelState, label_actions
from datacentric.present.export import to_csv
from datacentric.present.lessons import Lesson, progress

__all__ = [
    "LESSON_TOPIC",
    "Learner",
    "learners",
    "Miss",
    "quiz_misses",
    "Disagreement",
    "disagreements",
    "progress_points",
    "as_csv",
    "scores_chart",
    "standing_chart",
]

LESSON_TOPIC = "lesson/"  # as datacentric.ui.lesson files quiz answers


@dataclass(frozen=True)
class Learner:
    """One learner's line in the instructor's view."""

    name: str
    page: str
    seen_seconds_ago: float | None
    actions: int  # label actions used (an undo gives none back)
    score: float  # the room's metric on the test items every page shows
    submissions: int
    best_public: float | None
    lessons_done: int
    lessons_assigned: int


def learners(
    members: list[Member],
    logs: dict[str, list[Action]],
    states: dict[str, LabelState],
    score: Callable[[LabelState], float],
    submitted: list[dict],
    events: dict[str, list[tuple[str, dict]]],
    assigned: list[Lesson],
    now: datetime | None = None,
) -> list[Learner]:
    """A line per member, in joining order. ``score``: the room's metric for a label state (cached by the caller)."""
    now = now or datetime.now(UTC)
    rows = []
    for m in members:
        mine = [s for s in submitted if s["workspace"] == m.workspace]
        done = sum(
            progress(lesson, [r for t, r in events.get(m.workspace, []) if t == LESSON_TOPIC + lesson.slug])["complete"]
            for lesson in assigned
        )
        rows.append(
            Learner(
                m.name,
                m.page or "not yet seen",
                None if m.seen is None else (now - m.seen).total_seconds(),
                label_actions(logs[m.workspace]),
                score(states[m.workspace]),
                len(mine),
                max((s["public"] for s in mine), default=None),
                done,
                len(assigned),
            )
        )
    return rows


@dataclass(frozen=True)
class Miss:
    lesson: str
    question: int  # 1-based
    text: str
    answered: int  # learners who answered it
    wrong: int  # of them, wrong at their first try
    commonest_wrong: str | None

    @property
    def share_wrong(self) -> float:
        return self.wrong / self.answered if self.answered else 0.0


def quiz_misses(all_lessons: list[Lesson], events: dict[str, list[tuple[str, dict]]]) -> list[Miss]:
    """Every quiz question some learner answered, the most often wrong (at the first try) first. A learner may try
    again after a wrong answer, or ask to see it: only the first try counts here."""
    found = []
    for lesson in all_lessons:
        tried = [
            progress(lesson, [r for t, r in records if t == LESSON_TOPIC + lesson.slug])["first"]
            for records in events.values()
        ]
        for i, q in enumerate(lesson.quiz):
            first = [answers[i] for answers in tried if i in answers]
            if not first:
                continue
            wrong = [a for a in first if a != q.answer]
            commonest = Counter(wrong).most_common(1)[0][0] if wrong else None
            found.append(Miss(lesson.title, i + 1, q.question, len(first), len(wrong), commonest))
    return sorted(found, key=lambda m: (-m.share_wrong, -m.wrong, m.lesson, m.question))


@dataclass(frozen=True)
class Disagreement:
    item: int  # training item
    given: str  # the label every learner started from
    truth: str
    learners: int  # learners who acted on it
    labels: tuple[tuple[str, int], ...]  # what they left it as, commonest first ("removed" for a removal)

    @property
    def agreement(self) -> float:
        """The share of those learners who left it as the commonest choice."""
        return self.labels[0][1] / self.learners


def disagreements(lab: Lab, states: list[LabelState], *, least: int = 2) -> list[Disagreement]:
    """Items at least ``least`` learners acted on, the least agreed first (then the most acted on)."""
    classes = lab.dataset.classes
    reviewed = [(s, set(s.reviewed)) for s in states]
    touched = Counter(item for _, items in reviewed for item in items)
    found = []
    for item, n in touched.items():
        if n < least:
            continue
        left = Counter(
            str(classes[s.labels[item]]) if s.kept[item] else "removed" for s, items in reviewed if item in items
        )
        found.append(
            Disagreement(
                item,
                str(classes[lab.noisy_labels[item]]),
                str(classes[lab.true_labels[item]]),
                n,
                tuple(left.most_common()),
            )
        )
    return sorted(found, key=lambda d: (d.agreement, -d.learners, d.item))


def progress_points(members: list[Member], submitted: list[dict]) -> list[dict]:
    """Each submission as a point of the class's public score against actions used: name, actions, public."""
    names = {m.workspace: m.name for m in members}
    return [
        {"name": names.get(s["workspace"], "?"), "actions": s["actions"], "public": s["public"]}
        for s in submitted
        if s["workspace"] in names
    ]


def as_csv(rows: list[Learner]) -> bytes:
    """The class's lines as CSV (``export.to_csv``: a name a spreadsheet would run as a formula is neutralised)."""

    return to_csv(
        pd.DataFrame(
            {
                "name": [r.name for r in rows],
                "page": [r.page for r in rows],
                "seconds since seen": [None if r.seen_seconds_ago is None else round(r.seen_seconds_ago) for r in rows],
                "label actions": [r.actions for r in rows],
                "score": [round(r.score, 4) for r in rows],
                "submissions": [r.submissions for r in rows],
                "best public score": [None if r.best_public is None else round(r.best_public, 4) for r in rows],
                "assigned lessons done": [r.lessons_done for r in rows],
                "assigned lessons": [r.lessons_assigned for r in rows],
            }
        )
    )


def scores_chart(points: list[dict], metric: str) -> dict:
    """The class's submissions as a Vega-Lite chart: public score against label actions, a line per learner."""
    return {
        "data": {"values": points},
        "height": 320,
        "title": f"The class's submissions: public {metric} against label actions",
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "actions", "type": "quantitative", "title": "label actions used"},
            "y": {
                "field": "public",
                "type": "quantitative",
                "title": f"public {metric}",
                "axis": {"format": "%"},
                "scale": {"zero": False},
            },
            "color": {"field": "name", "type": "nominal", "title": "learner"},
            "tooltip": [
                {"field": "name", "type": "nominal"},
                {"field": "actions", "type": "quantitative"},
                {"field": "public", "type": "quantitative", "format": ".1%"},
            ],
        },
    }


def standing_chart(names: list[str], rows: list[Learner], metric: str) -> dict:
    """Where the class is, as a Vega-Lite chart: each learner's score now (on the test items every page shows)
    against the label actions they used, with the class's median score as a rule."""
    points = [{"name": n, "actions": r.actions, "score": r.score} for n, r in zip(names, rows)]
    return {
        "data": {"values": points},
        "height": 320,
        "title": f"The class now: {metric} on the pages' test items against label actions",
        "layer": [
            {
                "mark": {"type": "point", "filled": True, "size": 90},
                "encoding": {
                    "x": {"field": "actions", "type": "quantitative", "title": "label actions used"},
                    "y": {
                        "field": "score",
                        "type": "quantitative",
                        "title": metric,
                        "axis": {"format": "%"},
                        "scale": {"zero": False},
                    },
                    "tooltip": [
                        {"field": "name", "type": "nominal"},
                        {"field": "actions", "type": "quantitative"},
                        {"field": "score", "type": "quantitative", "format": ".1%"},
                    ],
                },
            },
            {
                "mark": {"type": "rule", "strokeDash": [4, 4]},
                "encoding": {"y": {"aggregate": "median", "field": "score", "type": "quantitative"}},
            },
        ],
    }
