"""Every key the app reads back from ``st.session_state``, in one place, each with what it holds.

A module of names only (it imports nothing), so every ui module and page can import it: ``session.py`` has the
behaviour around the keys (what a workspace forgets, the URL's copies, ``session.kept``'s shadows), and would be
twice as long with the names in it. A key that takes a part (a room, a page) is a template: ``HIDE_NAMES.format(code)``.

Left as literals where they are used, on purpose:
- a widget's inline ``key="..."`` that nothing reads back from ``st.session_state`` (``key="sign_out"``,
  ``key=f"hub_name_{choice}"``): it only gives the widget an identity of its own (two buttons with one label, one
  field per file or room), and its value comes back from the widget call. A key read anywhere else gets a name here.
- a container's key (``key="stack_tune"``): a CSS hook, matched by its prefix in ``presenter.LAYOUT_CSS``, never
  read from ``st.session_state``.

``session.kept(key)`` keeps its value under ``kept_<key>`` too, so no name here may be another's ``kept_`` shadow.
"""

from __future__ import annotations

# ---- The session and its workspace (ui/session.py) ---------------------------------------------------------------
SCENARIO = "scenario"  # the session's Scenario; its presence says the session is set up
WORKSPACE = "workspace"  # the open workspace's id, or None before the first action
PENDING = "workspace_to_be"  # the id this browser's first action will create its workspace under (in its cookie)
NEW_WORKSPACE = "workspace_is_new"  # True in the run that created the workspace: the whole app reruns once after it
COOKIE_SENT = "cookie_sent"  # (workspace id, ticket): its image is drawn on every run until the browser asks for it
COOKIE_HELD = "cookie_held"  # the workspace id this session knows the browser's cookie to hold
VIEWING = "viewing"  # the read-only view token this session arrived with, if it did
NOTICES = "url_notices"  # sentences about what the URL asked for and could not have
PINNED = "pinned_scenario"  # the scenario of the challenge room this session's workspace belongs to, or None
RESUME_CODE = "resume_code_of"  # (workspace, its resume code), read from the store once
VIEW_TOKEN = "view_token_of"  # (workspace, its view token), read from the store once
RESUMED = "resume_welcome"  # the sentence a resume code's success leaves for the run after it (ui/workspace.py)

# ---- Choices kept across pages, and in the URL ------------------------------------------------------------------
METRIC = "kept_headline_metric"  # the headline metric the learner picked, on any page; in the URL as "metric"
HEADLINE_PICK = "headline_metric_{}"  # the headline picker's widget on a page (its short name), kept through METRIC
PANEL = "kept_panel"  # the annotator panel's code, in the URL as "panel" (ui/consistency.py)
DRIFT = "kept_drift"  # the drift schedule's code, in the URL as "drift" (ui/deployment.py)
PICKER = {  # the scenario picker's widgets (ui/widgets.py), by the Scenario field each sets
    "dataset": "pick_dataset",
    "noise": "pick_noise",
    "rate": "pick_rate",
    "seed": "pick_seed",
    "reserve": "pick_reserve",
}
TUNE_FAMILY = "tune_family"  # the model family picked on Tune the model
EVERY_METRIC = "every_metric_open"  # whether the every-metric expander is open (ui/headline.py)

# ---- The presenter view (ui/presenter.py) -----------------------------------------------------------------------
PRESENTER = "presenter_view"  # the session's choice: the address loses ?present=1 on every page switch
PRESENTER_TOGGLE = "presenter_toggle"  # the sidebar's toggle into the presenter view
PRESENTER_LEFT = "presenter_left"  # True in the run after leaving it: the sidebar opens again

