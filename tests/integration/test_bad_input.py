"""Issue 6 through the real handlers on moto: every kind of bad input, awkward keys and redelivery.

One batch mixes all the inputs, so each case also shows that the batch goes on around it. The
outcome of each object is read where a user would look: the article item in DynamoDB.
"""

from __future__ import annotations

import gzip
import io
import json
import time
import zipfile
from typing import Any

import pytest

from article_pipeline.storage import ArticleStore
from tests.integration.conftest import entries, upload
from tests.unit.test_pdf import RELEASE, _pdf

pytestmark = pytest.mark.integration

SENTENCE = "The city council said on Tuesday that the new bridge over the river would open in March. "


def _zip(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", text)
    return buffer.getvalue()


# key, body, expected status, expected error code (None when the article is not FAILED)
CASES: list[tuple[str, bytes, str, str | None]] = [
    ("incoming/empty.txt", b"", "FAILED", "empty"),
    ("incoming/whitespace.txt", b" \n\t \r\n  ", "FAILED", "empty"),
    (
        "incoming/report.pdf",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(512),
        "FAILED",
        "unsupported_format",
    ),
    ("incoming/release.pdf", _pdf(RELEASE), "DONE", None),
    ("incoming/photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "FAILED", "binary"),
    ("incoming/bundle.zip", _zip(SENTENCE * 20), "FAILED", "binary"),
    (
        "incoming/scripts-only.html",
        b"<html><head><script>var a = 1;</script><style>p {color: red}</style></head>"
        b"<body><script>document.write('x')</script></body></html>",
        "FAILED",
        "no_text",
    ),
    (
        "incoming/export.jsonl",
        "\n".join(json.dumps({"title": f"Story {n}", "body": SENTENCE * 5}) for n in range(3)).encode(),
        "FAILED",
        "several_articles",
    ),
    ("incoming/compressed.txt", gzip.compress((SENTENCE * 10).encode()), "DONE", None),
    ("incoming/utf16.txt", (SENTENCE * 10).encode("utf-16"), "DONE", None),
    (
        "incoming/latin1.txt",
        ("Le ministre a déclaré à Zürich que l'économie allait croître. " * 10 + SENTENCE * 10).encode("latin-1"),
        "DONE",
        None,
    ),
    (
        "incoming/broken.html",
        b"<html><body><div><p>"
        + (SENTENCE * 8).encode()
        + b"<p><b>unclosed <i>tags"
        + (SENTENCE * 4).encode()
        + b"</div></span>",
        "DONE",
        None,
    ),
    ("incoming/stray-nul.txt", (SENTENCE * 5).encode() + b"\x00\x00" + (SENTENCE * 5).encode(), "DONE", None),
    ("incoming/nul-padded.txt", (SENTENCE * 10).encode().replace(b" ", b"\x00 "), "FAILED", "binary"),
    (
        "incoming/german.txt",
        (
            "Der Stadtrat hat am Dienstag mitgeteilt, dass die neue Brücke über den Fluss im "
            "März eröffnet wird. Die Bauarbeiten hatten sich wegen des Hochwassers verzögert. " * 10
        ).encode(),
        "SKIPPED",
        None,
    ),
    ("incoming/one line.txt", (SENTENCE * 11_000).encode().replace(b"\n", b" ")[:1_000_000], "DONE", None),
    ("incoming/plus+sign and space.txt", (SENTENCE * 5).encode(), "DONE", None),
    ("incoming/ünïcødé-日本.txt", (SENTENCE * 5).encode(), "DONE", None),
    ("incoming/../dots/../article.txt", (SENTENCE * 5).encode(), "DONE", None),
]


def _set_function_env(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    """Change a function setting; the handlers build a store per distinct settings."""
    monkeypatch.setenv(name, value)


def test_each_bad_input_gets_a_recorded_outcome_and_the_batch_goes_on(stack, monkeypatch):
    # Given one upload of every kind of awkward input, all in the same batches, and long texts
    # analysed up to 50,000 characters (the default is 200,000; a smaller cap keeps this test quick)
    _set_function_env(monkeypatch, "MAX_ANALYSED_CHARS", "50000")
    articles = {key: upload(stack, key, body) for key, body, _, _ in CASES}
    # When the queues are drained through both functions
    stats = stack.poller().drain()
    # Then no message failed, and each article says what happened to it, with a reason when refused
    assert stats.failures == 0
    for key, _, status, code in CASES:
        item = stack.store.get_article(articles[key])
        assert item is not None, key
        assert item["source"]["key"] == key
        assert item["status"] == status, (key, item.get("error"))
        if code:
            assert item["error"]["code"] == code and item["error"]["message"], key
            assert item["error"]["retryable"] is False
        if status == "DONE":
            assert item["word_count"] > 0, key
    long_line = stack.store.get_article(articles["incoming/one line.txt"])
    assert long_line["word_count"] > 150_000
    assert 45_000 <= long_line["truncated_at"] <= 50_000  # analysed up to a sentence break, and says so


def test_objects_over_the_size_cap_are_refused_without_being_read(stack, monkeypatch):
    # Given a 2,000-byte limit, and a count of every object body the pipeline reads
    _set_function_env(monkeypatch, "MAX_OBJECT_BYTES", "2000")
    reads: list[str] = []
    original = ArticleStore.read_object

    def counting_read(self: ArticleStore, bucket: str, key: str, **kwargs: Any) -> Any:
        reads.append(key)
        return original(self, bucket, key, **kwargs)

    monkeypatch.setattr(ArticleStore, "read_object", counting_read)
    # When an object of 5,000 bytes and one of 1,000 bytes are uploaded
    big = upload(stack, "incoming/big.txt", (SENTENCE * 60).encode()[:5000])
    small = upload(stack, "incoming/small.txt", (SENTENCE * 11).encode()[:1000])
    stack.poller().drain()
    # Then the big one is FAILED as too_large, its body never fetched; the small one is read and DONE
    item = stack.store.get_article(big)
    assert item["status"] == "FAILED" and item["error"]["code"] == "too_large"
    assert "2,000" in item["error"]["message"]
    assert "incoming/big.txt" not in reads and "incoming/small.txt" in reads
    assert stack.store.get_article(small)["status"] == "DONE"


def _take_messages(stack, url: str) -> list[str]:
    """Remove every pending message from a queue and return their bodies (to deliver them again)."""
    bodies = []
    while True:
        messages = stack.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(message["Body"])
            stack.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def _is_test_event(body: str) -> bool:
    return json.loads(body).get("Event") == "s3:TestEvent"


def _snapshot(stack, article: str) -> set[tuple[str, str]]:
    """The article's index entries, without what a reprocessing rewrites (dates in sort keys, versions)."""

    def timeless(item: dict[str, Any]) -> str:
        kept = {k: v for k, v in item.items() if k not in {"SK", "version"}}
        return json.dumps(kept, sort_keys=True, default=str)

    return {(name, timeless(item)) for name, item in entries(stack, article).items()}


def test_the_same_event_delivered_twice_leaves_one_set_of_items(stack, sample_article):
    # Given the S3 notification of one upload, captured before any function saw it
    article = upload(stack, "incoming/twice.txt", sample_article)
    bodies = [b for b in _take_messages(stack, stack.names.ingest_queue_url) if not _is_test_event(b)]
    assert len(bodies) == 1
    # When it is delivered twice, once in the same batch and once again later
    for body in (bodies[0], bodies[0]):
        stack.sqs.send_message(QueueUrl=stack.names.ingest_queue_url, MessageBody=body)
    stack.poller().drain()
    first = _snapshot(stack, article)
    stack.sqs.send_message(QueueUrl=stack.names.ingest_queue_url, MessageBody=bodies[0])
    stack.poller().drain()
    # Then the article is DONE with exactly one set of entities and claims, unchanged by the redelivery
    assert stack.store.get_article(article)["status"] == "DONE"
    assert first and _snapshot(stack, article) == first
    assert entries(stack, article)  # one entry per name: keys are unique by construction


def test_an_unchanged_reupload_leaves_the_same_items(stack, sample_article):
    article = upload(stack, "incoming/again.txt", sample_article)
    stack.poller().drain()
    before = _snapshot(stack, article)
    upload(stack, "incoming/again.txt", sample_article)
    stack.poller().drain()
    assert stack.store.get_article(article)["status"] == "DONE"
    assert _snapshot(stack, article) == before


def test_a_late_event_of_an_older_version_never_overwrites_the_newer_one(stack):
    # Given version 1 of a key whose notification is held back, and version 2 fully processed
    key = "incoming/versions.txt"
    article = upload(stack, key, b"Angela Merkel said the budget would grow by 3 percent next year. " * 4)
    old = [b for b in _take_messages(stack, stack.names.ingest_queue_url) if not _is_test_event(b)]
    time.sleep(0.01)  # moto gives no sequencer; its event times order the two puts
    upload(stack, key, b"Emmanuel Macron said France would cut its deficit by 2 percent next year. " * 4)
    stack.poller().drain()
    assert any("macron" in name for name in entries(stack, article))
    # When version 1's notification arrives late
    stack.sqs.send_message(QueueUrl=stack.names.ingest_queue_url, MessageBody=old[0])
    stats = stack.poller().drain()
    # Then it is dropped as stale: version 2's items stay, nothing of version 1 comes back
    assert stats.failures == 0
    assert stack.store.get_article(article)["status"] == "DONE"
    names = set(entries(stack, article))
    assert any("macron" in name for name in names) and not any("merkel" in name for name in names)


def test_throttling_and_transient_errors_are_retried_with_backoff(stack, sample_article):
    # Given AWS answering the first DynamoDB writes with throttling and the first S3 read with a 503
    from botocore.awsrequest import AWSResponse

    store = stack.function_store("IngestFunction")
    injected = {"ProvisionedThroughputExceededException": 0, "SlowDown": 0}

    class _Raw:
        def __init__(self, body: bytes) -> None:
            self._body = body

        def stream(self, **_: Any) -> Any:
            yield self._body

    def throttle_writes(request: Any, **_: Any) -> AWSResponse | None:
        if injected["ProvisionedThroughputExceededException"] >= 3:
            return None
        injected["ProvisionedThroughputExceededException"] += 1
        body = json.dumps(
            {
                "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                "message": "Rate of requests exceeds the allowed throughput.",
            }
        ).encode()
        return AWSResponse(request.url, 400, {"x-amzn-errortype": "ProvisionedThroughputExceededException"}, _Raw(body))

    def slow_down_reads(request: Any, **_: Any) -> AWSResponse | None:
        if injected["SlowDown"] >= 1:
            return None
        injected["SlowDown"] += 1
        body = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
        return AWSResponse(request.url, 503, {}, _Raw(body))

    store.table.meta.client.meta.events.register_first("before-send.dynamodb.PutItem", throttle_writes)
    store.s3.meta.events.register_first("before-send.s3.GetObject", slow_down_reads)
    # When an article goes through both functions
    article = upload(stack, "incoming/throttled.txt", sample_article)
    stats = stack.poller().drain()
    # Then the faults were met and absorbed by the clients' retries: no failed message, article DONE
    assert injected == {"ProvisionedThroughputExceededException": 3, "SlowDown": 1}
    assert stats.failures == 0
    assert stack.store.get_article(article)["status"] == "DONE"


def test_an_upload_that_can_never_be_read_ends_in_the_dlq_and_its_item_says_why(stack, monkeypatch):
    # Given an upload whose S3 read always fails (before any article item exists), next to a good one
    from urllib.parse import unquote_plus

    from article_pipeline.errors import StorageError

    original_read = ArticleStore.read_object

    def read_object(self: ArticleStore, bucket: str, key: str, **kwargs: Any) -> Any:
        if key == "incoming/unreadable.txt":
            raise StorageError("cannot read s3://bucket/incoming/unreadable.txt: AccessDenied")
        return original_read(self, bucket, key, **kwargs)

    monkeypatch.setattr(ArticleStore, "read_object", read_object)
    unreadable = upload(stack, "incoming/unreadable.txt", b"Officials said the talks would resume on Monday.")
    good = upload(stack, "incoming/good.txt", b"Officials said the talks would resume on Monday in Brussels.")
    # When the queues are drained (the failing message is received until its redrive limit)
    stack.poller().drain()
    # Then the good article is done, the unreadable one says FAILED with the reason and retryable,
    item = stack.store.get_article(unreadable)
    assert stack.store.get_article(good)["status"] == "DONE"
    assert item is not None and item["status"] == "FAILED"
    assert item["error"]["retryable"] is True and "AccessDenied" in item["error"]["message"]
    assert item["source"]["key"] == "incoming/unreadable.txt"
    # and its message is in the ingest DLQ
    messages = stack.sqs.receive_message(QueueUrl=stack.names.ingest_dlq_url, MaxNumberOfMessages=10)
    keys = [
        unquote_plus(record["s3"]["object"]["key"])
        for message in messages.get("Messages", [])
        for record in json.loads(message["Body"]).get("Records", [])
    ]
    assert keys == ["incoming/unreadable.txt"]


def test_an_analysis_retried_after_a_transient_failure_ends_done_without_the_old_error(stack, sample_article):
    # Given the analyze function's first write of the analysis document failing with a 500
    from botocore.exceptions import ClientError

    client = stack.function_store("AnalyzeFunction").s3
    failed: list[str] = []

    def fail_once(params: dict[str, Any], **_: Any) -> None:
        if params.get("Key", "").startswith("analysis/") and not failed:
            failed.append(params["Key"])
            raise ClientError({"Error": {"Code": "InternalError", "Message": "injected"}}, "PutObject")

    client.meta.events.register("before-parameter-build.s3.PutObject", fail_once)
    # When an article goes through the pipeline (the failed message comes back and is retried)
    article = upload(stack, "incoming/retried-analysis.txt", sample_article)
    stats = stack.poller().drain()
    # Then the failure happened once, was recorded, retried, and the DONE item carries no error
    item = stack.store.get_article(article)
    assert failed and stats.failures == 1
    assert item["status"] == "DONE" and "error" not in item
