"""The classroom in real browsers: an instructor on Teach, learners on Class, each in a browser context of their own.

What AppTest cannot show: the leaderboard's fragment redrawing itself in a page nobody touches (``run_every``), the
instructor's cookie and a learner's workspace cookie carrying them through a server restart, and the markup the
frontend draws for a display name or a room name.

Reading the leaderboard and the class table: Streamlit 1.67 paints a dataframe on a canvas (Glide Data Grid), so
its cells are not in the page's text. Glide keeps an accessibility table inside the canvas's fallback content
(``table[role=grid]`` with ``role=columnheader`` / ``role=gridcell`` cells holding each cell's raw value, numbers
unformatted). Role locators count it as hidden, so the cells are found by CSS on their ARIA roles, and a column by
its header's ``aria-colindex``. It holds the rows in view only, which is every row of these small tables.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from datacentric.classroom.roster import Roster
from datacentric.persistence.store import Store
from tests.e2e.conftest import start_or_fail
from tests.e2e.harness import AppServer, accept_button, metric_value, wait_fix_labels_loaded, wait_idle, workspace_of
from tests.e2e.test_presenter_journey import SIZES as PRESENTER_SIZES
from tests.e2e.test_presenter_journey import cut_short, settle

PASSCODE = "correct horse battery"
BUDGET, CAP = 3, 3  # label actions and scored submissions per learner: one action each keeps the test quick
HOSTILE_NAME = "<img src=x onerror=alert(1)>**bold**"
MARKDOWN_ROOM = "**Tuesday** <b>class</b> _wine_"
CODE_SHOWN = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")
SCORE = re.compile(r"^(0(\.\d+)?|1)$")  # a score as the grid's accessibility table holds it: a raw fraction
# Marks the document: a reload or a navigation replaces it, and the mark is gone.
MARK = "window.__dcp_same_document = true"
MARKED = "() => window.__dcp_same_document === true"


def _server(workdir) -> AppServer:
    """A server with the instructor passcode set; one that does not start fails the test, never skips it."""
    return start_or_fail(AppServer(workdir, watch_files=False, env={"DCP_INSTRUCTOR_PASSCODE": PASSCODE}))


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    """A server with the instructor passcode set, shared by the tests of this module (each opens its own room)."""
    server = _server(tmp_path_factory.mktemp("classroom"))
    yield server
    server.stop()


@pytest.fixture
def own_class_server(tmp_path):
    """A server with the passcode set for one test alone: the restart test stops and starts it."""
    server = _server(tmp_path / "app")
    yield server
    server.stop()


# --- The instructor -------------------------------------------------------------------------------------------


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/teach")
    page.get_by_role("textbox", name="Instructor passcode").fill(PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("stExpander").filter(has_text="Open a new room")).to_be_visible()
    wait_idle(page)


def open_room(page, name: str, *, dataset: str = "Wine cultivars") -> str:
    """Open a room with a challenge from the Teach form; the join code as the page shows it ('ABCD-EFGH')."""
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Open the room"))
    expander = page.get_by_test_id("stExpander").filter(has_text="Open a new room")
    if not form.is_visible():
        expander.locator("summary").click()
    form.get_by_role("textbox", name="Room name").fill(name)
    form.get_by_role("combobox", name="Dataset").click()
    page.get_by_role("option", name=dataset, exact=True).click()
    form.get_by_role("spinbutton", name="Label actions per learner").fill(str(BUDGET))
    form.get_by_role("spinbutton", name="Scored submissions per learner").fill(str(CAP))
    form.get_by_role("spinbutton", name="Minutes, once started").fill("30")
    form.get_by_role("button", name="Open the room").click()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    wait_idle(page)  # the run that opened the room may still be drawing, the element before it not yet gone
    expect(page.get_by_text(f"{BUDGET} label actions and {CAP} scored submissions per learner")).to_be_visible()
    code = page.locator(".dcp-join-code")
    expect(code).to_have_text(CODE_SHOWN)
    return code.inner_text().strip()


def start_clock(page) -> None:
    page.get_by_role("button", name="Start the clock").click()
    expect(page.get_by_role("button", name="Restart the clock")).to_be_visible()
    expect(page.get_by_role("button", name="Reveal the final ranking")).to_be_enabled()
    wait_idle(page)


def hide_names(page) -> None:
    toggle = page.get_by_role("switch", name="Hide names on the leaderboard")
    page.get_by_text("Hide names on the leaderboard").click()
    expect(toggle).to_be_checked()
    wait_idle(page)


# --- A learner ------------------------------------------------------------------------------------------------


def join(page, url: str, code: str, name: str, *, by_link: bool) -> None:
    """Join the room: through its join link (the code filled in) or by typing the code as the projector shows it."""
    box = page.get_by_role("textbox", name="Room code")
    if by_link:
        page.goto(f"{url}/classroom?join={code.replace('-', '')}")
        expect(box).to_have_value(code)  # the link filled in the code
    else:
        page.goto(f"{url}/classroom")
        expect(box).to_have_value("")
        box.fill(code)
    wait_idle(page)
    before = workspace_of(page)  # the id this browser was given on its first page
    page.get_by_role("textbox", name="Display name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("button", name="Submit my current labels")).to_be_visible()
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text=f"Room {code} · you are ")).to_be_visible()
    workspace_of(page, other_than=before)  # the room's workspace, now the browser's
    wait_idle(page)


def fix_one_label(page) -> None:
    page.get_by_test_id("stMain").get_by_role("link", name="Fix the labels").click()
    expect(page).to_have_url(re.compile(r"/fix_labels\?dataset=wine&"))  # the room's scenario
    wait_fix_labels_loaded(page)
    accept_button(page).click()
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    wait_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Class").click()
    expect(figures(page)).to_contain_text(f"Label actions used: 1 of {BUDGET}")
    wait_idle(page)


def figures(page):
    """The learner's line of figures above the Submit button (label actions, submissions and time left)."""
    return page.get_by_test_id("stMarkdownContainer").filter(has_text="Label actions used:")


