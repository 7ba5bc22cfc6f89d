"""After deployment (datacentric.deployment): each drift kind changes what it should and nothing else, the monitor's
statistics are scipy's, the label-free estimate tracks covariate shift and misses concept drift, every strategy
spends exactly its budget, the stream and its replay are deterministic, and progress and schedules read back; a
week's budget is capped at what it offers with the reason, the estimate's change is read against its noise, no
alert comes before the drift on the default, and the replay's verdict says what its figures show."""

import dataclasses
from functools import cache

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from datacentric.deployment import drift, monitor, progress, strategies, verdict, weeks
from datacentric.deployment.drift import RAMP, Schedule
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario

DRIFTING = [kind for kind in drift.KINDS if kind != "none"]
FULL = Schedule("covariate").start + RAMP - 1  # the default schedule's first week at full strength


@cache
def lab_of(dataset: str, seed: int = 0, reserve: int = 40):
    return prepare(Scenario(dataset, "none", 0, seed, reserve=reserve))


def pool_items(dataset: str, seed: int = 0):
    """The world and the whole reserve (features, true labels) of a lab: every item a stream can draw."""
    lab = lab_of(dataset, seed)
    pool = weeks.pool_of(lab)
    return weeks.world_of(lab), np.asarray(lab.train_features, dtype=float)[pool], lab.true_labels[pool]


def binomial_slack(p: float, n: int) -> float:
    """Four standard deviations of a share of ``n`` draws with chance ``p``."""
    return 4 * np.sqrt(p * (1 - p) / n)


# --- the schedule --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [1, 3, 7])
def test_severity_is_zero_before_the_start_and_ramps_to_one_over_ramp_weeks(start):
    schedule = Schedule("covariate", start, drift.MAX_WEEKS)
    severity = np.array([schedule.severity(week) for week in range(1, drift.MAX_WEEKS + 1)])
    before, ramp, after = severity[: start - 1], severity[start - 1 : start - 1 + RAMP], severity[start - 1 + RAMP :]
    assert (before == 0).all()
    np.testing.assert_allclose(np.diff(np.r_[0.0, ramp]), 1 / RAMP)  # equal steps from 0 up to 1
    assert ramp[-1] == 1 and (after == 1).all()
    assert all(Schedule("none", start).severity(week) == 0 for week in range(1, drift.MAX_WEEKS + 1))


# --- each drift kind changes what it should and nothing else ------------------------------------------------------


@pytest.mark.parametrize("dataset", ["digits", "wine"])
@pytest.mark.parametrize("kind", list(drift.KINDS))
def test_nothing_changes_before_the_start_nor_ever_without_drift(dataset, kind):
    world, features, labels = pool_items(dataset)
    schedule = Schedule(kind, start=4)
    quiet = range(1, schedule.weeks + 1) if kind == "none" else range(1, schedule.start)
    for week in quiet:
        seen, truth, touched = drift.apply(world, features, labels, schedule, week, seed=0)
        np.testing.assert_array_equal(seen, features)
        np.testing.assert_array_equal(truth, labels)
        assert not touched.any()
        # a prior shift not yet started draws exactly the batch no drift draws
        np.testing.assert_array_equal(
            drift.sample(world, labels, schedule, week, seed=0),
            drift.sample(world, labels, Schedule("none", 4), week, seed=0),
        )


@pytest.mark.parametrize("dataset", ["digits", "wine", "breast_cancer"])
@pytest.mark.parametrize("kind", list(drift.KINDS))
def test_a_week_is_a_seeded_draw_of_distinct_pool_items(dataset, kind):
    world, _, labels = pool_items(dataset)
    schedule = Schedule(kind)
    items = drift.sample(world, labels, schedule, FULL, seed=0)
    assert len(items) == min(schedule.batch, len(labels)) == len(np.unique(items))
    assert items.min() >= 0 and items.max() < len(labels)
    np.testing.assert_array_equal(items, drift.sample(world, labels, schedule, FULL, seed=0))
    assert not np.array_equal(items, drift.sample(world, labels, schedule, FULL, seed=1))


@pytest.mark.parametrize("dataset", ["digits", "wine"])
def test_covariate_shift_changes_every_items_features_and_never_a_label(dataset):
    world, features, labels = pool_items(dataset)
    schedule = Schedule("covariate")
    seen, truth, touched = drift.apply(world, features, labels, schedule, FULL, seed=0)
    assert touched.all()
    assert (seen != features).any(axis=1).all()
    np.testing.assert_array_equal(truth, labels)
    if world.modality == "image":  # a new scanner: fainter ink overall
        assert seen.sum() < features.sum()


