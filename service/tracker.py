"""The support tracker's report (GET /tracker) and its summary (GET /tracker/summary.csv),
as `make track` last wrote them into ``STANCEMETER_TRACKER_DIR``."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, send_file

from service.errors import APIError
from service.web import PAGE_POLICY

FILES = {"report.html": "text/html", "summary.csv": "text/csv"}


def register_tracker(app: Flask) -> None:
    tracker = Blueprint("tracker", __name__)

    @tracker.get("/tracker")
    def report() -> Response:
        """Heat maps, timelines and change points of the archive `make track` read."""
        return _send("report.html")

    @tracker.get("/tracker/summary.csv")
    def summary() -> Response:
        """One row per recipient, actor and month: the level, and the sentence that said it."""
        return _send("summary.csv")

    app.register_blueprint(tracker)


def _send(name: str) -> Response:
    folder: Path = current_app.extensions["stancemeter"]["settings"].tracker_dir
    path = folder / name
    if not path.is_file():
        raise APIError(
            404, "not_found",
            f"no tracker report in {folder} yet; run `make track IN=<archive folder> "
            f"OUT={folder}` to write one",
        )  # fmt: skip
    response = send_file(path.resolve(), mimetype=FILES[name], max_age=0)
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    if name == "summary.csv":
        response.headers["Content-Disposition"] = "attachment; filename=tracker-summary.csv"
    return response
