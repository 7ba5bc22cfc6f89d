"""The app's own HTTP side: cookies set by the server (HttpOnly, Secure over HTTPS, once per ticket), the security
headers on every answer, and the proxies believed about a learner's address."""

import pytest

from datacentric import serving
from datacentric.serving import Cookie, Server, Tickets
from tests.aio import run_apart


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def run(app, path: str, *, scheme: str = "http", cookies: str = ""):
    """One HTTP request through ``app``, carrying ``cookies``: (status, headers as a list of (name, value) strings)."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    headers = [(b"cookie", cookies.encode())] if cookies else []
    scope = {"type": "http", "path": path, "scheme": scheme, "headers": headers, "method": "GET"}
    run_apart(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], [(k.decode(), v.decode()) for k, v in start["headers"]]


async def streamlit_page(scope, receive, send):
    """Stands for Streamlit's app: a page with a header of its own."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
    await send({"type": "http.response.body", "body": b"<html></html>"})


def test_a_ticket_sets_its_cookie_once_httponly_and_secure_only_over_https():
    tickets = Tickets()
    server = Server(streamlit_page, tickets)
    token = tickets.issue(Cookie("dcp_workspace", "abc_DEF-123", 3600))
    status, headers = run(server, f"/fix_labels/../{serving.COOKIE_ROUTE}{token}")
    assert status == 204
    cookie = dict(headers)["set-cookie"]
    assert cookie.startswith("dcp_workspace=abc_DEF-123;") and "HttpOnly" in cookie and "Secure" not in cookie
    assert "Max-Age=3600" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    status, headers = run(server, f"/{serving.COOKIE_ROUTE}{token}")  # used: nothing more
    assert status == 404 and "set-cookie" not in dict(headers)
    token = tickets.issue(Cookie("dcp_instructor", "17.abc", 0, "strict"))
    status, headers = run(server, f"/base/path/{serving.COOKIE_ROUTE}{token}", scheme="https")  # under a base path
    cookie = dict(headers)["set-cookie"]
    assert status == 204 and "Secure" in cookie and "Max-Age=0" in cookie and "SameSite=Strict" in cookie


def test_a_ticket_left_unredeemed_is_forgotten():
    clock = Clock()
    tickets = Tickets(clock)
    token = tickets.issue(Cookie("dcp_workspace", "abc", 10))
    clock.now = serving.TICKET_SECONDS + 1
    assert tickets.redeem(token) is None
    assert tickets.redeem("made-up") is None


def test_tickets_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(serving, "TICKETS_KEPT", 5)
    tickets = Tickets()
    tokens = [tickets.issue(Cookie("dcp_workspace", str(i), 10)) for i in range(8)]
    assert [tickets.redeem(t) is not None for t in tokens] == [False] * 3 + [True] * 5


@pytest.mark.parametrize("value", ["a;b", "a b", "a\r\nSet-Cookie: x=1", "é"])
def test_a_cookie_value_cannot_carry_another_header(value):
    with pytest.raises(ValueError):
        Cookie("dcp_workspace", value, 10)


def test_every_answer_carries_the_security_headers_and_keeps_its_own():
    status, headers = run(Server(streamlit_page), "/")
    found = dict(headers)
    assert status == 200 and found["content-type"] == "text/html"
    for name, value in serving.HEADERS.items():
        assert found[name] == value
    assert "frame-ancestors 'self'" in found["content-security-policy"]


def run_with(app, cookies: str, *, scheme: str = "http") -> dict[str, str]:
    """One page request carrying ``cookies``: the Set-Cookie headers of its answer, by cookie name."""
    _, headers = run(app, "/fix_labels", scheme=scheme, cookies=cookies)
    return {value.split("=")[0]: value for name, value in headers if name == "set-cookie"}


def test_a_new_browser_gets_its_workspace_id_with_its_first_page_and_keeps_it_after():
    from datacentric.lab.worklog import WORKSPACE_ID

    set_first = run_with(Server(streamlit_page), "", scheme="https")
    workspace = set_first[serving.WORKSPACE_COOKIE]
    value = workspace.split(";")[0].split("=", 1)[1]
    assert WORKSPACE_ID.match(value)  # an id the first action creates the workspace under
    assert f"Max-Age={serving.WORKSPACE_DAYS * 86400}" in workspace
    assert "HttpOnly" in workspace and "Secure" in workspace
    assert "Max-Age" not in set_first[serving.BROWSER_COOKIE]  # the browser's own id lasts the browser session
    other = run_with(Server(streamlit_page), "")[serving.WORKSPACE_COOKIE]
    assert other.split(";")[0] != workspace.split(";")[0] and "Secure" not in other  # one id per browser
    kept = f"{serving.WORKSPACE_COOKIE}={value}; {serving.BROWSER_COOKIE}=b-1"
    assert run_with(Server(streamlit_page), kept) == {}  # a browser that has both keeps them


def test_only_a_page_gives_the_cookies_not_the_files_it_loads():
    async def script(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/javascript")]})
        await send({"type": "http.response.body", "body": b""})

    assert run_with(Server(script), "") == {}


def test_a_ticket_says_whether_its_image_was_asked_for():
    clock = Clock()
    tickets = Tickets(clock)
    token = tickets.issue(Cookie("dcp_workspace", "abc", 10))
    assert tickets.state(token) == "waiting"
    assert serving.cookie_address(Cookie("dcp_workspace", "abc", 10), tickets, token=token).endswith(token)
    tickets.redeem(token)
    assert tickets.state(token) == "redeemed"  # the session stops drawing its image
    clock.now = serving.TICKET_SECONDS + 1
    assert tickets.state(token) == "gone" and tickets.state("made-up") == "gone"


def test_no_proxy_is_believed_unless_named(monkeypatch):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert serving.trust_proxies({}) == ""
    import os

    assert os.environ["FORWARDED_ALLOW_IPS"] == ""  # uvicorn's default would believe any connection from here
    assert serving.trust_proxies({"DCP_TRUSTED_PROXIES": " 172.18.0.0/16,10.0.0.2 "}) == "172.18.0.0/16,10.0.0.2"
    assert os.environ["FORWARDED_ALLOW_IPS"] == "172.18.0.0/16,10.0.0.2"
