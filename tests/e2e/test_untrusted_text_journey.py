"""Hostile text from a file, its name, the URL and a Hub name, in a real browser: it must read as text.

What AppTest cannot show: the markup Streamlit's frontend draws. AppTest sees the strings the server sends
(tests/app/test_untrusted_text.py checks them against an oracle); only a browser shows whether a metric, a
button, an alert, a status line or a list turned one into a link, an image, KaTeX, coloured text, an icon
or an emoji. Every payload carries the marker "evil", so the check tells the data's markup from the app's
own (its navigation, its icons, its link to the Hugging Face Hub).
"""

import re
from io import BytesIO
from urllib.parse import urlencode

import pandas as pd
import pytest
from playwright.sync_api import expect

from datacentric.common.display import WORD_JOINER, shorten
from datacentric.lab.scenario import parse_scenario
from tests.e2e.harness import AppServer, ServerError, accept_button, metric_value, wait_fix_labels_loaded, wait_idle
from tests.payloads import FILE_NAME, MARKER, hostile_csv

# Run in the page with the marker: every element that looks like markup made from data, as {kind, where,
# text, html}. Streamlit 1.67's Markdown, given the payloads unescaped (measured in Chromium), draws a link
# as <a> (a javascript: link as <a href="#">), an image as <img>, math as .katex, :red[...] as a span with
# the stMarkdownColored* class and an inline style, :material/skull: as a span[role=img] in the Material
# Symbols font whose text is "skull", :skull: as the emoji, "# x" as a heading, **x** _y_ `z` as strong,
# em and code, and decodes &lt; entities. It shows raw HTML as text; the HTML kinds are here in case that
# ever changes.
MARKUP_FROM_DATA = r"""(marker) => {
    const carries = (s) => (s || "").toLowerCase().includes(marker);
    const found = [];
    const where = (el) => {
        const ids = [];
        for (let e = el; e && ids.length < 3; e = e.parentElement) {
            const id = e.getAttribute("data-testid");
            if (id && !ids.includes(id)) ids.push(id);
        }
        return ids.join(" < ");
    };
    const report = (kind, el) => found.push(
        {kind, where: where(el), text: (el.textContent || "").slice(0, 160), html: el.outerHTML.slice(0, 300)});

    for (const a of document.querySelectorAll("a")) {
        const href = a.getAttribute("href") || "";
        if (carries(href) || carries(a.textContent) || carries(a.getAttribute("aria-label"))
            || /^\s*javascript:/i.test(href)) report("link", a);
    }
    for (const img of document.querySelectorAll("img")) {
        if (carries(img.getAttribute("src")) || carries(img.getAttribute("alt"))) report("image", img);
    }
    for (const el of document.querySelectorAll("b, script, iframe, object, embed")) {
        if (carries(el.textContent) || carries(el.getAttribute("src"))) report("html element", el);
    }
    for (const el of document.querySelectorAll("body *")) {  // React never writes inline handlers; HTML does
        if ([...el.attributes].some((a) => a.name.toLowerCase().startsWith("on"))) report("inline event handler", el);
    }
    for (const el of document.querySelectorAll(".katex")) report("katex", el);  // no page here writes math
    for (const el of document.querySelectorAll('.stMarkdownColoredText, .stMarkdownColoredBackground, '
                                               + 'span[style*="color"], span[style*="background"]')) {
        if (carries(el.textContent)) report("coloured text", el);
    }
    for (const el of document.querySelectorAll("body *")) {
        const label = el.getAttribute("aria-label") || "";
        const icon = el.getAttribute("role") === "img" || getComputedStyle(el).fontFamily.includes("Material Symbols");
        if (icon && (el.textContent.trim() === "skull" || label.includes("skull") || carries(label))) {
            report("material icon", el);
        }
    }
    for (const el of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
        if (carries(el.textContent)) report("heading", el);
    }
    // The payload "**evil** _emphasis_ `code`": each word alone in an element of its own. (The app's own
    // bold may hold data, such as a file's name, so bold with the marker in it is not enough.)
    for (const el of document.querySelectorAll("strong, em, code, del")) {
        if ([marker, "emphasis", "code"].includes(el.textContent.trim().toLowerCase())) report("emphasis", el);
    }
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        const parent = node.parentElement;
        if (!parent || ["STYLE", "SCRIPT"].includes(parent.tagName)) continue;
        if (node.data.includes("\u{1F480}")) report("emoji", parent);
        if (node.data.toLowerCase().includes("<b>" + marker + "</b>")) report("decoded entity", parent);
    }
    return found;
}"""

