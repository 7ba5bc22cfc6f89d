"""The app's own HTTP side, beside Streamlit's: cookies the server sets (HttpOnly, and Secure over HTTPS), the security
headers on every response, and which proxies' forwarded addresses are believed. Plain Python and ASGI (no Streamlit):
``app.py`` wraps the Streamlit app in ``Server``, and ``ui/state.py`` issues the cookies.

A session cannot set a response header: its page talks to the server over a WebSocket. So a cookie is handed over by a
ticket: the session files the cookie under a one-time, short-lived token (``issue``), and its page draws an invisible
image whose address names the token; the browser asks for it, and the answer to that request sets the cookie, where no
script on the page can read it. The request goes to the process that issued the ticket (the proxy's sticky cookie
keeps a browser on one process), and a ticket nobody redeems is forgotten after ``TICKET_SECONDS``.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from datacentric.common import settings

__all__ = [
    "BROWSER_COOKIE",
    "WORKSPACE_COOKIE",
    "WORKSPACE_DAYS",
    "COOKIE_ROUTE",
    "TICKET_SECONDS",
    "TICKETS_KEPT",
    "SAMESITE",
    "TOKEN",
    "CONTENT_SECURITY_POLICY",
    "HEADERS",
    "Cookie",
    "Tickets",
    "TICKETS",
    "cookie_address",
    "Server",
    "trust_proxies",
]

WORKSPACE_COOKIE = "dcp_workspace"  # the browser's workspace id, given with its first page (``Server``)
WORKSPACE_DAYS = 365
BROWSER_COOKIE = "dcp_browser"  # a random id per browser session, set with the first page: which connections are one
# browser's, before its workspace cookie exists (a click's run and the reload after it, datacentric/ui/linger.py)
COOKIE_ROUTE = "_dcp/cookie/"  # the path the invisible image asks for, under wherever the app is served
TICKET_SECONDS = 120  # a page draws the image within a second of its run; two minutes spare a slow phone
TICKETS_KEPT = 10_000  # at most this many unredeemed tickets (a session issues one per cookie it changes)
SAMESITE = ("lax", "strict")
TOKEN = re.compile(r"[A-Za-z0-9._-]+")  # a cookie's name and value: our own ids and tokens, nothing to escape

# What every response says about itself. The policy is Streamlit's needs and nothing more: its page has one inline
# script and emotion's inline styles; images, fonts and workers come from this server or data:/blob: addresses. So a
# learner's Markdown cannot load an image from elsewhere (a tracking pixel, a leak of the page's address), no page
# can frame the app (clickjacking a read-only link's viewer, say), and no plugin runs.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "frame-src 'self' blob: data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # a scenario link's address stays on this site
    "x-frame-options": "SAMEORIGIN",  # frame-ancestors for browsers that predate it
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


@dataclass(frozen=True)
class Cookie:
    """A cookie to set: ``max_age`` seconds (0 drops it), sent only to this site (``samesite``), never to scripts."""

    name: str
    value: str
    max_age: int
    samesite: str = "lax"

    def __post_init__(self):
        if not TOKEN.fullmatch(self.name) or not TOKEN.fullmatch(self.value or "-"):
            raise ValueError("a cookie's name and value are our own tokens: letters, digits, '-', '_' and '.'")
        if self.samesite not in SAMESITE or self.max_age < 0:
            raise ValueError(f"samesite must be one of {SAMESITE} and max_age at least 0")

    def header(self, *, secure: bool, session: bool = False) -> str:
        """The Set-Cookie header's value: HttpOnly always, Secure when the page came over HTTPS; ``session``: kept
        until the browser closes (no Max-Age)."""
        lifetime = "" if session else f"Max-Age={self.max_age}; "
        return f"{self.name}={self.value}; Path=/; {lifetime}SameSite={self.samesite.capitalize()}; HttpOnly" + (
            "; Secure" if secure else ""
        )


class Tickets:
    """One-time tokens, each naming a cookie to set, forgotten after ``TICKET_SECONDS``; shared by the sessions'
    threads and the server's event loop."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._waiting: dict[str, tuple[float, Cookie]] = {}
        self._redeemed: dict[str, float] = {}  # token -> when its answer was sent, kept as long as a ticket

    def issue(self, cookie: Cookie) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._forget_old()
            if len(self._waiting) >= TICKETS_KEPT:  # a flood of sessions: the oldest tickets go first
                for old in list(self._waiting)[: len(self._waiting) - TICKETS_KEPT + 1]:
                    del self._waiting[old]
            self._waiting[token] = (self._clock(), cookie)
        return token

    def redeem(self, token: str) -> Cookie | None:
        """The cookie ``token`` names, once; None for a token unknown, used or too old."""
        with self._lock:
            self._forget_old()
            found = self._waiting.pop(token, None)
            if found is not None:
                self._redeemed[token] = self._clock()
                if len(self._redeemed) > TICKETS_KEPT:
                    del self._redeemed[next(iter(self._redeemed))]
        return None if found is None else found[1]

    def state(self, token: str) -> str:
        """'waiting' (its image not yet asked for), 'redeemed' (its cookie sent), or 'gone' (unknown or too old): a
        session draws its image again until the browser has asked for it."""
        with self._lock:
            self._forget_old()
            return "waiting" if token in self._waiting else "redeemed" if token in self._redeemed else "gone"

    def _forget_old(self) -> None:
        now = self._clock()
        for token in [t for t, (at, _) in self._waiting.items() if now - at > TICKET_SECONDS]:
            del self._waiting[token]
        for token in [t for t, at in self._redeemed.items() if now - at > TICKET_SECONDS]:
            del self._redeemed[token]


