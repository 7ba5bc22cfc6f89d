"""The Your data page's parts: bring a file (upload or Hub), say how to read it, prepare it with progress."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import streamlit as st

from datacentric.common.display import CELL_CHARS, NAME_CHARS, display_names, plain, shorten
from datacentric.lab.lab import TEST_SHARE
from datacentric.lab.scenario import Scenario
from datacentric.ui import keys, links, services, session, testset

TOOLBAR_ROOM = 12  # px between a line and the table under it: with the gaps, the height of a table's toolbar
LABEL_NAMES = ("label", "labels", "class", "target", "y", "category", "sentiment", "given_label", "noisy_label")
NO_TRUTH = "(none: nobody knows which labels are wrong)"
LOCAL_ROOT_ENV = "DCP_HUB_LOCAL_ROOT"  # a server folder whose Hub-format subfolders learners may load by path
DETECTED = "detected"  # the text encoding picker's first option: the encoding detected, not one chosen
LOG = logging.getLogger(__name__)


def limits():
    """The configured limits; a bad setting is reported and the defaults used, so the page still works."""
    from datacentric.data import tables

    try:
        return tables.limits_from_env()
    except tables.TableError as error:
        st.warning(plain(str(error)), icon=":material/settings:")
        return tables.Limits()


def upload_form() -> None:
    """An uploader of CSV files; each readable file is stored in the workspace at once, a bad one is explained."""
    from datacentric.data import userdata

    st.markdown(
        "A CSV file with a header row: one column of labels, the others numbers, categories or free text. "
        "UTF-8 is best; other text encodings (UTF-16, Windows code pages, Shift-JIS, GB18030, EUC-KR...) are "
        "detected, and you can choose another under Text encoding. Commas, semicolons, tabs or bars between "
        "values."
    )
    limit = limits()
    st.caption(
        f"Limits: {limit.max_rows:,} rows, {limit.max_columns:,} columns, {limit.max_bytes / 2**20:,.0f} MB "
        "(docs/your-data.md, 'Limits', says how to raise them)."
    )
    uploads = st.file_uploader(
        "CSV files (a training file, and its test file if you have one)",
        type=["csv", "tsv", "txt"],
        key="upload",
        accept_multiple_files=True,
    )
    # A test file after its training file: whichever order they were picked in, the pair is placed the same way.
    for upload in sorted(uploads or [], key=lambda u: bool(userdata.TEST_NAME.search(u.name))):
        _store_upload(upload, limit)


def _store_upload(upload, limit) -> None:
    """Store one uploaded file in the workspace, or say why it was refused (once: a rerun stores nothing twice)."""
    from datacentric.data import tables

    seen = st.session_state.setdefault(keys.YOURDATA_SEEN, {})
    if upload.file_id in seen:
        if seen[upload.file_id]:
            st.error(plain(seen[upload.file_id]), icon=":material/error:")
        return
    raw = upload.getvalue()
    try:
        with st.spinner(f"Reading {plain(upload.name, limit=NAME_CHARS)}..."), services.heavy_work():
            table = tables.read_csv(raw, limits=limit, name=upload.name)
    except Exception as error:  # noqa: BLE001 - a file the reader does not foresee is explained, never a traceback
        seen[upload.file_id] = _reason(error, f"read {upload.name}")
        st.error(plain(seen[upload.file_id]), icon=":material/error:")
        return
    sha = session.get_store().add_file(
        session.ensure_workspace(),
        upload.name,
        raw,
        {"kind": "upload", "encoding": table.encoding, "delimiter": table.delimiter},
    )
    services.remember(sha, table.frame)
    seen[upload.file_id] = ""
    _place(sha, upload.name, table.frame)
    _release(upload)
    for note in table.notes:
        st.info(plain(note), icon=":material/info:")


def _place(sha: str, name: str, frame) -> None:
    """After an upload: which file the form sets up, and with which test file (``userdata.after_upload``)."""
    from datacentric.data.userdata import Upload, after_upload

    files = {f["sha"]: f for f in session.get_store().files(session.workspace_id())}
    current = st.session_state.get(keys.YOURDATA_FILE)
    known = current in files and current != sha
    before = services.table_of(session.workspace_id(), current).columns if known else ()
    upload = after_upload(name, frame.columns, files[current]["name"] if known else None, before)
    if upload in (Upload.SET_UP, Upload.TESTED_BY_IT):
        st.session_state[keys.YOURDATA_FILE] = sha
    if upload is Upload.ITS_TEST_FILE:
        testset.propose(current, sha)
    if upload is Upload.TESTED_BY_IT:
        testset.propose(sha, current)
    if upload is not Upload.SET_UP:
        setup, other = (current, name) if upload is not Upload.TESTED_BY_IT else (sha, files[current]["name"])
        said = {
            Upload.ITS_TEST_FILE: f"{other} has the same columns: it is the test file of "
            f"{files[setup]['name']} below (change it under Test set).",
            Upload.TESTED_BY_IT: f"{name} has the same columns as {other}: it is set up below, with {other} as "
            "its test file (change it under Test set).",
            Upload.KEPT: f"{name} is stored beside {files[setup]['name']}, which is still set up: choose it "
            "under File to set it up, or as the test file under Test set.",
        }[upload]
        st.info(plain(said), icon=":material/upload_file:")


def _release(upload) -> None:
    """Drop Streamlit's in-memory copy of a stored upload: it would otherwise stay for the session's life, and
    two minutes past its tab (50 MB a learner). The uploader then reads as empty; the file is in the store."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        ctx.uploaded_file_mgr.remove_file(ctx.session_id, upload.file_id)
    except (AttributeError, ImportError, KeyError):  # another Streamlit, or AppTest: the copy just stays longer
        LOG.debug("Could not release an upload's in-memory copy", exc_info=True)


