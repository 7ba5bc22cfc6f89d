"""Reading an upload's text encoding: Excel's CSVs from every locale come out as their writer saw them, binary files are
still refused, and a learner's choice of encoding is used or refused with a reason."""

import io
import random
import sqlite3

import numpy as np
import pytest

from datacentric.data.encodings import CHOICES, ENCODING_NAMES, encoding_name
from datacentric.data.tables import TableError, read_csv

BINARY = "This does not look like a CSV file: it holds binary data, not text. "

RUSSIAN = [
    "Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань", "Нижний Новгород", "Челябинск", "Самара",
    "Омск", "Ростов-на-Дону", "Уфа", "Красноярск", "Воронеж", "Пермь", "Волгоград", "Краснодар", "Саратов", "Тюмень",
    "Тольятти", "Ижевск",
]  # fmt: skip
GERMAN = [
    "Müller", "Größe", "Straße", "Bäckerei", "Käse", "Übung", "Führerschein", "Äpfel", "Schön", "Tür", "Öl",
    "Mädchen", "Grüße", "Frühstück", "Gemüse", "Brötchen", "Fußball", "Häuser", "Küche", "Löwe",
]  # fmt: skip
FRENCH = [
    "café", "crème brûlée", "garçon", "élève", "hôtel", "forêt", "naïve", "Noël", "déjà vu", "façade", "château",
    "pâtisserie", "œuvre", "cœur", "résumé", "fiancée", "où", "bientôt", "été", "piqûre",
]  # fmt: skip
POLISH = [
    "Łódź", "Kraków", "Wrocław", "Poznań", "Gdańsk", "Szczecin", "Białystok", "Częstochowa", "Gdynia", "Rzeszów",
    "Toruń", "Kielce", "Gliwice", "Zabrze", "Bytom", "Olsztyn", "Bielsko-Biała", "Zielona Góra", "Rybnik",
    "Ruda Śląska",
]  # fmt: skip
GREEK = [
    "Αθήνα", "Θεσσαλονίκη", "Πάτρα", "Ηράκλειο", "Λάρισα", "Βόλος", "Ιωάννινα", "Τρίκαλα", "Χαλκίδα", "Σέρρες",
    "Αλεξανδρούπολη", "Ξάνθη", "Κατερίνη", "Καλαμάτα", "Καβάλα", "Χανιά", "Λαμία", "Κομοτηνή", "Ρόδος", "Αγρίνιο",
]  # fmt: skip
JAPANESE = [
    "東京", "大阪", "京都", "名古屋", "札幌", "福岡", "神戸", "横浜", "仙台", "広島", "りんご", "みかん", "さくら",
    "ねこ", "いぬ", "カメラ", "テレビ", "ラーメン", "すし", "てんぷら",
]  # fmt: skip
CHINESE = [
    "北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "南京", "重庆", "苹果", "香蕉", "西瓜", "葡萄",
    "老师", "学生", "电脑", "手机", "朋友", "天气",
]  # fmt: skip
KOREAN = [
    "서울", "부산", "인천", "대구", "대전", "광주", "울산", "수원", "창원", "고양", "사과", "바나나", "학교", "선생님",
    "친구", "컴퓨터", "전화", "날씨", "음식", "가족",
]  # fmt: skip
# Hungarian with only the letters Portuguese has too (á é í ó ú, and ő read as õ): no rule can tell them apart.
HUNGARIAN = [
    "Győr", "Debrecen", "Szeged", "Miskolc", "Pécs", "Nyíregyháza", "Kecskemét", "Székesfehérvár", "Szombathely",
    "Szolnok", "Tatabánya", "Kaposvár", "Érd", "Veszprém", "Békéscsaba", "Zalaegerszeg", "Sopron", "Eger",
    "Nagykanizsa", "Dunaújváros",
]  # fmt: skip


def table_of(words: list[str], *, header: tuple[str, ...] = ("name", "population", "label"), sep: str = ",") -> str:
    """A header and a row a word: the word, a number, a label."""
    rows = [sep.join(header)] + [sep.join((word, str(1000 + 37 * i), "ab"[i % 2])) for i, word in enumerate(words)]
    return "\r\n".join(rows) + "\r\n"  # as Excel ends its lines


