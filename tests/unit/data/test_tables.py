"""Reading an uploaded CSV: good files become tables, bad ones say what is wrong and what to do."""

import gzip
import io
import re
import zipfile

import pandas as pd
import pytest

from datacentric.data.tables import MAX_NAME_CHARS, Limits, TableError, limits_from_env, read_csv


def zipped(**files: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in files.items():
            archive.writestr(path.replace("__", "/"), text)
    return buffer.getvalue()


def error(raw: bytes, **kwargs) -> str:
    with pytest.raises(TableError) as caught:
        read_csv(raw, **kwargs)
    return str(caught.value)


GOOD = b"height,weight,label\n1.7,65,a\n1.8,80,b\n"

# --- happy paths -----------------------------------------------------------------------------


def test_mixed_columns_with_quoted_commas_and_newlines():
    raw = (
        b"id,age,city,comment,label\n"
        b'1,34,"Paris, France","said ""hi"", then left",cat\n'
        b'2,41.5,Oslo,"two\nlines, one value",dog\n'
        b"3,,Rome,plain,cat\n"
    )
    table = read_csv(raw)
    frame = table.frame
    assert list(frame.columns) == ["id", "age", "city", "comment", "label"]
    assert frame.shape == (3, 5)
    assert pd.api.types.is_integer_dtype(frame["id"]) and pd.api.types.is_float_dtype(frame["age"])
    assert pd.isna(frame.loc[2, "age"])
    assert pd.api.types.is_string_dtype(frame["city"]) and pd.api.types.is_string_dtype(frame["label"])
    assert frame.loc[0, "city"] == "Paris, France"
    assert frame.loc[0, "comment"] == 'said "hi", then left'
    assert frame.loc[1, "comment"] == "two\nlines, one value"
    assert (table.encoding, table.delimiter, table.notes) == ("utf-8", ",", ())


@pytest.mark.parametrize(
    "raw, delimiter, note",
    [
        (b"height;weight;label\n1.7;65;a\n1.8;80;b\n", ";", "semicolons"),
        (b"height\tweight\tlabel\n1.7\t65\ta\n1.8\t80\tb\n", "\t", "tabs"),
        (b"height|weight|label\n1.7|65|a\n1.8|80|b\n", "|", "vertical bars"),
        (b'height;weight;label\n1.7;65;"a, or b"\n1.8;80;b\n', ";", "semicolons"),
        (b"\nheight;weight;label\n\n1,7;65;a\n\n1,8;80;b\n", ";", "semicolons"),  # blank lines, decimal commas
    ],
)
def test_other_delimiters_are_detected(raw, delimiter, note):
    table = read_csv(raw)
    assert table.delimiter == delimiter
    assert list(table.frame.columns) == ["height", "weight", "label"]
    assert table.frame["weight"].tolist() == [65, 80] and table.frame["label"].tolist()[1] == "b"
    assert any(note in n for n in table.notes)


def test_utf8_bom_is_stripped_from_the_first_column_name():
    table = read_csv(b"\xef\xbb\xbf" + "name,label\ncafé,a\nnaïve,b\n".encode())
    assert list(table.frame.columns) == ["name", "label"]
    assert table.frame["name"].tolist() == ["café", "naïve"]
    assert table.encoding == "utf-8-sig" and table.notes == ()


def test_windows_1252_text_is_read_not_refused():
    table = read_csv("item,price,label\ncafé,3 €,a\n“quoted”,4 €,b\n".encode("cp1252"))
    assert table.frame["item"].tolist() == ["café", "“quoted”"]
    assert table.frame["price"].tolist() == ["3 €", "4 €"]
    assert table.encoding == "cp1252"
    assert any("Windows-1252" in note and "not UTF-8" in note for note in table.notes)


def test_latin1_text_decodes_right():
    # Latin-1 letters are the same bytes in Windows-1252, which is tried first; the text must come out right.
    table = read_csv("name,city,label\nMüller,Zürich,a\nseñor,Año,b\n".encode("latin-1"))
    assert table.frame["name"].tolist() == ["Müller", "señor"]
    assert table.frame["city"].tolist() == ["Zürich", "Año"]
    assert table.encoding in ("cp1252", "latin-1") and any("not UTF-8" in note for note in table.notes)


def test_bytes_windows_1252_cannot_decode_fall_back_to_latin1():
    table = read_csv(b"name,label\ncaf\xe9\x81,a\nx,b\n")  # 0x81 is unassigned in Windows-1252
    assert table.frame["name"].tolist() == ["caf\xe9\x81", "x"]
    assert table.encoding == "latin-1" and any("Latin-1" in note for note in table.notes)


def test_excel_unicode_text_utf16_is_read():
    table = read_csv("name\tlabel\ncafé\ta\nx\tb\n".encode("utf-16"))
    assert table.frame["name"].tolist() == ["café", "x"]
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")


def test_header_names_are_stripped_and_blank_ones_named_by_position():
    table = read_csv(b" height , ,label,\n1.7,65,a,x\n1.8,80,b,y\n")
    assert list(table.frame.columns) == ["height", "column_2", "label", "column_4"]
    assert any("column_2 and column_4" in note for note in table.notes)


def test_blank_lines_and_separator_only_rows_are_skipped():
    table = read_csv(b"\n\nheight,weight,label\r\n1.7,65,a\r\n\r\n  \r\n,,\r\n1.8,80,b\r\n,,\r\n")
    assert table.frame["label"].tolist() == ["a", "b"]
    assert any("Skipped 6 blank rows" in note for note in table.notes)


def test_a_header_with_some_numbers_is_still_a_header():
    table = read_csv(b"2019,2020,label\n1,2,a\n3,4,b\n")
    assert list(table.frame.columns) == ["2019", "2020", "label"]


def test_twenty_thousand_rows_with_quoted_commas_are_read_whole():
    """Their speed is bench/csv_limits.py's to measure (no wall-clock bound in a test: it fails on a busy machine)."""
    row = '{i},{age},{income:.2f},Paris,"a long free-text comment, with commas, {i} and more words here",0.5,{label}\n'
    rows = [row.format(i=i, age=i % 70, income=i * 3.7, label="ab"[i % 2]) for i in range(20_000)]
    raw = ("id,age,income,city,comment,score,label\n" + "".join(rows)).encode()
    table = read_csv(raw)
    assert table.frame.shape == (20_000, 7)
    assert table.frame["comment"].iloc[-1] == "a long free-text comment, with commas, 19999 and more words here"


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"   ", b"\n\n\r\n", b"\xef\xbb\xbf\n", "\n \n".encode("utf-16"), b",,\n , ,\n"])
def test_empty_file(raw):
    assert "empty" in error(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200), "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(50), "GIF image"),
        (b"GIF87a\x01\x00\x01\x00" + bytes(50), "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        (gzip.compress(GOOD), "gzip"),
        (zipped(data__csv="a,b\n1,2\n"), "zip archive"),
        (zipped(**{"[Content_Types].xml": "<Types/>", "xl__workbook.xml": "<workbook/>"}), "Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Excel workbook (.xls)"),
    ],
)
def test_common_impostors_are_named(raw, expected):
    message = error(raw)
    assert message.startswith(f"This looks like {'an' if expected[0] in 'AEI' else 'a'} {expected}")
    assert "not a CSV file" in message


