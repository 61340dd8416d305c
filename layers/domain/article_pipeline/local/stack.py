"""The embedded default as a context manager: moto in process, the template's resources, the
real handlers, and a small on-disk snapshot so ``show`` and ``query`` see earlier ``run`` results.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from article_pipeline.local.functions import handler
from article_pipeline.local.infra import StackNames, create_stack_resources
from article_pipeline.local.runner import LocalPoller
from article_pipeline.settings import Settings
from article_pipeline.storage import ArticleStore

REGION = "us-east-1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}


@dataclass
class LocalStack:
    names: StackNames
    store: ArticleStore
    sqs: Any
    session: Any

    def poller(self) -> LocalPoller:
        functions = {name: handler(name) for name in ("IngestFunction", "AnalyzeFunction")}
        return LocalPoller(self.sqs, self.names, functions)


@contextmanager
def embedded_stack(state_dir: Path | None = None, *, stack_name: str = "local") -> Iterator[LocalStack]:
    """Start moto, create the stack, point the handlers' settings at it; snapshot state on exit."""
    import boto3
    from moto import mock_aws

    from article_pipeline.local import moto_queries

    moto_queries.install()
    saved_env = {k: os.environ.get(k) for k in (*FAKE_CREDENTIALS, "TABLE_NAME", "BUCKET_NAME", "ENDPOINT_URL")}
    os.environ.update(FAKE_CREDENTIALS)
    try:
        with mock_aws():
            session = boto3.Session(region_name=REGION)
            names = create_stack_resources(session, stack_name=stack_name, region=REGION)
            # The template's LOG_LEVEL is for AWS; locally the caller's POWERTOOLS_LOG_LEVEL decides.
            env = {k: v for k, v in names.env().items() if k != "LOG_LEVEL" and (v or k != "SPACY_MODEL")}
            os.environ.update(env)
            _forget_cached_store()
            store = ArticleStore(
                Settings.from_env(), s3_client=session.client("s3"), dynamodb_resource=session.resource("dynamodb")
            )
            sqs = session.client("sqs")
            # The low-level client: items in DynamoDB's own typed JSON (numbers as strings), which
            # json can write and the table takes back unchanged. The resource's client gives Decimals.
            dynamodb = session.client("dynamodb")
            if state_dir is not None:
                restore_state(state_dir, store, sqs, names, dynamodb)
            yield LocalStack(names=names, store=store, sqs=sqs, session=session)
            if state_dir is not None:
                save_state(state_dir, store, dynamodb)
    finally:
        _forget_cached_store()
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _forget_cached_store() -> None:
    """The handlers cache their store per container; a new local stack is a new container."""
    import sys

    runtime = sys.modules.get("article_pipeline.runtime")
    if runtime is not None:
        runtime.default_store.cache_clear()


def save_state(state_dir: Path, store: ArticleStore, dynamodb: Any) -> None:
    """Write the table's items and the bucket's objects to ``state_dir`` (small demo data only).

    ``dynamodb`` is a low-level client, so the items are kept in DynamoDB's typed JSON.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    items: list[dict[str, Any]] = []
    paginator = dynamodb.get_paginator("scan")
    for page in paginator.paginate(TableName=store.settings.table_name):
        items.extend(page["Items"])
    objects = []
    s3 = store.s3
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=store.settings.bucket_name):
        for entry in page.get("Contents", []):
            body = s3.get_object(Bucket=store.settings.bucket_name, Key=entry["Key"])["Body"].read()
            objects.append({"key": entry["Key"], "body": base64.b64encode(body).decode("ascii")})
    (state_dir / "state.json").write_text(json.dumps({"items": items, "objects": objects}), encoding="utf-8")


def restore_state(state_dir: Path, store: ArticleStore, sqs: Any, names: StackNames, dynamodb: Any) -> None:
    """Load a ``save_state`` snapshot into a fresh embedded stack (``dynamodb``: a low-level client)."""
    path = state_dir / "state.json"
    if not path.exists():
        return
    state = json.loads(path.read_text(encoding="utf-8"))
    for item in state["items"]:
        dynamodb.put_item(TableName=store.settings.table_name, Item=item)
    for obj in state["objects"]:
        store.s3.put_object(Bucket=store.settings.bucket_name, Key=obj["key"], Body=base64.b64decode(obj["body"]))
    # Restoring objects notified the queues again; those events were handled in an earlier run.
    for url in (names.ingest_queue_url, names.analyze_queue_url):
        sqs.purge_queue(QueueUrl=url)
