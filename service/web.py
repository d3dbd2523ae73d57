"""The analysts' page (GET /) and the latest evaluation report (GET /report)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, send_file

from service.errors import APIError

# The page loads nothing from elsewhere; the browser is told so.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)


def register_web(app: Flask) -> None:
    web = Blueprint("web", __name__)

    @web.get("/")
    def page() -> Response:
        response = current_app.send_static_file("index.html")
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        return response

    @web.get("/report")
    def report() -> Response:
        """The held-out report of the model being served, as `make evaluate` wrote it."""
        state = current_app.extensions["stancemeter"]
        version = state["store"].model.version
        path = (state["settings"].reports_dir / version / "heldout" / "report.html").resolve()
        if not path.is_file():
            raise APIError(
                404, "not_found",
                f"no report for model {version} yet; run `make evaluate` to write one",
            )  # fmt: skip
        response = send_file(path, mimetype="text/html")
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        return response

    app.register_blueprint(web)
