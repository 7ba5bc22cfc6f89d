"""Per-session state: the scenario, kept in step with the URL, and the workspace, kept in a browser cookie.

The workspace id is a secret (it opens the work, Undo included), so it never sits in the address bar, where a
projector or a copied link would hand it over: the browser keeps it in a cookie, and another device gets back
in with the workspace's resume code. A link from before (``?ws=...``) still opens its workspace, then the
address bar drops it. A read-only view link (``?view=...``, ``datacentric.persistence.viewing``) shows a workspace to
someone else: that session reads the store through ``viewing.ReadOnlyStore`` and never touches the cookie, so
nothing it does can change the work. Session state holds only small things (a scenario, an id, messages); the work lives
in
the store.
"""

from __future__ import annotations

import streamlit as st

from datacentric import serving
from datacentric.common.display import plain
from datacentric.lab.lab import Lab
from datacentric.lab.scenario import Scenario, parse_scenario
from datacentric.lab.worklog import WORKSPACE_ID, Action, new_workspace_id
from datacentric.persistence import viewing
from datacentric.ui import keys, linger, services

COOKIE = serving.WORKSPACE_COOKIE  # the browser's cookie holding its workspace id (given with its first page)
COOKIE_DAYS = serving.WORKSPACE_DAYS
_PER_WORKSPACE = set(keys.PER_WORKSPACE)  # session keys about the open workspace: dropped when another opens


def shadow_of(key: str) -> str:
    """The session key where ``kept`` keeps a widget's value while the widget is not drawn."""
    return f"kept_{key}"


def kept(key: str, default, *, allowed=None, shadow: str | None = None) -> dict:
    """Keyword arguments for a widget whose value survives a page switch (Streamlit forgets a widget's value
    when a page without it runs): a shadow copy outside the widget restores it. ``allowed``: the values it may
    take now; a kept value outside them falls back to ``default``. Widgets on several pages that share one
    ``shadow`` keep one value."""
    shadow = shadow or shadow_of(key)
    value = st.session_state.get(shadow, default)
    value = value if allowed is None or value in allowed else default
    if key not in st.session_state or (shadow in st.session_state and st.session_state[key] != value):
        st.session_state[key] = value  # another page's widget with the same shadow may have changed it

    def keep() -> None:
        st.session_state[shadow] = st.session_state[key]

    return {"key": key, "on_change": keep}


def current_scenario() -> Scenario:
    """The session's scenario; read from the URL on the session's first run."""
    if keys.SCENARIO not in st.session_state:
        _init_from_url()
    return st.session_state[keys.SCENARIO]


def set_scenario(scenario: Scenario) -> None:
    """Make ``scenario`` the session's (and the URL's); a challenge room's learner stays on the room's."""
    if scenario == current_scenario():
        return
    if pinned() is not None:  # the pickers are drawn disabled; a callback that still asks is refused here
        st.session_state[keys.NOTICES] = [PINNED_NOTICE]
        return
    st.session_state[keys.SCENARIO] = scenario
    st.session_state[keys.NOTICES] = []
    sync_url()


PINNED_NOTICE = (
    "You are in a classroom challenge: this session stays on the room's scenario (its data, split, "
    "noise and budget), whatever a link or a picker asks."
)


def pinned() -> Scenario | None:
    """The room's scenario when this session's workspace is a learner's in a challenge room's current round: no
    URL, picker or page may move the session off it (its split, held-out items and budget are the room's)."""
    current_scenario()
    return st.session_state.get(keys.PINNED)


def _pin(ws: str | None) -> Scenario | None:
    if not ws:
        return None
    from datacentric.classroom.roster import Roster

    found = Roster(services.get_store()).membership(ws)
    if not found or found[0].challenge is None or found[1].round != found[0].round:
        return None
    return parse_scenario(found[0].scenario)[0]


def workspace_id() -> str | None:
    current_scenario()
    return st.session_state[keys.WORKSPACE]


def read_only() -> bool:
    """True in a session opened by a read-only view link: it shows someone's work and can change nothing."""
    current_scenario()
    return keys.VIEWING in st.session_state


def get_store():
    """The store as this session may use it: read-only in a read-only view."""
    store = services.get_store()
    return viewing.ReadOnlyStore(store) if read_only() else store


def writable(disabled: bool = False) -> dict:
    """Keyword arguments for a widget that changes the work: off in a read-only view."""
    return {"disabled": disabled or read_only()}


def notices() -> list[str]:
    current_scenario()
    return st.session_state[keys.NOTICES]


PAGE_PARAMS = ("lesson", "present", "room")  # parameters a page (or the presenter view) owns; kept as they are
# URL parameters kept in the session, so that every page writes them back: parameter -> its session copy.
URL_COPIES = {
    "panel": keys.PANEL,
    "drift": keys.DRIFT,
}


