"""After deployment in a real browser: a covariate-shift schedule picked in its form (and so in the address), weeks
advanced until monitoring raises a data-drift alert, a budget labelled by ActiveLab for three weeks with the true
accuracy revealed each week and recovering from the worst week of the drift, the same week and plan found after a
reload and after a server restart on the same database, and the replay of every strategy with its verdict.

Every figure the page shows is checked against the core (``weeks.run`` for the plan the learner took,
``weeks.replay`` for the replay), as the page formats it; none is typed here.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from datacentric.deployment import drift, weeks
from datacentric.deployment.strategies import STRATEGIES
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from tests.e2e.conftest import start_or_fail
from tests.e2e.harness import AppServer, metric_value, wait_idle, wait_page_drawn, workspace_of

FIRST_DRAW = 90_000  # ms; a cold server prepares digits and the deployed model's reference (out-of-fold) first
SCENARIO = Scenario("digits", "none", 0, 0, reserve=40)
SCHEDULE = drift.Schedule("covariate", start=2, weeks=6, batch=drift.DEFAULT_SCHEDULE.batch)
BUDGET, BUDGET_WEEKS = 20, 3  # ActiveLab's items a week once the alert is seen, for this many weeks
REPLAY_BUDGET = 12  # not the replay's default (10): the number typed must reach the replay
CHART = "The deployed model, week by week"
VERDICT = re.compile(
    r"At (\d+) labels a week, (.+?) did best of the strategies \((\d+\.\d%) from week (\d+), "
    r"random (\d+\.\d%); never retraining (\d+\.\d%), labelling everything (\d+\.\d%)\)\."
    r"( No strategy beat random choice here\.)?"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server for this module alone: the journey restarts it on the same database."""
    server = start_or_fail(AppServer(tmp_path_factory.mktemp("deployment"), watch_files=False))
    yield server
    server.stop()


# --- The page's parts ------------------------------------------------------------------------------------------


def week_heading(page, week: int):
    return page.get_by_role("heading", name=f"Week {week} of {SCHEDULE.weeks}", exact=True)


def drift_alerts(page):
    return page.get_by_test_id("stMain").get_by_test_id("stAlert").filter(has_text="Data drift")


def labelled_caption(plan: dict[int, tuple[str, int]]) -> str:
    """The caption under the chart for the weeks closed: how many items each had labelled."""
    return "Labelled so far: " + ", ".join(f"week {w}: {k}" for w, (_, k) in sorted(plan.items())) + "."


def expect_chart(page) -> None:
    heading = page.get_by_test_id("stElementContainer").filter(has_text=re.compile(f"^{re.escape(CHART)}$"))
    expect(heading).to_have_count(1)
    chart = heading.locator("xpath=following-sibling::div[1]").get_by_test_id("stVegaLiteChart")
    expect(chart).to_be_visible()
    expect(chart.locator("canvas.marks, svg.marks")).to_have_count(1)  # Vega drew it


def reveal(page, week: int) -> str:
    """Reveal the open week's true accuracy; the metric's text as the page shows it."""
    page.get_by_role("button", name="Reveal true accuracy").click()
    shown = metric_value(page, "True accuracy")
    expect(shown).to_have_text(re.compile(r"^\d+\.\d%$"))
    wait_idle(page)
    expect(week_heading(page, week)).to_be_visible()  # still the week it was revealed in
    return shown.inner_text()


def label(page, strategy: str, k: int, next_week: int) -> None:
    """Label ``k`` items of the open week chosen by ``strategy``, and wait for the next week to open."""
    form = page.get_by_test_id("stForm").filter(has_text="Label on a budget, then week")
    expect(form).to_contain_text(f"Label on a budget, then week {next_week}")
    form.get_by_role("radiogroup", name="Choose the items by").get_by_text(
        STRATEGIES[strategy].title, exact=True
    ).click()
    expect(form.get_by_role("radio", name=STRATEGIES[strategy].title, exact=True)).to_be_checked()
    budget = form.get_by_role("spinbutton", name="Items to label this week")
    budget.fill(str(k))
    budget.press("Tab")
    expect(budget).to_have_value(str(k))
    form.get_by_role("button", name="Label them, retrain, and go on to the next week").click()
    expect(week_heading(page, next_week)).to_be_visible()
    wait_idle(page)