@pytest.mark.parametrize("raw", [zipped(data__csv="a,b\n"), b"PK\x05\x06" + bytes(18)])
def test_a_zip_says_an_xlsx_workbook_is_a_zip_and_to_save_it_as_csv(raw):
    message = error(raw)
    assert ".xlsx" in message and "save it as CSV from Excel" in message


@pytest.mark.parametrize(
    "raw",
    [
        b"height,weight\n1,\x002\n",  # a NUL byte
        bytes(range(1, 9)) * 40 + b"a,b\n",  # mostly control characters
    ],
)
def test_binary_data_is_not_a_csv(raw):
    assert "binary data" in error(raw)


def test_a_saved_web_page_is_not_a_csv():
    assert "web page (HTML)" in error(b"\n<!DOCTYPE html>\n<html><body>iris.csv</body></html>\n")


@pytest.mark.parametrize(
    "raw, shown",
    [
        (b"5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n", "5.1, 3.5, 1.4, 0.2, ..."),
        (b"-1;2e3;+.5\n1;2;3\n", "-1, 2e3, +.5"),
        (b"1.5;2.25\n3;4\n", "1.5, 2.25"),
        (b"1,,3\n4,5,6\n", "1, 3"),
    ],
)
def test_no_header_row(raw, shown):
    message = error(raw)
    assert "looks like data, not column names" in message and shown in message
    assert "Add a header row" in message


