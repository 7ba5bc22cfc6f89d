import pandas as pd

from datacentric import charts


def test_the_found_chart_zooms_until_the_learners_line_fills_a_quarter():
    assert charts.found_window(0, 1257) == charts.ZOOM_FLOOR
    assert charts.found_window(3, 1257) == charts.ZOOM_FLOOR
    assert charts.found_window(40, 1257) == 160
    assert charts.found_window(400, 1257) is None  # the whole queue shows their line well enough
    assert charts.found_window(3, 40) is None  # a queue shorter than the floor is never zoomed


def test_a_zoomed_found_chart_holds_only_the_window():
    frame = pd.DataFrame({"reviewed": range(1, 201), "found": range(200), "order": "ranked (cleanlab)"})
    you = pd.DataFrame({"reviewed": [1, 2, 3], "found": [1, 1, 2], "order": "you"})
    data = charts.found_vs_reviewed(frame, you=you, upto=50).data
    assert data["reviewed"].max() == 50 and (data["order"] == "you").sum() == 3
    assert charts.found_vs_reviewed(frame, you=you).data["reviewed"].max() == 200