@pytest.mark.parametrize("week", [Schedule("covariate").start, FULL])
def test_tabular_covariate_shift_moves_half_the_features_by_training_sds_at_the_weeks_severity(week):
    world, features, labels = pool_items("wine")
    schedule = Schedule("covariate")
    seen, _, _ = drift.apply(world, features, labels, schedule, week, seed=0)
    moved = (seen != features).any(axis=0)
    assert moved.sum() == max(1, features.shape[1] // 2)
    np.testing.assert_array_equal(seen[:, ~moved], features[:, ~moved])
    expected = drift.SHIFT_SD * schedule.severity(week) * world.sd[moved]
    np.testing.assert_allclose(seen[:, moved] - features[:, moved], np.broadcast_to(expected, seen[:, moved].shape))


@pytest.mark.parametrize("dataset", ["digits", "wine"])
def test_prior_shift_leaves_each_item_as_it_is_in_the_pool(dataset):
    lab = lab_of(dataset)
    pool = weeks.pool_of(lab)
    world, features, labels = pool_items(dataset)
    schedule = Schedule("prior")
    seen, truth, touched = drift.apply(world, features, labels, schedule, FULL, seed=0)
    np.testing.assert_array_equal(seen, features)
    np.testing.assert_array_equal(truth, labels)
    assert touched.all()  # every item comes from the shifted balance
    items, seen, truth, _ = weeks.batch(lab, schedule, FULL, seed=0)
    np.testing.assert_array_equal(seen, np.asarray(lab.train_features, dtype=float)[pool[items]])
    np.testing.assert_array_equal(truth, lab.true_labels[pool[items]])


def test_prior_shift_moves_the_class_balance_away_from_the_pools():
    world, _, labels = pool_items("digits")
    pool_share = np.bincount(labels, minlength=world.n_classes) / len(labels)

    def distance(kind: str) -> float:
        """Mean total-variation distance of a week's class shares from the pool's, full strength, 10 seeds."""
        schedule = Schedule(kind, start=1, weeks=drift.MAX_WEEKS)
        far = []
        for seed in range(10):
            for week in range(RAMP, RAMP + 8):
                items = drift.sample(world, labels, schedule, week, seed=seed)
                far.append(
                    0.5 * np.abs(np.bincount(labels[items], minlength=world.n_classes) / len(items) - pool_share).sum()
                )
        return float(np.mean(far))

    # measured 0.51 under prior shift against 0.14 for plain sampling noise (batches of 60 from 503, before weeks of 80)
    assert distance("prior") > 2 * distance("none")


@pytest.mark.parametrize("dataset", ["digits", "wine", "breast_cancer"])
@pytest.mark.parametrize("week", [Schedule("subpopulation").start, FULL])
def test_a_subpopulation_changes_the_features_of_only_the_touched_items_and_never_a_label(dataset, week):
    world, features, labels = pool_items(dataset)
    schedule = Schedule("subpopulation")
    seen, truth, touched = drift.apply(world, features, labels, schedule, week, seed=0)
    np.testing.assert_array_equal(truth, labels)
    np.testing.assert_array_equal((seen != features).any(axis=1), touched)
    share = drift.SUBPOPULATION_SHARE * schedule.severity(week)
    assert abs(touched.mean() - share) < binomial_slack(share, len(labels))
    if world.modality == "tabular":  # all far off on the same features, by the same distance
        moved = seen[touched] != features[touched]
        assert (moved == moved[0]).all()
        in_sds = (seen - features)[touched][:, moved[0]] / world.sd[moved[0]]
        np.testing.assert_allclose(in_sds, np.broadcast_to(in_sds[0], in_sds.shape))
        assert (in_sds > 0).all()


@pytest.mark.parametrize("dataset", ["digits", "wine", "breast_cancer"])
@pytest.mark.parametrize("week", [Schedule("concept").start, FULL])
def test_concept_drift_trades_labels_within_the_first_pair_and_never_changes_features(dataset, week):
    world, features, labels = pool_items(dataset)
    schedule = Schedule("concept")
    seen, truth, touched = drift.apply(world, features, labels, schedule, week, seed=0)
    np.testing.assert_array_equal(seen, features)
    np.testing.assert_array_equal(truth != labels, touched)
    a, b = world.pairs[0]
    paired = np.isin(labels, [a, b])
    assert not touched[~paired].any()
    np.testing.assert_array_equal(truth[touched & (labels == a)], b)
    np.testing.assert_array_equal(truth[touched & (labels == b)], a)
    share = drift.CONCEPT_SHARE * schedule.severity(week)
    assert abs(touched[paired].mean() - share) < binomial_slack(share, int(paired.sum()))


@pytest.mark.parametrize("kind", ["subpopulation", "concept"])
def test_which_items_a_drift_touches_is_seeded(kind):
    world, features, labels = pool_items("digits")
    schedule = Schedule(kind)
    touched = [drift.apply(world, features, labels, schedule, FULL, seed=seed)[2] for seed in (0, 0, 1)]
    np.testing.assert_array_equal(touched[0], touched[1])
    assert not np.array_equal(touched[0], touched[2])


# --- the monitor's statistics are scipy's -------------------------------------------------------------------------


def test_feature_drift_is_scipys_ks_test_and_wasserstein_distance_in_reference_sds():
    rng = np.random.default_rng(0)
    reference = np.column_stack(
        [rng.normal(0, 1, 300), rng.exponential(2, 300), rng.integers(0, 5, 300), np.full(300, 3.0)]
    )
    current = np.column_stack(
        [rng.normal(0.4, 1.5, 120), rng.exponential(2, 120), rng.integers(1, 7, 120), np.full(120, 3.0)]
    )
    statistic, p_value, distance = monitor.feature_drift(reference, current)
    for j in range(reference.shape[1] - 1):
        test = stats.ks_2samp(reference[:, j], current[:, j])
        assert statistic[j] == pytest.approx(test.statistic)
        assert p_value[j] == pytest.approx(test.pvalue)
        assert distance[j] == pytest.approx(
            stats.wasserstein_distance(reference[:, j], current[:, j]) / reference[:, j].std()
        )
    assert (statistic[-1], p_value[-1], distance[-1]) == (0, 1, 0)  # a constant column cannot drift


def test_the_ks_test_flags_a_shifted_sample_and_not_one_from_the_same_distribution():
    rng = np.random.default_rng(0)
    reference = rng.normal(0, 1, (2000, 6))
    current = rng.normal(0, 1, (2000, 6))
    current[:, :3] += 0.3  # a third of a standard deviation
    _, p_value, _ = monitor.feature_drift(reference, current)
    assert (p_value[:3] < monitor.P_DRIFT).all() and (p_value[3:] > monitor.P_DRIFT).all()
    probs = rng.dirichlet(np.ones(3), 2000)
    ref = monitor.reference(reference, probs, probs.argmax(axis=1))
    found = monitor.report(ref, current, probs[: len(current)])
    np.testing.assert_array_equal(found.drifted, p_value < monitor.P_DRIFT)
    assert found.share_drifted == pytest.approx(found.drifted.sum() / reference.shape[1])


@pytest.mark.parametrize(
    "reference_counts, counts",
    [
        ([50, 30, 20], [10, 6, 4]),  # as at deployment
        ([50, 30, 20], [2, 3, 15]),  # moved
        ([60, 40, 0], [30, 20, 3]),  # a class training never predicted: the +0.5 keeps the test defined
        ([1, 0, 0, 0], [0, 0, 5, 5]),
    ],
)
def test_predictions_shift_is_scipys_chi_squared_on_smoothed_expected_counts(reference_counts, counts):
    reference_predicted = np.repeat(np.arange(len(reference_counts)), reference_counts)
    predicted = np.repeat(np.arange(len(counts)), counts)
    expected = np.array(reference_counts) + 0.5
    expected = expected / expected.sum() * sum(counts)
    p = monitor.predictions_shift(reference_predicted, predicted, len(counts))
    assert p == pytest.approx(stats.chisquare(counts, expected).pvalue)
    assert 0 < p <= 1


def deployed_reference(lab):
    features = np.asarray(lab.train_features, dtype=float)[lab.in_use]
    model = weeks.Deployed(lab, features).fit(features, lab.noisy_labels[lab.in_use])
    return weeks.reference(lab, model, features)


def test_the_calibrated_estimate_on_the_reference_itself_is_the_reference_accuracy():
    # isotonic regression keeps the mean of what it fits: calibrated on the reference period, the estimate there is
    # the accuracy measured there
    lab = lab_of("breast_cancer")
    ref = deployed_reference(lab)
    labels = ref.predicted
    probs = np.zeros((len(labels), ref.n_classes))
    probs[np.arange(len(labels)), ref.predicted] = ref.confidence
    probs[np.arange(len(labels)), 1 - ref.predicted] = 1 - ref.confidence  # binary: the rest is the other class
    assert monitor.estimated_accuracy(ref, probs) == pytest.approx(ref.accuracy)
    assert 0.5 < ref.accuracy < 1


def test_no_drift_raises_no_alert():
    lab = lab_of("digits")
    for week in weeks.run(lab, lab.noisy_labels, lab.in_use, Schedule("none"), seed=0):
        assert week.report.share_drifted < monitor.SHARE_ALERT
        assert week.alerts == []


# --- the label-free estimate ---------------------------------------------------------------------------------------

ESTIMATE_SEEDS = (0, 1, 2)


@cache
def watched(dataset: str, kind: str, seed: int):
    """(the reference accuracy at deployment, the weeks) of a stream nobody labels."""
    lab = lab_of(dataset, seed)
    ref = deployed_reference(lab)
    return ref.accuracy, weeks.run(lab, lab.noisy_labels, lab.in_use, Schedule(kind), strategy="random", k=0, seed=seed)


def test_the_estimate_falls_under_covariate_shift_and_tracks_true_accuracy_roughly():
    schedule = Schedule("covariate")
    before, after, unchanged = [], [], []
    for seed in ESTIMATE_SEEDS:
        deployed, stream = watched("digits", "covariate", seed)
        quiet = [w for w in stream if w.week < schedule.start]
        full = [w for w in stream if w.severity == 1]
        # falls by more than the monitor's own alert threshold, and the alert says so
        assert (
            np.mean([w.report.estimated for w in full])
            < np.mean([w.report.estimated for w in quiet]) - monitor.DROP_ALERT
        )
        assert np.mean([w.report.estimated for w in full]) < deployed - monitor.DROP_ALERT  # a week of ~40 scored
        # items can sit closer: the estimate is taken on the same scored items as the true accuracy
        assert all(w.report.share_drifted >= monitor.SHARE_ALERT for w in full)
        before += [abs(w.report.estimated - w.accuracy) for w in quiet]
        after += [abs(w.report.estimated - w.accuracy) for w in stream if w.week >= schedule.start]
        unchanged += [abs(deployed - w.accuracy) for w in stream if w.week >= schedule.start]
    # Measured (digits, default schedule covariate-s3-w10-b80, seeds 0-2, nobody labels, calibrated on the labelled
    # reference period): mean absolute error 0.008 before the drift, 0.17 from its start, too high (confidently
    # wrong on blurred, askew digits). Guessing "as at deployment" errs by 0.39.
    assert np.mean(before) < 0.05
    assert np.mean(after) < 0.3
    assert np.mean(after) < np.mean(unchanged)


def test_the_estimate_misses_concept_drift():
    # Binary breast cancer: the pair is both classes, so concept drift flips labels the inputs cannot reveal.
    # Measured at full strength (seeds 0-2): estimate within 0.02 of the deployment accuracy (0.97), true accuracy
    # 0.12-0.32, a gap of 0.65 or more.
    for seed in ESTIMATE_SEEDS:
        deployed, stream = watched("breast_cancer", "concept", seed)
        full = [w for w in stream if w.severity == 1]
        assert np.mean([abs(w.report.estimated - deployed) for w in full]) < 0.05
        assert all(w.report.estimated - w.accuracy > 0.3 for w in full)
        assert all(w.accuracy < deployed - 0.3 for w in full)


# --- strategies spend exactly their budget ------------------------------------------------------------------------


def week_probs(n: int = Schedule().batch, n_classes: int = 10, seed: int = 0) -> np.ndarray:
    """Probabilities with no ties and none below cleanlab's clip (so the clip changes nothing)."""
    rng = np.random.default_rng(seed)
    return 0.9 * rng.dirichlet(np.ones(n_classes), n) + 0.1 / n_classes


N = Schedule().batch


@pytest.mark.parametrize("strategy", list(strategies.STRATEGIES))
@pytest.mark.parametrize("k", [-3, 0, 1, 10, N, N + 5])
def test_every_strategy_spends_exactly_its_budget(strategy, k):
    rng = np.random.default_rng(1)
    probs = week_probs()
    chosen = strategies.choose(
        strategy, k, probs, features=rng.normal(size=(N, 5)), training=rng.normal(size=(200, 5)), seed=3
    )
    assert len(chosen) == max(0, min(k, N)) == len(np.unique(chosen))
    assert (np.diff(chosen) > 0).all()
    assert chosen.min(initial=0) >= 0 and chosen.max(initial=0) < N


def spent_on_lowest(score: np.ndarray, chosen: np.ndarray) -> bool:
    """Every chosen item scores at most every item passed over."""
    passed = np.setdiff1d(np.arange(len(score)), chosen)
    return score[chosen].max() <= score[passed].min()


@pytest.mark.parametrize("k", [1, 7, 20])
def test_least_confident_and_margin_pick_the_lowest_scores(k):
    probs = week_probs()
    top = np.sort(probs, axis=1)
    assert spent_on_lowest(top[:, -1], strategies.choose("least_confident", k, probs))
    assert spent_on_lowest(top[:, -1] - top[:, -2], strategies.choose("margin", k, probs))


@pytest.mark.parametrize("k", [1, 7, 20])
def test_activelab_picks_cleanlabs_lowest_scores(k):
    from cleanlab.multiannotator import get_active_learning_scores

    probs = week_probs(n_classes=4)
    _, scores = get_active_learning_scores(pred_probs_unlabeled=probs)
    assert spent_on_lowest(scores, strategies.choose("activelab", k, probs))


@pytest.mark.parametrize("k", [1, 3, 4])
def test_drift_aware_picks_the_items_farthest_from_training(k):
    rng = np.random.default_rng(0)
    training = rng.normal(size=(300, 4))
    features = rng.normal(size=(40, 4))
    outliers = np.array([5, 17, 22, 31])
    features[outliers, 0] = [12, 10, 8, 6]  # standard deviations out, farthest first
    chosen = strategies.choose("drift_aware", k, week_probs(40), features=features, training=training)
    np.testing.assert_array_equal(chosen, np.sort(outliers[:k]))


def test_random_choice_is_seeded_and_an_unknown_strategy_is_refused():
    probs = week_probs()
    first, again, other = (strategies.choose("random", 10, probs, seed=seed) for seed in (4, 4, 5))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    with pytest.raises(ValueError, match="unknown strategy"):
        strategies.choose("oracle", 3, probs)


# --- the weeks: deterministic, planned, replayed ------------------------------------------------------------------

STREAM = Schedule("covariate", start=2, weeks=5, batch=30)


def as_rows(stream: list) -> list[tuple]:
    return [
        (
            w.week,
            w.severity,
            w.items.tolist(),
            w.labels.tolist(),
            w.touched.tolist(),
            w.predicted.tolist(),
            w.accuracy,
            w.labelled.tolist(),
            w.report.estimated,
            w.report.p_value.tolist(),
            w.alerts,
        )
        for w in stream
    ]


def test_a_run_is_deterministic_per_seed_and_another_seed_draws_another_stream():
    lab = lab_of("breast_cancer")
    runs = [
        weeks.run(lab, lab.noisy_labels, lab.in_use, STREAM, strategy="margin", k=5, seed=seed) for seed in (0, 0, 1)
    ]
    assert as_rows(runs[0]) == as_rows(runs[1])
    assert [w.week for w in runs[0]] == list(range(1, STREAM.weeks + 1))
    assert any(not np.array_equal(a.items, b.items) for a, b in zip(runs[0], runs[2]))


def test_a_plan_is_followed_week_by_week_and_upto_stops_early():
    lab = lab_of("breast_cancer")
    plan = {2: ("least_confident", 7), 4: ("random", 0)}
    stream = weeks.run(lab, lab.noisy_labels, lab.in_use, STREAM, strategy="margin", k=2, seed=0, plan=plan)
    assert [len(w.labelled) for w in stream] == [plan.get(w.week, ("margin", 2))[1] for w in stream]
    early = weeks.run(lab, lab.noisy_labels, lab.in_use, STREAM, strategy="margin", k=2, seed=0, plan=plan, upto=3)
    assert as_rows(early) == as_rows(stream[:3])
    with pytest.raises(ValueError, match="unknown strategy"):
        weeks.run(lab, lab.noisy_labels, lab.in_use, STREAM, seed=0, plan={2: ("oracle", 3)})


@cache
def replayed(seed: int) -> pd.DataFrame:
    lab = lab_of("breast_cancer")
    return weeks.compare_strategies(lab, lab.noisy_labels, lab.in_use, STREAM, 5, seed=seed)


def test_replay_is_deterministic_with_one_row_per_week_and_way():
    lab = lab_of("breast_cancer")
    told = []
    first = weeks.compare_strategies(
        lab, lab.noisy_labels, lab.in_use, STREAM, 5, seed=0, progress=lambda done, what: told.append(done)
    )
    pd.testing.assert_frame_equal(first, replayed(0))
    assert not first["accuracy"].equals(replayed(1)["accuracy"])
    assert sorted(zip(first["week"], first["way"])) == sorted(
        (week, way) for week in range(1, STREAM.weeks + 1) for way in weeks.WAYS
    )
    assert told[0] == 0 and told[-1] == 1 and (np.diff(told) > 0).all()


def test_never_retraining_is_the_deployed_model_every_week():
    lab = lab_of("breast_cancer")
    kept = lab.in_use
    model = lab.make(lab.fixed_model).fit(np.asarray(lab.train_features, dtype=float)[kept], lab.noisy_labels[kept])
    expected, scoring = [], weeks.scoring_half(lab)
    for week in range(1, STREAM.weeks + 1):
        items, features, labels, _ = weeks.batch(lab, STREAM, week, seed=0)
        scored = scoring[items]  # the half of the pool that scores the weeks, never labelled
        expected.append(np.mean(model.predict(features[scored]) == labels[scored]))
    never = replayed(0).query("way == @weeks.FLOOR_WAY").sort_values("week")
    np.testing.assert_allclose(never["accuracy"], expected)


def test_labelling_everything_labels_every_item_offered_every_week():
    lab = lab_of("breast_cancer")
    stream = weeks.run(lab, lab.noisy_labels, lab.in_use, STREAM, k=STREAM.batch, seed=0, watch=False)
    scoring, taught = weeks.scoring_half(lab), set()
    for week in stream:
        np.testing.assert_array_equal(week.labelled, week.offered)
        assert not scoring[week.items[week.labelled]].any()  # the scoring half is never labelled
        assert not taught & set(week.items[week.labelled])  # nor anything twice
        taught |= set(week.items[week.labelled])
    replay = replayed(0).set_index(["way", "week"])["accuracy"]
    np.testing.assert_allclose(replay[weeks.CEILING_WAY].sort_index(), [w.accuracy for w in stream])
    # the model learns the drifted batches: better than never retraining once the drift is on
    drifted = [w.week for w in stream if w.severity == 1]
    assert replay[weeks.CEILING_WAY][drifted].mean() > replay[weeks.FLOOR_WAY][drifted].mean()


def test_labelling_a_few_drifted_digits_does_not_wreck_the_model():
    # It did while the retrained model refitted its scaler: an always-blank pixel given a spread of 0.0015 by a few
    # drifted digits was multiplied by about 600 (weeks.Deployed now freezes the scaling at deployment).
    lab = lab_of("digits")
    schedule = Schedule("covariate", start=2, weeks=4, batch=30)
    never, labelled = (
        weeks.run(lab, lab.noisy_labels, lab.in_use, schedule, strategy="least_confident", k=k, seed=0, watch=False)
        for k in (0, 5)
    )
    drifted = slice(schedule.start - 1, None)
    # measured: 0.49 with 5 labels a week against 0.74 never retraining (week 3: 0.37 against 0.80)
    assert np.mean([w.accuracy for w in labelled[drifted]]) >= np.mean([w.accuracy for w in never[drifted]]) - 0.1


# --- where the stream draws from ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset, reserve", [("wine", 0), ("digits", 0), ("wine", 10)])
def test_a_reserve_too_small_for_a_stream_is_refused_plainly(dataset, reserve):
    lab = lab_of(dataset, 0, reserve)
    held = int(lab.reserve.sum())
    assert held < weeks.MIN_POOL
    with pytest.raises(
        ValueError, match=f"holds {held} items not collected into training; it needs at least {weeks.MIN_POOL}"
    ):
        weeks.pool_of(lab)
    with pytest.raises(ValueError, match="reserve"):
        weeks.batch(lab, Schedule(), 1, seed=0)


def test_the_pool_is_the_reserve():
    lab = lab_of("breast_cancer")
    np.testing.assert_array_equal(weeks.pool_of(lab), np.flatnonzero(lab.reserve))


# --- progress records ---------------------------------------------------------------------------------------------


def closed(week, strategy="random", k=5):
    return progress.closed(week, strategy, k)


@pytest.mark.parametrize(
    "records, expected",
    [
        ([], {}),
        ([closed(1), closed(2, "margin", 3)], {1: ("random", 5), 2: ("margin", 3)}),
        # a second tab: week 1 closed twice, week 4 before week 3
        (
            [closed(1), closed(1, "margin", 9), closed(2), closed(4), closed(3, "activelab", 0)],
            {1: ("random", 5), 2: ("random", 5), 3: ("activelab", 0)},
        ),
        ([closed(2), closed(1)], {1: ("random", 5)}),
        ([closed(1), closed(2), progress.RESTART, closed(1, "drift_aware", 4)], {1: ("drift_aware", 4)}),
        ([closed(1), progress.RESTART], {}),
        # not what closed() writes: passed over
        (
            [
                {"week": 1, "strategy": "oracle", "k": 3},
                {"week": 1, "strategy": "margin", "k": -1},
                {"week": 1, "strategy": "margin", "k": drift.MAX_BATCH + 1},
                {"week": 1, "strategy": "margin", "k": "3"},
                {"week": 1, "strategy": "margin"},
                {"strategy": "margin", "k": 3},
                {},
                closed(1, "margin", 3),
            ],
            {1: ("margin", 3)},
        ),
    ],
)
def test_plan_keeps_the_weeks_closed_in_turn_since_the_last_restart(records, expected):
    assert progress.plan(records) == expected


@pytest.mark.parametrize(
    "strategy, k, problem",
    [
        ("oracle", 3, "unknown strategy"),
        ("random", -1, f"0 to {drift.MAX_BATCH}"),
        ("random", drift.MAX_BATCH + 1, f"0 to {drift.MAX_BATCH}"),
    ],
)
def test_closed_refuses_what_it_cannot_record(strategy, k, problem):
    with pytest.raises(ValueError, match=problem):
        progress.closed(1, strategy, k)


@pytest.mark.parametrize("k", [0, drift.MAX_BATCH])
def test_closed_accepts_the_ends_of_the_budget(k):
    assert progress.plan([progress.closed(1, "margin", k)]) == {1: ("margin", k)}


def test_each_schedule_has_its_own_topic():
    codes = {progress.topic("digits-none-0-s0", Schedule(kind)) for kind in drift.KINDS}
    assert len(codes) == len(drift.KINDS)
    assert all(code.startswith(progress.TOPIC) for code in codes)


# --- schedules in a URL -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schedule",
    [
        *(Schedule(kind) for kind in drift.KINDS),
        Schedule("prior", 1, 2, 10),
        Schedule("concept", drift.MAX_WEEKS, drift.MAX_WEEKS, drift.MAX_BATCH),
    ],
)
def test_a_schedules_code_reads_back(schedule):
    assert drift.parse_code(schedule.code) == schedule
    assert drift.parse_schedule({"drift": schedule.code}) == (schedule, [])


