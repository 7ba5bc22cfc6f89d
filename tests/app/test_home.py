import pytest

from datacentric.lab.scenario import DEFAULT
from tests.app.conftest import DATASETS, flat, metric
from tests.app.test_classroom import other_sessions  # noqa: F401 (a fixture)


@pytest.mark.parametrize("dataset", DATASETS)
def test_home_shows_what_noise_costs(open_page, dataset):
    at = open_page("pages/home.py", dataset=dataset, noise="uniform", rate="20", seed="0")
    assert at.title[0].value == "Data-Centric Playground"
    for label in ("Trained on noisy labels", "Trained on clean labels", "Most-frequent-class floor"):
        assert metric(at, label).endswith("%")
    assert at.selectbox(key="pick_dataset").value == dataset
    clean, noisy = (float(metric(at, f"Trained on {kind} labels").rstrip("%")) for kind in ("clean", "noisy"))
    cost = clean - noisy
    # a noise that costs under a point says so (wine, where 20 % uniform costs nothing); the others do not
    warned = [w.value for w in at.warning if "less than one" in w.value]
    assert bool(warned) == (cost < 1) and len(at.warning) == len(warned), (cost, [w.value for w in at.warning])


def test_choosing_a_scenario_puts_it_in_the_url(open_page):
    at = open_page("pages/home.py")
    at.selectbox(key="pick_dataset").select("wine").run()
    at.radio(key="pick_noise").set_value("pairs").run()
    at.slider(key="pick_rate").set_value(35).run()
    at.number_input(key="pick_seed").set_value(4).run()
    assert not at.exception
    assert flat(at.query_params) == {"dataset": "wine", "noise": "pairs", "rate": "35", "seed": "4"}
    assert any("178 wines" in c.value for c in at.caption)


def test_the_sidebar_names_the_scenario_and_offers_a_share_link(open_page):
    at = open_page("pages/home.py", dataset="wine", noise="pairs", rate="35", seed="4")
    assert at.sidebar.text[0].value == "Wine cultivars, 35 % confusable-pair label noise, seed 4"
    assert "dataset=wine&noise=pairs&rate=35&seed=4" in at.sidebar.code[0].value


def test_no_noise_shows_no_gap(open_page):
    at = open_page("pages/home.py", dataset="digits", noise="none")
    assert metric(at, "Trained on noisy labels") == metric(at, "Trained on clean labels")


def test_an_impossible_url_falls_back_and_says_so(open_page):
    at = open_page("pages/home.py", dataset="nope", rate="300", seed="abc")
    warnings = " ".join(w.value for w in at.warning)
    assert "Unknown dataset 'nope'" in warnings and "300 %" in warnings and "'abc' is not a number" in warnings
    assert at.selectbox(key="pick_dataset").value == DEFAULT.dataset
    assert at.slider(key="pick_rate").value == 50


def test_the_workspace_never_shows_in_the_url_and_its_resume_code_opens_it_elsewhere(open_page, store_url):
    from datacentric.persistence import resume
    from datacentric.persistence.store import Store

    at = open_page("pages/fix_labels.py", dataset="wine", noise="pairs", rate="20", seed="1")
    next(b for b in at.button if b.label.startswith("Accept suggestion")).click().run()
    ws = at.session_state["workspace"]
    assert ws and "ws" not in flat(at.query_params)
    code = resume.shown(Store(store_url).resume_code(ws))  # the sidebar's st.code (AppTest does not read it)
    elsewhere = open_page("pages/home.py")  # another device: no cookie, no link
    elsewhere.text_input(key="resume_code").input(code.lower()).run()
    elsewhere.button(key="resume_open").click().run()
    assert any("Welcome back" in s.value for s in elsewhere.success)
    assert elsewhere.session_state["workspace"] == ws
    assert elsewhere.session_state["scenario"].describe().startswith("Wine cultivars, 20 % confusable-pair")
    assert elsewhere.selectbox(key="pick_dataset").value == "wine"  # the picker shows the work's scenario


def resume_with(at, code: str):
    at.text_input(key="resume_code").input(code).run()
    at.button(key="resume_open").click().run()
    assert not at.exception, at.exception
    return at


def test_wrong_resume_codes_are_refused_then_the_session_is_told_how_long_to_wait(open_page, store_url):
    from datacentric.persistence import resume
    from datacentric.persistence.store import Store

    store = Store(store_url)
    code = resume.shown(store.resume_code(store.create_workspace({"dataset": "wine"})))
    at = open_page("pages/home.py")
    assert any("not a resume code" in w.value for w in resume_with(at, "ABCD-EFGH-JKM0").warning)  # no guess
    for _ in range(resume.FAILURES):
        assert any("No workspace has that code" in w.value for w in resume_with(at, "ABCD-EFGH-JKMN").warning)
    # even the right code waits now, in this session
    assert any(w.value.startswith("Too many wrong codes: try again in ") for w in resume_with(at, code).warning)
    assert at.session_state["workspace"] is None


def test_the_right_resume_code_opens_the_work_after_100_wrong_ones_from_the_same_address(
    open_page, store_url, other_sessions, monkeypatch
):
    from datacentric.persistence import resume
    from datacentric.persistence.store import Store
    from datacentric.ui import workspace

    time, on = other_sessions
    limits = resume.Limiter(clock=time, sleep=time.sleep)
    monkeypatch.setattr(workspace, "attempts", lambda: limits)
    on("203.0.113.7")(limits)
    store = Store(store_url)
    ws = store.create_workspace({"dataset": "wine"})
    at = resume_with(open_page("pages/home.py"), resume.shown(store.resume_code(ws)))
    assert any("Welcome back" in s.value for s in at.success) and at.session_state["workspace"] == ws
    assert 0 < sum(time.slept) <= limits.slowest