def read_week(page, week: int) -> dict:
    """What the page shows of the open week ``week``: its estimate, its alerts, and its true accuracy revealed."""
    expect(week_heading(page, week)).to_be_visible()
    wait_idle(page)
    estimate = metric_value(page, "Estimated accuracy (no labels)")
    expect(estimate).to_have_text(re.compile(r"^\d+\.\d%$"))
    alerts = page.get_by_test_id("stMain").get_by_test_id("stAlertContentError").get_by_test_id("stMarkdownContainer")
    expect(alerts.or_(page.get_by_text("No alert this week.", exact=True)).first).to_be_visible()
    return {
        "estimated": estimate.inner_text(),
        "alerts": [a.inner_text().strip() for a in alerts.all()],
        "drift_alert": drift_alerts(page).count() > 0,
        "true": reveal(page, week),
    }


def expect_kept(page, open_week: int, plan: dict[int, tuple[str, int]], seen: dict) -> None:
    """After a reload or a restart: the same schedule, the same open week, the same plan, estimate and (revealed
    again: a reveal lasts a session) true accuracy."""
    wait_page_drawn(page, FIRST_DRAW)
    expect(page).to_have_url(re.compile(rf"[?&]drift={re.escape(SCHEDULE.code)}(&|$)"))
    expect(page.get_by_test_id("stMain").get_by_test_id("stText").filter(has_text=SCHEDULE.describe())).to_be_visible()
    expect(week_heading(page, open_week)).to_be_visible(timeout=FIRST_DRAW)
    expect(page.get_by_text(labelled_caption(plan), exact=True)).to_be_visible()
    expect(metric_value(page, "Estimated accuracy (no labels)")).to_have_text(seen["estimated"])
    expect_chart(page)
    wait_idle(page, FIRST_DRAW)
    assert reveal(page, open_week) == seen["true"]
    expect(page.get_by_test_id("stException")).to_have_count(0)