def test_a_short_code_takes_the_defaults_for_what_it_leaves_out():
    default = drift.DEFAULT_SCHEDULE
    assert drift.parse_code(" prior-s5 ") == Schedule("prior", 5, default.weeks, default.batch)
    assert drift.parse_code("none") == Schedule("none", default.start, default.weeks, default.batch)


@pytest.mark.parametrize(
    "code, problem",
    [
        ("drizzle-s3", "unknown drift kind 'drizzle'"),
        ("", "unknown drift kind"),
        ("covariate-x3", "'x3' is not s<start week>"),
        ("covariate-s", "'s' is not s<start week>"),
        ("covariate--s3", "'' is not s<start week>"),
        ("covariate-s-3", "'s' is not s<start week>"),
        ("covariate-s\u0663", "is not s<start week>"),  # an Arabic-Indic three: a digit, but not one we write
        ("covariate-s3-w1", f"2 to {drift.MAX_WEEKS} weeks"),
        (f"covariate-s3-w{drift.MAX_WEEKS + 1}", f"2 to {drift.MAX_WEEKS} weeks"),
        ("covariate-s0", "starts in one of the stream's weeks"),
        ("covariate-s11-w10", "starts in one of the stream's weeks"),
        ("covariate-b9", f"10 to {drift.MAX_BATCH} items"),
        (f"covariate-b{drift.MAX_BATCH + 1}", f"10 to {drift.MAX_BATCH} items"),
    ],
)
def test_a_bad_code_is_refused_with_its_reason(code, problem):
    with pytest.raises(ValueError) as refused:
        drift.parse_code(code)
    assert problem in str(refused.value)
    schedule, problems = drift.parse_schedule({"drift": code})
    if code:  # an empty parameter is no schedule at all: the default without complaint
        assert schedule == drift.DEFAULT_SCHEDULE and len(problems) == 1
        assert problem in problems[0] and drift.DEFAULT_SCHEDULE.code in problems[0]


