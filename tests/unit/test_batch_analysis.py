"""Several articles analysed together: analyze_many keeps order and errors in place, and the analyze
handler's parse-ahead hands each record its document without changing the stages' rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from article_pipeline import analysis, ids
from article_pipeline.analysis import analyze_many, analyze_raw
from article_pipeline.errors import EmptyInput
from article_pipeline.events import ObjectEvent
from article_pipeline.schema import Status
from article_pipeline.settings import Settings
from article_pipeline.stages import analyze_object, ingest_object, parse_ahead
from tests.fakes.store import InMemoryStore
from tests.unit.test_stages import BUCKET, fake_analyze, fake_clean

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_analyze_many_gives_each_input_its_document_in_order_and_an_error_in_its_place():
    # Given two sample articles with an empty upload between them
    first, second = (SAMPLES / "budapest-summit.txt").read_bytes(), (SAMPLES / "council-budget.md").read_bytes()
    # When they are analysed together
    results = analyze_many([first, b"", second], filenames=["budapest.txt", "empty.txt", "council.md"])
    # Then the empty one holds its error, and the others are what one-by-one analysis gives
    assert isinstance(results[1], EmptyInput)
    for result, raw, name in ((results[0], first, "budapest.txt"), (results[2], second, "council.md")):
        assert not isinstance(result, Exception)
        alone = analyze_raw(raw, filename=name)
        assert result["entities"] == alone["entities"] and result["claims"] == alone["claims"]
        assert result["claims"] and result["entities"]


def _cleaned_batch(store: InMemoryStore, texts: list[str]) -> list[ObjectEvent]:
    """Uploads ingested (CLEANED), and the clean-object events the analyze queue would carry."""
    events = []
    for n, text in enumerate(texts):
        key = f"incoming/story-{n}.txt"
        store.upload(key, text.encode())
        upload = ObjectEvent(BUCKET, key, "created", etag="e", sequencer="0A")
        assert ingest_object(upload, store, clean_raw=fake_clean).status == Status.CLEANED
        article = ids.article_id(BUCKET, key)
        events.append(ObjectEvent(BUCKET, ids.clean_key(article, upload.ordering_key), "created"))
    return events


def test_a_batch_is_parsed_once_ahead_and_each_record_gets_its_own_document(monkeypatch):
    # Given three cleaned articles, and analysis that counts how it is called
    store = InMemoryStore()
    events = _cleaned_batch(store, ["Acme hired Bolt", "Cargo met Delta", "Echo left"])
    batches: list[int] = []

    def analyze_texts(docs: list[dict[str, Any]], **_: Any) -> list[dict[str, Any]]:
        batches.append(len(docs))
        return [fake_analyze(doc) for doc in docs]

    def analyze_text(*_: Any, **__: Any) -> dict[str, Any]:
        raise AssertionError("a record was analysed on its own")

    monkeypatch.setattr(analysis, "analyze_texts", analyze_texts)
    monkeypatch.setattr(analysis, "analyze_text", analyze_text)
    # When the batch is parsed ahead, then each record runs its stage
    analyze = parse_ahead(events, store)
    outcomes = [analyze_object(event, store, analyze) for event in events]
    # Then one analysis call covered the batch, and every article is DONE with its own names
    assert batches == [3]
    assert [o.status for o in outcomes] == [Status.DONE] * 3
    titles = [store.get_article(ids.article_id_from_clean_key(e.key))["title"] for e in events]
    assert titles == ["Acme", "Cargo", "Echo"]


def test_texts_past_the_batch_budget_are_analysed_record_by_record(monkeypatch):
    # Given a budget of 30 characters and a batch whose second text is long
    store = InMemoryStore(Settings(table_name="table", bucket_name=BUCKET, batch_parse_chars=30))
    events = _cleaned_batch(store, ["Acme hired Bolt", "Cargo " * 20, "Echo left"])
    alone: list[str] = []
    monkeypatch.setattr(analysis, "analyze_texts", lambda docs, **_: [fake_analyze(d) for d in docs])

    def analyze_text(clean_doc: dict[str, Any], **_: Any) -> dict[str, Any]:
        alone.append(clean_doc["title"])
        return fake_analyze(clean_doc)

    monkeypatch.setattr(analysis, "analyze_text", analyze_text)
    # When the batch runs
    analyze = parse_ahead(events, store)
    statuses = [analyze_object(event, store, analyze).status for event in events]
    # Then only the long text was analysed on its own, and all are DONE
    assert alone == ["Cargo"] and statuses == [Status.DONE] * 3


@pytest.mark.parametrize("texts", [["Acme hired Bolt"], []])
def test_a_single_record_or_an_empty_batch_is_not_parsed_ahead(monkeypatch, texts):
    store = InMemoryStore()
    events = _cleaned_batch(store, texts)
    monkeypatch.setattr(analysis, "analyze_texts", lambda *_, **__: pytest.fail("parsed ahead"))
    monkeypatch.setattr(analysis, "analyze_text", lambda doc, **_: fake_analyze(doc))
    analyze = parse_ahead(events, store)
    assert [analyze_object(e, store, analyze).status for e in events] == [Status.DONE] * len(texts)
