"""The two NLTK parts the analyzer uses, imported without NLTK's optional extras.

Only parts that need no downloaded data: ``RegexpTokenizer`` and
``SnowballStemmer``, so the analyzer runs with an empty NLTK data path.
"""

from __future__ import annotations

import sys
from typing import Any


def _import_nltk_parts() -> tuple[Any, Any]:
    """NLTK's tokenizer and Snowball stemmer, without its optional extras.

    ``import nltk`` (which any NLTK submodule import runs) also imports its own
    scikit-learn and SciPy integrations when those are installed: about 90 MB and
    a second per process, for nothing the analyzer uses. NLTK guards each of those
    imports with ``except ImportError``, so while NLTK loads, scikit-learn and SciPy
    (unless already imported) are made to raise ImportError; afterwards they import
    normally. Only NLTK's own scikit-learn wrapper and SciPy-based statistics
    (``nltk.classify.scikitlearn``, ``nltk.metrics``) are left without them.
    """
    blocked = [name for name in ("sklearn", "scipy") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        from nltk.stem.snowball import SnowballStemmer
        from nltk.tokenize import RegexpTokenizer
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return RegexpTokenizer, SnowballStemmer


RegexpTokenizer, SnowballStemmer = _import_nltk_parts()
