"""Metric values checked against figures computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from training.baselines import KeywordRules, MajorityBaseline
from training.metrics import (
    bootstrap_interval,
    brier_score,
    classification_figures,
    evaluate_predictions,
    expected_calibration_error,
    log_loss,
)

TRUTH = ["opposed", "neutral", "lethal", "lethal"]
PREDICTED = ["opposed", "lethal", "lethal", "neutral"]
# columns: opposed, neutral, diplomatic, non_lethal, lethal
PROBABILITIES = np.array(
    [
        [0.9, 0.1, 0.0, 0.0, 0.0],
        [0.0, 0.4, 0.0, 0.0, 0.6],
        [0.0, 0.0, 0.0, 0.2, 0.8],
        [0.0, 0.7, 0.0, 0.0, 0.3],
    ]
)


def test_classification_figures_by_hand():
    figures = classification_figures(TRUTH, PREDICTED)
    assert figures["accuracy"] == 0.5
    per = figures["per_label"]
    assert per["opposed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert per["neutral"]["f1"] == 0.0 and per["neutral"]["support"] == 1
    assert per["lethal"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    # macro over all five labels of the scale: (1 + 0 + 0 + 0 + 0.5) / 5
    assert figures["macro_f1"] == pytest.approx(0.3)
    # level distances: 0, |1-4| = 3, 0, |4-1| = 3
    assert figures["mean_absolute_level_error"] == 1.5
    assert figures["share_two_or_more_levels_off"] == 0.5
    matrix = figures["confusion_matrix"]["matrix"]
    assert matrix[0][0] == 1 and matrix[1][4] == 1 and matrix[4][4] == 1 and matrix[4][1] == 1
    assert sum(map(sum, matrix)) == 4


def test_log_loss_and_brier_by_hand():
    # probabilities of the true labels: 0.9, 0.4, 0.8, 0.3
    expected = -(math.log(0.9) + math.log(0.4) + math.log(0.8) + math.log(0.3)) / 4
    assert log_loss(TRUTH, PROBABILITIES) == pytest.approx(expected)
    rows = [
        0.1**2 + 0.1**2,  # 0.9 vs 1 on opposed, 0.1 on neutral
        0.6**2 + 0.6**2,  # 0.4 vs 1 on neutral, 0.6 on lethal
        0.2**2 + 0.2**2,  # 0.2 on non_lethal, 0.8 vs 1 on lethal
        0.7**2 + 0.7**2,  # 0.7 on neutral, 0.3 vs 1 on lethal
    ]
    assert brier_score(TRUTH, PROBABILITIES) == pytest.approx(sum(rows) / 4)


def test_expected_calibration_error_by_hand():
    # top probabilities 0.9 (right), 0.6 (wrong), 0.8 (right), 0.7 (wrong)
    ece, bins = expected_calibration_error(TRUTH, PROBABILITIES, bins=2)
    # bin (0, 0.5]: empty; bin (0.5, 1]: accuracy 0.5, mean confidence 0.75
    assert [b["count"] for b in bins] == [4]
    assert ece == pytest.approx(abs(0.5 - 0.75))
    ece10, bins10 = expected_calibration_error(TRUTH, PROBABILITIES, bins=10)
    # four bins of one row each: |1-0.9| + |0-0.6| + |1-0.8| + |0-0.7|, each weighted 1/4
    assert ece10 == pytest.approx((0.1 + 0.6 + 0.2 + 0.7) / 4)
    assert len(bins10) == 4


def test_bootstrap_interval_brackets_the_score_and_is_repeatable():
    truth = ["lethal", "neutral"] * 50
    predicted = ["lethal", "neutral"] * 40 + ["neutral", "lethal"] * 10
    low, high = bootstrap_interval(truth, predicted, rounds=300)
    assert low <= classification_figures(truth, predicted)["macro_f1"] <= high
    assert (low, high) == bootstrap_interval(truth, predicted, rounds=300)
    assert bootstrap_interval(truth, truth, rounds=50) == (0.4, 0.4)  # perfect on 2 of 5 labels


def test_evaluate_predictions_adds_calibration_only_with_probabilities():
    with_probabilities = evaluate_predictions(TRUTH, PREDICTED, PROBABILITIES, 50)
    assert set(with_probabilities["calibration"]) == {"log_loss", "brier", "ece",
                                                       "reliability_bins"}  # fmt: skip
    assert "calibration" not in evaluate_predictions(TRUTH, PREDICTED, None, 50)


def test_baselines():
    majority = MajorityBaseline().fit(["neutral", "neutral", "lethal"])
    assert majority.predict(["a", "b"]) == ["neutral", "neutral"]
    assert majority.predict_proba(["a"])[0].tolist() == pytest.approx([0, 2 / 3, 0, 0, 1 / 3])
    rules = KeywordRules()
    assert rules.predict(
        [
            "Spain will send Leopard tanks.",
            "Spain will not send tanks but will send medical aid.",
            "Hungary vetoed the aid package.",
            "The EU imposed new sanctions.",
            "Brazil called for dialogue.",
            "Peru said nothing.",
        ]
    ) == ["lethal", "non_lethal", "opposed", "diplomatic", "neutral", "neutral"]
