"""The tracker on Dask: sentences per second with 1 and 2 local workers on one
synthetic archive, the scaling ratio, and the memory of each worker.

    python -m bench.tracker_scaling [--quick]   # this figure alone, as JSON

The full run reads an archive of at least 100,000 sentences (the quick one, what CI
runs, about 2,000). Each repetition runs the whole job into a fresh output folder
on a fresh LocalCluster, 1 worker and then 2 workers side by side; the rate counts
the analysis alone (first task submitted to last result), not the cluster's start
or the model's load, which a worker does once as it starts. Memory is each worker's
RSS at the end of its run. The 1-minute load average before each run is kept, since
other engineers' jobs share the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from bench.common import summary
from classifier.model import load_model
from tracker.job import run_job
from tracker.synthetic import generate

FULL_SCALE, QUICK_SCALE = 185, 2
"""Articles per planted pair and month: 185 gives about 100,500 sentences."""
MIN_FULL_SENTENCES = 100_000
PARTITION = 25
"""Articles per partition (about 170 sentences): many more partitions than workers,
so that neither worker waits at the end for the other's last partition."""


def run(quick: bool, model: str | None = None) -> dict[str, Any]:
    reps = 2 if quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-tracker-") as scratch:
        archive = Path(scratch) / "archive"
        expected = generate(load_model(model, lean=True), archive,
                            scale=QUICK_SCALE if quick else FULL_SCALE, seed=1)  # fmt: skip
        if not quick and expected["sentences"] < MIN_FULL_SENTENCES:
            raise RuntimeError(f"the archive has {expected['sentences']} sentences")
        runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
        for rep in range(reps):
            for workers in (1, 2):
                load = os.getloadavg()[0]
                out = Path(scratch) / f"out-{workers}-{rep}"
                result = run_job(archive, out, model, None, workers, progress=False,
                                 articles_per_partition=PARTITION)  # fmt: skip
                figure = {"per_s": result.sentences_per_s, "seconds": result.compute_seconds,
                          "rss_mb": max(result.worker_rss_mb), "load": load}  # fmt: skip
                runs[workers].append(figure)
    figures: dict[str, Any] = {"articles": expected["articles"],
                               "sentences": expected["sentences"], "reps": reps}  # fmt: skip
    for workers, measured in runs.items():
        figures[f"workers_{workers}"] = {
            "sentences_per_s": summary([m["per_s"] for m in measured]),
            "seconds": summary([m["seconds"] for m in measured]),
            "worker_rss_mb": summary([m["rss_mb"] for m in measured]),
            "load_before": [round(m["load"], 2) for m in measured],
        }
    ratios = [two["per_s"] / one["per_s"] for one, two in zip(runs[1], runs[2])]
    figures["scaling_ratio"] = summary(ratios)  # each repetition's pair, side by side
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tracker_scaling", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--model", help="model directory (default models/current)")
    args = parser.parse_args()
    print(json.dumps(run(args.quick, args.model), indent=2))


if __name__ == "__main__":
    main()