# What Streamlit drew for the payloads when they were not escaped (abridged from Chromium's DOM), and what
# their HTML would make if raw HTML were ever allowed: the check must name each one.
DRAWN_FROM_PAYLOADS = [
    ("link", '<p><a href="https://evil.example/login" target="_blank">evil link</a></p>'),
    ("link", '<p><a href="#">evil js</a></p>'),
    ("link", '<p>see <a href="https://evil.example/bare">https://evil.example/bare</a> now</p>'),
    ("link", '<p>mail <a href="mailto:me@evil.example">me@evil.example</a></p>'),
    ("image", '<p><img src="https://evil.example/pixel.png" alt="evil image"></p>'),
    ("katex", '<p><span class="katex"><span class="katex-html" aria-hidden="true"><span>evil</span></span></span></p>'),
    ("coloured text", '<p><span class="stMarkdownColoredText" style="color: rgb(158, 48, 59);">evil red</span></p>'),
    (
        "coloured text",
        '<p><span class="stMarkdownColoredBackground" style="background-color: rgb(255, 241, 242);">evil</span></p>',
    ),
    (
        "material icon",
        '<p><span role="img" aria-label="skull icon" style="font-family: \'Material Symbols Rounded\'">'
        "skull</span> evil icon</p>",
    ),
    ("emoji", "<p>\N{SKULL} evil emoji</p>"),
    ("heading", '<h1 id="evil-heading"><span>evil heading</span></h1>'),
    ("emphasis", "<p><strong>evil</strong> <em>emphasis</em> <code>code</code></p>"),
    ("decoded entity", "<p>&lt;b&gt;evil&lt;/b&gt;</p>"),
    ("html element", "<b>evil bold</b>"),
    ("inline event handler", '<img src="x.png" onerror="void 0">'),
    ("html element", "<script>void 'evil'</script>"),
]
# The app's own markup, and data shown as text the way ``plain`` leaves it: the check must name none of it.
DRAWN_BY_THE_APP = (
    '<a href="https://huggingface.co/datasets">Hugging Face Hub</a>'
    '<a href="/fix_labels"><span role="img" style="font-family: \'Material Symbols Rounded\'">fact_check</span>'
    "Fix the labels</a><h1>Fix the labels</h1>"
    f"<p><strong>[evil file](h{WORD_JOINER}ttps://evil.example/f) :{WORD_JOINER}red[evil].csv</strong>: 264 rows</p>"
    f"<p>:{WORD_JOINER}material/skull: evil icon, :skull: evil emoji, $$evil$$, **evil** _emphasis_</p>"
    "<p>&amp;lt;b&amp;gt;evil&amp;lt;/b&amp;gt; and &lt;b&gt;evil bold&lt;/b&gt;</p>"
)


def markup_from_data(page) -> list[dict]:
    return page.evaluate(MARKUP_FROM_DATA, MARKER)


def expect_no_markup_from_data(page, where: str) -> None:
    wait_idle(page)
    found = markup_from_data(page)
    assert not found, f"{where}: data drawn as markup:\n" + "\n".join(
        f"- {f['kind']} in {f['where'] or 'the page'}: {f['text']!r}\n  {f['html']}" for f in found
    )


