"""A learner's own CSV in a real browser: upload, set it up, fix its labels, export, refresh, restart.

What AppTest cannot show: a file going through the real uploader, the switch to Fix the labels, the
files a download button hands the browser, and the dataset still there after a refresh (a new
Streamlit session) and a server restart (a new process on the same store).
"""

import re
import struct
import zlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from datacentric.experiment.approaches import YOUR_LINES, Approach
from tests.e2e.harness import (
    accept_button,
    metric_value,
    wait_fix_labels_loaded,
    wait_idle,
    wait_page_drawn,
    workspace_of,
)

N_ROWS = 150
NOISE_SHARE = 0.18
WORDS = {  # a support ticket's words give its class away, so the model's suggestions are trustworthy
    "billing": ["invoice", "charged", "refund", "payment", "card", "overcharged"],
    "delivery": ["parcel", "courier", "shipped", "arrived", "tracking", "package"],
    "login": ["password", "account", "locked", "reset", "email", "signin"],
}
FILLER = ["please", "help", "today", "hello", "thanks", "again", "urgent"]
AMOUNT = {"billing": 80.0, "delivery": 30.0, "login": 5.0}
ADDED = ["split", "original_label", "action"]  # the export's columns after the file's own (the label column is current)
PERCENT = re.compile(r"^\d+(\.\d)?%$")
DATASET_KEY = re.compile(r"^u-[0-9a-f]{16}$")
CARD_CAPTION = re.compile(r"^training item (\d+): row (\d+) of your file$")


