"""Chart builders: data in, a Vega-Lite specification out (a plain dict, drawn by ``st.vega_lite_chart``). Sized to
read on a projector.

Plain specifications rather than Altair objects: building and validating the three charts of Fix the labels
through Altair took about 150 ms of every label action's server time (25-50 ms a chart), a dict takes under 1 ms.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from datacentric.common.display import display_names
from datacentric.common.metrics import lowered
from datacentric.findings.issues import ORDERS, Order

__all__ = [
    "FONT_SIZE",
    "Spec",
    "FONT_PARAM",
    "PROJECTOR",
    "PROJECTOR_FONT_SIZE",
    "projected",
    "values",
    "field",
    "confusion",
    "accuracy_history",
    "ZOOM_FLOOR",
    "ZOOM_FACTOR",
    "found_window",
    "found_vs_reviewed",
    "effort",
    "collected",
]

FONT_SIZE = 14
Spec = dict[str, Any]
FONT_PARAM = "font_size"  # a chart's own text marks (the confusion counts) read their largest size from this param
# Text sizes in px for a projector, read from the back of a room; Streamlit's theme draws axis labels at 12 px.
PROJECTOR = {
    "axis": {"labelFontSize": 16, "titleFontSize": 18},
    "legend": {"labelFontSize": 16, "titleFontSize": 16},
    "title": {"fontSize": 22},
    "text": {"fontSize": 16},
}
PROJECTOR_FONT_SIZE = 20


def projected(spec: Spec) -> Spec:
    """``spec`` with the projector's text sizes: larger axis, legend and title text, and larger counts in cells."""
    config = dict(spec.get("config", {}))
    for part, sizes in PROJECTOR.items():
        config[part] = {**config.get(part, {}), **sizes}
    params = [{**p, "value": PROJECTOR_FONT_SIZE} if p.get("name") == FONT_PARAM else p for p in spec.get("params", [])]
    return {**spec, "config": config, **({"params": params} if params else {})}