def from_url_copy(param: str, parse):
    """What the session's copy of URL parameter ``param`` (a ``URL_COPIES`` key) names, by ``parse`` (params ->
    (value, problems)); None without one. A value that cannot be read is named in a warning and dropped, and
    ``parse``'s default comes back."""
    code = st.session_state.get(URL_COPIES[param])
    if not code:
        return None
    found, problems = parse({param: code})
    for problem in problems:
        st.warning(plain(problem), icon=":material/link_off:")
        del st.session_state[URL_COPIES[param]]
        sync_url()
    return found


def keep_in_url(param: str, code: str) -> None:
    """Set URL parameter ``param`` (a ``URL_COPIES`` key) to ``code``, here and on every page after."""
    st.session_state[URL_COPIES[param]] = code
    sync_url()


def sync_url() -> None:
    """Write the scenario (and workspace, once there is one) into the URL, keeping a page's own parameters."""
    params = current_scenario().to_params()  # never the workspace: it lives in a cookie
    if read_only():
        params[viewing.PARAM] = st.session_state[keys.VIEWING]  # a view link stays one on every page
    if st.session_state.get(keys.METRIC, "auto") != "auto":
        params["metric"] = st.session_state[keys.METRIC]
    params |= {param: st.session_state[copy] for param, copy in URL_COPIES.items() if st.session_state.get(copy)}
    params |= {key: st.query_params[key] for key in PAGE_PARAMS if key in st.query_params}
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def log() -> list[Action]:
    """This learner's action log for the current scenario."""
    ws = workspace_id()
    return get_store().log(ws, current_scenario().slug) if ws else []


def ensure_workspace() -> str:
    """The learner's workspace id, creating the workspace on first use under the id the browser's cookie already
    holds (``keys.PENDING``), so a reload right after the first action finds the work."""
    ws = workspace_id()
    if read_only():
        raise viewing.ReadOnly("a new workspace")
    if ws is None:
        ws = get_store().create_workspace(
            current_scenario().to_params(), workspace_id=st.session_state.get(keys.PENDING)
        )
        st.session_state[keys.WORKSPACE] = ws
        st.session_state[keys.NEW_WORKSPACE] = True
    return ws


def record(new_actions: list[Action], *, after: int | None = None) -> None:
    """Write actions to the store before anything reports them; ``after``: the log's length they were chosen on
    (``store.LogMoved`` if another append came first)."""
    scenario = current_scenario()
    get_store().append(ensure_workspace(), scenario.slug, new_actions, scenario.to_params(), after=after)


def runs() -> list[dict]:
    """This learner's training runs on the current scenario, oldest first."""
    ws = workspace_id()
    return get_store().runs(ws, current_scenario().slug) if ws else []


def add_run(record: dict) -> None:
    scenario = current_scenario()
    get_store().add_run(ensure_workspace(), scenario.slug, record, scenario.to_params())


def events(topic_prefix: str) -> list[tuple[str, dict]]:
    ws = workspace_id()
    return get_store().events(ws, topic_prefix) if ws else []


def records(topic: str) -> list[dict]:
    """This learner's records under exactly ``topic`` (not a longer topic that starts alike), oldest first."""
    return [record for name, record in events(topic) if name == topic]


def add_event(topic: str, record: dict) -> None:
    get_store().add_event(ensure_workspace(), topic, record)


def start_afresh() -> None:
    """A fresh workspace on the same scenario, open in this session (and then in this browser's cookie); the
    work before stays in the store, behind its resume code. For a demo to start again in front of a class."""
    if read_only():
        raise viewing.ReadOnly("a fresh start")
    for key in _PER_WORKSPACE:
        st.session_state.pop(key, None)
    st.session_state[keys.WORKSPACE] = get_store().create_workspace(current_scenario().to_params())
    st.session_state[keys.PINNED] = None  # a fresh workspace is in no room


def app_rerun_pending() -> bool:
    """True in a run that made the workspace: the whole app runs once more after it, so a one-time message must
    be kept for that run."""
    return bool(st.session_state.get(keys.NEW_WORKSPACE))


def rerun_app_if_workspace_is_new() -> None:
    """A fragment that created the workspace reruns the whole app, so the sidebar shows its link."""
    if st.session_state.pop(keys.NEW_WORKSPACE, False):
        st.rerun(scope="app")


def scenario_link() -> str:
    """A link to this scenario for anyone: the same data and noise, fresh work."""
    from urllib.parse import urlencode, urlsplit

    url = urlsplit(st.context.url or "")
    base = f"{url.scheme}://{url.netloc}/" if url.netloc else "/"
    return f"{base}?{urlencode(current_scenario().to_params())}"


