"""A learner's own dataset read in the text encoding they chose: the spec keeps the choice, and a table read in
another encoding is refused rather than taken for it (its classes could differ, and the action log's labels with
them)."""

import pytest

from datacentric.data import userdata
from datacentric.data.featurize import DataError
from datacentric.data.tables import read_csv

# Hungarian whose letters Portuguese has too: detected as Windows-1252, written in Windows-1250.
ROWS = [("Győr", "bőr"), ("Pécs", "kő"), ("Érd", "bőr"), ("Eger", "kő")] * 5
RAW = ("city,label\r\n" + "".join(f"{city},{label}\r\n" for city, label in ROWS)).encode("cp1250")
SPEC = userdata.UserSpec("label", roles=(("city", "categorical"),))


def test_a_spec_without_a_chosen_encoding_keeps_its_json_and_key():
    assert "encoding" not in SPEC.to_json()
    chosen = userdata.UserSpec("label", roles=SPEC.roles, encoding="cp1250", test_encoding="cp1251")
    assert userdata.UserSpec.from_json(chosen.to_json()) == chosen
    assert userdata.dataset_key("f" * 64, chosen) != userdata.dataset_key("f" * 64, SPEC)


def test_the_dataset_is_built_from_the_table_read_in_the_chosen_encoding():
    chosen = userdata.UserSpec("label", roles=SPEC.roles, encoding="cp1250")
    dataset = userdata.build(read_csv(RAW, encoding="cp1250").frame, chosen, key="u-x", title="")
    assert dataset.classes == ("bőr", "kő")
    assert userdata.build(read_csv(RAW).frame, SPEC, key="u-y", title="").classes == ("bõr", "kõ")  # as detected


def test_a_table_read_in_another_encoding_than_the_chosen_one_is_refused():
    chosen = userdata.UserSpec("label", roles=SPEC.roles, encoding="cp1250")
    with pytest.raises(DataError) as caught:
        userdata.build(read_csv(RAW).frame, chosen, key="u-x", title="")
    assert str(caught.value) == (
        "This dataset reads its file as Windows-1250 (Central European) text, as you chose, but it was read as "
        "Windows-1252 (Western) this time. On Your data, choose Windows-1250 "
        "(Central European) under Text encoding for that file again, then 'Use this dataset'."
    )
