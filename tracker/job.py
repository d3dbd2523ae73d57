"""`make track`: the archive's partitions analysed on Dask, then the statements
table, the rejects and the report written from their result files.

Where it runs is one argument: nothing (a ``distributed.LocalCluster`` on
127.0.0.1, one single-threaded worker process per core), ``tcp://host:8786`` (an
existing cluster: every worker needs this package, the model directory at the same
path and the archive and output folders at the same paths, as on a shared file
system), or a local scheduler (``sync``, ``threads``, ``processes``: no cluster).
The graph is the same in every case: a ``dask.bag`` with one partition per
partition of the archive, each mapped by :func:`tracker.worker.run_partition`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dask
import dask.bag as db
from dask.callbacks import Callback
from tqdm import tqdm

from classifier.loading import read_manifest, resolve_model_dir
from tracker.archive import plan
from tracker.merge import merge
from tracker.table import finished_parts, prune_parts, recover
from tracker.worker import LoadModel, run_partition

LOCAL_SCHEDULERS = ("sync", "threads", "processes")
CONNECT_TIMEOUT = 10
"""Seconds to wait for an existing scheduler (``--scheduler tcp://...``) to answer."""


class TrackError(Exception):
    """The job cannot run (bad archive, model, scheduler) or a partition failed."""


@dataclass
class JobResult:
    """What a run did, with the figures `make bench` reports. ``compute_seconds`` is
    the analysis alone: from the first task submitted to the last result, after the
    cluster started and its workers loaded the model."""

    partitions: int = 0
    reused: int = 0
    ran: int = 0
    articles: int = 0
    statements: int = 0
    rejects: int = 0
    sentences_analysed: int = 0
    compute_seconds: float = 0.0
    workers: int = 0
    worker_rss_mb: list[float] = field(default_factory=list)

    @property
    def sentences_per_s(self) -> float:
        return self.sentences_analysed / self.compute_seconds if self.compute_seconds else 0.0


def run_job(
    archive: Path,
    out: Path,
    model: Path | str | None = None,
    scheduler: str | None = None,
    workers: int = 1,
    since: str | None = None,
    articles_per_partition: int = 100,
    progress: bool | None = None,
) -> JobResult:
    """Analyse the archive into ``out`` (resuming what a killed run finished)."""
    if scheduler is not None and scheduler not in LOCAL_SCHEDULERS and "://" not in scheduler:
        raise TrackError(
            f"unknown scheduler {scheduler!r}: give a scheduler address (tcp://host:8786) "
            f"or one of {', '.join(LOCAL_SCHEDULERS)}"
        )
    partitions = plan(archive, articles_per_partition)
    model_dir = str(resolve_model_dir(model))
    version = str(read_manifest(Path(model_dir)).get("version", "unversioned"))
    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    keys = [p.key(version, since or "") for p in partitions]
    done = finished_parts(out)
    todo = [(p, k) for p, k in zip(partitions, keys) if k not in done]
    result = JobResult(partitions=len(partitions), reused=len(partitions) - len(todo))
    result.ran = len(todo)
    if todo:
        bag = db.from_sequence(todo, npartitions=len(todo)).map(
            lambda item: run_partition(item[0], item[1], model_dir, str(out), since)
        )
        quiet = None if progress is None else not progress  # None: a bar on a terminal only
        with tqdm(total=len(partitions), initial=result.reused, unit=" partitions",
                  desc="track", disable=quiet) as bar:  # fmt: skip
            records = _compute(bag, scheduler, workers, model_dir, bar, result)
        result.sentences_analysed = sum(r["sentences"] for r in records)
    merged = merge(out, keys, since, version)
    if since is None:
        prune_parts(out, keys)
    result.articles, result.statements, result.rejects = merged
    return result


def _compute(
    bag: db.Bag,
    scheduler: str | None,
    workers: int,
    model_dir: str,
    bar: tqdm,
    result: JobResult,
) -> list[dict[str, Any]]:
    if scheduler in LOCAL_SCHEDULERS:
        result.workers = 1 if scheduler == "sync" else workers
        started = time.perf_counter()
        with _ProgressCallback(bag.name, bar.update):
            (records,) = dask.compute(bag, scheduler=scheduler, num_workers=workers)
        result.compute_seconds = time.perf_counter() - started
        return records
    from distributed import Client, LocalCluster, as_completed

    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)  # fmt: skip
        client = Client(cluster)
    else:
        try:
            cluster, client = None, Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, ValueError) as exc:
            raise TrackError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        client.register_plugin(LoadModel(model_dir))
        result.workers = len(client.scheduler_info()["workers"])
        records, started = [], time.perf_counter()
        futures = client.compute(bag.to_delayed())
        for future in as_completed(futures):
            try:
                records += future.result()
            except Exception as exc:
                client.cancel(futures)
                raise TrackError(f"a partition failed: {type(exc).__name__}: {exc}") from exc
            bar.update(1)
        result.compute_seconds = time.perf_counter() - started
        result.worker_rss_mb = sorted(client.run(_rss_mb).values())
        return records
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


class _ProgressCallback(Callback):
    """Counts the bag's partitions (its tasks ``(name, i)``) as the local scheduler
    finishes them."""

    def __init__(self, name: str, update: Callable[[int], Any]) -> None:
        super().__init__()
        self._name, self._update = name, update

    def _posttask(self, key: Any, value: Any, dsk: Any, state: Any, worker_id: Any) -> None:
        if isinstance(key, tuple) and key[0] == self._name:
            self._update(1)
