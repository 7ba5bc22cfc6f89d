"""Altair chart builders: data in, chart out. Sized to read on a projector."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from datacentric.metrics import lowered

FONT_SIZE = 14


def confusion(matrix: np.ndarray, classes: tuple[str, ...], *, rows: str = "true class", columns: str = "predicted class",
              title: str = "Confusion matrix on the test items") -> alt.Chart:
    """Heatmap of a class-by-class count matrix, counts written in each cell (long class names shortened)."""
    from datacentric.display import display_names

    classes = tuple(display_names(classes))
    k = len(classes)
    frame = pd.DataFrame(
        {
            "true": np.repeat(classes, k),
            "predicted": np.tile(classes, k),
            "count": np.asarray(matrix).ravel(),
        }
    )
    base = alt.Chart(frame).encode(
        x=alt.X("predicted:N", sort=list(classes), title=columns),
        y=alt.Y("true:N", sort=list(classes), title=rows),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), legend=None),
        tooltip=[alt.Tooltip("true:N", title=rows), alt.Tooltip("predicted:N", title=columns), "count:Q"],
    )
    threshold = float(frame["count"].max()) / 2 or 1.0
    text = base.mark_text(fontSize=FONT_SIZE).encode(
        text="count:Q",
        color=alt.condition(alt.datum.count > threshold, alt.value("white"), alt.value("black")),
    )
    return (cells + text).properties(height=320, title=title)


def accuracy_history(frame: pd.DataFrame, *, ceiling: float | None, metric: str = "Accuracy") -> alt.Chart:
    """The test ``metric`` (a name) against actions taken, under a dashed line at the clean-label ``ceiling``.

    ``frame`` has columns ``actions`` and ``accuracy`` (the metric's values). The axis always spans start to
    ceiling, so a small step looks small. Without a known ceiling (nobody knows the clean labels) there is no line.
    """
    bound = frame["accuracy"] if ceiling is None else pd.concat([frame["accuracy"], pd.Series([ceiling])])
    low = bound.min() - 0.01
    high = min(1.0, bound.max() + 0.005)
    title = f"test {lowered(metric)}"
    y = alt.Y("accuracy:Q", title=title, scale=alt.Scale(domain=[low, high]), axis=alt.Axis(format="%"))
    line = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("actions:Q", title="actions taken", axis=alt.Axis(tickMinStep=1, format="d")),
        y=y,
        tooltip=["actions", alt.Tooltip("accuracy:Q", title=title, format=".1%")],
    )
    heading = f"Test {lowered(metric)} as you fix labels"
    if ceiling is None:
        return line.properties(height=260, title=heading)
    rule = alt.Chart(pd.DataFrame({"accuracy": [ceiling], "label": ["clean-label ceiling"]})).encode(y=y)
    return (line + rule.mark_rule(strokeDash=[4, 4], color="gray")
            + rule.mark_text(align="left", dx=4, dy=-7, color="gray", x=0).encode(text="label:N")).properties(
        height=260, title=heading)


ZOOM_FLOOR = 50  # items: the smallest window the found-vs-reviewed chart zooms to
ZOOM_FACTOR = 4  # the window is this many times the learner's own review, so their line fills a quarter


def found_window(reviewed: int, total: int) -> int | None:
    """How many reviewed items the found-vs-reviewed chart shows so a learner's short line is visible:
    None (the whole queue) once their review fills enough of it."""
    window = max(ZOOM_FLOOR, ZOOM_FACTOR * reviewed)
    return window if window < total else None


def found_vs_reviewed(frame: pd.DataFrame, *, you: pd.DataFrame | None = None, upto: int | None = None) -> alt.Chart:
    """Noisy labels found against items reviewed, one line per review order; ``upto`` zooms to the first
    ``upto`` items reviewed."""
    data = frame if you is None or you.empty else pd.concat([frame, you], ignore_index=True)
    if upto is not None:
        data = data[data["reviewed"] <= upto]
    return (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=alt.X("reviewed:Q", title="items reviewed"),
            y=alt.Y("found:Q", title="noisy labels found"),
            color=alt.Color("order:N", title="review order", legend=alt.Legend(orient="bottom")),
            strokeDash=alt.condition(alt.datum.order == "perfect oracle", alt.value([4, 4]), alt.value([1, 0])),
            tooltip=["order", "reviewed", "found"],
        )
        .properties(height=300)
    )


def effort(frame: pd.DataFrame, metric: str = "Accuracy") -> alt.Chart:
    """The test ``metric`` (a name) against effort, one line per arm. Columns: ``effort``, ``accuracy`` (the
    metric's values), ``arm``."""
    return _lines(frame.rename(columns={"effort": "x", "accuracy": "y", "arm": "line"}),
                  "effort (search trials, or label actions and reviews)", metric, ["arm", "effort"],
                  mark={"interpolate": "step-after", "point": alt.OverlayMarkDef(size=20)}, height=320)


def collected(frame: pd.DataFrame, metric: str = "Accuracy") -> alt.Chart:
    """The test ``metric`` (a name) against rows collected, one line per way of spending them. Columns:
    ``collected``, ``value``, ``way`` (the arm's words, with its slice)."""
    return _lines(frame.rename(columns={"collected": "x", "value": "y", "way": "line"}),
                  "rows collected from the reserve", metric, ["way", "collected"],
                  mark={"point": alt.OverlayMarkDef(size=30)}, height=300, ticks=sorted(frame["collected"].unique()))


def _lines(frame: pd.DataFrame, x_title: str, metric: str, names: list[str], *, mark: dict, height: int,
           ticks: list | None = None) -> alt.Chart:
    """Lines of a test metric: columns x, y, line; ``names``: what the tooltip calls the line and x; ``ticks``: the
    x axis's ticks (every whole number by default)."""
    y_title = f"test {lowered(metric)}"
    return (
        alt.Chart(frame[["x", "y", "line"]])
        .mark_line(**mark)
        .encode(
            x=alt.X("x:Q", title=x_title, axis=alt.Axis(tickMinStep=1) if ticks is None else alt.Axis(values=ticks)),
            y=alt.Y("y:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(format="%")),
            color=alt.Color("line:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=0, columns=1)),
            tooltip=[alt.Tooltip("line:N", title=names[0]), alt.Tooltip("x:Q", title=names[1]),
                     alt.Tooltip("y:Q", title=y_title, format=".1%")],
        )
        .properties(height=height)
    )