TICKETS = Tickets()  # the process's: its sessions issue, its HTTP side redeems


def cookie_address(cookie: Cookie, tickets: Tickets = TICKETS, *, token: str | None = None) -> str:
    """The address (relative to the page, so it works under any base path) whose answer sets ``cookie``; ``token``:
    a ticket issued before and still waiting, drawn again."""
    return COOKIE_ROUTE + (token or tickets.issue(cookie))


class Server:
    """ASGI middleware around Streamlit's app: answers the cookie route, adds ``HEADERS`` to every HTTP answer, and
    gives a browser that has none its ``BROWSER_COOKIE`` and its ``WORKSPACE_COOKIE`` with its first page.

    The workspace id comes with the page itself, not through a ticket's image: the page's answer always reaches the
    browser, while an image drawn by a run can be taken off the page (by the next run) before its answer arrives,
    and a learner who then closed the browser would come back to nothing. The id names no workspace until the
    learner's first action creates it under that id (``ui/session.ensure_workspace``)."""

    def __init__(self, app, tickets: Tickets = TICKETS, headers: Mapping[str, str] = HEADERS):
        self.app, self.tickets = app, tickets
        self.headers = [(k.encode(), v.encode()) for k, v in headers.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        at = path.rfind("/" + COOKIE_ROUTE)
        if at >= 0:
            await self._set_cookie(scope, send, path[at + 1 + len(COOKIE_ROUTE) :])
            return

        new_browser = not _has_cookie(scope, BROWSER_COOKIE)
        new_workspace = not _has_cookie(scope, WORKSPACE_COOKIE)
        secure = scope.get("scheme") == "https"

        async def with_headers(message):
            if message["type"] == "http.response.start":
                known = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *[(k, v) for k, v in self.headers if k not in known]]
                if dict(message["headers"]).get(b"content-type", b"").startswith(b"text/html"):
                    if new_browser:
                        browser = Cookie(BROWSER_COOKIE, secrets.token_urlsafe(16), max_age=0)
                        message["headers"].append((b"set-cookie", browser.header(secure=secure, session=True).encode()))
                    if new_workspace:
                        workspace = Cookie(WORKSPACE_COOKIE, secrets.token_urlsafe(16), WORKSPACE_DAYS * 86400)
                        message["headers"].append((b"set-cookie", workspace.header(secure=secure).encode()))
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _set_cookie(self, scope, send, token: str) -> None:
        cookie = self.tickets.redeem(token)
        headers = [*self.headers, (b"cache-control", b"no-store"), (b"content-length", b"0")]
        if cookie is not None:
            headers.append((b"set-cookie", cookie.header(secure=scope.get("scheme") == "https").encode()))
        await send({"type": "http.response.start", "status": 204 if cookie else 404, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _has_cookie(scope, name: str) -> bool:
    prefix = name.encode() + b"="
    return any(
        header == b"cookie" and any(part.strip().startswith(prefix) for part in value.split(b";"))
        for header, value in scope.get("headers", [])
    )


def trust_proxies(environ: Mapping[str, str] | None = None) -> str:
    """Believe the X-Forwarded-For and X-Forwarded-Proto of these proxies only (``DCP_TRUSTED_PROXIES``: addresses or
    networks, comma-separated; none by default), by setting uvicorn's ``FORWARDED_ALLOW_IPS`` before the server starts.
    Left to itself, uvicorn believes any connection from this machine, so a guesser here could name a new address
    with every try. Returns what was set."""

    trusted = settings.text("DCP_TRUSTED_PROXIES", environ) or ""
    os.environ["FORWARDED_ALLOW_IPS"] = trusted
    return trusted