def hub_form() -> None:
    """Load a Hugging Face Hub dataset by name through the ``datasets`` library and its cache."""
    from datacentric.common import settings
    from datacentric.data import hub, tables

    st.markdown(
        "A dataset on the [Hugging Face Hub](https://huggingface.co/datasets) by name, loaded through the "
        "`datasets` library and its cache. Needs internet, unless an instructor prefetched it "
        "(`python -m datacentric.data.prefetch NAME`, see docs/your-data.md, 'Your data')."
    )
    other = "Another dataset..."
    suggestions = {**{name: s.summary for name, s in hub.SUGGESTED.items()}, other: ""}
    choice = st.selectbox(
        "Dataset",
        list(suggestions),
        key="hub_choice",
        format_func=lambda k: k if k == other else f"{k}: {suggestions[k]}",
    )
    known = hub.SUGGESTED.get(choice)
    left, right = st.columns(2)
    spelling = "A Hub id, such as stanfordnlp/imdb. The Hub accepts any case; offline, type it as it was cached."
    if settings.text(LOCAL_ROOT_ENV):
        spelling += " Or a folder the administrator offers, by its exact name, upper and lower case included."
    name = left.text_input(
        "Name (owner/name)", value=known.name if known else "", key=f"hub_name_{choice}", help=spelling
    )
    config = right.text_input(
        "Config (if it has several)", value=(known.config or "") if known else "", key=f"hub_config_{choice}"
    )
    split = left.text_input("Split", value=known.split if known else "train", key=f"hub_split_{choice}")
    max_rows = limits().max_rows
    limit = right.number_input(
        "At most this many rows (a seeded sample)",
        100,
        max_rows,
        min(20_000, max_rows),
        step=1000,
        key="hub_limit",
        help="The row limit applies here too (docs/your-data.md, 'Limits').",
    )
    text = left.text_input("Text column (blank: detect)", value=known.text if known else "", key=f"hub_text_{choice}")
    label = right.text_input(
        "Label column (blank: detect)", value=known.label if known else "", key=f"hub_label_{choice}"
    )
    if not st.button("Load from the Hub", icon=":material/cloud_download:", disabled=not name.strip()):
        return
    with st.status(f"Loading {plain(name.strip(), limit=NAME_CHARS)}...", expanded=True) as status:
        try:
            # Local folders only where an administrator allows them: a learner must not read the server's files.
            loaded = hub.load_table(
                name.strip(),
                config=config.strip() or None,
                split=split.strip() or "train",
                text=text.strip() or None,
                label=label.strip() or None,
                limit=int(limit),
                local_root=settings.text(LOCAL_ROOT_ENV),
            )
        except Exception as error:  # noqa: BLE001 - HubError says what to do; anything else is logged
            status.update(label=f"Could not load {plain(name.strip(), limit=NAME_CHARS)}", state="error", expanded=True)
            message = str(error) if isinstance(error, hub.HubError) else _reason(error, f"load {name.strip()}")
            st.error(plain(message), icon=":material/cloud_off:")
            return
        status.update(label=f"Loaded {plain(loaded.source, limit=2 * NAME_CHARS)}", state="complete")
    raw = loaded.frame.to_csv(index=False).encode("utf-8")
    try:  # stored as CSV, so it must read back as one: a NUL character or a huge cell would not
        with services.heavy_work():
            tables.read_csv(raw, limits=limits(), name=name.strip())
    except Exception as error:  # noqa: BLE001
        st.error(
            plain(f"Loaded, but it cannot be kept as a table: {_reason(error, 'keep it as a table')}"),
            icon=":material/error:",
        )
        return
    options = {"name": name.strip(), "config": config.strip() or None, "text": loaded.text, "label": loaded.label}
    sha = _keep_hub_table(loaded, raw, split.strip() or "train", options)
    hint = {"label": loaded.label, "text": loaded.text}
    if (split.strip() or "train") == "train":  # the dataset's own test split, where it has one, is the test set
        test_sha = _hub_test_split(options, int(limit))
        if test_sha:
            hint["test_file"] = test_sha
    st.session_state[keys.YOURDATA_FILE] = sha
    st.session_state.setdefault(keys.YOURDATA_HINTS, {})[sha] = hint


