"""Compare: model-centric against data-centric on the learner's scenario, and a replayed experiment."""
import numpy as np
import pandas as pd
import streamlit as st

from datacentric import charts, compare, replay, workspace
from datacentric.ui import cached, router, state, widgets

router.require(__file__)

MAX_REPLAYS = 32

scenario, lab = widgets.page_intro(
    "Compare", "Your own version of the table from Andrew Ng's 2021 talk on data-centric AI: what tuning the model "
    "bought you, against what fixing the data bought you, from the same baseline.", "pages/compare.py")

log = state.log()
now = workspace.replay(lab.noisy_labels, log)
runs = state.runs()
def accuracy_of(labels, kept=None) -> float:
    return cached.score_of(scenario, labels, kept).accuracy  # shared with Fix the labels' cache


table = compare.comparison(lab, runs=runs, labels=now.labels, kept=now.kept, n_actions=now.n_actions,
                           accuracy_of=accuracy_of)
st.table(compare.for_display(table))  # a plain table: large and readable on a projector
st.markdown(compare.verdict(table))

st.subheader("Accuracy against effort")
model_runs = [r for r in runs if r["data"] == "noisy"]
history = cached.accuracy_history(scenario, log)
effort = pd.concat([
    pd.DataFrame({"effort": range(len(model_runs) + 1),
                  "accuracy": np.maximum.accumulate([table.loc[0, "accuracy"], *[r["accuracy"] for r in model_runs]]),
                  "arm": "model-centric (best run so far, by trials)"}),
    history.rename(columns={"actions": "effort"}).assign(arm="data-centric (fixed model, by label actions)"),
], ignore_index=True)
if len(effort) > 2:
    st.altair_chart(charts.effort(effort), width="stretch")
else:
    st.info("Nothing to plot yet: each training run and each label action adds a point here.")

st.subheader("Replay the experiment")
st.markdown("From the same noisy start, spend the same number of steps both ways: **N search trials** "
            f"(over {', '.join(replay.families(lab))}) against **N label fixes** (accept the top suggestion, "
            f"re-ranking every {replay.RERANK_EVERY}). The same scenario always gives the same result.")
steps = st.slider("Steps (N)", 10, 200, 100, step=10)
done = cached.replays()
key = (scenario, steps)
if key not in done and st.button("Replay the experiment", type="primary"):
    bar = st.progress(0.0, text="Waiting for another learner's replay to finish...")
    with cached.replay_lock():
        if key not in done:
            result = replay.replay_experiment(lab, steps=steps, on_progress=lambda f, text: bar.progress(f, text=text))
            if len(done) >= MAX_REPLAYS:
                done.pop(next(iter(done)))
            done[key] = result
    bar.empty()
if key in done:
    result = done[key]
    st.table(compare.for_display(compare.replay_table(lab, result, accuracy_of=accuracy_of)))
    st.altair_chart(charts.effort(result.curves.rename(columns={"step": "effort"})), width="stretch")
