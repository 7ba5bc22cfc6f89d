"""Why a comparison came out as it did, in plain sentences computed from its numbers: the learner's own
table on Compare, and the replayed experiment. Each says who is ahead (a difference under half a test
item is a tie), how many wrong labels there were against the work done, how robust the tuned model is
to this noise, and how far each way got toward the clean ceiling."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from datacentric.common.display import counted, percent
from datacentric.experiment import compare
from datacentric.experiment.approaches import Approach
from datacentric.experiment.race import Race
from datacentric.findings.review import fixed_and_broken
from datacentric.lab.lab import Lab
from datacentric.lab.worklog import LabelState

__all__ = ["UNEVEN", "YourWork", "your_table", "race_outcome"]

UNEVEN = 2  # efforts further apart than this factor are not a fair race


def your_table(
    lab: Lab,
    table: pd.DataFrame,
    *,
    trials: int,
    now: LabelState,
    chosen_family: str | None,
    chosen_clean: float | None,
) -> list[str]:
    """The learner's Compare table explained. ``trials``: their tuning runs on the noisy labels;
    ``now``: their labels; ``chosen_family`` and ``chosen_clean``: the family of the run chosen by
    validation and its test accuracy when trained on the true labels (None when unknown)."""
    rows = table.set_index("approach")
    tuned, fixed = (pd.notna(rows.loc[arm, "accuracy"]) for arm in (Approach.MODEL, Approach.DATA))
    if not (tuned or fixed):
        return ["Fill the table: tune a model on *Tune the model* and fix labels on *Fix the labels*."]
    item = _item(lab)
    model_gain, data_gain = rows.loc[Approach.MODEL, "gain"], rows.loc[Approach.DATA, "gain"]
    effort = (_effort_of(now), counted(trials, "tuning run"))
    if tuned and fixed:
        said = [_winner(data_gain, model_gain, item, "is ahead", f"{effort[0]} against {effort[1]}")]
        if max(now.n_actions, trials) > UNEVEN * max(min(now.n_actions, trials), 1):
            said.append(
                "The two efforts differ a lot, so this is not yet a fair race: *Replay the experiment* "
                "below spends the same number of steps each way."
            )
    else:
        gain, what, other = (
            (model_gain, effort[1], "fix some labels on *Fix the labels*")
            if tuned
            else (data_gain, effort[0], "tune a model on *Tune the model*")
        )
        said = [
            f"So far only {'tuning' if tuned else 'fixing'}: {gain:+.1f} points from {what} (one test item is "
            f"worth {item:.2f} points); {other} to compare."
        ]
    if lab.grading == "none":
        return said
    errors = lab.n_wrong
    repaired, broken = fixed_and_broken(lab, now)
    said.append(
        f"There were {errors} wrong labels among {lab.n_in_use} training items; your {effort[0]} fixed "
        f"{repaired} of them"
        + (f", made {broken} right label{'s' if broken != 1 else ''} wrong" if broken else "")
        + f", and {errors - repaired} are left."
    )
    gap = rows.loc[Approach.CEILING, "gain"]
    if tuned and chosen_family is not None and chosen_clean is not None:
        said.append(
            _robustness(lab.families[chosen_family].name, rows.loc[Approach.MODEL, "accuracy"], chosen_clean, gap, item)
        )
    if gap >= item:
        closed = [
            _closed(arm, gain, gap)
            for arm, gain, done in (("tuning", model_gain, tuned), ("fixing", data_gain, fixed))
            if done
        ]
        said.append(f"Of the {gap:.1f} points between the baseline and the clean ceiling, {' and '.join(closed)}.")
    return said


@dataclass(frozen=True)
class YourWork:
    """The learner's own side of Compare, for the replay to be read beside: their table (``compare.comparison``),
    their labels now, and their tuning runs on the noisy labels."""

    table: pd.DataFrame
    now: LabelState
    trials: int


def race_outcome(lab: Lab, result: Race, table: pd.DataFrame, yours: YourWork | None = None) -> list[str]:
    """The replay's table (``compare.race_table``) explained; with ``yours``, the learner's own actions at their
    effort beside the replay's arms, and why the two verdicts differ when they do."""
    rows = table.set_index("approach")
    data_row = Approach.REVIEWED if result.reviewed is not None else Approach.TRUSTED
    model_gain, data_gain = rows.loc[Approach.MODEL, "gain"], rows.loc[data_row, "gain"]
    item = _item(lab)
    said = [_winner(data_gain, model_gain, item, "won", f"{result.trials} steps each")]
    if yours is not None and Approach.YOURS in rows.index:
        said.append(_at_your_effort(result, rows, yours.now))
    if yours is not None:
        said.extend(_verdicts_apart(lab, result, rows, data_row, yours))
    errors = lab.n_wrong
    if lab.grading != "none":
        arm = result.reviewed or result.trusted
        said.append(
            f"There were {errors} wrong labels among {lab.n_in_use} training items; {result.trials} reviews "
            f"could reach at most {min(errors, result.trials)} of them "
            f"({percent(min(errors, result.trials) / max(errors, 1), 0)}), and fixed {arm.fixed}"
            + (f" (and made {arm.broke} right label{'s' if arm.broke != 1 else ''} wrong)." if arm.broke else ".")
        )
    if result.chosen_clean is not None:
        gap = rows.loc[Approach.CEILING, "gain"]  # what the noise costs the fixed model, in points
        said.append(
            _robustness(
                lab.families[result.chosen.family].name,
                rows.loc[Approach.MODEL, "accuracy"],
                result.chosen_clean,
                gap,
                item,
            )
        )
        if gap >= item:
            said.append(
                f"Of the {gap:.1f} points between the baseline and the clean ceiling, "
                f"{_closed('tuning', model_gain, gap)} and {_closed('fixing', data_gain, gap)}"
                + (
                    f"; both together reach {rows.loc[Approach.BOTH, 'gain']:+.1f} points."
                    if Approach.BOTH in rows.index
                    else "."
                )
            )
    return said