@pytest.mark.parametrize("params", [{}, {"drift": ""}, {"other": "x"}])
def test_no_schedule_in_the_url_is_the_default_without_complaint(params):
    assert drift.parse_schedule(params) == (drift.DEFAULT_SCHEDULE, [])


# --- issue 25: the page's demonstration holds on its default, and says why where it does not -------------------


def page_default(seed: int = 0) -> Scenario:
    """The app's default scenario as After deployment deploys it: with the reserve its button holds back."""
    from datacentric.lab.scenario import DEFAULT

    made = dataclasses.replace(DEFAULT, seed=seed)
    if prepare(made).reserve.sum() < weeks.MIN_POOL:
        made = dataclasses.replace(made, reserve=weeks.DEPLOY_RESERVE)
    return made


def issue_default(seed: int = 0) -> Scenario:
    """The default when issue 25 was measured (digits, 30 % systematic noise), as After deployment deploys it."""
    return Scenario("digits", "systematic", 30, seed, reserve=weeks.DEPLOY_RESERVE)


@cache
def lab_for(scenario: Scenario):
    return prepare(scenario)


def test_a_week_offering_fewer_items_than_the_budget_caps_it_and_says_so_with_its_numbers():
    # wine holds back 50 rows: 25 a week, about half of them offered, so 10 labels a week use them up by week 3
    lab = lab_of("wine")
    stream = weeks.run(lab, lab.noisy_labels, lab.in_use, Schedule(), k=weeks.BUDGET, seed=0, watch=False)
    full = [w for w in stream if len(w.offered) >= weeks.BUDGET]
    short = [w for w in stream if len(w.offered) < weeks.BUDGET]
    assert full and short
    for week in full:
        assert weeks.budget_for(week, weeks.BUDGET) == (weeks.BUDGET, "")
    for week in short:
        budget, why = weeks.budget_for(week, weeks.BUDGET)
        assert budget == len(week.offered) == len(week.labelled)
        taught = len(week.items) - len(week.scored) - len(week.offered)
        assert taught > 0  # the items it does not offer were labelled in earlier weeks
        assert f"so the budget is {budget}, not the {weeks.BUDGET} you chose" in why
        assert f"{len(week.scored)} score the week and {taught} " in why
        assert f"of its {len(week.items)} items" in why
    assert weeks.budget_for(short[-1], 0) == (0, "")  # a budget the week can pay says nothing


