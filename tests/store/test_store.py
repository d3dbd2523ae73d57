"""The store on real databases: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import inspect

from store import CorrectionFilter, CorrectionStore, NewCorrection, StoreError, text_hash
from store.engine import exists, redacted

PROBS = {"opposed": 0.1, "neutral": 0.5, "diplomatic": 0.3, "non_lethal": 0.05, "lethal": 0.05}


@pytest.fixture()
def store(database_url):
    opened = CorrectionStore(database_url)
    yield opened
    opened.close()


def correction(
    text="Norway pledged field hospitals to the region.",
    label="non_lethal",
    annotator="alice",
    **more,
) -> NewCorrection:
    return NewCorrection(
        text=text,
        label=label,
        annotator=annotator,
        model_version="v1",
        predicted_label="neutral",
        probabilities=PROBS,
        **more,
    )


def test_opening_applies_the_migrations_once(database_url):
    first = CorrectionStore(database_url)
    tables = set(inspect(first.engine).get_table_names())
    assert {"corrections", "predictions", "alembic_version"} <= tables
    first.close()
    again = CorrectionStore(database_url)  # already at head: nothing to do, nothing lost
    assert again.list()[0] == 0
    again.close()


def test_sqlite_is_in_wal_mode_and_created_on_first_use(tmp_path):
    url = f"sqlite:///{tmp_path / 'var' / 'new.db'}"
    assert not exists(url)
    store = CorrectionStore(url)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert exists(url)
    store.close()


def test_add_list_get_delete(store):
    [(first, created)] = store.add([correction(note="the minister said it twice")])
    assert created and first["id"] >= 1 and first["source"] == "api"
    assert first["text_hash"] == text_hash("NORWAY  pledged field hospitals to the region.")
    assert store.get(first["id"])["note"] == "the minister said it twice"
    assert store.get(first["id"])["probabilities"] == PROBS
    total, rows = store.list()
    assert total == 1 and rows[0]["id"] == first["id"]
    assert store.delete(first["id"]) and not store.delete(first["id"])
    assert store.get(first["id"]) is None and store.list()[0] == 0


def test_filters_and_pages(store):
    store.add(
        [
            correction(text=f"Statement number {i} about aid.", label=label, annotator=who)
            for i, (label, who) in enumerate(
                [("lethal", "alice"), ("neutral", "bob"), ("lethal", "bob")] * 3
            )
        ]
    )
    assert store.list(CorrectionFilter(label="lethal"))[0] == 6
    assert store.list(CorrectionFilter(annotator="bob", label="lethal"))[0] == 3
    assert store.list(CorrectionFilter(model_version="other"))[0] == 0
    future = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    assert store.list(CorrectionFilter(since=future))[0] == 0
    assert store.list(CorrectionFilter(until=future))[0] == 9
    total, page = store.list(limit=4, offset=8)
    assert total == 9 and len(page) == 1
    ids = [r["id"] for r in store.list(limit=9)[1]]
    assert ids == sorted(ids, reverse=True)  # newest first


def test_a_client_key_is_stored_once(store):
    [(first, created)] = store.add([correction(client_key="page-1")])
    [(again, created_again)] = store.add([correction(client_key="page-1", label="lethal")])
    assert created and not created_again and again["id"] == first["id"]
    assert again["label"] == "non_lethal"
    [(other, created_other)] = store.add([correction(client_key="page-1", annotator="bob")])
    assert created_other and other["id"] != first["id"]  # keys are per annotator
    assert store.list()[0] == 2


def test_a_transaction_that_fails_half_way_leaves_nothing(store):
    from sqlalchemy import insert

    from store.tables import Correction

    with pytest.raises(RuntimeError), store._write() as connection:
        connection.execute(
            insert(Correction).values(
                text="Half written.",
                text_hash="h",
                label="lethal",
                annotator="a",
                source="api",
                created_at=datetime.datetime.now(datetime.UTC),
            )
        )
        raise RuntimeError("the process died here")
    assert store.list()[0] == 0


def test_a_batch_with_one_bad_row_stores_none_of_it(store):
    if store.engine.dialect.name == "sqlite":
        pytest.skip("SQLite does not enforce column lengths; the test above covers it")
    good = correction(text="A statement that would be stored.")
    bad = correction(text="A label far too long for its column.", label="x" * 5000)
    with pytest.raises(StoreError):
        store.add([good, bad])
    assert store.list()[0] == 0


def test_hostile_text_is_stored_as_text(store):
    hostile = "Robert'); DROP TABLE corrections;-- \x00 and 🙂 \u202e"
    [(row, _)] = store.add([correction(text=hostile.replace("\x00", ""), note="' OR 1=1 --")])
    assert store.get(row["id"])["text"] == hostile.replace("\x00", "")
    assert store.list(CorrectionFilter(annotator="alice' OR '1'='1"))[0] == 0
    assert store.list()[0] == 1


def test_export_in_the_corpus_format_oldest_first(store):
    store.add([correction(text="First text.", actor="NOR", recipient="UKR")])
    store.add([correction(text="Second text.", label="lethal")])
    rows = list(store.export())
    assert [r["text"] for r in rows] == ["First text.", "Second text."]
    assert rows[0]["label"] == "non_lethal" and rows[0]["actor"] == "NOR"
    assert rows[0]["source"] == "correction" and "note" not in rows[0]
    assert datetime.datetime.fromisoformat(rows[1]["created_at"]).tzinfo is not None


def test_review_queue_orders_and_leaves_out_corrected_texts(store):
    def probs(top, second):
        rest = (1 - top - second) / 3
        return {
            "opposed": top,
            "neutral": second,
            "diplomatic": rest,
            "non_lethal": rest,
            "lethal": rest,
        }

    logged = [
        ("sure", probs(0.9, 0.05)),
        ("unsure", probs(0.4, 0.35)),
        ("tied", probs(0.45, 0.44)),
        ("spread", probs(0.35, 0.2)),
    ]
    rows = [
        {"text": f"The {name} one.", "model_version": "v1", "label": "opposed", "probabilities": p}
        for name, p in logged
    ]
    assert store.log_predictions(rows + rows[:1]) == 4
    assert store.log_predictions(rows) == 0  # once per text and model version
    total, queue = store.review_queue("v1")
    assert total == 4
    assert [q["text"] for q in queue] == [
        "The spread one.",
        "The unsure one.",
        "The tied one.",
        "The sure one.",
    ]
    ties = [q["text"] for q in store.review_queue("v1", "breaking_ties")[1]]
    assert ties[0] == "The tied one."
    store.add([correction(text="the   UNSURE one.")])  # same text, case and spacing aside
    total, queue = store.review_queue("v1")
    assert total == 3 and "The unsure one." not in [q["text"] for q in queue]
    assert store.review_queue("v2")[0] == 0
    with pytest.raises(ValueError):
        store.review_queue("v1", "random")


def test_a_database_that_cannot_be_reached_is_a_store_error(postgres):
    url = postgres.url("no_such_database")
    with pytest.raises(StoreError, match="cannot open"):
        CorrectionStore(url)
    assert "secret" not in redacted("postgresql+psycopg://u:secret@h/db")
