"""The package is installed from pyproject.toml with every version pinned by requirements.txt."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution

from tests.helpers import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_dependency_is_pinned_and_installed_at_its_pin():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: {line!r} is not an exact pin"
            pins[_name(name)] = version.strip()
    for requirement in declared:
        name = _name(requirement)
        assert name in pins, f"{name} is a dependency in pyproject.toml but not pinned"
        assert distribution(name).version == pins[name], f"{name} is not at its pin"


def test_the_project_itself_is_installed():
    try:
        distribution("stancemeter")
    except PackageNotFoundError as exc:  # pragma: no cover - the failure message is the point
        raise AssertionError("stancemeter is not installed: run `make install`") from exc