def _keep_hub_table(loaded, raw: bytes, split: str, options: dict) -> str | None:
    """Store a loaded Hub split as a file of the workspace; its SHA-256."""
    return session.get_store().add_file(
        session.ensure_workspace(),
        loaded.source,
        raw,
        {
            "kind": "hub",
            "name": options["name"],
            "config": options["config"],
            "split": split,
            "rows": len(loaded.frame),
        },
    )


def _hub_test_split(options: dict, limit: int) -> str | None:
    """Load and store the dataset's test split (or else its validation split) with the same columns; None if it has
    neither, or they carry no labels (as in many test splits)."""
    from datacentric.common import settings
    from datacentric.data import hub, tables

    for split in ("test", "validation"):
        try:
            with st.spinner(f"Looking for its {split} split..."):
                loaded = hub.load_table(
                    options["name"],
                    config=options["config"],
                    split=split,
                    text=options["text"],
                    label=options["label"],
                    limit=limit,
                    local_root=settings.text(LOCAL_ROOT_ENV),
                )
                raw = loaded.frame.to_csv(index=False).encode("utf-8")
                with services.heavy_work():
                    tables.read_csv(raw, limits=limits(), name=options["name"])
        except Exception:  # noqa: BLE001 - no such split, or no labels in it: the seeded split stays the default
            LOG.info("No usable %s split for %s", split, options["name"], exc_info=True)
            continue
        st.info(
            f"Its {split} split ({len(loaded.frame):,} rows) is kept too, and chosen as the test set below.",
            icon=":material/fact_check:",
        )
        return _keep_hub_table(loaded, raw, split, options)
    return None


