"""Compare: model-centric against data-centric on the learner's scenario, and a replayed experiment."""

import pandas as pd
import streamlit as st

from datacentric.common.display import plain
from datacentric.experiment import compare, race, tuning
from datacentric.experiment.approaches import RACE_LINES, YOUR_LINES, Approach
from datacentric.present import charts, explain
from datacentric.ui import headline, services, session, widgets

MAX_REPLAYS = 32

scenario, lab = widgets.page_intro(
    "Compare",
    "Your own version of the table from Andrew Ng's 2021 talk on data-centric AI: what tuning the model "
    "bought you, against what fixing the data bought you, from the same baseline.",
    "pages/compare.py",
)

log = session.log()
now = lab.state(log)
mine = (now.labels, now.kept, now.copies)
runs = session.runs()
model_runs = [r for r in runs if r["data"] == "noisy"]
metric = headline.pick(lab, "compare")
shown = headline.name(metric)


def headline_of(labels, kept=None, copies=None) -> float:
    return services.score_of(scenario, labels, kept, copies).value(metric)  # shared with Fix the labels' cache


def bullets(sentences: list[str]) -> str:
    return "\n".join(f"- {sentence}" for sentence in sentences)


table = compare.comparison(
    lab,
    runs=runs,
    labels=now.labels,
    kept=now.kept,
    n_actions=now.n_actions,
    accuracy_of=headline_of,
    metric=metric,
    copies=now.copies,
)
st.table(compare.for_display(table, shown))  # a plain table: large and readable on a projector
stranded = lab.shortfall(now)  # a log stored before the floor: the data-centric row is a model that could not learn
if stranded:
    st.warning(plain(f"{stranded} Undo the last action on Fix the labels to bring rows back."), icon=":material/block:")
headline.every_metric(
    services.score_of(scenario, now.labels, now.kept, now.copies).confusion,
    lab,
    "Every metric, and each class, for the fixed model on your current labels",
)
chosen = tuning.selected_record(runs, "noisy", metric)
top = runs[chosen] if chosen is not None else None
clean = (
    services.on_true_labels(scenario, top["family"], top["params"]).value(metric)
    if top and lab.grading != "none"
    else None
)
st.markdown(
    bullets(
        explain.your_table(
            lab, table, trials=len(model_runs), now=now, chosen_family=top and top["family"], chosen_clean=clean
        )
    )
)

st.header(f"{shown} against effort")
history = services.accuracy_history(scenario, log, metric)
effort = pd.concat(
    [
        pd.DataFrame(
            {
                "effort": range(len(model_runs) + 1),
                "accuracy": [table.loc[0, "accuracy"], *compare.chosen_so_far(model_runs, metric)],
                "arm": Approach.MODEL.value,
            }
        ),
        history.rename(columns={"actions": "effort"}).assign(arm=Approach.DATA.value),
    ],
    ignore_index=True,
)
if len(effort) > 2:
    widgets.chart(charts.effort(effort, shown, lines=YOUR_LINES))
else:
    st.info("Nothing to plot yet: each training run and each label action adds a point here.")

st.header("Replay the experiment")
st.markdown(
    "From the same noisy start, spend the same number of steps each way. **Tuning**: N search trials "
    f"(over {', '.join(race.families(lab))}), each scored on a quarter of the training rows held out, "
    "with their noisy labels; the curve shows the test score of the trial chosen so far. The test split "
    "never chooses: choosing on it would flatter tuning, and in practice nobody has it. **Fixing**: a "
    "reviewer looks at the N items ranked most likely wrong and sets the label they see, with the fixed "
    f"model and a re-ranking every {race.RERANK_EVERY}. A second line accepts the model's suggestion "
    "unchecked, to show what that costs. Beside them, once you have fixed labels, your own label actions "
    "as you took them, one step each (a bulk action is one step). The same choices always give the same result."
)
if lab.grading == "none":
    st.info(
        "Nothing says which of these labels are true (no column of known-true labels, no noise added on Home), "
        "so the replay cannot simulate a reviewer. What it can simulate: tuning, and the model's suggestions "
        "accepted unchecked; beside them, your own label actions as you took them. To replay a reviewer, "
        "choose a column of known-true labels on Your data, or add noise on Home.",
        icon=":material/info:",
    )
left, right = st.columns(2)
steps = left.slider("Steps (N)", 10, 200, 100, step=10)
reviewer = right.slider(
    "The reviewer is right (%)",
    50,
    100,
    100,
    step=5,
    disabled=lab.grading == "none",
    help="People err too: at 90 %, about one review in ten sets a wrong class.",
)
done = services.races()
key = (scenario, steps, reviewer, metric)
if key not in done and st.button("Replay the experiment", type="primary"):
    bar = st.progress(0.0, text="Waiting for another learner's replay to finish...")
    with services.race_lock():
        if key not in done:
            result = race.run(
                lab,
                steps=steps,
                reviewer_accuracy=reviewer / 100,
                metric=metric,
                on_progress=lambda f, text: bar.progress(f, text=text),
            )
            if len(done) >= MAX_REPLAYS:
                done.pop(next(iter(done)))
            done[key] = result
    bar.empty()
if key in done:
    result = done[key]
    replayed = compare.race_table(lab, result, accuracy_of=headline_of, yours=(now, headline_of(*mine)))
    st.table(compare.for_display(replayed, shown))
    curves = pd.concat([result.curves, compare.your_curve(history, steps)], ignore_index=True)
    widgets.chart(charts.effort(curves.rename(columns={"step": "effort"}), shown, lines=RACE_LINES))
    yours = explain.YourWork(table, now, len(model_runs))
    st.markdown(bullets(explain.race_outcome(lab, result, replayed, yours)))
