"""Drive the local stack: upload files, let S3 notify SQS, feed each queue to its real handler.

This is the same S3 -> SQS -> Lambda path as in AWS, with moto delivering the notifications
and this loop standing in for Lambda's SQS poller (batching, partial failures, redrive).
"""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from article_pipeline_tools.local.functions import LocalFunction
from article_pipeline_tools.local.infra import StackNames


@dataclass
class DrainStats:
    batches: int = 0
    messages: int = 0
    failures: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: {"IngestFunction": 0.0, "AnalyzeFunction": 0.0})
    invocations: dict[str, int] = field(default_factory=lambda: {"IngestFunction": 0, "AnalyzeFunction": 0})


class LocalPoller:
    """Lambda's SQS event source mapping, in a loop: receive, invoke, delete what succeeded.

    Each function's queue and batch size come from its template entry, and each mapping polls
    with its function's own SQS client (in AWS the mapping uses the function's execution role).
    """

    def __init__(
        self, sqs: Any, names: StackNames, functions: Mapping[str, LocalFunction], function_sqs: Mapping[str, Any]
    ) -> None:
        self.sqs = sqs
        self.names = names
        self.functions = functions
        self.function_sqs = function_sqs
        self.batch_sizes = {name: fn.config.batch_size for name, fn in functions.items()}
        self.queues = {name: names.queue_url(fn.config.queue) for name, fn in functions.items()}

    def poll_once(self, function: str, stats: DrainStats, *, wait_seconds: int = 0) -> int:
        """One receive + invoke for one function; returns how many messages it handled.

        ``wait_seconds`` > 0 long-polls (``serve``), as Lambda's poller does.
        """
        url = self.queues[function]
        sqs = self.function_sqs[function]
        queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        received = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=self.batch_sizes[function],
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not received:
            return 0
        event = {"Records": [_sqs_record(message, queue_arn) for message in received]}
        started = time.perf_counter()
        try:
            response = self.functions[function].invoke(event) or {}
            failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
        except Exception:  # noqa: BLE001 - a crashed invocation fails its whole batch, as in Lambda
            failed = {message["MessageId"] for message in received}
        stats.seconds[function] += time.perf_counter() - started
        stats.invocations[function] += 1
        stats.batches += 1
        stats.messages += len(received)
        stats.failures += len(failed)
        done = [m for m in received if m["MessageId"] not in failed]
        if done:
            sqs.delete_message_batch(
                QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)]
            )
        return len(received)

    def drain(
        self, *, on_progress: Callable[[str, int], None] | None = None, max_seconds: float = 600.0, idle_rounds: int = 3
    ) -> DrainStats:
        """Poll both queues until both stay empty (failed messages come back after a second)."""
        stats = DrainStats()
        deadline = time.monotonic() + max_seconds
        idle = 0
        while time.monotonic() < deadline:
            handled = 0
            for function in self.functions:
                count = self.poll_once(function, stats)
                if count and on_progress:
                    on_progress(function, count)
                handled += count
            if handled:
                idle = 0
                continue
            idle += 1
            if idle >= idle_rounds and not self._in_flight():
                break
            time.sleep(0.4)
        return stats

    def _in_flight(self) -> bool:
        for url in self.queues.values():
            attrs = self.sqs.get_queue_attributes(
                QueueUrl=url,
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            pending = int(attrs.get("ApproximateNumberOfMessages", 0))
            if pending or int(attrs.get("ApproximateNumberOfMessagesNotVisible", 0)):
                return True
        return False


def _sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    attributes = message.get("Attributes", {})
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": {
            "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
            "SentTimestamp": attributes.get("SentTimestamp", str(int(time.time() * 1000))),
            "SenderId": attributes.get("SenderId", "AIDAJHIPRHEMV73VRJEBU"),
            "ApproximateFirstReceiveTimestamp": attributes.get(
                "ApproximateFirstReceiveTimestamp", str(int(time.time() * 1000))
            ),
        },
        "messageAttributes": {},
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": queue_arn.split(":")[3] if queue_arn.count(":") >= 3 else "us-east-1",
    }


def relative_names(files: list[Path]) -> dict[Path, str]:
    """Each file's path below the folder all of them share ("a/x.txt", "b/x.txt"), so that two files
    of the same name from different folders keep different keys and output names."""
    resolved = {path: path.resolve() for path in files}
    if len(files) == 1:
        return {files[0]: files[0].name}
    root = Path(os.path.commonpath([str(p.parent) for p in resolved.values()]))
    return {path: full.relative_to(root).as_posix() for path, full in resolved.items()}


def upload_key(relative_name: str, incoming_prefix: str) -> str:
    return f"{incoming_prefix}{relative_name}"


def guess_content_type(path: Path) -> str | None:
    kind, _ = mimetypes.guess_type(path.name)
    return kind


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the files inside named folders (not hidden ones), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            found.append(path)
    return found
