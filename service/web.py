"""The analysts' page (GET /) and the served model's evaluation reports (GET /report for
the held-out split, GET /reports/<data name> for any other evaluated file)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, send_file

from service.errors import APIError
from service.reports import report_path

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

    @web.get("/favicon.ico")
    def favicon() -> Response:
        """Browsers ask for it on every page; an SVG icon rather than a 404 in the log."""
        response = current_app.send_static_file("favicon.svg")
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    @web.get("/report")
    def report() -> Response:
        """The held-out report of the model being served, as `make evaluate` wrote it."""
        return _report("heldout")

    @web.get("/reports/<name>")
    def named_report(name: str) -> Response:
        """The report on another file: `make evaluate DATA=path/<name>.jsonl`."""
        return _report(name)

    app.register_blueprint(web)


def _report(name: str) -> Response:
    state = current_app.extensions["stancemeter"]
    version = state["store"].model.version
    path = report_path(state["settings"].reports_dir, version, name)
    if path is None:
        how = "make evaluate" if name == "heldout" else f"make evaluate DATA=<path to {name}.jsonl>"
        raise APIError(
            404, "not_found",
            f"no report '{name}' for model {version} yet; run `{how}` to write one "
            "(GET /v1/reports lists the reports there are)",
        )  # fmt: skip
    response = send_file(path.resolve(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response
