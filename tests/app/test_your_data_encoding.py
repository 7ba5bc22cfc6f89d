"""Your data: an uploaded file's text encoding, as detected and as the learner chooses it.

AppTest cannot drive a file uploader, so the CSV is filed in the store as an upload would file it (its bytes as sent).
"""

import json
import re

import pandas as pd

from datacentric.data import tables, userdata
from datacentric.lab.scenario import Scenario
from datacentric.persistence.store import Store
from datacentric.ui import services

PAGE = "pages/your_data.py"
RUSSIAN = ["Москва", "Казань", "Самара", "Омск", "Уфа", "Пермь", "Тюмень", "Сочи", "Томск", "Курск"]
# Hungarian whose letters Portuguese has too (á é í, and ő read as õ): detected as Windows-1252, written in -1250.
HUNGARIAN = ["Győr", "Pécs", "Érd", "Szeged", "Eger", "Sopron", "Kecskemét", "Veszprém", "Tatabánya", "Kaposvár"]
HUNGARIAN_LABELS = ("bőr", "kő")


def filed(store_url: str, text: str, codec: str, name: str = "cities.csv") -> tuple[str, str]:
    store = Store(store_url)
    ws = store.create_workspace({"dataset": "digits"})
    return ws, store.add_file(ws, name, text.encode(codec), {"kind": "upload"})


def cities(words: list[str], labels: tuple[str, str], header: str = "city,note,label") -> str:
    """Forty rows: a city, a few words of text, a label (each class 20 rows, so the dataset can be used)."""
    rows = [f"{words[i % len(words)]},{words[(i * 3) % len(words)]} {i},{labels[i % 2]}" for i in range(40)]
    return header + "\r\n" + "\r\n".join(rows) + "\r\n"


def picker(at, sha: str):
    return at.selectbox(key=f"encoding_{sha}")


def preview(at):
    return at.dataframe[0].value


def test_the_detected_encoding_is_shown_and_the_table_reads_in_it(open_page, store_url):
    ws, sha = filed(store_url, cities(RUSSIAN, ("да", "нет"), header="город,заметка,метка"), "cp1251")
    at = open_page(PAGE, ws=ws)
    assert picker(at, sha).value == "detected"
    assert picker(at, sha).options[0] == "Detected: Windows-1251 (Cyrillic)"
    assert "Windows-1250 (Central European)" in picker(at, sha).options
    assert list(preview(at).columns) == ["город", "заметка", "метка"]
    assert preview(at)["город"].tolist()[:10] == RUSSIAN


def test_choosing_another_encoding_reads_the_table_again_and_the_dataset_in_it(open_page, store_url):
    ws, sha = filed(store_url, cities(HUNGARIAN, HUNGARIAN_LABELS), "cp1250")
    at = open_page(PAGE, ws=ws)
    assert picker(at, sha).options[0] == "Detected: Windows-1252 (Western)"
    assert preview(at)["city"].iloc[0] == "Gyõr"  # what a wrong guess looks like

    picker(at, sha).set_value("cp1250").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert preview(at)["city"].tolist()[:10] == HUNGARIAN
    assert set(preview(at)["label"]) == set(HUNGARIAN_LABELS)

    next(b for b in at.button if b.label == "Use this dataset").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    scenario = at.session_state["scenario"]
    assert json.loads(Store(store_url).datasets(ws)[0]["spec"])["encoding"] == "cp1250"
    lab = services.lab_for(ws, scenario)
    assert lab.dataset.classes == HUNGARIAN_LABELS

    # The dataset reads its file in the chosen encoding whenever it is read again: after the cache let it go (a
    # quarter of an hour idle, or a restart), it is the same dataset, not the detected reading's nor a refusal.
    services.memory().clear()
    again = services.get_lab(Scenario(scenario.dataset, "none", 0, 0))
    assert again is not lab and again.dataset.classes == HUNGARIAN_LABELS
    pd.testing.assert_frame_equal(again.dataset.raw, lab.dataset.raw)
    assert again.dataset.raw["city"].tolist()[:10] == HUNGARIAN
    assert (again.noisy_labels == lab.noisy_labels).all() and (again.train_index == lab.train_index).all()


def test_the_choice_is_kept_while_another_file_is_looked_at(open_page, store_url):
    ws, sha = filed(store_url, cities(HUNGARIAN, HUNGARIAN_LABELS), "cp1250")
    other = Store(store_url).add_file(ws, "other.csv", cities(RUSSIAN, ("да", "нет")).encode(), {"kind": "upload"})
    at = open_page(PAGE, ws=ws)
    at.selectbox(key="yourdata_file").set_value(sha).run()
    picker(at, sha).set_value("cp1250").run()
    at.selectbox(key="yourdata_file").set_value(other).run()
    assert picker(at, other).value == "detected"
    at.selectbox(key="yourdata_file").set_value(sha).run()
    assert picker(at, sha).value == "cp1250"
    assert preview(at)["city"].tolist()[:10] == HUNGARIAN


