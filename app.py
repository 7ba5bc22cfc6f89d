"""Data-Centric Playground: the server. ``streamlit run app.py`` serves ``frame/navigation.py`` (the pages and the
sidebar they share) through Streamlit's ASGI app, with the HTTP side Streamlit leaves to the app: cookies set by the
server, HttpOnly (and Secure over HTTPS), the security headers, and only the proxies you name believed about a
learner's address (``datacentric.serving``); and a click's run that finishes though its page was reloaded at once
(``datacentric.ui.linger``).

Started by another ASGI server (``uvicorn app:app``), that server reads its own settings before this file: give it
``--forwarded-allow-ips`` with the proxies to believe (``DCP_TRUSTED_PROXIES`` is read by ``streamlit run`` only)."""

from starlette.middleware import Middleware

from datacentric import serving

serving.trust_proxies()  # before uvicorn reads its settings: no forwarded address is believed unless named

import streamlit as st  # noqa: E402 - after the proxies are set, which Streamlit's server reads when it starts

from datacentric.ui import errors, linger  # noqa: E402 - they import Streamlit

# Outermost first: the HTTP side, then a click's run kept alive past its page's reload (datacentric/ui/linger.py).
app = st.App(
    "frame/navigation.py",
    middleware=[Middleware(serving.Server), Middleware(linger.Linger)],
    on_script_error=errors.said,
)
