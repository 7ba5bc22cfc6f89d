"""A click's run outlives its page (datacentric/ui/linger.py): the browser's disconnect reaches Streamlit once the run
its last click asked for has finished, and a new page of the same browser waits for it; other disconnects pass at
once. Streamlit's own messages, built with its protobufs, stand for the browser's and the server's."""

import asyncio
import threading

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from datacentric import serving
from datacentric.ui import linger
from tests.aio import run_apart

BROWSER = "b-123"


def rerun(*, click: bool) -> bytes:
    message = BackMsg()
    widget = message.rerun_script.widget_states.widgets.add()
    widget.id = "$$ID-accept"
    if click:
        widget.trigger_value = True
    else:
        widget.int_value = 3
    return message.SerializeToString()


def script_finished(status) -> bytes:
    message = ForwardMsg()
    message.script_finished = status
    return message.SerializeToString()


FINISHED = script_finished(ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY)
CUT_SHORT = script_finished(ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN)


def test_a_click_is_a_rerun_with_a_trigger_and_a_run_ends_unless_cut_short_for_a_rerun():
    assert linger.clicked(rerun(click=True))
    assert not linger.clicked(rerun(click=False))  # a slider moved, a first load: no click
    assert not linger.clicked(b"\x00garbage") and not linger.clicked(None)
    assert linger.finished(FINISHED)
    assert not linger.finished(CUT_SHORT)
    assert not linger.finished(b"x" * (linger.SMALL + 1))


class Browser:
    """A WebSocket as the middleware sees it: what the browser sends, then its disconnect; what reaches it."""

    def __init__(self, *messages: bytes):
        self.incoming = [
            {"type": "websocket.connect"},
            *({"type": "websocket.receive", "bytes": m} for m in messages),
            {"type": "websocket.disconnect", "code": 1001},
        ]
        self.received = []

    async def receive(self):
        return self.incoming.pop(0)

    async def send(self, message):
        self.received.append(message)


def streamlit_app(events: list, *, finish_after: float):
    """Stands for Streamlit: reads until the disconnect, noting when it came; a click's run sends its end
    ``finish_after`` seconds after the click, as the script thread would, disconnect or not."""

    async def app(scope, receive, send):
        runs = []
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                events.append("disconnect seen")
                break
            if linger.clicked(message.get("bytes")):

                async def run():
                    await asyncio.sleep(finish_after)
                    events.append("run finished")
                    await send({"type": "websocket.send", "bytes": FINISHED})

                runs.append(asyncio.create_task(run()))
        await asyncio.gather(*runs)

    return app


def scope(browser: str | None = BROWSER):
    headers = [(b"cookie", f"{serving.BROWSER_COOKIE}={browser}; other=1".encode())] if browser else []
    return {"type": "websocket", "path": "/_stcore/stream", "headers": headers}


def test_a_disconnect_right_after_a_click_waits_for_its_run_and_the_browsers_next_page_waits_too():
    events, browser = [], Browser(rerun(click=True))
    middleware = linger.Linger(streamlit_app(events, finish_after=0.3))
    waited = {}

    def next_page():  # the reload's first run, in its own thread, as Streamlit's script thread
        waited["settled"] = linger.settled(BROWSER, timeout=5)
        events.append("next page read the work")

    async def main():
        task = asyncio.create_task(middleware(scope(), browser.receive, browser.send))
        await asyncio.sleep(0.05)  # the click is in, its run not finished
        reader = threading.Thread(target=next_page)
        reader.start()
        await task
        await asyncio.to_thread(reader.join)

    run_apart(main())
    assert events == ["run finished", "next page read the work", "disconnect seen"] or events == [
        "run finished",
        "disconnect seen",
        "next page read the work",
    ]
    assert waited["settled"] and linger.settled(BROWSER, timeout=0)
    assert browser.received == []  # the page was gone: the run's end went nowhere


def test_a_disconnect_with_no_click_pending_passes_at_once():
    events, browser = [], Browser(rerun(click=False))
    middleware = linger.Linger(streamlit_app(events, finish_after=0.3))
    run_apart(middleware(scope(), browser.receive, browser.send))
    assert events == ["disconnect seen"]


def test_a_run_that_never_finishes_holds_the_disconnect_no_longer_than_the_limit():
    events, browser = [], Browser(rerun(click=True))
    middleware = linger.Linger(streamlit_app(events, finish_after=5), seconds=0.2)

    async def main():
        started = asyncio.get_running_loop().time()
        task = asyncio.create_task(middleware(scope(), browser.receive, browser.send))
        while "disconnect seen" not in events:
            await asyncio.sleep(0.01)
        held = asyncio.get_running_loop().time() - started
        task.cancel()
        return held

    held = run_apart(main())
    assert 0.2 <= held < 2
    assert linger.settled(BROWSER, timeout=0)  # the connection's end settles its click either way


def test_the_browser_is_known_by_its_cookie():
    assert linger.cookie_of(scope(), serving.BROWSER_COOKIE) == BROWSER
    assert linger.cookie_of(scope(None), serving.BROWSER_COOKIE) is None
    assert linger.settled(None, timeout=0)


@pytest.mark.parametrize(
    "content_type, has_cookie, expected",
    [
        (b"text/html; charset=utf-8", False, True),
        (b"text/html", True, False),
        (b"application/javascript", False, False),
    ],
)
def test_the_first_page_gives_the_browser_its_cookie_once(content_type, has_cookie, expected):
    async def page(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})
        await send({"type": "http.response.body", "body": b""})

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    headers = [(b"cookie", f"{serving.BROWSER_COOKIE}=known".encode())] if has_cookie else []
    run_apart(
        serving.Server(page)(
            {"type": "http", "path": "/", "scheme": "https", "headers": headers, "method": "GET"}, receive, send
        )
    )
    browser = f"{serving.BROWSER_COOKIE}=".encode()  # the workspace id it is given too: tests/unit/test_serving.py
    cookies = [v.decode() for k, v in sent[0]["headers"] if k == b"set-cookie" and v.startswith(browser)]
    assert bool(cookies) == expected
    if expected:
        (cookie,) = cookies
        assert cookie.startswith(f"{serving.BROWSER_COOKIE}=") and "HttpOnly" in cookie and "Secure" in cookie
        assert "Max-Age" not in cookie  # until the browser closes
