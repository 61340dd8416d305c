"""Backfill, re-analysis and retries through the queues: Lambda's concurrency does the work.

``plan`` decides, per article, what to send where:

- an object under incoming/ with no article item: **backfill** (the ingest queue, as S3 would have);
- an article cleaned by older versions (pipeline or boilerplate models): **re-ingest**;
- an article analysed by older versions (pipeline, rules, model), or cleaned but never analysed:
  **re-analyse** its clean text (the analyze queue; no re-cleaning);
- an article that FAILED (after a fix, say): **retry** its ingest.

Messages are S3 notifications like the ones S3 sends, with the article's recorded version (its
ordering key) as their sequencer, so a reprocess never outranks a newer upload, and a flag that
makes the ingest stage redo an article it would otherwise see as done. Running it twice sends the
same work twice, and the ordering and idempotency rules make the second pass change nothing.
``redrive`` moves dead-lettered messages back to their queues.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from article_pipeline import ids
from article_pipeline.events import REPROCESS_FIELD
from article_pipeline.schema import Status
from article_pipeline.storage import ArticleStore
from article_pipeline.versions import analysis_versions, cleaning_versions

BACKFILL, REINGEST, REANALYSE, RETRY = "backfill", "re-ingest", "re-analyse", "retry"
ACTIONS = (BACKFILL, REINGEST, REANALYSE, RETRY)


@dataclass(frozen=True)
class Queues:
    ingest: str
    analyze: str
    ingest_dlq: str
    analyze_dlq: str


@dataclass(frozen=True)
class Filters:
    prefix: str = ""  # under incoming/
    since: str | None = None  # received at or after (ISO date or time)
    statuses: frozenset[str] = frozenset()  # only articles in these statuses (empty: any)
    older_than: str = "current"  # "current" (differs from this checkout's versions) or a pipeline version
    model: str | None = None  # the model version analyses should have ("current" compares it when given)


@dataclass
class Plan:
    work: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (action, message body)

    def counts(self) -> Counter[str]:
        return Counter(action for action, _ in self.work)


def plan(store: ArticleStore, filters: Filters) -> Plan:
    """What to reprocess: one pass over the article items, one over the uploads."""
    result = Plan()
    settings = store.settings
    known: set[str] = set()
    for item in store.iter_articles():
        known.add(item["article_id"])
        action = _action(item, filters)
        if action and _selected(item, filters):
            body = _analyze_message(store, item) if action == REANALYSE else _ingest_message(store, item)
            if body is not None:
                result.work.append((action, body))
    prefix = settings.incoming_prefix + filters.prefix
    if filters.statuses and "MISSING" not in filters.statuses:
        return result
    for entry in store.list_objects(prefix):
        if ids.article_id(settings.bucket_name, entry["Key"]) in known:
            continue
        if filters.since and str(entry.get("LastModified", "")) < filters.since:
            continue
        result.work.append((BACKFILL, _s3_message(settings.bucket_name, entry["Key"], size=entry.get("Size"))))
    return result


def _action(item: dict[str, Any], filters: Filters) -> str | None:
    status = item.get("status")
    if status == Status.DELETED:
        return None
    if status == Status.FAILED:
        return RETRY
    if _older(item.get("cleaned_by") or {"pipeline": item.get("pipeline_version")}, cleaning_versions(), filters):
        return REINGEST
    if status == Status.CLEANED:
        return REANALYSE
    current = analysis_versions(filters.model or (item.get("analysed_by") or {}).get("model"))
    if status in {Status.DONE, Status.SKIPPED} and _older(item.get("analysed_by") or {}, current, filters):
        return REANALYSE
    return None


def _older(made_with: dict[str, Any], current: dict[str, Any], filters: Filters) -> bool:
    if filters.older_than != "current":
        from packaging.version import InvalidVersion, Version

        try:
            return Version(str(made_with.get("pipeline") or "0")) < Version(filters.older_than)
        except InvalidVersion:
            return True
    return any(made_with.get(name) != value for name, value in current.items())


def _selected(item: dict[str, Any], filters: Filters) -> bool:
    source = item.get("source") or {}
    if filters.statuses and item.get("status") not in filters.statuses:
        return False
    if filters.prefix and not str(source.get("key", "")).startswith("incoming/" + filters.prefix):
        return False
    return not (filters.since and str(item.get("received_at", "")) < filters.since)


def _ingest_message(store: ArticleStore, item: dict[str, Any]) -> dict[str, Any] | None:
    source = item.get("source") or {}
    if not source.get("key"):
        return None
    return _s3_message(
        source.get("bucket") or store.settings.bucket_name,
        source["key"],
        version_id=source.get("version_id"),
        sequencer=item.get("ordering_key"),
        reprocess=True,
    )


def _analyze_message(store: ArticleStore, item: dict[str, Any]) -> dict[str, Any] | None:
    pointer = item.get("clean_text")
    if not pointer:
        return _ingest_message(store, item)  # nothing to re-analyse from: clean it again
    bucket, _, key = str(pointer).removeprefix("s3://").partition("/")
    return _s3_message(bucket, key, sequencer=item.get("ordering_key"))


def _s3_message(
    bucket: str,
    key: str,
    *,
    size: int | None = None,
    version_id: str | None = None,
    sequencer: str | None = None,
    reprocess: bool = False,
) -> dict[str, Any]:
    """An S3 ObjectCreated notification for ``key``, as the bucket's would read."""
    obj: dict[str, Any] = {"key": quote_plus(key)}
    for name, value in (("size", size), ("versionId", version_id), ("sequencer", sequencer)):
        if value is not None:
            obj[name] = value
    record = {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "eventName": "ObjectCreated:Put",
        "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"}, "object": obj},
    }
    body: dict[str, Any] = {"Records": [record]}
    if reprocess:
        body[REPROCESS_FIELD] = {"reprocess": True}
    return body


