"""``python -m tracker``: run the tracker over an archive (``make track IN=... OUT=...``).

    python -m tracker --archive PATH [--out DIR] [--since YYYY-MM-DD]
                      [--scheduler tcp://host:8786 | sync | threads | processes]
                      [--workers N] [--partition-size N] [--model PATH]

With no ``--scheduler`` it starts a LocalCluster with ``--workers`` single-threaded
worker processes (default: one per core) and closes it at the end. A run that was
killed resumes where it stopped: finished partitions are not redone.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from classifier.artifact import ArtifactError
from config import settings
from tracker.archive import ArchiveError
from tracker.job import TrackError, run_job


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    current = settings()
    parser = argparse.ArgumentParser(
        prog="python -m tracker",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--archive", required=True,
                        help="folder (or file) of JSON Lines / Parquet articles")  # fmt: skip
    parser.add_argument("--out", default=str(current.tracker_dir),
                        help=f"output folder (default {current.tracker_dir})")  # fmt: skip
    parser.add_argument("--model", help="model directory (default: models/current)")
    parser.add_argument("--scheduler", help="tcp://host:8786, or sync, threads, processes")
    parser.add_argument("--workers", type=_positive, default=current.track_workers,
                        help=f"local workers (default {current.track_workers})")  # fmt: skip
    parser.add_argument("--since", type=_iso_date,
                        help="add only articles dated this day or later to the table")  # fmt: skip
    parser.add_argument(
        "--partition-size",
        type=_positive,
        default=current.track_partition,
        help=f"articles per partition (default {current.track_partition})",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        result = run_job(Path(args.archive), Path(args.out), args.model, args.scheduler,
                         args.workers, args.since, args.partition_size)  # fmt: skip
    except (ArchiveError, ArtifactError, TrackError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"{result.partitions} partitions ({result.reused} done before, {result.ran} run on "
        f"{result.workers or 0} workers): {result.articles} articles, {result.statements} "
        f"statements, {result.rejects} rejects; {result.sentences_analysed} sentences in "
        f"{result.compute_seconds:.1f} s ({result.sentences_per_s:.0f}/s); "
        f"report: {Path(args.out) / 'report.html'}",
        file=sys.stderr,
    )
    return 0
