"""Turn a scenario into its lab: split the data, encode it, hold back the reserve, inject the label noise.

The reserve is the rows a scenario holds back from training for the learner to collect later (Find the weak
slice): ``Scenario.reserve`` percent of the training split, drawn at random. The under-represented kind
("scarce") also plants its trouble there, and the annotator panel's kind labels the items: both in lab.planting.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from datacentric.data.catalog import Dataset, load_dataset
from datacentric.lab.lab import TEST_SHARE, Lab
from datacentric.lab.noise import inject_label_noise
from datacentric.lab.scenario import Scenario
from datacentric.modelling.models import FIXED_MODELS
from datacentric.modelling.oof import out_of_fold_probs

__all__ = ["LOOKS_LIKE", "HOLDOUT_SALT", "ROOM_HOLDOUT", "HOLDOUT_STRIDE", "prepare"]

LOOKS_LIKE = ("systematic", "ambiguous")  # noise kinds that follow what the items look like
HOLDOUT_SALT = 104_729  # moves a challenge scenario's split away from the same scenario's without a holdout
ROOM_HOLDOUT = 50  # the holdout rooms open with (classroom.rooms.HOLDOUT): its split stays as rooms made it
HOLDOUT_STRIDE = 15_485_863  # a prime: each other holdout moves the split seed this far per percent


def prepare(scenario: Scenario, dataset: Dataset | None = None) -> Lab:
    """Split the dataset (stratified, seeded), encode a learner's table, hold back the reserve, and inject the
    scenario's noise into the labels in training (the reserve keeps its labels as given).

    ``dataset`` is loaded from the built-in catalog when not given (a learner's comes from the store).
    """
    from sklearn.model_selection import train_test_split  # noqa: PLC0415 - scikit-learn, 2.0 s: off the first page's path

    dataset = dataset or load_dataset(scenario.dataset)
    if dataset.test_mask is not None:  # the data names its test rows: no seed moves them
        train_index, test_index = np.flatnonzero(~dataset.test_mask), np.flatnonzero(dataset.test_mask)
    else:
        train_index, test_index = train_test_split(
            np.arange(len(dataset.labels)),
            test_size=TEST_SHARE,
            stratify=dataset.labels,
            random_state=_split_seed(scenario),
        )
    test_index, holdout_index = _hold_out(dataset, test_index, scenario)
    train_features, test_features = _features(dataset, train_index, test_index)
    true_labels = dataset.labels[train_index]
    start = true_labels if dataset.given is None else dataset.given[train_index]
    lab = Lab(
        scenario,
        dataset,
        train_index,
        test_index,
        true_labels,
        start,
        start != true_labels,
        train_features,
        test_features,
        np.zeros(len(start), dtype=bool),
        holdout_index=holdout_index,
    )
    lab = _hold_back(lab)
    in_use = lab.in_use
    probs = None
    if scenario.noise in LOOKS_LIKE:  # what each item looks like, to a model that learned from the start labels
        fixed = FIXED_MODELS[dataset.fixed_model or dataset.modality]
        probs = out_of_fold_probs(
            lambda: fixed.make(seed=scenario.seed, scale=not dataset.is_users, **fixed.defaults()),
            train_features,
            start,
            np.ones(len(start), dtype=bool),
            n_classes=dataset.n_classes,
            seed=scenario.seed,
        )[in_use]
    noisy_labels = start.copy()
    if scenario.noise == "crowd":  # a panel of simulated annotators labelled the items (Label consistently)
        from datacentric.lab import planting  # noqa: PLC0415 - reads pandas and cleanlab: only for this kind

        noisy_labels[in_use] = planting.crowd_labels(lab, *scenario.panel)[in_use]
        return dataclasses.replace(lab, noisy_labels=noisy_labels, is_noisy=noisy_labels != true_labels)
    noisy_labels[in_use], _ = inject_label_noise(
        start[in_use],
        rate=scenario.rate / 100,
        kind="uniform" if scenario.noise == "scarce" else scenario.noise,
        n_classes=dataset.n_classes,
        pairs=dataset.confusable_pairs,
        seed=scenario.seed,
        probs=probs,
    )
    return dataclasses.replace(lab, noisy_labels=noisy_labels, is_noisy=noisy_labels != true_labels)


def _fewer(lab: Lab, reserve: np.ndarray) -> np.ndarray:
    """``reserve`` with all but ``dataset.train_rows`` of the rows in use held back too (stratified, seeded): data
    small enough that every label counts, and the rest of the training split as data the learner could still collect
    (Find the weak slice) or meet after deployment. The test split stays whole."""
    wanted = lab.dataset.train_rows
    in_use = np.flatnonzero(~reserve)
    if not wanted or len(in_use) <= wanted:
        return reserve
    from sklearn.model_selection import train_test_split  # noqa: PLC0415 - scikit-learn, 2.0 s: off the first page's path

    kept, _ = train_test_split(
        in_use, train_size=wanted, stratify=lab.true_labels[in_use], random_state=lab.scenario.seed
    )
    fewer = np.ones_like(reserve)
    fewer[kept] = False
    return fewer


def _split_seed(scenario: Scenario) -> int:
    """The train/test split's seed. Each holdout splits apart from every other and from none: were two the same, the
    smaller holdout's pages would score most of the larger's held-out items (a URL asking for 1 % scored 96-98 % of
    a room's), and two pages' scores with the public receipt would estimate the private score. The rooms' 50 %
    keeps the seed rooms were made with, so their learners' logs still name the same items."""
    if not scenario.holdout:
        return scenario.seed
    return (scenario.seed * 7919 + HOLDOUT_SALT + (scenario.holdout - ROOM_HOLDOUT) * HOLDOUT_STRIDE) % 2**32


def _hold_out(dataset: Dataset, test_index: np.ndarray, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """(the test items the pages score on, the items a classroom challenge holds out): ``Scenario.holdout``
    percent of the test split, stratified and seeded, and at least one of each class left on either side."""
    if not scenario.holdout:
        return test_index, test_index[:0]
    from sklearn.model_selection import train_test_split  # noqa: PLC0415 - scikit-learn, 2.0 s: off the first page's path

    labels = dataset.labels[test_index]
    n_classes = len(np.unique(labels))
    share = min(max(scenario.holdout / 100, n_classes / len(test_index)), 1 - n_classes / len(test_index))
    stratify = labels if np.bincount(labels).min(initial=2) >= 2 else None
    kept, held = train_test_split(test_index, test_size=share, stratify=stratify, random_state=scenario.seed + 1)
    return np.sort(kept), np.sort(held)


def _hold_back(lab: Lab) -> Lab:
    """The lab with its reserve: ``Scenario.reserve`` percent of the training split drawn at random, and for the
    under-represented kind, the planted slice's held-back rows."""
    scenario = lab.scenario
    wanted = round(scenario.reserve / 100 * lab.n_train)
    reserve = np.zeros(lab.n_train, dtype=bool)
    reserve[np.random.default_rng([scenario.seed, 1]).choice(lab.n_train, size=wanted, replace=False)] = True
    reserve = _fewer(lab, reserve)
    if scenario.noise != "scarce":
        return dataclasses.replace(lab, reserve=reserve)
    from datacentric.lab import planting  # noqa: PLC0415 - reads pandas: only for this kind, not on the first page's path

    chosen, cost = planting.plant_scarce(dataclasses.replace(lab, reserve=reserve))
    return dataclasses.replace(
        lab, reserve=planting.scarce(chosen, reserve, scenario.seed), planted=chosen.key, planted_cost=cost
    )


def _features(dataset: Dataset, train_index: np.ndarray, test_index: np.ndarray):
    """(train, test) features: a built-in's as they are; a learner's table encoded, fitted on training rows."""
    if not dataset.is_users:
        return dataset.features[train_index], dataset.features[test_index]
    from datacentric.data.featurize import DataError, make_encoder  # noqa: PLC0415 - scikit-learn, 2.0 s: off the first page's path

    # Fitted on the training split only: the test items stay unseen, vocabulary included.
    encoder = make_encoder(list(dataset.roles_used), n_rows=len(train_index))
    try:
        train_features = encoder.fit_transform(dataset.table.iloc[train_index])
    except ValueError as error:
        if "no terms remain" in str(error) or "empty vocabulary" in str(error):
            raise DataError(
                "A text column has no word that appears in two training rows (words are runs of "
                "letters separated by spaces), so TF-IDF has nothing to weigh. Give that column "
                "another role, or ignore it."
            ) from error
        raise
    return train_features, encoder.transform(dataset.table.iloc[test_index])
