"""A minimal client of Streamlit 1.67's browser protocol, so a benchmark can drive many sessions and measure the
server alone (no browser rendering on the same cores).

A browser talks to the server over one websocket, ``/_stcore/stream``: it sends BackMsgs (a ``rerun_script``
carrying the page, the query string and the widgets' states) and receives ForwardMsgs (a ``new_session`` at the
start of each run, deltas drawing elements at delta paths, ``script_finished`` at its end). This client does the
same and keeps what a learner acts on: the elements, by delta path, so a fragment's rerun replaces what it redraws,
and what a run did not redraw is dropped when it finishes, as the frontend drops its stale elements. It reads
buttons, metrics and the html of ``st.html`` elements; everything else is kept but never looked at.

Use: ``async with connect(port, cookie) as client: await client.load("fix_labels", query)``, then
``client.button("Accept suggestion")`` and ``await client.click(button, watch=("Actions taken", "1"))``.
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect as ws_connect

# The frontend offers "streamlit", then its XSRF token (or this placeholder) and, on a reconnect, its last session
# id. The token only guards st.login's auth cookie, so a client without one connects as an anonymous browser.
SUBPROTOCOLS = ["streamlit", "PLACEHOLDER_AUTH_TOKEN"]
MAX_CACHED_AGE = 2  # runs a cached message survives unused: Streamlit's global.maxCachedMessageAge default


@dataclass
class Drawn:
    """One element on the page (``element`` None for a container block), the run that drew it, and the
    ``st.fragment`` it was drawn in ('' outside any): a click inside a fragment reruns that fragment alone."""

    element: Element | None
    run: int
    fragment_id: str


@dataclass
class Cached:
    """A message the server may later send by reference only (``ref_hash``), as the frontend caches it."""

    msg: ForwardMsg
    fragment_id: str
    last_run: int


@dataclass(frozen=True)
class Run:
    """When (``time.perf_counter()``) a watched metric first showed its value (None if it never did), and when
    the run ended."""

    shown_at: float | None
    finished_at: float


class StreamlitClient:
    """One browser tab's session: load a page, read what it drew, click its buttons."""

    def __init__(self, socket, base: str):
        self._socket = socket
        self._base = base  # http://host:port, for the URL the page reports (st.context.url)
        self.drawn: dict[tuple[int, ...], Drawn] = {}
        self.page_name = ""
        self.page_script_hash = ""  # the current page, as the last `navigation` message named it
        self.query_string = ""  # the address bar's, which the app may rewrite (`page_info_changed`)
        self._run = 0  # runs started (`new_session` messages), to tell fresh elements from stale ones
        self._fragments: list[str] = []  # the fragments the current run reruns; empty for a whole-app run
        self._cache: dict[str, Cached] = {}
        self.auto_reruns: dict[str, float] = {}  # fragment id -> seconds: the st.fragment(run_every=...) on the page

    async def load(self, page_name: str, query_string: str) -> Run:
        """Open a page as a browser arriving at ``/<page_name>?<query_string>`` does, and wait for its run to end."""
        self.page_name, self.query_string = page_name, query_string
        await self._rerun(page_name=page_name)
        return await self._until_finished()

    async def click(self, button: Drawn, watch: tuple[str, str] | None = None) -> Run:
        """Click ``button`` and wait for the run it starts to end; ``watch`` (a metric's label and a value) also
        times when that metric first shows that value."""
        if button.element.button.disabled:
            raise ValueError(f"the button {button.element.button.label!r} is disabled")
        pressed = WidgetState(id=button.element.button.id, trigger_value=True)
        await self._rerun(widgets=(pressed,), fragment_id=button.fragment_id)
        return await self._until_finished(watch)

    async def rerun_fragment(self, fragment_id: str) -> Run:
        """What the frontend sends every ``run_every`` seconds for an ``st.fragment(run_every=...)``: a rerun of
        that fragment alone, with no widget changed; waits for the run to end."""
        await self._rerun(fragment_id=fragment_id)
        return await self._until_finished()

    def elements(self, kind: str) -> list[Drawn]:
        """The elements of one kind ("button", "metric", "iframe", "exception"...), in delta path order."""
        return [
            self.drawn[path]
            for path in sorted(self.drawn)
            if self.drawn[path].element is not None and self.drawn[path].element.WhichOneof("type") == kind
        ]

    def button(self, label_prefix: str) -> Drawn:
        """The first button whose label starts with ``label_prefix``."""
        found = [b for b in self.elements("button") if b.element.button.label.startswith(label_prefix)]
        if not found:
            errors = [e.element.exception.message for e in self.elements("exception")]
            shown = f"; the page shows errors: {errors}" if errors else ""
            raise LookupError(f"no button labelled {label_prefix!r}…{shown}")
        return found[0]

    def metrics(self) -> dict[str, str]:
        """Every ``st.metric`` on the page: its label and its value as shown."""
        return {m.element.metric.label: m.element.metric.body for m in self.elements("metric")}

    def html(self) -> list[str]:
        """The html of every ``st.html`` element."""
        return [e.element.html.body for e in self.elements("html") if e.element.html.body]

    def cookie_written(self, name: str) -> str | None:
        """The value of cookie ``name`` that the page hands over, if it does: the server sets a cookie in its answer
        to an invisible image the page draws (``datacentric.serving``); a browser would load it at once and send the
        cookie with its next connection, so this client asks for the image too and reads the answer's Set-Cookie."""
        import urllib.request
        from http.cookies import SimpleCookie

        for html in self.html():
            for address in re.findall(r'<img src="([^"]*_dcp/cookie/[^"]+)"', html):
                with urllib.request.urlopen(f"{self._base}/{address.lstrip('/')}", timeout=10) as answer:
                    for header in answer.headers.get_all("Set-Cookie") or []:
                        jar = SimpleCookie(header)
                        if name in jar:
                            return jar[name].value
        return None

    async def _rerun(
        self, *, widgets: tuple[WidgetState, ...] = (), fragment_id: str = "", page_name: str = ""
    ) -> None:
        """Send what the frontend's ``sendRerunBackMsg`` sends. On a first load the page goes by name and the
        hash is empty; afterwards by the hash the server named. The frontend sends every widget's value, but the
        server keeps a widget's last value when the message leaves it out, so the clicked button is enough."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = page_name
        state.page_script_hash = "" if page_name else self.page_script_hash
        state.fragment_id = fragment_id
        state.widget_states.widgets.extend(widgets)
        state.cached_message_hashes.extend(self._cache)
        state.context_info.url = f"{self._base}/{self.page_name}?{self.query_string}"
        await self._socket.send(msg.SerializeToString())

    async def _until_finished(self, watch: tuple[str, str] | None = None) -> Run:
        """Apply the server's messages until a run ends for good (not early, to make way for a rerun the script
        asked for, such as ``st.switch_page`` or ``st.rerun``)."""
        shown_at = None
        while True:
            msg = self._resolve(ForwardMsg.FromString(await self._socket.recv()))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self._run += 1
                self._fragments = list(msg.metadata.run.fragment_ids)
            elif kind == "navigation":
                self.page_script_hash = msg.navigation.page_script_hash
            elif kind == "auto_rerun":
                self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta":
                self._draw(msg)
                if shown_at is None and watch and _shows(msg, *watch):
                    shown_at = time.perf_counter()
            elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                finished_at = time.perf_counter()
                self._drop_stale()
                return Run(shown_at, finished_at)

    def _draw(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        kind = delta.WhichOneof("type")
        if kind in ("new_element", "add_block"):  # a new_transient (a spinner, a toast) is nothing to act on
            element = delta.new_element if kind == "new_element" else None
            self.drawn[tuple(msg.metadata.delta_path)] = Drawn(element, self._run, delta.fragment_id)

    def _in_this_run(self, fragment_id: str) -> bool:
        return not self._fragments or fragment_id in self._fragments

    def _drop_stale(self) -> None:
        """At the end of a run, what it could have redrawn and did not is gone (the frontend's clearStaleNodes);
        cached messages it left unused age, and go after MAX_CACHED_AGE runs (the frontend's incrementRunCount)."""
        for path, drawn in list(self.drawn.items()):
            if drawn.run != self._run and self._in_this_run(drawn.fragment_id):
                del self.drawn[path]
        for key, cached in list(self._cache.items()):
            if self._in_this_run(cached.fragment_id) and self._run - cached.last_run > MAX_CACHED_AGE:
                del self._cache[key]

    def _resolve(self, msg: ForwardMsg) -> ForwardMsg:
        """Cache what the server marks cacheable; put a cached message back where a ``ref_hash`` stands for it
        (the server sends a reference only for a hash this client listed in its last rerun request)."""
        if msg.WhichOneof("type") == "ref_hash":
            cached = self._cache[msg.ref_hash]
            cached.last_run = self._run
            full = ForwardMsg()
            full.CopyFrom(cached.msg)
            full.metadata.CopyFrom(msg.metadata)
            return full
        if msg.metadata.cacheable and msg.hash not in self._cache:
            self._cache[msg.hash] = Cached(msg, msg.delta.fragment_id, self._run)
        return msg


def _shows(msg: ForwardMsg, label: str, value: str) -> bool:
    metric = msg.delta.new_element.metric
    return msg.delta.new_element.WhichOneof("type") == "metric" and metric.label == label and metric.body == value


@contextlib.asynccontextmanager
async def connect(port: int, cookie: str | None = None, host: str = "127.0.0.1"):
    """A session on the server at ``host:port``, connected as a browser page on that origin; ``cookie`` is the
    ``Cookie`` header its handshake carries (``st.context.cookies`` reads it), e.g. ``"dcp_workspace=..."``."""
    base = f"http://{host}:{port}"
    socket = await ws_connect(
        f"ws://{host}:{port}/_stcore/stream",
        origin=base,
        subprotocols=SUBPROTOCOLS,
        additional_headers={"Cookie": cookie} if cookie else None,
        max_size=None,  # the server's own limit (server.maxMessageSize) applies
        ping_interval=None,  # a browser never pings; the server's pings are answered all the same
        open_timeout=None,
        proxy=None,
    )  # the caller times the whole load; never through an HTTP proxy
    try:
        yield StreamlitClient(socket, base)
    finally:
        await socket.close()
