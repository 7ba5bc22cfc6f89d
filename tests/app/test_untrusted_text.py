"""The payload catalogue through every page: what a person types (version names, slice names, room names, display
names, tasks) and what a dataset or a URL brings (class names, column names, cells, a file name, URL parameters),
carrying links, images, KaTeX, colours, icons and HTML, never reaches a Markdown place as markup.

The check walks every element AppTest holds (labels, options, help, captions, values of the elements that render
Markdown) with the oracle of ``tests/payloads.py``, so a widget added later is checked without being named here."""

import re

import pytest

from datacentric.classroom import rooms
from datacentric.classroom.roster import Roster
from datacentric.consistency import exercise, instructions, parts
from datacentric.findings import filters, slices
from datacentric.lab.scenario import Scenario
from datacentric.persistence.store import Store
from datacentric.ui import keys, myslices, session
from tests.app.conftest import PAGES, ROOM_PAGES
from tests.app.test_consistency import frame_of, label_parts
from tests.app.test_your_data import button, workspace_with
from tests.payloads import FILE_NAME, MARKER, PAYLOADS, hostile_csv, markup_from_data, markup_in

# The room pages show a room's scenario, not the session's: their text is tested with hostile rooms below.
SESSION_PAGES = [page for page in PAGES if page not in ROOM_PAGES]


def no_markup(at, during: str = "") -> None:
    found = markup_from_data(at)
    assert not found, during + "\n" + "\n".join(f"{where}: {kinds}: {text[:160]!r}" for where, text, kinds in found)


