"""Session keys live in ``datacentric/ui/keys.py``: no page writes one as a string, and no two names share a key."""

import ast
import re
from pathlib import Path

import pytest

from datacentric.ui import keys

ROOT = Path(__file__).resolve().parents[3]
PAGES = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "frame" / "navigation.py"]
# Modules whose keys have not moved to keys.py yet (keys.py's docstring says why); every other ui module is checked.
UI = sorted((ROOT / "datacentric" / "ui").glob("*.py"))
ACCESSORS = {"get", "pop", "setdefault", "__getitem__", "__setitem__", "__delitem__", "__contains__"}


def _is_session_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def _is_text(node: ast.AST | None) -> bool:
    """A key written out: a string or an f-string."""
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def literal_keys(source: str) -> list[int]:
    """The lines where ``st.session_state`` is read or written with a key written out as text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_session_state(node.value) and _is_text(node.slice):
            found.append(node.lineno)  # st.session_state["x"], as a read, a write or a del
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ACCESSORS
            and _is_session_state(node.func.value)
            and node.args
            and _is_text(node.args[0])
        ):
            found.append(node.lineno)  # st.session_state.get("x") and the like
        elif (
            isinstance(node, ast.Compare)
            and _is_text(node.left)
            and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
            and any(_is_session_state(c) for c in node.comparators)
        ):
            found.append(node.lineno)  # "x" in st.session_state
        elif (
            isinstance(node, ast.Attribute)
            and _is_session_state(node.value)
            and node.attr not in ACCESSORS
            and node.attr not in {"keys", "items", "values", "clear", "to_dict", "update"}
        ):
            found.append(node.lineno)  # st.session_state.x
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "kept"
            and node.args
            and _is_text(node.args[0])
        ):
            found.append(node.lineno)  # session.kept("x"): a key read back through its shadow
    return found


def named_widget_keys(source: str) -> list[tuple[int, str]]:
    """``key="..."`` arguments whose text is a key that keys.py names: a key read elsewhere, written out here."""
    named = set(_values())
    return [
        (node.lineno, kw.value.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "key" and isinstance(kw.value, ast.Constant) and kw.value.value in named
    ]


def _values() -> list[str]:
    """Every key keys.py names, its dictionaries' and sets' included, templates as they are written."""
    found = []
    for name, value in vars(keys).items():
        if name.isupper() and name != "PER_WORKSPACE":
            found += list(value.values()) if isinstance(value, dict) else [value]
    return found


@pytest.mark.parametrize("path", PAGES + UI, ids=lambda p: p.name)
def test_no_session_key_is_written_out_as_text(path):
    source = path.read_text()
    assert literal_keys(source) == [], f"{path.name}: name the key in datacentric/ui/keys.py and import it"
    assert named_widget_keys(source) == [], f"{path.name}: use the constant from datacentric/ui/keys.py"


@pytest.mark.parametrize(
    "snippet, lines",
    [
        ('st.session_state["scenario"] = 1', [1]),
        ('x = st.session_state.get(f"hide_{code}")', [1]),
        ('del st.session_state["a"]', [1]),
        ('if "a" in st.session_state: pass', [1]),
        ("x = st.session_state.scenario", [1]),
        ('session.kept("tune_family", 0)', [1]),
        ("st.session_state[keys.SCENARIO] = 1\nx = st.session_state.get(keys.HIDE_NAMES.format(code))", []),
    ],
)
def test_the_check_tells_a_written_key_from_a_named_one(snippet, lines):
    assert literal_keys(snippet) == lines


def test_a_named_key_written_out_in_a_widget_is_caught():
    assert named_widget_keys('st.selectbox("Slice", options, key="slice_to_review")') == [(1, "slice_to_review")]
    assert named_widget_keys('st.button("Sign out", key="sign_out")') == []


def test_no_two_names_share_a_key():
    values = _values()
    assert len(values) == len(set(values)), sorted(v for v in values if values.count(v) > 1)


def test_no_key_is_another_keys_template_or_kept_shadow():
    values = _values()
    templates = [v for v in values if "{}" in v]
    for template in templates:
        pattern = re.compile(re.escape(template).replace(r"\{\}", ".+"))
        assert [v for v in values if v != template and pattern.fullmatch(v.replace("{}", "x"))] == [], template
    assert [v for v in values if v.startswith("kept_") and v.removeprefix("kept_") in values] == []


def test_what_a_workspace_forgets_is_named():
    assert keys.PER_WORKSPACE <= set(_values())
