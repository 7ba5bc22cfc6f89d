import pandas as pd

from datacentric.deployment import plots, weeks


def test_the_weeks_chart_dashes_the_estimate_by_its_key_and_names_each_line_once():
    frame = pd.DataFrame({"week": [1, 1], "line": [plots.ESTIMATED, plots.TRUE], "accuracy": [0.9, 0.8]})
    layer = plots.weeks(frame, start=None)["layer"][0]
    shown = pd.DataFrame(layer["data"]["values"])
    assert list(shown["name"]) == [plots.WEEK_LINES[line] for line in shown["line"]]
    assert f"['{plots.ESTIMATED}']" in layer["encoding"]["strokeDash"]["condition"]["test"]


def test_the_strategies_chart_dashes_the_floor_and_the_ceiling_by_their_keys():
    frame = pd.DataFrame({"week": 1, "way": list(weeks.WAYS), "accuracy": 0.8})
    layer = plots.strategies(frame, weeks.WAYS, start=2)["layer"][0]
    shown = pd.DataFrame(layer["data"]["values"])
    assert list(shown["name"]) == [weeks.WAYS[way] for way in frame["way"]]
    test = layer["encoding"]["strokeDash"]["condition"]["test"]
    assert weeks.FLOOR_WAY in test and weeks.CEILING_WAY in test and weeks.WAYS[weeks.FLOOR_WAY] not in test
