"""Page files as Streamlit finds them: ``page("pages/fix_labels.py")`` for ``st.Page``, ``st.page_link`` and
``st.switch_page``.

The project names a page by its file from the repository root, as the lessons' ``practice`` does. Streamlit resolves
a relative page path from its main script's folder, and the main script, ``frame/navigation.py``, sits in a folder of
its own: next to ``pages/`` it would make Streamlit discover that folder by itself, and run a page alone (without the
page config, the sidebar or the URL's scenario) whenever a fresh server's first request is a deep link.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: datacentric/ui/links.py


def page(name: str) -> str:
    """The absolute path of ``name``, a page file named from the repository root ("pages/learn.py")."""
    return str(ROOT / name)
