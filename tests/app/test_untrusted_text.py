"""The payload catalogue through every page: class names, column names, cells, a file name and URL parameters
that carry links, images, KaTeX, colours, icons and HTML never reach a Markdown place as markup."""
import pytest

from datacentric.store import Store
from tests.app.test_your_data import button, workspace_with
from tests.payloads import FILE_NAME, hostile_csv, markup_from_data

PAGES = ["pages/home.py", "pages/tune_model.py", "pages/fix_labels.py", "pages/weak_slices.py", "pages/compare.py",
         "pages/your_data.py", "pages/learn.py"]


def no_markup(at) -> None:
    found = markup_from_data(at)
    assert not found, "\n".join(f"{where}: {kinds}: {text[:160]!r}" for where, text, kinds in found)


@pytest.fixture
def hostile(open_page, store_url):
    """A workspace whose dataset is the hostile CSV, set up and ready to review: its URL parameters."""
    ws = workspace_with(store_url, hostile_csv(), FILE_NAME)
    at = open_page("pages/your_data.py", ws=ws)
    no_markup(at)
    button(at, "Use this dataset").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Fix the labels", [e.value for e in at.error]
    no_markup(at)
    scenario = at.session_state["scenario"]
    # The title is the file's whole name, as text: a '/' in it is not a folder to cut at.
    assert Store(store_url).dataset_record(scenario.dataset)["title"] == FILE_NAME.removesuffix(".csv")
    return {"ws": ws, **scenario.to_params()}


def test_fix_the_labels_shows_hostile_classes_columns_and_cells_as_text(hostile, open_page):
    at = open_page("pages/fix_labels.py", **hostile)
    no_markup(at)
    given = next(m for m in at.metric if m.label == "Given label")
    assert "evil" in given.value.lower()  # the class name is on screen, as text
    accept = next(b for b in at.button if b.label.startswith("Accept suggestion: "))
    accept.click().run()
    assert not at.exception
    boxes = (*at.success, *at.info, *at.error)
    assert any("evil" in box.value.lower() for box in boxes)  # the sentence names the class it set
    no_markup(at)


def test_the_row_filter_shows_hostile_columns_values_and_patterns_as_text(hostile, open_page):
    at = open_page("pages/fix_labels.py", **hostile)
    for kind in ("contains", "regex", "values", "given", "suggested"):
        if kind not in at.selectbox(key="bulk_kind").options:
            continue
        at.selectbox(key="bulk_kind").set_value(kind).run()
        if kind in ("contains", "regex"):
            at.text_input(key=f"bulk_{kind}_text").input("[evil link](https://evil.example) e").run()
        elif kind == "values":
            options = at.multiselect[0].options
            at.multiselect[0].set_value(options[:2]).run()
        else:
            at.multiselect[0].set_value(list(range(len(at.multiselect[0].options)))).run()
        assert not at.exception
        assert any("training rows match" in m.value for m in at.markdown) or at.warning
        no_markup(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_a_hostile_dataset_as_text(hostile, open_page, page):
    at = open_page(page, **hostile, **({"lesson": "03-finding-label-errors"} if page == "pages/learn.py" else {}))
    assert at.session_state["scenario"].dataset == hostile["dataset"]  # the hostile dataset, not a fallback
    no_markup(at)
    if page == "pages/tune_model.py":
        next(b for b in at.button if b.label == "Train").click().run()
        assert not at.exception
        no_markup(at)


def test_hostile_url_parameters_are_shown_as_text(open_page):
    at = open_page("pages/home.py", dataset="[evil](https://evil.example/login)", noise=":red[evil]",
                   rate="$evil$", seed="see https://evil.example/x or www.evil.example")
    warnings = [w.value for w in at.warning]
    assert sum("evil" in w for w in warnings) >= 3, warnings
    no_markup(at)


def test_a_hostile_hub_name_is_shown_as_text(open_page, monkeypatch, store_url):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    at = open_page("pages/your_data.py")
    at.selectbox(key="hub_choice").select("Another dataset...").run()
    at.text_input(key="hub_name_Another dataset...").input("[evil](https://evil.example/h)").run()
    button(at, "Load from the Hub").click().run()
    assert not at.exception and at.error
    no_markup(at)


def test_the_check_itself_catches_markup_from_data(open_page, store_url, monkeypatch):
    """The same page with the escaping switched off must fail the check: else the tests above prove nothing."""
    import datacentric.ui.yourdata as yourdata

    monkeypatch.setattr(yourdata, "plain", lambda text, limit=None: str(text))
    ws = workspace_with(store_url, hostile_csv(), FILE_NAME)
    assert Store(store_url).files(ws)
    at = open_page("pages/your_data.py", ws=ws)
    assert markup_from_data(at)
