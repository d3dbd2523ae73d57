"""stancemeter's model: text processing, pipeline, artifacts, prediction, explanation."""

from classifier.artifact import ArtifactError
from classifier.explain import Explanation, Term
from classifier.labels import DESCRIPTIONS, LABELS, LEVELS
from classifier.model import Prediction, StanceModel, load_model

__all__ = [
    "DESCRIPTIONS",
    "LABELS",
    "LEVELS",
    "ArtifactError",
    "Explanation",
    "Prediction",
    "StanceModel",
    "Term",
    "load_model",
]
