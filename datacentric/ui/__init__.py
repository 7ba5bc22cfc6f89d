"""The Streamlit side of the core: cached loaders, session helpers, shared widgets.

Besides ``app.py``, ``frame/navigation.py`` and ``pages/``, this is the only place that imports Streamlit.
"""
