"""An error the app can say in a sentence is said, never shown as a traceback; any other is left to Streamlit."""

from datacentric.lab.worklog import StoreBusy
from datacentric.ui import errors


def test_a_busy_store_is_said_in_a_sentence_and_other_errors_are_left_alone():
    assert errors.said(StoreBusy("The store is busy with other writers: nothing was saved. Try again."))
    assert not errors.said(ValueError("anything else"))
