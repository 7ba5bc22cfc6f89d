"""Columns of a learner's table -> roles (numeric, categorical, text, ignored) -> one encoder, in plain words."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from datacentric.common.display import shorten

__all__ = [
    "ROLES",
    "MAX_WORDS",
    "MAX_CATEGORIES",
    "DataError",
    "Role",
    "EXPORTED",
    "FEW_VALUES",
    "FEW_SHARE",
    "detect_roles",
    "clean",
    "make_encoder",
    "unreadable_numbers",
    "describe",
]

ROLES = {
    "numeric": "Numeric: scaled to zero mean and unit variance; gaps filled with the median.",
    "categorical": "Categorical: one column per value (one-hot); gaps count as a value of their own.",
    "text": "Free text: TF-IDF word weights (words in at least two rows).",
    "ignored": "Ignored: not shown to the model (ids, constant columns).",
}
MAX_WORDS = 50_000  # TF-IDF vocabulary per text column: enough for a 20k-row corpus, bounded memory
MAX_CATEGORIES = 100  # rarer values of a categorical column share one "other" column


class DataError(ValueError):
    """Data that cannot be learned from the way it was chosen; ``str(err)`` says why and what to do, for the learner."""


@dataclass(frozen=True)
class Role:
    column: str
    role: str  # a key of ROLES
    why: str  # the plain-English reason it was detected (or "your choice")


EXPORTED = ("file_row", "split", "original_label", "action")  # the columns export.cleaned adds to a learner's file
FEW_VALUES = 20  # a column with at most this many different values is a category, however wordy
FEW_SHARE = 0.05  # or one whose different values are under this share of its rows


def detect_roles(frame: pd.DataFrame, *, exclude: tuple[str, ...] = ()) -> list[Role]:
    """A role for every column except ``exclude`` (the label columns), with the reason."""
    # A file this app exported: the columns it added say what was done, not what the item is.
    exported = set(EXPORTED) <= set(frame.columns)
    return [
        Role(c, "ignored", "added by this app's export")
        if exported and str(c).lstrip("_") in EXPORTED
        else _detect(frame[c], c)
        for c in frame.columns
        if c not in exclude
    ]


def _detect(column: pd.Series, name: str) -> Role:
    values = column.dropna()
    n, distinct = len(values), values.nunique()
    if n == 0:
        return Role(name, "ignored", "empty in every row")
    if distinct == 1:
        return Role(name, "ignored", "the same value in every row")
    if pd.api.types.is_bool_dtype(values):
        return Role(name, "categorical", "true/false values")
    if pd.api.types.is_numeric_dtype(values):
        whole = pd.api.types.is_integer_dtype(values) or bool((values == values.round()).all())
        if whole and distinct == len(column) and (_id_like(name) or _counts_rows(values)):
            return Role(name, "ignored", "a different whole number in every row: looks like an id")
        if whole and distinct <= 10:
            return Role(name, "categorical", f"only {distinct} different whole numbers")
        return Role(name, "numeric", "numbers")
    text = values.astype(str)
    words = text.str.split().str.len().mean()
    if distinct == len(column) and words < 2:
        return Role(name, "ignored", "a different short value in every row: looks like an id")
    if distinct <= FEW_VALUES or distinct / n < FEW_SHARE:
        wordy = f", though {words:.0f} words a row read like text" if words >= 4 else ""
        return Role(
            name, "categorical", f"only {distinct} different values ({distinct / n * 100:.0f} % of rows){wordy}"
        )
    if words >= 4 or distinct / n > 0.5:
        return Role(name, "text", f"{words:.0f} words per row on average, {distinct:,} different values")
    return Role(name, "categorical", f"{distinct} different values")


def _counts_rows(values: pd.Series) -> bool:
    """0, 1, 2 ... or 1, 2, 3 ...: a row number, whatever the column is called."""
    return bool(values.is_monotonic_increasing and values.iloc[-1] - values.iloc[0] == len(values) - 1)


def _id_like(name: str) -> bool:
    lowered = name.strip().lower()
    return lowered in {"id", "index", "row", "key", "uuid"} or lowered.endswith(("_id", " id", "id_"))


def clean(frame: pd.DataFrame, roles: list[Role]) -> pd.DataFrame:
    """The feature columns the encoder expects: numbers as floats, categories and text as strings."""
    out = {}
    for r in roles:
        column = frame[r.column]
        if r.role == "numeric":
            numbers = pd.to_numeric(column, errors="coerce").astype(float)
            out[r.column] = numbers.where(np.isfinite(numbers))  # an infinity is a gap, like a blank
        elif r.role == "categorical":
            out[r.column] = column.astype(object).where(column.notna(), "(missing)").astype(str)
        elif r.role == "text":
            out[r.column] = column.astype(object).where(column.notna(), "").astype(str)
    return pd.DataFrame(out, index=frame.index)


def make_encoder(roles: list[Role], *, n_rows: int = 10_000):
    """An unfitted scikit-learn ColumnTransformer for ``roles``: sparse output when there is text.

    ``n_rows``, the rows it will be fitted on: below 1,000 a word seen once still counts.
    """

    numeric = [r.column for r in roles if r.role == "numeric"]
    categorical = [r.column for r in roles if r.role == "categorical"]
    text = [r.column for r in roles if r.role == "text"]
    if not numeric + categorical + text:
        raise DataError("Every column is ignored: give at least one column a role (numeric, categorical or text).")
    parts = []
    if numeric:
        # keep_empty_features: a column empty in the training split becomes zeros instead of vanishing
        parts.append(
            (
                "numeric",
                make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()),
                numeric,
            )
        )
    if categorical:
        parts.append(
            (
                "categorical",
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES, sparse_output=bool(text)
                ),
                categorical,
            )
        )
    for i, column in enumerate(text):
        # A string (not a list) hands the vectoriser a 1-D column of documents.
        parts.append(
            (
                f"text{i}",
                TfidfVectorizer(
                    min_df=2 if n_rows >= 1000 else 1, max_features=MAX_WORDS, sublinear_tf=True, dtype=np.float32
                ),
                column,
            )
        )
    return ColumnTransformer(parts, sparse_threshold=1.0 if text else 0.0)


def unreadable_numbers(frame: pd.DataFrame, roles: list[Role]) -> list[str]:
    """Columns given the numeric role of which most values are not numbers (they would all become gaps)."""
    flagged = []
    for r in roles:
        if r.role == "numeric":
            values = frame[r.column].dropna()
            if len(values) and pd.to_numeric(values, errors="coerce").isna().mean() > 0.5:
                flagged.append(r.column)
    return flagged


def describe(roles: list[Role]) -> list[str]:
    """The fixed pipeline in plain words, one sentence per step."""
    by_role = {role: [r.column for r in roles if r.role == role] for role in ROLES}
    steps = []
    if by_role["numeric"]:
        steps.append(
            f"Numeric columns ({_names(by_role['numeric'])}) are scaled to zero mean and unit variance; "
            "missing numbers are filled with the column's median."
        )
    if by_role["categorical"]:
        steps.append(
            f"Categorical columns ({_names(by_role['categorical'])}) are one-hot encoded: one 0/1 column "
            f"per value, the rarest values sharing one column past {MAX_CATEGORIES}."
        )
    if by_role["text"]:
        steps.append(
            f"Text columns ({_names(by_role['text'])}) become TF-IDF word weights: how often a word appears "
            "in this row, discounted by how common it is in all rows (words in at least two rows)."
        )
    if by_role["ignored"]:
        steps.append(f"Ignored: {_names(by_role['ignored'])}.")
    return steps


def _names(columns: list[str], shown: int = 6) -> str:

    more = len(columns) - shown
    return ", ".join(shorten(c) for c in columns[:shown]) + (f" and {more} more" if more > 0 else "")
