"""A scenario (dataset, noise kind, noise rate, seed): validated, and round-tripped through a URL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from datacentric.common.display import shorten
from datacentric.crowd.panels import DEFAULT_PANEL, METHODS, Panel, parse_code
from datacentric.data.catalog import DATASETS, USER_PREFIX

__all__ = [
    "NOISE_KINDS",
    "RATE_MEANS",
    "KIND_WORDS",
    "SCARCE_RESERVE",
    "MAX_RATE",
    "MAX_RESERVE",
    "MAX_SEED",
    "MAX_HOLDOUT",
    "DEFAULT_CROWD",
    "Scenario",
    "is_user_key",
    "DEFAULT",
    "parse_scenario",
]

NOISE_KINDS = {
    "none": "No noise: the labels as published.",
    "uniform": "Uniform: a wrong label is any other class, picked at random.",
    "pairs": "Confusable pairs: labels swap within look-alike pairs (1<->7, 3<->8 ... for digits).",
    "systematic": "Systematic: an annotator's convention. For look-alike pairs of classes, the share of one class "
    "that looks most like the other is labelled as the other.",
    "ambiguous": "Ambiguous items: the items nearest the boundary between classes are the likeliest to be wrong, "
    "and get the class they look most like.",
    "scarce": "Under-represented slice: one slice of the data keeps a single training row; the rest of it waits in "
    "the reserve, to collect on Find the weak slice. The rate makes that share of the labels wrong, "
    "uniformly.",
    "crowd": "Annotator panel: the labels a panel of simulated annotators gave, turned into one per item (majority "
    "vote, CROWDLAB consensus or one annotator), as sent from Label consistently. The rate is not used.",
}
# What the rate is a share of, for each kind: the share of all labels actually wrong can differ (Home states both).
RATE_MEANS = {
    "uniform": "the share of all training labels made wrong, each to any other class",
    "pairs": "the share of all training labels swapped to their look-alike partner, capped by how many items the "
    "pairs hold (other classes keep their labels)",
    "systematic": "the share of each look-alike pair's first class labelled as its partner; every other label stays "
    "right",
    "ambiguous": "the share of all training labels made wrong, chosen among the items nearest a class boundary",
    "scarce": "the share of all training labels made wrong, each to any other class",
}
KIND_WORDS = {
    "uniform": "uniform",
    "pairs": "confusable-pair",
    "systematic": "systematic",
    "ambiguous": "ambiguous-item",
    "scarce": "uniform",
}
SCARCE_RESERVE = 10  # percent: the under-represented kind's reserve of other rows, unless the URL says otherwise
MAX_RATE = 50  # percent; past half the labels wrong, the noisy label stops being informative
MAX_RESERVE = 50  # percent of the training split held back; past half, training is starved
MAX_SEED = 2**31 - 1
MAX_HOLDOUT = 80  # percent of the test split a challenge may hold out; the rest still scores the pages
DEFAULT_CROWD = f"crowdlab.{DEFAULT_PANEL.code}"  # how a panel's labels become one (panels.METHODS), and the panel


@dataclass(frozen=True)
class Scenario:
    """The same scenario always gives the same split, noisy labels and results."""

    # The first impression: 300 training images a person reads at a glance, 40 % of their labels wrong at random. A
    # careful learner who sets the label they see raises accuracy from the first action (bench/demonstrations.py);
    # the harder kinds (systematic conventions, scarce slices) are one click away on Home.
    dataset: str = "mnist"
    noise: str = "uniform"
    rate: int = 40  # percent of training labels flipped (for systematic noise: of each source class)
    seed: int = 0
    reserve: int = 0  # percent of the training split held back, to collect from later (Find the weak slice)
    holdout: int = 0  # percent of the test split held out for a classroom challenge's leaderboard (never on a page)
    crowd: str = ""  # the annotator-panel kind's "method.panel code" (DEFAULT_CROWD when empty); "" for other kinds

    def __post_init__(self) -> None:
        # One spelling per scenario, so that two equal scenarios compare and file their work alike.
        if self.noise == "crowd":  # the panel makes the labels wrong: no rate
            object.__setattr__(self, "crowd", self.crowd or DEFAULT_CROWD)
            object.__setattr__(self, "rate", 0)
        elif self.noise != "crowd" and self.crowd:
            object.__setattr__(self, "crowd", "")

    @property
    def panel(self) -> tuple[str, Panel]:
        """The annotator-panel kind's (method, panel)."""
        method, _, code = self.crowd.partition(".")
        return method, parse_code(code)

    def to_params(self) -> dict[str, str]:
        params = {"dataset": self.dataset, "noise": self.noise, "rate": str(self.rate), "seed": str(self.seed)}
        if self.crowd:
            params["crowd"] = self.crowd
        # The under-represented kind defaults to a reserve, so its 0 must be written out to read back.
        if self.reserve or self.noise == "scarce":
            params["reserve"] = str(self.reserve)
        return {**params, "holdout": str(self.holdout)} if self.holdout else params

    @property
    def slug(self) -> str:
        """A short stable name, used to file a workspace's work under its scenario."""
        slug = f"{self.dataset}-{self.noise}-{self.rate}-{self.seed}"
        slug = f"{slug}-r{self.reserve}" if self.reserve else slug
        slug = f"{slug}-c{self.crowd}" if self.crowd else slug
        return f"{slug}-h{self.holdout}" if self.holdout else slug

    @property
    def is_users(self) -> bool:
        return is_user_key(self.dataset)

    def describe(self, title: str | None = None) -> str:
        """'Handwritten digits, 20 % uniform label noise, seed 0'; a learner's dataset needs its ``title``."""
        title = title or (DATASETS[self.dataset].title if self.dataset in DATASETS else "Your data")
        held = f", {self.reserve} % held back" if self.reserve else ""
        held += f", {self.holdout} % of the test split held out for a challenge" if self.holdout else ""
        title += ", one slice under-represented" if self.noise == "scarce" else ""
        if self.crowd:
            method, panel = self.panel
            return (
                f"{title}, labels from {panel.n_annotators} simulated annotators by "
                f"{METHODS[method].phrase}{held}, seed {self.seed}"
            )
        if self.noise == "none" or self.rate == 0:
            added = "no label noise added" if self.is_users else "no label noise"
            return f"{title}, {added}{held}, seed {self.seed}"
        kind = KIND_WORDS[self.noise]
        return f"{title}, {self.rate} % {kind} label noise{' added' if self.is_users else ''}{held}, seed {self.seed}"


