"""The corrections API and the review queue through the test client, on SQLite and
PostgreSQL, with the hostile-input list: every answer a JSON 4xx that says what."""

from __future__ import annotations

import pytest

from config import Settings
from service import create_app
from tests.helpers import TOKEN

ALICE, BOB = "alice-token-123", "bob-token-4567"
AS_ALICE = {"Authorization": f"Bearer {ALICE}"}
AS_BOB = {"Authorization": f"Bearer {BOB}"}
AS_ADMIN = {"Authorization": f"Bearer {TOKEN}"}
TEXT = "Norway pledged field hospitals to the region."


def make_api(models, database_url):
    return create_app(
        Settings(
            models_dir=models,
            admin_token=TOKEN,
            max_batch=5,
            max_chars=200,
            max_body_bytes=20_000,
            max_note_chars=100,
            log_predictions=True,
            database_url=database_url,
            annotator_tokens=f"alice:{ALICE},bob:{BOB}",
        )
    )


@pytest.fixture()
def api(models, database_url):
    """The test client on SQLite, then on PostgreSQL."""
    app = make_api(models, database_url)
    yield app.test_client()
    app.extensions["stancemeter"]["corrections"].get().close()


@pytest.fixture()
def sqlite_api(models, tmp_path):
    """The test client on SQLite only: for the refusals, which never reach the database."""
    app = make_api(models, f"sqlite:///{tmp_path / 'store.db'}")
    yield app.test_client()
    app.extensions["stancemeter"]["corrections"].get().close()


def post(api, corrections, headers=AS_ALICE):
    return api.post("/v1/corrections", json={"corrections": corrections}, headers=headers)


def error_of(response, status):
    assert response.status_code == status, response.get_json()
    assert response.is_json
    return response.get_json()["error"]


def test_correct_list_export_delete(api):
    answer = post(
        api,
        [
            {
                "text": TEXT,
                "label": "non_lethal",
                "note": "clear aid",
                "actor": "NOR",
                "seconds_spent": 4.5,
                "source": "page",
            }
        ],
    )
    assert answer.status_code == 201
    [stored] = answer.get_json()["corrections"]
    assert stored["annotator"] == "alice" and stored["created"] and stored["source"] == "page"
    assert stored["model_version"] and stored["predicted_label"] in stored["probabilities"]
    page = api.get("/v1/corrections?label=non_lethal&annotator=alice", headers=AS_BOB).get_json()
    assert page["total"] == 1 and page["corrections"][0]["note"] == "clear aid"
    assert api.get("/v1/corrections?label=lethal", headers=AS_BOB).get_json()["total"] == 0
    export = api.get("/v1/corrections/export", headers=AS_ALICE)
    assert export.mimetype == "application/x-ndjson"
    assert b'"label": "non_lethal"' in export.data and b'"actor": "NOR"' in export.data
    error_of(api.delete(f"/v1/corrections/{stored['id']}", headers=AS_BOB), 403)
    assert api.delete(f"/v1/corrections/{stored['id']}", headers=AS_ALICE).status_code == 200
    error_of(api.delete(f"/v1/corrections/{stored['id']}", headers=AS_ALICE), 404)


def test_the_admin_may_delete_anyones_but_not_write(api):
    [stored] = post(api, [{"text": TEXT, "label": "lethal"}]).get_json()["corrections"]
    error_of(post(api, [{"text": TEXT, "label": "lethal"}], AS_ADMIN), 401)
    assert api.delete(f"/v1/corrections/{stored['id']}", headers=AS_ADMIN).status_code == 200


def test_a_resent_client_key_is_stored_once(api):
    item = {"text": TEXT, "label": "lethal", "client_key": "page-7"}
    first = post(api, [item]).get_json()["corrections"][0]
    again = post(api, [item]).get_json()["corrections"][0]
    assert first["created"] and not again["created"] and first["id"] == again["id"]
    assert api.get("/v1/corrections", headers=AS_ALICE).get_json()["total"] == 1


def test_review_queue_least_certain_first_without_the_corrected(api):
    texts = [
        "Germany will deliver tanks to Ukraine.",
        "Officials discussed the matter.",
        "Norway may send something to the region.",
        "The envoy met his counterpart.",
    ]
    assert (
        api.post("/v1/predict", json={"statements": [{"text": t} for t in texts]}).status_code
        == 200
    )
    queue = api.get("/v1/review", headers=AS_BOB).get_json()
    assert queue["total"] == 4 and queue["order"] == "least_confidence"
    confidences = [p["confidence"] for p in queue["predictions"]]
    assert confidences == sorted(confidences)
    ties = api.get("/v1/review?order=breaking_ties&limit=2", headers=AS_BOB).get_json()
    margins = [p["margin"] for p in ties["predictions"]]
    assert len(margins) == 2 and margins == sorted(margins)
    first = queue["predictions"][0]
    post(api, [{"text": first["text"], "label": first["label"]}])  # confirmed
    after = api.get("/v1/review", headers=AS_BOB).get_json()
    assert after["total"] == 3 and first["text"] not in [p["text"] for p in after["predictions"]]