def test_the_estimates_noise_is_two_standard_errors_of_a_mean_of_calibrated_confidences():
    from sklearn.isotonic import IsotonicRegression

    lab = lab_of("digits")
    week = weeks.run(lab, lab.noisy_labels, lab.in_use, Schedule(), k=0, seed=0, upto=1)[0]
    ref, found = week.reference, week.report
    fit = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(ref.confidence, ref.correct.astype(float))
    spread = fit.predict(ref.confidence).std()
    assert found.estimated_on == len(week.scored)
    assert found.noise == pytest.approx(monitor.NOISE_Z * spread / np.sqrt(len(week.scored)))
    assert monitor.noise(ref, 4 * len(week.scored)) == pytest.approx(found.noise / 2)  # four times the items: half
    assert found.change(ref) == pytest.approx(found.estimated - ref.accuracy)


@pytest.mark.parametrize(
    "change, noise, moved",
    [(-0.03, 0.06, False), (0.03, 0.06, False), (-0.07, 0.06, True), (0.07, 0.06, True), (0.0, 0.0, False)],
)
def test_the_change_since_deployment_is_said_beyond_or_within_its_noise(change, noise, moved):
    ref = monitor.Reference(
        np.zeros((4, 1)), np.zeros(4, dtype=int), np.linspace(0.5, 1, 4), np.array([True, True, False, True]), 2
    )
    found = monitor.Report(
        np.zeros(1), np.ones(1), np.zeros(1), np.ones(1, dtype=bool), 1.0, 1.0, ref.accuracy + change, 40, noise
    )
    assert found.beyond_noise(ref) is moved
    words = monitor.change_words(ref, found)
    if noise == 0:
        assert "cannot move" in words and f"{ref.accuracy:.1%}" in words
    else:
        assert f"a week of 40 items lands within ±{noise * 100:.1f} points of the {ref.accuracy:.1%}" in words
        assert words.endswith(
            f"{change * 100:+.1f} points is " + ("more than that." if moved else "within that noise.")
        )
    # the drop alert wants both: beyond the noise and beyond DROP_ALERT
    dropped = any(a.startswith("The estimated accuracy") for a in monitor.alerts(ref, found))
    assert dropped == (-change > max(monitor.DROP_ALERT, noise))