def submit(page) -> None:
    page.get_by_role("button", name="Submit my current labels").click()
    expect(page.get_by_test_id("stAlert").filter(has_text="Submitted: ")).to_be_visible()
    expect(figures(page)).to_contain_text(f"scored submissions left: {CAP - 1} of {CAP}")
    wait_idle(page)


# --- The leaderboard and the class table, through the grid's accessibility table -------------------------------


def leaderboard(page):
    """The leaderboard: the one dataframe with a gain per action."""
    return page.get_by_test_id("stDataFrame").filter(
        has=page.locator('[role="columnheader"]', has_text=re.compile(r"^Gain per action \(points\)$"))
    )


def class_table(page):
    """The instructor's view of the class: the dataframe that says when each learner was last seen."""
    return page.get_by_test_id("stDataFrame").filter(
        has=page.locator('[role="columnheader"]', has_text=re.compile(r"^Seen \(s ago\)$"))
    )


def column(grid, header: str):
    """The cells of the column headed ``header``, top to bottom (looked up afresh: a reveal adds a column)."""
    head = grid.locator('[role="columnheader"]').filter(has_text=re.compile(f"^{re.escape(header)}$"))
    expect(head).to_have_count(1)
    return grid.locator(f'[role="gridcell"][aria-colindex="{head.get_attribute("aria-colindex")}"]')


def cell(grid, name: str, header: str):
    """The cell of the row whose Name reads ``name``, in the column headed ``header``."""

    def index(text: str) -> str:
        head = grid.locator('[role="columnheader"]').filter(has_text=re.compile(f"^{re.escape(text)}$"))
        expect(head).to_have_count(1)
        return head.get_attribute("aria-colindex")

    # ``has`` is matched inside each row, so the name cell is located from the page, as a relative path.
    named = grid.page.locator(f'[role="gridcell"][aria-colindex="{index("Name")}"]').filter(
        has_text=re.compile(f"^{re.escape(name)}$")
    )
    row = grid.locator('[role="row"]').filter(has=named)
    expect(row).to_have_count(1)
    return row.locator(f'[role="gridcell"][aria-colindex="{index(header)}"]')


