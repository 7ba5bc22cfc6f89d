import pytest

from datacentric.lab.scenario import DEFAULT, Scenario, parse_scenario


def test_round_trip_through_url_params():
    scenario = Scenario("wine", "pairs", 35, 12345)
    assert parse_scenario(scenario.to_params()) == (scenario, [])


def test_empty_url_is_the_default_without_complaint():
    assert parse_scenario({}) == (DEFAULT, [])


@pytest.mark.parametrize(
    "params, expected, problem",
    [
        ({"dataset": "nope"}, DEFAULT, "Unknown dataset"),
        ({"rate": "300"}, Scenario(rate=50), "outside 0-50"),
        ({"rate": "-5"}, Scenario(rate=0), "outside 0-50"),
        ({"rate": "lots"}, DEFAULT, "not a number"),
        ({"seed": "abc"}, DEFAULT, "not a number"),
        ({"seed": "nan"}, DEFAULT, "not a number"),
        ({"seed": "-1"}, DEFAULT, "seed must be between"),
        ({"noise": "gaussian"}, DEFAULT, "Unknown noise kind"),
    ],
)
def test_impossible_values_fall_back_and_say_so(params, expected, problem):
    scenario, problems = parse_scenario(params)
    assert scenario == expected
    assert len(problems) == 1 and problem in problems[0]


def test_several_problems_are_all_reported():
    scenario, problems = parse_scenario({"dataset": "nope", "rate": "300", "seed": "abc"})
    assert scenario == Scenario(rate=50)
    assert len(problems) == 3


def test_rate_accepts_a_percent_sign_and_no_noise_means_rate_zero():
    assert parse_scenario({"rate": "25%"})[0].rate == 25
    assert parse_scenario({"noise": "none", "rate": "30"})[0].rate == 0