def resume_code() -> str | None:
    """This learner's resume code, or None before their first action (and always in a read-only view)."""
    if not workspace_id() or read_only():
        return None
    return _once_per_workspace(keys.RESUME_CODE, get_store().resume_code)


def view_link() -> str | None:
    """A link that shows this learner's work read-only, or None before their first action."""
    if not workspace_id():
        return None
    token = (
        st.session_state[keys.VIEWING] if read_only() else _once_per_workspace(keys.VIEW_TOKEN, get_store().view_token)
    )
    return f"{scenario_link()}&{viewing.PARAM}={token}"


def _once_per_workspace(key: str, read):
    """``read(workspace)``, kept in the session under ``key`` for the open workspace: a workspace's codes never
    change, so the store is asked once per session."""
    ws = workspace_id()
    known = st.session_state.get(key)
    if not known or known[0] != ws:
        known = st.session_state[key] = (ws, read(ws))
    return known[1]


def resume_with(typed: str, attempts) -> tuple[bool, str]:
    """Open the workspace a typed resume code names, in this session (and then in this browser's cookie).
    Returns (whether it opened, what happened in a sentence); ``attempts`` (``resume.Limiter``) limits wrong guesses
    per client, and never refuses a right code because others on this address typed wrong ones."""
    from datacentric.persistence import resume

    code = resume.normalised(typed)
    if code is None:  # a typo that can be no code (a 0 or an O, too short) is no guess: not counted
        return False, (
            f"That is not a resume code: {resume.LENGTH} letters and digits, as shown in the sidebar "
            "where you started (there is no 0, 1, I, L or O in a code)."
        )
    with st.spinner("Checking the code..."), attempts.attempt(guesser()) as turn:
        if turn.wait:
            return False, f"Too many wrong codes: {resume.waiting(turn.wait)}."
        ws = services.get_store().by_code(code)
        if ws is None:
            turn.failed(tried=code)
            return False, (
                f"No workspace has that code. Check it: {resume.LENGTH} letters and digits, as shown in "
                "the sidebar where you started."
            )
    open_workspace(ws)
    return True, "Welcome back: your work is open."


def open_workspace(ws: str) -> None:
    """Open the workspace ``ws`` in this session, on the scenario it last worked on (and then in this browser's
    cookie): nothing of the workspace open before, and no read-only view, stays."""
    for key in (*_PER_WORKSPACE, keys.VIEWING):
        st.session_state.pop(key, None)
    st.session_state[keys.WORKSPACE] = ws
    room = st.session_state[keys.PINNED] = _pin(ws)
    scenario, _ = parse_scenario(services.get_store().last_scenario(ws) or {})
    st.session_state[keys.SCENARIO] = room or scenario
    sync_url()


def guesser():
    """Who is guessing (``resume.Client``): this session, and the peer's address as Streamlit reports it (the
    forwarded one only from a proxy the server trusts). Streamlit reports none for 127.0.0.1 and ::1: that is a
    same-host connection, counted as one address (``resume.LOOPBACK``), so it is no way around the limits."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from datacentric.persistence import resume

    address = getattr(st.context, "ip_address", None)
    context = get_script_run_ctx()  # st.session_state is one proxy for every session: its id names none
    return resume.Client(
        f"session {context.session_id if context else 'unknown'}",
        address if isinstance(address, str) and address else resume.LOOPBACK,
    )


def remember_workspace() -> None:
    """Keep this session's workspace id in the browser's cookie, so a reload or a restart finds the work with nothing
    in the URL. The server gives a new browser its id with its first page (``serving.Server``), and the first action
    creates the workspace under it (``keys.PENDING``); a cookie is written here only when the session's workspace is
    not the one its browser arrived with (work resumed by its code, a room joined, no id given by the server)."""
    if read_only():  # a view of someone's work never becomes this browser's own
        return
    ws = workspace_id() or st.session_state.get(keys.PENDING)
    if not ws or st.session_state.get(keys.COOKIE_HELD) == ws:
        return
    # The image is drawn again on every run until the browser has asked for it: a run that follows at once (a
    # rerun, another page) takes the last run's image off the page, maybe before the browser fetched it.
    sent_for, token = st.session_state.get(keys.COOKIE_SENT) or (None, None)
    state = serving.TICKETS.state(token) if sent_for == ws and token else "gone"
    if state == "redeemed":
        st.session_state[keys.COOKIE_HELD] = ws
        return
    token = write_cookie(COOKIE, ws, max_age=COOKIE_DAYS * 86400, token=token if state == "waiting" else None)
    st.session_state[keys.COOKIE_SENT] = (ws, token)


def write_cookie(name: str, value: str, *, max_age: int, samesite: str = "lax", token: str | None = None) -> str:
    """Set a cookie in this browser, HttpOnly (no script on the page can read it) and Secure over HTTPS: the server
    sets it in its answer to an invisible image this run draws (``serving``); ``max_age`` 0 drops it. Served without
    app.py (a test, ``streamlit run frame/navigation.py``), nothing answers the image and no cookie is set. Returns
    the image's ticket; ``token``: a ticket still waiting, drawn again (the same image, not a second one)."""
    address = serving.cookie_address(serving.Cookie(name, value, max_age, samesite), token=token)
    st.html(f'<img src="{address}" alt="" width="1" height="1" style="position:absolute;opacity:0">')
    return address.removeprefix(serving.COOKIE_ROUTE)