def rows(grid) -> list[dict[str, str]]:
    """The table as it reads now, a dict per row (for a check after ``expect`` has waited for what it shows)."""
    return grid.locator("table[role=grid]").evaluate("""table => {
        const heads = [...table.querySelectorAll('[role="columnheader"]')].map(h => h.textContent);
        return [...table.querySelectorAll('tbody [role="row"]')].map(r => Object.fromEntries(
            [...r.querySelectorAll('[role="gridcell"]')].map((c, i) => [heads[i], c.textContent])));
    }""")


def you(page):
    """The line above a learner's board that says which row is theirs."""
    return page.get_by_test_id("stCaptionContainer").filter(has_text=re.compile(r"^You: "))


def mark_document(page) -> None:
    page.evaluate(MARK)


def expect_same_document(page, url: str) -> None:
    """Nothing reloaded or navigated the page since ``mark_document``: what changed came over its websocket."""
    assert page.evaluate(MARKED), "the page was reloaded or navigated"
    assert page.url == url


# --- The journeys ---------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_a_class_joins_submits_and_watches_the_leaderboard_move_without_a_reload(class_server, new_page):
    url = class_server.url
    teacher = new_page()
    sign_in(teacher, url)
    code = open_room(teacher, "Wine challenge")
    expect(teacher.get_by_test_id("stCode").filter(has_text="/classroom?join=")).to_have_text(
        f"{url}/classroom?join={code.replace('-', '')}"
    )
    # Big enough for the back row: at least three times the size of the page's text.
    sizes = teacher.locator(".dcp-join-code").evaluate(
        "c => [parseFloat(getComputedStyle(c).fontSize), parseFloat(getComputedStyle(document.body).fontSize)]"
    )
    assert sizes[0] >= 3 * sizes[1], f"the join code is {sizes[0]}px, the page's text {sizes[1]}px"
    start_clock(teacher)
    expect(teacher.get_by_test_id("stMarkdownContainer").filter(has_text="live, on the public half")).to_contain_text(
        " min "
    )

    ada, bob = new_page(), new_page()
    join(ada, url, code, "Ada Lovelace", by_link=True)
    join(bob, url, code, "Bob", by_link=False)
    expect(column(leaderboard(bob), "Name")).to_have_text(["Ada Lovelace", "Bob"])  # joining order, no one scored
    expect(you(bob)).to_have_text("You: Bob, no scored submission yet.")

    fix_one_label(bob)
    submit(bob)
    expect(cell(leaderboard(bob), "Bob", "Submissions")).to_have_text("1")  # at once, on the submitter's own page
    expect(cell(leaderboard(bob), "Bob", "Rank")).to_have_text("1")
    expect(cell(leaderboard(bob), "Ada Lovelace", "Submissions")).to_have_text("0")
    expect(you(bob)).to_have_text("You: Bob, ranked 1 of 2.")

    # Bob's page and the instructor's stay open, untouched, while Ada submits: their boards redraw themselves.
    mark_document(bob)
    mark_document(teacher)
    bob_url, teacher_url = bob.url, teacher.url
    fix_one_label(ada)
    submit(ada)
    ada_score = cell(leaderboard(ada), "Ada Lovelace", "Public score")
    expect(ada_score).to_have_text(SCORE)
    ada_public = ada_score.text_content()
    for page in (bob, teacher):
        board = leaderboard(page)
        expect(cell(board, "Ada Lovelace", "Submissions")).to_have_text("1")
        expect(cell(board, "Ada Lovelace", "Public score")).to_have_text(ada_public)
        expect(column(board, "Rank")).to_have_text(["1", "2"])
    bob_rank = cell(leaderboard(bob), "Bob", "Rank").text_content()
    expect(you(bob)).to_have_text(f"You: Bob, ranked {bob_rank} of 2.")
    expect_same_document(bob, bob_url)
    expect_same_document(teacher, teacher_url)
    live = rows(leaderboard(teacher))
    publics = [float(r["Public score"]) for r in live]
    assert publics == sorted(publics, reverse=True), f"the live board is not ranked by public score: {live}"
    expect(you(teacher)).to_have_count(0)  # the instructor is not on the board
    expect(column(class_table(teacher), "Submissions")).to_have_text(["1", "1"])  # the class's view, on its own clock

    # The reveal: the learners' boards switch to the private half's ranking, their pages still untouched.
    for page in (ada, bob):
        expect(leaderboard(page).locator('[role="columnheader"]', has_text="Private score")).to_have_count(0)
        mark_document(page)
    ada_url = ada.url
    teacher.get_by_role("button", name="Reveal the final ranking").click()
    expect(teacher.get_by_role("button", name="Reveal the final ranking")).to_be_disabled()
    roster = Roster(Store(class_server.db_url))
    room = roster.room(code.replace("-", ""))
    private = {
        m.name: s["private"]
        for m in roster.members(room.code, room.round)
        for s in roster.submitted(room.code, room.round, private=True)
        if s["workspace"] == m.workspace
    }
    for page in (ada, bob, teacher):
        board = leaderboard(page)
        expect(
            page.get_by_test_id("stMarkdownContainer").filter(has_text="final ranking, on the private half")
        ).to_be_visible()
        expect(column(board, "Private score (final)")).to_have_text([SCORE, SCORE])
        final = rows(board)
        assert {r["Name"]: float(r["Private score (final)"]) for r in final} == pytest.approx(private), (
            f"the final board is not the private scores {private}: {final}"
        )
        order = [float(r["Private score (final)"]) for r in final]
        assert order == sorted(order, reverse=True), f"the final board is not ranked by the private half: {final}"
    expect_same_document(ada, ada_url)
    expect_same_document(bob, bob_url)
    for page in (ada, bob, teacher):
        expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.e2e
