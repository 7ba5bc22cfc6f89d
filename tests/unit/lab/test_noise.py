import numpy as np
import pytest

from datacentric.lab.noise import inject_label_noise

LABELS = np.repeat(np.arange(10), 100)  # 1,000 items, 10 balanced classes
PAIRS = ((1, 7), (3, 8))


@pytest.mark.parametrize("kind", ["uniform", "pairs"])
@pytest.mark.parametrize("rate", [0.0, 0.05, 0.2, 0.5])
def test_rate_is_hit(kind, rate):
    noisy, is_noisy = inject_label_noise(
        LABELS, rate=rate, kind=kind, pairs=((1, 7), (3, 8), (4, 9), (5, 6), (0, 2)), seed=1
    )
    assert abs(is_noisy.mean() - rate) <= 0.005
    assert np.array_equal(is_noisy, noisy != LABELS)


@pytest.mark.parametrize("kind", ["uniform", "pairs"])
def test_same_seed_same_noise_other_seed_other_noise(kind):
    a = inject_label_noise(LABELS, rate=0.2, kind=kind, pairs=PAIRS, seed=3)
    b = inject_label_noise(LABELS, rate=0.2, kind=kind, pairs=PAIRS, seed=3)
    c = inject_label_noise(LABELS, rate=0.2, kind=kind, pairs=PAIRS, seed=4)
    assert np.array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_uniform_never_keeps_the_true_class_and_reaches_every_other():
    noisy, is_noisy = inject_label_noise(LABELS, rate=0.5, kind="uniform", seed=0)
    assert (noisy[is_noisy] != LABELS[is_noisy]).all()
    for c in range(10):
        wrong = set(noisy[is_noisy & (LABELS == c)])
        assert wrong == set(range(10)) - {c}


def test_pairs_only_swap_within_their_pair():
    noisy, is_noisy = inject_label_noise(LABELS, rate=0.3, kind="pairs", pairs=PAIRS, seed=0)
    partner = {1: 7, 7: 1, 3: 8, 8: 3}
    assert is_noisy.any()
    for true, new in zip(LABELS[is_noisy], noisy[is_noisy]):
        assert partner[true] == new
    assert not is_noisy[~np.isin(LABELS, list(partner))].any()


def test_pairs_cap_at_the_items_that_can_flip():
    noisy, is_noisy = inject_label_noise(LABELS, rate=0.5, kind="pairs", pairs=((1, 7),), seed=0)
    assert is_noisy.sum() == 200  # only classes 1 and 7 can flip


def test_none_changes_nothing():
    noisy, is_noisy = inject_label_noise(LABELS, rate=0.3, kind="none")
    assert np.array_equal(noisy, LABELS) and not is_noisy.any()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"rate": 1.5}, "rate"),
        ({"rate": 0.1, "kind": "gaussian"}, "unknown noise kind"),
        ({"rate": 0.1, "kind": "pairs"}, "pair"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        inject_label_noise(LABELS, **kwargs)


def _looks_like(seed=0):
    """Probabilities of a model for LABELS: class c looks like c + 1 (mod 10) by a varying amount; 3 like 8."""
    rng = np.random.default_rng(seed)
    probs = np.full((len(LABELS), 10), 0.01)
    probs[np.arange(len(LABELS)), LABELS] = rng.uniform(0.3, 0.95, len(LABELS))
    probs[np.arange(len(LABELS)), (LABELS + 1) % 10] += rng.uniform(0.0, 0.3, len(LABELS))
    probs[LABELS == 3, 8] += 0.5
    return probs / probs.sum(axis=1, keepdims=True)


def test_look_alike_pairs_are_strongest_first_and_never_chain():
    from datacentric.lab.noise import look_alike_pairs

    pairs = look_alike_pairs(LABELS, _looks_like())
    assert pairs[0] == (3, 8) and len(pairs) == 5
    sources, targets = {a for a, _ in pairs}, {b for _, b in pairs}
    assert len(sources) == 5 and not sources & targets


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5])
def test_systematic_labels_the_share_of_each_source_class_that_looks_most_like_its_pair(rate):
    from datacentric.lab.noise import look_alike_pairs

    probs = _looks_like()
    noisy, is_noisy = inject_label_noise(LABELS, rate=rate, kind="systematic", probs=probs, seed=0)
    pairs = look_alike_pairs(LABELS, probs)
    assert is_noisy.sum() == sum(round(rate * (LABELS == a).sum()) for a, _ in pairs)
    for a, b in pairs:
        members = np.flatnonzero(LABELS == a)
        flipped = members[is_noisy[members]]
        assert (noisy[flipped] == b).all()
        # the flipped ones are exactly those that look most like b
        assert probs[flipped, b].min() >= probs[np.setdiff1d(members, flipped), b].max()
    again = inject_label_noise(LABELS, rate=rate, kind="systematic", probs=probs, seed=9)
    assert np.array_equal(noisy, again[0])  # a convention, not a draw: the seed does not change it


def test_ambiguous_noise_hits_the_rate_prefers_unsure_items_and_gives_the_look_alike_class():
    probs = _looks_like()
    noisy, is_noisy = inject_label_noise(LABELS, rate=0.2, kind="ambiguous", probs=probs, seed=2)
    assert is_noisy.sum() == 200
    own = probs[np.arange(len(LABELS)), LABELS]
    assert own[is_noisy].mean() < own[~is_noisy].mean()  # the unsure ones are likelier to be wrong
    others = probs.copy()
    others[np.arange(len(LABELS)), LABELS] = -1
    assert np.array_equal(noisy[is_noisy], others.argmax(axis=1)[is_noisy])
    same = inject_label_noise(LABELS, rate=0.2, kind="ambiguous", probs=probs, seed=2)
    other = inject_label_noise(LABELS, rate=0.2, kind="ambiguous", probs=probs, seed=3)
    assert np.array_equal(noisy, same[0]) and not np.array_equal(noisy, other[0])


@pytest.mark.parametrize("kind", ["systematic", "ambiguous"])
def test_kinds_that_follow_the_items_need_their_probabilities(kind):
    with pytest.raises(ValueError, match="needs probabilities"):
        inject_label_noise(LABELS, rate=0.2, kind=kind)


@pytest.mark.parametrize("kind", ["systematic", "ambiguous"])
def test_a_built_in_scenario_with_a_kind_that_follows_the_items_is_seeded_and_counted(kind):
    from datacentric.lab.prepare import prepare
    from datacentric.lab.scenario import Scenario

    lab = prepare(Scenario("wine", kind, 30, 0))
    again = prepare(Scenario("wine", kind, 30, 0))
    assert np.array_equal(lab.noisy_labels, again.noisy_labels)
    if kind == "ambiguous":
        assert lab.is_noisy.sum() == round(0.3 * lab.n_train)
    else:
        assert 0 < lab.is_noisy.sum() < round(0.3 * lab.n_train)  # only the source classes of its pairs