def test_an_encoding_that_cannot_read_the_file_says_so_and_another_can_be_chosen(open_page, store_url):
    ws, sha = filed(store_url, cities(RUSSIAN, ("да", "нет")), "cp1251")
    at = open_page(PAGE, ws=ws)
    picker(at, sha).set_value("utf-8").run()
    assert not at.exception
    assert [re.sub(r"\\(.)", r"\1", e.value) for e in at.error] == [  # shown escaped: it names the learner's file
        "Could not read cities.csv as UTF-8 text: its byte 0xcc at position 18 is not a character in it. Choose "
        "another text encoding (the detected one, or the one it was saved in), or save it as 'CSV UTF-8' (File > "
        "Save As > 'CSV UTF-8 (Comma delimited)') and upload that."
    ]
    assert not [b for b in at.button if b.label == "Use this dataset"]
    picker(at, sha).set_value("detected").run()
    assert not at.error and preview(at)["city"].tolist()[:10] == RUSSIAN


def test_a_dataset_reads_its_test_file_in_the_encoding_chosen_for_it_after_the_cache_let_go(store_url):
    """Both files overridden, each to another codec than detection picks (Windows-1250 read as -1252): the dataset is
    rebuilt from the store alone, as the spec says."""
    store = Store(store_url)
    ws, sha = filed(store_url, cities(HUNGARIAN, HUNGARIAN_LABELS), "cp1250")
    test_sha = store.add_file(ws, "cities-test.csv", cities(HUNGARIAN[::-1], HUNGARIAN_LABELS).encode("cp1250"), {})
    raw, test_raw = store.file_bytes(ws, sha), store.file_bytes(ws, test_sha)
    assert tables.read_csv(raw).encoding == tables.read_csv(test_raw).encoding == "cp1252"  # not what detection says
    spec = userdata.UserSpec(
        "label",
        roles=(("city", "categorical"), ("note", "text")),
        test_file=test_sha,
        encoding="cp1250",
        test_encoding="cp1250",
    )
    key = userdata.dataset_key(sha, spec)
    store.add_dataset(ws, key, sha, "cities", spec.to_json())
    expected = userdata.build(
        tables.read_csv(raw, encoding="cp1250").frame,
        spec,
        key=key,
        title="",
        test_frame=tables.read_csv(test_raw, encoding="cp1250").frame,
    )
    services.memory().clear()
    dataset = services.user_dataset(ws, key)
    assert dataset.classes == HUNGARIAN_LABELS == expected.classes
    pd.testing.assert_frame_equal(dataset.raw, expected.raw)
    assert (dataset.test_mask == expected.test_mask).all() and dataset.test_from == "file"


def test_a_file_is_read_again_in_the_encoding_recorded_when_it_was_stored_not_as_detected_now(store_url):
    """An upload stored before detection knew Cyrillic: the reader then recorded Windows-1252, which its classes and
    its action log's class numbers are in. Read again, it reads as then, not as Windows-1251 as detection says now."""
    store = Store(store_url)
    ws = store.create_workspace({"dataset": "digits"})
    raw = cities(RUSSIAN, ("ёж", "да")).encode("cp1251")
    sha = store.add_file(ws, "cities.csv", raw, {"kind": "upload", "encoding": "cp1252", "delimiter": ","})
    assert tables.read_csv(raw).encoding == "cp1251"  # what detection would read it as now
    then = tables.read_csv(raw, encoding="cp1252").frame

    services.memory().clear()
    table = services.table_of(ws, sha)
    assert table.attrs["encoding"] == "cp1252"
    pd.testing.assert_frame_equal(table, then)

    spec = userdata.UserSpec("label", roles=(("city", "categorical"), ("note", "text")))
    key = userdata.dataset_key(sha, spec)
    store.add_dataset(ws, key, sha, "cities", spec.to_json())
    services.memory().clear()
    classes = services.user_dataset(ws, key).classes
    # As read then, "ёж" is "¸æ" and comes first; read as detected now, it would be class 1, after "да": the log's
    # class numbers would name the other class.
    assert classes == userdata.build(then, spec, key=key, title="").classes == ("¸æ", "äà")


def test_the_same_bytes_read_in_two_encodings_are_two_datasets(open_page, store_url):
    """One workspace's upload was recorded as Windows-1252 (before detection knew Cyrillic), another's as -1251: the
    same bytes, two readings. Each dataset's spec names the encoding it reads in, so they never share a key (nor the
    lab the key caches)."""
    store = Store(store_url)
    raw = cities(RUSSIAN, ("ёж", "да")).encode("cp1251")
    keys = []
    for recorded in ("cp1252", "cp1251"):
        ws = store.create_workspace({"dataset": "digits"})
        store.add_file(ws, "cities.csv", raw, {"kind": "upload", "encoding": recorded, "delimiter": ","})
        at = open_page(PAGE, ws=ws)
        next(b for b in at.button if b.label == "Use this dataset").click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        spec = json.loads(store.datasets(ws)[0]["spec"])
        assert spec["encoding"] == recorded
        keys.append(at.session_state["scenario"].dataset)
    assert keys[0] != keys[1]


def test_a_utf8_files_spec_names_no_encoding(open_page, store_url):
    ws, _ = filed(store_url, cities(HUNGARIAN, HUNGARIAN_LABELS), "utf-8")
    at = open_page(PAGE, ws=ws)
    next(b for b in at.button if b.label == "Use this dataset").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "encoding" not in json.loads(Store(store_url).datasets(ws)[0]["spec"])  # as before encodings were kept