def test_hidden_names_and_hostile_names_on_the_projector_and_the_learners_pages(class_server, new_page):
    url = class_server.url
    alerts: list[str] = []
    teacher = new_page()
    sign_in(teacher, url)
    code = open_room(teacher, MARKDOWN_ROOM)
    start_clock(teacher)
    heading = teacher.get_by_test_id("stHeading").filter(has_text="Tuesday")
    expect(heading).to_have_text(MARKDOWN_ROOM)  # the name as typed: no bold, no HTML, no emphasis
    expect(heading.locator("strong, b, em")).to_have_count(0)

    ada, eve = new_page(), new_page()
    for page in (teacher, ada, eve):
        page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    join(ada, url, code, "Ada Lovelace", by_link=True)
    join(eve, url, code, HOSTILE_NAME, by_link=False)
    for page in (ada, eve):
        title = page.get_by_test_id("stHeading").filter(has_text="Tuesday")
        expect(title).to_have_text(MARKDOWN_ROOM)
        expect(title.locator("strong, b, em")).to_have_count(0)
    expect(eve.get_by_test_id("stCaptionContainer").filter(has_text="you are")).to_have_text(
        f"Room {code} · you are {HOSTILE_NAME}"
    )
    expect(you(eve)).to_have_text(f"You: {HOSTILE_NAME}, no scored submission yet.")
    fix_one_label(ada)
    submit(ada)  # a point on the instructor's chart of the class, which names its learners

    # The hostile name as text: in the learners' boards, the instructor's board, class table and chart.
    for page in (ada, eve, teacher):
        expect(column(leaderboard(page), "Name")).to_have_text(["Ada Lovelace", HOSTILE_NAME])
    expect(column(class_table(teacher), "Name")).to_have_text(["Ada Lovelace", HOSTILE_NAME])
    chart = teacher.get_by_test_id("stVegaLiteChart").filter(has_text="The class's submissions")  # a line each
    expect(chart).to_contain_text("Ada Lovelace")
    for page in (teacher, ada, eve):
        wait_idle(page)
        expect(page.locator('img[src="x"]')).to_have_count(0)
        expect(page.locator("strong, b").filter(has_text=re.compile(r"^bold$"))).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    assert alerts == [], f"a display name ran as HTML: {alerts}"

    # Names hidden on the projector: "Learner 1", "Learner 2" in joining order, and no display name anywhere on it.
    mark_document(ada)
    ada_url = ada.url
    hide_names(teacher)
    expect(column(leaderboard(teacher), "Name")).to_have_text(["Learner 1", "Learner 2"])
    expect(column(class_table(teacher), "Name")).to_have_text(["Learner 1", "Learner 2"])
    expect(chart).to_contain_text("Learner 1")
    for page in (ada, eve):  # the learners' boards, on their own clock
        expect(column(leaderboard(page), "Name")).to_have_text(["Learner 1", "Learner 2"])
    expect(you(ada)).to_have_text("You: Learner 1, ranked 1 of 2.")
    expect(you(eve)).to_have_text("You: Learner 2, no scored submission yet.")
    expect_same_document(ada, ada_url)
    wait_idle(teacher)
    on_projector = teacher.locator("body").evaluate("body => body.innerHTML")  # the grids' tables and the chart too
    for name in ("Ada Lovelace", "onerror", "**bold**"):
        assert name not in on_projector, f"{name!r} is on the instructor's page with names hidden"
    on_adas = ada.locator("body").evaluate("body => body.innerHTML")
    assert "onerror" not in on_adas and "**bold**" not in on_adas, "another learner's name is on Ada's page"
    assert alerts == []


