import numpy as np
import pytest

from datacentric.noise import inject_label_noise

LABELS = np.repeat(np.arange(10), 100)  # 1,000 items, 10 balanced classes
PAIRS = ((1, 7), (3, 8))


@pytest.mark.parametrize("kind", ["uniform", "pairs"])
@pytest.mark.parametrize("rate", [0.0, 0.05, 0.2, 0.5])
def test_rate_is_hit(kind, rate):
    noisy, is_noisy = inject_label_noise(LABELS, rate=rate, kind=kind, pairs=((1, 7), (3, 8), (4, 9), (5, 6), (0, 2)), seed=1)
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
