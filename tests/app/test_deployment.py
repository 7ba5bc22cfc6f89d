"""After deployment: on every built-in dataset, the reserve it needs, the open week's monitoring, labelling on a
budget kept in the workspace, the true accuracy revealed, the schedule in the address, and the replay; a budget a
week cannot pay said and given back, the first weeks' estimate within its noise, and the replay's verdict."""

import numpy as np
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from datacentric.common.display import plain
from datacentric.deployment import drift, monitor, progress, verdict, weeks
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.persistence.store import Store
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
    for _week in (1, 2, 3):
        at.radio(key="deploy_strategy").set_value("activelab")
        at.number_input(key="deploy_budget").set_value(5)
        button(at, "Label them, retrain, and go on to the next week").click().run()
        assert not at.exception, at.exception
    assert any(h.value.startswith("Week 4 of") for h in at.header)
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
    assert any(h.value.startswith("Week 4 of") for h in again.header)


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
    done = weeks.compare_strategies(lab, lab.noisy_labels, lab.in_use, wanted, 8, seed=0)
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
    assert any(h.value == "Week 2 of 2 (the last)" for h in at.header)
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
    assert any(h.value == "Week 1 of 3" for h in at.header)
    assert not [m for m in at.metric if m.label == "True accuracy"]


def test_a_learners_own_data_deploys_when_numeric_and_is_refused_clearly_with_text(open_page, store_url):
    from pathlib import Path

    from tests.app.test_your_data import REVIEWS, workspace_with
    from tests.app.test_your_data import button as your_button

    machines = Path(__file__).resolve().parents[2] / "data" / "examples" / "machines.csv"
    for raw, deploys in ((machines.read_bytes(), True), (REVIEWS.read_bytes(), False)):
        ws = workspace_with(store_url, raw)
        setup = open_page("pages/your_data.py", ws=ws)
        your_button(setup, "Use this dataset").click().run()
        key = setup.session_state["scenario"].dataset
        at = open_page(PAGE, ws=ws, dataset=key, noise="uniform", rate="10", seed="0", reserve="40")
        assert not at.exception, at.exception
        if deploys:
            assert any(h.value.startswith("Week 1 of") for h in at.header)
            button(at, "Label them, retrain, and go on to the next week").click().run()
            assert not at.exception and any(h.value.startswith("Week 2 of") for h in at.header)
        else:
            assert any("text columns" in i.value for i in at.info)


# --- issue 25: the budget, the first week's estimate and the replay's verdict say what their numbers show -------


def lab_of(dataset: str, noise: str, rate: int, seed: int):
    return prepare(Scenario(dataset, noise, rate, seed, reserve=40))


def budget(at) -> int:
    return at.number_input(key="deploy_budget").value


def close_week(at) -> None:
    button(at, "Label them, retrain, and go on to the next week").click().run()
    assert not at.exception, at.exception


def test_a_week_offering_fewer_items_than_the_budget_says_so_and_the_chosen_budget_comes_back(open_page):
    # wine holds back 50 rows: weeks of 25 items, about half of them offered, so 10 labels a week use them up.
    # Before: the budget fell to what the week offered without a word, and stayed there, a new stream included.
    at = open_page(PAGE, dataset="wine", noise="systematic", rate="30", seed="0", reserve="40")
    lab, schedule = lab_of("wine", "systematic", 30, 0), drift.DEFAULT_SCHEDULE

    def core_week(plan: dict[int, tuple[str, int]]) -> weeks.Week:
        week = len(plan) + 1
        return weeks.run(
            lab, lab.noisy_labels, lab.in_use, schedule, plan={**plan, week: ("random", 0)}, seed=0, upto=week
        )[-1]

    assert budget(at) == weeks.BUDGET
    assert not any("so the budget is" in c.value for c in at.caption)
    plan = {}
    for _ in range(2):  # leave the budget as it is, week after week
        plan[len(plan) + 1] = ("random", budget(at))
        close_week(at)
        week = core_week(plan)
        capped, why = weeks.budget_for(week, weeks.BUDGET)
        assert capped < weeks.BUDGET, "the premise: wine's weeks run short of 10 items to label"
        assert budget(at) == capped == len(week.offered)
        assert why in [c.value for c in at.caption]
        assert f"not the {weeks.BUDGET} you chose" in why
    # A new stream offers 10 again: the budget chosen comes back.
    button(at, "Start the stream again").click().run()
    assert any(h.value == f"Week 1 of {schedule.weeks}" for h in at.header)
    assert budget(at) == weeks.BUDGET
    # A budget typed is the one wanted from then on.
    at.number_input(key="deploy_budget").set_value(3)
    close_week(at)
    assert budget(at) == 3
    assert not any("so the budget is" in c.value for c in at.caption)


