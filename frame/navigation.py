"""Data-Centric Playground: the pages. Page config, navigation, and the sidebar every page shares (app.py serves it).

Streamlit runs this script for every page, a fresh server's first deep link included: it sits in a folder of its own,
away from ``pages/``, so that Streamlit never discovers that folder by itself (datacentric/ui/links.py says more).
"""

import streamlit as st

from datacentric.common.display import plain
from datacentric.ui import classroom, links, presenter, session, workspace

# Our own icon, served by this server: a Material icon as page icon is fetched from Google's font server by every
# learner's browser (blocked by the content security policy, and unreachable offline).
ICON = str(links.ROOT / "assets" / "icon.png")
TITLE = "Data-Centric Playground"
st.set_page_config(page_title=TITLE, page_icon=ICON, layout="wide")

pages = [
    st.Page(links.page("pages/home.py"), title="Home", icon=":material/home:", default=True),
    st.Page(links.page("pages/tune_model.py"), title="Tune the model", icon=":material/tune:"),
    st.Page(links.page("pages/fix_labels.py"), title="Fix the labels", icon=":material/fact_check:"),
    st.Page(links.page("pages/weak_slices.py"), title="Find the weak slice", icon=":material/troubleshoot:"),
    st.Page(links.page("pages/consistency.py"), title="Label consistently", icon=":material/how_to_vote:"),
    st.Page(links.page("pages/deployment.py"), title="After deployment", icon=":material/monitoring:"),
    st.Page(links.page("pages/compare.py"), title="Compare", icon=":material/compare_arrows:"),
    st.Page(links.page("pages/your_data.py"), title="Your data", icon=":material/upload_file:"),
    st.Page(links.page("pages/learn.py"), title="Learn", icon=":material/school:"),
    st.Page(links.page("pages/classroom.py"), title="Class", icon=":material/groups:"),
    st.Page(links.page("pages/teach.py"), title="Teach", icon=":material/co_present:"),
]
page = st.navigation(pages)
st.set_page_config(page_title=f"{page.title} · {TITLE}")  # each tab says which page it holds
presenter.apply()

scenario = session.current_scenario()
classroom.prefill_from_url()  # a join link's code, before the address drops it
session.sync_url()  # navigation clears the URL's parameters; put the scenario back
if session.read_only():
    st.info(
        "You are looking at someone's work through a read-only link: nothing here can be changed.",
        icon=":material/visibility:",
    )
    st.link_button(
        "Start your own work on this scenario",
        session.scenario_link(),  # a URL: never through Markdown
        icon=":material/open_in_new:",
    )
for notice in session.notices():
    st.warning(plain(notice), icon=":material/link_off:")  # it quotes the URL: show it as text

member_of = classroom.membership()  # the room of this session's workspace, read once for the sidebar and "seen"
if not presenter.active():  # not drawn at all in the presenter view: the resume code and view link are private
    with st.sidebar:
        st.markdown("**Scenario**")
        st.text(session.describe())
        st.markdown("**Share this scenario** (same data, same noise, fresh work)")
        st.code(session.scenario_link(), language=None, wrap_lines=True)
        if scenario.is_users and not session.read_only():
            st.caption("Your own dataset stays in your workspace: anyone else opening this link gets the digits.")
        workspace.sidebar()
        classroom.sidebar(member_of)

classroom.seen(member_of, page.title)  # a room's learner: the instructor's view shows where they are
page.run()  # a page that opens a workspace must not end with st.stop(), which would skip the next line
# after the page (before it, it would shift every element): its first action may have made one
session.remember_workspace()
session.rerun_app_if_workspace_is_new()  # the page's first save made a workspace: show its resume code
