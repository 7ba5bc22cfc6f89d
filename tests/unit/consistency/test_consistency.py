"""Label consistency: the agreement measures against maintained implementations and hand-worked examples, the
simulated annotator panels, the three ways of turning a panel's labels into one, the annotator-panel scenario, and
the labelling-instructions exercise on the generated scratched parts."""

import dataclasses
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score

from datacentric.consistency import instructions, parts, study
from datacentric.crowd import agreement, consensus
from datacentric.crowd.panels import (
    BAD_BELOW,
    DEFAULT_PANEL,
    METHODS,
    MISSING,
    Group,
    Panel,
    fallback_classes,
    parse_code,
    parse_panel,
    simulate,
)
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import DEFAULT_CROWD, Scenario, parse_scenario

USERS_KEY = "u-0123456789abcdef"  # a learner's dataset key: it has no true labels to simulate a panel on


def _with_missing(labels: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    return np.where(rng.random(labels.shape) < share, MISSING, labels)


def _panel_labels(
    seed: int, n_items: int, n_annotators: int, n_classes: int, *, right: float, missing: float
) -> np.ndarray:
    """Annotators who give the true label with chance ``right`` and any class otherwise, some labels missing: data
    whose agreement is well above zero, unlike independent random labels."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(n_classes, size=n_items)
    labels = np.where(
        rng.random((n_items, n_annotators)) < right,
        truth[:, None],
        rng.integers(n_classes, size=(n_items, n_annotators)),
    )
    return _with_missing(labels, missing, rng)


# --- Cohen's kappa -----------------------------------------------------------------------------------------------


def test_cohen_kappa_of_a_hand_worked_pair():
    # 50 items, two annotators saying yes (1) or no (0): both yes 20, A yes B no 5, A no B yes 10, both no 15.
    # observed = (20 + 15) / 50 = 0.7; A says yes 25/50, B 30/50: expected = 0.5 * 0.6 + 0.5 * 0.4 = 0.5;
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    a = np.array([1] * 20 + [1] * 5 + [0] * 10 + [0] * 15)
    b = np.array([1] * 20 + [0] * 5 + [1] * 10 + [0] * 15)
    assert agreement.cohen_kappa(a, b) == pytest.approx((0.7 - 0.5) / (1 - 0.5))
    # Items only one of them labelled change nothing: they are dropped.
    a_more = np.concatenate([a, [1, MISSING, 0, MISSING]])
    b_more = np.concatenate([b, [MISSING, 0, MISSING, MISSING]])
    assert agreement.cohen_kappa(a_more, b_more) == pytest.approx(0.4)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_classes", [2, 3, 7])
@pytest.mark.parametrize("missing", [0.0, 0.3])
def test_cohen_kappa_matches_scikit_learn_on_the_items_both_labelled(seed, n_classes, missing):
    labels = _panel_labels(seed, 200, 2, n_classes, right=0.6, missing=missing)
    a, b = labels[:, 0], labels[:, 1]
    both = (a != MISSING) & (b != MISSING)
    assert (~both).any() == (missing > 0)
    assert agreement.cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a[both], b[both]), abs=1e-12)


def test_cohen_kappa_is_nan_without_a_shared_item():
    assert np.isnan(agreement.cohen_kappa([0, MISSING, 1], [MISSING, 1, MISSING]))


def test_pairwise_kappa_is_each_pairs_cohen_kappa_and_nan_when_they_share_too_little():
    labels = _panel_labels(4, 60, 5, 3, right=0.7, missing=0.4)
    labels[10:, 4] = MISSING  # annotator 4 labelled at most 10 items, so it shares fewer than 12 with anyone
    kappa = agreement.pairwise_kappa(labels, min_shared=12)
    given = labels != MISSING
    assert np.allclose(kappa, kappa.T, equal_nan=True) and (np.diag(kappa) == 1).all()
    for i in range(5):
        for j in range(i + 1, 5):
            shared = int((given[:, i] & given[:, j]).sum())
            if shared >= 12:
                assert kappa[i, j] == pytest.approx(agreement.cohen_kappa(labels[:, i], labels[:, j]))
            else:
                assert np.isnan(kappa[i, j])
    assert np.isnan(kappa[4, :4]).all() and not np.isnan(kappa[:4, :4]).any()


# --- Fleiss' kappa -----------------------------------------------------------------------------------------------

# Wikipedia's worked example ("Fleiss' kappa"): 10 items, 14 raters each, 5 categories; how many raters put each item
# in each category.
WIKIPEDIA_COUNTS = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)


def test_fleiss_kappa_of_wikipedias_worked_example():
    labels = np.array([np.repeat(np.arange(5), row) for row in WIKIPEDIA_COUNTS])  # (10 items, 14 raters)
    assert labels.shape == (10, 14)
    assert np.array_equal(agreement.counts(labels, 5), WIKIPEDIA_COUNTS)
    # Per item, agreeing ordered pairs sum(n_ij (n_ij - 1)) over 14 * 13 = 182 pairs; summed over the ten items:
    # 182 + 46 + 56 + 80 + 60 + 84 + 44 + 32 + 52 + 52 = 688, so P_bar = 688 / (10 * 182) = 0.378.
    # Category totals 20, 28, 39, 21, 32 of 140: P_e = (20² + 28² + 39² + 21² + 32²) / 140² = 4170 / 19600 = 0.213.
    # kappa = (P_bar - P_e) / (1 - P_e) = 0.210.
    p_bar, p_e = Fraction(688, 1820), Fraction(4170, 19600)
    expected = float((p_bar - p_e) / (1 - p_e))
    assert round(expected, 3) == 0.210
    assert agreement.fleiss_kappa(labels, 5) == pytest.approx(expected, abs=1e-12)
    # Which rater gave which label does not matter, only the counts.
    shuffled = np.random.default_rng(0).permuted(labels, axis=1)
    assert agreement.fleiss_kappa(shuffled, 5) == pytest.approx(expected, abs=1e-12)


def test_fleiss_kappa_leaves_out_items_with_fewer_than_two_labels():
    labels = _panel_labels(5, 40, 6, 3, right=0.6, missing=0.0)
    lonely = np.full((5, 6), MISSING)
    lonely[:, 0] = [0, 1, 2, 2, 2]
    assert agreement.fleiss_kappa(np.vstack([labels, lonely]), 3) == pytest.approx(agreement.fleiss_kappa(labels, 3))


# --- Krippendorff's alpha ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("n_classes, right", [(2, 0.5), (3, 0.7), (6, 0.3)])
@pytest.mark.parametrize("missing", [0.0, 0.45])
def test_krippendorff_alpha_matches_the_krippendorff_package(seed, n_classes, right, missing):
    labels = _panel_labels(seed, 60, 7, n_classes, right=right, missing=missing)
    reliability_data = np.where(labels == MISSING, np.nan, labels.astype(float)).T  # (raters, items)
    theirs = krippendorff.alpha(
        reliability_data=reliability_data, level_of_measurement="nominal", value_domain=list(range(n_classes))
    )
    assert agreement.krippendorff_alpha(labels, n_classes) == pytest.approx(theirs, abs=1e-12)


def test_krippendorff_alpha_of_a_hand_worked_case():
    # Two coders, four items: (0, 0), (0, 1), (1, 1), (1, 1); a fifth item has one label and cannot be paired.
    # Coincidences: o00 = 2 (item 1), o01 = o10 = 1 (item 2), o11 = 2 + 2 (items 3, 4); n0 = 3, n1 = 5, n = 8.
    # Observed disagreement (o01 + o10) / n = 2 / 8; expected (n0 n1 + n1 n0) / (n (n - 1)) = 30 / 56.
    # alpha = 1 - (2 / 8) / (30 / 56) = 1 - 14 / 30 = 8 / 15.
    labels = np.array([[0, 0], [0, 1], [1, 1], [1, 1], [MISSING, 1]])
    assert agreement.krippendorff_alpha(labels, 2) == pytest.approx(8 / 15, abs=1e-12)


def test_krippendorff_alpha_of_krippendorffs_own_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units, values 1 to 5 (here
    # 0 to 4), some missing; nominal alpha 0.743.
    n = MISSING
    by_observer = np.array(
        [
            [0, 1, 2, 2, 1, 0, 3, 0, 1, n, n, n],
            [0, 1, 2, 2, 1, 1, 3, 0, 1, 4, n, 2],
            [n, 2, 2, 2, 1, 2, 3, 1, 1, 4, 0, n],
            [0, 1, 2, 2, 1, 3, 3, 0, 1, 4, 0, n],
        ]
    )
    alpha = agreement.krippendorff_alpha(by_observer.T, 5)
    assert round(alpha, 3) == 0.743
    assert alpha == pytest.approx(
        krippendorff.alpha(
            reliability_data=np.where(by_observer == MISSING, np.nan, by_observer.astype(float)),
            level_of_measurement="nominal",
        ),
        abs=1e-12,
    )


@pytest.mark.parametrize("measure", [agreement.fleiss_kappa, agreement.krippendorff_alpha])
def test_perfect_agreement_is_one_and_no_pair_is_nan(measure):
    truth = np.array([0, 1, 2, 1, 0, 2])
    assert measure(np.column_stack([truth, truth, truth]), 3) == pytest.approx(1.0)
    one_each = np.full((6, 3), MISSING)
    one_each[np.arange(6), np.arange(6) % 3] = truth
    assert np.isnan(measure(one_each, 3))


# --- disagreement, most disputed, in words -------------------------------------------------------------------------


def test_disagreement_and_the_most_disputed_items():
    labels = np.array(
        [
            [0, 0, 0, 0],  # all agree: 0
            [0, 1, 2, MISSING],  # 2 of 3 differ from the most common: 2/3
            [1, 1, 2, 2],  # 2 of 4: 1/2
            [2, 2, 1, MISSING],  # 1 of 3: 1/3
            [MISSING] * 4,  # unlabelled: NaN
            [0, 1, MISSING, MISSING],  # 1 of 2: 1/2, fewer labels than item 2
        ]
    )
    assert np.allclose(agreement.disagreement(labels, 3), [0, 2 / 3, 1 / 2, 1 / 3, np.nan, 1 / 2], equal_nan=True)
    assert agreement.most_disputed(labels, 3).tolist() == [1, 2, 5, 3]  # items with none left out
    assert agreement.most_disputed(labels, 3, top=2).tolist() == [1, 2]


@pytest.mark.parametrize(
    "value, words",
    [
        (0.85, "almost perfect agreement"),
        (0.7, "substantial agreement"),
        (0.5, "moderate agreement"),
        (0.3, "fair agreement"),
        (0.1, "slight agreement"),
        (0.0, "poor agreement (no more than chance)"),
        (-0.2, "poor agreement (no more than chance)"),
        (float("nan"), "not measurable"),
    ],
)
def test_in_words(value, words):
    assert agreement.in_words(value) == words


# --- the simulated panel ---------------------------------------------------------------------------------------------

TRUTH = np.repeat(np.arange(10), 300)  # 3,000 items, 10 balanced classes
PAIRS = ((1, 7), (3, 8))


def _accuracy(labels: np.ndarray, truth: np.ndarray) -> np.ndarray:
    given = labels != MISSING
    return ((labels == truth[:, None]) & given).sum(axis=0) / given.sum(axis=0)


def test_same_seed_same_labels_other_seed_other_labels():
    panel = Panel((Group(6, 70), Group(3, 40, "pair"), Group(3, 50, "unsure")), per_item=3)
    probs = np.random.default_rng(0).dirichlet(np.ones(10), size=len(TRUTH))
    a, b, c = (simulate(panel, TRUTH, n_classes=10, seed=s, probs=probs, pairs=PAIRS) for s in (3, 3, 4))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("per_item", [2, 5, 10])
def test_every_item_gets_exactly_per_item_labels_from_distinct_annotators(per_item):
    panel = Panel((Group(12, 70), Group(3, 30)), per_item=per_item)
    labels = simulate(panel, TRUTH, n_classes=10, seed=1)
    assert labels.shape == (len(TRUTH), panel.n_annotators)
    assert ((labels != MISSING).sum(axis=1) == panel.per_item).all()
    assert set(np.unique(labels)) <= {MISSING, *range(10)}


def test_a_panel_needs_two_classes():
    with pytest.raises(ValueError, match="at least two classes"):
        simulate(DEFAULT_PANEL, np.zeros(20, dtype=int), n_classes=1, seed=0)


@pytest.mark.parametrize("habit", ["random", "pair", "unsure"])
def test_each_annotators_accuracy_is_near_its_set_accuracy(habit):
    truth = np.repeat(np.arange(10), 1200)  # about 4,000 items per annotator: a standard error under 0.01
    panel = Panel((Group(4, 90, habit), Group(4, 60, habit), Group(4, 30, habit)), per_item=4)
    probs = np.random.default_rng(1).dirichlet(np.ones(10), size=len(truth))
    labels = simulate(panel, truth, n_classes=10, seed=2, probs=probs, pairs=PAIRS)
    assert np.abs(_accuracy(labels, truth) - panel.accuracies).max() < 0.03


def test_pair_confusers_err_mostly_on_pair_classes_and_give_the_partner():
    panel = Panel((Group(10, 90, "pair"),), per_item=3)
    labels = simulate(panel, TRUTH, n_classes=10, seed=0, pairs=PAIRS)
    baseline = simulate(Panel((Group(10, 90, "random"),), per_item=3), TRUTH, n_classes=10, seed=0, pairs=PAIRS)
    truth = np.broadcast_to(TRUTH[:, None], labels.shape)
    partner = {1: 7, 7: 1, 3: 8, 8: 3}
    wrong = (labels != MISSING) & (labels != truth)
    on_pair = np.isin(truth, list(partner))
    assert wrong.sum() > 100
    share = (wrong & on_pair).sum() / wrong.sum()
    wrong_at_random = (baseline != MISSING) & (baseline != truth)
    random_share = (wrong_at_random & on_pair).sum() / wrong_at_random.sum()
    assert share > 0.8 and share > random_share + 0.3  # the random habit's errors fall on pair classes 4 times in 10
    paired_wrong = wrong & on_pair
    assert np.array_equal(labels[paired_wrong], [partner[int(c)] for c in truth[paired_wrong]])


def test_pair_confusers_without_pairs_err_at_random():
    panel = Panel((Group(10, 90, "pair"),), per_item=3)
    labels = simulate(panel, TRUTH, n_classes=10, seed=0)
    truth = np.broadcast_to(TRUTH[:, None], labels.shape)
    wrong = (labels != MISSING) & (labels != truth)
    assert set(np.unique(labels[wrong])) == set(range(10))


def test_unsure_annotators_errors_go_mostly_to_their_fallback_class():
    panel = Panel((Group(10, 80, "unsure"),), per_item=3)
    labels = simulate(panel, TRUTH, n_classes=10, seed=5)
    fallback = fallback_classes(panel, n_classes=10, seed=5)
    assert len(set(fallback.tolist())) > 1  # annotators differ, so a test of "their own" class can fail
    truth = np.broadcast_to(TRUTH[:, None], labels.shape)
    wrong = (labels != MISSING) & (labels != truth)
    to_fallback = wrong & (labels == fallback[None, :])
    assert to_fallback.sum() / wrong.sum() > 0.8
    # Off its own fallback class's items, every error of an annotator is its fallback.
    off_own = wrong & (truth != fallback[None, :])
    assert np.array_equal(to_fallback, off_own)


def test_unsure_annotators_err_on_hard_items_and_on_their_own_class_say_what_it_looks_like():
    # Like a model's probabilities: most items look much like their class, a few do not.
    rng = np.random.default_rng(9)
    looks_true = rng.beta(4, 1, size=len(TRUTH))
    rest = rng.dirichlet(np.ones(9), size=len(TRUTH)) * (1 - looks_true)[:, None]
    probs = np.empty((len(TRUTH), 10))
    for c in range(10):
        of_c = TRUTH == c
        probs[of_c] = np.insert(rest[of_c], c, looks_true[of_c], axis=1)
    assert np.allclose(probs.sum(axis=1), 1) and np.array_equal(probs[np.arange(len(TRUTH)), TRUTH], looks_true)
    panel = Panel((Group(10, 80, "unsure"),), per_item=3)
    labels = simulate(panel, TRUTH, n_classes=10, seed=6, probs=probs)
    fallback = fallback_classes(panel, n_classes=10, seed=6)
    truth = np.broadcast_to(TRUTH[:, None], labels.shape)
    given = labels != MISSING
    wrong = given & (labels != truth)
    hardest = np.broadcast_to((looks_true < np.quantile(looks_true, 0.2))[:, None], labels.shape)
    at_random = simulate(Panel((Group(10, 80, "random"),), per_item=3), TRUTH, n_classes=10, seed=6, probs=probs)
    wrong_at_random = (at_random != MISSING) & (at_random != truth)
    # A random annotator's errors fall on the hardest fifth of the items a fifth of the time; an unsure one's, twice
    # as often or more (measured: 0.41 to 0.45 on seeds 0-2).
    assert hardest[wrong].mean() > 2 * hardest[wrong_at_random].mean()
    own = wrong & (truth == fallback[None, :])
    assert own.any()
    looks = probs.copy()
    looks[np.arange(len(TRUTH)), TRUTH] = -1
    items, _ = np.nonzero(own)
    assert np.array_equal(labels[own], looks.argmax(axis=1)[items])


# --- turning many labels into one ---------------------------------------------------------------------------------


def test_single_and_majority_on_a_hand_made_matrix():
    labels = np.array(
        [
            [2, 2, 1, MISSING],
            [MISSING, 0, MISSING, MISSING],
            [1, 0, 1, 1],
            [0, 1, MISSING, MISSING],  # a tie: either class
        ]
    )
    for seed in range(20):
        agreed = consensus.majority(labels, 3, seed=seed)
        assert agreed[:3].tolist() == [2, 0, 1] and agreed[3] in (0, 1)
        one = consensus.single(labels, seed=seed)
        assert all(one[i] in labels[i][labels[i] != MISSING] for i in range(4))
    ties = {int(consensus.majority(labels, 3, seed=s)[3]) for s in range(20)}
    picks = {int(consensus.single(labels, seed=s)[0]) for s in range(20)}
    assert ties == {0, 1} and picks == {1, 2}  # seeded, but not always the first


@pytest.mark.parametrize("combine", [lambda x: consensus.single(x, seed=0), lambda x: consensus.majority(x, 3, seed=0)])
def test_an_item_without_a_label_is_refused(combine):
    with pytest.raises(ValueError, match="at least one label"):
        combine(np.array([[0, 1], [MISSING, MISSING]]))


def test_bad_found_counts_the_truly_bad_among_each_rankings_lowest():
    truly_bad = np.array([False, True, False, True, False])
    found = consensus.bad_found(
        truly_bad,
        {
            "right": np.array([0.9, 0.1, 0.8, 0.2, 0.7]),  # both bad lowest
            "half": np.array([0.9, 0.1, 0.05, 0.8, 0.7]),  # one of the two lowest is bad
            "nan last": np.array([np.nan, 0.5, np.nan, 0.6, 0.1]),  # NaN (labelled nothing) ranks as best
        },
    )
    assert [(f.by, f.found, f.of) for f in found] == [("right", 2, 2), ("half", 1, 2), ("nan last", 1, 2)]


def _course_like(seed: int):
    """The MIT data-centric AI course's set-up: 300 items of 3 classes, 50 annotators (40 right 60 % of the time,
    10 right 30 %), each labelling about a tenth of the items, so 5 labels an item."""
    features, truth = make_blobs(n_samples=300, centers=3, cluster_std=1.5, random_state=seed)
    labels = simulate(DEFAULT_PANEL, truth, n_classes=3, seed=seed)
    pred_probs = consensus.consensus_probs(LogisticRegression, features, labels, 3, seed=seed)
    return truth, labels, consensus.crowdlab(labels, pred_probs)


def test_the_default_panel_is_the_courses():
    assert DEFAULT_PANEL.n_annotators == 50 and DEFAULT_PANEL.per_item == 5
    assert sorted(set(DEFAULT_PANEL.accuracies.tolist())) == [0.3, 0.6]
    assert (DEFAULT_PANEL.accuracies < BAD_BELOW).sum() == 10
    _, labels, _ = _course_like(0)
    share = (labels != MISSING).mean(axis=0)
    assert abs(share.mean() - 0.1) < 1e-9 and share.min() > 0.03  # about a tenth each, none idle


@pytest.mark.parametrize("seed", range(5))
def test_label_accuracy_orders_single_below_majority_below_crowdlab(seed):
    truth, labels, crowd = _course_like(seed)
    single = np.mean(consensus.single(labels, seed=seed) == truth)
    majority = np.mean(consensus.majority(labels, 3, seed=seed) == truth)
    crowdlab = np.mean(crowd.labels == truth)
    assert single < majority < crowdlab  # measured over seeds 0-4: about 0.54, 0.70 and 0.91


@pytest.mark.parametrize("seed", range(5))
def test_crowdlab_quality_puts_most_bad_annotators_at_the_bottom(seed):
    _, _, crowd = _course_like(seed)
    assert crowd.quality.shape == (DEFAULT_PANEL.n_annotators,) and not np.isnan(crowd.quality).any()
    truly_bad = DEFAULT_PANEL.accuracies < BAD_BELOW
    (found,) = consensus.bad_found(truly_bad, {"CROWDLAB quality": crowd.quality})
    assert found.of == truly_bad.sum() and found.found >= 0.7 * found.of  # measured: 8 or 9 of 10


def test_crowdlab_gives_an_annotator_who_labelled_nothing_no_quality():
    truth, labels, _ = _course_like(0)
    labels = np.column_stack([labels, np.full(len(labels), MISSING)])
    features, _ = make_blobs(n_samples=300, centers=3, cluster_std=1.5, random_state=0)
    crowd = consensus.crowdlab(labels, consensus.consensus_probs(LogisticRegression, features, labels, 3, seed=0))
    assert np.isnan(crowd.quality[-1]) and not np.isnan(crowd.quality[:-1]).any()


# --- the panel's code -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "panel",
    [
        DEFAULT_PANEL,
        Panel((Group(20, 80, "pair"), Group(5, 40, "unsure")), per_item=3),
        Panel((Group(0, 50), Group(2, 100, "unsure"), Group(60, 0, "pair")), per_item=10),
        Panel((Group(2, 55),), per_item=2),
    ],
)
def test_a_panels_code_reads_back_as_the_panel(panel):
    assert parse_code(panel.code) == panel


def test_the_documented_code_is_the_default():
    assert parse_code("40x60r-10x30r-k5") == DEFAULT_PANEL and DEFAULT_PANEL.code == "40x60r-10x30r-k5"


@pytest.mark.parametrize(
    "code, reason",
    [
        ("", "ends with k"),
        ("40x60r", "ends with k"),
        ("40x60q-k5", "'40x60q' is not a group"),
        ("40-k5", "'40' is not a group"),
        ("x60r-k5", "is not a group"),
        ("40x60r-kx", "'kx' does not say how many labels"),
        ("k5", "1 to 3 groups"),
        ("2x50r-2x50r-2x50r-2x50r-k2", "1 to 3 groups"),
        ("61x60r-k5", "0 to 60 annotators"),
        ("60x60r-41x60r-k5", "at most 100 annotators in all"),
        ("40x101r-k5", "percentage"),
        ("1x60r-k1", "at least two annotators"),
        ("40x60r-k0", "2 to 10 labels"),
        ("40x60r-k1", "2 to 10 labels"),
        ("3x60r-k4", "2 to 3 labels"),
    ],
)
def test_a_bad_code_says_why(code, reason):
    with pytest.raises(ValueError, match=reason):
        parse_code(code)


def test_parse_panel_reads_the_url_or_falls_back_and_says_so():
    assert parse_panel({}) == (DEFAULT_PANEL, [])
    panel = Panel((Group(20, 80, "pair"),), per_item=3)
    assert parse_panel({"panel": panel.code}) == (panel, [])
    fallback, problems = parse_panel({"panel": "40x60q-k5"})
    assert fallback == DEFAULT_PANEL
    assert len(problems) == 1
    assert "'40x60q-k5' could not be read" in problems[0] and "is not a group" in problems[0]
    assert DEFAULT_PANEL.code in problems[0]


# --- the annotator-panel scenario -----------------------------------------------------------------------------------


def test_crowd_scenario_defaults_to_the_default_panel():
    scenario, problems = parse_scenario({"noise": "crowd", "rate": "30"})
    assert problems == []
    assert scenario.noise == "crowd" and scenario.crowd == DEFAULT_CROWD and scenario.rate == 0
    assert scenario.panel == ("crowdlab", DEFAULT_PANEL)
    assert Scenario(scenario.dataset, "crowd", 0, 0) == scenario  # the constructor spells an empty crowd the same way
    assert Scenario("digits", "uniform", 20, 0, crowd=DEFAULT_CROWD).crowd == ""


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario("digits", "crowd", 0, 0),
        Scenario("wine", "crowd", 0, 7, crowd="majority.20x80p-5x40u-k3"),
        Scenario("digits", "crowd", 0, 3, reserve=20, crowd="single.2x90r-k2"),
    ],
)
def test_crowd_scenario_round_trips_through_url_params(scenario):
    assert parse_scenario(scenario.to_params()) == (scenario, [])


def test_crowd_is_part_of_the_slug():
    a = Scenario("digits", "crowd", 0, 0, crowd="majority.40x60r-10x30r-k5")
    b = Scenario("digits", "crowd", 0, 0, crowd="crowdlab.40x60r-10x30r-k5")
    assert a.slug != b.slug


@pytest.mark.parametrize(
    "crowd, reason",
    [
        ("vote.40x60r-10x30r-k5", "method must be one of"),
        ("crowdlab.40x60q-k5", "is not a group"),
        ("crowdlab", "ends with k"),
        ("majority.1x60r-k1", "at least two annotators"),
    ],
)
def test_a_bad_crowd_param_says_so_and_uses_the_default(crowd, reason):
    scenario, problems = parse_scenario({"noise": "crowd", "crowd": crowd})
    assert scenario.crowd == DEFAULT_CROWD
    assert len(problems) == 1 and reason in problems[0] and DEFAULT_CROWD in problems[0]


def test_a_learners_dataset_cannot_have_a_panel():
    scenario, problems = parse_scenario({"dataset": USERS_KEY, "noise": "crowd"})
    assert scenario.dataset == USERS_KEY and scenario.noise == "uniform" and scenario.crowd == ""
    assert len(problems) == 1 and "annotator panel" in problems[0]


@pytest.fixture(scope="module")
def clean_digits():
    return prepare(Scenario("digits", "none", 0, 0))


@pytest.mark.parametrize("method", list(METHODS))
def test_the_crowd_scenario_starts_from_the_pages_labels(method, clean_digits):
    lab = prepare(Scenario("digits", "crowd", 0, 0, crowd=f"{method}.{DEFAULT_PANEL.code}"))
    page = study.run(clean_digits, DEFAULT_PANEL)
    assert np.array_equal(lab.true_labels, clean_digits.true_labels)
    assert np.array_equal(lab.noisy_labels, page.combined[method])
    assert lab.grading == "truth"
    assert np.array_equal(lab.is_noisy, lab.noisy_labels != lab.true_labels)
    assert lab.n_wrong == int((page.combined[method] != clean_digits.true_labels).sum()) > 0


def test_the_crowd_scenarios_reserve_keeps_its_labels():
    lab = prepare(Scenario("digits", "crowd", 0, 0, reserve=20))
    assert lab.reserve.any()
    assert np.array_equal(lab.noisy_labels[lab.reserve], lab.true_labels[lab.reserve])
    assert lab.is_noisy[lab.in_use].any()


# --- labelling instructions ------------------------------------------------------------------------------------------

STATED = instructions.Rule("v2", parts.SPEC_MM)


@pytest.mark.parametrize("seed", range(10))
def test_stating_the_rule_raises_agreement(seed):
    scratched = parts.make_parts(seed)
    before = instructions.outcome(scratched, instructions.V1, seed=seed)
    after = instructions.outcome(scratched, STATED, seed=seed)
    assert after.agreement > before.agreement
    assert after.on_set > before.on_set
    assert before.left_out == after.left_out == 0


def test_inspect_is_deterministic_and_every_inspector_labels_every_part():
    scratched = parts.make_parts(0)
    labels = instructions.inspect(scratched, instructions.V1)
    assert labels.shape == (scratched.n, instructions.INSPECTORS)
    assert np.array_equal(labels, instructions.inspect(scratched, instructions.V1))
    assert not np.array_equal(labels, instructions.inspect(parts.make_parts(1), instructions.V1))
    assert set(np.unique(labels)) == {0, 1}


@pytest.mark.parametrize(
    "threshold, band, reason",
    [
        (0.0, 0.0, "between 0 and 1"),
        (1.0, 0.0, "between 0 and 1"),
        (-0.3, 0.0, "between 0 and 1"),
        (None, 0.05, "needs a threshold"),
        (0.3, 0.2, "under 0.2 mm"),
        (0.3, -0.01, "under 0.2 mm"),
    ],
)
def test_a_bad_rule_says_why(threshold, band, reason):
    with pytest.raises(ValueError, match=reason):
        instructions.Rule("bad", threshold, band)


def test_a_band_labels_parts_near_the_threshold_borderline():
    scratched = parts.make_parts(0)
    banded = instructions.Rule("v3", parts.SPEC_MM, 0.05)
    labels = instructions.inspect(scratched, banded)
    assert set(np.unique(labels)) == {0, 1, instructions.BORDERLINE}
    distance = np.abs(scratched.length - parts.SPEC_MM)
    near, far = distance < 0.02, distance > 0.2
    assert near.sum() > 20 and far.sum() > 100
    assert (labels[near] == instructions.BORDERLINE).mean() > 0.7
    assert not (labels[far] == instructions.BORDERLINE).any()
    # Off the band, the labels are the stated rule's: long is a defect, short is not.
    assert (labels[far & (scratched.length > parts.SPEC_MM)] == 1).all()
    assert (labels[far & (scratched.length < parts.SPEC_MM)] == 0).all()
    result = instructions.outcome(scratched, banded, seed=0)
    assert 0 < result.left_out < 0.5


def test_compare_counts_matches_with_the_others_majority():
    mine = np.array([0, 1, MISSING, 1, 0, 1])
    others = np.array(
        [
            [0, 0, 1],  # majority 0: mine matches; 2 of 3 agree
            [1, 0, 0],  # majority 0: mine does not; 1 of 3
            [1, 1, 1],  # mine missing: not compared
            [2, 2, 1],  # majority Borderline: mine does not; 1 of 3
            [0, MISSING, 0],  # majority 0: mine matches; 2 of 2
            [MISSING, MISSING, MISSING],  # nobody else labelled it: not compared
        ]
    )
    result = instructions.compare(mine, others, seed=0)
    assert result.labelled == 4 and result.with_majority == 2
    assert np.allclose(result.share_agreeing, [2 / 3, 1 / 3, np.nan, 1 / 3, 1.0, np.nan], equal_nan=True)
    compared = np.array([True, True, False, True, True, False])
    agreed = np.array([0, 0, MISSING, 2, 0, MISSING])
    assert result.kappa == pytest.approx(cohen_kappa_score(mine[compared], agreed[compared]))


def test_compare_without_others_compares_nothing():
    result = instructions.compare(np.array([0, 1, MISSING]), np.zeros((3, 0), dtype=int), seed=0)
    assert result.labelled == result.with_majority == 0
    assert np.isnan(result.share_agreeing).all() and np.isnan(result.kappa)


def test_a_rule_reads_back_from_its_record():
    rule = instructions.Rule("stricter", 0.25, 0.05)
    assert instructions.Rule.from_record(rule.to_record()) == rule
    assert "0.25 mm" in rule.text and "0.20 and 0.30 mm" in rule.text


# --- the scratched parts
# ------------------------------------------------------------------------------------------------


def test_parts_are_the_same_for_a_seed_and_differ_between_seeds():
    fresh = parts.make_parts.__wrapped__  # past the cache: two separate makings of one seed
    a, b, c = fresh(3), fresh(3), fresh(4)
    for field in dataclasses.fields(parts.Parts):
        assert np.array_equal(getattr(a, field.name), getattr(b, field.name))
    assert np.array_equal(a.features, b.features)
    assert not np.array_equal(a.length, c.length)
    assert a.n == parts.N_TRAIN + parts.N_TEST


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_parts_to_label_are_distinct_borderline_training_parts(seed):
    scratched = parts.make_parts(seed)
    chosen = scratched.to_label()
    low, high = parts.BORDERLINE_MM
    assert len(chosen) == len(set(chosen.tolist())) == parts.N_LABEL
    assert np.isin(chosen, scratched.train).all()
    assert ((scratched.length[chosen] >= low) & (scratched.length[chosen] <= high)).all()
    # Both sides of the spec, so that the learner's own threshold matters.
    assert set(scratched.spec_labels[chosen].tolist()) == {0, 1}
    assert np.array_equal(chosen, scratched.to_label())


def test_an_image_is_a_grey_square_and_a_longer_scratch_darkens_more():
    scratched = parts.make_parts(0)
    item = 5
    img = parts.image(scratched, item)
    assert img.shape == (parts.IMAGE_PX, parts.IMAGE_PX)
    assert img.min() >= 0 and img.max() <= 1
    assert np.array_equal(img, parts.image(scratched, item))
    centred = np.tile([parts.IMAGE_PX / 2, parts.IMAGE_PX / 2 - 4], (scratched.n, 1))

    def drawn(length_mm: float, contrast: float) -> np.ndarray:
        length, strength = scratched.length.copy(), scratched.contrast.copy()
        length[item], strength[item] = length_mm, contrast
        return parts.image(dataclasses.replace(scratched, length=length, contrast=strength, centre=centred), item)

    unscratched = drawn(0.3, 0.0)  # the same part and scale bar, without a scratch

    def darkened(length_mm: float) -> int:
        return int((drawn(length_mm, 0.8) < unscratched - 0.1).sum())

    darkness = [darkened(mm) for mm in (0.05, 0.2, 0.4, 0.7)]
    assert darkness[0] > 0 and darkness == sorted(darkness) and darkness[-1] > 4 * darkness[0]


def test_one_annotator_against_the_others_majority_by_hand():
    labels = np.array(
        [
            [0, 0, 0, -1],  # every label matches the others' majority: 1
            [0, 0, 1, -1],  # each 0 meets a 0-1 tie (1/2 each), the 1 meets 0, 0: (1/2 + 1/2 + 0) / 3
            [0, 1, -1, -1],  # each meets the other's single different label: 0
            [0, 1, 2, -1],  # each meets a tie of two other classes: 0
            [1, 1, 0, 0],  # each meets two of the other class and one of its own: 0
            [2, -1, -1, -1],
        ]
    )  # one label: nothing to compare
    found = agreement.with_others(labels, 3)
    assert np.allclose(found[:5], [1, 1 / 3, 0, 0, 0]) and np.isnan(found[5])


def test_a_change_of_instruction_is_said_as_it_is_and_an_unmeasurable_alpha_hands_over_to_the_pairs():
    made = parts.make_parts(0)
    first = instructions.outcome(made, instructions.V1, seed=0)
    said, fell = instructions.change(first, instructions.outcome(made, instructions.Rule("v2", parts.SPEC_MM), seed=0))
    assert said.startswith("From v1 to v2: agreement on the 20 parts rose from") and not fell
    everything = instructions.outcome(made, instructions.Rule("v4", 0.6), seed=0)  # every part one label: alpha NaN
    assert everything.on_set != everything.on_set and everything.pairs_agree == 1.0
    said, fell = instructions.change(first, everything)
    assert "share of inspector pairs agreeing" in said and f"to {everything.pairs_agree:.0%}" in said
    assert "nan" not in said
    assert fell and "label accuracy fell" in said


@pytest.mark.parametrize(
    "accuracy, test, expected",
    [
        ((0.5, 0.8, 0.9), (0.8, 0.9, 0.95), []),
        ((1.0, 1.0, 1.0), (0.97, 0.97, 0.97), ["nothing to outvote"]),
        ((0.55, 0.50, 0.44), (0.8, 0.8, 0.8), ["usual order"]),
        ((0.61, 0.77, 0.89), (0.944, 0.833, 0.889), ["does not follow", "by majority vote are more often right"]),
    ],
)
def test_notes_say_when_the_methods_break_their_usual_order(accuracy, test, expected):
    import pandas as pd

    outcomes = pd.DataFrame({"method": [*METHODS, "truth"], "label_accuracy": [*accuracy, 1.0], "test": [*test, 0.99]})
    said = " ".join(study.notes(outcomes))
    assert all(words in said for words in expected) and (said == "") == (not expected)


def test_labels_are_kept_per_version_and_a_class_round_reads_each_learners_latest_written_one():
    from datacentric.consistency import exercise

    made = parts.make_parts(4)
    chosen = [int(i) for i in made.to_label()]
    v2 = instructions.Rule("v2", parts.SPEC_MM, 0.05)
    first = exercise.labels_record(made, {chosen[0]: 1, chosen[1]: 0})
    second = exercise.labels_record(made, {chosen[0]: instructions.BORDERLINE}, v2)
    legacy = {"parts": chosen, "labels": [0] * len(chosen)}  # saved before versions had names: v1's
    records = [legacy, first, second]
    assert list(exercise.latest_labels(made, records)[:3]) == [1, 0, MISSING]
    assert list(exercise.latest_labels(made, [legacy])) == [0] * len(chosen)
    assert exercise.latest_labels(made, records, "v2")[0] == instructions.BORDERLINE
    assert (exercise.latest_labels(made, records, "v9") == MISSING).all()
    assert exercise.round_labels(made, records, "written")[0] == instructions.BORDERLINE
    assert exercise.round_labels(made, records, "v1")[0] == 1
    with pytest.raises(ValueError, match="labels are 0, 1 under this version"):
        exercise.labels_record(made, {chosen[0]: instructions.BORDERLINE})  # no band: no Borderline
    with pytest.raises(ValueError, match="for the parts to label only"):
        exercise.labels_record(made, {-5: 1})
