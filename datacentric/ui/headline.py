"""The headline metric: picked once in the sidebar, used by Home, Tune the model, Fix the labels and Compare;
and every metric with the per-class table, for a page to show under its own figures."""

from __future__ import annotations

import numpy as np
import streamlit as st

from datacentric.common import metrics
from datacentric.lab.lab import Lab
from datacentric.ui import keys, presenter, session

AUTO = "auto"


def pick(lab: Lab, page: str) -> str:
    """Draw the sidebar's picker on ``page`` (a short name); the metric key the page reports in (the default
    follows the class balance). Each page has its own widget, all kept in step through one shadow copy:
    Streamlit resets a keyed widget that moves to another page."""
    return pick_for(lab.test_labels, lab.dataset.n_classes, page)


def pick_for(test_labels, n_classes: int, page: str) -> str:
    """``pick`` from the test labels alone (Home's figures kept on disk have no lab)."""
    default, why = metrics.default_metric(np.asarray(test_labels), n_classes)
    if presenter.active():  # no sidebar in the presenter view: the metric picked before stays
        return _chosen(default)
    options = [AUTO, *metrics.METRICS]
    names = {AUTO: f"Automatic: {metrics.lowered(metrics.METRICS[default].name)}"} | {
        key: m.name for key, m in metrics.METRICS.items()
    }
    with st.sidebar:
        choice = st.selectbox(
            "Headline metric",
            options,
            format_func=names.__getitem__,
            help="Home, Tune the model, Fix the labels and Compare all report in it.",
            **session.kept(keys.HEADLINE_PICK.format(page), AUTO, allowed=options, shadow=keys.METRIC),
        )
        key = default if choice == AUTO else choice
        if choice != AUTO and st.query_params.get("metric") != choice:
            st.query_params["metric"] = choice  # a refresh or a shared link keeps it
        elif choice == AUTO and "metric" in st.query_params:
            del st.query_params["metric"]
        st.caption(why if choice == AUTO else f"{metrics.METRICS[key].name}: {metrics.METRICS[key].explain}.")
    return key


def current(lab: Lab) -> str:
    """The headline metric's key as picked (without drawing the picker)."""
    return _chosen(metrics.default_metric(lab.test_labels, lab.dataset.n_classes)[0])


def _chosen(default: str) -> str:
    choice = st.session_state.get(keys.METRIC, AUTO)
    return choice if choice in metrics.METRICS else default


def worth(lab: Lab, key: str) -> tuple[float, float]:
    """Points one test item can move the metric ``key``: (least, most)."""
    return metrics.item_worth(lab.test_labels, lab.dataset.n_classes, key)


def in_sentence(key: str) -> str:
    """The metric's name inside a sentence: 'balanced accuracy', 'macro-F1'."""
    return metrics.lowered(name(key))


def name(key: str) -> str:
    return metrics.METRICS[key].name


def every_metric(confusion, lab: Lab, title: str) -> None:
    every_metric_of(confusion, lab.dataset.classes, title)


def every_metric_of(confusion, classes, title: str) -> None:
    """In an expander: accuracy, balanced accuracy and macro-F1 side by side, then support, precision and recall
    per class, from a test ``confusion`` matrix. Drawn only while it is open: closed, its table still cost the
    browser 0.35 s of a first visit to Home, and a redraw after every action on Fix the labels."""
    box = st.expander(title, icon=":material/table_chart:", key=keys.EVERY_METRIC, on_change="rerun")
    if box.open:
        with box:
            metrics_and_classes(np.asarray(confusion), classes)


def metrics_and_classes(confusion: np.ndarray, classes) -> None:
    columns = st.columns(len(metrics.METRICS))
    for column, (key, metric) in zip(columns, metrics.METRICS.items()):
        column.metric(
            metric.name,
            f"{metrics.value(confusion, key):.1%}",
            help=metric.explain[0].upper() + metric.explain[1:] + ".",
        )
    table = metrics.per_class(confusion, classes)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "class": st.column_config.TextColumn("class"),  # a learner's class names are shown as text
            "support": st.column_config.NumberColumn("test items", help="Test items of this class."),
            "predicted": st.column_config.NumberColumn("predicted as it"),
            "precision": st.column_config.NumberColumn(
                "precision", format="percent", help="Of the items predicted as this class, the share that are."
            ),
            "recall": st.column_config.NumberColumn(
                "recall", format="percent", help="Of this class's test items, the share predicted right."
            ),
            "f1": st.column_config.NumberColumn("F1", format="percent"),
        },
    )