def test_the_defaults_first_weeks_say_their_change_within_the_noise_and_the_replay_every_way_above_never(open_page):
    # Before: week 1 showed "-2.2 pts since deployment" as a fall (red, arrow down) on 40 items, whose estimate
    # moves more than that by chance; the replay said nothing of the last week.
    at = open_page(PAGE, dataset="digits", noise="systematic", rate="30", seed="0", reserve="40")
    lab, schedule = lab_of("digits", "systematic", 30, 0), drift.DEFAULT_SCHEDULE
    for week in range(1, schedule.start):
        lived = {w: ("random", 0) for w in range(1, week + 1)}
        core = weeks.run(lab, lab.noisy_labels, lab.in_use, schedule, plan=lived, seed=0, upto=week)[-1]
        shown = next(m for m in at.metric if m.label == "Estimated accuracy (no labels)")
        assert shown.value == f"{core.report.estimated:.1%}"
        assert not core.report.beyond_noise(core.reference)
        assert shown.proto.delta == f"{core.report.change(core.reference) * 100:+.1f} pts since deployment"
        assert (
            MetricProto.MetricColor.Name(shown.proto.color),
            MetricProto.MetricDirection.Name(shown.proto.direction),
        ) == ("GRAY", "NONE")
        words = monitor.change_words(core.reference, core.report)
        assert words.endswith("within that noise.") and words in [c.value for c in at.caption]
        assert "No alert this week." in [c.value for c in at.caption]
        assert not at.error
        at.number_input(key="deploy_budget").set_value(0)
        close_week(at)
    button(at, "Replay every strategy").click()
    at.run(timeout=600)
    assert not at.exception, at.exception
    done = weeks.compare_strategies(lab, lab.noisy_labels, lab.in_use, schedule, weeks.BUDGET, seed=0)
    read = verdict.read(done, k=weeks.BUDGET, start=schedule.start)
    said = [m.value for m in at.markdown]
    assert plain(read.by_the_last_week()) in said
    assert read.by_the_last_week().startswith(
        f"By the last week (week {schedule.weeks}), every way of labelling was above never retraining"
    )
    table = next(d.value for d in at.dataframe if "last week" in d.value.columns)
    assert np.allclose(table["last week"], [read.last[w] for w in weeks.WAYS])


def test_the_replay_says_why_labelling_everything_fell_below_a_strategy(open_page):
    # breast cancer, 30 % systematic noise, seed 4: labelling everything finished 9 points below random
    at = open_page(PAGE, dataset="breast_cancer", noise="systematic", rate="30", seed="4", reserve="40")
    button(at, "Replay every strategy").click()
    at.run(timeout=600)
    assert not at.exception, at.exception
    lab, schedule = lab_of("breast_cancer", "systematic", 30, 4), drift.DEFAULT_SCHEDULE
    done = weeks.compare_strategies(lab, lab.noisy_labels, lab.in_use, schedule, weeks.BUDGET, seed=4)
    read = verdict.read(done, k=weeks.BUDGET, start=schedule.start)
    assert read.mean[weeks.CEILING_WAY] < read.mean["random"]
    said = [m.value for m in at.markdown]
    assert plain(read.everything_below()) in said
    every = weeks.run(lab, lab.noisy_labels, lab.in_use, schedule, k=schedule.batch, seed=4, watch=False)
    before = sum(len(w.labelled) for w in every if w.week < schedule.start)
    said_why = read.everything_below()
    assert f"It labelled {before} items in weeks 1-{schedule.start - 1}, before the drift began" in said_why
    assert plain(read.short_of_budget()) in said  # its weeks ran short of 10 items to label, and the page says so
