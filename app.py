"""Data-Centric Playground: the server. ``streamlit run app.py`` serves ``navigation.py`` (the pages and the sidebar
they share) through Streamlit's ASGI app, with the HTTP side Streamlit leaves to the app: cookies set by the server,
HttpOnly (and Secure over HTTPS), the security headers, and only the proxies you name believed about a learner's
address (``datacentric.serving``).

Started by another ASGI server (``uvicorn app:app``), that server reads its own settings before this file: give it
``--forwarded-allow-ips`` with the proxies to believe (``DCP_TRUSTED_PROXIES`` is read by ``streamlit run`` only)."""
from starlette.middleware import Middleware

from datacentric import serving

serving.trust_proxies()  # before uvicorn reads its settings: no forwarded address is believed unless named

import streamlit as st  # noqa: E402 - after the proxies are set, which Streamlit's server reads when it starts

from datacentric.ui import errors  # noqa: E402 - it imports Streamlit

app = st.App("navigation.py", middleware=[Middleware(serving.Server)], on_script_error=errors.said)
