"""Temperature scaling and the review threshold, on data whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import softmax

from training.calibration import (
    REAL_TEXT_MARGIN,
    TARGET_MACRO_F1,
    choose_threshold,
    coverage_curve,
    fit_temperature,
)


def test_the_fitted_temperature_undoes_a_known_overconfidence():
    rng = np.random.default_rng(0)
    true_logits = rng.normal(size=(4000, 5)) * 2.0
    probabilities = softmax(true_logits, axis=1)
    truth = np.array([rng.choice(5, p=p) for p in probabilities])
    # a model three times too sure of itself: its scores are the true logits times 3
    assert fit_temperature(true_logits * 3.0, truth) == pytest.approx(3.0, rel=0.1)
    assert fit_temperature(true_logits, truth) == pytest.approx(1.0, rel=0.1)


def _confident_right_unsure_wrong(n: int = 400) -> tuple[np.ndarray, list[str], list[str]]:
    """Half the rows are right with confidence 0.9-1.0; the other half, at 0.3-0.5,
    are right one time in four."""
    rng = np.random.default_rng(1)
    labels = np.array(["opposed", "neutral", "diplomatic", "non_lethal", "lethal"])
    truth = list(labels[rng.integers(0, 5, n)])
    confidence = np.concatenate([rng.uniform(0.9, 1.0, n // 2), rng.uniform(0.3, 0.5, n // 2)])
    predicted = list(truth[: n // 2])
    for i in range(n // 2, n):
        predicted.append(truth[i] if i % 4 == 0 else labels[(list(labels).index(truth[i]) + 1) % 5])
    return confidence, truth, predicted


def test_the_coverage_curve_rises_in_quality_as_it_accepts_less():
    confidence, truth, predicted = _confident_right_unsure_wrong()
    curve = coverage_curve(confidence, truth, predicted)
    assert curve[0]["coverage"] == 1.0
    assert [p["coverage"] for p in curve] == sorted((p["coverage"] for p in curve), reverse=True)
    assert curve[-1]["accuracy"] == 1.0 and curve[0]["accuracy"] < 0.7


def test_the_threshold_is_the_lowest_cut_that_reaches_the_target():
    confidence, truth, predicted = _confident_right_unsure_wrong()
    point = choose_threshold(confidence, truth, predicted, target=0.99)
    assert point["target_reached"] and point["macro_f1"] >= 0.99
    # every confident row is right, so the cut lands at the edge of the confident half
    assert 0.45 <= point["threshold"] <= 0.91 and point["coverage"] >= 0.5
    unreachable = choose_threshold(confidence, truth, [truth[0]] * len(truth), target=0.99)
    assert not unreachable["target_reached"]


def test_the_default_target_on_the_folds_carries_the_margin_for_real_text():
    confidence, truth, predicted = _confident_right_unsure_wrong()
    assert choose_threshold(confidence, truth, predicted)["target_macro_f1"] == pytest.approx(
        TARGET_MACRO_F1 + REAL_TEXT_MARGIN
    )
