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


def created(sequencer: str, *, key: str = KEY, etag: str = "etag-1", size: int | None = None) -> ObjectEvent:
    return ObjectEvent(BUCKET, key, "created", size=size, etag=etag, sequencer=sequencer)


def removed(sequencer: str) -> ObjectEvent:
    return ObjectEvent(BUCKET, KEY, "removed", sequencer=sequencer)


def version(sequencer: str) -> str:
    return created(sequencer).ordering_key


def clean_key(sequencer: str) -> str:
    return ids.clean_key(ARTICLE, version(sequencer))


def clean_created(sequencer: str) -> ObjectEvent:
    return ObjectEvent(BUCKET, clean_key(sequencer), "created")


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
    speaker = {"text": words[0], "entity": words[0]} if words else None
    content = {"text": clean_doc["text"], "start": 0, "end": 1, "spans": [[0, 1]]}
    claim = {"kind": "direct_quote", "speaker": speaker, "content": content, "score": 0.5}
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


def analyze(store: InMemoryStore, sequencer: str = "0A") -> Status:
    return analyze_object(clean_created(sequencer), store, analyze_text=fake_analyze).status


def names(store: InMemoryStore) -> set[str]:
    return {pk.removeprefix("NAME#") for pk in store.entries_of(ARTICLE)}


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


def test_an_upload_is_cleaned_then_analysed(store):
    # Given an upload
    store.upload(KEY, b"Acme hired Bolt today")
    # When both stages run on its events
    assert ingest(store, created("0A")) == Status.CLEANED
    assert analyze(store) == Status.DONE
    # Then the article item is DONE, with its metadata, and one index entry per name it mentions
    item = store.get_article(ARTICLE)
    assert item["status"] == "DONE" and item["title"] == "Acme" and item["ordering_key"].startswith("0A")
    assert names(store) == {"acme", "bolt"}
    # (Acme, the speaker of the article's quote, carries it in its entry)
    assert store.entries_of(ARTICLE)["NAME#acme"]["claims"][0]["n"] == 1
    assert store.objects_under(f"analysis/{ARTICLE}/") == [ids.analysis_key(ARTICLE, version("0A"))]


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
    assert names(store) == set()  # the old entries are gone as soon as the new version is in
    assert store.objects_under(f"clean/{ARTICLE}/") == [clean_key("0B")]  # and the old clean text
    assert analyze(store, "0B") == Status.DONE
    # Then only the new version's entries and analysis remain
    assert names(store) == {"cargo"}
    assert store.objects_under(f"analysis/{ARTICLE}/") == [ids.analysis_key(ARTICLE, version("0B"))]


def test_clean_text_of_an_older_version_is_not_analysed(store):
    # Given version A cleaned, its clean/ event still queued, and then version B ingested
    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))
    stale_clean = store.read_json(clean_key("0A"))
    store.upload(KEY, b"Cargo shipped", etag="etag-2")
    ingest(store, created("0B", etag="etag-2"))
    # When version A's clean text is analysed after all (its object written again, late)
    store.put_json(clean_key("0A"), stale_clean)
    # Then it is skipped as stale and writes nothing
    assert analyze(store, "0A") == Status.STALE
    assert names(store) == set() and store.get_article(ARTICLE)["status"] == "CLEANED"
    # and the newer version's own clean text is untouched and analysable
    assert analyze(store, "0B") == Status.DONE and names(store) == {"cargo"}


def test_an_unusable_upload_is_failed_with_its_reason_and_leaves_nothing_behind(store):
    # Given an analysed article whose key is then overwritten with an unusable upload
    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))
    analyze(store)
    store.upload(KEY, b"EMPTY", etag="etag-2")
    # When it is ingested
    assert ingest(store, created("0B", etag="etag-2")) == Status.FAILED
    # Then the item says why, not to retry, and the old clean text, analysis and entries are gone
    item = store.get_article(ARTICLE)
    assert item["error"] == {
        "code": "empty",
        "message": "the object is empty or contains only whitespace",
        "retryable": False,
    }
    assert store.objects_under(f"clean/{ARTICLE}") == store.objects_under(f"analysis/{ARTICLE}") == []
    assert names(store) == set()


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
    assert names(store) == set() and store.objects_under(f"clean/{ARTICLE}") == []
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
    record_unexpected_failure(clean_created("0A"), store, StorageError("cannot write: InternalError"))
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
    assert store.objects_under(f"clean/{ARTICLE}") == []


