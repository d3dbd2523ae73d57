"""API fuzzing: schemathesis generates requests from the service's own /openapi.json.

Every built-in check runs (the Python API's equivalent of ``--checks all``) on valid
(positive) and invalid (negative) requests: no 5xx, every status, content type,
header and body as documented, invalid requests refused, valid ones accepted,
authentication enforced where it is declared. None is excluded; the stateful ones
(``use_after_free``, ``ensure_resource_availability``, ``object_level_authorization``)
find no links or resources in this API and pass trivially. The number of examples
is bounded so that the whole file stays well under a minute.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from config import Settings
from service import create_app
from tests.helpers import ANNOTATOR_TOKEN, TOKEN

EXAMPLES_PER_MODE = 30  # per operation and generation mode
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ANNOTATOR = {"Authorization": f"Bearer {ANNOTATOR_TOKEN}"}


def headers_for(operation) -> dict[str, str]:
    """The token an operation declares: the admin's for reload, an annotator's for the
    corrections and the review queue (the admin may read them too, but not write)."""
    if operation.path.endswith("reload"):
        return AUTH
    return ANNOTATOR if "/corrections" in operation.path or "/review" in operation.path else {}


def all_checks() -> list:
    load_all_checks()
    return [CHECKS.get_one(name) for name in CHECKS.get_all_names()]


def fuzz_operation(operation, tried: dict[str, int], headers: dict[str, str]) -> None:
    fuzz_mode(operation, GenerationMode.POSITIVE, tried, headers)
    # Without a body or query parameters there is nothing to make invalid: X-Request-ID
    # is any string and a path's integer id, made invalid, names no route (hypothesis
    # reports "Unsatisfiable").
    if operation.body or operation.query:
        fuzz_mode(operation, GenerationMode.NEGATIVE, tried, headers)


def fuzz_mode(operation, mode, tried: dict[str, int], headers: dict[str, str]) -> None:
    checks = all_checks()
    label = f"{operation.method.upper()} {operation.path} {mode.value}"
    tried[label] = 0

    # The token is fixed in the strategy, so a negative case never "breaks" it, and given
    # to the call as well, so that ignored_auth knows it is explicit and probes without it.
    @given(case=operation.as_strategy(generation_mode=mode, headers=headers or None))
    @settings(max_examples=EXAMPLES_PER_MODE, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)  # fmt: skip
    def fuzz(case):
        tried[label] += 1
        case.call_and_validate(headers=headers or None, checks=checks)

    fuzz()


def schema_of(models, token: str | None, database: str):
    app = create_app(Settings(models_dir=models, admin_token=token, max_batch=20,
                              max_chars=500, annotator_tokens=f"analyst:{ANNOTATOR_TOKEN}",
                              database_url=database, log_predictions=True))  # fmt: skip
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def test_all_checks_pass_on_generated_requests(models, tmp_path, capsys):
    assert {"negative_data_rejection", "ignored_auth", "response_headers_conformance"} <= {
        check.__name__ for check in all_checks()
    }
    tried: dict[str, int] = {}
    for result in schema_of(models, TOKEN, f"sqlite:///{tmp_path / 'db'}").get_all_operations():
        operation = result.ok()
        fuzz_operation(operation, tried, headers_for(operation))
    # 13 operations; 4 with a body and 2 with query parameters are fuzzed invalid too
    assert len(tried) == 19 and all(tried.values())
    with capsys.disabled():
        print(f"\nschemathesis, all checks: {sum(tried.values())} generated requests: {tried}")


def test_reload_without_an_admin_token_answers_as_documented(models, tmp_path):
    """With no token configured, every reload request gets the documented 404."""
    tried: dict[str, int] = {}
    for result in schema_of(models, None, f"sqlite:///{tmp_path / 'db'}").get_all_operations():
        operation = result.ok()
        if operation.path.endswith("reload"):
            fuzz_operation(operation, tried, {})
    assert len(tried) == 2 and all(tried.values())
