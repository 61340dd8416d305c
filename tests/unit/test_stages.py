"""The stages' rules, on an in-memory store: ordering by sequencer, stale and late events, re-uploads
replacing results, failures recorded, deletes. Fast (no AWS, no trafilatura, no spaCy); the moto
tests in tests/integration run the same rules through the real handlers and storage.
"""

from __future__ import annotations

from typing import Any

import pytest

from article_pipeline import ids
from article_pipeline.errors import EmptyInput, StorageError
from article_pipeline.events import ObjectEvent
from article_pipeline.schema import Status
from article_pipeline.stages import analyze_object, ingest_object, record_unexpected_failure
from tests.fakes.store import InMemoryStore

BUCKET = "bucket"
KEY = "incoming/story.txt"
ARTICLE = ids.article_id(BUCKET, KEY)
CLEAN_KEY = ids.clean_key(ARTICLE)


def created(sequencer: str, *, key: str = KEY, etag: str = "etag-1", size: int | None = None) -> ObjectEvent:
    return ObjectEvent(BUCKET, key, "created", size=size, etag=etag, sequencer=sequencer)


def removed(sequencer: str) -> ObjectEvent:
    return ObjectEvent(BUCKET, KEY, "removed", sequencer=sequencer)


def clean_created() -> ObjectEvent:
    return ObjectEvent(BUCKET, CLEAN_KEY, "created")


def fake_clean(raw: bytes, **_: Any) -> dict[str, Any]:
    """Cleaning stand-in: the text as is; "EMPTY" is an unusable upload."""
    text = raw.decode()
    if text == "EMPTY":
        raise EmptyInput("the object is empty or contains only whitespace")
    return {"text": text, "format": "text", "language": "en", "title": text.split()[0], "word_count": len(text.split())}


def fake_analyze(clean_doc: dict[str, Any]) -> dict[str, Any]:
    """Analysis stand-in: one entity per capitalised word, one assertion per text."""
    words = sorted({w for w in clean_doc["text"].split() if w[:1].isupper()})
    entities = [
        {"name": w, "label": "ORG", "aliases": [], "count": 1, "salience": 1.0, "mentions": [{"start": 0, "end": 1}]}
        for w in words
    ]
    claim = {"kind": "assertion", "content": {"text": clean_doc["text"], "start": 0, "end": 1, "spans": [[0, 1]]}}
    return {
        "article_id": clean_doc["article_id"],
        "title": clean_doc.get("title"),
        "entities": entities,
        "claims": [claim],
        "versions": {"pipeline": "test", "model": "fake-1"},
        "skipped_reason": "language 'fr' is not supported" if clean_doc.get("language") == "fr" else None,
    }


def ingest(store: InMemoryStore, event: ObjectEvent) -> Status:
    return ingest_object(event, store, clean_raw=fake_clean).status


def analyze(store: InMemoryStore) -> Status:
    return analyze_object(clean_created(), store, analyze_text=fake_analyze).status


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


def test_an_upload_is_cleaned_then_analysed(store):
    # Given an upload
    store.upload(KEY, b"Acme hired Bolt today")
    # When both stages run on its events
    assert ingest(store, created("0A")) == Status.CLEANED
    assert analyze(store) == Status.DONE
    # Then the article item is DONE, with its metadata, and one item per entity and claim
    item = store.get_article(ARTICLE)
    assert item["status"] == "DONE" and item["title"] == "Acme" and item["ordering_key"].startswith("0A")
    assert set(store.children(ARTICLE)) == {"ENTITY#ORG#acme", "ENTITY#ORG#bolt", "CLAIM#0001"}
    assert store.has_object(ids.analysis_key(ARTICLE))


def test_an_older_event_never_overwrites_a_newer_one(store):
    # Given the newer version already ingested
    store.upload(KEY, b"Newer text")
    assert ingest(store, created("0B")) == Status.CLEANED
    # When the older version's event arrives late
    assert ingest(store, created("0A", etag="etag-0")) == Status.STALE
    # Then the item still belongs to the newer version
    assert store.get_article(ARTICLE)["ordering_key"].startswith("0B")


def test_a_redelivered_event_is_not_processed_twice(store):
    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))
    reads = len(store.reads)
    outcome = ingest_object(created("0A"), store, clean_raw=fake_clean)
    assert outcome.status == Status.CLEANED and outcome.reason == "duplicate event"
    assert len(store.reads) == reads  # not even read again


def test_a_re_upload_replaces_the_old_results_entirely(store):
    # Given an analysed article that mentions Acme and Bolt
    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))
    analyze(store)
    # When a new version that mentions only Cargo is uploaded and analysed
    store.upload(KEY, b"Cargo shipped", etag="etag-2")
    assert ingest(store, created("0B", etag="etag-2")) == Status.CLEANED
    assert store.children(ARTICLE) == {}  # the old entities are gone as soon as the new version is in
    assert analyze(store) == Status.DONE
    # Then only the new version's items remain
    assert set(store.children(ARTICLE)) == {"ENTITY#ORG#cargo", "CLAIM#0001"}


def test_clean_text_of_an_older_version_is_not_analysed(store):
    # Given version A cleaned, its clean/ event still queued, and then version B ingested
    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))
    stale_clean = store.read_json(CLEAN_KEY)
    store.upload(KEY, b"Cargo shipped", etag="etag-2")
    ingest(store, created("0B", etag="etag-2"))
    # When version A's clean text is analysed after all
    store.put_json(CLEAN_KEY, stale_clean)
    # Then it is skipped as stale and writes nothing
    assert analyze(store) == Status.STALE
    assert store.children(ARTICLE) == {} and store.get_article(ARTICLE)["status"] == "CLEANED"


