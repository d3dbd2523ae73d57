"""Training cost: the final fit on the corpus resampled to 1x, 10x and 100x, and the
whole `make train` (cross-validation included), each in a child process so that its
time and peak memory are its own."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import CORPUS, ROOT, summary

_FIT = """
import json, random, resource, sys, time
from threadpoolctl import threadpool_limits
from classifier.pipeline import build_pipeline
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
factor = int(sys.argv[2])
rng = random.Random(0)
sample = rows if factor == 1 else [rng.choice(rows) for _ in range(len(rows) * factor)]
started = time.perf_counter()
with threadpool_limits(1):
    build_pipeline().fit([r["text"] for r in sample], [r["label"] for r in sample])
print(json.dumps({"rows": len(sample), "seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def fit_once(factor: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _FIT, str(CORPUS), str(factor)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return json.loads(out)


_TRAIN = """
import resource, runpy, sys, time
started = time.perf_counter()
sys.argv = ["train", "--out", sys.argv[1]]
code = 0
try:
    runpy.run_module("training.train", run_name="__main__")
except SystemExit as exit:
    code = exit.code or 0
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("BENCH", time.perf_counter() - started, max(own, children), code)
"""


def full_training() -> tuple[float, float]:
    """Seconds and peak MB of `python -m training.train` into a scratch directory."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-c", _TRAIN, str(Path(scratch) / "models")]
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    _, seconds, peak, code = out.strip().splitlines()[-1].split()
    if code != "0":
        raise RuntimeError(f"training failed with exit code {code}")
    return float(seconds), float(peak)


def run(quick: bool) -> dict[str, Any]:
    factors = (1, 2) if quick else (1, 10, 100)
    reps = 3
    scaling: dict[str, Any] = {}
    for factor in factors:
        runs = [fit_once(factor) for _ in range(reps)]
        scaling[f"{factor}x"] = {
            "rows": runs[0]["rows"],
            "seconds": summary([r["seconds"] for r in runs]),
            "peak_mb": summary([r["peak_mb"] for r in runs]),
        }
    result: dict[str, Any] = {"final_fit": scaling}
    if not quick:
        runs = [full_training() for _ in range(reps)]
        result["make_train"] = {"seconds": summary([s for s, _ in runs]),
                                "peak_mb": summary([m for _, m in runs])}  # fmt: skip
    return result