def chosen_file() -> dict | None:
    """The file to set up: picked from the workspace's files (the one just brought, or the newest)."""
    files = session.get_store().files(session.workspace_id())
    if not files:
        return None
    by_sha = {f["sha"]: f for f in files}
    shadow = session.shadow_of(keys.YOURDATA_FILE)  # Streamlit forgets the widget's value on another page
    if keys.YOURDATA_FILE not in st.session_state and shadow in st.session_state:
        st.session_state[keys.YOURDATA_FILE] = st.session_state[shadow]
    if st.session_state.get(keys.YOURDATA_FILE) not in by_sha:
        st.session_state[keys.YOURDATA_FILE] = files[0]["sha"]
    pick, remove = st.columns([4, 1], vertical_alignment="bottom")
    pick.selectbox(
        "File", list(by_sha), key=keys.YOURDATA_FILE, format_func=lambda sha: testset.file_label(by_sha[sha])
    )
    st.session_state[shadow] = st.session_state[keys.YOURDATA_FILE]  # the choice, or what an upload set up
    with remove.popover("Delete", icon=":material/delete:", width="stretch"):
        st.markdown(
            "Delete this file from your workspace, with the datasets read from it? Work done on them "
            "can no longer be opened."
        )
        st.button(
            "Delete it",
            type="primary",
            on_click=_delete,
            args=(st.session_state[keys.YOURDATA_FILE],),
            key="delete_file",
        )
    return by_sha[st.session_state[keys.YOURDATA_FILE]]


def _delete(sha: str) -> None:
    from datacentric.data.catalog import DATASETS
    from datacentric.data.userdata import UserSpec

    gone = {d["key"] for d in session.user_datasets() if sha in (d["sha"], UserSpec.from_json(d["spec"]).test_file)}
    session.get_store().remove_file(session.workspace_id(), sha)
    services.forget(sha)
    st.session_state.pop(keys.YOURDATA_FILE, None)
    if session.current_scenario().dataset in gone:
        session.set_scenario(Scenario(next(iter(DATASETS))))


