"""After deployment: on every built-in dataset, the reserve it needs, the open week's monitoring, labelling on a
budget kept in the workspace, the true accuracy revealed, the schedule in the address, and the replay."""
import numpy as np
import pytest

from datacentric.deployment import drift, progress, weeks
from datacentric.prepare import prepare
from datacentric.scenario import Scenario
from datacentric.store import Store
from tests.app.conftest import DATASETS, flat, metric

PAGE = "pages/deployment.py"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_a_scenario_without_a_reserve_is_offered_one(open_page):
    at = open_page(PAGE, dataset="wine", noise="uniform", rate="20", seed="0")
    assert any("needs at least" in i.value for i in at.info)
    button(at, "Hold back 40 % of the training rows as the stream").click().run()
    assert not at.exception, at.exception
    assert at.session_state["scenario"].reserve == 40
    assert metric(at, "Estimated accuracy (no labels)")


@pytest.mark.parametrize("dataset", DATASETS)
def test_weeks_go_by_with_labels_kept_in_the_workspace(open_page, store_url, dataset):
    at = open_page(PAGE, dataset=dataset, noise="none", rate="0", seed="0", reserve="40")
    assert not at.exception and at.title[0].value == "After deployment"
    assert any("Lesson: Data after deployment" in m.value for m in at.markdown)
    scenario = Scenario(dataset, "none", 0, 0, reserve=40)
    lab = prepare(scenario)
    schedule = drift.DEFAULT_SCHEDULE
    first = weeks.run(lab, lab.noisy_labels, lab.in_use, schedule, plan={1: ("random", 0)}, seed=0, upto=1)[-1]
    assert metric(at, "Estimated accuracy (no labels)") == f"{first.report.estimated:.1%}"
    for week in (1, 2, 3):
        at.radio(key="deploy_strategy").set_value("activelab")
        at.number_input(key="deploy_budget").set_value(5)
        button(at, "Label them, retrain, and go on to the next week").click().run()
        assert not at.exception, at.exception
    assert any(h.value.startswith("Week 4 of") for h in at.subheader)
    ws = at.session_state["workspace"]
    topic = progress.topic(scenario.slug, schedule)
    assert progress.plan([r for _, r in Store(store_url).events(ws, topic)]) == {w: ("activelab", 5) for w in (1, 2, 3)}
    plan = {w: ("activelab", 5) for w in (1, 2, 3)} | {4: ("random", 0)}
    lived = weeks.run(lab, lab.noisy_labels, lab.in_use, schedule, plan=plan, seed=0, upto=4)
    assert metric(at, "Estimated accuracy (no labels)") == f"{lived[-1].report.estimated:.1%}"
    assert not [m for m in at.metric if m.label == "True accuracy"]  # hidden until revealed
    button(at, "Reveal true accuracy").click().run()
    assert metric(at, "True accuracy") == f"{lived[-1].accuracy:.1%}"
    # Another session on the same workspace (a refresh, a restart) finds the same week.
    again = open_page(PAGE, ws=ws, dataset=dataset, noise="none", rate="0", seed="0", reserve="40")
    assert any(h.value.startswith("Week 4 of") for h in again.subheader)


def test_the_schedule_goes_into_the_address_and_the_replay_ranks_every_way(open_page):
    at = open_page(PAGE, dataset="digits", noise="none", rate="0", seed="0", reserve="40")
    at.radio[0].set_value("concept")
    at.number_input[0].set_value(6)
    at.number_input[1].set_value(2)
    button(at, "Deploy with this schedule").click().run()
    assert not at.exception, at.exception
    wanted = drift.Schedule("concept", 2, 6, drift.DEFAULT_SCHEDULE.batch)
    assert flat(at.query_params)["drift"] == wanted.code
    assert wanted.describe() in [t.value for t in at.text]
    at.number_input(key="replay_budget").set_value(8)
    button(at, "Replay every strategy").click().run()
    assert not at.exception, at.exception
    lab = prepare(Scenario("digits", "none", 0, 0, reserve=40))
    done = weeks.replay(lab, lab.noisy_labels, lab.in_use, wanted, 8, seed=0)
    table = next(d.value for d in at.dataframe if "mean accuracy" in d.value.columns)
    after = done[done["week"] >= wanted.start].groupby("way")["accuracy"].mean()
    assert np.allclose(table["mean accuracy"], [after[w] for w in weeks.WAYS])


def test_a_bad_schedule_in_the_address_falls_back_with_a_warning(open_page):
    at = open_page(PAGE, dataset="digits", noise="none", rate="0", seed="0", reserve="40", drift="<b>storm</b>-s9")
    assert any("could not be read" in w.value for w in at.warning)
    assert drift.DEFAULT_SCHEDULE.describe() in [t.value for t in at.text]


def test_the_last_week_closes_the_stream_and_a_reveal_stays_with_its_stream(open_page):
    at = open_page(PAGE, dataset="digits", noise="none", rate="0", seed="0", reserve="40", drift="covariate-s1-w2-b60")
    button(at, "Reveal true accuracy").click().run()
    assert [m for m in at.metric if m.label == "True accuracy"]
    button(at, "Label them, retrain, and go on to the next week").click().run()
    assert any(h.value == "Week 2 of 2 (the last)" for h in at.subheader)
    assert any("then close the stream" in m.value for m in at.markdown)
    at.number_input(key="deploy_budget").set_value(7)
    button(at, "Label them and close the stream").click().run()
    assert not at.exception, at.exception
    assert any("The stream is over" in s.value for s in at.success)
    assert any(c.value == "Labelled so far: week 1: 10, week 2: 7." for c in at.caption)
    assert [m for m in at.metric if m.label == "True accuracy"]  # a closed week needs no reveal
    # Another schedule is another stream: week 1's reveal above does not carry over to it.
    at.number_input[0].set_value(3)
    button(at, "Deploy with this schedule").click().run()
    assert any(h.value == "Week 1 of 3" for h in at.subheader)
    assert not [m for m in at.metric if m.label == "True accuracy"]


def test_a_learners_own_data_deploys_when_numeric_and_is_refused_clearly_with_text(open_page, store_url):
    from pathlib import Path

    from tests.app.test_your_data import REVIEWS, button as your_button, workspace_with

    machines = Path(__file__).resolve().parents[2] / "data" / "examples" / "machines.csv"
    for raw, deploys in ((machines.read_bytes(), True), (REVIEWS.read_bytes(), False)):
        ws = workspace_with(store_url, raw)
        setup = open_page("pages/your_data.py", ws=ws)
        your_button(setup, "Use this dataset").click().run()
        key = setup.session_state["scenario"].dataset
        at = open_page(PAGE, ws=ws, dataset=key, noise="uniform", rate="10", seed="0", reserve="40")
        assert not at.exception, at.exception
        if deploys:
            assert any(h.value.startswith("Week 1 of") for h in at.subheader)
            button(at, "Label them, retrain, and go on to the next week").click().run()
            assert not at.exception and any(h.value.startswith("Week 2 of") for h in at.subheader)
        else:
            assert any("text columns" in i.value for i in at.info)
