"""A learner's own table as a dataset: which column is the label, which holds known-true labels, and column roles."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import pandas as pd

from datacentric.common.display import shorten
from datacentric.data.catalog import USER_PREFIX, Dataset
from datacentric.data.encodings import encoding_name
from datacentric.data.featurize import ROLES, DataError, Role, clean

__all__ = [
    "MIN_CLASS_ROWS",
    "MAX_CLASSES",
    "UserSpec",
    "TRUTH_HINTS",
    "NOISE_HINTS",
    "guess_truth",
    "dataset_key",
    "LabelCheck",
    "check_labels",
    "WHOLE_NUMBER",
    "build",
    "test_set_problem",
    "split_sizes",
    "Upload",
    "after_upload",
    "TEST_NAME",
    "split_values",
    "summary",
]

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
    test_file: str | None = None  # the SHA-256 of another stored file whose rows are the test set
    split_column: str | None = None  # or a column whose value ``test_value`` marks the test rows
    test_value: str | None = None
    encoding: str | None = None  # the text encoding the file is read in, chosen or detected (None: UTF-8)
    test_encoding: str | None = None  # and the test file's

    def __post_init__(self):
        if self.test_file and self.split_column:
            raise ValueError("a test set comes from another file or from a split column, not both")
        if bool(self.split_column) != bool(self.test_value):
            raise ValueError("a split column needs the value that marks its test rows")

    @property
    def test_source(self) -> str:
        """'random', 'file' or 'column': where the test rows come from."""
        return "file" if self.test_file else "column" if self.split_column else "random"

    def to_json(self) -> str:
        raw = {
            "label": self.label,
            "truth": self.truth,
            "roles": [list(r) for r in self.roles],
            "drop_missing": self.drop_missing,
            "drop_rare": self.drop_rare,
        }
        # Written only when set: a spec from before own test sets (or chosen encodings) keeps its JSON, so its
        # dataset keeps its key.
        raw |= {
            name: value
            for name in ("test_file", "split_column", "test_value", "encoding", "test_encoding")
            if (value := getattr(self, name)) is not None
        }
        return json.dumps(raw, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> UserSpec:
        raw = json.loads(text)
        return cls(
            raw["label"],
            raw.get("truth"),
            tuple(tuple(r) for r in raw.get("roles", ())),
            raw.get("drop_missing", False),
            raw.get("drop_rare", False),
            raw.get("test_file"),
            raw.get("split_column"),
            raw.get("test_value"),
            raw.get("encoding"),
            raw.get("test_encoding"),
        )


TRUTH_HINTS = ("true", "clean", "gold", "correct")  # words in a column name that say it holds the truth
NOISE_HINTS = ("noisy", "given", "raw", "observed", "weak")  # words that say the label column may be wrong


def guess_truth(columns: list[str], label: str) -> str | None:
    """The column most likely to hold known-true labels for ``label``, or None: one named like 'true_label' or
    'gold', or the plain name of a label called like 'noisy_x' ('x' for 'noisy_x', 'x_given' and so on)."""
    for column in columns:
        if column != label and set(re.split(r"[^a-z]+", column.lower())) & set(TRUTH_HINTS):
            return column
    words = [w for w in re.split(r"[^A-Za-z0-9]+", label) if w]
    plain = "_".join(w for w in words if w.lower() not in NOISE_HINTS)
    if plain and len(plain) < len("_".join(words)):
        by_name = {c.lower(): c for c in columns if c != label}
        return by_name.get(plain.lower())
    return None


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
        problems.append(
            f"{missing:,} rows have no value in {' or '.join(_q(c) for c in columns)}. "
            "Drop those rows, or fill them in and upload the file again."
        )
    rows = frame[present] if spec.drop_missing else frame
    if spec.truth:
        given, true = set(_as_text(rows[spec.label]).dropna()), set(_as_text(rows[spec.truth]).dropna())
        if len(given & true) < len(true) / 2:
            shown = ", ".join(_q(v) for v in sorted(true)[:4])
            problems.append(
                f"The known-true column {_q(spec.truth)} holds other values ({shown}) than the label "
                f"column {_q(spec.label)}: it must name the same classes. Choose another column, or none."
            )
    values = pd.concat([_as_text(rows[c]) for c in columns]).dropna()
    classes = tuple(sorted(values.unique()))
    if len(classes) > MAX_CLASSES:
        problems.append(
            f"{_q(spec.label)} has {len(classes):,} different values; a label column for classification "
            f"has at most {MAX_CLASSES}. Is it an id or a number to predict? Choose another column."
        )
        return LabelCheck(classes[:MAX_CLASSES], missing, problems=tuple(problems))
    counts = _as_text(rows[spec.truth or spec.label]).value_counts()
    rare = {str(c): int(n) for c, n in counts.items() if n < MIN_CLASS_ROWS}
    if rare and not spec.drop_rare:
        listed = ", ".join(f"{_q(c)} ({n})" for c, n in list(rare.items())[:5])
        problems.append(
            f"Some classes have fewer than {MIN_CLASS_ROWS} rows, too few to keep some for testing: "
            f"{listed}. Drop those rows, or add more examples."
        )
    kept = counts.drop(list(rare)) if spec.drop_rare else counts
    if len(kept) < 2:
        only = f" (only {_q(kept.index[0])})" if len(kept) else ""
        problems.append(
            f"{_q(spec.truth or spec.label)} has one class{only}: a classifier needs at least two. "
            "Choose another label column."
        )
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
    shown = "; ".join(
        " and ".join(repr(shorten(v)) for v in sorted(variants)) + f" as {_q(name_)}"
        for name_, variants in list(merged.items())[:4]
    )
    more = f" (and {len(merged) - 4} more)" if len(merged) > 4 else ""
    return f"In {_q(name)}, spellings of one class are read as one: {shown}{more}."


def build(
    frame: pd.DataFrame, spec: UserSpec, *, key: str, title: str, test_frame: pd.DataFrame | None = None
) -> Dataset:
    """The dataset ``spec`` describes; raises DataError with the learner-facing reason if it cannot.

    ``test_frame``: the rows of ``spec.test_file``, the test set; its label column (or its known-true
    column, where it has one) is the truth they are scored against.
    """
    _check_encoding(frame, spec.encoding, "its file")
    if test_frame is not None:
        _check_encoding(test_frame, spec.test_encoding, "its test file")
    check = check_labels(frame, spec)
    if not check.ok:
        raise DataError(" ".join(check.problems))
    columns = [spec.label] + ([spec.truth] if spec.truth else [])
    rows = _rows_in_use(frame, spec, check)
    if spec.split_column and spec.split_column not in rows.columns:
        raise DataError(f"There is no column {_q(spec.split_column)} in the file to say which rows are for testing.")
    roles = [
        Role(c, r, "your choice")
        for c, r in spec.roles
        if c in rows.columns and c not in columns and c != spec.split_column
    ]
    unknown = [r.role for r in roles if r.role not in ROLES]
    if unknown:
        raise DataError(f"Unknown column role {_q(unknown[0])}; choose one of {', '.join(ROLES)}.")
    used = [r for r in roles if r.role != "ignored"]
    if not used:
        raise DataError("Every column is ignored: give at least one column a role (numeric, categorical or text).")
    given_text = _as_text(rows[spec.label])
    truth_text = _as_text(rows[spec.truth]) if spec.truth else given_text
    is_test = np.zeros(len(rows), dtype=bool)
    if spec.test_source == "column":
        is_test = (_as_text(rows[spec.split_column]) == _class_name(spec.test_value)).to_numpy()
        _check_split(is_test, spec)
    elif spec.test_source == "file":
        if test_frame is None:
            raise DataError("The test file is no longer in this workspace: bring it again, or choose another test set.")
        test_rows, test_truth = _test_rows(test_frame, spec, used, set(given_text) | set(truth_text))
        rows = pd.concat([rows, test_rows.reindex(columns=rows.columns)])
        given_text = pd.concat([given_text, test_truth])  # a test row's label is its truth: nothing to review there
        truth_text = pd.concat([truth_text, test_truth])
        is_test = np.concatenate([is_test, np.ones(len(test_rows), dtype=bool)])
    classes = tuple(sorted(set(given_text.unique()) | set(truth_text.unique())))
    code = {c: i for i, c in enumerate(classes)}
    given = given_text.map(code).to_numpy(dtype=int)
    truth = truth_text.map(code).to_numpy(dtype=int)
    return Dataset(
        name=key,
        title=title,
        features=None,
        labels=truth,
        classes=classes,
        feature_names=tuple(r.column for r in used),
        modality="text" if any(r.role == "text" for r in used) else "tabular",
        table=clean(rows, used),
        raw=rows,
        roles=tuple(roles),
        given=given if spec.truth else None,
        test_mask=is_test if spec.test_source != "random" else None,
        test_from=spec.test_source,
        label_column=spec.label,
    )


def _rows_in_use(frame: pd.DataFrame, spec: UserSpec, check: LabelCheck) -> pd.DataFrame:
    """The rows of ``frame`` that ``spec`` keeps: those without a label dropped, and those of rare classes, if asked."""
    rows = frame
    if spec.drop_missing:
        rows = rows[rows[[spec.label] + ([spec.truth] if spec.truth else [])].notna().all(axis=1)]
    if spec.drop_rare and check.rare:
        rows = rows[~_as_text(rows[spec.truth or spec.label]).isin(list(check.rare))]
    return rows


def split_sizes(
    frame: pd.DataFrame, spec: UserSpec, test_frame: pd.DataFrame | None = None, *, test_share: float
) -> tuple[int, int]:
    """(training rows, test rows) that ``build`` makes of ``frame`` under ``spec``, for a form to state before
    anything is built; ask once ``check_labels`` and ``test_set_problem`` found nothing. A random split keeps
    ``test_share`` of the rows for testing, rounded up (as scikit-learn's ``train_test_split`` does)."""
    rows = _rows_in_use(frame, spec, check_labels(frame, spec))
    if spec.test_source == "column":
        n_test = int((_as_text(rows[spec.split_column]) == _class_name(spec.test_value)).sum())
        return len(rows) - n_test, n_test
    if spec.test_source == "file" and test_frame is not None:
        truth = spec.truth if spec.truth and spec.truth in test_frame.columns else spec.label
        return len(rows), int(test_frame[truth].notna().sum())
    n_test = math.ceil(test_share * len(rows))
    return len(rows) - n_test, n_test


def _check_encoding(frame: pd.DataFrame, chosen: str | None, which: str) -> None:
    """Refuse a table read in another encoding than the one the learner chose (``frame.attrs``, set by
    ``tables.read_csv``): other letters may be other classes, in another order, and the log's labels would land on
    them."""
    read_as = frame.attrs.get("encoding")
    if chosen and read_as and read_as != chosen:
        raise DataError(
            f"This dataset reads {which} as {encoding_name(chosen)} text, as you chose, but it was read as "
            f"{encoding_name(read_as)} this time. On Your data, choose "
            f"{encoding_name(chosen)} under Text encoding for that file again, then 'Use this dataset'."
        )


class Upload(Enum):
    """What an upload does to the file being set up (``after_upload``)."""

    SET_UP = "set up"  # the new file is set up (the first one, or a table of another kind)
    ITS_TEST_FILE = "its test file"  # the setup stays, with the new file as its test file
    TESTED_BY_IT = "tested by it"  # the new file is set up, with the one set up before as its test file
    KEPT = "kept"  # the setup stays; the new file waits under File


TEST_NAME = re.compile(r"(^|[^a-z])test", re.IGNORECASE)  # "reviews-test.csv", "test_rows.csv"; not "contest.csv"


def after_upload(new_name: str, new_columns, current_name: str | None, current_columns) -> Upload:
    """Where an upload leaves the file being set up. A table with the same columns as the one set up is its pair:
    the file whose name says "test" is the test file of the other, in whichever order the two came, and the setup
    never moves to a test file because it came second. A table of another kind is set up in its place."""
    if current_name is None or set(new_columns) != set(current_columns):
        return Upload.SET_UP
    new_test, current_test = bool(TEST_NAME.search(new_name)), bool(TEST_NAME.search(current_name))
    if new_test and not current_test:
        return Upload.ITS_TEST_FILE
    if current_test and not new_test:
        return Upload.TESTED_BY_IT
    return Upload.KEPT


def test_set_problem(frame: pd.DataFrame, spec: UserSpec, test_frame: pd.DataFrame | None = None) -> str | None:
    """What stands between ``spec``'s test set and a dataset, in a sentence; None when nothing does.
    (``build`` checks the same; this is the quick look a form needs before anything is stored.)"""
    try:
        if spec.test_source == "column":
            if spec.split_column not in frame.columns:
                raise DataError(f"There is no column {_q(spec.split_column)} in the file.")
            _check_split((_as_text(frame[spec.split_column]) == _class_name(spec.test_value)).to_numpy(), spec)
        elif spec.test_source == "file":
            if test_frame is None:
                raise DataError(
                    "Choose the test file: bring it above first (an upload, or a Hub dataset's test split)."
                )
            used = [Role(c, r, "") for c, r in spec.roles if r != "ignored"]
            columns = [spec.label] + ([spec.truth] if spec.truth else [])
            _test_rows(test_frame, spec, used, set(_as_text(frame[columns].stack()).dropna()))
    except DataError as problem:
        return str(problem)
    return None


def split_values(column: pd.Series, limit: int = 50) -> list[str]:
    """The values of a split column as the app reads them, commonest first (at most ``limit``)."""
    return list(_as_text(column).dropna().value_counts().index[:limit])


def _check_split(is_test: np.ndarray, spec: UserSpec) -> None:
    if not is_test.any():
        raise DataError(
            f"No row has {_q(spec.test_value)} in {_q(spec.split_column)}, so there would be no test rows. "
            "Choose the value that marks them."
        )
    if is_test.all():
        raise DataError(
            f"Every row has {_q(spec.test_value)} in {_q(spec.split_column)}, so none would be left to "
            "train on. Choose the value that marks the test rows only."
        )


def _test_rows(test_frame: pd.DataFrame, spec: UserSpec, used: list[Role], classes: set[str]):
    """(the test file's rows, their true class names): checked against the training file's columns and classes."""
    needed = [spec.label, *(r.column for r in used)]
    missing = [c for c in needed if c not in test_frame.columns]
    if missing:
        listed = ", ".join(_q(c) for c in missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise DataError(
            f"The test file lacks columns the training file uses: {listed}. A test file needs the same "
            "columns (extra ones are ignored)."
        )
    truth_column = spec.truth if spec.truth and spec.truth in test_frame.columns else spec.label
    truth = _as_text(test_frame[truth_column])
    labelled = truth.notna()
    if not labelled.all() and not spec.drop_missing:
        raise DataError(
            f"{int((~labelled).sum()):,} rows of the test file have no value in {_q(truth_column)}: a test "
            "row needs its label. Drop rows without a label (the option above), or fill them in."
        )
    rows, truth = test_frame[labelled], truth[labelled]
    if rows.empty:
        raise DataError("The test file has no rows with a label, so there is nothing to score on.")
    unseen = sorted(set(truth) - classes)
    if unseen:
        listed = ", ".join(_q(c) for c in unseen[:5])
        raise DataError(
            f"The test file has classes the training file does not: {listed}. A model cannot learn a "
            "class it never sees; drop those rows from the test file, or use another."
        )
    return rows, truth


def summary(dataset: Dataset) -> str:
    """'2,000 rows, 3 classes (neg 1,200, pos 800)' for a learner's dataset."""
    counts = np.bincount(dataset.labels, minlength=dataset.n_classes)
    parts = ", ".join(f"{c} {n:,}" for c, n in zip(dataset.classes, counts))
    return f"{len(dataset.labels):,} rows, {dataset.n_classes} classes ({parts})"
