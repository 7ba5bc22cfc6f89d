"""The noise kinds that follow the items (systematic, ambiguous) or come from a panel of annotators (crowd) through
Home,
Tune, Fix and Compare."""

import pytest

from tests.app.conftest import flat, metric

KINDS = {"systematic": "systematic", "ambiguous": "ambiguous-item", "crowd": "crowd"}


def described(title: str, kind: str, rate: int, seed: int) -> str:
    if kind == "crowd":  # a panel's labels: the rate is not used
        return f"{title}, labels from 50 simulated annotators by CROWDLAB consensus, seed {seed}"
    return f"{title}, {rate} % {KINDS[kind]} label noise, seed {seed}"


@pytest.mark.parametrize("kind", KINDS)
def test_home_picks_the_kind_and_says_what_it_costs(open_page, kind):
    at = open_page("pages/home.py", dataset="digits", noise="uniform", rate="20", seed="0")
    at.radio(key="pick_noise").set_value(kind).run()
    assert not at.exception
    assert flat(at.query_params)["noise"] == kind
    assert at.session_state["scenario"].describe() == described("Handwritten digits", kind, 20, 0)
    noisy, clean = (float(metric(at, m).rstrip("%")) for m in ("Trained on noisy labels", "Trained on clean labels"))
    assert noisy < clean


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("page", ["pages/tune_model.py", "pages/fix_labels.py", "pages/compare.py"])
def test_every_page_works_on_the_kind(open_page, kind, page):
    at = open_page(page, dataset="wine", noise=kind, rate="30", seed="1")
    assert not at.exception
    assert at.session_state["scenario"].describe() == described("Wine cultivars", kind, 30, 1)
    if page == "pages/fix_labels.py":
        next(b for b in at.button if b.label.startswith("Accept suggestion: ")).click().run()
        assert not at.exception and metric(at, "Actions taken") == "1"
    if page == "pages/compare.py":
        at.slider[0].set_value(10).run()
        next(b for b in at.button if b.label == "Replay the experiment").click().run()
        assert not at.exception and len(at.table) == 2


def test_the_default_scenario_is_small_mnist_with_uniform_noise_and_old_links_keep_theirs(open_page):
    at = open_page("pages/home.py")
    assert at.sidebar.text[0].value == "Handwritten digits (MNIST, small), 40 % uniform label noise, seed 0"
    old = open_page("pages/home.py", dataset="digits", noise="systematic", rate="30", seed="0")  # a link from before
    assert old.sidebar.text[0].value == "Handwritten digits, 30 % systematic label noise, seed 0"
    assert old.session_state["scenario"].slug == "digits-systematic-30-0"  # the same log as before


def test_home_picks_the_under_represented_kind_with_a_reserve(open_page):
    at = open_page("pages/home.py", dataset="digits", noise="uniform", rate="20", seed="0")
    at.radio(key="pick_noise").set_value("scarce").run()
    assert not at.exception
    assert flat(at.query_params)["noise"] == "scarce" and flat(at.query_params)["reserve"] == "10"
    at.slider(key="pick_rate").set_value(0).run()  # under-representation alone is a scenario: the rate may be 0
    assert at.session_state["scenario"].describe() == (
        "Handwritten digits, one slice under-represented, no label noise, 10 % held back, seed 0"
    )
    assert any("training rows are held back" in m.value and "for you to find" in m.value for m in at.markdown)
    at.slider(key="pick_reserve").set_value(25).run()
    assert flat(at.query_params)["reserve"] == "25"


@pytest.mark.parametrize("page", ["pages/tune_model.py", "pages/fix_labels.py", "pages/compare.py"])
def test_every_page_works_with_a_reserve_and_never_shows_its_rows(open_page, page):
    from datacentric.lab.prepare import prepare
    from datacentric.lab.scenario import Scenario

    lab = prepare(Scenario("digits", "scarce", 20, 0, reserve=10))
    at = open_page(page, dataset="digits", noise="scarce", rate="20", seed="0", reserve="10")
    assert not at.exception
    if page == "pages/fix_labels.py":
        card = next(m.value for m in at.markdown if m.value.startswith("**Review item "))
        item = int(card.removeprefix("**Review item ").split("**")[0].replace(",", ""))
        assert not lab.reserve[item]  # the queue holds only rows in training
        assert not any(s.label == "Removed items" for s in at.selectbox)  # the reserve is not "removed"
        in_queue = int(card.split("; ")[1].split(" in the queue")[0])
        assert in_queue <= lab.n_in_use
    if page == "pages/compare.py":
        at.slider[0].set_value(10).run()
        next(b for b in at.button if b.label == "Replay the experiment").click().run()
        assert not at.exception and len(at.table) == 2
