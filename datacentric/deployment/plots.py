"""Charts of the deployed model's weeks (Vega-Lite specifications, as ``datacentric.present.charts``): accuracy by week,
true
and estimated; every strategy's replay; this week's predictions and confidence against training's."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from datacentric.deployment.weeks import CEILING_WAY, FLOOR_WAY
from datacentric.present.charts import Spec, field, values

__all__ = ["weeks", "strategies", "distribution"]

TRUE, ESTIMATED = "true", "estimated"  # the lines of the learner's weeks: the keys their ``line`` column holds
WEEK_LINES = {TRUE: "true accuracy", ESTIMATED: "estimated without labels"}  # and what the chart calls them


def _lines(
    frame: pd.DataFrame, title: str, names: dict[str, str], *, start: int | None, dashed: Sequence[str] = ()
) -> Spec:
    """Accuracy against week, one line per ``line`` (a key: ``names`` says what the chart calls it, in its order);
    ``dashed``: keys of the lines drawn dashed; a rule where the drift starts."""
    frame = frame.assign(name=frame["line"].map(names))
    y = field(
        "accuracy",
        "Q",
        title="accuracy",
        scale={"domain": [max(0.0, float(frame["accuracy"].min()) - 0.05), 1]},
        axis={"format": "%"},
    )
    layers = [
        {
            "data": {"values": values(frame)},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": field("week", "Q", title="week", axis={"tickMinStep": 1, "format": "d"}),
                "y": y,
                "color": field("name", "N", title=None, sort=list(names.values()), legend={"orient": "bottom"}),
                "strokeDash": {
                    "condition": {"test": f"indexof({list(dashed)}, datum.line) >= 0", "value": [5, 4]},
                    "value": [1, 0],
                },
                "tooltip": [field("week", "Q"), field("name", "N", title=" "), field("accuracy", "Q", format=".1%")],
            },
        }
    ]
    if start is not None:
        mark = {"values": [{"week": start - 0.5, "label": "drift starts"}]}
        layers += [
            {
                "data": mark,
                "mark": {"type": "rule", "strokeDash": [2, 2], "color": "gray"},
                "encoding": {"x": field("week", "Q")},
            },
            {
                "data": mark,
                "mark": {"type": "text", "align": "left", "dx": 4, "y": 8, "color": "gray"},
                "encoding": {"x": field("week", "Q"), "text": field("label", "N")},
            },
        ]
    return {"height": 300, "title": title, "layer": layers}


def weeks(frame: pd.DataFrame, *, start: int | None) -> Spec:
    """The learner's weeks: ``frame`` with week, line (``TRUE`` / ``ESTIMATED``), accuracy."""
    return _lines(frame, "The deployed model, week by week", WEEK_LINES, start=start, dashed=[ESTIMATED])


def strategies(frame: pd.DataFrame, titles: dict[str, str], *, start: int | None) -> Spec:
    """Every way's accuracy by week (``frame``: week, way, accuracy; ``titles``: what the chart calls each way),
    floor and ceiling dashed."""
    shown = frame.rename(columns={"way": "line"})[["week", "line", "accuracy"]]
    return _lines(
        shown,
        "Every strategy at the same budget, on the same stream",
        titles,
        start=start,
        dashed=[FLOOR_WAY, CEILING_WAY],
    )


def distribution(reference: np.ndarray, current: np.ndarray, names: list[str], title: str) -> Spec:
    """Shares of each predicted class (or confidence bin) at deployment and this week, side by side."""
    frame = pd.concat(
        [
            pd.DataFrame({"value": names, "when": "at deployment", "share": reference / max(reference.sum(), 1)}),
            pd.DataFrame({"value": names, "when": "this week", "share": current / max(current.sum(), 1)}),
        ]
    )
    return {
        "data": {"values": values(frame)},
        "height": 220,
        "title": title,
        "mark": "bar",
        "encoding": {
            "x": field("value", "N", sort=names, title=None, axis={"labelAngle": 0}),
            "xOffset": field("when", "N"),
            "y": field("share", "Q", title="share", axis={"format": "%"}),
            "color": field(
                "when", "N", title=None, legend={"orient": "bottom"}, scale={"range": ["#bab0ac", "#4c78a8"]}
            ),
            "tooltip": [field("value", "N"), field("when", "N"), field("share", "Q", format=".1%")],
        },
    }
