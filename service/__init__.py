"""stancemeter's HTTP service: a Flask application factory."""

from service.app import create_app

__all__ = ["create_app"]
