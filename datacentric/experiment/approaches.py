"""The ways Compare sets side by side: one key each (``Approach``), which tables, curves and sentences hold and match
on, and the words each is shown in, read only where a table or a chart is drawn."""

from __future__ import annotations

from enum import StrEnum


class Approach(StrEnum):
    """A row of a Compare table (its ``approach`` column) and a line of an effort chart (its ``arm`` column)."""

    BASELINE = "baseline"  # the fixed model on the noisy labels
    MODEL = "model"  # model-centric: a tuned model, the labels unchanged
    DATA = "data"  # data-centric: the fixed model on the learner's labels
    REVIEWED = "reviewed"  # the replay's data arm: a reviewer sets the label they see
    TRUSTED = "trusted"  # the replay's other data arm: the model's suggestion accepted unchecked
    YOURS = "yours"  # beside the replay: the learner's own label actions, at their effort
    BOTH = "both"  # the replay: the model tuning chose, trained on the reviewer's labels
    CEILING = "ceiling"  # the fixed model on the true labels
    FLOOR = "floor"  # the most-frequent-class floor


ROWS = {  # a table's row, as its heading cell says it
    Approach.BASELINE: "Baseline",
    Approach.MODEL: "Model-centric",
    Approach.DATA: "Data-centric",
    Approach.REVIEWED: "Data-centric (reviewer)",
    Approach.TRUSTED: "Data-centric (trusting suggestions)",
    Approach.YOURS: "Data-centric (your own actions)",
    Approach.BOTH: "Both",
    Approach.CEILING: "Clean-data ceiling",
    Approach.FLOOR: "Floor",
}

YOUR_LINES = {  # the learner's own effort chart on Compare
    Approach.MODEL: "model-centric (the run chosen by validation so far, by trials)",
    Approach.DATA: "data-centric (fixed model, by label actions)",
}

RACE_LINES = {  # the replayed experiment's curves
    Approach.MODEL: "model-centric: best of the trials by validation",
    Approach.REVIEWED: "data-centric: a reviewer sets the label they see",
    Approach.TRUSTED: "data-centric: the suggestion accepted blindly",
    Approach.YOURS: "data-centric: your own label actions, one step each",
}
