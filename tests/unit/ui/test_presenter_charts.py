"""The presenter view's charts: larger text only while the view is on, still valid Vega-Lite; counts that fit their
cells in a narrow column."""

import copy

import numpy as np
import pytest

from datacentric.present import charts
from datacentric.ui import presenter
from tests.unit.present.test_charts import every_chart, schema  # noqa: F401 - the schema fixture

READABLE_PX = 16  # text a room reads from its back rows on a projector


def sizes(config: dict) -> dict[str, float]:
    """The font sizes a spec's config sets, by where they apply."""
    return {
        f"{part}.{key}": value
        for part, settings in config.items()
        if isinstance(settings, dict)
        for key, value in settings.items()
        if key.endswith("ontSize")
    }


@pytest.mark.parametrize("name", list(every_chart()))
def test_chart_text_is_enlarged_only_in_the_presenter_view(schema, monkeypatch, name):  # noqa: F811
    spec = every_chart()[name]
    before = copy.deepcopy(spec)
    monkeypatch.setattr(presenter, "active", lambda: False)
    assert presenter.chart(spec) == before  # the learner's charts as they were

    monkeypatch.setattr(presenter, "active", lambda: True)
    shown = presenter.chart(spec)
    assert spec == before  # the spec it was given is left alone
    found = sizes(shown.get("config", {}))
    for where in ("axis.labelFontSize", "axis.titleFontSize", "legend.labelFontSize", "title.fontSize"):
        assert found.get(where, 0) >= READABLE_PX, (where, found)
    errors = [error.message for error in schema.iter_errors(shown)]
    assert not errors, errors[:3]


def font_size(spec: dict, width: float) -> float:
    """The size the confusion matrix's counts are drawn at in a chart ``width`` px wide (its Vega expression)."""
    text = next(layer for layer in spec["layer"] if isinstance(layer["mark"], dict) and layer["mark"]["type"] == "text")
    params = {p["name"]: p["value"] for p in spec["params"]}
    names = {"min": min, "max": max, "width": width, **params}
    return eval(text["mark"]["fontSize"]["expr"], {"__builtins__": {}}, names)  # its operators are Python's too


@pytest.mark.parametrize("on", [False, True], ids=["learner", "presenter"])
@pytest.mark.parametrize("width", [120, 200, 320, 640])
def test_the_confusion_counts_fit_their_cells_in_a_narrow_column(monkeypatch, on, width):
    monkeypatch.setattr(presenter, "active", lambda: on)
    matrix = np.full((10, 10), 54)  # two digits in every one of ten cells a row
    spec = presenter.chart(charts.confusion(matrix, tuple("0123456789")))
    size = font_size(spec, width)
    digit = 0.6 * size  # a digit's width in the app's sans-serif font, about
    assert 2 * digit <= width / 10, f"counts of {size:.1f} px overlap in {width / 10:.0f} px cells"
    assert size <= spec["params"][0]["value"]  # never above the size the view asks for


def test_a_wide_chart_in_the_presenter_view_writes_larger_counts(monkeypatch):
    matrix = np.arange(100).reshape(10, 10)
    monkeypatch.setattr(presenter, "active", lambda: False)
    learner = font_size(presenter.chart(charts.confusion(matrix, tuple("0123456789"))), 800)
    monkeypatch.setattr(presenter, "active", lambda: True)
    assert font_size(presenter.chart(charts.confusion(matrix, tuple("0123456789"))), 800) > learner