@pytest.mark.parametrize(
    "words, header, codec, encoding",
    [
        (RUSSIAN, ("город", "население", "метка"), "cp1251", "cp1251"),
        (GERMAN, ("Wort", "Größe", "Klasse"), "cp1252", "cp1252"),
        (FRENCH, ("mot", "fréquence", "étiquette"), "cp1252", "cp1252"),
        (POLISH, ("miasto", "ludność", "etykieta"), "cp1250", "cp1250"),
        (GREEK, ("πόλη", "πληθυσμός", "ετικέτα"), "cp1253", "cp1253"),
        (JAPANESE, ("名前", "人口", "ラベル"), "shift_jis", "cp932"),  # Windows' Shift-JIS reads Shift-JIS
        (CHINESE, ("名称", "人口", "标签"), "gb18030", "gb18030"),
        (KOREAN, ("이름", "인구", "레이블"), "euc_kr", "cp949"),  # Windows' EUC-KR reads EUC-KR
        (JAPANESE, ("名前", "人口", "ラベル"), "utf-16", "utf-16"),  # with a byte order mark
        (RUSSIAN, ("город", "население", "метка"), "utf-16-le", "utf-16-le"),  # without one
        (KOREAN, ("이름", "인구", "레이블"), "utf-16-be", "utf-16-be"),
        (RUSSIAN + JAPANESE + FRENCH, ("name", "größe", "ラベル"), "utf-8", "utf-8"),
        (RUSSIAN + JAPANESE + FRENCH, ("name", "größe", "ラベル"), "utf-8-sig", "utf-8-sig"),  # with a byte order mark
    ],
)
def test_excel_csvs_from_every_locale_read_as_written(words, header, codec, encoding):
    table = read_csv(table_of(words, header=header).encode(codec))
    assert table.encoding == encoding and table.frame.attrs["encoding"] == encoding
    assert list(table.frame.columns) == list(header)
    assert table.frame[header[0]].tolist() == words
    assert table.frame[header[1]].tolist() == [1000 + 37 * i for i in range(len(words))]
    if encoding.startswith("utf-8"):
        assert table.notes == ()
    else:
        assert table.notes == (
            f"Read as {ENCODING_NAMES[encoding]} text (not UTF-8), as detected. If letters look wrong, choose the "
            "file's encoding under 'Text encoding', or save it as 'CSV UTF-8' and upload it again.",
        )


def test_utf16_without_a_byte_order_mark_splits_on_tabs_as_excel_writes_it():
    table = read_csv(table_of(RUSSIAN, header=("город", "население", "метка"), sep="\t").encode("utf-16-le"))
    assert (table.encoding, table.delimiter) == ("utf-16-le", "\t")
    assert table.frame["город"].tolist() == RUSSIAN


def test_russian_column_names_over_numbers_are_cyrillic():
    """charset-normalizer has no guess for these bytes: the code pages' readings decide."""
    rows = "".join(f"{150 + i % 50},{50 + i % 40},{'да' if i % 3 else 'нет'}\r\n" for i in range(200))
    table = read_csv(("рост,вес,метка\r\n" + rows).encode("cp1251"))
    assert table.encoding == "cp1251"
    assert list(table.frame.columns) == ["рост", "вес", "метка"]
    assert set(table.frame["метка"]) == {"да", "нет"}


def numpy_file() -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.arange(2_000))
    return buffer.getvalue()


def database_file() -> bytes:
    db = sqlite3.connect(":memory:")
    db.execute("create table reviews (text, label)")
    db.executemany("insert into reviews values (?, ?)", [(f"review {i}", "ab"[i % 2]) for i in range(500)])
    return db.serialize()


BINARIES = {
    "random bytes": lambda: random.Random(0).randbytes(20_000),
    "a NumPy array": numpy_file,
    "an SQLite database": database_file,
    "text but for a NUL byte": lambda: b"height,weight,label\n1.7,65,a\n1.8,\x0080,b\n",
    # NULs on one side of every pair, as in UTF-16 without a byte order mark, but control characters between them
    "UTF-16's NULs, no text": lambda: b"\x01\x00" * 5_000,
    "UTF-16 at the start, binary after": lambda: "a,b\nc,d\n".encode("utf-16-le") + bytes(range(256)) * 40,
}