def test_nothing_is_logged_unless_asked(models, tmp_path):
    url = f"sqlite:///{tmp_path / 'off.db'}"
    app = create_app(
        Settings(models_dir=models, database_url=url, annotator_tokens=f"alice:{ALICE}")
    )
    client = app.test_client()
    assert client.post("/v1/predict", json={"text": TEXT}).status_code == 200
    assert not (tmp_path / "off.db").exists()  # no database made for a prediction
    assert client.get("/v1/review", headers=AS_ALICE).get_json()["total"] == 0


SQL = "'; DROP TABLE corrections; --"
HOSTILE = [
    # (what, method, path, body, headers, status, field)
    (
        "no token",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "lethal"}]},
        {},
        401,
        None,
    ),
    (
        "wrong token",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "lethal"}]},
        {"Authorization": "Bearer nope-nope-nope"},
        401,
        None,
    ),
    ("token without Bearer", "get", "/v1/review", None, {"Authorization": ALICE}, 401, None),
    (
        "SQL as a token",
        "get",
        "/v1/corrections",
        None,
        {"Authorization": f"Bearer {SQL}"},
        401,
        None,
    ),
    (
        "unknown label",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "tanks"}]},
        AS_ALICE,
        422,
        "corrections.0.label",
    ),
    (
        "empty text",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": "", "label": "lethal"}]},
        AS_ALICE,
        422,
        "corrections.0.text",
    ),
    (
        "text of spaces",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": "  ", "label": "lethal"}]},
        AS_ALICE,
        422,
        "corrections.0.text",
    ),
    (
        "text over the limit",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": "war " * 60, "label": "lethal"}]},
        AS_ALICE,
        422,
        "corrections.0.text",
    ),
    (
        "huge note",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "lethal", "note": "n" * 101}]},
        AS_ALICE,
        422,
        "corrections.0.note",
    ),
    (
        "note over the body limit",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "lethal", "note": "n" * 30_000}]},
        AS_ALICE,
        413,
        None,
    ),
    (
        "label of the wrong type",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": 3}]},
        AS_ALICE,
        422,
        "corrections.0.label",
    ),
    (
        "text of the wrong type",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": ["a"], "label": "lethal"}]},
        AS_ALICE,
        422,
        "corrections.0.text",
    ),
    (
        "a single object",
        "post",
        "/v1/corrections",
        {"text": TEXT, "label": "lethal"},
        AS_ALICE,
        422,
        "corrections",
    ),
    ("empty batch", "post", "/v1/corrections", {"corrections": []}, AS_ALICE, 422, "corrections"),
    (
        "batch over the limit",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "lethal"}] * 6},
        AS_ALICE,
        422,
        "corrections",
    ),
    (
        "unknown field",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "lethal", "annotator": "mallory"}]},
        AS_ALICE,
        422,
        "corrections.0.annotator",
    ),
    (
        "negative seconds",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "lethal", "seconds_spent": -1}]},
        AS_ALICE,
        422,
        "corrections.0.seconds_spent",
    ),
    (
        "SQL as an actor code",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "lethal", "actor": SQL}]},
        AS_ALICE,
        422,
        "corrections.0.actor",
    ),
    (
        "unknown source",
        "post",
        "/v1/corrections",
        {"corrections": [{"text": TEXT, "label": "lethal", "source": "db"}]},
        AS_ALICE,
        422,
        "corrections.0.source",
    ),
    (
        "SQL as a filter",
        "get",
        f"/v1/corrections?annotator={SQL}",
        None,
        AS_ALICE,
        422,
        "annotator",
    ),
    ("limit not a number", "get", "/v1/corrections?limit=ten", None, AS_ALICE, 422, "limit"),
    ("limit too large", "get", "/v1/corrections?limit=100000", None, AS_ALICE, 422, "limit"),
    ("offset negative", "get", "/v1/review?offset=-1", None, AS_ALICE, 422, "offset"),
    ("bad date", "get", "/v1/corrections?since=yesterday", None, AS_ALICE, 422, "since"),
    ("unknown parameter", "get", "/v1/corrections?sort=id", None, AS_ALICE, 422, "sort"),
    ("unknown order", "get", "/v1/review?order=random", None, AS_ALICE, 422, "order"),
    ("unknown label filter", "get", "/v1/corrections?label=tanks", None, AS_ALICE, 422, "label"),
    ("unknown id", "delete", "/v1/corrections/987654", None, AS_ALICE, 404, "correction_id"),
    (
        "id past any integer",
        "delete",
        "/v1/corrections/" + "9" * 40,
        None,
        AS_ALICE,
        404,
        "correction_id",
    ),
    ("id not a number", "delete", "/v1/corrections/1%20OR%201=1", None, AS_ALICE, 404, None),
    ("no token to delete", "delete", "/v1/corrections/1", None, {}, 401, None),
]


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_input_gets_a_json_4xx(sqlite_api, case):
    _, method, path, body, headers, status, field = case
    response = sqlite_api.open(path, method=method.upper(), json=body, headers=headers)
    error = error_of(response, status)
    assert error["message"] and error["field"] == field, error


