"""The model a worker serves, loaded once and swapped atomically on reload."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from classifier.artifact import CURRENT, ArtifactError, point_current
from classifier.loading import resolve_model_dir
from classifier.model import StanceModel, load_model

log = logging.getLogger(__name__)

CANARY = "The government said its position on the conflict remains unchanged."


def check(model: StanceModel) -> None:
    """Refuse a model that loads but cannot answer a prediction."""
    try:
        prediction = model.predict([CANARY])[0]
    except Exception as exc:
        raise ArtifactError(f"model {model.version} failed its canary prediction: {exc}") from exc
    if abs(sum(prediction.probabilities.values()) - 1.0) > 1e-6:
        raise ArtifactError(f"model {model.version} gave probabilities that do not sum to 1")


class ModelStore:
    """Holds the serving model. Readers take :attr:`model` once per request, so an
    answer always comes from one model, and a reload replaces it in one assignment.

    ``on_switch`` runs after a reload has moved ``current``; under gunicorn it
    asks the master to replace every worker, so all of them serve the new model.
    """

    def __init__(
        self, model_path: Path, models_dir: Path, on_switch: Callable[[], None] | None = None
    ) -> None:
        self.models_dir = models_dir
        self.on_switch = on_switch
        self._lock = threading.Lock()
        self.model = load_model(model_path, models_dir, lean=True)
        check(self.model)

    def reload(self, version: str | None = None) -> tuple[StanceModel, StanceModel]:
        """Load ``version`` (default: what ``current`` points at) and swap it in.

        Returns ``(new, previous)``. On any failure the previous model keeps
        serving and :class:`ArtifactError` says why.
        """
        with self._lock:
            previous = self.model
            target = version if version is not None else self.models_dir / CURRENT
            new = load_model(target, self.models_dir, lean=True)
            check(new)
            model_dir = resolve_model_dir(target, self.models_dir)
            if version is not None:
                point_current(self.models_dir, model_dir.name)
            self.model = new
            log.info("model reloaded: %s -> %s", previous.version, new.version)
        if self.on_switch is not None:
            self.on_switch()
        return new, previous