@pytest.mark.parametrize("dataset", ["digits", "wine", "breast_cancer"])
def test_no_estimate_alert_before_the_drift_on_seeds_0_to_4(dataset):
    # Before: wine's weeks score 9-15 items, whose estimate moves +-12 points by chance, and a 5-point threshold
    # alerted in week 2 of seed 0 (-7.0 points) before any drift.
    schedule = Schedule()
    for seed in range(5):
        lab = lab_of(dataset, seed)
        for week in weeks.run(lab, lab.noisy_labels, lab.in_use, schedule, k=0, seed=seed, upto=schedule.start - 1):
            assert not any(a.startswith("The estimated accuracy") for a in week.alerts), (seed, week.week)
            assert not week.report.change(week.reference) < -week.report.noise or week.alerts


@pytest.mark.parametrize("scenario_of", [page_default, issue_default])
def test_no_alert_before_the_drift_on_the_default_and_the_estimate_alert_once_it_bites(scenario_of):
    schedule = drift.DEFAULT_SCHEDULE
    for seed in range(5):
        lab = lab_for(scenario_of(seed))
        stream = weeks.run(lab, lab.noisy_labels, lab.in_use, schedule, k=0, seed=seed)
        for week in stream[: schedule.start - 1]:
            assert week.alerts == [], (seed, week.week, week.alerts)
            assert not week.report.beyond_noise(week.reference), (seed, week.week)
        full = [w for w in stream if w.severity == 1]
        assert any(a.startswith("The estimated accuracy") for w in full for a in w.alerts), seed


