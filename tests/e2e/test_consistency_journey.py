"""Label consistently in real browsers: a learner simulates a panel of annotators, labels the scratched parts, writes
instruction v2 and finds it all again after a reload and a server restart, then sends the panel's labels to Fix the
labels; and a class labels the same parts while the instructor's Teach page shows their agreement.

What AppTest cannot show: the panel's code reaching the address bar, the labels and the version kept in the store
behind the browser's workspace cookie across a new server process, the switch to Fix the labels on the panel's
scenario, and the instructor's view of the class redrawing itself (``run_every``) as learners save.

The figures the page states are checked against the core's own functions (``panel.simulate`` and
``agreement.krippendorff_alpha``), never against typed numbers.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from datacentric.consistency import instructions, parts
from datacentric.crowd import agreement, panels
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import DEFAULT, Scenario
from tests.e2e.conftest import start_or_fail
from tests.e2e.harness import AppServer, metric_value, wait_fix_labels_loaded, wait_idle, wait_page_drawn, workspace_of
from tests.e2e.test_classroom_journey import PASSCODE, column, sign_in

FIRST_DRAW = 90_000  # ms; a cold server prepares the digits and runs the panel's study (CROWDLAB) on the first visit
METHODS_TITLE = "Labels from the panel, three ways, and the true labels as the ceiling"
CLASS_TITLE = "The class's labels, part by part (most disputed first)"
CLASS_ALPHA = "The class's agreement (Krippendorff's alpha), under v1"
CLASS_ALPHA_WRITTEN = "The class's agreement (Krippendorff's alpha), under a written version"
ROSE = re.compile(r"From v1 to v2: agreement on the 20 parts rose from (-?\d+\.\d\d) to (-?\d+\.\d\d); ")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server with the instructor passcode set, for this module alone: the learner's journey restarts it."""
    server = start_or_fail(
        AppServer(tmp_path_factory.mktemp("consistency"), watch_files=False, env={"DCP_INSTRUCTOR_PASSCODE": PASSCODE})
    )
    yield server
    server.stop()


# --- The page's parts ------------------------------------------------------------------------------------------


def chart_under(page, title: str):
    """The chart drawn under ``title`` (widgets.chart writes the title as text, then the chart beside it)."""
    heading = page.get_by_test_id("stElementContainer").filter(has_text=re.compile(f"^{re.escape(title)}$"))
    expect(heading).to_have_count(1)
    return heading.locator("xpath=following-sibling::div[1]").get_by_test_id("stVegaLiteChart")


def expect_drawn(chart) -> None:
    expect(chart).to_be_visible()
    expect(chart.locator("canvas.marks, svg.marks")).to_have_count(1)  # Vega drew it


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute("aria-selected", "true")


def part(page, k: int):
    """The OK / Defect radios of part ``k`` (0-based), as the page numbers them (Part 1 to Part 20)."""
    return page.get_by_role("radiogroup", name=f"Part {k + 1}", exact=True)


def label_parts(page, labels, under: str = "v1") -> None:
    """Label every part (0 OK, 1 Defect) under the version named ``under`` and save; wait for the comparison with
    the inspectors."""
    for k, label in enumerate(labels):
        part(page, k).get_by_text(parts.CLASSES[label], exact=True).click()
    for k, label in enumerate(labels):
        expect(part(page, k).get_by_role("radio", name=parts.CLASSES[label], exact=True)).to_be_checked()
    page.get_by_role("button", name="Save my labels").click()
    expect(page.get_by_role("heading", name="You and the inspectors")).to_be_visible()
    wait_idle(page)
    # The save says so, and the word stays once the page has settled (a first save also makes the workspace).
    saved = f"Saved {parts.N_LABEL} labels under {under}."
    expect(
        page.get_by_test_id("stAlert").filter(has_text=saved),
        f"{saved!r} is not on the settled page after Save my labels",
    ).to_be_visible()


def expect_labels(page, labels) -> None:
    for k, label in enumerate(labels):
        expect(part(page, k).get_by_role("radio", name=parts.CLASSES[label], exact=True)).to_be_checked()
        expect(part(page, k).get_by_role("radio", name=parts.CLASSES[1 - label], exact=True)).not_to_be_checked()


def versions_grid(page):
    """The versions side by side: the dataframe with a column of agreement on the 20 parts."""
    return page.get_by_test_id("stDataFrame").filter(
        has=page.locator('[role="columnheader"]', has_text=re.compile(r"^agreement on the 20 parts \(alpha\)$"))
    )


def panel_alpha(chosen: panels.Panel, scenario: Scenario) -> str:
    """Krippendorff's alpha of ``chosen`` on the scenario's training items, as the page writes it."""
    lab = prepare(scenario)
    labels = panels.simulate(
        chosen, lab.true_labels, n_classes=lab.dataset.n_classes, seed=scenario.seed, pairs=lab.dataset.confusable_pairs
    )
    return f"{agreement.krippendorff_alpha(labels, lab.dataset.n_classes):.2f}"


