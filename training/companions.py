"""The models that ship beside the stance model: relevance, and who supports whom."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from classifier.actors import IMPLIED_THRESHOLD, RecipientModel
from classifier.artifact import ArtifactError, sha256_file
from classifier.fastpath import SCORER_TOLERANCE, LinearScorer, scorer_difference
from classifier.model import ACTORS_FILE, RECIPIENTS_FILE, RELEVANCE_FILE
from config import settings
from training.actors import evaluate_parties, fit_ranker
from training.data import Statement
from training.recipients import fit_recipients
from training.relevance import evaluate_relevance, fit_relevance, load_nonstance, split_nonstance


def fit_companions(
    train_rows: list[Statement], test_rows: list[Statement], manifest: dict[str, Any]
) -> dict[str, Callable[[Path], None]]:
    """The relevance model and the actor ranker, fitted on the same training rows and
    measured on the held-out ones (``relevance`` and ``actors`` in the manifest). Each
    is left out when its data is missing (a test corpus without non-stance sentences
    or without actor fields): the model then answers null for it."""
    config, extras = settings(), {}
    if config.nonstance.is_file():
        print("fitting the relevance model ...", file=sys.stderr)
        other_train, other_test = split_nonstance(load_nonstance(config.nonstance))
        relevance = fit_relevance([r.text for r in train_rows], other_train)
        scorer = LinearScorer.from_pipeline(relevance)
        check = [r.text for r in test_rows] + list(other_test)
        difference = scorer_difference(relevance, scorer, check)
        if not difference <= SCORER_TOLERANCE:
            raise ArtifactError(f"the relevance scorer differs from its pipeline by {difference}")
        manifest["relevance"] = {
            "data": {"path": str(config.nonstance), "sha256": sha256_file(config.nonstance)},
            "heldout": evaluate_relevance(scorer, [r.text for r in test_rows], other_test),
            "scorer_check": {"rows": len(check), "max_difference": difference},
        }
        extras[RELEVANCE_FILE] = scorer.save
    try:
        ranker = fit_ranker(train_rows, config.gazetteer, config.actor_codes)
    except (OSError, ValueError) as exc:
        print(f"no actor ranker: {exc}", file=sys.stderr)
        return extras
    extras[ACTORS_FILE] = ranker.save
    manifest["actors"] = {"gazetteer_sha256": sha256_file(config.gazetteer),
                          "features": len(ranker.features)}  # fmt: skip
    recipients = _fit_recipients(train_rows, test_rows, manifest)
    if recipients is not None:
        extras[RECIPIENTS_FILE] = recipients.save
    manifest["actors"]["heldout"] = evaluate_parties(
        partial(ranker.parties, recipients=recipients), ranker.gazetteer, test_rows,
        config.actor_codes,
    )  # fmt: skip
    return extras


def _fit_recipients(
    train_rows: list[Statement], test_rows: list[Statement], manifest: dict[str, Any]
) -> RecipientModel | None:
    """The recipient model (:mod:`training.recipients`), held to its pipeline."""
    config = settings()
    print("fitting the recipient model ...", file=sys.stderr)
    try:
        pipeline = fit_recipients(train_rows, config.gazetteer, config.actor_codes)
    except ValueError as exc:
        print(f"no recipient model: {exc}", file=sys.stderr)
        return None
    scorer = LinearScorer.from_pipeline(pipeline)
    difference = scorer_difference(pipeline, scorer, [r.text for r in test_rows])
    if not difference <= SCORER_TOLERANCE:
        raise ArtifactError(f"the recipient scorer differs from its pipeline by {difference}")
    manifest["actors"]["recipient_model"] = {
        "classes": len(scorer.classes), "threshold": IMPLIED_THRESHOLD,
        "scorer_check": {"rows": len(test_rows), "max_difference": difference},
    }  # fmt: skip
    return RecipientModel(scorer)