def values(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as JSON-ready records (numpy numbers become plain ones, NaN becomes null)."""
    return json.loads(frame.to_json(orient="records"))


def field(name: str, kind: str, **more) -> dict[str, Any]:
    return {"field": name, "type": {"N": "nominal", "Q": "quantitative"}[kind], **more}


_EVERY_LABEL = {"labelOverlap": False, "labelFlush": False}


def confusion(
    matrix: np.ndarray,
    classes: tuple[str, ...],
    *,
    rows: str = "true class",
    columns: str = "predicted class",
    title: str = "Confusion matrix on the test items",
) -> Spec:
    """Heatmap of a class-by-class count matrix, counts written in each cell (long class names shortened)."""

    classes = list(display_names(classes))
    k = len(classes)
    frame = pd.DataFrame(
        {"true": np.repeat(classes, k), "predicted": np.tile(classes, k), "count": np.asarray(matrix).ravel()}
    )
    threshold = float(frame["count"].max()) / 2 or 1.0
    height = 320
    # A count fits its cell: at most FONT_PARAM, and smaller when the chart is narrow (a 10-class matrix in a 200 px
    # column at 150 % zoom wrote its counts over each other). A digit is about 0.6 of the font size wide.
    digits = len(str(int(frame["count"].max()))) if len(frame) else 1
    fits = f"min({FONT_PARAM}, width / {max(k, 1)} / {0.6 * digits + 0.4:g}, {0.6 * height / max(k, 1):g})"
    return {
        "data": {"values": values(frame)},
        "height": height,
        "params": [{"name": FONT_PARAM, "value": FONT_SIZE}],
        "title": title,
        # Every class named (Vega-Lite would drop every other label on a short axis), each beside its own row.
        "encoding": {
            "x": field("predicted", "N", sort=classes, title=columns, axis=_EVERY_LABEL),
            "y": field("true", "N", sort=classes, title=rows, axis=_EVERY_LABEL),
        },
        "layer": [
            {
                "mark": "rect",
                "encoding": {
                    "color": field("count", "Q", scale={"scheme": "blues"}, legend=None),
                    "tooltip": [
                        field("true", "N", title=rows),
                        field("predicted", "N", title=columns),
                        field("count", "Q"),
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": {"expr": f"max(8, {fits})"}},
                "encoding": {
                    "text": field("count", "Q"),
                    "color": {
                        "condition": {"test": f"datum['count'] > {threshold}", "value": "white"},
                        "value": "black",
                    },
                },
            },
        ],
    }


def accuracy_history(frame: pd.DataFrame, *, ceiling: float | None, metric: str = "Accuracy") -> Spec:
    """The test ``metric`` (a name) against actions taken, under a dashed line at the clean-label ``ceiling``.

    ``frame`` has columns ``actions`` and ``accuracy`` (the metric's values). The axis always spans start to
    ceiling, so a small step looks small. Without a known ceiling (nobody knows the clean labels) there is no line.
    """
    bound = frame["accuracy"] if ceiling is None else pd.concat([frame["accuracy"], pd.Series([ceiling])])
    low = float(bound.min()) - 0.01
    high = min(1.0, float(bound.max()) + 0.005)
    title = f"test {lowered(metric)}"
    y = field("accuracy", "Q", title=title, scale={"domain": [low, high]}, axis={"format": "%"})
    line = {
        "data": {"values": values(frame[["actions", "accuracy"]])},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": field("actions", "Q", title="actions taken", axis={"tickMinStep": 1, "format": "d"}),
            "y": y,
            "tooltip": [field("actions", "Q"), field("accuracy", "Q", title=title, format=".1%")],
        },
    }
    heading = {"height": 260, "title": f"Test {lowered(metric)} as you fix labels"}
    if ceiling is None:
        return {**line, **heading}
    rule = {"values": [{"accuracy": float(ceiling), "label": "clean-label ceiling"}]}
    return {
        **heading,
        "layer": [
            line,
            {"data": rule, "mark": {"type": "rule", "strokeDash": [4, 4], "color": "gray"}, "encoding": {"y": y}},
            {
                "data": rule,
                "mark": {"type": "text", "align": "left", "dx": 4, "dy": -7, "color": "gray", "x": 0},
                "encoding": {"y": y, "text": field("label", "N")},
            },
        ],
    }


ZOOM_FLOOR = 50  # items: the smallest window the found-vs-reviewed chart zooms to
ZOOM_FACTOR = 4  # the window is this many times the learner's own review, so their line fills a quarter


def found_window(reviewed: int, total: int) -> int | None:
    """How many reviewed items the found-vs-reviewed chart shows so a learner's short line is visible:
    None (the whole queue) once their review fills enough of it."""
    window = max(ZOOM_FLOOR, ZOOM_FACTOR * reviewed)
    return window if window < total else None


def found_vs_reviewed(frame: pd.DataFrame, *, you: pd.DataFrame | None = None, upto: int | None = None) -> Spec:
    """Noisy labels found against items reviewed, one line per review order (``order``: an ``issues.Order``, named
    as ``issues.ORDERS`` says); ``upto`` zooms to the first ``upto`` items reviewed."""
    data = frame if you is None or you.empty else pd.concat([frame, you], ignore_index=True)
    if upto is not None:
        data = data[data["reviewed"] <= upto]
    data = data.assign(line=data["order"], order=data["order"].map(ORDERS))
    return {
        "data": {"values": values(data[["reviewed", "found", "order", "line"]])},
        "height": 300,
        "mark": "line",
        "encoding": {
            "x": field("reviewed", "Q", title="items reviewed"),
            "y": field("found", "Q", title="noisy labels found"),
            "color": field("order", "N", title="review order", legend={"orient": "bottom"}),
            "strokeDash": {
                "condition": {"test": f"datum.line === '{Order.ORACLE.value}'", "value": [4, 4]},
                "value": [1, 0],
            },
            "tooltip": [field("order", "N"), field("reviewed", "Q"), field("found", "Q")],
        },
    }


def effort(frame: pd.DataFrame, metric: str = "Accuracy", *, lines: Mapping[str, str]) -> Spec:
    """The test ``metric`` (a name) against effort, one line per arm. Columns: ``effort``, ``accuracy`` (the
    metric's values), ``arm`` (a key, such as ``approaches.Approach``'s, that ``lines`` names)."""
    named = frame.assign(arm=frame["arm"].map(lines))
    return _lines(
        named.rename(columns={"effort": "x", "accuracy": "y", "arm": "line"}),
        "effort (search trials, or label actions and reviews)",
        metric,
        ["arm", "effort"],
        mark={"interpolate": "step-after", "point": {"size": 20}},
        height=320,
    )


def collected(frame: pd.DataFrame, metric: str = "Accuracy") -> Spec:
    """The test ``metric`` (a name) against rows collected, one line per way of spending them. Columns:
    ``collected``, ``value``, ``way`` (the arm's words, with its slice)."""
    return _lines(
        frame.rename(columns={"collected": "x", "value": "y", "way": "line"}),
        "rows collected from the reserve",
        metric,
        ["way", "collected"],
        mark={"point": {"size": 30}},
        height=300,
        ticks=[float(t) for t in sorted(frame["collected"].unique())],
    )


def _lines(
    frame: pd.DataFrame,
    x_title: str,
    metric: str,
    names: list[str],
    *,
    mark: dict[str, Any],
    height: int,
    ticks: list[Any] | None = None,
) -> Spec:
    """Lines of a test metric: columns x, y, line; ``names``: what the tooltip calls the line and x; ``ticks``: the
    x axis's ticks (every whole number by default)."""
    y_title = f"test {lowered(metric)}"
    return {
        "data": {"values": values(frame[["x", "y", "line"]])},
        "height": height,
        "mark": {"type": "line", **mark},
        "encoding": {
            "x": field("x", "Q", title=x_title, axis={"tickMinStep": 1} if ticks is None else {"values": ticks}),
            "y": field("y", "Q", title=y_title, scale={"zero": False}, axis={"format": "%"}),
            "color": field("line", "N", title=None, legend={"orient": "bottom", "labelLimit": 0, "columns": 1}),
            "tooltip": [
                field("line", "N", title=names[0]),
                field("x", "Q", title=names[1]),
                field("y", "Q", title=y_title, format=".1%"),
            ],
        },
    }
