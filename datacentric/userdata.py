"""A learner's own table as a dataset: which column is the label, which holds known-true labels, and column roles."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from datacentric.catalog import Dataset
from datacentric.display import shorten
from datacentric.featurize import ROLES, DataError, Role, clean
from datacentric.scenario import USER_PREFIX

MIN_CLASS_ROWS = 5  # fewer rows than this and a class cannot be split into training and test items
MAX_CLASSES = 50


@dataclass(frozen=True)
class UserSpec:
    """How to read a table as a dataset. Stored as JSON; its hash with the file's names the dataset."""

    label: str
    truth: str | None = None  # a column of known-true labels, if the data ships one
    roles: tuple[tuple[str, str], ...] = ()  # (column, role) for every other column
    drop_missing: bool = False  # drop rows without a label (or without a true label)
    drop_rare: bool = False  # drop rows of classes with fewer than MIN_CLASS_ROWS rows

    def to_json(self) -> str:
        return json.dumps({"label": self.label, "truth": self.truth, "roles": [list(r) for r in self.roles],
                           "drop_missing": self.drop_missing, "drop_rare": self.drop_rare}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> UserSpec:
        raw = json.loads(text)
        return cls(raw["label"], raw.get("truth"), tuple(tuple(r) for r in raw.get("roles", ())),
                   raw.get("drop_missing", False), raw.get("drop_rare", False))


def dataset_key(file_sha: str, spec: UserSpec) -> str:
    """A short name for (file, spec): the same file read the same way is the same dataset."""
    return USER_PREFIX + hashlib.sha256(f"{file_sha}\n{spec.to_json()}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LabelCheck:
    """What stands between a label column and a dataset: blocking problems, and rows that could be dropped."""

    classes: tuple[str, ...]
    missing: int  # rows without a label or true label
    rare: dict[str, int] = field(default_factory=dict)  # class -> rows, for classes below MIN_CLASS_ROWS
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the reading did that the learner should know: spellings merged

    @property
    def ok(self) -> bool:
        return not self.problems


def check_labels(frame: pd.DataFrame, spec: UserSpec) -> LabelCheck:
    """Check the label (and true-label) columns of ``frame`` as ``spec`` would read them."""
    columns = [spec.label] + ([spec.truth] if spec.truth else [])
    for column in columns:
        if column not in frame.columns:
            return LabelCheck((), 0, problems=(f"There is no column {_q(column)} in the file.",))
    if spec.truth == spec.label:
        return LabelCheck((), 0, problems=("The true-label column must differ from the label column.",))
    present = frame[columns].notna().all(axis=1)
    missing = int((~present).sum())
    problems = []
    if missing and not spec.drop_missing:
        problems.append(f"{missing:,} rows have no value in {' or '.join(_q(c) for c in columns)}. "
                        "Drop those rows, or fill them in and upload the file again.")
    rows = frame[present] if spec.drop_missing else frame
    if spec.truth:
        given, true = set(_as_text(rows[spec.label]).dropna()), set(_as_text(rows[spec.truth]).dropna())
        if len(given & true) < len(true) / 2:
            shown = ", ".join(_q(v) for v in sorted(true)[:4])
            problems.append(f"The known-true column {_q(spec.truth)} holds other values ({shown}) than the label "
                            f"column {_q(spec.label)}: it must name the same classes. Choose another column, or none.")
    values = pd.concat([_as_text(rows[c]) for c in columns]).dropna()
    classes = tuple(sorted(values.unique()))
    if len(classes) > MAX_CLASSES:
        problems.append(f"{_q(spec.label)} has {len(classes):,} different values; a label column for classification "
                        f"has at most {MAX_CLASSES}. Is it an id or a number to predict? Choose another column.")
        return LabelCheck(classes[:MAX_CLASSES], missing, problems=tuple(problems))
    counts = _as_text(rows[spec.truth or spec.label]).value_counts()
    rare = {str(c): int(n) for c, n in counts.items() if n < MIN_CLASS_ROWS}
    if rare and not spec.drop_rare:
        listed = ", ".join(f"{_q(c)} ({n})" for c, n in list(rare.items())[:5])
        problems.append(f"Some classes have fewer than {MIN_CLASS_ROWS} rows, too few to keep some for testing: "
                        f"{listed}. Drop those rows, or add more examples.")
    kept = counts.drop(list(rare)) if spec.drop_rare else counts
    if len(kept) < 2:
        only = f" (only {_q(kept.index[0])})" if len(kept) else ""
        problems.append(f"{_q(spec.truth or spec.label)} has one class{only}: a classifier needs at least two. "
                        "Choose another label column.")
    notes = tuple(note for column in columns if (note := _merged(rows[column], column)))
    return LabelCheck(classes, missing, rare, tuple(problems), notes)


def _q(value: object) -> str:
    """A name or value quoted in a message, shortened: a 100 KB column name must not fill the page."""
    return repr(shorten(value))


def _as_text(column: pd.Series) -> pd.Series:
    """Label values as class names: '1', not '1.0' (a number column with gaps, or '1.0' written as text);
    surrounding spaces dropped. Two spellings of one class are one class."""
    if pd.api.types.is_float_dtype(column) and bool((column.dropna() == column.dropna().round()).all()):
        column = column.astype("Int64")
    return column.astype(object).where(column.notna(), None).map(lambda v: None if v is None else _class_name(str(v)))


WHOLE_NUMBER = re.compile(r"\+?(-?\d+)\.0*")


def _class_name(text: str) -> str:
    text = text.strip()
    whole = WHOLE_NUMBER.fullmatch(text)
    return whole.group(1) if whole else text


def _merged(column: pd.Series, name: str) -> str | None:
    """A sentence naming the spellings of ``column`` that became one class, or None if none did."""
    if pd.api.types.is_numeric_dtype(column):  # read as numbers: 1 and 1.0 are one value already
        return None
    spelled = column.dropna().astype(str)
    spellings = pd.DataFrame({"as": spelled, "class": spelled.map(_class_name)}).drop_duplicates()
    groups = spellings.groupby("class")["as"].agg(list)
    merged = groups[groups.map(len) > 1]
    if merged.empty:
        return None
    shown = "; ".join(" and ".join(repr(shorten(v)) for v in sorted(variants)) + f" as {_q(name_)}"
                      for name_, variants in list(merged.items())[:4])
    more = f" (and {len(merged) - 4} more)" if len(merged) > 4 else ""
    return f"In {_q(name)}, spellings of one class are read as one: {shown}{more}."


def build(frame: pd.DataFrame, spec: UserSpec, *, key: str, title: str) -> Dataset:
    """The dataset ``spec`` describes; raises DataError with the learner-facing reason if it cannot."""
    check = check_labels(frame, spec)
    if not check.ok:
        raise DataError(" ".join(check.problems))
    columns = [spec.label] + ([spec.truth] if spec.truth else [])
    rows = frame
    if spec.drop_missing:
        rows = rows[rows[columns].notna().all(axis=1)]
    if spec.drop_rare and check.rare:
        rows = rows[~_as_text(rows[spec.truth or spec.label]).isin(list(check.rare))]
    roles = [Role(c, r, "your choice") for c, r in spec.roles if c in rows.columns and c not in columns]
    unknown = [r.role for r in roles if r.role not in ROLES]
    if unknown:
        raise DataError(f"Unknown column role {_q(unknown[0])}; choose one of {', '.join(ROLES)}.")
    used = [r for r in roles if r.role != "ignored"]
    if not used:
        raise DataError("Every column is ignored: give at least one column a role (numeric, categorical or text).")
    classes = tuple(sorted(set(_as_text(rows[spec.label]).unique()) | (
        set(_as_text(rows[spec.truth]).unique()) if spec.truth else set())))
    code = {c: i for i, c in enumerate(classes)}
    given = _as_text(rows[spec.label]).map(code).to_numpy(dtype=int)
    truth = _as_text(rows[spec.truth]).map(code).to_numpy(dtype=int) if spec.truth else None
    return Dataset(
        name=key,
        title=title,
        features=None,
        labels=given if truth is None else truth,
        classes=classes,
        feature_names=tuple(r.column for r in used),
        modality="text" if any(r.role == "text" for r in used) else "tabular",
        table=clean(rows, used),
        raw=rows,
        roles=tuple(roles),
        given=None if truth is None else given,
    )


def summary(dataset: Dataset) -> str:
    """'2,000 rows, 3 classes (neg 1,200, pos 800)' for a learner's dataset."""
    counts = np.bincount(dataset.labels, minlength=dataset.n_classes)
    parts = ", ".join(f"{c} {n:,}" for c, n in zip(dataset.classes, counts))
    return f"{len(dataset.labels):,} rows, {dataset.n_classes} classes ({parts})"