@pytest.mark.parametrize("raw, column", [(b"label\na\nb\n", "label"), (b"a:b:label\n1:2:x\n", "a:b:label")])
def test_a_single_column_is_not_enough(raw, column):
    message = error(raw)
    assert f'Only one column was found in the file (headed "{column}")' in message
    assert "label column and at least one feature column" in message and "separated" in message


def test_ragged_rows_name_the_first_lines_and_their_field_counts():
    raw = (
        b"a,b,c,label\n"  # line 1
        b"1,2,3,x\n1,2,3,x\n1,2,3,x\n1,2,3,x\n1,2,3,x\n"  # lines 2-6
        b"1,2,3,4,x\n"  # line 7: one too many
        b"1,2,3,x\n"
        b"1,2,x\n"  # line 9: one short (pandas would pad it with NaN)
        b"1,2,3,x\n1,2,3,x\n"
        b"1,2,3,4,5,x\n"  # line 12
    )
    message = error(raw)
    assert message.startswith("Line 7 has 5 fields but the header has 4 (also lines 9, 12).")
    assert "missing or extra separator (',')" in message


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"a,b\n\n1,2\n\n3\n", "Line 5 has 1 field but the header has 2."),  # blank lines still count as lines
        (b'a,b\n"two\nlines",1\n3\n', "Line 4 has 1 field but the header has 2."),  # a quoted newline too
        (b"a;b\n1;2\n1;2;3\n", "Line 3 has 3 fields but the header has 2."),
        (b"a,b\n" + b"1\n" * 10, "Line 2 has 1 field but the header has 2 (also lines 3, 4, 5, 6, 7 and 4 more)."),
    ],
)
def test_ragged_line_numbers_are_file_lines(raw, expected):
    assert error(raw).startswith(expected)


def test_a_ragged_row_that_runs_over_several_lines_hints_at_a_missing_quote():
    message = error(b'a,b,c\n1,"x,2\n3,4",5,6\n')
    assert message.startswith("Line 2 has 4 fields but the header has 3.")
    assert "runs over several lines" in message


def test_an_unclosed_quote_names_its_line():
    message = error(b'a,b,label\n1,2,x\n3,"4,y\n5,6,z\n')
    assert message.startswith('Line 3 of the file opens a double quote (") that is never closed')


def test_text_after_a_closing_quote_names_its_line():
    assert error(b'a,b\n1,"4" inches\n').startswith("Line 2 of the file has text right after a closing double quote")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"age,name,age,label\n1,x,2,a\n", '"age" (columns 1 and 3)'),
        (b"age, age ,label\n1,2,a\n", '"age" (columns 1 and 2)'),  # the same once the spaces are stripped
        (b"a,b,a,b,a\n1,2,3,4,5\n", '"a" (columns 1, 3 and 5) and "b" (columns 2 and 4)'),
    ],
)
def test_duplicate_column_names(raw, expected):
    message = error(raw)
    assert "more than once" in message and expected in message


@pytest.mark.parametrize("raw", [b"a,b,label\n", b"a,b,label\n\n\n,,\n"])
def test_a_header_but_no_data_rows(raw):
    assert error(raw).startswith("There are no data rows in the file, only the header (a, b, label).")


def test_too_many_rows():
    raw = b"x,label\n" + b"1,a\n" * 60_000
    message = error(raw, limits=Limits(max_rows=50_000))
    assert "There are more than 50,000 rows of data in the file (about 60,000 lines); the limit is 50,000." in message
    assert "start the app with DCP_MAX_ROWS=100000 (see docs/your-data.md, 'Limits')" in message


ROWS = b"x,label\n" + b"1,a\n" * 11  # one row over Limits(max_rows=10)


