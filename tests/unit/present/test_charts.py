import pandas as pd
import pytest

from datacentric.experiment.approaches import RACE_LINES, Approach
from datacentric.findings.issues import ORDERS, Order
from datacentric.present import charts


def test_the_found_chart_zooms_until_the_learners_line_fills_a_quarter():
    assert charts.found_window(0, 1257) == charts.ZOOM_FLOOR
    assert charts.found_window(3, 1257) == charts.ZOOM_FLOOR
    assert charts.found_window(40, 1257) == 160
    assert charts.found_window(400, 1257) is None  # the whole queue shows their line well enough
    assert charts.found_window(3, 40) is None  # a queue shorter than the floor is never zoomed


def test_a_zoomed_found_chart_holds_only_the_window():
    frame = pd.DataFrame({"reviewed": range(1, 201), "found": range(200), "order": Order.RANKED.value})
    you = pd.DataFrame({"reviewed": [1, 2, 3], "found": [1, 1, 2], "order": Order.YOU.value})
    data = pd.DataFrame(charts.found_vs_reviewed(frame, you=you, upto=50)["data"]["values"])
    assert data["reviewed"].max() == 50 and (data["line"] == Order.YOU).sum() == 3
    assert max(row["reviewed"] for row in charts.found_vs_reviewed(frame, you=you)["data"]["values"]) == 200


def test_the_found_chart_matches_on_the_order_and_shows_its_words():
    """The oracle's dash follows its key, and the legend says each order as ORDERS does, whatever the words."""
    frame = pd.DataFrame(
        {
            "reviewed": [1, 1, 1],
            "found": [1, 0, 1],
            "order": [o.value for o in (Order.ORACLE, Order.RANDOM, Order.RANKED)],
        }
    )
    spec = charts.found_vs_reviewed(frame)
    shown = pd.DataFrame(spec["data"]["values"])
    assert list(shown["order"]) == [ORDERS[Order(line)] for line in shown["line"]]
    assert f"datum.line === '{Order.ORACLE.value}'" == spec["encoding"]["strokeDash"]["condition"]["test"]


def test_the_effort_chart_names_each_arm_by_the_mapping_it_is_given():
    arms = pd.DataFrame({"effort": 0, "accuracy": 0.8, "arm": [a.value for a in RACE_LINES]})
    shown = pd.DataFrame(charts.effort(arms, lines=RACE_LINES)["data"]["values"])
    assert list(shown["line"]) == list(RACE_LINES.values())


def vega_lite_schema() -> dict:
    """The Vega-Lite schema Altair ships (the version Streamlit draws with): what Altair used to check each chart
    against when it built it."""
    import json
    from pathlib import Path

    import altair

    schema = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    return json.loads(schema.read_text())


@pytest.fixture(scope="module")
def schema():
    import jsonschema

    found = vega_lite_schema()
    return jsonschema.validators.validator_for(found)(found)


def every_chart():
    import numpy as np

    matrix = np.arange(9).reshape(3, 3)
    history = pd.DataFrame({"actions": [0, 1, 2], "accuracy": [0.8, 0.82, 0.81]})
    found = pd.DataFrame({"reviewed": [1, 2], "found": [1, 1], "order": [Order.ORACLE.value, Order.RANKED.value]})
    arms = pd.DataFrame(
        {"effort": [0, 1], "accuracy": [0.8, 0.9], "arm": [Approach.MODEL.value, Approach.TRUSTED.value]}
    )
    collected = pd.DataFrame({"collected": np.array([0, 10]), "value": np.array([0.9, 0.95]), "way": ["a", "a"]})
    return {
        "confusion": charts.confusion(matrix, ("a", "b <i>c</i>", "d" * 80)),
        "history": charts.accuracy_history(history, ceiling=0.9),
        "history without a ceiling": charts.accuracy_history(history, ceiling=None, metric="Macro F1"),
        "found": charts.found_vs_reviewed(found),
        "effort": charts.effort(arms, lines=RACE_LINES),
        "collected": charts.collected(collected),
        **consistency_charts(),
    }


def consistency_charts():
    import numpy as np

    from datacentric.consistency import plots

    kappa = np.array([[1.0, 0.4, np.nan], [0.4, 1.0, -0.2], [np.nan, -0.2, 1.0]])
    outcomes = pd.DataFrame(
        {"title": ["One annotator", "Majority vote"], "label_accuracy": [0.55, 0.83], "test": [0.85, 0.93]}
    )
    versions = pd.DataFrame(
        {
            "version": ["v1", "<b>v2</b>"],
            "agreement": [-0.1, 0.8],
            "label_accuracy": [0.9, np.nan],
            "test_accuracy": [0.92, 0.98],
        }
    )
    return {
        "annotators' kappa": plots.kappa_heatmap(kappa, ["A1", "A2", "A3"]),
        "three methods": plots.methods(outcomes, "accuracy"),
        "instruction versions": plots.versions(versions),
        "a class's labels": plots.class_labels(
            np.array([[0, 1], [-1, 1]]), ["Ann", "Bob"], ["Part 2", "Part 1"], ("OK", "Defect")
        ),
    }


@pytest.mark.parametrize("name", list(every_chart()))
def test_every_chart_is_a_valid_vega_lite_spec_of_plain_json(schema, name):
    import json

    spec = every_chart()[name]
    assert json.loads(json.dumps(spec)) == spec  # plain JSON: no numpy numbers, nothing Streamlit cannot send
    errors = [error.message for error in schema.iter_errors(spec)]
    assert not errors, errors[:3]


def test_the_confusion_matrix_writes_each_count_in_its_cell():
    import numpy as np

    spec = charts.confusion(np.array([[5, 1], [0, 7]]), ("cat", "dog"))
    cells = {(row["true"], row["predicted"]): row["count"] for row in spec["data"]["values"]}
    assert cells == {("cat", "cat"): 5, ("cat", "dog"): 1, ("dog", "cat"): 0, ("dog", "dog"): 7}
    assert [layer["mark"] if isinstance(layer["mark"], str) else layer["mark"]["type"] for layer in spec["layer"]] == [
        "rect",
        "text",
    ]