def _at_your_effort(result: Race, rows: pd.DataFrame, now: LabelState) -> str:
    """The learner's own actions, replayed on the replay's axis: what each arm had gained at their effort."""
    baseline = rows.loc[Approach.BASELINE, "accuracy"]
    step = min(now.n_actions, result.trials)
    data_arm = Approach.REVIEWED if result.reviewed is not None else Approach.TRUSTED
    at = {arm: (compare.at_step(result.curves, arm, step) - baseline) * 100 for arm in (Approach.MODEL, data_arm)}
    gain = rows.loc[Approach.YOURS, "gain"]
    said = (
        f"Your own {_effort_of(now)} {'gained' if gain >= 0 else 'lost'} {abs(gain):.1f} points. After "
        f"{counted(step, 'step')}, the replay's tuning had gained {at[Approach.MODEL]:+.1f} and its "
        f"{'reviewer' if result.reviewed is not None else 'unchecked suggestions'} {at[data_arm]:+.1f}."
    )
    if now.n_actions > result.trials:
        said += f" The replay stops at {result.trials} steps, before your {now.n_actions}: raise N to reach them."
    return said


def _verdicts_apart(lab: Lab, result: Race, rows: pd.DataFrame, data_row: Approach, yours: YourWork) -> list[str]:
    """Why the learner's table and the replay name different winners; nothing when they agree (or the table has
    only one way yet)."""
    mine = yours.table.set_index("approach")
    if mine.loc[[Approach.MODEL, Approach.DATA], "accuracy"].isna().any():
        return []
    item = _item(lab)
    theirs = _leader(rows.loc[data_row, "gain"], rows.loc[Approach.MODEL, "gain"], item)
    if _leader(mine.loc[Approach.DATA, "gain"], mine.loc[Approach.MODEL, "gain"], item) == theirs:
        return []
    n = result.trials
    said = (
        "Your table above and this replay name different winners because they weigh different work. Above: your "
        f"{_effort_of(yours.now)} against your {counted(yours.trials, 'tuning run')}. Here: {n} single reviews, "
        "one suggestion at a time from the top of the ranking"
        + (" by a simulated reviewer" if result.reviewed is not None else ", accepted unchecked")
        + f", against {n} search trials."
    )
    bulk = [group for group in yours.now.groups if len(group) > 1]
    if bulk:
        said += (
            f" Your {counted(len(bulk), 'bulk action')} ({sum(map(len, bulk)):,} rows: a filter, or the top k at "
            "once) is work the replay does not try: it reviews one row a step."
        )
    if lab.grading == "none":
        said += (
            " On your data nothing says which labels are true, so the replay cannot simulate a reviewer: its data "
            "line is the model's suggestions taken unchecked, while your actions were your own judgement."
        )
    return [said]


