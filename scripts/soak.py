"""Fault-injection soak: hundreds of uploads through the real handlers on moto.

Mixes good articles with every kind of bad input, duplicate deliveries, re-uploads, newer
versions, late older events and deletes, while injecting faults: throttled DynamoDB writes
and S3 reads that fail once (must be retried and succeed), objects whose reads always fail
(must end in the DLQ, their article FAILED and retryable), and crashes in the middle of a batch.
At the end every object must be in exactly one terminal state, no article may carry items
of an older version, and the DLQ must hold exactly the poisoned objects' messages.

    python scripts/soak.py --uploads 600 [--seed 7]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "layers" / "domain"))
sys.path.insert(0, str(REPO))

from article_pipeline import ids  # noqa: E402
from article_pipeline.errors import StorageError  # noqa: E402
from article_pipeline.schema import index_entries  # noqa: E402
from article_pipeline.storage import ArticleStore  # noqa: E402
from article_pipeline_tools.local.stack import embedded_stack  # noqa: E402
from tests import hostile_inputs as hostile  # noqa: E402

SENTENCES = [
    "Chancellor Angela Merkel said on Monday that Germany would raise defence spending to 2 percent.",
    "“We will not accept this,” Merkel told reporters in Berlin.",
    "According to the Federal Statistical Office, unemployment fell to 5.1 percent in March.",
    "French President Emmanuel Macron called the plan “a historic step for Europe.”",
    "Macron added that the European Union must act together on energy prices.",
    "The International Monetary Fund expects growth of 1.2 percent next year.",
    "Opposition leader Friedrich Merz criticised the budget, saying it was built on debt.",
    "Officials in Brussels said talks would resume next week.",
]
BAD_INPUTS: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.txt": b"   \n\t  \n",
    "scan.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n" + bytes(range(256)) * 4,
    "photo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "bundle.zip": b"PK\x03\x04" + bytes(range(256)) * 8,
    "scripts.html": (
        b"<html><head><script>var a=1;</script><style>p{}</style></head><body><script>x()</script></body></html>"
    ),
    "nuls.bin": b"\x00" * 4096,
    # 60 KB that inflate to 16.8 MB of HTML: refused as too_large once past MAX_OBJECT_BYTES
    "inflates.html.gz": hostile.gzip_bomb(16_800_000),
}
ODD_GOOD_INPUTS: dict[str, bytes] = {
    "utf16.txt": ("\ufeff" + " ".join(SENTENCES)).encode("utf-16-le"),
    "latin1.txt": (
        " ".join(SENTENCES).replace("“", '"').replace("”", '"') + " Minister José Müller visited the Café."
    ).encode("latin-1"),
    "packed.txt.gz": gzip.compress(" ".join(SENTENCES).encode()),
    "broken.html": ("<html><body><div><p>" + "</p><p>".join(SENTENCES) + "<div><p>unclosed").encode(),
    "french.txt": (
        "Le président de la République a déclaré lundi que le gouvernement allait augmenter les "
        "dépenses de défense. Les syndicats ont annoncé une grève pour la semaine prochaine. " * 3
    ).encode(),
    "one-line.txt": (" ".join(SENTENCES) + " ").encode() * 300,
    "nul-sprinkled.txt": " ".join(SENTENCES).replace(". ", ".\x00 ").encode(),
    # Hostile but readable: markup runs that once took seconds, a 500 KB front-matter title, deep nesting
    "backticks.md": hostile.markdown_backticks(12_000),
    "brackets.md": hostile.markdown_brackets(50_000),
    "huge-title.md": hostile.markdown_with_huge_title(500_000),
    "deep.html": hostile.deeply_nested_page(5_000),
}
ODD_KEYS = ["with space.txt", "plus+sign.txt", "ünïcødé-名前.txt", "dots/../up.txt", "a b+c/ä ö.txt"]


@dataclass
class Faults:
    """Deterministic faults keyed by object key, so the expected end state is known."""

    flaky_reads: set[str] = field(default_factory=set)  # first read fails, retry succeeds
    throttled_writes: set[str] = field(default_factory=set)  # first article write throttled
    crashes: set[str] = field(default_factory=set)  # handler crashes once, mid-batch
    poisoned: set[str] = field(default_factory=set)  # every read fails: DLQ
    seen: collections.Counter[str] = field(default_factory=collections.Counter)
    injected: collections.Counter[str] = field(default_factory=collections.Counter)


def install_faults(faults: Faults) -> None:
    original_read = ArticleStore.read_object
    original_put = ArticleStore.put_article

    def read_object(self: ArticleStore, bucket: str, key: str, **kwargs: Any) -> Any:
        if key in faults.poisoned:
            faults.injected["poisoned read"] += 1
            raise StorageError(f"injected: S3 read of {key} failed")
        if key.startswith("incoming/"):
            faults.seen[f"read:{key}"] += 1
            if key in faults.flaky_reads and faults.seen[f"read:{key}"] == 1:
                faults.injected["flaky read"] += 1
                raise StorageError(f"injected: transient S3 error reading {key}")
            if key in faults.crashes and faults.seen[f"read:{key}"] == 1:
                faults.injected["crash"] += 1
                raise RuntimeError("injected: worker crashed mid-batch")
        return original_read(self, bucket, key, **kwargs)

    def put_article(self: ArticleStore, article_id: str, attributes: Any, *, ordering_key: str) -> None:
        key = (attributes.get("source") or {}).get("key", "")
        faults.seen[f"put:{key}"] += 1
        if key in faults.throttled_writes and faults.seen[f"put:{key}"] == 1:
            faults.injected["throttle"] += 1
            raise StorageError("injected: ProvisionedThroughputExceededException after retries")
        return original_put(self, article_id, attributes, ordering_key=ordering_key)

    ArticleStore.read_object = read_object  # type: ignore[method-assign]
    ArticleStore.put_article = put_article  # type: ignore[method-assign]


def article_text(rng: random.Random, version: int) -> bytes:
    chosen = rng.sample(SENTENCES, k=rng.randint(3, 6))
    return (f"Report number {version}.\n\n" + "\n\n".join(chosen)).encode()


def run(uploads: int = 500, seed: int = 7, quiet: bool = False) -> dict[str, Any]:
    import os

    # Hundreds of invocations: keep the functions' INFO logs and metric blobs out of the tally.
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    rng = random.Random(seed)
    faults = Faults()
    install_faults(faults)
    expected: dict[str, str] = {}  # key -> expected final status
    latest_body: dict[str, bytes] = {}
    body_status: dict[str, str] = {}  # key -> status its latest body leads to
    tally: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    with embedded_stack(None, stack_name="soak") as stack:
        poller = stack.poller()
        sent = 0
        notifications: list[tuple[str, str]] = []  # (key, message body) of past ingest notifications
        keys: list[str] = []
        while sent < uploads:
            roll = rng.random()
            if roll < 0.45 or not keys:
                name = f"story-{sent:04d}.txt"
                if rng.random() < 0.15:
                    name = rng.choice(ODD_KEYS).replace(".txt", f"-{sent}.txt")
                key = f"incoming/{name}"
                body = article_text(rng, sent)
                expected[key] = "DONE"
                fault = rng.random()
                if fault < 0.06:
                    faults.flaky_reads.add(key)
                elif fault < 0.12:
                    faults.throttled_writes.add(key)
                elif fault < 0.16:
                    faults.crashes.add(key)
                elif fault < 0.19:
                    faults.poisoned.add(key)
                    expected[key] = "POISONED"
                tally["new article"] += 1
            elif roll < 0.60:
                name = rng.choice(list(BAD_INPUTS))
                key = f"incoming/bad/{sent:04d}-{name}"
                body = BAD_INPUTS[name]
                expected[key] = "FAILED"
                tally[f"bad: {name}"] += 1
            elif roll < 0.70:
                name = rng.choice(list(ODD_GOOD_INPUTS))
                key = f"incoming/odd/{sent:04d}-{name}"
                body = ODD_GOOD_INPUTS[name]
                expected[key] = "SKIPPED" if name == "french.txt" else "DONE"
                tally[f"odd: {name}"] += 1
            elif roll < 0.80:
                key = rng.choice(keys)
                if expected[key] == "POISONED":
                    continue
                if rng.random() < 0.5:
                    body = latest_body[key]  # unchanged re-upload: same result again
                    expected[key] = body_status[key]
                else:
                    body = article_text(rng, sent)  # a newer version replaces the old one entirely
                    expected[key] = body_status[key] = "DONE"
                tally["re-upload (same or new version)"] += 1
            elif roll < 0.88:
                key = rng.choice(keys)
                if expected[key] == "POISONED":
                    continue
                stack.store.s3.delete_object(Bucket=stack.names.bucket, Key=key)
                expected[key] = "DELETED"
                tally["delete"] += 1
                sent += 1
                continue
            else:
                if not notifications:
                    continue
                # A duplicate or late (older) delivery of an earlier notification.
                old_key, old_body = rng.choice(notifications)
                if old_key in faults.poisoned:
                    continue
                stack.sqs.send_message(QueueUrl=stack.names.ingest_queue_url, MessageBody=old_body)
                tally["duplicate / late event"] += 1
                sent += 1
                continue
            stack.store.put_object(key, body)
            latest_body[key] = body
            body_status.setdefault(key, expected[key] if expected[key] != "POISONED" else "DONE")
            if key not in keys:
                keys.append(key)
            sent += 1
            if sent % 25 == 0:
                # Drain now and then, remembering notifications for later duplicate / late delivery.
                for message in _peek(stack):
                    notifications.append(message)
                poller.drain(max_seconds=300)
        for message in _peek(stack):
            notifications.append(message)
        stats = poller.drain(max_seconds=900)
        report = verify(stack, expected, faults)
    report.update(
        {
            "uploads": uploads,
            "operations": dict(tally),
            "faults injected": dict(faults.injected),
            "invocations": stats.invocations,
            "seconds": round(time.perf_counter() - started, 1),
        }
    )
    if not quiet:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    return report


def _peek(stack: Any) -> list[tuple[str, str]]:
    """Copy the pending ingest notifications (key, body) without consuming them."""
    found = []
    messages = stack.sqs.receive_message(
        QueueUrl=stack.names.ingest_queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0
    ).get("Messages", [])
    for message in messages:
        body = json.loads(message["Body"])
        for record in body.get("Records", []):
            from urllib.parse import unquote_plus

            found.append((unquote_plus(record["s3"]["object"]["key"]), message["Body"]))
    return found


def verify(stack: Any, expected: dict[str, str], faults: Faults) -> dict[str, Any]:
    store = stack.store
    problems: list[str] = []
    final: collections.Counter[str] = collections.Counter()
    # One scan: every index entry in the table, grouped by the article it belongs to (orphans show too).
    entries_by_article: dict[str, set[tuple[str, str]]] = collections.defaultdict(set)
    for page in store.table.meta.client.get_paginator("scan").paginate(
        TableName=store.table.name, ProjectionExpression="PK, SK, article_id"
    ):
        for row in page["Items"]:
            if row["PK"].startswith("NAME#"):  # the resource's client gives plain values
                entries_by_article[row["article_id"]].add((row["PK"], row["SK"]))
    for key, want in expected.items():
        article = ids.article_id(stack.names.bucket, key)
        item = store.get_article(article) or {}
        status = item.get("status", "MISSING")
        error = item.get("error") or {}
        got = "POISONED" if status == "FAILED" and error.get("retryable") else status
        final[got] += 1
        if got != want:
            problems.append(f"{key}: expected {want}, got {status} ({error.get('message')})")
            continue
        found = entries_by_article.get(article, set())
        if status == "DONE":
            document = store.read_pointer(item["analysis"])
            wanted = {(e["PK"], e["SK"]) for e in index_entries(document, item, version=item["ordering_key"])}
            if found != wanted:
                problems.append(f"{key}: index entries differ from its latest analysis ({len(found)} vs {len(wanted)})")
            _, meta = store.read_object(stack.names.bucket, key)
            if (
                document["source"].get("etag") not in {meta["etag"], None}
                and document["source"].get("version_id") != meta["version_id"]
            ):
                problems.append(f"{key}: analysis is of an older version")
        elif found:
            problems.append(f"{key}: {status} but still has {len(found)} index entries")
    dlq = _drain_dlq(stack.sqs, stack.names.ingest_dlq_url)
    poisoned = {k for k, v in expected.items() if v == "POISONED"}
    if dlq != poisoned:
        problems.append(f"DLQ holds {sorted(dlq - poisoned)[:5]} unexpectedly, misses {sorted(poisoned - dlq)[:5]}")
    analyze_dlq = _drain_dlq(stack.sqs, stack.names.analyze_dlq_url)
    if analyze_dlq:
        problems.append(f"analyze DLQ is not empty: {sorted(analyze_dlq)[:5]}")
    return {
        "objects": len(expected),
        "final states": dict(final),
        "dlq messages": len(dlq),
        "problems": problems,
        "ok": not problems,
    }


def _drain_dlq(sqs: Any, url: str) -> set[str]:
    from urllib.parse import unquote_plus

    keys: set[str] = set()
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return keys
        for message in messages:
            for record in json.loads(message["Body"]).get("Records", []):
                keys.add(unquote_plus(record["s3"]["object"]["key"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    report = run(args.uploads, args.seed)
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