def configure(file: dict):
    """Label column, known-true column, column roles; returns (frame, title, spec, label check), or None
    when the stored file cannot be read (it says why)."""
    import pandas as pd

    from datacentric.data import featurize, userdata
    from datacentric.modelling.models import FIXED_MODELS

    try:
        detected = services.table_of(session.workspace_id(), file["sha"])
    except Exception as error:  # noqa: BLE001 - gone meanwhile, or a reader rule it predates
        st.error(plain(_reason(error, "read this file") + " Delete it and bring it again."), icon=":material/error:")
        return None
    if file["source"]["kind"] == "upload":
        _encoding_picker(file["sha"], detected.attrs.get("encoding"))
    try:
        frame, encoding = _read(file["sha"], file["name"])
    except Exception as error:  # noqa: BLE001 - a TableError: the bytes are not text in the chosen encoding
        st.error(plain(_reason(error, "read this file")), icon=":material/error:")
        return None
    st.markdown(
        f"**{plain(file['name'], limit=NAME_CHARS)}**: {len(frame):,} rows, {len(frame.columns)} columns. "
        "The first rows:"
    )
    st.space(TOOLBAR_ROOM)  # the table's toolbar floats above it: on a phone it would cover the line above
    st.dataframe(_preview(frame.head(50)), height=220)  # a dataframe shows cell text as text, never as Markdown
    hints = st.session_state.get(keys.YOURDATA_HINTS, {}).get(file["sha"], {})
    columns = list(frame.columns)
    left, right = st.columns(2)
    label = left.selectbox(
        "Label column: the labels to review",
        columns,
        index=_guess_label(columns, hints),
        key=f"label_{file['sha']}",
        format_func=shorten,
    )
    others = [c for c in columns if c != label]
    guess = userdata.guess_truth(others, label)
    truth = right.selectbox(
        "Known-true labels (optional)",
        [NO_TRUTH] + others,
        index=others.index(guess) + 1 if guess else 0,
        key=f"truth_{file['sha']}",
        format_func=shorten,
        help="Some teaching datasets ship a noisy and a clean label. With the clean one, the app "
        "grades your review exactly as for the built-in datasets.",
    )
    truth = None if truth == NO_TRUTH else truth
    spec = userdata.UserSpec(label, truth)
    first = userdata.check_labels(frame, spec)
    drop_missing = drop_rare = False
    if first.missing:
        what = "a label or a true label" if truth else "a label"
        drop_missing = st.checkbox(f"Drop the {first.missing:,} rows without {what}", key=f"drop_missing_{file['sha']}")
    if first.rare:
        drop_rare = st.checkbox(
            f"Drop the rows of {len(first.rare)} classes with fewer than {userdata.MIN_CLASS_ROWS} rows",
            key=f"drop_rare_{file['sha']}",
        )
    spec = userdata.UserSpec(label, truth, drop_missing=drop_missing, drop_rare=drop_rare)
    check = userdata.check_labels(frame, spec)
    for problem in check.problems:
        st.error(plain(problem), icon=":material/error:")
    for note in check.notes:
        st.info(plain(note), icon=":material/merge:")

    test_file, split_column, test_value, missing = testset.choose(
        file,
        frame,
        [c for c in others if c != truth],
        st.session_state.get(keys.YOURDATA_HINTS, {}).get(file["sha"], {}),
    )
    if missing:  # said where the choice is; "Use this dataset" waits for it
        check = replace(check, problems=(*check.problems, missing))

    st.markdown("**Columns**: what each one is, as detected. Change a role where the guess is wrong.")
    exclude = tuple(c for c in (label, truth, split_column) if c)
    detected = services.roles_of(session.workspace_id(), file["sha"], exclude, encoding)
    if hints.get("text") in frame.columns:
        detected = [
            featurize.Role(r.column, "text", "the Hub's text column") if r.column == hints["text"] else r
            for r in detected
        ]
    shown = pd.DataFrame(
        {
            "column": [shorten(r.column) for r in detected],
            "role": [r.role for r in detected],
            "why": [r.why for r in detected],
            "example": [_example(frame[r.column]) for r in detected],
        }
    )
    # The editor's input stays the detected roles; its returned frame carries the learner's edits.
    edited = st.data_editor(
        shown,
        hide_index=True,
        disabled=["column", "why", "example"],
        width="stretch",
        key=f"roles_{file['sha']}_{label}_{truth}",
        column_config={
            "role": st.column_config.SelectboxColumn(
                "role", options=list(featurize.ROLES), required=True, help="  \n".join(featurize.ROLES.values())
            )
        },
    )
    # Rows keep their order (none can be added or deleted): the names come from the detected roles, whole.
    roles = [featurize.Role(d.column, r, "") for d, r in zip(detected, edited["role"])]
    for column in featurize.unreadable_numbers(frame, roles):
        st.warning(
            plain(
                f"Most values of {shorten(column)!r} are not numbers, so as a numeric column it would be "
                "nearly all "
                "gaps: choose categorical or text for it."
            ),
            icon=":material/warning:",
        )
    if not any(r.role != "ignored" for r in roles):
        problem = (
            "Every column is ignored, so the model would have nothing to learn from: give at least one "
            "column a role (numeric, categorical or text)."
            if roles
            else "There are no columns besides the labels: the model needs at least one column to learn from."
        )
        st.error(problem, icon=":material/error:")
        check = replace(check, problems=(*check.problems, problem))
    test_frame = test_encoding = None
    if test_file:
        try:
            test_frame, test_encoding = _read(test_file, "the test file")
        except Exception as error:  # noqa: BLE001 - a TableError: not text in the encoding chosen for it
            problem = _reason(error, "read the test file")
            st.error(plain(problem), icon=":material/error:")
            check = replace(check, problems=(*check.problems, problem))
    spec = userdata.UserSpec(
        label,
        truth,
        tuple((r.column, r.role) for r in roles),
        drop_missing,
        drop_rare,
        test_file,
        split_column,
        test_value,
        encoding,
        test_encoding,
    )
    if test_file and test_frame is None:
        pass  # it could not be read in the encoding chosen for it, as said above
    elif problem := userdata.test_set_problem(frame, spec, test_frame):
        st.error(plain(problem), icon=":material/error:")
        check = replace(check, problems=(*check.problems, problem))
    elif check.ok:
        testset.state_split(spec, userdata.split_sizes(frame, spec, test_frame, test_share=TEST_SHARE))
    st.markdown("**The fixed model, in plain words**")
    fixed = FIXED_MODELS["text" if any(r.role == "text" for r in roles) else "tabular"]
    model = f"{fixed.in_sentence.removesuffix(' on TF-IDF')} (C = {fixed.defaults()['C']:g})"
    st.markdown(
        "\n".join(f"- {plain(step)}" for step in featurize.describe(roles))
        + f"\n- Then {model} learns from all of them, and stays fixed while you fix the labels."
    )
    if truth:
        st.success(
            f"Graded: {plain(truth, limit=NAME_CHARS)} holds the true labels, so the app knows which labels in "
            f"{plain(label, limit=NAME_CHARS)} "
            "are wrong, and grades your review as for the built-in datasets.",
            icon=":material/verified:",
        )
    else:
        st.info(
            "Not graded: without a column of known-true labels, the app cannot know which labels are truly wrong, "
            "and the test labels may be as wrong as the rest (a test file of your own is only as clean as you made "
            "it). To practise with grading, add label noise on Home afterwards: the app then knows the errors it "
            "added.",
            icon=":material/info:",
        )
    title = _file_title(file["name"]) if file["source"]["kind"] == "upload" else file["source"]["name"]
    return frame, title, spec, check