def as_read(shown: str) -> str:
    """What a person reads of a string sent to a Markdown place: escapes and word joiners gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", shown).replace("\u2060", "")


def typed(payload: str, most: int) -> str:
    """A payload as a one-line text field keeps it: spaces squeezed, cut to ``most`` characters."""
    return " ".join(payload.split())[:most]


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
    assert Store(store_url).dataset_record(ws, scenario.dataset)["title"] == FILE_NAME.removesuffix(".csv")
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


@pytest.mark.parametrize("page", SESSION_PAGES)
def test_every_page_shows_a_hostile_dataset_as_text(hostile, open_page, page):
    at = open_page(page, **hostile, **({"lesson": "03-finding-label-errors"} if page == "pages/learn.py" else {}))
    assert at.session_state["scenario"].dataset == hostile["dataset"]  # the hostile dataset, not a fallback
    no_markup(at)
    if page == "pages/tune_model.py":
        next(b for b in at.button if b.label == "Train").click().run()
        assert not at.exception
        no_markup(at)


def test_hostile_url_parameters_are_shown_as_text(open_page):
    at = open_page(
        "pages/home.py",
        dataset="[evil](https://evil.example/login)",
        noise=":red[evil]",
        rate="$evil$",
        seed="see https://evil.example/x or www.evil.example",
    )
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


# ---- What people type ---------------------------------------------------------------------------------------------

CONSISTENCY = "pages/consistency.py"
PARTS_SCENARIO = Scenario("digits", "none", 0, 3)


def test_a_version_named_with_every_payload_renders_as_text_for_the_owner_and_the_view_link(open_page, store_url):
    """Versions of the instruction named with every payload and labelled under (the last named and labelled through
    the page's own form), each picked in 'Label the parts under': the radio, the instruction, the learner against the
    inspectors, the saved message, the versions table and the change from v1 show the name as text; and through the
    read-only link."""
    store = Store(store_url)
    ws = store.create_workspace(PARTS_SCENARIO.to_params())
    made = parts.make_parts(PARTS_SCENARIO.seed)
    spec = [int(label) for label in made.spec_labels[made.to_label()]]
    by_part = dict(zip(map(int, made.to_label()), spec))
    names = [typed(payload, instructions.NAME_CHARS) for payload in PAYLOADS]
    store.add_event(ws, exercise.labels_topic(made.seed), exercise.labels_record(made, by_part))
    for name in names[:-1]:
        rule = instructions.Rule(name, 0.3)
        store.add_event(ws, exercise.rules_topic(made.seed), rule.to_record())
        store.add_event(ws, exercise.labels_topic(made.seed), exercise.labels_record(made, by_part, rule))
    at = open_page(CONSISTENCY, ws=ws, **PARTS_SCENARIO.to_params())
    no_markup(at, "the versions listed")
    next(t for t in at.text_input if t.label == "Name of this version").input(PAYLOADS[-1])  # the page squeezes it
    button(at, "Add this version").click().run()
    assert not at.exception, at.exception
    assert list(frame_of(at, "instruction")["version"]) == ["v1", *names]  # the names, whole, as text
    no_markup(at, f"after adding {names[-1]!r} through the form")
    at.radio(key="label_under").set_value(len(names)).run()
    label_parts(at, spec, version=len(names))
    assert any(f"under {names[-1]}." in as_read(s.value) for s in at.success), [s.value for s in at.success]
    no_markup(at, "after saving labels under a version named through the form")
    for version, name in enumerate(names, start=1):
        at.radio(key="label_under").set_value(version).run()
        assert not at.exception, at.exception
        assert any(f"Under {name}, you agree" in as_read(m.value) for m in at.markdown), name
        no_markup(at, f"labelling under {name!r}")

    view = open_page(CONSISTENCY, **PARTS_SCENARIO.to_params(), view=store.view_token(ws))
    no_markup(view, "through the read-only link")
    view.radio(key="label_under").set_value(1).run()
    assert not view.exception, view.exception
    no_markup(view, f"through the read-only link, under {names[0]!r}")


SLICE_SCENARIO = Scenario("digits", "uniform", 20, 0, reserve=10)


def test_slices_saved_with_every_payload_as_their_name_render_as_text(open_page, store_url):
    """Saved slices named with every payload (one through the page's own form), one of them chosen: Find the weak
    slice's tables, picker, priority and replay, then Fix the labels reviewing it, for the owner and the view link."""
    store = Store(store_url)
    ws = store.create_workspace(SLICE_SCENARIO.to_params())
    ink = filters.RowFilter("range", "pixel_0_5", low=8, high=16)
    names = [typed(payload, slices.MAX_NAME) for payload in PAYLOADS]
    for name in names[:-1]:
        store.add_event(ws, myslices.TOPIC + SLICE_SCENARIO.dataset, {"name": name, "filter": ink.to_dict()})
    at = open_page("pages/weak_slices.py", ws=ws, **SLICE_SCENARIO.to_params())
    no_markup(at, "saved slices listed")
    at.selectbox(key="bulk_range_column").set_value(ink.column).run()  # the same filter, through the form
    next(n for n in at.number_input if n.label == "From").set_value(ink.low)
    at.text_input(key="slice_name").input(PAYLOADS[-1])  # the page squeezes it to one line
    button(at, "Save this slice").click().run()
    assert not at.exception, at.exception
    assert {f"{name}{slices.YOURS}" for name in names} <= set(at.selectbox(key="slice_to_review").options)
    no_markup(at, "a slice saved through the form")
    at.selectbox(key="slice_to_review").set_value(names[0] + slices.YOURS).run()
    no_markup(at, "a saved slice picked")
    button(at, "Review this slice").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Fix the labels"
    no_markup(at, "Fix the labels on a saved slice")
    for page in ("pages/weak_slices.py", "pages/fix_labels.py"):
        view = open_page(page, **SLICE_SCENARIO.to_params(), view=store.view_token(ws))
        no_markup(view, f"{page} through the read-only link")


ROOM_SCENARIO = Scenario(dataset="wine", noise="uniform", rate=30, seed=0, holdout=50)


@pytest.fixture
def hostile_rooms(store_url):
    """A room named with each payload, its task every payload, a learner in it with the same name; and the first
    room's leaderboard holding every name, each with a scored submission."""
    roster = Roster(Store(store_url))
    made = []
    for payload in PAYLOADS:
        room = roster.open(
            typed(payload, rooms.ROOM_NAME_CHARS), ROOM_SCENARIO, rooms.Challenge(5, 3, 30), task="\n".join(PAYLOADS)
        )
        made.append((room, roster.join(room.code, typed(payload, rooms.NAME_CHARS))))
    first = made[0][0]
    roster.start(first.code)
    for k, payload in enumerate(PAYLOADS[1:]):
        other = roster.join(first.code, typed(payload, rooms.NAME_CHARS))
        roster.submit(other.workspace, version=0, actions=1, public=0.5 + k / 100, private=0.4)
    return made


def test_room_names_display_names_and_tasks_with_every_payload_render_as_text_on_class(open_page, hostile_rooms):
    """Each room's learner on Class (the room, their name, the task, the leaderboard, the sidebar), the join link of
    another room (which names theirs in a message and a button), and the projected leaderboard."""
    for (room, member), (other, _) in zip(hostile_rooms, [*hostile_rooms[1:], hostile_rooms[0]]):
        at = open_page("pages/classroom.py", ws=member.workspace, join=rooms.shown(other.code))
        no_markup(at, f"a join link to another room, from {room.name!r}")
        next(b for b in at.button if b.label.startswith("Stay in")).click().run()
        assert not at.exception, at.exception
        assert as_read(at.header[0].value) == room.name  # the room's page, its name whole
        no_markup(at, f"Class in the room {room.name!r}")
    projected = open_page("pages/classroom.py", ws=hostile_rooms[0][1].workspace, present="1")
    assert len(projected.table[0].value) == len(PAYLOADS)
    no_markup(projected, "the projected leaderboard")


def test_room_names_display_names_and_tasks_with_every_payload_render_as_text_on_teach(hostile_rooms):
    """Each room on Teach (its name, task, members, leaderboard and labelling view), and the projected leaderboard."""
    from tests.app.conftest import App

    at = App()
    at.run()
    at.session_state["instructor_signed_in"] = True
    at.switch_page("pages/teach.py").run()
    assert not at.exception, at.exception
    for room, _ in hostile_rooms:
        at.session_state[keys.TEACH_ROOM] = room.code  # not the picker: it drops every other pick (a bug of its own)
        at.run()
        assert not at.exception, at.exception
        assert as_read(at.header[0].value) == room.name
        no_markup(at, f"Teach on the room {room.name!r}")
    at.query_params["present"] = "1"
    at.session_state[keys.TEACH_ROOM] = hostile_rooms[0][0].code
    at.run()
    assert at.table, "the projected leaderboard"
    no_markup(at, "Teach's projected leaderboard")


URL_CODES = [
    ("pages/consistency.py", "panel", Scenario("digits", "none", 0, 0)),
    ("pages/deployment.py", "drift", Scenario("digits", "none", 0, 0, reserve=40)),
]


@pytest.mark.parametrize("page, param, scenario", URL_CODES, ids=[param for _, param, _ in URL_CODES])
def test_a_panel_or_drift_code_with_every_payload_is_named_as_text(open_page, page, param, scenario):
    at = open_page(page, **scenario.to_params())
    for payload in PAYLOADS:
        at.session_state[session.URL_COPIES[param]] = payload  # what the first run keeps of ?panel= or ?drift=
        at.run()
        assert not at.exception, at.exception
        assert any(MARKER in w.value.lower() for w in at.warning), payload  # named, and the code dropped
        no_markup(at, f"{param}={payload!r}")


def test_the_check_catches_version_names_in_the_radio_when_they_are_not_escaped(open_page, store_url, monkeypatch):
    """As 'Label the parts under' drew them before: the walk must name the radio's options, else the tests of
    version names prove nothing."""
    import datacentric.ui.labelling as labelling

    monkeypatch.setattr(labelling, "plain", lambda text, limit=None: str(text))
    store = Store(store_url)
    ws = store.create_workspace(PARTS_SCENARIO.to_params())
    for payload in PAYLOADS:
        store.add_event(ws, exercise.rules_topic(PARTS_SCENARIO.seed), instructions.Rule(payload, 0.3).to_record())
    at = open_page(CONSISTENCY, ws=ws, **PARTS_SCENARIO.to_params())
    caught = {text for where, text, _ in markup_from_data(at) if where == "Radio.options"}
    names = (payload[: instructions.NAME_CHARS] for payload in PAYLOADS)
    assert caught == {name for name in names if markup_in(name)}  # all but emphasis, headings, tables and breaks
