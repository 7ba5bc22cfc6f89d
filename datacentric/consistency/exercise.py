"""A learner's work on the instructions exercise, as the store keeps it: the versions they wrote and their labels of
the parts under each version, and the rounds a class compares (everyone under v1, then everyone under a written
version)."""

from __future__ import annotations

import numpy as np

from datacentric.consistency.instructions import BORDERLINE, V1, Rule
from datacentric.consistency.parts import Parts
from datacentric.crowd.panels import MISSING

__all__ = [
    "TOPIC",
    "ROUNDS",
    "labels_topic",
    "rules_topic",
    "allowed",
    "labels_record",
    "latest_labels",
    "round_labels",
    "written",
]

TOPIC = "instructions/"  # a learner's labels and rules are events under this topic and the parts' seed
ROUNDS = {"v1": "Under v1", "written": "Under a written version (each learner's latest)"}


def labels_topic(seed: int) -> str:
    return f"{TOPIC}{seed}/labels"


def rules_topic(seed: int) -> str:
    return f"{TOPIC}{seed}/rule"


def allowed(rule: Rule) -> tuple[int, ...]:
    """The labels a person may give under ``rule``: OK and Defect, and Borderline where it names a band."""
    return (0, 1, BORDERLINE) if rule.band else (0, 1)


def labels_record(parts: Parts, labels: dict[int, int], rule: Rule = V1) -> dict:
    """The record of a learner's labels (part -> label) of the parts to label under ``rule``, for the store."""
    chosen = [int(i) for i in parts.to_label()]
    if not set(labels) <= set(chosen) or not set(labels.values()) <= set(allowed(rule)):
        raise ValueError(
            f"labels are {', '.join(map(str, allowed(rule)))} under this version, for the parts to label only"
        )
    return {
        "version": rule.name,
        "rule": rule.to_record(),
        "parts": chosen,
        "labels": [int(labels.get(i, MISSING)) for i in chosen],
    }


def latest_labels(parts: Parts, records: list[dict], version: str = V1.name) -> np.ndarray:
    """The learner's latest labels of ``parts.to_label()`` under ``version`` (a rule's name), in that order
    (``MISSING`` where none). Records from before versions were named are v1's."""
    found = _latest(parts, [r for r in records if r.get("version", V1.name) == version])
    return found if found is not None else np.full(len(parts.to_label()), MISSING)


def round_labels(parts: Parts, records: list[dict], round_: str) -> np.ndarray:
    """A learner's labels in a class's round: under v1, or under the latest written version they labelled."""
    if round_ == "v1":
        return latest_labels(parts, records)
    found = _latest(parts, [r for r in records if r.get("version", V1.name) != V1.name])
    return found if found is not None else np.full(len(parts.to_label()), MISSING)


def _latest(parts: Parts, records: list[dict]) -> np.ndarray | None:
    chosen = [int(i) for i in parts.to_label()]
    for record in reversed(records):
        if record.get("parts") == chosen and len(record.get("labels", ())) == len(chosen):
            labels = np.asarray(record["labels"], dtype=int)
            return np.where(np.isin(labels, (0, 1, BORDERLINE)), labels, MISSING)
    return None


def written(records: list[dict]) -> list[Rule]:
    """The versions of the instructions a learner wrote, v1 first; a version named again replaces the older one
    in its place. Records that do not make a rule are passed over."""
    rules: dict[str, Rule] = {}
    for record in records:
        try:
            rule = Rule.from_record(record)
        except (TypeError, ValueError):
            continue
        if rule.name and rule.name != V1.name:
            rules[rule.name] = rule
    return [V1, *rules.values()]
