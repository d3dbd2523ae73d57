"""Monthly levels and change points on hand-made statements."""

from __future__ import annotations

from datetime import date

from classifier.labels import LABELS
from tracker.changes import change_points, first_levels, monthly_levels
from tracker.report import month_range


def row(month: str, level: int, day: int = 5, review: bool = False, article: str = "a",
        actor: str | None = "DEU", recipient: str | None = "UKR") -> dict:  # fmt: skip
    return {"date": date.fromisoformat(f"{month}-{day:02d}"), "month": month, "source": "s",
            "article_id": article, "sentence_index": 0, "sentence": f"{month} {level}",
            "actor": actor, "recipient": recipient, "level": level, "label": LABELS[level],
            "confidence": 0.9, "review": review}  # fmt: skip


def test_a_month_takes_its_highest_level_and_the_first_statement_of_it():
    levels = monthly_levels([row("2023-01", 2, day=9, article="late"),
                             row("2023-01", 4, day=7, article="b"),
                             row("2023-01", 4, day=3, article="c"),
                             row("2023-01", 3, day=1)])  # fmt: skip
    january = levels[("DEU", "UKR")]["2023-01"]
    assert (january.level, january.label, january.statements) == (4, "lethal", 4)
    assert january.first.article_id == "c" and january.first.date == "2023-01-03"


def test_changes_are_listed_up_and_down_and_a_gap_is_no_change():
    rows = [row("2023-01", 2), row("2023-02", 2), row("2023-05", 2), row("2023-06", 4),
            row("2023-09", 1)]  # fmt: skip
    changes = change_points(monthly_levels(rows), {"DEU": "Germany", "UKR": "Ukraine"})
    assert [(c.month, c.from_label, c.to_label) for c in changes] == [
        ("2023-06", "diplomatic", "lethal"), ("2023-09", "lethal", "neutral")]  # fmt: skip
    assert changes[0].describe() == "DEU -> UKR: moved from diplomatic to lethal in 2023-06"
    assert changes[0].actor_name == "Germany"


def test_flagged_statements_move_nothing():
    rows = [row("2023-01", 2), row("2023-02", 4, review=True), row("2023-02", 2),
            row("2023-03", 0, review=True)]  # fmt: skip
    levels = monthly_levels(rows)
    assert change_points(levels, {}) == []
    assert levels[("DEU", "UKR")]["2023-02"].flagged == 1
    assert levels[("DEU", "UKR")]["2023-03"].first is None  # only flagged that month


def test_statements_without_an_actor_or_a_recipient_have_no_timeline():
    levels = monthly_levels([row("2023-01", 2, actor=None), row("2023-01", 3, recipient=None)])
    assert levels == {}


def test_pairs_are_kept_apart_and_each_starts_where_first_stated():
    rows = [row("2023-03", 3), row("2023-01", 2, actor="POL"), row("2023-02", 4, actor="POL")]
    levels = monthly_levels(rows)
    starts = first_levels(levels)
    assert starts[("DEU", "UKR")][0] == "2023-03" and starts[("POL", "UKR")][0] == "2023-01"
    assert [(c.actor, c.month) for c in change_points(levels, {})] == [("POL", "2023-02")]


def test_month_range_crosses_years():
    assert month_range("2022-11", "2023-02") == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert month_range("2023-05", "2023-05") == ["2023-05"]