@pytest.mark.parametrize("kind", BINARIES)
def test_binary_files_are_still_refused(kind):
    with pytest.raises(TableError) as caught:
        read_csv(BINARIES[kind]())
    assert str(caught.value).startswith(BINARY)


def test_utf16_without_a_byte_order_mark_of_blank_lines_is_empty():
    with pytest.raises(TableError, match="empty"):
        read_csv("\r\n \r\n".encode("utf-16-le"))


# --- the learner's choice ----------------------------------------------------------------------


def test_a_chosen_encoding_is_used_instead_of_the_detected_one():
    raw = table_of(HUNGARIAN, header=("város", "lakosság", "címke")).encode("cp1250")
    detected = read_csv(raw)
    assert detected.encoding == "cp1252" and detected.frame["város"].iloc[0] == "Gyõr"  # what it looks like
    chosen = read_csv(raw, encoding="cp1250")
    assert chosen.encoding == "cp1250" and chosen.frame.attrs["encoding"] == "cp1250"
    assert chosen.frame["város"].tolist() == HUNGARIAN
    assert chosen.notes == ("Read as Windows-1250 (Central European) text, as you chose.",)


@pytest.mark.parametrize(
    "raw, chosen, encoding",
    [
        ("name,label\ncafé,a\nx,b\n".encode("utf-8-sig"), "utf-8", "utf-8-sig"),  # the mark is not a character
        ("name,label\ncafé,a\nx,b\n".encode(), "UTF8", "utf-8"),  # any spelling of a codec
        ("name,label\nМосква,a\nx,b\n".encode("utf-16-be"), "utf-16", "utf-16-be"),  # the byte order found
        ("name,label\nМосква,a\nx,b\n".encode("utf-16"), "utf-16", "utf-16"),
        ("name,label\nMüller,a\nx,b\n".encode("latin-1"), "latin-1", "latin-1"),
        ("name,label\nMüller,a\nx,b\n".encode("latin-1"), "ISO-8859-1", "latin-1"),
    ],
)
def test_a_chosen_unicode_encoding_finds_its_byte_order_mark_or_order(raw, chosen, encoding):
    table = read_csv(raw, encoding=chosen)
    assert table.encoding == encoding
    assert list(table.frame.columns) == ["name", "label"]
    assert table.frame["name"].iloc[0] in ("café", "Москва", "Müller")


def test_a_chosen_encoding_that_cannot_read_the_bytes_says_so_and_what_to_do():
    raw = table_of(JAPANESE, header=("名前", "人口", "ラベル")).encode("shift_jis")
    with pytest.raises(TableError) as caught:
        read_csv(raw, encoding="utf-8", name="cities.csv")
    message = str(caught.value)
    assert message.startswith(
        "Could not read cities.csv as UTF-8 text: its byte 0x96 at position 1 is not a character in it."
    )
    assert "Choose another text encoding" in message and "'CSV UTF-8'" in message


def test_a_chosen_single_byte_encoding_refuses_utf16_bytes():
    with pytest.raises(TableError, match="NUL characters.*choose UTF-16"):
        read_csv(table_of(RUSSIAN).encode("utf-16-le"), encoding="cp1251")


def test_an_unknown_encoding_is_refused_naming_the_choices():
    with pytest.raises(TableError) as caught:
        read_csv(table_of(GERMAN).encode("cp1252"), encoding="klingon")
    assert str(caught.value).startswith("There is no text encoding called 'klingon'. Choose one of: UTF-8, UTF-16,")


def test_every_choice_has_a_plain_name_and_unknown_codecs_their_own():
    assert all(choice in ENCODING_NAMES for choice in CHOICES)
    assert encoding_name("cp1251") == encoding_name("windows-1251") == "Windows-1251 (Cyrillic)"
    assert encoding_name("mac_greek") == "MAC-GREEK" and encoding_name("klingon") == "KLINGON"
