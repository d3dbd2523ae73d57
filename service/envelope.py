"""What every response carries, added at the WSGI level around the Flask app.

A request id (the client's ``X-Request-ID`` when it is safe to echo, else a new
one), ``Cache-Control: no-store`` unless a view set its own, and
``X-Content-Type-Options: nosniff``. It also bounds how long a client may take to
send its body. Done here rather than in Flask hooks because it then holds for
every answer, error pages included, and costs a fraction of the per-request time
of Flask's request/response proxies (measured in bench/README.md).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

REQUEST_ID_HEADER = "X-Request-ID"
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class ResponseEnvelope:
    """WSGI middleware: ``app.wsgi_app = ResponseEnvelope(app.wsgi_app, read_timeout)``."""

    def __init__(self, app: WSGIApp, read_timeout: float) -> None:
        self.app = app
        self.read_timeout = read_timeout

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        given = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = given if SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        client = environ.get("gunicorn.socket")
        if client is not None:  # a slow client may not hold a worker for ever
            client.settimeout(self.read_timeout)

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if not any(name.lower() == "cache-control" for name, _ in headers):
                headers.append(("Cache-Control", "no-store"))
            headers.append(("X-Content-Type-Options", "nosniff"))
            headers.append((REQUEST_ID_HEADER, request_id))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)