@pytest.mark.e2e
def test_a_join_link_for_another_room_is_offered_not_ignored(class_server, new_page):
    url = class_server.url
    teacher = new_page()
    sign_in(teacher, url)
    first = open_room(teacher, "Monday room")
    second = open_room(teacher, "Friday room")
    learner = new_page()
    join(learner, url, first, "Alan", by_link=False)
    workspace_of(learner)  # the browser keeps the workspace before it follows the next link
    learner.goto(f"{url}/classroom?join={second.replace('-', '')}")
    offer = learner.get_by_test_id("stAlert").filter(has_text=f"This join link is for room {second}")
    expect(offer).to_contain_text(f"you are in Monday room (room {first})")
    expect(learner.get_by_role("textbox", name="Room code")).to_have_value(second)
    wait_idle(learner)
    learner.get_by_role("button", name="Stay in Monday room").click()  # and it can be declined
    expect(learner.get_by_role("heading", name="Monday room", exact=True)).to_be_visible()
    expect(offer).to_have_count(0)
    wait_idle(learner)

    learner.goto(f"{url}/classroom?join={second.replace('-', '')}")
    expect(offer).to_be_visible()
    expect(learner.get_by_role("textbox", name="Room code")).to_have_value(second)
    wait_idle(learner)
    learner.get_by_role("textbox", name="Display name").fill("Alan")
    learner.get_by_role("button", name="Join").click()
    expect(learner.get_by_role("heading", name="Friday room", exact=True)).to_be_visible()
    expect(learner.get_by_test_id("stCaptionContainer").filter(has_text="you are")).to_have_text(
        f"Room {second} · you are Alan"
    )
    expect(offer).to_have_count(0)
    roster = Roster(Store(class_server.db_url))
    for room in (first, second):  # a member of each, each in a workspace of its own
        assert [m.name for m in roster.members(room.replace("-", ""), 1)] == ["Alan"]


