"""The handlers accept a direct S3 notification and an EventBridge event, as `sam local invoke` sends."""

from __future__ import annotations

import pytest

from article_pipeline import ids
from tests.conftest import load_event

pytestmark = pytest.mark.integration

TEXT_KEY = "incoming/sample articles/budapest-summit.txt"


def test_direct_s3_put_event_then_clean_event_end_done(stack, sample_article):
    # Given the object that events/s3_put_text_article.json names
    stack.store.put_object(TEXT_KEY, sample_article)
    for url in (stack.names.ingest_queue_url, stack.names.analyze_queue_url):
        stack.sqs.purge_queue(QueueUrl=url)
    # When ingest is invoked directly with the S3 event, then analyze with the clean/ event
    result = stack.invoke("IngestFunction", load_event("s3_put_text_article"))
    article = ids.article_id(stack.names.bucket, TEXT_KEY)
    assert result["processed"] == 1
    assert stack.store.get_article(article)["status"] == "CLEANED"
    analyze_event = load_event("s3_put_clean_article")
    clean_text = stack.store.get_article(article)["clean_text"]
    assert clean_text.endswith(analyze_event["Records"][0]["s3"]["object"]["key"])
    stack.invoke("AnalyzeFunction", analyze_event)
    # Then the article is DONE
    assert stack.store.get_article(article)["status"] == "DONE"


def test_eventbridge_event_is_processed(stack, sample_article):
    stack.store.put_object(TEXT_KEY, sample_article)
    result = stack.invoke("IngestFunction", load_event("eventbridge_s3_object_created"))
    assert result["processed"] == 1


def test_sqs_batch_with_test_event_reports_no_failures(stack, sample_article):
    stack.store.put_object(TEXT_KEY, sample_article)
    stack.store.put_object(
        "incoming/pages/gaming-economy.html",
        b"<html><head><title>Games</title></head><body><article><p>"
        + b"Gaming used to be simple, and players bought one game and finished it. " * 20
        + b"</p></article></body></html>",
    )
    response = stack.invoke("IngestFunction", load_event("sqs_s3_batch"))
    assert response == {"batchItemFailures": []}


def test_unknown_event_is_refused_without_crashing(stack):
    result = stack.invoke("IngestFunction", {"hello": "world"})
    assert result["processed"] == 0 and "unrecognised" in result["error"]
