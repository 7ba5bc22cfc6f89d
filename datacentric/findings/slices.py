"""Error analysis by data slices, and Andrew Ng's priority table.

A slice is a named condition on the items: a class, a category's value, a numeric column in a quantile
bin, a text length bin or a word it contains, an interpretable image feature in a bin. It is evaluated
on the test items (where the model is scored) and on the training items (where the learner can act).
Discovery looks at every slice and every pair of slices with enough test items for the weakest. The
priority table turns a slice into a priority: (reference level - the slice's score) x the slice's share
of the data = the potential gain (Ng, "Machine Learning in Production", the speech example).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from datacentric.common import metrics
from datacentric.findings import filters
from datacentric.lab.cuts import MIN_SHARE, Slice, candidates
from datacentric.lab.lab import Lab

__all__ = [
    "TOP",
    "YOURS",
    "MAX_NAME",
    "saved",
    "saved_filters",
    "score",
    "discover",
    "priority",
    "NESTED",
    "rank_key",
    "WORTH_IT",
    "advice",
    "NG_SPEECH",
]

TOP = 10  # discovery keeps this many


YOURS = " (yours)"  # ends the name of a slice the learner saved, so it never passes for one the app cut
MAX_NAME = 60  # characters of a saved slice's name


def saved(lab: Lab, name: str, row_filter: filters.RowFilter) -> Slice:
    """A slice the learner defined: a filter on a column (as in Fix the labels' filter), saved by ``name``.
    Raises ``filters.FilterError`` with the reason when the filter cannot make a slice."""
    name = " ".join(str(name).split())[:MAX_NAME]
    if not name:
        raise filters.FilterError("Give the slice a name.")
    if row_filter.unset:
        raise filters.FilterError(row_filter.unset)
    return Slice(
        name + YOURS, filters.column_matches(lab, row_filter, test=True), filters.column_matches(lab, row_filter)
    )


def saved_filters(records: list[dict[str, Any]]) -> dict[str, filters.RowFilter]:
    """The learner's saved slices by name, from their records oldest first ({"name", "filter"}, or {"name",
    "removed"}): a later record under a name replaces it; "removed" deletes it."""
    found: dict[str, filters.RowFilter] = {}
    for record in records:
        if record.get("removed"):
            found.pop(record["name"], None)
        else:
            found[record["name"]] = filters.RowFilter.from_dict(record["filter"])
    return found


def score(slice_: Slice, lab: Lab, predicted: np.ndarray, metric: str = "accuracy") -> float:
    """The metric on the slice's test items, from the model's predictions (no retraining)."""
    k = lab.dataset.n_classes
    truth, guess = lab.test_labels[slice_.test], np.asarray(predicted)[slice_.test]
    confusion = np.bincount(truth * k + guess, minlength=k * k).reshape(k, k)  # as sklearn's, without its checks
    return metrics.value(confusion, metric)


def discover(
    lab: Lab, predicted: np.ndarray, *, min_share: float = MIN_SHARE, top: int = TOP, single: list[Slice] | None = None
) -> pd.DataFrame:
    """The weakest slices of one or two conditions with at least ``min_share`` of the test items: columns slice,
    error (its error rate), test_items, share, and excess (its errors beyond the overall error rate: error rate
    and size in one number, so a large weak slice outranks a tiny one). Ranked by excess, then error rate."""
    single = candidates(lab) if single is None else single
    wrong = predicted != lab.test_labels
    least = max(1, int(np.ceil(min_share * len(wrong))))
    # Every pair at once: with M the slices' test masks, M M^T counts the items of each pair, and
    # (M * wrong) M^T its errors (2 s for 31 text slices one pair at a time; a few ms this way).
    masks = np.array([s.test for s in single], dtype=np.int32).reshape(len(single), -1)
    items = masks @ masks.T
    errors = (masks * wrong) @ masks.T
    first, second = np.triu_indices(len(single))  # the diagonal: each slice alone
    n, bad = items[first, second], errors[first, second]
    keep = (n >= least) & (n < len(wrong))
    first, second, n, bad = first[keep], second[keep], n[keep], bad[keep]
    excess = bad - wrong.mean() * n
    order = np.lexsort((-(bad / np.maximum(n, 1)), -excess))[:top]  # by excess, then error rate
    chosen = [single[i] if i == j else single[i] & single[j] for i, j in zip(first[order], second[order])]
    table = pd.DataFrame(
        {"slice": [c.name for c in chosen], "error": bad[order] / n[order], "test_items": n[order], "of": chosen}
    )  # "of": the Slice itself
    table["share"] = table["test_items"] / len(wrong)
    table["excess"] = excess[order]
    return table.reset_index(drop=True)


def priority(
    lab: Lab,
    chosen: list[Slice],
    predicted: np.ndarray,
    reference: np.ndarray | None,
    metric: str = "accuracy",
    level: float | None = None,
    *,
    item_levels: np.ndarray | None = None,
) -> pd.DataFrame:
    """Ng's priority table, one row per slice: its metric now, the reference level (``reference``: the
    predictions of the model trained on the true labels; else ``item_levels``, a level per test item such as
    annotators' agreement, averaged over the slice; else ``level``, one the learner typed, 0-1; else unknown), the
    gap, its share of the test items, and the potential gain (gap x share, in points of the whole), largest first;
    a slice holding a narrower one with ``NESTED`` of its gain comes right after it (``rank_key``)."""
    n = len(lab.test_labels)
    rows = []
    for s in chosen:
        now = score(s, lab, predicted, metric)
        if reference is not None:
            ref = score(s, lab, reference, metric)
        elif item_levels is not None:
            ref = float(np.nanmean(item_levels[s.test])) if np.isfinite(item_levels[s.test]).any() else np.nan
        else:
            ref = level if level is not None else np.nan
        gap = max(ref - now, 0.0) * 100 if not np.isnan(ref) else np.nan
        share = s.test.sum() / n
        rows.append(
            {"slice": s.name, "now": now, "reference": ref, "gap": gap, "share": share, "potential": gap * share}
        )
    table = pd.DataFrame(rows, columns=["slice", "now", "reference", "gap", "share", "potential"])
    table["key"] = rank_key(chosen, table["potential"].to_numpy()) if chosen else []
    table = table.sort_values(["key", "share"], ascending=[False, True], kind="mergesort")
    table = table.drop(columns="key").drop_duplicates("slice").reset_index(drop=True)
    table["what to do"] = [advice(gap, potential) for gap, potential in zip(table["gap"], table["potential"])]
    return table


NESTED = 0.8  # a slice is listed after a narrower slice inside it that holds this share of its potential gain


def rank_key(chosen: list[Slice], potential: np.ndarray) -> np.ndarray:
    """Each slice's place in the priority table: its potential gain, or, when a narrower slice inside it holds at
    least ``NESTED`` of that gain, the narrower one's (ties go to the narrower slice): acting on it buys most of
    the gain for less work. "class is 7" is listed after "class is 7 and slant high" if the slant explains it."""
    masks = np.array([s.test for s in chosen], dtype=np.int32).reshape(len(chosen), -1)
    size = masks.sum(axis=1)
    inside = (masks @ masks.T) == size[:, None]  # inside[t, s]: every test item of t is in s
    narrower = inside & (size[:, None] < size[None, :])
    worth = np.nan_to_num(potential, nan=-np.inf)
    holds = narrower & (worth[:, None] >= NESTED * worth[None, :]) & (worth[None, :] > 0)
    key = worth.copy()
    for s in np.argsort(size, kind="stable"):  # narrowest first: a chain s > t > u follows its links
        if holds[:, s].any():
            key[s] = min(worth[s], key[holds[:, s]].max())
    return key


WORTH_IT = 1.0  # points of the whole: a slice that could gain this much is worth working on now


def advice(gap: float, potential: float) -> str:
    """What the priority table suggests for a slice, from its gap and potential gain (points)."""
    if potential >= WORTH_IT:
        return "review this slice's labels, or collect more of it"
    if gap > 0:
        return "worth a look once the top rows are done"
    return "leave it" if not np.isnan(gap) else "set a reference level to judge it"


NG_SPEECH = pd.DataFrame(
    {  # Ng's example (Machine Learning in Production, course 1): accuracy, human level, share
        "slice": ["Clean speech", "Car noise", "People noise", "Low bandwidth"],
        "now": [0.94, 0.89, 0.87, 0.70],
        "reference": [0.95, 0.93, 0.89, 0.70],
        "share": [0.60, 0.04, 0.30, 0.06],
    }
)
