"""The model-centric against data-centric journey in a real browser: learn, tune, fix, compare."""

import re

import pytest
from playwright.sync_api import expect

from datacentric.lab.scenario import DEFAULT
from datacentric.present.lessons import load_lessons
from tests.e2e.harness import (
    accept_button,
    metric_value,
    wait_fix_labels_loaded,
    wait_idle,
    wait_page_drawn,
    workspace_of,
)

QUERY = "dataset=digits&noise=uniform&rate=20&seed=0"


def table_row(page, approach: str, index: int = 0):
    """The row of the index-th ``st.table`` whose heading cell is ``approach``."""
    header = page.locator("th", has_text=re.compile(f"^{approach}$"))
    return page.get_by_test_id("stTable").nth(index).locator("tr").filter(has=header)


@pytest.mark.e2e
def test_learn_tune_fix_and_compare(app_server, page):
    # 1. A lesson, its quiz answered (one wrong try first), marked complete.
    page.goto(f"{app_server.url}/learn?{QUERY}")
    expect(page.get_by_role("heading", name="Learn", level=1)).to_be_visible()
    wait_idle(page)
    page.get_by_role("button", name="Open lesson 1", exact=True).click()
    expect(page.get_by_role("heading", name="AI = code + data")).to_be_visible()
    wait_idle(page)
    lesson = load_lessons()[0]
    for i, question in enumerate(lesson.quiz):
        # The innermost block holding the question: its bordered container.
        block = page.get_by_test_id("stVerticalBlock").filter(has_text=f"Question {i + 1}.").last
        wrong = next(c for c in question.choices if c != question.answer)
        block.get_by_text(wrong, exact=True).click()
        block.get_by_role("button", name="Check").click()
        expect(block.get_by_text("Not quite")).to_be_visible()
        wait_idle(page)
        block.get_by_text(question.answer, exact=True).click()
        block.get_by_role("button", name="Check").click()
        expect(block.get_by_text("Right.")).to_be_visible()
        wait_idle(page)
    page.get_by_role("button", name="Mark lesson complete").click()
    expect(page.get_by_text("Lesson complete.")).to_be_visible()
    wait_idle(page)
    assert workspace_of(page) and "ws=" not in page.url  # saved; the secret kept by the browser, not the URL

    # 2. Tune: train an RBF SVM on the noisy labels.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Tune the model").click()
    expect(page.get_by_role("heading", name="Tune the model", level=1)).to_be_visible()
    page.get_by_role("combobox", name="Model family").click()
    page.get_by_role("option", name="RBF support vector machine").click()
    wait_idle(page)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(metric_value(page, "Test accuracy (chosen run)")).to_have_text(re.compile(r"^\d+\.\d%$"))
    wait_idle(page)

    # 3. Fix: two label actions with the fixed model.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Fix the labels").click()
    wait_fix_labels_loaded(page)
    for n in (1, 2):
        accept_button(page).click()
        expect(metric_value(page, "Actions taken")).to_have_text(str(n))
        wait_idle(page)

    # 4. Compare: all three rows filled, the lesson still complete.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Compare").click()
    expect(page.get_by_role("heading", name="Compare", level=1)).to_be_visible()
    for approach in ("Baseline", "Model-centric", "Data-centric"):
        expect(table_row(page, approach)).to_contain_text(re.compile(r"\d+\.\d %"))
    expect(table_row(page, "Model-centric")).to_contain_text("RBF support vector machine")
    expect(table_row(page, "Data-centric")).to_contain_text("after 2 label actions")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Learn").click()
    expect(page.get_by_text(f"1 of {len(load_lessons())} lessons complete")).to_be_visible()


def percent_in(row) -> float:
    return float(re.search(r"(\d+\.\d) %", row.inner_text()).group(1))


@pytest.mark.e2e
def test_the_default_scenario_replayed_shows_fixing_the_data_winning_and_says_why(app_server, page):
    page.goto(app_server.url)
    expect(page.get_by_role("heading", name="Data-Centric Playground", level=1)).to_be_visible()
    wait_page_drawn(page)
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stText")).to_have_text(DEFAULT.describe())
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Compare").click()
    expect(page.get_by_role("heading", name="Replay the experiment")).to_be_visible()
    wait_idle(page)
    page.get_by_role("button", name="Replay the experiment").click()
    expect(page.get_by_test_id("stProgress")).to_be_visible()  # progress while it runs
    reviewer = table_row(page, re.escape("Data-centric (reviewer)"), 1)
    expect(reviewer).to_contain_text(re.compile(r"\d+\.\d %"), timeout=120_000)
    model = table_row(page, "Model-centric", 1)
    assert percent_in(reviewer) > percent_in(model), "the data curve does not end above the model curve"
    expect(page.get_by_text(re.compile(r"^Fixing the data won: "))).to_be_visible()
    verdict = re.compile(r"is not robust to this noise|does no better on the true labels")
    expect(page.get_by_text(verdict)).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart").last).to_be_visible()
