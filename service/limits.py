"""The work one request may ask for, beyond the size of its parts.

Each statement, the batch and ``top_k`` have their own limits in the schema, but
their product is what a worker spends: 1,000 statements of 10,000 characters with
50 explanation terms each kept a sync worker busy for 16 s and answered 12.7 MB.
A request over these limits is refused before any work is done, so one worker is
never held for long and the health checks keep answering (see the README).
"""

from __future__ import annotations

from collections.abc import Sequence

from config import Settings, env_name
from service.errors import APIError


def check_work(texts: Sequence[str], explain: bool, top_k: int, settings: Settings) -> None:
    """Raise a 413 past the characters of one request (fewer when explaining: an
    explanation costs about 40 times a prediction), a 422 past its explanation terms."""
    characters = sum(map(len, texts))
    limit, setting = settings.max_request_chars, "max_request_chars"
    if explain and settings.max_explain_chars < limit:
        limit, setting = settings.max_explain_chars, "max_explain_chars"
    if characters > limit:
        what = "explained request" if setting == "max_explain_chars" else "request"
        raise APIError(
            413,
            "request_too_large",
            f"the statements hold {characters:,} characters in all; one {what} may hold "
            f"{limit:,} ({env_name(setting)}): send them in smaller batches",
            "statements" if len(texts) > 1 else "text",
        )
    terms = len(texts) * top_k
    if explain and terms > settings.max_explain_terms:
        raise APIError(
            422,
            "too_many_explanation_terms",
            f"explaining {len(texts):,} statements with top_k={top_k} asks for {terms:,} terms "
            f"per direction; one request may ask for {settings.max_explain_terms:,} "
            f"({env_name('max_explain_terms')}): lower top_k or send smaller batches",
            "top_k",
        )