def test_an_unusable_upload_is_failed_with_its_reason_and_leaves_nothing_behind(store):
    # Given an analysed article whose key is then overwritten with an unusable upload
    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))
    analyze(store)
    store.upload(KEY, b"EMPTY", etag="etag-2")
    # When it is ingested
    assert ingest(store, created("0B", etag="etag-2")) == Status.FAILED
    # Then the item says why, not to retry, and the old clean text, analysis and items are gone
    item = store.get_article(ARTICLE)
    assert item["error"] == {
        "code": "empty",
        "message": "the object is empty or contains only whitespace",
        "retryable": False,
    }
    assert not store.has_object(CLEAN_KEY) and not store.has_object(ids.analysis_key(ARTICLE))
    assert store.children(ARTICLE) == {}


def test_an_upload_over_the_limit_fails_without_being_read(store):
    store.upload(KEY, b"x")
    outcome = ingest_object(created("0A", size=store.settings.max_object_bytes + 1), store, clean_raw=fake_clean)
    assert outcome.status == Status.FAILED and store.get_article(ARTICLE)["error"]["code"] == "too_large"
    assert store.reads == []


def test_a_delete_leaves_a_marker_that_late_events_cannot_undo(store):
    # Given an analysed article
    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))
    analyze(store)
    # When its upload is deleted
    assert ingest(store, removed("0C")) == Status.DELETED
    # Then nothing of it is left but the DELETED marker
    assert store.get_article(ARTICLE)["status"] == "DELETED"
    assert store.children(ARTICLE) == {} and not store.has_object(CLEAN_KEY)
    # and an older upload event delivered late changes nothing
    assert ingest(store, created("0B")) == Status.STALE
    assert store.get_article(ARTICLE)["status"] == "DELETED"


def test_an_object_gone_before_it_is_read_is_stale_not_a_failure(store):
    assert ingest(store, created("0A")) == Status.STALE
    assert store.get_article(ARTICLE) is None


def test_objects_outside_incoming_are_ignored(store):
    assert ingest(store, created("0A", key="clean/abc.json")) == Status.IGNORED
    outcome = analyze_object(ObjectEvent(BUCKET, "incoming/x.txt", "created"), store, analyze_text=fake_analyze)
    assert outcome.status == Status.IGNORED


def test_unsupported_language_is_skipped_with_a_reason(store):
    store.upload(KEY, b"Bonjour Paris")

    def clean_french(raw: bytes, **kwargs: Any) -> dict[str, Any]:
        return {**fake_clean(raw, **kwargs), "language": "fr"}

    ingest_object(created("0A"), store, clean_raw=clean_french)
    assert analyze(store) == Status.SKIPPED
    assert store.get_article(ARTICLE)["error"]["code"] == "skipped"


def test_an_unexpected_analysis_failure_is_recorded_as_retryable_and_cleared_by_success(store):
    # Given a cleaned article whose analysis fails with a storage error
    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))
    record_unexpected_failure(clean_created(), store, StorageError("cannot write: InternalError"))
    item = store.get_article(ARTICLE)
    assert item["status"] == "FAILED" and item["error"]["retryable"] is True
    # When the retry succeeds
    assert analyze(store) == Status.DONE
    # Then the item no longer carries the error
    assert "error" not in store.get_article(ARTICLE)


def test_an_upload_that_fails_before_its_first_write_is_recorded_for_its_version(store):
    # Given no article item yet (the upload's read keeps failing)
    record_unexpected_failure(created("0A"), store, StorageError("cannot read: AccessDenied"))
    # Then an item for that version says FAILED, retryable, with the reason
    item = store.get_article(ARTICLE)
    assert item["status"] == "FAILED" and item["error"]["retryable"] is True
    assert "AccessDenied" in item["error"]["message"] and item["source"]["key"] == KEY
    # and a failure of an older version does not touch it
    record_unexpected_failure(created("09"), store, StorageError("older"))
    assert "AccessDenied" in store.get_article(ARTICLE)["error"]["message"]


def test_an_article_item_that_would_exceed_dynamodbs_limit_fails_the_article_not_the_message(store):
    # Given an upload whose metadata (bypassing cleaning's caps) would make a 500 KB article item
    store.upload(KEY, b"Acme hired Bolt")

    def clean_with_huge_title(raw: bytes, **kwargs: Any) -> dict[str, Any]:
        return {**fake_clean(raw, **kwargs), "title": "T" * 500_000}

    # When it is ingested
    outcome = ingest_object(created("0A"), store, clean_raw=clean_with_huge_title)
    # Then the article is FAILED with the reason, not retried, and no clean text is left for analysis
    assert outcome.status == Status.FAILED
    error = store.get_article(ARTICLE)["error"]
    assert error["code"] == "item_too_large" and error["retryable"] is False
    assert not store.has_object(CLEAN_KEY)


def test_analysis_items_too_large_for_dynamodb_fail_the_article_with_a_reason(store):
    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))

    def analyze_with_huge_aliases(clean_doc: dict[str, Any]) -> dict[str, Any]:
        document = fake_analyze(clean_doc)
        document["entities"][0]["aliases"] = [f"alias {n} " + "x" * 200 for n in range(3_000)]
        return document

    outcome = analyze_object(clean_created(), store, analyze_text=analyze_with_huge_aliases)
    assert outcome.status == Status.FAILED
    item = store.get_article(ARTICLE)
    assert item["error"]["code"] == "item_too_large" and item["error"]["retryable"] is False
    assert store.children(ARTICLE) == {}  # nothing half-written