@pytest.mark.parametrize(
    "later",
    [
        b"1,2,3\n" * 5,  # ragged rows
        b'1,"a\n2,b\n',  # a quote never closed
        b'1,"a" b\n',  # text after a closing quote
        b"\n".join([b"1,a"] * 100) + b"\n1\n",  # a ragged last row a hundred lines on
    ],
    ids=["ragged", "unclosed-quote", "text-after-quote", "ragged-far-on"],
)
def test_a_file_over_the_row_limit_is_refused_before_its_later_problems_are_read(later):
    message = error(ROWS + later, limits=Limits(max_rows=10))
    assert message.startswith("There are more than 10 rows of data in the file")


def test_a_ragged_row_read_before_the_row_limit_is_still_named_first():
    raw = b"x,label\n" + b"1,a\n" * 3 + b"1\n" * 8 + b"1,a\n" * 100  # ragged lines 5 to 12; the limit is hit at 12
    message = error(raw, limits=Limits(max_rows=10))
    assert message.startswith("Line 5 has 1 field but the header has 2 (also lines 6, 7, 8, 9, 10 and more).")


@pytest.mark.parametrize(
    "rows, limit, newline",
    [
        (11, 10, b"\n"),
        (2_000, 10, b"\n"),
        (2_000, 10, b"\r\n"),
        (2_000, 10, b"\r"),  # Excel for Mac
        (60_000, 50_000, b"\n"),
        (300_000, 50_000, b"\n"),  # over a megabyte
    ],
)
def test_the_row_limit_message_suggests_a_limit_that_fits_the_file(rows, limit, newline):
    raw = newline.join([b"x,label"] + [b"1,a"] * rows) + newline
    message = error(raw, limits=Limits(max_rows=limit))
    assert f"more than {limit:,} rows of data" in message and f"Upload a sample of at most {limit:,} rows" in message
    suggested = int(re.search(r"start the app with DCP_MAX_ROWS=(\d+) \(see docs/your-data.md, 'Limits'\)", message)[1])
    assert suggested >= 2 * limit
    assert len(read_csv(raw, limits=Limits(max_rows=suggested)).frame) == rows


@pytest.mark.parametrize(
    "raw, limit",
    [
        (b"x,label\n" + b"1,a\n" * 10, 10),
        (b"x,label\n" + b"1,a\n" * 50_000, 50_000),
        (b"x,label\n\n" + b"1,a\n\n,\n" * 10, 10),  # blank rows do not count
        (b"x,label\n" + b'1,"a\nb"\n' * 10, 10),  # nor do the lines of a value that spans them
        (b"x,label\n" + b"1,a\n" * 9 + b"1,a", 10),  # no newline at the end
    ],
    ids=["10", "50,000", "blank-rows", "multi-line-values", "no-final-newline"],
)
def test_a_file_of_exactly_the_row_limit_is_read(raw, limit):
    assert len(read_csv(raw, limits=Limits(max_rows=limit)).frame) == limit
    with pytest.raises(TableError, match=f"more than {limit - 1:,} rows"):
        read_csv(raw, limits=Limits(max_rows=limit - 1))


@pytest.mark.parametrize(
    "names, position",
    [
        (["id", "x" * 100_000, "label"], 2),
        (["q" * (MAX_NAME_CHARS + 1), "label"], 1),
        (["id", "label", " ".join(["How satisfied are you?"] * 100)], 3),
        (["id", "y" * (MAX_NAME_CHARS + 1), "z" * 5_000, "label"], 2),  # the first is named
    ],
)
def test_a_column_name_over_the_limit_is_refused_naming_its_position(names, position):
    raw = (",".join(names) + "\n" + ",".join("1" * len(names)) + "\n").encode()
    message = error(raw)
    assert message.startswith(f"The name of column {position} in the file is {len(names[position - 1]):,} characters")
    assert f"the limit is {MAX_NAME_CHARS:,}" in message and "Shorten" in message and "header row" in message
    assert len(message) < 1000  # the name itself is not repeated


SURVEY_QUESTION = (
    "Thinking about the last twelve months, how strongly do you agree or disagree with the following statement: "
    "'The training I received prepared me well for the tasks I am asked to do, and I know whom to ask when I am "
    "unsure how to proceed, whether the question concerns safety, quality or the tools we use'? (1 = strongly "
    "disagree, 5 = strongly agree)"
)