def query(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def tickets(seed: int) -> pd.DataFrame:
    """Support tickets: an id, free text, a category, a number, a noisy ``label`` and the ``true_label``.

    Each test uses its own seed, so its file (and dataset) is new to the server: nothing is cached.
    """
    rng = np.random.default_rng(seed)
    classes = sorted(WORDS)
    truth = np.array(classes)[np.arange(N_ROWS) % len(classes)]
    rng.shuffle(truth)
    messages = [
        f"Ticket {i + 1}: "
        + " ".join(rng.permutation([*rng.choice(WORDS[c], 4, replace=False), *rng.choice(FILLER, 3)]))
        for i, c in enumerate(truth)
    ]
    labels = truth.copy()
    for i in rng.choice(N_ROWS, int(N_ROWS * NOISE_SHARE), replace=False):
        labels[i] = rng.choice([c for c in classes if c != truth[i]])
    return pd.DataFrame(
        {
            "ticket_id": np.arange(1, N_ROWS + 1),
            "message": messages,
            "channel": rng.choice(["email", "phone", "chat"], N_ROWS),
            "amount": np.round([rng.normal(AMOUNT[c], 8) for c in truth], 2),
            "label": labels,
            "true_label": truth,
        }
    )


def write_csv(path, frame: pd.DataFrame) -> pd.DataFrame:
    """Write ``frame`` to ``path`` and return the file as pandas reads it back (the dtypes an export has)."""
    frame.to_csv(path, index=False)
    return pd.read_csv(path, keep_default_na=False)


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def open_your_data(page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Your datasets")).to_be_visible()
    wait_idle(page)


def uploader(page):
    return page.get_by_test_id("stFileUploaderDropzoneInput")


def use_button(page):
    return page.get_by_role("button", name="Use this dataset")


def upload_good_file(page, path, frame: pd.DataFrame) -> str:
    """Upload a CSV and wait until Set it up shows it; return the workspace the upload created."""
    uploader(page).set_input_files(path)
    expect(page.get_by_text(f"{path.name}: {len(frame)} rows, {len(frame.columns)} columns.")).to_be_visible()
    expect(use_button(page)).to_be_enabled()
    wait_idle(page)
    ws = workspace_of(page)
    assert "ws" not in query(page.url), f"the workspace id is in the URL: {page.url}"
    return ws


def use_dataset(page) -> str:
    """Click "Use this dataset", wait for Fix the labels on the new dataset; return its key."""
    use_button(page).click()
    expect(page).to_have_url(re.compile(r"/fix_labels\?"), timeout=60_000)
    wait_fix_labels_loaded(page)
    key = query(page.url).get("dataset", "")
    assert DATASET_KEY.match(key), f"not a learner's dataset key: {page.url}"
    assert query(page.url)["noise"] == "none"
    return key


def watch_status(page) -> None:
    """Record every text an ``st.status`` shows, however briefly: it is gone once the page switches."""
    page.evaluate("""() => {
        window.statusTexts = [];
        window.statusWatch = new MutationObserver(() => {
            for (const box of document.querySelectorAll('[data-testid="stExpander"]')) {
                const text = box.innerText;
                if (text.includes("Preparing your dataset") && !window.statusTexts.includes(text)) {
                    window.statusTexts.push(text);
                }
            }
        });
        window.statusWatch.observe(document.body, {childList: true, subtree: true, characterData: true});
    }""")


def status_texts(page) -> list[str]:
    """Stop watching; the texts ``watch_status`` saw."""
    return page.evaluate("() => { window.statusWatch.disconnect(); return window.statusTexts; }")


def review_card(page) -> dict:
    """The item under review: its file row (1-based), training item, given and suggested labels, text."""
    caption = page.get_by_text(CARD_CAPTION)
    expect(caption).to_have_count(1)
    item, row = map(int, CARD_CAPTION.match(caption.inner_text()).groups())
    suggested = accept_button(page).inner_text().splitlines()[0].removeprefix("Accept suggestion: ").strip()
    return {
        "item": item,
        "row": row,
        "given": metric_value(page, "Given label").inner_text(),
        "suggested": suggested,
        "text": page.get_by_test_id("stMain").get_by_test_id("stText").inner_text(),
    }


def take_action(page, button, n_actions: int) -> None:
    """Click a label-action button and wait until the page shows the action counted."""
    button.click()
    expect(metric_value(page, "Actions taken")).to_have_text(str(n_actions))
    wait_idle(page)
    page.mouse.move(0, 0)  # off the button: a tooltip left open could cover the next one


def figures(page) -> dict[str, str]:
    return {
        label: metric_value(page, label).inner_text()
        for label in ("Test accuracy", "Test balanced accuracy", "Noisy labels left", "Actions taken")
    }


def expect_figures(page, expected: dict[str, str]) -> None:
    for label, text in expected.items():
        expect(metric_value(page, label)).to_have_text(text)


DOWNLOAD_TIMEOUT = 90_000  # ms: the file is built on the server at the click, its lab rebuilt if the cache let it go


def download(page, name: str, tmp_path, server) -> tuple[str, pd.DataFrame]:
    """Click the download button ``name``; return the file name the browser got and the CSV it holds."""
    button = page.get_by_role("button", name=name)
    expect(button).to_be_enabled()
    wait_idle(page)  # a click on a button the run in progress is drawing again can be lost with it
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    try:
        with page.expect_download(timeout=DOWNLOAD_TIMEOUT) as info:
            button.click()
        got = info.value
    except PlaywrightTimeoutError:
        # The file is built on the server at click time: say what the button, the browser and the server said.
        shown = page.get_by_test_id("stDownloadButtonError").all_inner_texts()
        pytest.fail(
            f"no download from {name!r}; the button says {shown}; the browser's console after the click: "
            f"{console[-20:]}; the server's log ends:\n{server.output(3000)}",
            pytrace=False,
        )
    path = tmp_path / got.suggested_filename
    got.save_as(path)
    return got.suggested_filename, pd.read_csv(path, keep_default_na=False)


@pytest.mark.e2e
def test_upload_fix_three_labels_and_export(app_server, page, tmp_path):
    frame = tickets(seed=0)
    csv = tmp_path / "tickets.csv"
    original = write_csv(csv, frame)
    open_your_data(page, f"{app_server.url}/your_data")

    # Set it up: the label columns are guessed from their names, each column's role from its values.
    upload_good_file(page, csv, frame)
    expect(page.get_by_role("combobox", name="Label column: the labels to review")).to_have_value("label")
    expect(page.get_by_role("combobox", name="Known-true labels (optional)")).to_have_value("true_label")
    for step in (
        "Numeric columns (amount)",
        "Categorical columns (channel)",
        "Text columns (message)",
        "Ignored: ticket_id.",
    ):
        expect(page.get_by_text(step)).to_be_visible()
    expect(page.get_by_text("Graded: true_label holds the true labels")).to_be_visible()

    watch_status(page)
    key = use_dataset(page)
    status = status_texts(page)
    assert any("Reading 150 rows by your choices..." in text for text in status), status
    assert query(page.url) == {"dataset": key, "noise": "none", "rate": "0", "seed": "0"}
    expect(page.get_by_text("Graded against known-true labels.")).to_be_visible()

    before = figures(page)
    assert before["Actions taken"] == "0"
    assert PERCENT.match(before["Test accuracy"]), before
    n_train = N_ROWS - round(N_ROWS * 0.3)
    wrong_in_file = int((frame["label"] != frame["true_label"]).sum())
    assert 0 < int(before["Noisy labels left"]) <= wrong_in_file, before  # the wrong labels in the training split

    # Accept the top three suggestions; each one must fix a label the file got wrong.
    accepted = []
    for n in (1, 2, 3):
        card = review_card(page)
        row = frame.iloc[card["row"] - 1]
        assert card["text"] == row["message"], f"the card shows another row's text: {card}"
        assert card["given"] == row["label"], f"the card's given label is not the file's: {card}"
        assert card["given"] != row["true_label"] == card["suggested"], (
            f"suggestion {n} (file row {card['row']}, {card['given']} -> {card['suggested']}) does not fix a wrong "
            f"label; the truth is {row['true_label']}"
        )
        take_action(page, accept_button(page), n)
        expect(metric_value(page, "Noisy labels left")).to_have_text(str(int(before["Noisy labels left"]) - n))
        accepted.append(card)
    after = figures(page)
    assert PERCENT.match(after["Test accuracy"]), after
    assert len({c["row"] for c in accepted}) == 3, "the queue offered the same item twice"

    # Export: the cleaned file has every row of the upload, the three fixes marked in the label column itself
    # (the original beside it, so the file uploads again as it was set up), nothing else changed.
    page.get_by_text("Export your cleaned data").click()
    name, cleaned = download(page, "Cleaned dataset (CSV)", tmp_path, app_server)
    assert name == "tickets-cleaned.csv"
    assert list(cleaned.columns) == ["file_row", *original.columns, *ADDED]
    assert len(cleaned) == len(original) == N_ROWS
    assert cleaned["file_row"].tolist() == list(range(1, N_ROWS + 1))
    unchanged = [c for c in original.columns if c != "label"]
    pd.testing.assert_frame_equal(cleaned[unchanged], original[unchanged])
    assert (cleaned["original_label"] == original["label"]).all(), "original_label is not the file's label"
    assert cleaned["split"].value_counts().to_dict() == {"train": n_train, "test": N_ROWS - n_train}

    fixed = cleaned.set_index("file_row").loc[[c["row"] for c in accepted]]
    assert fixed["action"].tolist() == ["relabelled"] * 3
    assert fixed["split"].tolist() == ["train"] * 3
    assert fixed["original_label"].tolist() == [c["given"] for c in accepted]
    assert fixed["label"].tolist() == [c["suggested"] for c in accepted]
    rest = cleaned[~cleaned["file_row"].isin(fixed.index)]
    assert (rest["action"] == "").all() and (rest["label"] == rest["original_label"]).all()
    # The noisy-label count is the file's own: wrong labels in the training rows, before and after.
    train = cleaned[cleaned["split"] == "train"]
    assert int((train["original_label"] != train["true_label"]).sum()) == int(before["Noisy labels left"])
    assert int((train["label"] != train["true_label"]).sum()) == int(after["Noisy labels left"])

    name, log = download(page, "Action log (CSV)", tmp_path, app_server)
    assert name == "tickets-actions.csv"
    assert log["seq"].tolist() == [1, 2, 3]
    assert log["action"].tolist() == ["relabel"] * 3
    assert log["item"].tolist() == [c["item"] for c in accepted]
    assert log["row"].tolist() == [c["row"] for c in accepted]
    assert log["new_label"].tolist() == [c["suggested"] for c in accepted]
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.e2e
def test_a_png_named_csv_is_explained_and_a_good_file_still_works(app_server, page, tmp_path):
    open_your_data(page, f"{app_server.url}/your_data")
    uploader(page).set_input_files({"name": "picture.csv", "mimeType": "text/csv", "buffer": png_bytes()})
    error = page.get_by_test_id("stAlert").filter(has_text="PNG image")
    expect(error).to_contain_text("not a CSV file")
    wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    # Nothing was stored: no workspace, nothing to set up.
    expect(page.get_by_text("Bring a file above; it is checked")).to_be_visible()
    expect(use_button(page)).to_have_count(0)
    assert "ws" not in query(page.url), page.url

    frame = tickets(seed=1)
    csv = tmp_path / "tickets.csv"
    write_csv(csv, frame)
    upload_good_file(page, csv, frame)
    expect(error).to_have_count(1)  # said again while the refused file stays in the uploader's list, and only once
    use_dataset(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.e2e
def test_own_dataset_survives_a_refresh_and_a_server_restart(app_server, restart_app, new_page, tmp_path):
    frame = tickets(seed=2)
    csv = tmp_path / "support-tickets.csv"
    write_csv(csv, frame)
    page = new_page()
    open_your_data(page, f"{app_server.url}/your_data")
    ws = upload_good_file(page, csv, frame)
    key = use_dataset(page)
    acted = {}  # file row -> what the export must say of it
    for n, (action, button) in enumerate(
        [
            ("relabelled", accept_button(page)),
            ("confirmed", page.get_by_role("button", name="Label is right")),
            ("removed", page.get_by_role("button", name="Remove from training")),
        ],
        start=1,
    ):
        acted[review_card(page)["row"]] = action
        take_action(page, button, n)
    before = figures(page)
    url = page.url

    page.reload()
    wait_fix_labels_loaded(page)
    expect_figures(page, before)
    assert page.url == url
    page.context.close()  # a page left open would reconnect to the new server by itself

    restart_app()

    page = new_page()
    open_your_data(page, f"{app_server.url}/your_data?ws={ws}")
    # A workspace link from before the cookie still opens where the learner left off: on their dataset,
    # listed as current; then the address bar drops it and the browser keeps it.
    listed = page.get_by_test_id("stMarkdown").filter(has_text=key)
    expect(listed).to_have_text(f"support-tickets (current) · {key}")
    expect(page.get_by_text(f"{csv.name}: {len(frame)} rows")).to_be_visible()
    expect(page.get_by_role("button", name="Review it")).to_have_count(1)
    page.get_by_role("button", name="Review it").click()
    expect(page).to_have_url(re.compile(r"/fix_labels\?"))
    wait_fix_labels_loaded(page)
    expect_figures(page, before)
    assert query(page.url) == {"dataset": key, "noise": "none", "rate": "0", "seed": "0"}
    assert workspace_of(page) == ws
    # The export reads the stored log: all three actions, at the rows they were taken on.
    page.get_by_text("Export your cleaned data").click()
    _, cleaned = download(page, "Cleaned dataset (CSV)", tmp_path, app_server)
    assert len(cleaned) == N_ROWS
    done = cleaned[cleaned["action"] != ""]
    assert dict(zip(done["file_row"], done["action"])) == acted


EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
TOUCHED = re.compile(r"^(\d[\d,]*) rows? touched$")  # the gray note under "Actions taken"
SINCE_START = re.compile(r"^([+-]\d+\.\d) pts since start$")  # the note under the test score


def metric_note(page, label: str):
    """The gray note (``st.metric``'s delta) under the metric labelled ``label``."""
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).get_by_test_id("stMetricDelta")


def remove_junk_in_one_action(page, url: str, order: str) -> tuple[str, int]:
    """Upload the junk-laden example and its own clean test file (``order``: "test file first", "training file first"
    or "both at once"), set the training file up with the test file as its test set, filter the rows containing '<'
    and remove them in one action on Fix the labels. Returns the test accuracy before, as the page showed it, and the
    number of rows the action removed, as the page counted them."""
    train, test = EXAMPLES / "junk-reviews.csv", EXAMPLES / "junk-reviews-test.csv"
    open_your_data(page, f"{url}/your_data")
    if order == "both at once":
        uploader(page).set_input_files([test, train])
    else:
        first, second = (test, train) if order == "test file first" else (train, test)
        uploader(page).set_input_files(first)
        expect(page.get_by_role("combobox", name="File", exact=True)).to_have_value(re.compile(re.escape(first.name)))
        wait_idle(page)
        uploader(page).set_input_files(second)  # the pair: the one named "test" tests the other
    # Where the uploads leave the form (the message that says so lasts only until the next run: the uploader may
    # send two files in two runs, so it is not waited on).
    frame = pd.read_csv(train)
    expect(page.get_by_role("combobox", name="File", exact=True)).to_have_value(re.compile(re.escape(train.name)))
    wait_idle(page)
    expect(page.get_by_text(f"{train.name}: {len(frame):,} rows, {len(frame.columns)} columns.")).to_be_visible()
    expect(page.get_by_role("radio", name="Another file I brought, with the same columns")).to_be_checked()
    expect(page.get_by_role("combobox", name="Test file")).to_have_value(re.compile(re.escape(test.name)))
    wait_idle(page)
    use_dataset(page)
    truth = re.compile(r"your test file \(400 test items\), its labels taken as the truth")
    expect(page.get_by_text(truth)).to_be_visible()
    before = metric_value(page, "Test accuracy").inner_text()

    page.get_by_text("Act on many rows at once").click()
    text = page.get_by_role("textbox", name="Text")
    text.fill("<")
    text.press("Enter")
    junk = int(frame["review"].str.contains("<").sum())
    assert junk > 1, "the example's junk must take more than one row, or one action and one row look alike"
    expect(page.get_by_text(f"{junk:,} of {len(frame):,} training rows match")).to_be_visible()
    wait_idle(page)
    page.get_by_role("button", name=f"Remove the {junk:,} in use").click()
    expect(metric_value(page, "Actions taken")).to_have_text("1")  # one bulk action, whatever it touched
    wait_idle(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(f"Removed {junk} items from training")
    # The rows it touched, beside the count: the page's own figure, held to the file's and the outcome message's.
    note = metric_note(page, "Actions taken")
    expect(note).to_have_text(TOUCHED)
    removed = int(TOUCHED.match(note.inner_text()).group(1).replace(",", ""))
    assert removed == junk, f"the note says {removed} rows touched; the filter removed {junk}"
    return before, removed


@pytest.mark.e2e
@pytest.mark.parametrize("order", ["test file first", "training file first", "both at once"])
def test_junk_removed_in_one_action_raises_the_score_on_the_uploaded_test_file(app_server, page, order):
    """The junk-laden example and its own clean test file, uploaded in either order or together: the training file
    is set up with the test file as its test set; filter the rows containing '<', remove them in one action, see
    the headline rise on the uploaded test set, undo in one step and see it fall back."""
    before, _ = remove_junk_in_one_action(page, app_server.url, order)
    after = metric_value(page, "Test accuracy").inner_text()
    assert float(after.rstrip("%")) > float(before.rstrip("%")) + 5, (before, after)

    page.get_by_role("button", name="Undo last action").click()
    expect(metric_value(page, "Actions taken")).to_have_text("0")
    expect(metric_value(page, "Test accuracy")).to_have_text(before)


def chart_under_header(page, name: str):
    """The chart drawn right under the header ``name``."""
    header = page.get_by_test_id("stElementContainer").filter(has=page.get_by_role("heading", name=name, exact=True))
    expect(header).to_have_count(1)
    return header.locator("xpath=following-sibling::div[1]").get_by_test_id("stVegaLiteChart")


def aria_fields(label: str) -> dict[str, str]:
    """A Vega mark's aria-label ("effort: 1; test accuracy: 81.500000%; arm: ...") as field -> value."""
    return {key.strip(): value for key, _, value in (part.partition(": ") for part in label.split("; "))}


@pytest.mark.e2e
def test_one_filter_shows_on_compare_as_one_action_of_effort(app_server, page):
    """Issue 28: both files uploaded at once, the junk removed with one filter. Compare explains it as one label action
    touching the rows removed, and its effort chart's data-centric line runs from effort 0 to 1, from the score before
    to the score after, as Fix the labels showed them."""
    before, removed = remove_junk_in_one_action(page, app_server.url, "both at once")
    after = metric_value(page, "Test accuracy").inner_text()
    expect(metric_note(page, "Test accuracy")).to_have_text(SINCE_START)
    gain = SINCE_START.match(metric_note(page, "Test accuracy").inner_text()).group(1)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare\?"))
    said = f"So far only fixing: {gain} points from 1 label action touching {removed} rows ("
    expect(page.get_by_test_id("stMain").get_by_text(said)).to_be_visible(timeout=60_000)
    wait_page_drawn(page)

    chart = chart_under_header(page, "Accuracy against effort")
    expect(chart.locator("svg.marks")).to_have_count(1)  # Vega drew it, as SVG: its marks carry their data
    data_line = YOUR_LINES[Approach.DATA]
    points = chart.locator(f'[aria-roledescription="point"][aria-label*="arm: {data_line};"]')
    expect(points).to_have_count(2)  # before any action, and after the one
    drawn = sorted(
        (float(fields["effort"]), float(fields["test accuracy"].rstrip("%")))
        for fields in map(aria_fields, points.evaluate_all("marks => marks.map(m => m.getAttribute('aria-label'))"))
    )
    assert [effort for effort, _ in drawn] == [0, 1], f"the data line's efforts: {drawn}"
    assert [f"{score:.1f}%" for _, score in drawn] == [before, after], f"the data line's scores: {drawn}"
    expect(page.get_by_test_id("stException")).to_have_count(0)


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.e2e
@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_the_previews_toolbar_leaves_the_line_above_it_readable(app_server, browser, tmp_path, viewport):
    frame = write_csv(tmp_path / "tickets.csv", tickets(3))
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        open_your_data(page, f"{app_server.url}/your_data")
        uploader(page).set_input_files(tmp_path / "tickets.csv")
        line = page.get_by_text(f"tickets.csv: {len(frame)} rows, {len(frame.columns)} columns. The first rows:")
        expect(line).to_be_visible()
        wait_idle(page)
        table = page.get_by_test_id("stDataFrame").first
        table.hover()  # the toolbar shows while the pointer is over the table
        toolbar = page.get_by_test_id("stElementToolbar").first
        expect(toolbar).to_be_visible()
        toolbar.evaluate("bar => Promise.all(bar.getAnimations({subtree: true}).map(a => a.finished))")  # it slides in
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        assert not overlap(toolbar.bounding_box(), line.bounding_box()), "the table's toolbar covers the line above it"
    finally:
        context.close()
