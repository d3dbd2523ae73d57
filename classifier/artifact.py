"""Saving and loading model artifacts: ``models/<version>/{model.joblib,manifest.json}``.

A joblib file runs code when it is loaded, so :func:`load_artifact` loads one
only when it lies inside the models directory, its version name is plain, and
its SHA-256 matches the manifest written beside it; it also refuses a model
pickled by another scikit-learn version, or trained with another version of the
text analyzer. The service loads :func:`load_scorer` instead: the same model as
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
from pathlib import Path
from typing import Any

from classifier.fastpath import LinearScorer
from classifier.text import fingerprint

MODEL_FILE = "model.joblib"
SCORER_FILE = "scorer.npz"
MANIFEST_FILE = "manifest.json"
CURRENT = "current"
VERSION_RE = re.compile(r"^[A-Za-z0-9._-]+$")
_STAGING = "staging"
_TEMP_NAME_RE = re.compile(rf"\.({_STAGING}|{CURRENT})-(\d+)-\d+")
"""Hidden names of a save in progress (see :func:`_temp_name`); the pid is the saver's."""

MODELS_DIR_ENV = "STANCEMETER_MODELS_DIR"
"""Directory holding model versions and the ``current`` link (default ``models``)."""
MODEL_ENV = "STANCEMETER_MODEL"
"""Model to load when none is named (default ``<models dir>/current``)."""


class ArtifactError(Exception):
    """A model artifact that is missing, tampered with, unsafe or incompatible."""


def default_models_dir() -> Path:
    return Path(os.environ.get(MODELS_DIR_ENV, "models"))


def default_model_path() -> Path:
    return Path(os.environ.get(MODEL_ENV) or default_models_dir() / CURRENT)


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


def save_artifact(estimator: Any, manifest: dict[str, Any], models_dir: Path) -> Path:
    """Persist ``estimator`` as a new version and point ``current`` at it.

    The version is named after the creation time and the model's hash. Returns
    the new version's directory.
    """
    models_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(models_dir)
    created = time.gmtime()
    staging = models_dir / _temp_name(_STAGING)
    staging.mkdir()
    try:
        final = _write_version(estimator, manifest, staging, created)
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
    estimator: Any, manifest: dict[str, Any], staging: Path, created: time.struct_time
) -> Path:
    import joblib
    import sklearn

    model_path = staging / MODEL_FILE
    joblib.dump(estimator, model_path)
    LinearScorer.from_pipeline(estimator).save(staging / SCORER_FILE)
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


def resolve_model_dir(path: Path | str | None = None, models_dir: Path | None = None) -> Path:
    """The real directory of a model, checked to be a plain version inside ``models_dir``.

    ``path`` may be a directory (a version or ``current``) or a bare version name;
    ``models_dir`` defaults to the directory that holds ``path``. Rejects names
    with path syntax, and paths or links that lead outside the models directory.
    """
    candidate = Path(path) if path is not None else default_model_path()
    if not candidate.is_absolute() and len(candidate.parts) == 1 and not candidate.exists():
        candidate = (models_dir or default_models_dir()) / candidate  # a bare version name
    models_root = (models_dir or candidate.parent).resolve()
    real = candidate.resolve()
    if real.parent != models_root:
        raise ArtifactError(
            f"refusing to load {str(path or candidate)!r}: models are only loaded from "
            f"directories directly inside {str(models_root)!r}"
        )
    if not VERSION_RE.match(real.name):
        raise ArtifactError(f"refusing to load {real.name!r}: not a valid version name")
    if not real.is_dir():
        raise ArtifactError(f"no model at {str(candidate)!r} (train one with `make train`)")
    return real


def read_manifest(model_dir: Path) -> dict[str, Any]:
    try:
        with open(model_dir / MANIFEST_FILE, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except FileNotFoundError as exc:
        raise ArtifactError(f"{model_dir}: {MANIFEST_FILE} is missing") from exc
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"{model_dir}: {MANIFEST_FILE} is unreadable: {exc}") from exc
    if not isinstance(manifest, dict):
        raise ArtifactError(f"{model_dir}: {MANIFEST_FILE} is not a JSON object")
    return manifest


def _open_version(
    path: Path | str | None, models_dir: Path | None, name: str, key: str
) -> tuple[Path, dict[str, Any]]:
    """The verified file ``name`` of a model version, and the version's manifest.

    Checks that the directory is a safe version, that the file's SHA-256 matches
    the manifest's ``key``, and that the model was trained with this analyzer.
    """
    model_dir = resolve_model_dir(path, models_dir)
    manifest = read_manifest(model_dir)
    file_path = model_dir / name
    if not file_path.is_file() or file_path.is_symlink():
        raise ArtifactError(f"{model_dir}: {name} is missing")
    expected = manifest.get(key)
    if not isinstance(expected, str):
        raise ArtifactError(f"{model_dir}: {MANIFEST_FILE} has no {key}")
    actual = sha256_file(file_path)
    if actual != expected:
        raise ArtifactError(
            f"{file_path}: SHA-256 {actual[:12]}... does not match the manifest's "
            f"{expected[:12]}...; the file was changed after training and will not be loaded"
        )
    if manifest.get("analyzer_fingerprint") != fingerprint():
        raise ArtifactError(
            f"{model_dir}: trained with another version of the text analyzer, whose features "
            "this code would not reproduce; retrain with `make train`"
        )
    return file_path, manifest


def load_artifact(
    path: Path | str | None = None, models_dir: Path | None = None
) -> tuple[Any, dict[str, Any]]:
    """Verify and load a model directory's pipeline; returns ``(estimator, manifest)``."""
    import joblib
    import sklearn

    model_path, manifest = _open_version(path, models_dir, MODEL_FILE, "model_sha256")
    trained_with = manifest.get("sklearn_version")
    if trained_with != sklearn.__version__:
        raise ArtifactError(
            f"{model_path.parent}: trained with scikit-learn {trained_with}, but "
            f"{sklearn.__version__} is installed; retrain with `make train` or install the "
            "matching version"
        )
    try:
        estimator = joblib.load(model_path)
    except Exception as exc:  # a verified file that still fails to unpickle
        raise ArtifactError(f"{model_path}: cannot be loaded: {exc}") from exc
    return estimator, manifest


def load_scorer(
    path: Path | str | None = None, models_dir: Path | None = None
) -> tuple[LinearScorer, dict[str, Any]]:
    """Verify and load a model directory's pickle-free scorer: ``(scorer, manifest)``."""
    scorer_path, manifest = _open_version(path, models_dir, SCORER_FILE, "scorer_sha256")
    try:
        return LinearScorer.load(scorer_path), manifest
    except (OSError, ValueError, KeyError) as exc:
        raise ArtifactError(f"{scorer_path}: cannot be loaded: {exc}") from exc
