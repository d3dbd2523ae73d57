"""Saving and loading model artifacts: ``models/<version>/{model.joblib,manifest.json}``.

A joblib file runs code when it is loaded, so :func:`~classifier.loading.load_artifact`
loads one
only when it lies inside the models directory, its version name is plain, and
its SHA-256 matches the manifest written beside it; it also refuses a model
pickled by another scikit-learn version, or trained with another version of the
text analyzer (those checks are in :mod:`classifier.loading`). The service loads
:func:`~classifier.loading.load_scorer` instead: the same model as
plain arrays (``scorer.npz``), which runs no code when read. Everything is written to a temporary
name first and renamed into place, so a process killed mid-way never leaves a
half-written version or a ``current`` link to one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from classifier.fastpath import SCORER_TOLERANCE, LinearScorer, scorer_difference
from classifier.text import fingerprint
from config import settings

MODEL_FILE = "model.joblib"
SCORER_FILE = "scorer.npz"
MANIFEST_FILE = "manifest.json"
CURRENT = "current"
VERSION_RE = re.compile(r"^[A-Za-z0-9._-]+$")
_STAGING = "staging"
_TEMP_NAME_RE = re.compile(rf"\.({_STAGING}|{CURRENT})-(\d+)-\d+")
"""Hidden names of a save in progress (see :func:`_temp_name`); the pid is the saver's."""


class ArtifactError(Exception):
    """A model artifact that is missing, tampered with, unsafe or incompatible."""


def default_models_dir() -> Path:
    """``STANCEMETER_MODELS_DIR`` (see :mod:`config`)."""
    return settings().models_dir


def default_model_path() -> Path:
    """``STANCEMETER_MODEL``, else ``current`` in the models directory (see :mod:`config`)."""
    return settings().model_path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` through a temporary file and a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


EXTRA_FILE_RE = re.compile(r"^[a-z_]+\.npz$")


def save_artifact(
    estimator: Any,
    manifest: dict[str, Any],
    models_dir: Path,
    check_texts: Sequence[str],
    extras: Mapping[str, Callable[[Path], None]] | None = None,
) -> Path:
    """Persist ``estimator`` as a new version and point ``current`` at it.

    The pickle-free scorer the service loads is written beside the pipeline, read
    back, and compared with the pipeline's probabilities on ``check_texts`` (the
    held-out rows): if they differ by more than
    :data:`~classifier.fastpath.SCORER_TOLERANCE` the save is refused with
    :class:`ArtifactError` and nothing is kept. The version is named after the
    creation time and the model's hash. ``extras`` are the version's other
    pickle-free files (the relevance scorer, the actor ranker): each writer is called
    with its path in the version, and the file's SHA-256 goes in the manifest's
    ``files``. Returns the new version's directory.
    """
    models_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(models_dir)
    created = time.gmtime()
    staging = models_dir / _temp_name(_STAGING)
    staging.mkdir()
    try:
        files = {}
        for name, write in (extras or {}).items():
            if not EXTRA_FILE_RE.match(name):
                raise ArtifactError(f"not a plain model file name: {name!r}")
            write(staging / name)
            with open(staging / name, "rb+") as handle:
                os.fsync(handle.fileno())
            files[name] = sha256_file(staging / name)
        manifest = {key: value for key, value in manifest.items() if key != "files"}
        if files:  # only what this save wrote (a copied manifest may list others)
            manifest["files"] = files
        final = _write_version(estimator, manifest, staging, created, check_texts)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    point_current(models_dir, final.name)
    return final


def remove_leftovers(models_dir: Path) -> list[str]:
    """Delete what killed saves left behind: ``.staging-<pid>-*`` directories and
    ``.current-<pid>-*`` links whose process no longer runs. Those of a live process
    (a save in progress) are kept. Returns the names removed."""
    removed = []
    for entry in models_dir.iterdir():
        match = _TEMP_NAME_RE.fullmatch(entry.name)
        if match is None or _process_alive(int(match.group(2))):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:  # gone meanwhile, or not ours to remove: leave it
            continue
        removed.append(entry.name)
    return removed


def _temp_name(kind: str) -> str:
    """A hidden, unique name for something being written; matches ``_TEMP_NAME_RE``."""
    return f".{kind}-{os.getpid()}-{time.time_ns()}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _write_version(
    estimator: Any,
    manifest: dict[str, Any],
    staging: Path,
    created: time.struct_time,
    check_texts: Sequence[str],
) -> Path:
    import joblib
    import sklearn

    model_path = staging / MODEL_FILE
    joblib.dump(estimator, model_path)
    LinearScorer.from_pipeline(estimator).save(staging / SCORER_FILE)
    difference = scorer_difference(estimator, LinearScorer.load(staging / SCORER_FILE), check_texts)
    if not difference <= SCORER_TOLERANCE:
        raise ArtifactError(
            f"the saved scorer differs from the pipeline by {difference:.3g} in probability on "
            f"{len(check_texts)} held-out rows (tolerance {SCORER_TOLERANCE:g}): the service "
            "would not serve the model that was trained, so it is not saved"
        )
    for written in (model_path, staging / SCORER_FILE):
        with open(written, "rb+") as handle:
            os.fsync(handle.fileno())
    model_sha = sha256_file(model_path)
    version = time.strftime("%Y%m%dT%H%M%SZ", created) + "-" + model_sha[:8]
    full = {
        **manifest,
        "version": version,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", created),
        "model_sha256": model_sha,
        "scorer_sha256": sha256_file(staging / SCORER_FILE),
        "analyzer_fingerprint": fingerprint(),
        "scorer_check": {"rows": len(check_texts), "max_difference": difference},
        "sklearn_version": sklearn.__version__,
    }
    write_json_atomic(staging / MANIFEST_FILE, full)
    _fsync_dir(staging)
    final = staging.parent / version
    suffix = 1
    while final.exists():  # the same model saved twice within a second
        suffix += 1
        final = staging.parent / f"{version}-{suffix}"
    if final.name != version:
        write_json_atomic(staging / MANIFEST_FILE, {**full, "version": final.name})
    os.rename(staging, final)
    _fsync_dir(staging.parent)
    return final


def point_current(models_dir: Path, version: str) -> None:
    """Switch ``models_dir/current`` to ``version`` atomically (symlink, then rename)."""
    if not VERSION_RE.match(version) or not (models_dir / version / MANIFEST_FILE).is_file():
        raise ArtifactError(f"cannot point {CURRENT} at {version!r}: no such model version")
    link = models_dir / _temp_name(CURRENT)
    os.symlink(version, link)
    os.replace(link, models_dir / CURRENT)
    _fsync_dir(models_dir)
