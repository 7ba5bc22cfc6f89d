"""Label consistently: the panel's figures on every built-in dataset, a panel from the URL, the labelling exercise
kept in the workspace, versions of the instruction, the hand-over to Fix the labels, and the class's view on Teach."""

import numpy as np
import pytest

from datacentric.consistency import exercise, instructions, parts, study
from datacentric.crowd import agreement, panels
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.persistence.store import Store
from tests.app.conftest import DATASETS, flat

PAGE = "pages/consistency.py"


def frame_of(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_panel_shows_agreement_the_three_methods_and_the_annotators(open_page, dataset):
    at = open_page(PAGE, dataset=dataset, noise="uniform", rate="20", seed="1")
    assert not at.exception and at.title[0].value == "Label consistently"
    lab = prepare(Scenario(dataset, "none", 0, 1))
    done = study.run(lab, panels.DEFAULT_PANEL)
    assert metric(at, "Krippendorff's alpha") == f"{done.alpha:.2f}"
    assert metric(at, "Fleiss' kappa") == f"{done.fleiss:.2f}"
    table = frame_of(at, "quality_rank")
    assert list(table.sort_values("annotator")["annotator"]) == panels.DEFAULT_PANEL.names()
    assert int(table["truly_bad"].sum()) == 10
    said = next(m.value for m in at.markdown if m.value.startswith("Label accuracy"))
    single = np.mean(done.combined["single"] == lab.true_labels)
    assert f"{single:.1%}".replace(".", "\\.") in said
    assert any("Lesson: Label consistently" in m.value for m in at.markdown)


def test_a_panel_from_the_form_goes_into_the_url_and_the_study(open_page):
    at = open_page(PAGE, dataset="wine", noise="none", rate="0", seed="0")
    at.number_input(key="panel_count_1").set_value(4)
    at.slider(key="panel_accuracy_0").set_value(90)
    at.number_input(key="panel_per_item").set_value(3)
    next(b for b in at.button if b.label == "Simulate this panel").click().run()
    assert not at.exception, at.exception
    wanted = panels.Panel((panels.Group(40, 90), panels.Group(4, 30)), 3)
    assert flat(at.query_params)["panel"] == wanted.code
    done = study.run(prepare(Scenario("wine", "none", 0, 0)), wanted)
    assert metric(at, "Krippendorff's alpha") == f"{done.alpha:.2f}"


def test_a_panel_that_cannot_label_says_why_and_a_bad_url_code_falls_back(open_page):
    at = open_page(PAGE, dataset="wine", noise="none", rate="0", seed="0", panel="<b>9x</b>")
    assert any("could not be read" in w.value for w in at.warning)
    assert panels.DEFAULT_PANEL.describe() in [t.value for t in at.text]
    for i in range(3):
        at.number_input(key=f"panel_count_{i}").set_value(0)
    next(b for b in at.button if b.label == "Simulate this panel").click().run()
    assert any("cannot label anything" in e.value for e in at.error)


def label_parts(at, labels: list[int], version: int = 0) -> None:
    for k, label in enumerate(labels):
        at.radio(key=f"part_label_{version}_{k}").set_value(label)
    next(b for b in at.button if b.label == "Save my labels").click().run()
    assert not at.exception, at.exception


def test_labels_and_versions_are_kept_in_the_workspace_and_agreement_rises(open_page, store_url):
    at = open_page(PAGE, dataset="digits", noise="none", rate="0", seed="3")
    made = parts.make_parts(3)
    spec = list(made.spec_labels[made.to_label()])
    mine = spec.copy()
    mine[0] = 1 - mine[0]
    label_parts(at, mine)
    ws = at.session_state["workspace"]
    saved = [r for _, r in Store(store_url).events(ws, exercise.TOPIC)]
    assert list(exercise.latest_labels(made, saved)) == mine
    found = instructions.compare(np.array(mine), instructions.inspect(made, instructions.V1)[made.to_label()], seed=3)
    assert any(f"**{found.with_majority} of {found.labelled}**" in m.value for m in at.markdown)

    at.text_input[0].input("strict <b>0.3</b>")
    next(b for b in at.button if b.label == "Add this version").click().run()
    assert not at.exception, at.exception
    table = frame_of(at, "instruction")
    assert list(table["version"]) == ["v1", "strict <b>0.3</b>"]  # the learner's name, as text in a dataframe
    v1, v2 = (instructions.outcome(made, rule, seed=3) for rule in (instructions.V1, instructions.Rule("x", 0.3)))
    assert list(table["agreement"].round(6)) == [round(v1.on_set, 6), round(v2.on_set, 6)]
    assert v2.on_set > v1.on_set
    assert any("agreement on the 20 parts rose" in s.value for s in [*at.success, *at.warning])

    # Label again under the written version: kept apart from the v1 labels.
    at.radio(key="label_under").set_value(1).run()
    label_parts(at, spec, version=1)
    saved = [r for _, r in Store(store_url).events(ws, exercise.TOPIC)]
    assert list(exercise.latest_labels(made, saved, "strict <b>0.3</b>")) == spec
    assert list(exercise.latest_labels(made, saved)) == mine
    under = instructions.compare(
        np.array(spec), instructions.inspect(made, instructions.Rule("x", 0.3))[made.to_label()], seed=3
    )
    assert list(frame_of(at, "instruction")["yours"]) == [
        f"{found.with_majority} of 20",
        f"{under.with_majority} of 20",
    ]

    # A new session on the same workspace (a refresh, or a server restart: the store keeps it) finds it all.
    again = open_page(PAGE, ws=ws, dataset="digits", noise="none", rate="0", seed="3")
    assert [again.radio(key=f"part_label_0_{k}").value for k in range(parts.N_LABEL)] == mine
    assert list(frame_of(again, "instruction")["version"]) == ["v1", "strict <b>0.3</b>"]


def test_the_consensus_labels_start_fix_the_labels(open_page):
    at = open_page(PAGE, dataset="wine", noise="uniform", rate="20", seed="0")
    at.radio(key="send_method").set_value("majority")
    next(b for b in at.button if b.label == "Fix these labels on Fix the labels").click().run()
    assert not at.exception, at.exception
    scenario = at.session_state["scenario"]
    assert scenario == Scenario("wine", "crowd", 0, 0, crowd=f"majority.{panels.DEFAULT_PANEL.code}")
    lab = prepare(scenario)
    done = study.run(prepare(Scenario("wine", "none", 0, 0)), panels.DEFAULT_PANEL)
    assert (lab.noisy_labels == done.combined["majority"]).all() and lab.grading == "truth"
    assert at.title[0].value == "Fix the labels"


def test_the_instructor_sees_the_class_agreement_on_the_parts_round_by_round(open_page, store_url):
    from datacentric.classroom.roster import Roster
    from tests.app.conftest import App

    roster = Roster(Store(store_url))
    room = roster.open("Thursday", Scenario("digits", "uniform", 20, 5), None)
    made = parts.make_parts(5)
    chosen = list(map(int, made.to_label()))
    first = [list(made.spec_labels[chosen]), [1] * parts.N_LABEL]
    second = [list(made.spec_labels[chosen]), list(made.spec_labels[chosen])]
    second[1][0] = 1 - second[1][0]
    rule = instructions.Rule("our rule", parts.SPEC_MM)
    for name, v1, v2 in zip(("<i>Ann</i>", "Bob"), first, second):
        member = roster.join(room.code, name)
        roster.store.add_event(
            member.workspace, exercise.labels_topic(5), exercise.labels_record(made, dict(zip(chosen, v1)))
        )
        roster.store.add_event(
            member.workspace, exercise.labels_topic(5), exercise.labels_record(made, dict(zip(chosen, v2)), rule)
        )
    at = App()
    at.run()
    at.session_state["instructor_signed_in"] = True
    at.switch_page("pages/teach.py")
    at.query_params["room"] = room.code
    at.run()
    assert not at.exception, at.exception
    for which, rows in (("v1", first), ("written", second)):
        alpha = agreement.krippendorff_alpha(np.array(rows).T, 2)
        label = f"The class's agreement (Krippendorff's alpha), {exercise.ROUNDS[which].lower()}"
        assert metric(at, label) == f"{alpha:.2f}"


def test_agreement_is_offered_as_the_human_level_on_find_the_weak_slice(open_page):
    wanted = panels.Panel((panels.Group(20, 95), panels.Group(5, 60, "pair")), 5)
    at = open_page("pages/weak_slices.py", dataset="digits", noise="systematic", rate="30", seed="0", panel=wanted.code)
    at.radio(key="reference_source").set_value("agreement").run()
    assert not at.exception, at.exception
    table = frame_of(at, "potential")
    lab = prepare(Scenario("digits", "systematic", 30, 0))
    levels = study.human_levels(lab, wanted)
    row = table[table["slice"] == "class is 8"].iloc[0]
    assert abs(row["reference"] - np.nanmean(levels[lab.test_labels == 8])) < 1e-9
    low = table[(table["gap"] > 0) & (table["reference"] < np.nanmean(levels) - study.LOWER_BY)]
    noted = [i.value for i in at.info if "agree less than on the whole" in i.value]
    assert len(low) and len(noted) == 1 and f"On {len(low)} slice" in noted[0]


def test_the_panel_stays_in_the_address_across_pages_and_a_panel_scenario_brings_its_own(open_page):
    wanted = panels.Panel((panels.Group(20, 70, "pair"), panels.Group(5, 20, "unsure")), 4)
    at = open_page(PAGE, dataset="digits", noise="none", rate="0", seed="0", panel=wanted.code)
    at.switch_page("pages/weak_slices.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert wanted.describe() in [t.value for t in at.text]
    crowd = open_page(PAGE, dataset="wine", noise="crowd", seed="0", crowd=f"majority.{wanted.code}")
    assert wanted.describe() in [t.value for t in crowd.text]  # the scenario's panel, with no panel in the address


def test_a_learners_own_dataset_cannot_take_the_annotator_panel_kind(open_page, store_url):
    from tests.app.test_your_data import REVIEWS, button, workspace_with

    ws = workspace_with(store_url, REVIEWS.read_bytes())
    setup = open_page("pages/your_data.py", ws=ws)
    button(setup, "Use this dataset").click().run()
    key = setup.session_state["scenario"].dataset
    at = open_page("pages/home.py", ws=ws, dataset=key, noise="uniform", rate="20", seed="0")
    at.radio(key="pick_noise").set_value("crowd").run()
    assert not at.exception, at.exception
    assert at.session_state["scenario"].noise == "uniform" and at.session_state["scenario"].dataset == key