@pytest.mark.parametrize("long_name", [SURVEY_QUESTION, "n" * MAX_NAME_CHARS])
def test_a_long_column_name_within_the_limit_is_kept(long_name):
    raw = f'id,"{long_name}",label\n1,4,a\n2,5,b\n'.encode()
    assert len(long_name) > 300
    assert list(read_csv(raw).frame.columns) == ["id", long_name, "label"]


def test_a_long_header_in_one_cell_is_a_separator_problem_not_a_long_name():
    raw = (" ".join(f"feature{i}" for i in range(500)) + "\n" + " ".join("1" * 500) + "\n").encode()
    assert error(raw).startswith('Only one column was found in the file (headed "feature0 feature1')


def test_too_many_columns():
    raw = (",".join(f"f{i}" for i in range(250)) + "\n" + ",".join("1" * 250) + "\n").encode()
    message = error(raw, limits=Limits(max_columns=200))
    assert "There are 250 columns in the file; the limit is 200." in message
    assert "start the app with DCP_MAX_COLUMNS=400 (see docs/your-data.md, 'Limits')" in message


def test_too_many_bytes():
    message = error(GOOD * 1000, limits=Limits(max_bytes=1024 * 1024 // 100), name="big.csv")
    assert "At 37.1 KB, big.csv is over the upload limit of 10.2 KB." in message
    assert "DCP_MAX_UPLOAD_MB=" in message and "server.maxUploadSize" in message
    assert ".streamlit/config.toml" in message and "(see docs/your-data.md, 'Limits')" in message


def test_too_many_megabytes_suggests_a_round_limit_for_both_settings():
    message = error(b"x" * (3 * 1024 * 1024 // 2), limits=Limits(max_bytes=1024 * 1024))
    assert message.startswith("At 1.5 MB, the file is over the upload limit of 1 MB.")
    assert "DCP_MAX_UPLOAD_MB=2 and set maxUploadSize = 2 under [server] in .streamlit/config.toml" in message


def test_what_pandas_cannot_parse_is_still_a_plain_table_error(monkeypatch):
    def refuse(*args, **kwargs):
        raise pd.errors.ParserError("Error tokenizing data. C error: Expected 2 fields in line 3, saw 3")

    monkeypatch.setattr(pd, "read_csv", refuse)
    message = error(GOOD)
    assert "Could not read the file as a table" in message
    assert "tokenizing" not in message and "C error" not in message


# --- limits from the environment ---------------------------------------------------------------


def test_limits_default_when_the_environment_is_silent():
    assert limits_from_env({}) == Limits() == Limits(50_000, 200, 50 * 1024 * 1024)
    assert limits_from_env({"DCP_MAX_ROWS": " "}) == Limits()


def test_limits_are_read_from_the_environment():
    environ = {"DCP_MAX_ROWS": "100000", "DCP_MAX_COLUMNS": " 500 ", "DCP_MAX_UPLOAD_MB": "200"}
    assert limits_from_env(environ) == Limits(max_rows=100_000, max_columns=500, max_bytes=200 * 1024 * 1024)


@pytest.mark.parametrize(
    "variable, value",
    [
        ("DCP_MAX_ROWS", "lots"),
        ("DCP_MAX_ROWS", "0"),
        ("DCP_MAX_COLUMNS", "-5"),
        ("DCP_MAX_UPLOAD_MB", "1.5"),
        ("DCP_MAX_UPLOAD_MB", "100MB"),
    ],
)
def test_a_bad_limit_names_its_variable(variable, value):
    with pytest.raises(TableError) as caught:
        limits_from_env({variable: value})
    assert str(caught.value).startswith(f"{variable} must be a whole number above 0")
    assert repr(value) in str(caught.value)


def test_a_file_stored_before_the_name_limit_still_reads_when_the_limit_is_lifted():
    raw = ("q" * (MAX_NAME_CHARS + 1) + ",label\n1,a\n2,b\n").encode()
    with pytest.raises(TableError):
        read_csv(raw)
    assert read_csv(raw, limits=Limits(max_name_chars=10**9)).frame.shape == (2, 2)