# --- The journeys ----------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_a_learner_simulates_a_panel_labels_the_parts_writes_v2_and_keeps_it_all(server, page):
    url = server.url
    page.goto(f"{url}/consistency")
    wait_page_drawn(page, FIRST_DRAW)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stText").filter(has_text=panels.DEFAULT_PANEL.describe())).to_be_visible()
    expect_drawn(chart_under(page, METHODS_TITLE))
    wait_idle(page, FIRST_DRAW)

    # Group B grows from 10 to 15 annotators: the panel's code goes into the address, its study onto the page.
    default_a, default_b = panels.DEFAULT_PANEL.groups
    chosen = panels.Panel(
        (default_a, panels.Group(15, default_b.accuracy, default_b.habit)), panels.DEFAULT_PANEL.per_item
    )
    form = page.get_by_test_id("stForm").filter(has_text="Your panel of annotators")
    count = form.get_by_role("spinbutton", name="Group B: annotators")
    expect(count).to_have_value(str(default_b.count))
    count.fill(str(chosen.groups[1].count))
    count.press("Tab")
    form.get_by_role("button", name="Simulate this panel").click()
    expect(page).to_have_url(re.compile(rf"[?&]panel={re.escape(chosen.code)}(&|$)"))
    expect(main.get_by_test_id("stText").filter(has_text=chosen.describe())).to_be_visible()
    # the page's base: the session's dataset and seed, labels as published
    base = Scenario(DEFAULT.dataset, "none", 0, 0)
    expect(metric_value(page, "Krippendorff's alpha")).to_have_text(panel_alpha(chosen, base), timeout=FIRST_DRAW)
    wait_idle(page, FIRST_DRAW)
    expect_drawn(chart_under(page, METHODS_TITLE))
    expect(page.get_by_test_id("stException")).to_have_count(0)

    # The instructions exercise: every part labelled, saved, compared with the inspectors.
    open_tab(page, "Labelling instructions")
    mine = [k % 2 for k in range(parts.N_LABEL)]  # OK, Defect, OK, ...
    label_parts(page, mine)
    expect(main.get_by_text("parts you labelled (Cohen's kappa with their majority:")).to_be_visible()

    # Version 2 states the spec's threshold: the inspectors agree more on the same 20 parts.
    rules = page.get_by_test_id("stForm").filter(has_text="Name of this version")
    expect(rules.get_by_role("textbox", name="Name of this version")).to_have_value("v2")
    threshold = rules.get_by_role("slider", name="A scratch longer than this is a defect (mm)")
    expect(threshold).to_have_attribute("aria-valuetext", f"{parts.SPEC_MM:g}")
    rules.get_by_role("button", name="Add this version").click()
    moved = page.get_by_test_id("stAlert").filter(has_text="From v1 to v2:")
    expect(moved).to_have_text(ROSE)
    wait_idle(page)
    v1, v2 = (float(x) for x in ROSE.search(moved.inner_text()).groups())
    assert v2 > v1, f"agreement did not rise from v1 to v2: {v1} -> {v2}"
    grid = versions_grid(page)
    expect(column(grid, "version")).to_have_text(["v1", "v2"])
    expect(column(grid, "instruction")).to_have_text(
        [instructions.V1.text, instructions.Rule("v2", parts.SPEC_MM).text]
    )
    on_set = [float(x) for x in column(grid, "agreement on the 20 parts (alpha)").all_text_contents()]
    assert [f"{x:.2f}" for x in on_set] == [f"{v1:.2f}", f"{v2:.2f}"], f"the table says {on_set}, the line {v1}, {v2}"
    expect_drawn(chart_under(page, "Each version of the instructions"))
    expect(page.get_by_test_id("stException")).to_have_count(0)

    def expect_kept() -> None:
        """After a reload: the same panel, the labels still checked, v2 still beside v1."""
        wait_page_drawn(page, FIRST_DRAW)
        expect(main.get_by_test_id("stText").filter(has_text=chosen.describe())).to_be_visible()
        expect_drawn(chart_under(page, METHODS_TITLE))
        wait_idle(page, FIRST_DRAW)
        open_tab(page, "Labelling instructions")
        expect(page.get_by_role("heading", name="You and the inspectors")).to_be_visible()
        expect_labels(page, mine)
        expect(column(versions_grid(page), "version")).to_have_text(["v1", "v2"])
        expect(page.get_by_test_id("stAlert").filter(has_text="From v1 to v2:")).to_have_text(ROSE)
        expect(rules.get_by_role("textbox", name="Name of this version")).to_have_value("v3")
        wait_idle(page)

    workspace_of(page)  # the browser keeps the workspace the first save made (its id was given before the save)
    assert "ws=" not in page.url
    page.reload()
    expect_kept()

    before = server.pid
    server.restart()  # a new process on the same database: only the store carries the work over
    assert server.pid != before
    page.reload()
    expect_kept()

    # Continue the loop: the panel's labels, by CROWDLAB, become Fix the labels' scenario.
    open_tab(page, "Simulated annotators")
    expect(
        main.get_by_role("radiogroup", name="Start from the labels by").get_by_role("radio", name="CROWDLAB consensus")
    ).to_be_checked()
    main.get_by_role("button", name="Fix these labels on Fix the labels").click()
    expect(page.get_by_role("heading", name="Fix the labels", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/fix_labels\?(.*&)?noise=crowd(&|$)"))
    expect(page).to_have_url(re.compile(rf"[?&]crowd=crowdlab\.{re.escape(chosen.code)}(&|$)"))
    sent = Scenario(base.dataset, "crowd", 0, base.seed, crowd=f"crowdlab.{chosen.code}")
    described = page.get_by_test_id("stSidebar").get_by_test_id("stText").filter(has_text="simulated annotators")
    expect(described).to_have_text(sent.describe())
    expect(described).to_contain_text(f"labels from {chosen.n_annotators} simulated annotators")
    wait_fix_labels_loaded(page, FIRST_DRAW)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def open_room_without_challenge(page, name: str) -> str:
    """Open a room from Teach's form, the challenge unticked; its code as the join link carries it."""
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Open the room"))
    if not form.is_visible():
        page.get_by_test_id("stExpander").filter(has_text="Open a new room").locator("summary").click()
    form.get_by_role("textbox", name="Room name").fill(name)
    form.get_by_text("Run a challenge", exact=False).click()
    expect(form.get_by_role("checkbox", name=re.compile("^Run a challenge"))).not_to_be_checked()
    form.get_by_role("button", name="Open the room").click()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    wait_idle(page)
    code = page.locator(".dcp-join-code").inner_text().strip()
    return code.replace("-", "")


def join(page, url: str, code: str, name: str) -> None:
    page.goto(f"{url}/classroom?join={code}")
    wait_page_drawn(page)
    before = workspace_of(page)  # the id this browser was given on its first page
    page.get_by_role("textbox", name="Display name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("This room has no challenge")).to_be_visible()
    workspace_of(page, other_than=before)  # the room's workspace, now the browser's
    wait_idle(page)


def to_labelling(page) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Label consistently").click()
    expect(page.get_by_role("heading", name="Label consistently", level=1)).to_be_visible()
    open_tab(page, "Labelling instructions")
    expect(part(page, parts.N_LABEL - 1)).to_be_visible()


@pytest.mark.e2e
def test_a_class_labels_the_parts_and_the_instructor_sees_their_agreement(server, new_page):
    url = server.url
    teacher = new_page()
    sign_in(teacher, url)
    code = open_room_without_challenge(teacher, "Inspection workshop")
    expect(teacher.get_by_role("heading", name="Labelling exercise")).to_be_visible()
    expect(teacher.get_by_text("0 learners have labelled under v1")).to_be_visible()
    wait_idle(teacher)

    ada_labels = [k % 2 for k in range(parts.N_LABEL)]
    bob_labels = [1 - x if k < 6 else x for k, x in enumerate(ada_labels)]  # six parts the other way
    ada, bob = new_page(), new_page()
    join(ada, url, code, "Ada")
    join(bob, url, code, "Bob")
    to_labelling(ada)
    label_parts(ada, ada_labels)
    expect(ada.get_by_text("No one else in your room has labelled the parts under v1 yet.")).to_be_visible()
    to_labelling(bob)
    label_parts(bob, bob_labels)
    expect(bob.get_by_test_id("stMarkdownContainer").filter(has_text="Your class:")).to_contain_text(
        "Your class: 1 other learner labelled the parts under v1."
    )

    # The instructor's page, untouched since the room opened, redraws the class's view by itself.
    matrix = np.column_stack([ada_labels, bob_labels])
    alpha = agreement.krippendorff_alpha(matrix, len(parts.CLASSES))
    expect(metric_value(teacher, CLASS_ALPHA)).to_have_text(f"{alpha:.2f}")
    wait_idle(teacher)
    expect_drawn(chart_under(teacher, CLASS_TITLE))

    # The class agrees on a rule: each learner writes it as a version and labels the parts again under it.
    rule = "our rule"
    second = {ada: ada_labels, bob: [1 - x if k == 0 else x for k, x in enumerate(ada_labels)]}  # one part apart
    for page, labels in second.items():
        rules = page.get_by_test_id("stForm").filter(has_text="Name of this version")
        rules.get_by_role("textbox", name="Name of this version").fill(rule)
        rules.get_by_role("button", name="Add this version").click()
        under = page.get_by_role("radiogroup", name="Label the parts under")
        expect(under).to_be_visible()
        wait_idle(page)
        under.get_by_text(rule, exact=True).click()
        expect(page.get_by_text(f"Instruction {rule}:")).to_be_visible()
        wait_idle(page)
        label_parts(page, labels, under=rule)
    alpha = agreement.krippendorff_alpha(np.column_stack(list(second.values())), len(parts.CLASSES))
    expect(metric_value(teacher, CLASS_ALPHA_WRITTEN)).to_have_text(f"{alpha:.2f}")
    for page in (teacher, ada, bob):
        expect(page.get_by_test_id("stException")).to_have_count(0)
