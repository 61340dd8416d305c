"""Which stack a command works on: the embedded default, a running `serve`, or a deployed stack.

- no option: the embedded default (moto in this process, state kept in ``--state-dir``);
- ``--endpoint-url`` alone: a stack that ``article-pipeline serve`` runs there (its names are the
  local stack's; sign with the credentials ``serve`` printed);
- ``--stack NAME``: a deployed stack, its bucket, table and queues read from its CloudFormation
  outputs (through ``--endpoint-url`` if given).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from article_pipeline.errors import StorageError
from article_pipeline.settings import Settings
from article_pipeline.storage import ArticleStore
from article_pipeline_tools.reprocess import Queues

SERVE_STACK = "local"
SERVE_REGION = "us-east-1"


@dataclass
class Target:
    store: ArticleStore
    sqs: Any
    queues: Queues
    local: Any = None  # the LocalStack when this process runs it (the embedded default)


@contextmanager
def open_target(stack: str | None, region: str | None, endpoint_url: str | None, state_dir: Path) -> Iterator[Target]:
    if stack:
        yield _deployed(stack, region, endpoint_url)
        return
    if endpoint_url:
        yield _served(endpoint_url, region or SERVE_REGION)
        return
    yield from _embedded(state_dir)


def _embedded(state_dir: Path) -> Iterator[Target]:
    from article_pipeline_tools.local.stack import embedded_stack

    # The functions' JSON log lines and metrics would drown a command's output; LOG_LEVEL=INFO shows them.
    quiet = {
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL") or os.environ.get("LOG_LEVEL", "WARNING"),
        "POWERTOOLS_METRICS_DISABLED": os.environ.get("POWERTOOLS_METRICS_DISABLED", "true"),
    }
    saved = {name: os.environ.get(name) for name in quiet}
    os.environ.update(quiet)
    try:
        with embedded_stack(state_dir) as local:
            yield Target(local.store, local.sqs, queues_of(local.names), local)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def queues_of(names: Any) -> Queues:
    return Queues(names.ingest_queue_url, names.analyze_queue_url, names.ingest_dlq_url, names.analyze_dlq_url)


def _served(endpoint_url: str, region: str) -> Target:
    import boto3

    account = "123456789012"
    settings = Settings(
        table_name=f"{SERVE_STACK}-ArticlesTable",
        bucket_name=f"{SERVE_STACK}-articles-{account}-{region}",
        region=region,
        endpoint_url=endpoint_url,
    )
    sqs = boto3.session.Session(region_name=region).client("sqs", endpoint_url=endpoint_url)
    base = f"{endpoint_url.rstrip('/')}/{account}/{SERVE_STACK}-"
    queues = Queues(base + "IngestQueue", base + "AnalyzeQueue", base + "IngestDLQ", base + "AnalyzeDLQ")
    return Target(ArticleStore(settings), sqs, queues)


def _deployed(stack: str, region: str | None, endpoint_url: str | None) -> Target:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.session.Session(region_name=region)
    client = session.client("cloudformation", endpoint_url=endpoint_url)
    try:
        stacks = client.describe_stacks(StackName=stack)["Stacks"]
    except (ClientError, BotoCoreError) as exc:
        raise StorageError(f"cannot read stack {stack!r}: {exc}") from exc
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    wanted = ("ArticlesBucketName", "ArticlesTableName", "IngestQueueUrl", "AnalyzeQueueUrl", "IngestDLQUrl")
    missing = {*wanted, "AnalyzeDLQUrl"} - outputs.keys()
    if missing:
        raise StorageError(f"stack {stack!r} has no output(s) {', '.join(sorted(missing))}")
    settings = Settings(
        table_name=outputs["ArticlesTableName"],
        bucket_name=outputs["ArticlesBucketName"],
        region=session.region_name or "us-east-1",
        endpoint_url=endpoint_url,
    )
    queues = Queues(
        outputs["IngestQueueUrl"], outputs["AnalyzeQueueUrl"], outputs["IngestDLQUrl"], outputs["AnalyzeDLQUrl"]
    )
    return Target(ArticleStore(settings), session.client("sqs", endpoint_url=endpoint_url), queues)
