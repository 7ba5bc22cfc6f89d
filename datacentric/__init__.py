"""Data-Centric Playground core: datasets, label noise, the fixed model, ranking and the learner's log.

Plain Python: nothing here imports Streamlit (that lives in ``datacentric.ui``), so a notebook
can use the same functions the app uses.
"""