def test_not_json_and_malformed_json(sqlite_api):
    api = sqlite_api
    response = api.post(
        "/v1/corrections",
        data="label=lethal",
        headers=AS_ALICE,
        content_type="application/x-www-form-urlencoded",
    )
    error_of(response, 415)
    response = api.post(
        "/v1/corrections",
        data='{"corrections": [',
        headers=AS_ALICE,
        content_type="application/json",
    )
    error_of(response, 400)


def test_sql_looking_text_and_notes_are_stored_verbatim(api):
    answer = post(api, [{"text": f"Poland {SQL} sent shells", "label": "lethal", "note": SQL}])
    assert answer.status_code == 201
    page = api.get("/v1/corrections", headers=AS_ALICE).get_json()
    assert page["total"] == 1 and page["corrections"][0]["note"] == SQL


def test_a_rejected_batch_stores_nothing(api):
    response = post(api, [{"text": TEXT, "label": "lethal"}, {"text": TEXT, "label": "tanks"}])
    error_of(response, 422)
    assert api.get("/v1/corrections", headers=AS_ALICE).get_json()["total"] == 0


def test_an_unreachable_database_is_a_json_503(models, postgres):
    app = create_app(
        Settings(
            models_dir=models,
            database_url=postgres.url("missing_db"),
            annotator_tokens=f"alice:{ALICE}",
        )
    )
    response = app.test_client().get("/v1/corrections", headers=AS_ALICE)
    assert error_of(response, 503)["code"] == "database_unavailable"


def test_bad_annotator_tokens_fail_at_start_up(models, tmp_path):
    for value in ("alice", "alice:short", f"alice:{ALICE},bob:{ALICE}", "@/no/such/file"):
        with pytest.raises(ValueError, match="STANCEMETER_ANNOTATOR_TOKENS"):
            create_app(Settings(models_dir=models, annotator_tokens=value))
    listed = tmp_path / "tokens"
    listed.write_text(f"# the team\nalice:{ALICE}\n\nbob:{BOB}  # since March\n")
    app = create_app(
        Settings(
            models_dir=models,
            annotator_tokens=f"@{listed}",
            database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        )
    )
    assert app.test_client().get("/v1/corrections", headers=AS_BOB).status_code == 200


SQLALCHEMY_ONCE_CORRECTED = """
import sys
from pathlib import Path
from config import Settings
from service import create_app
app = create_app(Settings(models_dir=Path(sys.argv[1]), database_url=sys.argv[2],
                          annotator_tokens="alice:" + sys.argv[3]))
client = app.test_client()
assert client.post("/v1/predict", json={"text": "Norway pledged aid."}).status_code == 200
assert client.get("/readyz").status_code == 200
before = "sqlalchemy" in sys.modules
answer = client.post("/v1/corrections", headers={"Authorization": "Bearer " + sys.argv[3]},
                     json={"corrections": [{"text": "Norway pledged aid.", "label": "non_lethal"}]})
print(before, answer.status_code, "sqlalchemy" in sys.modules)
"""


def test_a_worker_loads_sqlalchemy_only_once_corrected(models, tmp_path):
    """A worker that only predicts does not carry SQLAlchemy (about 19 MB of a worker's
    150): it is imported when the corrections store is first opened."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'lazy.db'}"
    out = subprocess.run([sys.executable, "-c", SQLALCHEMY_ONCE_CORRECTED, str(models), url, ALICE],
                         capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    assert out.stdout.split() == ["False", "201", "True"], out.stderr