def _encoding_picker(sha: str, detected: str | None) -> None:
    """The text encoding of an uploaded file: the detected one, or one the learner chooses; the choice is kept for
    the session, with the file's other hints."""
    from datacentric.data import encodings

    hints = st.session_state.setdefault(keys.YOURDATA_HINTS, {}).setdefault(sha, {})
    options = [DETECTED, *encodings.CHOICES]
    detected_name = encodings.encoding_name(detected) if detected else "as the file was read"
    hints["encoding"] = st.selectbox(
        "Text encoding",
        options,
        index=options.index(hints.get("encoding", DETECTED)),
        key=f"encoding_{sha}",
        format_func=lambda codec: f"Detected: {detected_name}" if codec == DETECTED else encodings.encoding_name(codec),
        help="How the file's bytes become letters. If letters in the table below look wrong (Ã© for é, or "
        "question marks), choose the encoding the file was saved in; the table is read again with it.",
    )


def _read(sha: str, name: str):
    """A stored file's table as the learner chose to read it this session: (frame, the encoding it is read in as the
    reader names it, or None for UTF-8). The encoding goes into the dataset's spec even when detected, so the
    dataset reads its file the same way whatever a later detection would say (and two readings of the same bytes
    are two datasets). TableError when the bytes are not text in the chosen encoding."""
    workspace = session.workspace_id()
    detected = services.table_of(workspace, sha)  # the store's word that this workspace has the file, first
    chosen = st.session_state.get(keys.YOURDATA_HINTS, {}).get(sha, {}).get("encoding", DETECTED)
    if chosen == DETECTED:
        return detected, _unless_utf8(detected.attrs.get("encoding"))
    frame = services.table_of(workspace, sha, encoding=chosen, name=name)
    used = frame.attrs["encoding"]
    return (detected, _unless_utf8(used)) if used == detected.attrs.get("encoding") else (frame, used)


def _unless_utf8(encoding: str | None) -> str | None:
    """An encoding for a dataset's spec: None for UTF-8, which every reading tries first (the specs of UTF-8 files,
    nearly all, stay as they were before encodings were recorded)."""
    return None if encoding in (None, "utf-8", "utf-8-sig") else encoding


def _file_title(name: str) -> str:
    """A file's name without its extension; a name is text, so a '/' in it is kept, not read as a folder."""
    stem, dot, extension = name.rpartition(".")
    return stem if dot and stem and extension.lower() in {"csv", "tsv", "txt"} else name


def _guess_label(columns: list[str], hints: dict) -> int:
    if hints.get("label") in columns:
        return columns.index(hints["label"])
    lowered = [c.strip().lower() for c in columns]
    for name in LABEL_NAMES:
        if name in lowered:
            return lowered.index(name)
    return len(columns) - 1


def _example(column) -> str:
    values = column.dropna()
    return shorten(values.iloc[0]) if len(values) else ""