# --- the replay's verdict -----------------------------------------------------------------------------------------


def frame(hits: dict[str, list[list[bool]]], labelled: dict[str, list[int]] | None = None) -> pd.DataFrame:
    """A replay's table from each way's hits per week (every way scored on the same items)."""
    rows = []
    for way in weeks.WAYS:
        for week, week_hits in enumerate(hits.get(way, hits[weeks.FLOOR_WAY]), start=1):
            n = (labelled or {}).get(way, {}) and labelled[way][week - 1]
            rows.append(
                {
                    "week": week,
                    "way": way,
                    "accuracy": float(np.mean(week_hits)),
                    "scored": len(week_hits),
                    "hits": tuple(week_hits),
                    "labelled": n or 0,
                    "labelled_wrong": 0,
                }
            )
    return pd.DataFrame(rows)


T, F = True, False


def test_every_way_above_never_by_the_last_week_is_said_with_the_lowest():
    never = [[T, T, T, T], [T, F, F, F], [F, F, F, T]]
    better = [[T, T, T, T], [T, T, F, F], [T, T, F, T]]
    done = frame(
        {
            "never": never,
            **{w: better for w in weeks.WAYS if w != "never"},
            "drift_aware": [[T, T, T, T], [T, T, F, F], [T, F, T, T]],
        }
    )
    read = verdict.read(done, k=2, start=2)
    assert read.not_above_never_last == []
    assert read.by_the_last_week() == (
        "By the last week (week 3), every way of labelling was above never retraining: "
        "the lowest, Random, at 75.0%, against 25.0%, on the week's 4 scored items."
    )


def test_a_tie_with_never_by_the_last_week_is_said_with_what_the_drift_cost():
    never = [[T, T, T, T], [T, T, T, F], [T, T, T, F]]
    done = frame({"never": never})  # every way right on the very items never retraining got right
    read = verdict.read(done, k=2, start=2)
    assert read.not_above_never_last == [w for w in weeks.WAYS if w != "never"]
    said = read.by_the_last_week()
    assert "not every way of labelling was above never retraining (75.0%)" in said
    assert "one item is 25.0 points" in said
    assert (
        "scored 100.0% before the drift began and 75.0% in the last week: the drift cost it 25.0 points, one of "
        "the week's 4 items"
    ) in said
    assert "got right the very 3 items never retraining got right" in said