SEND_THREADS = 8  # SendMessageBatch calls in flight: one at a time, 10,000 messages take ~20 s in AWS


def send(sqs: Any, queues: Queues, work: list[tuple[str, dict[str, Any]]], progress: Callable[[int], None]) -> int:
    """Send the plan's messages, ten to a request, several requests at once; returns how many were sent."""
    from concurrent.futures import ThreadPoolExecutor

    chunks: list[tuple[str, list[str]]] = []
    by_queue: dict[str, list[str]] = {queues.ingest: [], queues.analyze: []}
    for action, body in work:
        by_queue[queues.analyze if action == REANALYSE else queues.ingest].append(json.dumps(body))
    for url, bodies in by_queue.items():
        chunks += [(url, bodies[start : start + 10]) for start in range(0, len(bodies), 10)]

    def send_chunk(url: str, chunk: list[str]) -> int:
        entries = [{"Id": str(i), "MessageBody": b} for i, b in enumerate(chunk)]
        failed = sqs.send_message_batch(QueueUrl=url, Entries=entries).get("Failed") or []
        if failed:
            raise RuntimeError(f"{len(failed)} messages not sent to {url}: {failed[0].get('Message')}")
        return len(chunk)

    sent = 0
    with ThreadPoolExecutor(max_workers=SEND_THREADS) as pool:
        for count in pool.map(lambda item: send_chunk(*item), chunks):
            sent += count
            progress(count)
    return sent


def redrive(sqs: Any, dlq_url: str, queue_url: str) -> int:
    """Move every message of a dead-letter queue back to its queue; returns how many were moved.

    SQS's own message move task when the endpoint has it (AWS does), else receive, send, delete.
    """
    from botocore.exceptions import ClientError

    attributes = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages", "QueueArn"])
    waiting = int(attributes["Attributes"].get("ApproximateNumberOfMessages", 0))
    if waiting == 0:
        return 0
    try:
        target = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sqs.start_message_move_task(SourceArn=attributes["Attributes"]["QueueArn"], DestinationArn=target)
        return waiting
    except (ClientError, AttributeError, NotImplementedError):
        pass
    moved = 0
    for messages in _receive_all(sqs, dlq_url):
        entries = [{"Id": str(i), "MessageBody": m["Body"]} for i, m in enumerate(messages)]
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        handles = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
        sqs.delete_message_batch(QueueUrl=dlq_url, Entries=handles)
        moved += len(messages)
    return moved


def _receive_all(sqs: Any, url: str) -> Iterator[list[dict[str, Any]]]:
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            return
        yield messages
