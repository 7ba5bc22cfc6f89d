"""Your data: bring a CSV or a Hugging Face Hub dataset, say how to read it, then fix its labels."""

import streamlit as st

from datacentric.ui import links, session, yourdata

st.title("Your data")
st.markdown(
    "Practise on data you care about. Bring a table, say which column holds the labels, and review it on "
    "**Fix the labels** like a built-in dataset. Text is where a person judges a label fastest. "
    "Your files are kept in your workspace; no other workspace can see them."
)

if session.read_only():
    st.info(
        "This is a read-only view of someone's work: their datasets are listed below, and nothing can be "
        "brought or changed from here.",
        icon=":material/visibility:",
    )
    yourdata.your_datasets()
    st.stop()

upload, hub = st.tabs(["Upload a CSV", "From the Hugging Face Hub"])
with upload:
    yourdata.upload_form()
with hub:
    yourdata.hub_form()

st.header("Set it up")
file = yourdata.chosen_file()
if file is None:
    st.caption("Bring a file above; it is checked and kept in your workspace as soon as it arrives.")
elif (setup := yourdata.configure(file)) is not None:
    frame, title, spec, check = setup
    if st.button("Use this dataset", type="primary", icon=":material/play_arrow:", disabled=not check.ok):
        if yourdata.use_dataset(file, frame, title, spec):
            st.switch_page(links.page("pages/fix_labels.py"))

st.header("Your datasets")
yourdata.your_datasets()