def as_read(text: str) -> str:
    """Text as a person reads it: without the invisible word joiners ``plain`` puts into links."""
    return text.replace(WORD_JOINER, "")


def reads_as(text: str) -> re.Pattern:
    """A pattern for an element's whole text that reads as ``text``, whatever word joiners ``plain`` put in."""
    return re.compile("^" + r"\u2060?".join(re.escape(c) for c in text) + "$")


def expect_reads_as(page, element, text: str, where: str) -> None:
    """Wait until ``element`` reads as ``text``; if it never does, name the markup drawn instead, if any."""
    try:
        expect(element).to_have_text(reads_as(text))
    except AssertionError:
        expect_no_markup_from_data(page, where)
        raise


def open_your_data(page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Your datasets")).to_be_visible()
    wait_idle(page)


@pytest.mark.e2e
def test_the_check_names_markup_from_data_and_nothing_else(page):
    for kind, html in DRAWN_FROM_PAYLOADS:
        page.set_content(html)
        named = [f["kind"] for f in markup_from_data(page)]
        assert kind in named, f"the check misses {kind} in {html}; it names {named}"
    page.set_content(DRAWN_BY_THE_APP)
    assert markup_from_data(page) == [], "the check names the app's own markup, or data shown as text"


@pytest.mark.e2e
def test_a_hostile_file_through_your_data_and_fix_the_labels(app_server, page):
    raw = hostile_csv()
    frame = pd.read_csv(BytesIO(raw), keep_default_na=False)
    classes = {shorten(c): c for c in frame["true_label"]}  # as a metric shows a class: its full name
    open_your_data(page, f"{app_server.url}/your_data")

    # Set it up: the file's name in bold, a preview, the label and role choices, the model's steps naming
    # the columns, and the grading box naming the truth column.
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": FILE_NAME, "mimeType": "text/csv", "buffer": raw}
    )
    summary = page.get_by_test_id("stMarkdown").filter(has_text=f"{len(frame)} rows, {len(frame.columns)} columns.")
    expect(summary).to_be_visible()
    expect(page.get_by_role("button", name="Use this dataset")).to_be_enabled()
    expect(page.get_by_role("combobox", name="Label column: the labels to review")).to_have_value("label")
    expect(page.get_by_test_id("stMain").get_by_test_id("stDataFrame")).to_have_count(2)  # preview, role editor
    steps = page.get_by_test_id("stMarkdown").filter(has_text="stays fixed while you fix the labels")
    expect(steps).to_be_visible()
    expect(page.get_by_test_id("stAlert").filter(has_text="Graded: true_label holds the true labels")).to_be_visible()
    expect_no_markup_from_data(page, "Your data, set up")
    assert as_read(summary.locator("strong").inner_text()) == shorten(FILE_NAME)
    for column in frame.columns.drop(["label", "true_label"]):
        assert shorten(column) in as_read(steps.inner_text()), f"the model's steps do not name {column!r} as text"

    # Fix the labels: class names in the metrics, the buttons and the sentence after an action.
    page.get_by_role("button", name="Use this dataset").click()
    expect(page).to_have_url(re.compile(r"/fix_labels\?"), timeout=60_000)
    wait_fix_labels_loaded(page)
    expect_no_markup_from_data(page, "Fix the labels")
    given = as_read(metric_value(page, "Given label").inner_text())
    suggested = as_read(metric_value(page, "Suggested").inner_text())
    assert given in classes and suggested in classes, f"the card's classes are not the file's: {given!r}, {suggested!r}"

    expect(accept_button(page)).to_be_enabled()
    accept_button(page).click()
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    success = page.get_by_test_id("stAlert").filter(has_text="Relabelled item")
    expect(success).to_be_visible()
    expect_no_markup_from_data(page, "Fix the labels, after accepting a suggestion")
    assert f" as {classes[suggested]}: " in as_read(success.inner_text()), "the sentence does not name the class set"

    # Every class through a button label: "Relabel to" names the class picked (a picker shows it as text).
    relabel_to = page.get_by_role("combobox", name="Relabel to")
    for name in classes:
        relabel_to.click()
        relabel_to.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
        where = f"Fix the labels, Relabel to {name!r}"
        expect_reads_as(page, page.locator("[class*='st-key-relabel_v'] button"), f"Relabel to {name}", where)
        expect_no_markup_from_data(page, where)

    page.get_by_text("Export your cleaned data").click()
    expect(page.get_by_role("button", name="Cleaned dataset (CSV)")).to_be_visible()
    up_next = page.get_by_role("heading", name="Up next")
    up_next.scroll_into_view_if_needed()
    expect(up_next).to_be_in_viewport()
    expect_no_markup_from_data(page, "Fix the labels, export and up next in view")

    # Back on Your data, the dataset is listed under its title, one click from review.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Your data").click()
    expect(page.get_by_role("button", name="Review it")).to_be_visible()
    listed = page.get_by_test_id("stMarkdown").filter(has_text="(current)")
    expect(listed).to_contain_text(MARKER)
    expect_no_markup_from_data(page, "Your data, the dataset listed")
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.e2e
def test_hostile_url_parameters_read_as_text(app_server, page):
    params = {
        "dataset": "[evil](https://evil.example/login)",
        "noise": ":red[evil]",
        "rate": "$evil$",
        "seed": "see https://evil.example/x or www.evil.example",
    }
    _, problems = parse_scenario(params)
    page.goto(f"{app_server.url}/?{urlencode(params)}")
    warnings = page.get_by_test_id("stAlert").filter(has_text=MARKER)
    expect(warnings).to_have_count(len(problems))
    expect(warnings.filter(has_text="The seed")).to_contain_text("evil.example/x")
    expect_no_markup_from_data(page, "Home, with hostile URL parameters")
    shown = [as_read(text) for text in warnings.get_by_test_id("stMarkdownContainer").all_inner_texts()]
    for problem in problems:
        assert problem in shown, f"no warning reads as the problem found: {problem!r} not in {shown}"


