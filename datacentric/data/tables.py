"""Read an uploaded CSV file into a DataFrame, or say in plain English what is wrong with it."""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from datacentric.common import settings
from datacentric.data import encodings
from datacentric.data.encodings import encoding_name

__all__ = [
    "MB",
    "SNIFF_CHARS",
    "SNIFF_LINES",
    "DELIMITERS",
    "SEE_LIMITS",
    "SAVE_AS",
    "RESAVE",
    "EXCEL",
    "ZIP_HINT",
    "UPLOAD_CSV",
    "IMPOSTORS",
    "CONTROL_BYTES",
    "NOT_CONTROL",
    "NUMBER",
    "LINE",
    "MAX_NAME_CHARS",
    "TableError",
    "Limits",
    "NO_LIMITS",
    "limits_from_env",
    "Table",
    "read_csv",
]

MB = 1024 * 1024
SNIFF_CHARS = 64 * 1024
SNIFF_LINES = 1000  # csv.Sniffer took 1.9 s on 64 KB of lines like "1"; 1,000 lines take 60 ms
DELIMITERS = {",": "commas (,)", ";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}
SEE_LIMITS = "(see docs/your-data.md, 'Limits')"
SAVE_AS = "File > Save As > 'CSV UTF-8 (Comma delimited)'"
RESAVE = f"Open it in a spreadsheet program, save it again as CSV ({SAVE_AS}), and upload that file."
EXCEL = f"To use it, open it in Excel, save it as CSV ({SAVE_AS}), and upload that file."
ZIP_HINT = (
    f"An Excel workbook (.xlsx) is a zip archive too: if this is one, save it as CSV from Excel ({SAVE_AS}) and "
    f"upload that. If the zip holds CSV files, unzip it and upload one of them."
)
UPLOAD_CSV = "Upload your data as a CSV file: plain text, a header row naming the columns, then one row per example."
IMPOSTORS = (  # (magic number, what it is, what to do)
    (b"\x89PNG\r\n\x1a\n", "a PNG image", UPLOAD_CSV),
    (b"\xff\xd8\xff", "a JPEG image", UPLOAD_CSV),
    (b"GIF8", "a GIF image", UPLOAD_CSV),
    (b"%PDF-", "a PDF document", "A PDF cannot be read as a table: export the table as CSV where it came from."),
    (b"\x1f\x8b", "a gzip-compressed file", "Decompress it first (.csv.gz, say) and upload the .csv file inside."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel workbook (.xls)", EXCEL),
    (b"PK\x03\x04", "a zip archive", ZIP_HINT),
    (b"PK\x05\x06", "a zip archive", ZIP_HINT),
)
# Bytes that never appear in text (C0 controls but tab, newline, carriage return, form feed; and DEL).
CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
NOT_CONTROL = bytes(b for b in range(256) if b not in CONTROL_BYTES)
CONTROL = re.compile("[" + re.escape(CONTROL_BYTES.decode("ascii")) + "]")  # the same, as characters in text
NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
# One line with its ending, as io.StringIO(text, newline="") splits them; that copies the whole text at
# 4 bytes a character (186 MiB for a 47 MiB file), this reads it in place.
LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
# Survey exports head each column with its whole question, a few hundred characters; a name of 100 KB
# (a pasted document, say) froze the uploader's browser.
MAX_NAME_CHARS = 1000


UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class TableError(ValueError):
    """An upload that cannot become a table; str(err) says what is wrong and what to do, for the learner."""


@dataclass(frozen=True)
class Limits:
    max_rows: int = 50_000
    max_columns: int = 200
    max_bytes: int = 50 * MB
    max_name_chars: int = MAX_NAME_CHARS  # not a setting: no honest column name is longer


# For a stored file: it passed the limits when it was stored, and a later, lower limit must not lock its work away.
NO_LIMITS = Limits(max_rows=10**9, max_columns=10**6, max_bytes=2**62, max_name_chars=10**9)


def limits_from_env(environ: Mapping[str, str] | None = None) -> Limits:
    """DCP_MAX_ROWS, DCP_MAX_COLUMNS, DCP_MAX_UPLOAD_MB (defaults above); a bad value: TableError naming the
    variable."""

    try:
        return Limits(
            max_rows=settings.positive_int("DCP_MAX_ROWS", environ, default=Limits.max_rows),
            max_columns=settings.positive_int("DCP_MAX_COLUMNS", environ, default=Limits.max_columns),
            max_bytes=settings.positive_int("DCP_MAX_UPLOAD_MB", environ, default=Limits.max_bytes // MB) * MB,
        )
    except settings.SettingError as error:
        raise TableError(str(error)) from None


@dataclass(frozen=True)
class Table:
    # str column names from the header; pandas' dtypes (numbers numeric, text str). frame.attrs["encoding"] is
    # `encoding` too, so a frame kept without its Table still says how its bytes were read.
    frame: pd.DataFrame
    # The codec that decoded the bytes: "utf-8", "utf-8-sig" (had a BOM), "utf-16" (had a BOM), "utf-16-le" or
    # "utf-16-be" (had none), "cp1252", "cp1251", "cp932" and so on, "latin-1" (the last resort): see ENCODING_NAMES.
    encoding: str
    delimiter: str  # ",", ";", "\t" or "|"
    notes: tuple[str, ...]  # plain-English things we did, to show beside the table


def read_csv(raw: bytes, *, limits: Limits = Limits(), name: str = "the file", encoding: str | None = None) -> Table:
    """Turn an upload's bytes into a Table, or raise TableError.

    `name` is how messages refer to the upload, mid-sentence: "the file" or "iris.csv".
    `encoding`: a codec to decode the bytes with (a TableError if they are not text in it), instead of the one
    detected: UTF-8 or UTF-16 by their byte order mark, UTF-8 if it is valid, UTF-16 without a mark by its NUL
    bytes, else charset-normalizer's guess checked against languages' alphabets, else Latin-1.
    """
    if len(raw) > limits.max_bytes:
        mb = _suggest(math.ceil(len(raw) / MB), math.ceil(limits.max_bytes / MB))
        raise TableError(
            f"At {_size(len(raw))}, {name} is over the upload limit of {_size(limits.max_bytes)}. Upload a smaller "
            "file "
            f"(a sample of its rows, say), or raise the limit: start the app with DCP_MAX_UPLOAD_MB={mb} and set "
            f"maxUploadSize = {mb} under [server] in .streamlit/config.toml, Streamlit's own limit, "
            f"server.maxUploadSize {SEE_LIMITS}."
        )
    text, encoding, notes = _decode(raw, name, encoding)
    delimiter = _sniff(text)
    if delimiter != ",":
        notes.append(f"Split the columns on {DELIMITERS[delimiter]}.")
    clean_csv, more_notes = _clean(text, delimiter, limits, name)
    try:
        # pandas parses bytes; handed a StringIO it would copy the text at 4 bytes a character first
        # (a valid 50,000 x 200 file, 48 MiB, peaked at 503 MiB that way, 360 MiB so).
        frame = pd.read_csv(io.BytesIO(clean_csv.encode()), sep=",", header=0, index_col=False, low_memory=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise TableError(f"Could not read {name} as a table, though its rows look well formed. {RESAVE}") from err
    frame.attrs["encoding"] = encoding
    return Table(frame=frame, encoding=encoding, delimiter=delimiter, notes=tuple(notes + more_notes))


def _decode(raw: bytes, name: str, encoding: str | None) -> tuple[str, str, list[str]]:
    """Text, the codec that read it, and notes; refuses empty files and files that are not text."""
    if _blank(raw.removeprefix(UTF8_BOM)):
        raise _empty(name)
    for magic, what, hint in IMPOSTORS:
        if raw.startswith(magic):
            if what == "a zip archive" and b"xl/workbook" in raw:
                what, hint = "an Excel workbook (.xlsx)", EXCEL
            raise TableError(f"This looks like {what}, not a CSV file. {hint}")
    text, codec = _detect(raw) if encoding is None else _decode_as(raw, encoding, name)
    if _blank(text):
        raise _empty(name)
    if text[:1000].lstrip()[:14].lower().startswith(("<!doctype html", "<html")):
        raise TableError(
            "This looks like a web page (HTML), not a CSV file. If you saved it from a link (on GitHub, say), "
            "open the file's 'Raw' view, save that, and upload it."
        )
    if encoding is not None:
        notes = [f"Read as {encoding_name(codec)} text, as you chose."]
    elif codec in ("utf-8", "utf-8-sig"):
        notes = []
    else:
        notes = [
            f"Read as {encoding_name(codec)} text (not UTF-8), as detected. If letters look wrong, choose the "
            f"file's encoding under 'Text encoding', or save it as 'CSV UTF-8' and upload it again."
        ]
    return text, codec, notes


def _binary() -> TableError:
    return TableError(f"This does not look like a CSV file: it holds binary data, not text. {UPLOAD_CSV}")


def _detect(raw: bytes) -> tuple[str, str]:
    """The text in `raw` and its codec, or TableError when it is not text.

    Valid UTF-8 is decoded once, as before there was detection (49 MiB in 0.15 s): only other bytes are guessed at.
    """
    if raw.startswith(UTF16_BOMS):  # as Excel's "Unicode text" export writes it
        text = encodings.strict(raw, "utf-16")
        if text is None:
            raise _binary()
        return text, "utf-16"
    sample = raw[:SNIFF_CHARS]
    if b"\x00" in raw:  # no other text has NUL bytes
        order = encodings.utf16_order(sample)
        text = encodings.strict(raw, order) if order else None
        if order is None or text is None or len(CONTROL.findall(text, 0, SNIFF_CHARS)) > 0.01 * len(text[:SNIFF_CHARS]):
            raise _binary()
        return text, order
    if len(sample.translate(None, NOT_CONTROL)) > 0.1 * len(sample):
        raise _binary()
    utf8 = "utf-8-sig" if raw.startswith(UTF8_BOM) else "utf-8"
    text = encodings.strict(raw, utf8)
    if text is not None:
        return text, utf8
    if len(raw) > len(sample):  # whole lines: a character of two bytes may be cut at the end
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    for codec in encodings.guesses(sample):
        text = encodings.strict(raw, codec)
        if text is not None:
            return text, codec
    return raw.decode("latin-1"), "latin-1"  # every byte is a Latin-1 character


def _decode_as(raw: bytes, encoding: str, name: str) -> tuple[str, str]:
    """The text in `raw` read with the learner's codec, and that codec; a TableError that says what to do if it
    cannot be read so."""
    try:
        codec = encodings.codec_of(encoding)
    except LookupError:
        known = ", ".join(encoding_name(choice) for choice in encodings.CHOICES)
        raise TableError(f"There is no text encoding called {encoding!r}. Choose one of: {known}.") from None
    if codec in ("utf-8", "utf-8-sig"):
        codec = "utf-8-sig" if raw.startswith(UTF8_BOM) else "utf-8"
    elif codec == "utf-16" and not raw.startswith(UTF16_BOMS):
        codec = encodings.utf16_order(raw[:SNIFF_CHARS]) or "utf-16-le"  # Windows writes little-endian
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as err:
        raise TableError(
            f"Could not read {name} as {encoding_name(codec)} text: its byte {err.object[err.start]:#04x} at "
            f"position {err.start + 1:,} is not a character in it. Choose another text "
            f"encoding (the detected one, or the one it was saved in), or save it as 'CSV UTF-8' ({SAVE_AS}) and "
            f"upload that."
        ) from None
    if "\x00" in text:
        raise TableError(
            f"Read as {encoding_name(codec)} text, {name} holds NUL characters, which text does not have: it may be "
            f"UTF-16 text (choose UTF-16), or not text at all. {UPLOAD_CSV}"
        )
    return text, codec


def _blank(text: str | bytes) -> bool:
    """Empty or only whitespace; unlike `not text.strip()`, copies nothing of a 50 MB upload."""
    return not text or text.isspace()


def _empty(name: str) -> TableError:
    return TableError(
        f"There is nothing to read: {name} is empty (no text, or only blank rows). "
        f"Choose a CSV file with a header row and at least one row of data."
    )


def _sniff(text: str) -> str:
    """csv.Sniffer on the first 64 KB; when it cannot tell, the commonest candidate in the first line, else ","."""
    start = re.match(r"\s*", text).end()
    lines = [line for line in text[start : start + SNIFF_CHARS].splitlines() if line.strip()]  # blanks confuse Sniffer
    if len(text) > start + SNIFF_CHARS and len(lines) > 1:
        lines.pop()  # probably cut short
    lines = lines[:SNIFF_LINES]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        counts = {delimiter: lines[0].count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=counts.get)  # ties go to the first: ","
        return best if counts[best] else ","


def _clean(text: str, delimiter: str, limits: Limits, name: str) -> tuple[str, list[str]]:
    """Check every row with the csv module and write the good ones back as plain comma-separated text.

    pandas would pad short rows, mangle duplicate names and guess at bad quoting; the csv module lets
    us name the line instead. Blank rows (empty, or only separators and spaces) are dropped. Reading
    stops at the first data row over the limit (well formed or not): a file of 12 million tiny rows is
    refused in 0.2 s and 50 MiB, not 16 to 22 s and 286 MiB (bench/csv_limits.py).
    """
    # The csv module refuses fields over 128 KB by default (a long review, a pasted document); the
    # byte limit already bounds them.
    csv.field_size_limit(max(csv.field_size_limit(), min(limits.max_bytes, 2**31 - 1)))
    lines = (match.group() for match in LINE.finditer(text))
    # skipinitialspace: `a, "b, c"` is two values, as the writer meant, not three.
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True, strict=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header: list[str] | None = None
    notes: list[str] = []
    rows = blank = 0
    ragged: list[tuple[int, int, bool]] = []  # (line, fields, spans several lines)
    line = 1
    try:
        for fields in reader:
            first, line = line, reader.line_num + 1
            if not any(field.strip() for field in fields):
                blank += 1
            elif header is None:
                header, notes = _header(fields, limits, name)
                writer.writerow(header)
            elif rows + len(ragged) == limits.max_rows:  # a data row over the limit: read no further
                if ragged:  # named before the row count, as when the whole file was read
                    raise _ragged(ragged, len(header), delimiter, cut=True)
                raise _too_many_rows(text, limits, name)
            elif len(fields) != len(header):
                ragged.append((first, len(fields), reader.line_num > first))
            else:
                rows += 1
                writer.writerow(fields)
    except csv.Error as err:
        raise _bad_quoting(str(err), line, name) from err
    if header is None:
        raise _empty(name)
    if ragged:
        raise _ragged(ragged, len(header), delimiter)
    if rows == 0:
        shown = ", ".join(header[:5]) + (", ..." if len(header) > 5 else "")
        raise TableError(f"There are no data rows in {name}, only the header ({shown}). Add at least one row of data.")
    if blank:
        notes.append(f"Skipped {blank:,} blank row{'s' if blank > 1 else ''}.")
    return out.getvalue(), notes


def _too_many_rows(text: str, limits: Limits, name: str) -> TableError:
    """For a file found to have more than max_rows rows of data before it was read to the end."""
    # A quoted value may span lines, so lines only estimate rows; there is at least one per data row read.
    lines = max(_count_lines(text), limits.max_rows + 1)
    about = round(lines, 3 - len(str(lines)))  # three significant digits: "about 12,200,000"
    counted = f" (about {about:,} lines)" if about > limits.max_rows else ""
    return TableError(
        f"There are more than {limits.max_rows:,} rows of data in {name}{counted}; the limit is {limits.max_rows:,}. "
        f"Upload a sample of at most {limits.max_rows:,} rows, or raise the limit: start the app with "
        f"DCP_MAX_ROWS={_suggest(lines, limits.max_rows)} {SEE_LIMITS}."
    )


def _count_lines(text: str) -> int:
    """Line breaks: "\n", or "\r" where there is none (Excel for Mac ends lines with "\r" alone).

    Counted a megabyte at a time: one 45 ms count of 47 MiB holds the GIL throughout, and a thread
    counting again and again slowed another session's label action from 0.03 s to 2 s (0.2 s so).
    """

    def count(newline: str) -> int:
        return sum(text.count(newline, start, start + MB) for start in range(0, len(text), MB))

    return count("\n") or count("\r")


def _header(fields: list[str], limits: Limits, name: str) -> tuple[list[str], list[str]]:
    """Column names from the header row (stripped; blanks named by position), or TableError."""
    names = [field.strip() for field in fields]
    if len(names) > limits.max_columns:
        raise TableError(
            f"There are {len(names):,} columns in {name}; the limit is {limits.max_columns:,}. Keep only the columns "
            "you "
            f"need, or raise the limit: start the app with "
            f"DCP_MAX_COLUMNS={_suggest(len(names), limits.max_columns)} {SEE_LIMITS}."
        )
    if len(names) == 1:
        raise TableError(
            f'Only one column was found in {name} (headed "{names[0][:40]}"). The data needs at least two: a label '
            f"column and at least one feature column. If the values are separated by something other than a comma, "
            f"semicolon, tab or | (spaces or colons, say), save the file again as CSV with commas."
        )
    too_long = [position for position, column in enumerate(names, start=1) if len(column) > limits.max_name_chars]
    if too_long:
        first, rest = names[too_long[0] - 1], too_long[1:]
        start = " ".join(first[:40].split())  # on one line
        plural = len(rest) > 1
        also = f", and column{'s' * plural} {_and(rest)} {'are' if plural else 'is'} over it too" if rest else ""
        raise TableError(
            f'The name of column {too_long[0]} in {name} is {len(first):,} characters long (it starts "{start}..."); '
            f"the limit is {limits.max_name_chars:,}{also}. Shorten {'them' if rest else 'it'} in the header "
            f"row, keeping any longer description elsewhere, and upload again."
        )
    filled = [n for n in names if n]
    if filled and all(NUMBER.fullmatch(n) for n in filled):
        raise TableError(
            f"The first row of {name} looks like data, not column names (every value in it is a number: "
            f"{', '.join(filled[:4])}{', ...' if len(filled) > 4 else ''}). Add a header row at the top that names "
            f"each column, for example: height,weight,label."
        )
    positions: dict[str, list[int]] = {}
    for position, column in enumerate(names, start=1):
        if column:
            positions.setdefault(column, []).append(position)
    repeated = [(column, where) for column, where in positions.items() if len(where) > 1]
    if repeated:
        described = [f'"{column}" (columns {_and(where)})' for column, where in repeated]
        raise TableError(f"The header names a column more than once: {_and(described)}. Give each column its own name.")
    generated = []
    for index, column in enumerate(names):
        if not column:
            names[index] = f"column_{index + 1}"
            while names[index] in positions:  # a header may already use that name
                names[index] += "_"
            generated.append(names[index])
    if not generated:
        return names, []
    cells = "blank header cells after their" if len(generated) > 1 else "a blank header cell after its"
    return names, [f"Named {cells} position: {_and(generated)}."]


def _ragged(ragged: list[tuple[int, int, bool]], width: int, delimiter: str, *, cut: bool = False) -> TableError:
    """`cut`: reading stopped at the row limit, so there may be more such lines than `ragged` holds."""
    line, fields, spans = ragged[0]
    also = ", ".join(str(other) for other, _, _ in ragged[1:6])
    if len(ragged) > 6:
        also += " and more" if cut else f" and {len(ragged) - 6:,} more"
    message = f"Line {line} has {fields} field{'s' if fields != 1 else ''} but the header has {width}"
    message += f" (also line{'s' if len(ragged) > 2 else ''} {also})." if also else "."
    separator = "a tab" if delimiter == "\t" else f"'{delimiter}'"
    message += (
        f" Every row needs one value per column: look for a missing or extra separator ({separator}), or a value "
        f"containing the separator that is not inside double quotes."
    )
    if spans:
        message += f' Line {line} starts a quoted value that runs over several lines: is a closing quote (") missing?'
    return TableError(message)


def _bad_quoting(reason: str, line: int, name: str) -> TableError:
    if "expected after" in reason:
        what = "has text right after a closing double quote. Put the whole value inside the quotes"
        what += ', and write a quote inside a value as two quotes ("").'
    elif "end of data" in reason or "field limit" in reason:
        what = 'opens a double quote (") that is never closed, so everything after it reads as one value.'
        what += " Close the quote (or remove it)."
    else:
        return TableError(f"Line {line} of {name} could not be read as CSV. {RESAVE}")
    return TableError(f"Line {line} of {name} {what} Then upload again.")


def _suggest(count: int, limit: int) -> int:
    """A round limit that fits `count`: at least double the current one, rounded up to two significant digits."""
    target = max(count, 2 * limit)
    step = 10 ** max(len(str(target)) - 2, 0)
    return math.ceil(target / step) * step


def _size(n_bytes: int) -> str:
    if n_bytes < 1024:
        return f"{n_bytes} bytes"
    return f"{n_bytes / MB:.1f} MB".replace(".0 MB", " MB") if n_bytes >= MB else f"{n_bytes / 1024:.1f} KB"


def _and(items: list[str]) -> str:
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