# ---- Fix the labels (ui/review_loop.py, ui/bulk.py) ------------------------------------------------------------------
LAST_CHANGE = "last_change"  # what the last action did: a review_loop.LastChange (per workspace)
LAST_CHANGE_SHOWN = "last_change_shown"  # the scenario and log version whose message was shown (per workspace)
RANDOM_ORDER = "random_order"  # the review queue in random order, not by cleanlab's ranking; kept across pages
BATCH_SIZE = "batch_size"  # how many of the top suggestions "Accept the top k" takes
WHOLE_QUEUE = "found_whole_queue"  # the found-vs-reviewed chart unzoomed
BULK_KIND = "bulk_kind"  # the bulk filter's kind of rows
QUEUE_PROBLEM = "queue_problem"  # which problem the review queue shows (bulk.ALL: every item); kept across pages
COLLECT_BUDGET = "collect_budget"  # rows to collect from the reserve for the chosen slice (ui/slice_work.py)

# ---- Find the weak slice and After deployment ---------------------------------------------------------------------
SLICE_FOCUS = "slice_focus"  # the slice chosen to work on (ui/myslices.py): its conditions, score and gain then
SLICE_TO_REVIEW = "slice_to_review"  # the priority table's row picked on Find the weak slice
REVEALED_WEEKS = "revealed_weeks"  # {(stream's topic, week)} whose true accuracy this session revealed
DEPLOY_STRATEGY = "deploy_strategy"  # the strategy that picks this week's items to label
DEPLOY_BUDGET = "deploy_budget"  # items to label this week, as the week's form shows it
DEPLOY_BUDGET_WANTED = "deploy_budget_wanted"  # the budget the learner typed; a week that offers fewer caps it, once
REPLAY_BUDGET = "replay_budget"  # items a week for every strategy in the replay

# ---- Label consistently's instructions exercise (ui/labelling.py) --------------------------------------------------
LABEL_UNDER = "label_under"  # which version of the instruction the learner labels under (its place in the list)
PART_LABEL = "part_label_{}_{}"  # a part's radio, per version (its place in the list) and part
PARTS_SAVED = "parts_saved"  # the one-time message after saving the labels

# ---- Your data (ui/yourdata.py) -----------------------------------------------------------------------------------
YOURDATA_FILE = "yourdata_file"  # the file being set up (its SHA-256); the newest file after a refresh
YOURDATA_HINTS = "yourdata_hints"  # {sha: hints} of the files set up: "label", "text" and "test_file" from a Hub
# load; "encoding", the text encoding the learner chose for an upload (yourdata.DETECTED: none), for the session
YOURDATA_SEEN = "yourdata_seen_uploads"  # {upload id: why it was refused, or ""}: a rerun stores none twice

# ---- The classroom: a learner's side (ui/classroom.py) and the instructor's (ui/teaching.py, pages/teach.py) ---------
JOIN_CODE = "join_code_typed"  # the join form's room code, filled from a join link
JOIN_LINKED = "join_code_linked"  # the room a join link brought this session to, until it joins it or stays
RECEIPT = "challenge_receipt"  # the sentence about the last submission
SIGNED_IN = "instructor_signed_in"  # True once the instructor's passcode was right in this session
SIGNED_OUT = "instructor_signed_out"  # overrides the cookie the session arrived with (Streamlit reads cookies once)
COOKIE_TO_WRITE = "instructor_cookie_to_write"  # the instructor's token to write to the cookie next run ("" drops it)
TEACH_ROOM = "teach_room"  # the room the instructor looks at, also in the URL as ?room=
TEACH_ROOM_PICKED = "teach_room_picked"  # the room picker's widget
NEW_ROOM_SEED = "new_room_seed"  # the seed the new-room form offers, drawn once a session
HIDE_NAMES = "hide_{}"  # a room's (its code) toggle: names hidden on the leaderboard
RESET_SURE = "reset_sure_{}"  # a room's (its code) confirmation before a reset

# Keys about the open workspace: a session that opens another (or starts afresh) forgets them.
PER_WORKSPACE = frozenset(
    {RESUME_CODE, VIEW_TOKEN, RECEIPT, PARTS_SAVED, SLICE_FOCUS, REVEALED_WEEKS, LAST_CHANGE, LAST_CHANGE_SHOWN}
)