@pytest.fixture
def offline_server(tmp_path, monkeypatch):
    """A server that never asks the Hub: a name it cannot load fails at once, as on a machine offline."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the server takes os.environ at launch
    server = AppServer(tmp_path / "app", watch_files=False)
    try:
        server.start()
    except ServerError as error:
        pytest.fail(f"The app server did not start: {error}", pytrace=False)
    yield server
    server.stop()


@pytest.mark.e2e
def test_a_hostile_hub_name_reads_as_text(offline_server, page):
    name = "[evil](https://evil.example/h) :material/skull:"
    open_your_data(page, f"{offline_server.url}/your_data")
    page.get_by_role("tab", name="From the Hugging Face Hub").click()
    page.get_by_role("combobox", name="Dataset").click()
    page.get_by_role("option", name="Another dataset...").click()
    field = page.get_by_role("textbox", name="Name (owner/name)")
    expect(field).to_have_value("")  # the form is drawn afresh for a name of one's own
    wait_idle(page)
    field.fill(name)
    field.press("Enter")
    load = page.get_by_role("button", name="Load from the Hub")
    expect(load).to_be_enabled()
    load.click()

    status = page.get_by_test_id("stExpander").filter(has_text="Could not load")
    error = page.get_by_test_id("stAlert").filter(has_text="is not a Hugging Face Hub dataset id")
    expect(status).to_be_visible()
    expect(error).to_have_count(1)
    wait_idle(page)
    # The status stays open as it turns to error, so the reason is read without a click.
    expect(error).to_be_visible()
    expect_no_markup_from_data(page, "Your data, after a hostile Hub name")
    assert as_read(status.locator("summary").inner_text()).endswith(f"Could not load {name}")
    assert as_read(error.get_by_test_id("stMarkdownContainer").inner_text()).startswith(f"'{name}' is not a"), (
        "the error does not quote the name as typed"
    )
