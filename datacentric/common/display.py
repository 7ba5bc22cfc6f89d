"""Text from data, URLs or learners made safe to show: Markdown neutralised, links broken, long values shortened.

Streamlit renders Markdown in far more places than ``st.markdown``: metric labels and values, button,
tab, expander, status and checkbox labels, radio options, captions, alerts, tooltips and every cell of
``st.table`` (measured in Chromium on 1.67). Selectbox options, dataframes, ``st.text``, ``st.code`` and
charts show text as text. Anything that did not come from this project's own code goes through
``plain`` before it reaches a Markdown place; ``shorten`` keeps a huge name from freezing the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "MARKDOWN_SPECIALS",
    "WORD_JOINER",
    "TRIGGERS",
    "NAME_CHARS",
    "CELL_CHARS",
    "TEXT_CHARS",
    "ELLIPSIS",
    "plain",
    "shorten",
    "shortened_text",
    "display_names",
    "percent",
    "counted",
]

# Every ASCII punctuation mark CommonMark lets a backslash escape that can start markup: links, images,
# emphasis, code, HTML and entities, tables, KaTeX ($), Streamlit's :color[...] and :icon: directives.
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# Streamlit turns bare URLs and e-mail addresses into links, and ":material/name:" into an icon, after
# escapes are read (GFM autolink literals: "http://", "https://", "www." and "name@host.tld"), so escaping
# cannot stop them. A word joiner (U+2060: invisible, no width) inside the trigger can.
WORD_JOINER = "\u2060"
TRIGGERS = re.compile(r"(?i)(?<=h)(?=ttps?:)|(?<=w)(?=ww\.)|(?<=@)|(?<=:)(?=[a-z])")
NAME_CHARS = 60  # a column or class name on screen; the full name stays in the data
CELL_CHARS = 200  # a cell in a preview table
TEXT_CHARS = 20_000  # a text shown whole for review (a long review, an article)
ELLIPSIS = "…"


def plain(text: object, *, limit: int | None = None) -> str:
    """``text`` as it reads, for any place that renders Markdown: every Markdown character escaped, links and
    e-mail addresses unlinked, line breaks as spaces; cut to ``limit`` characters first if given."""
    flat = " ".join(str(text).splitlines())
    if limit is not None:
        flat = shorten(flat, limit)
    return MARKDOWN_SPECIALS.sub(r"\\\1", TRIGGERS.sub(WORD_JOINER, flat))


def shorten(text: object, limit: int = NAME_CHARS) -> str:
    """``text`` on one line, cut to at most ``limit`` characters with an ellipsis when longer."""
    if limit < 2:
        raise ValueError(f"limit must be at least 2, got {limit}")
    flat = " ".join(str(text).splitlines())
    return flat if len(flat) <= limit else flat[: limit - 1] + ELLIPSIS


def shortened_text(text: str, limit: int = TEXT_CHARS) -> tuple[str, str | None]:
    """A long text cut for display, and a note saying how much is not shown (None when it is whole)."""
    if len(text) <= limit:
        return text, None
    return text[:limit] + ELLIPSIS, f"Shown: the first {limit:,} of {len(text):,} characters."


def display_names(names: Iterable[object], limit: int = NAME_CHARS) -> list[str]:
    """Names shortened for column headers, still distinct: a clash gets its position appended."""
    names = [str(name) for name in names]
    short = [shorten(name, limit) for name in names]
    counts: dict[str, int] = {}
    for name in short:
        counts[name] = counts.get(name, 0) + 1
    return [
        s if counts[s] == 1 or s == n else f"{shorten(n, limit - 8)} (#{i + 1})"
        for i, (n, s) in enumerate(zip(names, short))
    ]


def percent(share: float, digits: int = 1) -> str:
    """A share as people write it here: 0.852 -> '85.2 %'."""
    return f"{share * 100:.{digits}f} %"


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless one: "1 row", "412 rows"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
