"""A click's run outlives its page: ASGI middleware that holds back a browser's disconnect from Streamlit until the run
the browser's last click asked for has finished.

Streamlit stops a session's script when its WebSocket closes, a run it has not yet begun included. A learner who
clicks and reloads at once (or closes the tab) would lose the click: its callback, which writes the action to the
store, never ran. So while a click's run is pending, this middleware keeps the disconnect to itself (what the run
sends meanwhile goes nowhere, as it would have) and hands it on when the run finishes, or after ``LINGER_SECONDS``.
A run the page asked for without a click (its first load, a rerun) is stopped at once, as before.

The page that replaces it (a reload, the same work in another tab) must not read the work before that click is in:
while a click of a browser's is pending in this process, ``settled`` waits for it (a browser is known by the cookie
``serving`` gives it with its first page, before it has a workspace). A reload that lands on
another process does not wait: the proxy's sticky cookie keeps a browser on one process.

It reads Streamlit's own messages (``streamlit.proto``): a BackMsg's rerun request and its widgets' triggers, and a
ForwardMsg's ``script_finished``; anything it cannot read passes as it came.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from http.cookies import CookieError, SimpleCookie

from datacentric import serving

LINGER_SECONDS = 30.0  # an action's run takes well under this, a cold one on 2 busy cores included
SMALL = 512  # bytes: a script_finished message is a few dozen; larger ones are never read
SETTLE_SECONDS = 10.0  # the longest a new page waits for another page's click of the same work

_pending: Counter = Counter()  # a browser's cookie -> its connections with a click's run pending
_changed = threading.Condition()


def _pend(key: str, by: int) -> None:
    with _changed:
        _pending[key] += by
        if _pending[key] <= 0:
            del _pending[key]
        _changed.notify_all()


def settled(key: str | None, timeout: float = SETTLE_SECONDS) -> bool:
    """Wait until no click of the browser ``key`` names (its cookie's value) is pending in this process, at most
    ``timeout`` seconds; whether none is."""
    if not key:
        return True
    with _changed:
        return _changed.wait_for(lambda: not _pending.get(key), timeout)


def cookie_of(scope, name: str) -> str | None:
    """The cookie ``name`` in an ASGI connection's request headers."""
    jar = SimpleCookie()
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:
                return None
    return jar[name].value if name in jar else None


def clicked(data: bytes | None) -> bool:
    """Whether a browser's message asks for a run because a button was clicked (a trigger set, a form submitted)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    if not data:
        return False
    message = BackMsg()
    try:
        message.ParseFromString(data)
    except Exception:  # Streamlit answers a malformed message itself
        return False
    if message.WhichOneof("type") != "rerun_script":
        return False
    return any(
        w.WhichOneof("value") in ("trigger_value", "string_trigger_value", "json_trigger_value")
        for w in message.rerun_script.widget_states.widgets
    )


def finished(data: bytes | None) -> bool:
    """Whether a message to the browser says a run ended for good (not cut short by the rerun that follows it)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if not data or len(data) > SMALL:
        return False
    message = ForwardMsg()
    try:
        message.ParseFromString(data)
    except Exception:
        return False
    return (
        message.WhichOneof("type") == "script_finished"
        and message.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
    )


class Linger:
    """ASGI middleware: a WebSocket's disconnect reaches the app once the run of its last click has finished."""

    def __init__(self, app, cookie: str = serving.BROWSER_COOKIE, seconds: float = LINGER_SECONDS):
        self.app, self.cookie, self.seconds = app, cookie, seconds

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        work = cookie_of(scope, self.cookie) or ""
        done = asyncio.Event()
        done.set()  # no click's run pending
        gone = False  # the browser has left

        def settle():
            if not done.is_set():
                done.set()
                _pend(work, -1)

        async def watched_receive():
            nonlocal gone
            message = await receive()
            if message["type"] == "websocket.receive" and clicked(message.get("bytes")) and done.is_set():
                done.clear()
                _pend(work, +1)
            elif message["type"] == "websocket.disconnect" and not done.is_set():
                gone = True
                try:
                    await asyncio.wait_for(done.wait(), self.seconds)
                except TimeoutError:
                    pass
            return message

        async def watched_send(message):
            nonlocal gone
            if message["type"] == "websocket.send" and finished(message.get("bytes")):
                settle()
            if gone:
                return  # nobody to send it to
            try:
                await send(message)
            except OSError:  # the browser left before its disconnect was read (uvicorn's ClientDisconnected)
                if done.is_set():
                    raise
                gone = True

        try:
            await self.app(scope, watched_receive, watched_send)
        finally:
            settle()