def test_analysis_items_too_large_for_dynamodb_fail_the_article_with_a_reason(store, monkeypatch):
    # Given entries that would exceed DynamoDB's limit (the builders cap every field, so this is a
    # guard against a future builder: fake one)
    from article_pipeline import stages

    store.upload(KEY, b"Acme hired Bolt")
    ingest(store, created("0A"))
    huge = [{"PK": "NAME#acme", "SK": "x", "article_id": ARTICLE, "version": version("0A"), "blob": "x" * 500_000}]
    monkeypatch.setattr(stages, "index_entries", lambda *args, **kwargs: huge)
    # When the article is analysed
    outcome = analyze_object(clean_created("0A"), store, analyze_text=fake_analyze)
    # Then it is FAILED with the reason, not retried, and nothing was half-written
    assert outcome.status == Status.FAILED
    item = store.get_article(ARTICLE)
    assert item["error"]["code"] == "item_too_large" and item["error"]["retryable"] is False
    assert names(store) == set()


# ------------------------------------------------------------------------------ races between versions


class InterleavingStore(InMemoryStore):
    """Runs ``interleave`` just before the next call of ``method`` (once): another invocation's work,
    landing between two steps of this one."""

    def __init__(self) -> None:
        super().__init__()
        self.hooks: dict[str, Any] = {}

    def before(self, method: str, interleave: Any) -> None:
        self.hooks[method] = interleave

    def __getattribute__(self, name: str) -> Any:
        hooks = object.__getattribute__(self, "hooks") if name != "hooks" else None
        attribute = object.__getattribute__(self, name)
        if hooks and name in hooks and callable(attribute):
            interleave = hooks.pop(name)

            def hooked(*args: Any, **kwargs: Any) -> Any:
                interleave()
                return attribute(*args, **kwargs)

            return hooked
        return attribute


@pytest.fixture
def racing() -> InterleavingStore:
    return InterleavingStore()


def test_a_slow_analysis_of_an_older_version_never_replaces_the_newer_versions_results(racing):
    # Given version A cleaned, and its analysis running when version B is ingested and analysed
    racing.upload(KEY, b"Acme hired Bolt")
    ingest(racing, created("0A"))

    def newer_version_lands() -> None:
        racing.upload(KEY, b"Bolt joined Cargo", etag="etag-2")
        ingest(racing, created("0B", etag="etag-2"))
        assert analyze(racing, "0B") == Status.DONE

    # When A's analysis writes its entries only after B is done
    racing.before("put_entries", newer_version_lands)
    assert analyze(racing, "0A") == Status.STALE
    # Then B's entries stand (Bolt, shared by both, still B's; Acme, A's alone, taken back) and B's analysis
    assert names(racing) == {"bolt", "cargo"}
    assert {e["version"] for e in racing.entries_of(ARTICLE).values()} == {version("0B")}
    assert racing.get_article(ARTICLE)["status"] == "DONE"
    assert racing.objects_under(f"analysis/{ARTICLE}/") == [ids.analysis_key(ARTICLE, version("0B"))]


def test_a_newer_version_ingested_between_an_analysis_and_its_commit_wins(racing):
    # Given version A's analysis that has written its entries and is about to commit
    racing.upload(KEY, b"Acme hired Bolt")
    ingest(racing, created("0A"))

    def newer_upload() -> None:
        racing.upload(KEY, b"Cargo shipped", etag="etag-2")
        ingest(racing, created("0B", etag="etag-2"))

    racing.before("update_article", newer_upload)
    # When A commits after B was ingested
    assert analyze(racing, "0A") == Status.STALE
    # Then nothing of A is left, and B's own analysis sets the results
    assert names(racing) == set()
    assert analyze(racing, "0B") == Status.DONE and names(racing) == {"cargo"}


def test_a_late_ingest_of_an_older_version_never_strands_the_newer_one(racing):
    # Given version A's ingest reading its object while version B is ingested in full
    racing.upload(KEY, b"Acme hired Bolt")

    def newer_version_ingested() -> None:
        racing.upload(KEY, b"Cargo shipped", etag="etag-2")
        ingest(racing, created("0B", etag="etag-2"))
        racing.upload(KEY, b"Acme hired Bolt")  # A's read still returns A's bytes

    racing.before("read_object", newer_version_ingested)
    # When A's ingest goes on
    assert ingest(racing, created("0A")) == Status.STALE
    # Then B's clean text is there, B's item says CLEANED for B, and B's analysis completes
    assert racing.get_article(ARTICLE)["ordering_key"] == version("0B")
    assert racing.objects_under(f"clean/{ARTICLE}/") == [clean_key("0B")]
    assert analyze(racing, "0B") == Status.DONE and names(racing) == {"cargo"}
