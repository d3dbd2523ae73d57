"""Loading model versions, verified: a safe place, matching hashes, this analyzer.

A joblib file runs code when it is loaded, so :func:`load_artifact` loads one only
from a plain version directory directly inside the models directory, whose files
match the SHA-256 in its manifest, and whose manifest names the installed
scikit-learn version and this code's analyzer fingerprint. :func:`load_scorer`
loads the pickle-free scorer the service uses, with the same checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from classifier.artifact import (
    EXTRA_FILE_RE,
    MANIFEST_FILE,
    MODEL_FILE,
    SCORER_FILE,
    VERSION_RE,
    ArtifactError,
    default_model_path,
    default_models_dir,
    sha256_file,
)
from classifier.fastpath import LinearScorer
from classifier.text import fingerprint


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
    path: Path | str | None, models_dir: Path | None, name: str, key: str | None
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
    expected = manifest.get(key) if key else (manifest.get("files") or {}).get(name)
    if not isinstance(expected, str):
        raise ArtifactError(f"{model_dir}: {MANIFEST_FILE} has no {key or 'files/' + name}")
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


def load_extra(path: Path | str | None, models_dir: Path | None, name: str, loader: Any) -> Any:
    """A version's other pickle-free file (``files`` in the manifest), verified and read
    with ``loader``; None when the version has no such file (an older model)."""
    if not EXTRA_FILE_RE.match(name):
        raise ArtifactError(f"not a plain model file name: {name!r}")
    model_dir = resolve_model_dir(path, models_dir)
    if name not in (read_manifest(model_dir).get("files") or {}):
        return None
    file_path, _ = _open_version(model_dir, models_dir, name, None)
    try:
        return loader(file_path)
    except (OSError, ValueError, KeyError) as exc:
        raise ArtifactError(f"{file_path}: cannot be loaded: {exc}") from exc