def test_labelling_everything_that_ran_out_before_the_drift_is_said_with_its_counts():
    never = [[T, T, T, T]] * 2 + [[F, F, F, F]] * 3
    done = frame(
        {
            "never": never,
            "everything": never[:2] + [[T, F, F, F]] * 3,
            **{w: never[:2] + [[T, T, T, F]] * 3 for w in strategies.STRATEGIES},
        },
        labelled={
            "everything": [6, 4, 1, 0, 0],
            "never": [0] * 5,
            **{w: [2, 2, 2, 2, 2] for w in strategies.STRATEGIES},
        },
    )
    read = verdict.read(done, k=2, start=3)
    assert read.ran_out and read.above_everything == list(strategies.STRATEGIES)
    said = read.everything_below()
    assert (
        "It labelled 10 items in weeks 1-2, before the drift began, and 1 in weeks 3-4, where Random labelled 4" in said
    )
    split = read.splits[("random", "everything")]
    assert (split.items, split.only_first, split.only_second) == (12, 6, 0)
    assert split.chance == pytest.approx(stats.binomtest(6, 6, 0.5).pvalue)
    assert said.endswith(f"comes by chance {split.chance:.1%} of the time, so the gap is real.")


def test_labelling_everything_below_a_strategy_by_chance_is_said_to_be_within_the_noise():
    never = [[T, T, F, F]] * 4
    done = frame(
        {
            "never": never,
            "everything": [[T, T, T, F]] * 3 + [[T, F, T, F]],
            **{w: [[T, T, T, F]] * 3 + [[T, T, T, F]] for w in strategies.STRATEGIES},
        },
        labelled={"everything": [4, 4, 4, 4], "never": [0] * 4, **{w: [1] * 4 for w in strategies.STRATEGIES}},
    )
    read = verdict.read(done, k=1, start=2)
    assert not read.ran_out
    said = read.everything_below()
    assert "It labelled more items (16 against 4)" in said
    assert said.endswith("comes by chance 100% of the time, so the gap is within the noise of a race this size.")


def test_weeks_that_offer_fewer_items_than_the_budget_are_said():
    never = [[T, F]] * 3
    done = frame(
        {"never": never},
        labelled={"never": [0] * 3, "everything": [2, 1, 0], **{w: [2, 1, 0] for w in strategies.STRATEGIES}},
    )
    assert (
        verdict.read(done, k=2, start=1)
        .short_of_budget()
        .startswith("Not every week offered 2 items to label: over the 3 weeks the strategies labelled 3 items, not 6")
    )
    full = frame(
        {"never": never},
        labelled={"never": [0] * 3, "everything": [2] * 3, **{w: [2] * 3 for w in strategies.STRATEGIES}},
    )
    assert verdict.read(full, k=2, start=1).short_of_budget() == ""


def test_the_replay_keeps_each_scored_items_hit_and_each_weeks_labels():
    lab = lab_of("breast_cancer")
    done = replayed(0)
    for way, strategy, k in (("margin", "margin", 5), (weeks.CEILING_WAY, "random", STREAM.batch)):
        stream = weeks.run(lab, lab.noisy_labels, lab.in_use, STREAM, strategy=strategy, k=k, seed=0, watch=False)
        rows = done[done["way"] == way].sort_values("week")
        assert rows["labelled"].tolist() == [len(w.labelled) for w in stream]
        assert rows["labelled_wrong"].tolist() == [int((w.predicted != w.labels)[w.labelled].sum()) for w in stream]
        for (_, row), w in zip(rows.iterrows(), stream):
            assert row["hits"] == tuple((w.predicted == w.labels)[w.scored].tolist())
            assert row["scored"] == len(w.scored) and np.mean(row["hits"]) == pytest.approx(row["accuracy"])


@pytest.mark.parametrize("seed", range(5))
def test_every_way_of_labelling_beats_never_retraining_by_the_last_week_on_the_issues_default(seed):
    # Measured (bench/deployment.py --holds-only, which reruns it on the app's current default): never retraining
    # 0.32-0.62 in week 10, the lowest way of labelling 0.79-0.87. Where it does not hold, the page says which way
    # and the figures (verdict.by_the_last_week).
    lab = lab_for(issue_default(seed))
    done = weeks.compare_strategies(lab, lab.noisy_labels, lab.in_use, drift.DEFAULT_SCHEDULE, weeks.BUDGET, seed=seed)
    read = verdict.read(done, k=weeks.BUDGET, start=drift.DEFAULT_SCHEDULE.start)
    assert read.not_above_never_last == [], read.by_the_last_week()
    assert read.by_the_last_week().startswith(
        f"By the last week (week {drift.DEFAULT_SCHEDULE.weeks}), every way of labelling was above never retraining"
    )


def test_labelling_everything_that_loses_to_a_strategy_is_explained_with_the_weeks_counts():
    # breast cancer, 30 % systematic noise, seed 4: labelling everything took 57 items of the 80 offered before the
    # drift, so it had 23 drifted ones to learn from where random had 59; it finished 9 points below random
    scenario = Scenario("breast_cancer", "systematic", 30, 4, reserve=40)
    lab = lab_for(scenario)
    schedule = drift.DEFAULT_SCHEDULE
    done = weeks.compare_strategies(lab, lab.noisy_labels, lab.in_use, schedule, weeks.BUDGET, seed=4)
    read = verdict.read(done, k=weeks.BUDGET, start=schedule.start)
    assert read.above_everything and read.ran_out
    first = read.above_everything[0]
    every = weeks.run(lab, lab.noisy_labels, lab.in_use, schedule, k=schedule.batch, seed=4, watch=False)
    best = weeks.run(lab, lab.noisy_labels, lab.in_use, schedule, strategy=first, k=weeks.BUDGET, seed=4, watch=False)
    before = sum(len(w.labelled) for w in every if w.week < schedule.start)
    during = sum(len(w.labelled) for w in every if schedule.start <= w.week < schedule.weeks)
    theirs = sum(len(w.labelled) for w in best if schedule.start <= w.week < schedule.weeks)
    assert during < theirs
    assert (
        f"It labelled {before} items in weeks 1-{schedule.start - 1}, before the drift began, and {during} in "
        f"weeks {schedule.start}-{schedule.weeks - 1}, where {weeks.WAYS[first]} labelled {theirs}"
        in read.everything_below()
    )
