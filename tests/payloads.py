"""A catalogue of hostile text, and an oracle that says what markup a string would render as in Streamlit.

Every payload carries the marker ``evil`` so tests can tell data from the app's own text. The oracle
follows what Streamlit 1.67 was measured to do in Chromium: CommonMark links, images, raw HTML and
autolinks; KaTeX between dollars; ``:color[...]`` and ``:material/...:`` directives; and, after escapes
are read, GFM autolinks of bare URLs and e-mail addresses and material icons (which escapes alone do
not stop). Shared by the unit, AppTest and browser tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from datacentric.serving import COOKIE_ROUTE

MARKER = "evil"
PAYLOADS = [
    "[evil link](https://evil.example/login)",
    "![evil image](https://evil.example/pixel.png)",
    "<https://evil.example/autolink>",
    "see https://evil.example/bare now",
    "HTTP://EVIL.EXAMPLE/upper",
    "www.evil.example",
    "mail me@evil.example",
    "$\\text{evil}^2$",
    "$$evil$$",
    ":red[evil red]",
    ":red-background[evil]",
    ":rainbow[evil rainbow]",
    ":material/skull: evil icon",
    ":skull: evil emoji",
    "<b>evil bold</b><img src=https://evil.example/x.png onerror=alert(1)>",
    "<script>alert('evil')</script>",
    "[evil js](javascript:alert(1))",
    "**evil** _emphasis_ `code`",
    "# evil heading",
    "evil | a | table",
    "&lt;b&gt;evil&lt;/b&gt;",
    "two\nlines evil",
]

FILE_NAME = "[evil file](https://evil.example/f) :red[evil].csv"


def hostile_csv(seed: int = 0) -> bytes:
    """Every payload as a class (12 rows each, a quarter mislabelled), as column names and as cells."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    classes = [p.replace("\n", " ") for p in PAYLOADS]
    truth = np.repeat(np.arange(len(classes)), 12)
    given = truth.copy()
    flip = rng.random(len(truth)) < 0.25
    given[flip] = (truth[flip] + rng.integers(1, len(classes), flip.sum())) % len(classes)
    frame = pd.DataFrame(
        {
            "review": [f"{classes[t]} word{t} token{t} said {PAYLOADS[(t + 1) % len(PAYLOADS)]}" for t in truth],
            "[evil col](https://evil.example/c)": rng.normal(truth, 1.0),
            ":material/skull: evil kind": [PAYLOADS[i % 3] for i in range(len(truth))],
            "label": [classes[g] for g in given],
            "true_label": [classes[t] for t in truth],
        }
    )
    return frame.to_csv(index=False).encode()


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation
_SOURCE_MARKUP = {  # on the text with escaped characters masked out
    "link": re.compile(r"\]\("),
    "image": re.compile(r"!\["),
    "html or autolink": re.compile(r"<[A-Za-z/!?]"),
    "katex": re.compile(r"\$"),
    "directive": re.compile(r":[a-z]+(-background)?\["),
    "icon or emoji": re.compile(r":[a-z0-9_+-]+(/[a-z0-9_]+)?:"),
    "entity": re.compile(r"&[#A-Za-z0-9]+;"),
}
_TEXT_MARKUP = {  # on the text as read, after escapes: where Streamlit links and iconifies anyway
    "bare url": re.compile(r"(?i)(https?://|www\.)"),
    "e-mail": re.compile(r"[-.\w+]+@[-\w]+(\.[-\w]+)+", re.ASCII),
    "material icon": re.compile(r":material/[a-z_]+:"),
}


def markup_in(text: str) -> list[str]:
    """The kinds of markup Streamlit would render from ``text`` in a Markdown place (empty: it reads as text)."""
    masked = _ESCAPE.sub("··", text)
    read = _ESCAPE.sub(r"\1", text)
    found = [kind for kind, pattern in _SOURCE_MARKUP.items() if pattern.search(masked)]
    return found + [kind for kind, pattern in _TEXT_MARKUP.items() if pattern.search(read)]


# --- AppTest: every string that reaches a Markdown place ----------------------------------------------

# Element types that show their strings as text (or as pictures of text), and widget fields shown as text.
TEXT_TYPES = {
    "Text",
    "Code",
    "Dataframe",
    "DataEditor",
    "ArrowDataFrame",
    "VegaLiteChart",
    "Json",
    "Image",
    "Exception",
}
TEXT_FIELDS = {
    "Selectbox": {"options", "default", "rawValue", "value"},
    "Multiselect": {"options", "default", "rawValues", "value"},
    "TextInput": {"value", "default"},
    "TextArea": {"value", "default"},
}
HIDDEN_FIELDS = {"id", "formId"}  # a widget's identity (its key inside), never drawn


def markdown_strings(at) -> Iterator[tuple[str, str]]:
    """(where, string) for every string an AppTest run sends to a place that renders Markdown."""
    from google.protobuf.json_format import MessageToDict

    def walk(node):
        proto = getattr(node, "proto", None)
        kind = type(proto).__name__ if proto is not None else ""
        if kind == "Table":
            frame = node.value
            for value in [*map(str, frame.columns), *map(str, frame.index), *map(str, frame.to_numpy().ravel())]:
                yield "Table", value
        elif proto is not None and kind not in TEXT_TYPES:
            skip = TEXT_FIELDS.get(kind, set()) | HIDDEN_FIELDS
            for field, value in MessageToDict(proto).items():
                if field not in skip:
                    yield from ((f"{kind}.{field}", s) for s in _strings(value))
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    yield from walk(at._tree)


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def markup_from_data(at) -> list[tuple[str, str, list[str]]]:
    """(where, string, markup kinds) for each Markdown string carrying the marker that would render markup."""
    return [
        (where, s, kinds)
        for where, s in markdown_strings(at)
        if MARKER in _without_cookie_tokens(s).lower() and (kinds := markup_in(s))
    ]


def _without_cookie_tokens(text: str) -> str:
    """The text without the random tokens of the app's own cookie image (``serving.COOKIE_ROUTE``): a token of 32
    random letters holds the marker now and then ('...QOeEViLg...'), and it is no learner's text."""
    return re.sub(re.escape(COOKIE_ROUTE) + r"[A-Za-z0-9_-]+", COOKIE_ROUTE, text)
