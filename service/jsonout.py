"""JSON answers encoded with orjson: a batch of 1,000 predictions is about 0.8 MB of
JSON, and ``json.dumps`` spent several times orjson's time on it (bench/README.md).

Only Flask's ``response`` (``jsonify``) changes: ``dumps``, which templates use, stays
the standard one. orjson refuses what standard JSON can still carry (a lone surrogate
such as ``"\\ud800"`` echoed in an id, an integer over 64 bits), and those answers
fall back to ``json.dumps`` with ASCII escapes, so every answer is still sent.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

_COMPACT = orjson.OPT_APPEND_NEWLINE
_INDENTED = orjson.OPT_APPEND_NEWLINE | orjson.OPT_INDENT_2


class OrjsonProvider(DefaultJSONProvider):
    """``jsonify`` through orjson, the same JSON values as the standard provider."""

    sort_keys = False

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        indented = (self.compact is None and self._app.debug) or self.compact is False
        try:
            body = orjson.dumps(
                obj, default=self.default, option=_INDENTED if indented else _COMPACT
            )
        except orjson.JSONEncodeError:
            return super().response(obj)
        return self._app.response_class(body, mimetype=self.mimetype)
