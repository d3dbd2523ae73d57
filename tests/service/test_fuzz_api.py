"""API fuzzing: schemathesis generates requests from the service's own /openapi.json.

No generated request may produce a 5xx, and every response must match the schema
the document gives for it. The number of examples is bounded so that CI stays fast.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from service import create_app
from service.config import Settings
from tests.service.conftest import TOKEN

EXAMPLES_PER_OPERATION = 80


def fuzz_operation(operation, tried: dict[str, int]) -> None:
    label = f"{operation.method.upper()} {operation.path}"
    tried[label] = 0
    headers = {"Authorization": f"Bearer {TOKEN}"} if operation.path.endswith("reload") else {}

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)  # fmt: skip
    def fuzz(case):
        tried[label] += 1
        case.call_and_validate(headers=headers)

    fuzz()


def test_generated_requests_get_documented_answers(models, capsys):
    app = create_app(Settings(models_dir=models, admin_token=TOKEN, max_batch=20,
                              max_chars=500))  # fmt: skip
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    tried: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        fuzz_operation(operation, tried)
    assert len(tried) == 6 and all(tried.values())
    with capsys.disabled():
        print(f"\nschemathesis: {sum(tried.values())} generated requests: {tried}")
