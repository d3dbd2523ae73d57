"""Property test through the API: any Unicode text in JSON gets a 200 or a clear 422."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from classifier.labels import LABELS
from tests.helpers import ANY_TEXT, SPICY


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=ANY_TEXT | SPICY)
def test_api_takes_any_text_as_json(client, text):
    """Through JSON, lone surrogates included (json.dumps escapes them as \\ud800)."""
    body = json.dumps({"statements": [{"id": 1, "text": text}], "explain": True})
    response = client.post("/v1/predict", data=body, content_type="application/json")
    assert response.status_code in (200, 413, 422), response.data
    payload = response.get_json()
    if response.status_code == 422:
        assert payload["error"]["field"] in ("statements.0.text", "statements")
    elif response.status_code == 413:  # the test app's body limit is 20,000 bytes
        assert len(body.encode()) > 20_000 and payload["error"]["code"] == "payload_too_large"
    else:
        assert payload["predictions"][0]["label"] in LABELS
