"""The estimator: TF-IDF features over the NLTK analyzer, then logistic regression."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.text import normalize, tokenize

# What cross-validation on data/ chose (see the manifest's cv_results); `make train`
# chooses again on every run, these are for fits without a search.
DEFAULT_PARAMS: dict[str, Any] = {
    "features__words__ngram_range": (1, 2),
    "features__words__min_df": 2,
    "features__chars": "drop",
    "clf__C": 30.0,
}


def word_vectorizer() -> TfidfVectorizer:
    """Word 1-2 grams over the negation-aware tokenizer."""
    return TfidfVectorizer(
        tokenizer=tokenize,
        lowercase=False,
        token_pattern=None,
        ngram_range=(1, 2),
        sublinear_tf=True,
        dtype=np.float64,
    )


def char_vectorizer() -> TfidfVectorizer:
    """Character 2-5 grams inside word boundaries: robust to spelling and inflection."""
    return TfidfVectorizer(
        analyzer="char_wb",
        preprocessor=normalize,
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        dtype=np.float64,
    )


def build_pipeline(**params: Any) -> Pipeline:
    """A fresh, unfitted pipeline; ``params`` override :data:`DEFAULT_PARAMS`.

    Setting ``features__chars`` to :func:`char_vectorizer` ``()`` adds character
    n-grams beside the word n-grams; ``"drop"`` leaves them out.
    """
    pipeline = Pipeline(
        [
            ("features", FeatureUnion([("words", word_vectorizer()), ("chars", "drop")])),
            (
                "clf",
                LogisticRegression(
                    class_weight="balanced", max_iter=3000, solver="lbfgs", random_state=0
                ),
            ),
        ]
    )
    return pipeline.set_params(**{**DEFAULT_PARAMS, **params})
