"""Timelines and change points: for each (actor, recipient), the highest level stated
each month, and the months in which that level changed.

Only statements not flagged for review count toward a month's level (the flagged
ones are listed in the report for an analyst to check first): a single doubtful
prediction should not move a timeline. A month with no statement for a pair keeps
the pair's last level (no news is not a change); a change point is a month whose
level differs from the last month that had one, with the statement that first said
the new level that month (earliest date, then article, then sentence).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from classifier.labels import LABELS

Pair = tuple[str, str]


@dataclass(frozen=True)
class Evidence:
    """The statement that first stated a month's level."""

    date: str
    source: str
    article_id: str
    sentence_index: int
    sentence: str
    confidence: float


@dataclass(frozen=True)
class MonthLevel:
    level: int
    label: str
    statements: int  # statements of the pair that month (flagged ones included)
    flagged: int
    first: Evidence | None  # None when every statement was flagged (level -1)


@dataclass(frozen=True)
class ChangePoint:
    actor: str
    actor_name: str
    recipient: str
    recipient_name: str
    month: str
    from_label: str
    to_label: str
    from_level: int
    to_level: int
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        return f"{self.actor} -> {self.recipient}: moved from {self.from_label} to " \
               f"{self.to_label} in {self.month}"  # fmt: skip


def _order(row: dict[str, Any]) -> tuple:
    return (row["date"], row["article_id"], row["sentence_index"])


def monthly_levels(rows: list[dict[str, Any]]) -> dict[Pair, dict[str, MonthLevel]]:
    """Per (actor, recipient), per month: the highest unflagged level and its first
    statement. Statements missing an actor or a recipient have no pair."""
    grouped: dict[Pair, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["actor"] and row["recipient"]:
            grouped[(row["actor"], row["recipient"])][row["month"]].append(row)
    levels: dict[Pair, dict[str, MonthLevel]] = {}
    for pair in sorted(grouped):
        levels[pair] = {}
        for month in sorted(grouped[pair]):
            stated = grouped[pair][month]
            trusted = [r for r in stated if not r["review"]]
            flagged = len(stated) - len(trusted)
            if not trusted:
                levels[pair][month] = MonthLevel(-1, "", len(stated), flagged, None)
                continue
            top = max(r["level"] for r in trusted)
            first = min((r for r in trusted if r["level"] == top), key=_order)
            evidence = Evidence(str(first["date"]), first["source"], first["article_id"],
                                first["sentence_index"], first["sentence"],
                                round(first["confidence"], 4))  # fmt: skip
            levels[pair][month] = MonthLevel(top, LABELS[top], len(stated), flagged, evidence)
    return levels


def change_points(
    levels: dict[Pair, dict[str, MonthLevel]], names: dict[str, str]
) -> list[ChangePoint]:
    """Every change of level, by actor, recipient and month."""
    found = []
    for (actor, recipient), months in levels.items():
        previous: MonthLevel | None = None
        for month, current in months.items():
            if current.first is None:
                continue
            if previous is not None and current.level != previous.level:
                found.append(ChangePoint(actor, names.get(actor, actor), recipient,
                                         names.get(recipient, recipient), month,
                                         previous.label, current.label, previous.level,
                                         current.level, current.first))  # fmt: skip
            previous = current
    return found


def first_levels(levels: dict[Pair, dict[str, MonthLevel]]) -> dict[Pair, tuple[str, MonthLevel]]:
    """Each pair's first month with a level, and that level (where its timeline starts)."""
    starts = {}
    for pair, months in levels.items():
        for month, current in months.items():
            if current.first is not None:
                starts[pair] = (month, current)
                break
    return starts