def cookie(name: str) -> str | None:
    """The cookie ``name`` as the session's browser sent it when the session began (Streamlit reads them once)."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no browser (a test, a script): no cookie
        return None
    return value if isinstance(value, str) else None  # AppTest's context is a stand-in


def lab(scenario: Scenario | None = None) -> Lab:
    """The lab of ``scenario`` (the session's by default): the one way pages and their callbacks load a lab, so a
    learner's own dataset is read only for the workspace that owns it, whatever put the scenario in the session."""
    return services.lab_for(workspace_id(), scenario or current_scenario())  # PermissionError: not this workspace's


def owns(workspace: str | None, dataset: str) -> bool:
    return services.get_store().dataset_record(workspace, dataset) is not None  # a read: no session needed


def describe() -> str:
    """The current scenario in words, with the learner's title for their own dataset."""
    return current_scenario().describe(title())


def title() -> str:
    """The current dataset's title: a built-in's, or the name this learner gave their own."""
    from datacentric.data.catalog import DATASETS

    scenario = current_scenario()
    if not scenario.is_users:
        return DATASETS[scenario.dataset].title
    return next((d["title"] for d in user_datasets() if d["key"] == scenario.dataset), "Your data")


def user_datasets() -> list[dict]:
    """This learner's own datasets, newest first: key, title, sha, spec."""
    return get_store().datasets(workspace_id())


def _init_from_url() -> None:
    params = {key: st.query_params[key] for key in st.query_params}
    scenario, problems = parse_scenario(params)
    linked = params.get("ws")  # a link from before the cookie: it opens its workspace once, then leaves the URL
    held = cookie(COOKIE)
    linger.settled(cookie(serving.BROWSER_COOKIE))  # a click this browser made just before this page is stored first
    ws = linked or held
    token = params.get(viewing.PARAM)
    if token:
        shown = services.get_store().by_view(token)
        if shown:
            ws, linked = shown, None
        else:
            token = None
            problems.append(
                "This read-only link does not show any saved work (it may be mistyped); you are on your "
                "own work instead."
            )
    if ws:
        last = services.get_store().last_scenario(ws)
        if last is None:
            if linked:
                problems.append("No saved work was found for the workspace in this link; you are starting afresh.")
            ws = None
        elif not set(params) & set(scenario.to_params()):
            scenario, _ = parse_scenario(last)  # a bare workspace link opens where the learner left off
    if scenario.is_users and not owns(ws, scenario.dataset):
        problems.append(
            "The dataset in this link was uploaded into a private workspace, and this link does not "
            "open that workspace; showing the handwritten digits instead."
        )
        scenario = Scenario(noise=scenario.noise, rate=scenario.rate, seed=scenario.seed)
    room = _pin(ws)
    if room is not None and scenario != room:
        problems = [PINNED_NOTICE]  # what the link asked for is moot: the room's scenario it is
        scenario = room
    st.session_state[keys.PINNED] = room
    if token:
        st.session_state[keys.VIEWING] = token  # set here, with the rest: a failure above leaves no half-made view
    # The id a first action will create the workspace under: the cookie's, if it names no workspace yet (this browser
    # was given it before its first action), else a new one, written to the cookie on this first run.
    fresh = held if held and not ws and WORKSPACE_ID.match(held) else None
    st.session_state[keys.PENDING] = None if token else fresh or new_workspace_id()
    st.session_state[keys.COOKIE_HELD] = held
    st.session_state[keys.WORKSPACE] = ws
    st.session_state[keys.NOTICES] = problems
    st.session_state[keys.SCENARIO] = scenario  # last: its presence says the session is set up
    from datacentric.common.metrics import METRICS

    if params.get("metric") in METRICS:  # a refresh, or a shared link, keeps the headline the learner picked
        st.session_state.setdefault(keys.METRIC, params["metric"])
    for param, copy in URL_COPIES.items():  # read (and refused if unreadable) by the page that owns it
        if params.get(param):
            st.session_state.setdefault(copy, params[param])
