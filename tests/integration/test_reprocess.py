"""Backfill, re-analysis, retries and redrive go through the queues, and running them twice changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from article_pipeline import ids
from article_pipeline_tools import reprocess
from article_pipeline_tools.target import queues_of
from tests.integration.conftest import upload

pytestmark = pytest.mark.integration

TEXT = (
    "Officials in {city} said on Monday that the port would reopen after a {n}-day strike. "
    "Mayor Ellen Park said taxes would not rise.\n"
)
CITIES = ["Rotterdam", "Antwerp", "Hamburg", "Genoa", "Valencia"]


def _body(n: int) -> bytes:
    return (TEXT.format(city=CITIES[n % len(CITIES)], n=n % 9 + 2) * 2).encode()


def _status(stack: Any, key: str) -> dict[str, Any]:
    return stack.store.get_article(ids.article_id(stack.names.bucket, key)) or {}


def _set(stack: Any, key: str, **attributes: Any) -> None:
    """Rewrite fields of an article item as an older pipeline would have left them."""
    article = ids.article_id(stack.names.bucket, key)
    item = stack.store.get_article(article)
    stack.store.update_article(article, attributes, ordering_key=item["ordering_key"])


def test_reprocess_backfills_retries_and_refreshes_stale_articles_through_the_queues(stack, monkeypatch):
    # Given 120 articles done, 40 uploads that predate the stack (no notification ever handled),
    # 20 analysed by older rules, 20 cleaned by an older pipeline, 20 failed by a since-fixed bug
    # and 10 deleted
    done = [f"incoming/done/{n:03d}.txt" for n in range(120)]
    for key in done:
        upload(stack, key, _body(len(key)))
    from article_pipeline import cleaning

    original = cleaning.clean_raw

    def buggy(raw: bytes, **kwargs: Any) -> dict[str, Any]:
        if kwargs.get("filename", "").startswith("incoming/buggy/"):
            from article_pipeline.errors import NoArticleText

            raise NoArticleText("a bug, since fixed")
        return original(raw, **kwargs)

    monkeypatch.setattr(cleaning, "clean_raw", buggy)
    buggy_keys = [f"incoming/buggy/{n:02d}.txt" for n in range(20)]
    for key in buggy_keys:
        upload(stack, key, _body(n=7))
    deleted = [f"incoming/gone/{n:02d}.txt" for n in range(10)]
    for key in deleted:
        upload(stack, key, _body(3))
    stack.poller().drain()
    monkeypatch.setattr(cleaning, "clean_raw", original)
    for key in deleted:
        stack.store.s3.delete_object(Bucket=stack.names.bucket, Key=key)
    stack.poller().drain()
    for key in done[:20]:
        _set(stack, key, analysed_by={"pipeline": "0.1.0", "rules": "old", "model": "en_core_web_sm-3.7.0"})
    for key in done[20:40]:
        _set(stack, key, cleaned_by={"pipeline": "0.0.9", "rules": "old"})
    backfill = [f"incoming/archive/{n:03d}.txt" for n in range(40)]
    for key in backfill:
        stack.store.put_object(key, _body(len(key)))
    stack.sqs.purge_queue(QueueUrl=stack.names.ingest_queue_url)
    assert all(_status(stack, k).get("status") == "FAILED" for k in buggy_keys)
    assert not any(_status(stack, k) for k in backfill)

    # When the plan is made (a dry run)
    plan = reprocess.plan(stack.store, reprocess.Filters(model=_status(stack, done[50])["analysed_by"]["model"]))
    # Then it finds each kind of work, and nothing else
    assert plan.counts() == {"re-analyse": 20, "re-ingest": 20, "retry": 20, "backfill": 40}

    # When it is sent and the functions drain the queues
    reprocess.send(stack.sqs, queues_of(stack.names), plan.work, lambda n: None)
    stats = stack.poller().drain()
    # Then everything is DONE with this checkout's versions, and the deleted ones stay DELETED
    assert stats.failures == 0
    for key in done + buggy_keys + backfill:
        item = _status(stack, key)
        assert item["status"] == "DONE", (key, item.get("error"))
        assert item["cleaned_by"]["rules"] != "old" and item["analysed_by"]["rules"] != "old"
    assert {_status(stack, k)["status"] for k in deleted} == {"DELETED"}
    # And a second run finds nothing left to do
    again = reprocess.plan(stack.store, reprocess.Filters(model=_status(stack, done[50])["analysed_by"]["model"]))
    assert again.counts() == {}


def test_filters_narrow_the_plan(stack):
    for key in ("incoming/a/1.txt", "incoming/a/2.txt", "incoming/b/1.txt"):
        stack.store.put_object(key, _body(5))
    stack.sqs.purge_queue(QueueUrl=stack.names.ingest_queue_url)
    assert reprocess.plan(stack.store, reprocess.Filters(prefix="a/")).counts() == {"backfill": 2}
    assert reprocess.plan(stack.store, reprocess.Filters(statuses=frozenset({"FAILED"}))).counts() == {}


def test_redrive_moves_dead_letters_back_and_they_are_processed(stack):
    # Given two upload notifications parked in the ingest DLQ (say, during an outage)
    bodies = []
    for key in ("incoming/parked-1.txt", "incoming/parked-2.txt"):
        stack.store.put_object(key, _body(4))
    for message in stack.sqs.receive_message(QueueUrl=stack.names.ingest_queue_url, MaxNumberOfMessages=10)["Messages"]:
        body = json.loads(message["Body"])
        if "Records" in body:
            bodies.append(message["Body"])
    stack.sqs.purge_queue(QueueUrl=stack.names.ingest_queue_url)
    for body in bodies:
        stack.sqs.send_message(QueueUrl=stack.names.ingest_dlq_url, MessageBody=body)
    # When they are redriven and the queues drained
    moved = reprocess.redrive(stack.sqs, stack.names.ingest_dlq_url, stack.names.ingest_queue_url)
    stack.poller().drain()
    # Then both articles are done and the DLQ is empty
    assert moved == 2
    assert {_status(stack, k)["status"] for k in ("incoming/parked-1.txt", "incoming/parked-2.txt")} == {"DONE"}
    attributes = stack.sqs.get_queue_attributes(QueueUrl=stack.names.ingest_dlq_url, AttributeNames=["All"])
    assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "0"