# --- The journey -----------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_a_learner_deploys_sees_drift_labels_by_activelab_recovers_and_keeps_the_weeks(server, page):
    page.goto(f"{server.url}/deployment?{'&'.join(f'{k}={v}' for k, v in SCENARIO.to_params().items())}")
    wait_page_drawn(page, FIRST_DRAW)
    main = page.get_by_test_id("stMain")
    expect(page.get_by_role("heading", name="After deployment", level=1)).to_be_visible()
    expect(main.get_by_test_id("stText").filter(has_text=drift.DEFAULT_SCHEDULE.describe())).to_be_visible()
    expect(page.get_by_role("heading", name=f"Week 1 of {drift.DEFAULT_SCHEDULE.weeks}", exact=True)).to_be_visible(
        timeout=FIRST_DRAW
    )
    wait_idle(page, FIRST_DRAW)

    # The schedule: covariate shift from week 2, over 6 weeks; it goes into the address.
    form = page.get_by_test_id("stForm").filter(has_text="The drift schedule")
    form.get_by_role("radiogroup", name="What changes").get_by_text("Covariate shift", exact=True).click()
    for name, value in [("Weeks", SCHEDULE.weeks), ("The drift starts in week", SCHEDULE.start)]:
        box = form.get_by_role("spinbutton", name=name, exact=True)
        box.fill(str(value))
        box.press("Tab")
        expect(box).to_have_value(str(value))
    expect(form.get_by_role("spinbutton", name="Items a week", exact=True)).to_have_value(str(SCHEDULE.batch))
    form.get_by_role("button", name="Deploy with this schedule").click()
    expect(page).to_have_url(re.compile(rf"[?&]drift={re.escape(SCHEDULE.code)}(&|$)"))
    expect(main.get_by_test_id("stText").filter(has_text=SCHEDULE.describe())).to_be_visible()

    # Weeks go by, nothing labelled, until monitoring raises a data-drift alert.
    plan: dict[int, tuple[str, int]] = {}
    shown: dict[int, dict] = {}
    week = 1
    while True:
        shown[week] = read_week(page, week)
        if shown[week]["drift_alert"]:
            break
        assert week < SCHEDULE.weeks - BUDGET_WEEKS, (
            f"no data-drift alert by week {week} of a covariate shift starting in week {SCHEDULE.start}"
        )
        plan[week] = ("random", 0)
        label(page, "random", 0, week + 1)
        week += 1
    alerted = week
    assert alerted >= SCHEDULE.start, f"a data-drift alert in week {alerted}, before the drift starts"
    expect(drift_alerts(page)).to_be_visible()

    # A budget labelled by ActiveLab, week after week; the true accuracy revealed each week.
    for _ in range(BUDGET_WEEKS):
        plan[week] = ("activelab", BUDGET)
        label(page, "activelab", BUDGET, week + 1)
        week += 1
        shown[week] = read_week(page, week)
    expect(page.get_by_text(labelled_caption(plan), exact=True)).to_be_visible()
    expect_chart(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)

    # The core, on the plan the learner took (the open week: nothing labelled yet), says the same.
    lab = prepare(SCENARIO)
    lived = weeks.run(
        lab, lab.noisy_labels, lab.in_use, SCHEDULE, plan={**plan, week: ("random", 0)}, seed=SCENARIO.seed, upto=week
    )
    after = [w for w in lived if w.week >= SCHEDULE.start]
    worst = min(w.accuracy for w in after[:-1])
    assert lived[-1].accuracy > worst, (
        f"the core does not recover on this plan ({plan}): week {week} at {lived[-1].accuracy:.1%}, the worst "
        f"since the drift began at {worst:.1%}; the journey's premise does not hold"
    )
    for w in lived:
        assert shown[w.week] == {
            "estimated": f"{w.report.estimated:.1%}",
            "alerts": w.alerts,
            "drift_alert": any(a.startswith("Data drift") for a in w.alerts),
            "true": f"{w.accuracy:.1%}",
        }, f"week {w.week}: the page and the core differ"
    true = {w: float(s["true"].rstrip("%")) for w, s in shown.items()}
    lowest = min(true[w] for w in true if SCHEDULE.start <= w < week)
    assert true[week] > lowest, f"week {week}'s true accuracy {true[week]} % is not above the drift's worst {lowest} %"

    # A reload, then a new server process on the same database: the same week, the same plan.
    workspace_of(page)  # the first label made the workspace, under the id the browser was given before it
    assert "ws=" not in page.url
    page.reload()
    expect_kept(page, week, plan, shown[week])
    before = server.pid
    server.restart()
    assert server.pid != before
    page.reload()
    expect_kept(page, week, plan, shown[week])

    # The replay: every strategy at the same budget on the same stream, and which did best.
    replay_budget = main.get_by_role("spinbutton", name="Items to label each week, for every strategy", exact=True)
    replay_budget.fill(str(REPLAY_BUDGET))
    replay_budget.press("Tab")
    expect(replay_budget).to_have_value(str(REPLAY_BUDGET))
    wait_idle(page)
    main.get_by_role("button", name="Replay every strategy").click()
    verdict = main.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(r"did best of the strategies"))
    expect(verdict).to_have_text(VERDICT, timeout=FIRST_DRAW)
    wait_idle(page, FIRST_DRAW)
    expect(
        main.get_by_test_id("stDataFrame").filter(
            has=page.locator('[role="columnheader"]', has_text=f"mean accuracy from week {SCHEDULE.start}")
        )
    ).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)

    done = weeks.compare_strategies(lab, lab.noisy_labels, lab.in_use, SCHEDULE, REPLAY_BUDGET, seed=SCENARIO.seed)
    mean = done[done["week"] >= SCHEDULE.start].groupby("way")["accuracy"].mean()
    best = max(STRATEGIES, key=lambda way: mean[way])
    k, name, best_mean, start, random_mean, never, everything, none_beat = VERDICT.search(verdict.inner_text()).groups()
    assert (int(k), name, best_mean, int(start), random_mean, never, everything, bool(none_beat)) == (
        REPLAY_BUDGET,
        weeks.WAYS[best],
        f"{mean[best]:.1%}",
        SCHEDULE.start,
        f"{mean['random']:.1%}",
        f"{mean['never']:.1%}",
        f"{mean['everything']:.1%}",
        not mean[best] > mean["random"],
    )
