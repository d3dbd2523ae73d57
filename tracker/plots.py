"""The tracker report's figures (matplotlib, Agg), returned as PNG bytes."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Patch

from classifier.labels import LABELS

LEVEL_COLOURS = ("#b23b3b", "#7b8494", "#2f6fba", "#2e8b57", "#8e3aa6")
"""The page's level colours (service/static/style.css), lowest level first."""


def _png(figure: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def _month_ticks(axes: plt.Axes, months: list[str], axis: str = "x") -> None:
    step = max(1, len(months) // 18)
    ticks = list(range(0, len(months), step))
    if axis == "x":
        axes.set_xticks(ticks, [months[i] for i in ticks], rotation=60, ha="right", fontsize=8)


def level_heatmap(title: str, actors: list[str], months: list[str],
                  grid: list[list[int | None]]) -> bytes:  # fmt: skip
    """Actors (rows) by month (columns), coloured by the highest level stated."""
    data = np.ma.masked_invalid(np.array([[np.nan if v is None else v for v in row]
                                          for row in grid], dtype=float))  # fmt: skip
    figure, axes = plt.subplots(figsize=(max(6.0, 0.32 * len(months) + 2.5),
                                         max(2.2, 0.34 * len(actors) + 1.6)))  # fmt: skip
    cmap = ListedColormap(LEVEL_COLOURS).with_extremes(bad="#f2f4f8")
    axes.imshow(data, cmap=cmap, norm=BoundaryNorm(np.arange(-0.5, 5.5), cmap.N),
                aspect="auto", interpolation="nearest")  # fmt: skip
    axes.set_yticks(range(len(actors)), actors, fontsize=8)
    _month_ticks(axes, months)
    axes.set_title(title, fontsize=10)
    handles = [Patch(color=c, label=label) for c, label in zip(LEVEL_COLOURS, LABELS)]
    axes.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _png(figure)


def actor_timeline(title: str, months: list[str],
                   series: dict[str, list[int | None]],
                   changes: list[tuple[str, int, int]]) -> bytes:  # fmt: skip
    """One step line per recipient: the level each month (gaps carry the last level);
    ``changes`` are (recipient, month index, level), marked with a star."""
    figure, axes = plt.subplots(figsize=(max(6.0, 0.3 * len(months) + 3), 3.2))
    colours = plt.get_cmap("tab10")
    for i, (recipient, values) in enumerate(series.items()):
        carried, last = [], None
        for value in values:
            last = value if value is not None else last
            carried.append(np.nan if last is None else last + (i - len(series) / 2) * 0.04)
        colour = colours(i % 10)
        axes.step(range(len(months)), carried, where="post", color=colour, label=recipient)
        observed = [(m, v) for m, v in enumerate(values) if v is not None]
        axes.plot([m for m, _ in observed], [carried[m] for m, _ in observed], "o", ms=3,
                  color=colour)  # fmt: skip
        marks = [(m, level) for r, m, level in changes if r == recipient]
        axes.plot([m for m, _ in marks], [carried[m] for m, _ in marks], "*", ms=11,
                  color=colour, markeredgecolor="#1d2433")  # fmt: skip
    axes.set_yticks(range(len(LABELS)), LABELS, fontsize=8)
    axes.set_ylim(-0.5, len(LABELS) - 0.5)
    axes.set_xlim(-0.5, len(months) - 0.5)
    _month_ticks(axes, months)
    axes.grid(axis="y", color="#e3e7ee")
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), title="toward")
    axes.set_title(title, fontsize=10)
    return _png(figure)


def counts_by_month(months: list[str], counts: list[list[int]]) -> bytes:
    """Stacked bars: statements per month, by level (``counts[month][level]``)."""
    figure, axes = plt.subplots(figsize=(max(6.0, 0.3 * len(months) + 2.5), 3.4))
    data = np.array(counts, dtype=float).reshape(len(months), len(LABELS))
    bottom = np.zeros(len(months))
    for level, (label, colour) in enumerate(zip(LABELS, LEVEL_COLOURS)):
        axes.bar(range(len(months)), data[:, level], bottom=bottom, color=colour, label=label)
        bottom += data[:, level]
    _month_ticks(axes, months)
    axes.set_ylabel("statements")
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    axes.set_title("Statements by level and month", fontsize=10)
    return _png(figure)