def is_user_key(name: str) -> bool:
    digits = name[len(USER_PREFIX) :]
    return name.startswith(USER_PREFIX) and len(digits) == 16 and all(c in "0123456789abcdef" for c in digits)


DEFAULT = Scenario()


def parse_scenario(params: Mapping[str, str]) -> tuple[Scenario, list[str]]:
    """Read a scenario from URL parameters.

    Returns the scenario and a list of plain-English problems: every value that could not be
    used is replaced (by the default, or the nearest valid value) and named in that list.
    """
    problems: list[str] = []
    dataset = params.get("dataset", DEFAULT.dataset)
    if dataset not in DATASETS and not is_user_key(dataset):
        problems.append(f"Unknown dataset {shorten(dataset)!r}; showing {DEFAULT.dataset!r} instead.")
        dataset = DEFAULT.dataset
    noise = params.get("noise", DEFAULT.noise)
    if noise not in NOISE_KINDS:
        problems.append(f"Unknown noise kind {shorten(noise)!r}; using {DEFAULT.noise!r} instead.")
        noise = DEFAULT.noise
    rate = _parse_int(params.get("rate"), DEFAULT.rate, "noise rate", problems)
    if not 0 <= rate <= MAX_RATE:
        clamped = min(max(rate, 0), MAX_RATE)
        problems.append(f"A noise rate of {rate} % is outside 0-{MAX_RATE} %; using {clamped} %.")
        rate = clamped
    seed = _parse_int(params.get("seed"), DEFAULT.seed, "seed", problems)
    if not 0 <= seed <= MAX_SEED:
        problems.append(f"The seed must be between 0 and {MAX_SEED}; using {DEFAULT.seed}.")
        seed = DEFAULT.seed
    if noise == "pairs" and is_user_key(dataset):
        problems.append(
            "Confusable-pair noise needs pairs of look-alike classes, which only built-in datasets name; "
            "using uniform noise instead."
        )
        noise = "uniform"
    if noise in ("none", "crowd"):
        rate = 0
    crowd = params.get("crowd", DEFAULT_CROWD) if noise == "crowd" else ""
    if crowd:
        method, _, code = crowd.partition(".")
        try:
            parse_code(code)
            if method not in METHODS:
                raise ValueError(f"the method must be one of {', '.join(METHODS)}")
        except ValueError as error:
            problems.append(
                f"The annotator panel {shorten(crowd)!r} could not be read ({error}); using {DEFAULT_CROWD!r}."
            )
            crowd = DEFAULT_CROWD
    if noise == "crowd" and is_user_key(dataset):
        problems.append("An annotator panel needs a built-in dataset's true labels; using uniform noise instead.")
        noise, crowd, rate = "uniform", "", DEFAULT.rate
    reserve = _parse_int(params.get("reserve"), SCARCE_RESERVE if noise == "scarce" else 0, "reserve", problems)
    if not 0 <= reserve <= MAX_RESERVE:
        clamped = min(max(reserve, 0), MAX_RESERVE)
        problems.append(f"A reserve of {reserve} % is outside 0-{MAX_RESERVE} %; using {clamped} %.")
        reserve = clamped
    holdout = _parse_int(params.get("holdout"), 0, "holdout", problems)
    if not 0 <= holdout <= MAX_HOLDOUT:
        clamped = min(max(holdout, 0), MAX_HOLDOUT)
        problems.append(f"A challenge holdout of {holdout} % is outside 0-{MAX_HOLDOUT} %; using {clamped} %.")
        holdout = clamped
    return Scenario(dataset, noise, rate, seed, reserve, holdout, crowd), problems


def _parse_int(raw: str | None, default: int, what: str, problems: list[str]) -> int:
    if raw is None or raw == "":
        return default
    text = raw.strip().rstrip("%").strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        problems.append(f"The {what} {shorten(raw)!r} is not a number; using {default}.")
        return default
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(f"The {what} {shorten(raw)!r} is not a number; using {default}.")
        return default
    return round(value)
