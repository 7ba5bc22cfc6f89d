"""A learner's way through the stream, as the store keeps it: for each week they closed, the strategy and budget
they labelled with; and a fresh start. Records are workspace events under ``topic``."""

from __future__ import annotations

from typing import Any

from datacentric.deployment.drift import MAX_BATCH, Schedule
from datacentric.deployment.strategies import STRATEGIES

__all__ = ["TOPIC", "topic", "closed", "RESTART", "plan"]

TOPIC = "deploy/"


def topic(slug: str, schedule: Schedule) -> str:
    """The events of one scenario's stream under one schedule."""
    return f"{TOPIC}{slug}/{schedule.code}"


def closed(week: int, strategy: str, k: int) -> dict[str, Any]:
    """The record of closing ``week``: ``k`` items labelled by ``strategy`` (0: none), then the next week."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    if int(week) < 1:
        raise ValueError("weeks count from 1")
    if not 0 <= int(k) <= MAX_BATCH:
        raise ValueError(f"a budget is 0 to {MAX_BATCH} items a week")
    return {"week": int(week), "strategy": strategy, "k": int(k)}


RESTART = {"restart": True}


def plan(records: list[dict[str, Any]]) -> dict[int, tuple[str, int]]:
    """The weeks closed since the last fresh start, week -> (strategy, k); a record out of turn (a week already
    closed, or one skipped ahead, from a second tab) is passed over."""
    weeks: dict[int, tuple[str, int]] = {}
    for record in records:
        if record.get("restart"):
            weeks = {}
            continue
        week, strategy, k = record.get("week"), record.get("strategy"), record.get("k")
        if (
            week == len(weeks) + 1
            and strategy in STRATEGIES
            and isinstance(k, int)
            and not isinstance(k, bool)
            and 0 <= k <= MAX_BATCH
        ):
            weeks[week] = (strategy, k)
    return weeks