def _effort_of(now: LabelState) -> str:
    """'3 label actions touching 412 rows', or '3 label actions' when each touched one row."""
    touched = "" if now.n_rows_touched == now.n_actions else f" touching {counted(now.n_rows_touched, 'row')}"
    return counted(now.n_actions, "label action") + touched


def _leader(data_gain: float, model_gain: float, item: float) -> str:
    """Who is ahead: "neither" (no gain of half a test item), "tie" (closer than that), "data" or "model"."""
    if max(model_gain, data_gain) < item / 2:
        return "neither"
    if abs(model_gain - data_gain) < item / 2:
        return "tie"
    return "data" if data_gain > model_gain else "model"


def _item(lab: Lab) -> float:
    """One test item, in points of accuracy."""
    return 100 / len(lab.test_index)


def _winner(data_gain: float, model_gain: float, item: float, verb: str, effort: str) -> str:
    """Who is ahead; a difference under half a test item is a tie."""
    effort = f"{effort}; one test item is worth {item:.2f} points"
    leader = _leader(data_gain, model_gain, item)
    if leader == "neither":
        return f"Neither way gained: {data_gain:+.1f} points from fixing and {model_gain:+.1f} from tuning ({effort})."
    if leader == "tie":
        return f"A tie: fixing and tuning each gained {data_gain:+.1f} points ({effort})."
    winner = "Fixing the data" if leader == "data" else "Tuning the model"
    return f"{winner} {verb}: {data_gain:+.1f} points from fixing against {model_gain:+.1f} from tuning ({effort})."


def _robustness(name: str, noisy: float, clean: float, fixed_cost: float, item: float) -> str:
    """How much the noise costs the tuned model (test accuracy ``noisy`` against ``clean`` when trained on
    the true labels), against what it costs the fixed model (``fixed_cost``, points)."""
    cost = (clean - noisy) * 100
    if fixed_cost < item:
        return (
            f"This noise costs the fixed model {fixed_cost:.1f} points, less than one test item: there is little "
            "for either way to win back, and a search can only find settings that do worse."
        )
    if cost <= 0:
        return (
            f"The model tuning chose, {name}, does no better on the true labels than on the noisy ones "
            f"({cost:+.1f} points): the search suited a setting to the noise, not to the task."
        )
    if cost < fixed_cost / 2:
        return (
            f"The model tuning chose, {name}, is robust to this noise: it loses {cost:.1f} points to it, where the "
            f"fixed model loses {fixed_cost:.1f}. A robust model averages scattered errors away, so tuning "
            "towards one wins back much of what fixing would."
        )
    return (
        f"The model tuning chose, {name}, is not robust to this noise: it loses {cost:.1f} points to it (the "
        f"fixed model {fixed_cost:.1f}). No setting learns what the labels consistently teach wrong, so the "
        "rest can only come from fixing them."
    )


def _closed(arm: str, gain: float, gap: float) -> str:
    if gain >= 0:
        return f"{arm} closed {percent(gain / gap, 0)}"
    return f"{arm} fell {-gain:.1f} points below the baseline"