def _preview(rows):
    """Rows for a preview table: long column names and cells shortened (the data keeps them whole)."""
    shown = rows.set_axis(display_names(rows.columns), axis=1)
    for column in shown.columns[[dtype == object or str(dtype) == "str" for dtype in shown.dtypes]]:  # noqa: E721 (a dtype)
        shown[column] = shown[column].map(lambda v: v if not isinstance(v, str) else shorten(v, CELL_CHARS))
    return shown


def use_dataset(file: dict, frame, title: str, spec) -> bool:
    """Store and prepare the dataset with a progress line per step; True when it is ready to review.

    One path for every refusal (the spec, the encoder, a fit): say why, and keep nothing broken.
    """
    from datacentric.data import userdata

    key = userdata.dataset_key(file["sha"], spec)
    scenario = Scenario(key, "none", 0, 0)
    with st.status("Preparing your dataset...", expanded=True) as status:
        start = time.perf_counter()
        st.write(f"Reading {len(frame):,} rows by your choices...")
        ws = session.ensure_workspace()
        session.get_store().add_dataset(ws, key, file["sha"], title, spec.to_json())
        try:
            _prepare(scenario, services.user_dataset(ws, key))
        except Exception as error:  # noqa: BLE001 - whatever stops it, the learner gets a sentence, not a traceback
            session.get_store().remove_dataset(ws, key)
            status.update(label="Could not use this dataset", state="error", expanded=True)
            st.error(plain(_reason(error, "prepare this dataset")), icon=":material/error:")
            return False
        status.update(
            label=f"Ready in {time.perf_counter() - start:.1f} s: {plain(title, limit=NAME_CHARS)}",
            state="complete",
            expanded=False,
        )
    session.set_scenario(scenario)
    return True


def _reason(error: Exception, doing: str) -> str:
    """The learner's sentence for a failure: ours say what to do; anything else is logged, never shown."""
    from datacentric.data.featurize import DataError
    from datacentric.data.tables import TableError

    if isinstance(error, (DataError, TableError, LookupError)):
        return str(error)
    LOG.error("Could not %s", doing, exc_info=error)
    return (
        f"Could not {doing}: something in it stopped the app in a way it does not recognise (the details are "
        "in the server's log). Check the file's columns and labels, or try another file."
    )


def _prepare(scenario: Scenario, dataset) -> None:
    """Every computation Fix the labels starts with, one progress line each."""
    from datacentric.data import userdata

    testing = {
        "random": f"splitting off {TEST_SHARE * 100:.0f} % for testing",
        "file": "setting your test file apart",
        "column": "setting the rows your split column marks apart for testing",
    }[dataset.test_from]
    st.write(f"Encoding the columns ({plain(userdata.summary(dataset))}) and {testing}...")
    lab = session.lab(scenario)
    kept = lab.in_use
    st.write(f"Training {lab.fixed_model.in_sentence} 5 times, each time predicting the items it did not see...")
    services.probs_of(scenario, lab.noisy_labels, kept)
    st.write("Ranking the labels by how likely each is wrong (cleanlab)...")
    services.queue_of(scenario, lab.noisy_labels, kept)
    st.write(
        "Scoring the fixed model on the test split"
        + (", and on the true labels for the ceiling..." if lab.grading != "none" else "...")
    )
    services.score_of(scenario, lab.noisy_labels)
    if lab.grading != "none":
        services.score_of(scenario, lab.true_labels)


def your_datasets() -> None:
    """The workspace's datasets, each one click from review."""
    datasets = session.user_datasets()
    if not datasets:
        st.caption("None yet: bring a file above and choose 'Use this dataset'.")
        return
    current = session.current_scenario().dataset
    for record in datasets:
        text, button = st.columns([4, 1], vertical_alignment="center")
        mark = " (current)" if record["key"] == current else ""
        text.markdown(f"**{plain(record['title'], limit=NAME_CHARS)}**{mark} · `{record['key']}`")
        if button.button("Review it", key=f"open_{record['key']}", icon=":material/fact_check:"):
            session.set_scenario(Scenario(record["key"], "none", 0, 0))
            st.switch_page(links.page("pages/fix_labels.py"))
