"""Charts of label consistency (Vega-Lite specifications, as ``datacentric.present.charts``): annotator agreement as a
heat
map, the three ways of combining labels side by side, instruction versions, and a class's labels per part."""

from __future__ import annotations

import numpy as np
import pandas as pd

from datacentric.consistency.parts import N_LABEL
from datacentric.present.charts import Spec, field, values

__all__ = ["kappa_heatmap", "methods", "versions", "class_labels"]

_EVERY_LABEL = {"labelOverlap": False, "labelFlush": False}


def kappa_heatmap(kappa: np.ndarray, names: list[str]) -> Spec:
    """Cohen's kappa of every pair of annotators; blank where a pair shared too few items."""
    n = len(names)
    kappa = np.array(kappa, dtype=float)
    np.fill_diagonal(kappa, np.nan)  # an annotator with itself says nothing, and its 1s outshone every pair
    frame = pd.DataFrame({"a": np.repeat(names, n), "b": np.tile(names, n), "kappa": kappa.ravel()})
    frame = frame[frame["kappa"].notna()]
    axis = {**_EVERY_LABEL, "labelFontSize": 9 if n > 30 else 12} if n <= 60 else {"labels": False}
    return {
        "data": {"values": values(frame)},
        "height": 420,
        "title": "Cohen's kappa of each pair of annotators",
        "mark": "rect",
        "encoding": {
            "x": field("a", "N", sort=names, title="annotator", axis=axis),
            "y": field("b", "N", sort=names, title="annotator", axis=axis),
            "color": field("kappa", "Q", title="kappa", scale={"scheme": "redblue", "domain": [-1, 1], "domainMid": 0}),
            "tooltip": [
                field("a", "N", title="annotator"),
                field("b", "N", title="with"),
                field("kappa", "Q", format=".2f"),
            ],
        },
    }


def methods(frame: pd.DataFrame, metric: str) -> Spec:
    """Label accuracy and the fixed model's test ``metric`` (a name) for each way of combining labels, side by side.

    ``frame``: ``study.outcomes`` (title, label_accuracy, test)."""
    measures = {"label_accuracy": "label accuracy", "test": f"model's test {metric}"}
    return _grouped(
        frame.rename(columns={"title": "group"}),
        measures,
        "Labels from the panel, three ways, and the true labels as the ceiling",
        percent=True,
        height=300,
    )


def versions(frame: pd.DataFrame) -> Spec:
    """Each version of the instructions (in the order written) by agreement, label accuracy and the model's test
    accuracy. ``frame``: one row per version with columns version, agreement, label_accuracy, test_accuracy."""
    measures = {
        "agreement": f"agreement (alpha, {N_LABEL} parts)",
        "label_accuracy": "label accuracy",
        "test_accuracy": "model's test accuracy",
    }
    return _grouped(
        frame.rename(columns={"version": "group"}),
        measures,
        "Each version of the instructions",
        percent=False,
        height=280,
    )


def _grouped(frame: pd.DataFrame, measures: dict[str, str], title: str, *, percent: bool, height: int) -> Spec:
    """Bars of each ``measures`` column (key -> shown name) side by side for every row's ``group``, in row order,
    each bar written with its value."""
    long = pd.concat(
        [
            pd.DataFrame({"group": frame["group"], "measure": shown, "value": frame[key]})
            for key, shown in measures.items()
        ]
    )
    order, names = list(frame["group"]), list(measures.values())
    low = min(0.0, float(long["value"].min())) if long["value"].notna().any() else 0.0  # alpha can be below 0
    return {
        "data": {"values": values(long)},
        "height": height,
        "title": title,
        "encoding": {
            "x": field("group", "N", sort=order, title=None, axis={**_EVERY_LABEL, "labelAngle": 0, "labelLimit": 400}),
            "xOffset": field("measure", "N", sort=names),
            "y": field(
                "value", "Q", title=None, scale={"domain": [low, 1]}, axis={"format": "%" if percent else ".1f"}
            ),
            "color": field(
                "measure",
                "N",
                title=None,
                sort=names,
                legend={"orient": "bottom"},
                scale={"range": ["#4c78a8", "#72b7b2", "#54a24b"]},
            ),  # no red: red means a fall here
            "tooltip": [
                field("group", "N", title=" "),
                field("measure", "N"),
                field("value", "Q", format=".1%" if percent else ".2f"),
            ],
        },
        "layer": [
            {"mark": "bar"},
            {
                "mark": {"type": "text", "dy": -8, "fontSize": 12},
                "encoding": {"text": field("value", "Q", format=".0%" if percent else ".2f")},
            },
        ],
    }


def class_labels(matrix: np.ndarray, people: list[str], parts: list[str], labels: tuple[str, ...]) -> Spec:
    """A class's labels: one row per part (most disputed first, as ``parts`` orders them), one column per learner,
    coloured by the label given; blank where a learner has not labelled the part yet."""
    n_parts, n_people = matrix.shape
    frame = pd.DataFrame(
        {"part": np.repeat(parts, n_people), "learner": np.tile(people, n_parts), "code": np.asarray(matrix).ravel()}
    )
    frame = frame[frame["code"] >= 0]
    frame["label"] = [labels[c] for c in frame["code"]]
    return {
        "data": {"values": values(frame[["part", "learner", "label"]])},
        "height": max(240, 18 * n_parts),
        "title": "The class's labels, part by part (most disputed first)",
        "mark": "rect",
        "encoding": {
            "x": field("learner", "N", sort=people, title=None, axis={**_EVERY_LABEL, "labelAngle": -45}),
            "y": field("part", "N", sort=parts, title=None, axis=_EVERY_LABEL),
            "color": field(
                "label",
                "N",
                title="label",
                sort=list(labels),
                scale={"domain": list(labels), "range": ["#4c78a8", "#e45756", "#bab0ac"][: len(labels)]},
            ),
            "tooltip": [field("part", "N"), field("learner", "N"), field("label", "N")],
        },
    }