@pytest.mark.e2e
def test_a_room_and_its_submissions_survive_a_server_restart(own_class_server, new_page):
    url = own_class_server.url
    teacher = new_page()
    sign_in(teacher, url)
    code = open_room(teacher, "Thursday room")
    start_clock(teacher)
    learner = new_page()
    join(learner, url, code, "Grace Hopper", by_link=True)
    fix_one_label(learner)
    submit(learner)
    score = cell(leaderboard(learner), "Grace Hopper", "Public score")
    expect(score).to_have_text(SCORE)
    public = score.text_content()
    expect(cell(leaderboard(teacher), "Grace Hopper", "Public score")).to_have_text(public)
    workspace_of(learner)  # the browser keeps the learner's workspace (its script writes the cookie after a draw)
    instructors_browser = teacher.context
    teacher.close()  # the instructor's browser keeps its cookie; its page, left open, would reconnect by itself

    before = own_class_server.pid
    own_class_server.restart()
    assert own_class_server.pid != before  # a new process: only the store carries the room over

    learner.reload()  # a new session on a new process: the workspace cookie finds the room
    expect(learner.get_by_role("heading", name="Thursday room", exact=True)).to_be_visible()
    expect(learner.get_by_test_id("stCaptionContainer").filter(has_text="you are")).to_have_text(
        f"Room {code} · you are Grace Hopper"
    )
    expect(figures(learner)).to_contain_text(f"Label actions used: 1 of {BUDGET}")
    expect(figures(learner)).to_contain_text(f"scored submissions left: {CAP - 1} of {CAP}")
    expect(cell(leaderboard(learner), "Grace Hopper", "Public score")).to_have_text(public)
    expect(you(learner)).to_have_text("You: Grace Hopper, ranked 1 of 1.")

    teacher = instructors_browser.new_page()
    teacher.goto(f"{url}/teach")  # a bare address: the cookie signs the instructor in, the store has the room
    expect(teacher.get_by_test_id("stHeading").filter(has_text="Thursday room")).to_be_visible()
    expect(teacher.locator(".dcp-join-code")).to_have_text(code)
    expect(teacher.get_by_role("button", name="Restart the clock")).to_be_visible()  # the clock still runs
    expect(cell(leaderboard(teacher), "Grace Hopper", "Public score")).to_have_text(public)
    expect(cell(class_table(teacher), "Grace Hopper", "Submissions")).to_have_text("1")
    expect(cell(class_table(teacher), "Grace Hopper", "Label actions")).to_have_text("1")
    expect(teacher.get_by_role("textbox", name="Instructor passcode")).to_have_count(0)

    stranger = new_page()  # and it is the cookie that does it: a browser without it is asked for the passcode
    stranger.goto(f"{url}/teach")
    expect(stranger.get_by_role("textbox", name="Instructor passcode")).to_be_visible()
    expect(stranger.get_by_test_id("stHeading").filter(has_text="Thursday room")).to_have_count(0)


@pytest.mark.e2e
def test_a_room_without_a_challenge_keeps_the_learner_after_a_reload(class_server, new_page):
    """The Class page of a room with no challenge ends early; the workspace just joined must reach the cookie."""
    from datacentric.classroom.rooms import shown
    from datacentric.lab.scenario import Scenario

    room = Roster(Store(class_server.db_url)).open("Reading group", Scenario(dataset="wine"), None)
    learner = new_page()
    learner.goto(f"{class_server.url}/classroom?join={room.code}")
    expect(learner.get_by_role("textbox", name="Room code")).to_have_value(shown(room.code))
    wait_idle(learner)
    before = workspace_of(learner)  # the id this browser was given on its first page
    learner.get_by_role("textbox", name="Display name").fill("Ada")
    learner.get_by_role("button", name="Join").click()
    expect(learner.get_by_text("This room has no challenge")).to_be_visible()
    workspace_of(learner, other_than=before)  # the room's workspace, kept by the browser
    learner.reload()
    expect(learner.get_by_test_id("stCaptionContainer").filter(has_text="you are Ada")).to_be_visible()


@pytest.mark.e2e
@pytest.mark.parametrize("size", list(PRESENTER_SIZES))
def test_teach_and_class_hold_in_the_presenter_view_at_a_projectors_size(class_server, browser, size):
    """Teach (what the class sees on the projector) and Class, in the presenter view: no button label cut."""
    url = class_server.url
    context = browser.new_context(viewport=PRESENTER_SIZES[size], device_scale_factor=1.5)
    context.set_default_timeout(30_000)
    try:
        teacher = context.new_page()
        sign_in(teacher, url)
        code = open_room(teacher, "Projector room")
        teacher.goto(f"{url}/teach?present=1&room={code.replace('-', '')}")
        expect(teacher.get_by_role("button", name="Leave presenter view")).to_be_visible()
        expect(teacher.locator(".dcp-join-code")).to_have_text(code)
        settle(teacher)
        assert cut_short(teacher, must_see=["Start the clock", "Reveal the final ranking"]) == []
        learner = browser.new_context(viewport=PRESENTER_SIZES[size], device_scale_factor=1.5).new_page()
        join(learner, url, code, "Ada", by_link=True)  # it waits until the browser keeps the room's workspace
        learner.goto(f"{url}/classroom?present=1")
        expect(learner.get_by_role("button", name="Leave presenter view")).to_be_visible()
        settle(learner)
        assert cut_short(learner, must_see=["Submit my current labels"]) == []
        learner.context.close()
    finally:
        context.close()
