"""What a replay shows, in numbers and in words: which strategy did best, whether each way of labelling was above
never retraining by the last week, and why, when it happens, labelling everything finished below a strategy or a
way of labelling below never retraining. Every sentence is made from the replay's own figures.

Two ways are compared item by item: every way is scored on the same items of each week, so the items one got
right and the other wrong (and the reverse) say whether a gap is more than chance (a sign test, scipy's
``binomtest``), as McNemar's test does for two classifiers on one test set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from datacentric.deployment.strategies import STRATEGIES
from datacentric.deployment.weeks import CEILING_WAY, FLOOR_WAY, WAYS

__all__ = ["CHANCE", "Split", "split", "Verdict", "read"]

CHANCE = 0.05  # a split between two ways less likely than this by chance is more than the noise of the race


@dataclass(frozen=True)
class Split:
    """Two ways on the same scored items: how many there were, and those only one of them got right."""

    items: int
    only_first: int
    only_second: int

    @property
    def chance(self) -> float:
        """With neither way better, how often a split at least this uneven comes by chance (two-sided sign test)."""

        differ = self.only_first + self.only_second
        return 1.0 if differ == 0 else float(stats.binomtest(self.only_first, differ, 0.5).pvalue)

    def words(self, first: str, second: str, start: int) -> str:
        said = (
            f"On the {self.items} items scored from week {start}, {first} was right on {self.only_first} that "
            f"{second} got wrong, and wrong on {self.only_second} it got right"
        )
        if self.chance >= CHANCE:
            return (
                f"{said}: with neither better, a split at least this uneven comes by chance "
                f"{self.chance:.0%} of the time, so the gap is within the noise of a race this size."
            )
        chance = "less than 0.1%" if self.chance < 0.001 else f"{self.chance:.1%}"
        return (
            f"{said}: with neither better, a split this uneven comes by chance {chance} of the time, so the gap "
            "is real."
        )


def split(done: pd.DataFrame, first: str, second: str, *, start: int) -> Split:
    """``first`` against ``second`` on every item scored from week ``start``."""
    a, b = (_hits(done, way, start) for way in (first, second))
    return Split(len(a), int((a & ~b).sum()), int((~a & b).sum()))


def _hits(done: pd.DataFrame, way: str, start: int) -> np.ndarray:
    rows = done[(done["way"] == way) & (done["week"] >= start)].sort_values("week")
    return np.array([hit for hits in rows["hits"] for hit in hits], dtype=bool)


@dataclass(frozen=True)
class Verdict:
    """A replay read: ``mean`` per way from week ``start`` (the page's table), ``last`` per way in the last week,
    scored on ``last_scored`` items; labelled items per way before the drift and in the weeks whose labels can
    still teach a scored week (``start`` to the week before the last)."""

    k: int
    start: int
    last_week: int
    drifting: bool
    concept: bool
    mean: dict[str, float]
    last: dict[str, float]
    last_scored: int
    before: dict[str, float]  # mean accuracy per way before ``start`` (nan when the drift starts in week 1)
    labelled_before: dict[str, int]
    labelled_during: dict[str, int]
    labelled_wrong: dict[str, int]  # of every item each way labelled, those the model had wrong
    labelled_all: dict[str, int]
    splits: dict[tuple[str, str], Split]
    last_right: dict[str, int]  # items right in the last week, per way
    same_last: list[str]  # the ways of labelling right on exactly the items never retraining got right, last week

    @property
    def best(self) -> str:
        return max(STRATEGIES, key=lambda way: self.mean[way])

    @property
    def labelling(self) -> list[str]:
        """Every way that labels: the strategies and labelling everything."""
        return [way for way in WAYS if way != FLOOR_WAY]

    @property
    def not_above_never_last(self) -> list[str]:
        """The ways of labelling not above never retraining in the last week."""
        return [way for way in self.labelling if not self.last[way] > self.last[FLOOR_WAY]]

    @property
    def below_never(self) -> list[str]:
        """The ways of labelling below never retraining from ``start`` (the table's figure)."""
        return [way for way in self.labelling if self.mean[way] < self.mean[FLOOR_WAY]]

    @property
    def above_everything(self) -> list[str]:
        """The strategies that finished above labelling everything from ``start``, best first."""
        above = [way for way in STRATEGIES if self.mean[way] > self.mean[CEILING_WAY]]
        return sorted(above, key=lambda way: -self.mean[way])

    @property
    def ran_out(self) -> bool:
        """Labelling everything labelled fewer items than the best strategy above it in the weeks that count."""
        above = self.above_everything
        return bool(above) and self.labelled_during[CEILING_WAY] < self.labelled_during[above[0]]

    def headline(self) -> str:
        best, mean = self.best, self.mean
        said = (
            f"At {self.k} labels a week, {WAYS[best]} did best of the strategies ({mean[best]:.1%} from week "
            f"{self.start}, random {mean['random']:.1%}; never retraining {mean[FLOOR_WAY]:.1%}, labelling "
            f"everything {mean[CEILING_WAY]:.1%})."
        )
        return said + ("" if mean[best] > mean["random"] else " No strategy beat random choice here.")

    def short_of_budget(self) -> str:
        """When the weeks offered fewer items than the budget, how many the strategies labelled; empty otherwise."""
        spent = [self.labelled_all[way] for way in STRATEGIES]
        full = self.k * self.last_week
        if min(spent) >= full:
            return ""
        labelled = f"{min(spent)}" if min(spent) == max(spent) else f"{min(spent)} to {max(spent)}"
        return (
            f"Not every week offered {self.k} items to label: over the {self.last_week} weeks the strategies "
            f"labelled {labelled} items, not {full}, since an item is labelled once and the weeks are drawn from "
            "a fixed set of held-back rows."
        )

    def by_the_last_week(self) -> str:
        """Whether every way of labelling was above never retraining in the last week, with the figures."""
        never, n, week = self.last[FLOOR_WAY], self.last_scored, self.last_week
        behind = self.not_above_never_last
        if not behind:
            lowest = min(self.labelling, key=lambda way: self.last[way])
            return (
                f"By the last week (week {week}), every way of labelling was above never retraining: the lowest, "
                f"{WAYS[lowest]}, at {self.last[lowest]:.1%}, against {never:.1%}, on the week's {n} scored "
                "items."
            )
        named = ", ".join(f"{WAYS[way]} {self.last[way]:.1%}" for way in behind)
        one = f", where one item is {100 / n:.1f} points" if n else ""
        said = (
            f"By the last week (week {week}), not every way of labelling was above never retraining "
            f"({never:.1%}): {named}, on the week's {n} scored items{one}."
        )
        if self.start < week:
            averaged = ", ".join(f"{self.mean[way]:.1%}" for way in behind)
            said += (
                f" From week {self.start} {'they' if len(behind) > 1 else 'it'} averaged {averaged}, never "
                f"retraining {self.mean[FLOOR_WAY]:.1%}."
            )
        if self.drifting and not np.isnan(self.before[FLOOR_WAY]):
            before = self.before[FLOOR_WAY]
            cost = before - never
            said += f" Never retraining scored {before:.1%} before the drift began and {never:.1%} in the last week"
            if cost <= 0:
                said += ": the drift did not lower its accuracy there."
            elif n and cost <= 1 / n + 1e-9:
                items = "one" if cost > 1 / n - 1e-9 else "less than one"
                said += f": the drift cost it {cost * 100:.1f} points, {items} of the week's {n} items."
            else:
                said += f": the drift cost it {cost * 100:.1f} points."
        if behind and set(behind) <= set(self.same_last):
            said += (
                f" {'Every one of them' if len(behind) > 1 else WAYS[behind[0]]} got right the very "
                f"{self.last_right[FLOOR_WAY]} items never retraining got right: the new labels changed none of "
                "the model's answers on them."
            )
        return said

    def everything_below(self) -> str:
        """Why labelling everything finished below a strategy, when it did; empty otherwise."""
        above = self.above_everything
        if not above:
            return ""
        first = above[0]
        named = ", ".join(f"{WAYS[way]} ({self.mean[way]:.1%})" for way in above)
        said = f"Labelling everything ({self.mean[CEILING_WAY]:.1%} from week {self.start}) finished below {named}."
        during = _weeks(self.start, self.last_week - 1)
        if self.ran_out and self.start > 1:
            said += (
                f" It labelled {self.labelled_before[CEILING_WAY]} items in {_weeks(1, self.start - 1)}, before "
                f"the drift began, and {self.labelled_during[CEILING_WAY]} in {during}, where {WAYS[first]} "
                f"labelled {self.labelled_during[first]}: an item is labelled once, and the weeks are drawn "
                "from a fixed set of held-back rows, so labelling every item offered before the drift left fewer "
                "drifted items to learn from."
            )
        elif self.labelled_all[first] and self.labelled_all[CEILING_WAY]:
            ours = self.labelled_wrong[first] / self.labelled_all[first]
            theirs = self.labelled_wrong[CEILING_WAY] / self.labelled_all[CEILING_WAY]
            said += (
                f" It labelled more items ({self.labelled_all[CEILING_WAY]} against {self.labelled_all[first]}); "
                f"{ours:.0%} of {WAYS[first]}'s were ones the model had wrong, {theirs:.0%} of its."
            )
        return f"{said} {self.splits[(first, CEILING_WAY)].words(WAYS[first], 'labelling everything', self.start)}"

    def worse_than_never(self) -> str:
        """Why a way of labelling fell below never retraining from ``start``, when one did; empty otherwise."""
        worse = self.below_never
        if not worse:
            return ""
        said = (
            f"Labelling made it worse here: {', '.join(WAYS[way] for way in worse)} fell below never retraining "
            f"({self.mean[FLOOR_WAY]:.1%} from week {self.start})."
        )
        if self.concept:
            said += (
                " Under concept drift the new labels contradict what the model learnt, and a few of them pull it "
                "between two rules."
            )
        if CEILING_WAY in worse and self.drifting and self.start > 1:
            said += (
                f" Labelling everything labelled {self.labelled_before[CEILING_WAY]} items before the drift and "
                f"{self.labelled_during[CEILING_WAY]} in {_weeks(self.start, self.last_week - 1)}."
            )
        lowest = min(worse, key=lambda way: self.mean[way])
        return f"{said} {self.splits[(FLOOR_WAY, lowest)].words('never retraining', WAYS[lowest], self.start)}"

    def sentences(self) -> list[str]:
        return [
            s for s in (self.headline(), self.short_of_budget(), self.by_the_last_week(), self.everything_below()) if s
        ]


def _weeks(first: int, last: int) -> str:
    if last < first:
        return "no week"
    return f"week {first}" if first == last else f"weeks {first}-{last}"


def read(done: pd.DataFrame, *, k: int, start: int, drifting: bool = True, concept: bool = False) -> Verdict:
    """The verdict on a replay (``weeks.replay``'s table) at ``k`` labels a week, averaged from week ``start`` (the
    drift's first week, or 1 without drift)."""
    last_week = int(done["week"].max())
    by_way = {way: done[done["way"] == way].sort_values("week") for way in WAYS}
    mean = {way: float(rows.loc[rows["week"] >= start, "accuracy"].mean()) for way, rows in by_way.items()}
    last = {way: float(rows["accuracy"].iloc[-1]) for way, rows in by_way.items()}
    before = {
        way: float(rows.loc[rows["week"] < start, "accuracy"].mean()) if start > 1 else float("nan")
        for way, rows in by_way.items()
    }
    count = {way: rows.set_index("week")["labelled"] for way, rows in by_way.items()}
    pairs = [(way, CEILING_WAY) for way in STRATEGIES] + [(FLOOR_WAY, way) for way in WAYS if way != FLOOR_WAY]
    last_hits = {way: np.array(rows["hits"].iloc[-1], dtype=bool) for way, rows in by_way.items()}
    return Verdict(
        k,
        start,
        last_week,
        drifting,
        concept,
        mean,
        last,
        int(by_way[FLOOR_WAY]["scored"].iloc[-1]),
        before,
        {way: int(c[c.index < start].sum()) for way, c in count.items()},
        {way: int(c[(c.index >= start) & (c.index < last_week)].sum()) for way, c in count.items()},
        {way: int(rows["labelled_wrong"].sum()) for way, rows in by_way.items()},
        {way: int(c.sum()) for way, c in count.items()},
        {(a, b): split(done, a, b, start=start) for a, b in pairs},
        {way: int(hits.sum()) for way, hits in last_hits.items()},
        [way for way in WAYS if way != FLOOR_WAY and np.array_equal(last_hits[way], last_hits[FLOOR_WAY])],
    )
