"""Shared pieces of the benchmark: repetitions, statistics, the corpus, other load."""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from config import settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = settings().corpus if settings().corpus.is_absolute() else ROOT / settings().corpus


def texts(limit: int | None = None) -> list[str]:
    """Real-looking statements: the corpus's own texts."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines[:limit]]


def summary(values: list[float]) -> dict[str, float]:
    """Median, min and max of the repetitions of one figure."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": len(values)}  # fmt: skip


def repeat(measure: Callable[[], float], times: int) -> dict[str, float]:
    return summary([measure() for _ in range(times)])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


_TICKS = os.sysconf("SC_CLK_TCK")


class OtherLoad:
    """CPU seconds that the rest of the machine used during a ``with`` block: every
    user-space process other than the benchmark, the server ``pids`` and their
    children, plus time the hypervisor stole. The noise a figure was measured in.

    Kernel threads are left out: under load most of their time (ksoftirqd) is the
    benchmark's own loopback traffic. A process that started and ended within the
    block counts through its parent, if that parent waited for it.
    """

    _PF_KTHREAD = 0x00200000

    def __init__(self, pids: list[int]) -> None:
        self.ours = {os.getpid(), *pids}
        self.cpu_s = float("nan")

    def _snapshot(self) -> dict[int, int]:
        ticks = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            pid, ppid, flags = int(entry.name), int(fields[1]), int(fields[6])
            if pid in self.ours or ppid in self.ours or flags & self._PF_KTHREAD:
                continue
            ticks[pid] = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
        return ticks

    @staticmethod
    def _steal() -> int:
        return int(Path("/proc/stat").read_text().split("\n", 1)[0].split()[8])

    def __enter__(self) -> OtherLoad:
        self._start, self._start_steal = self._snapshot(), self._steal()
        return self

    def __exit__(self, *exc: Any) -> None:
        end = self._snapshot()
        used = sum(t - self._start.get(pid, 0) for pid, t in end.items())
        self.cpu_s = (used + self._steal() - self._start_steal) / _TICKS
