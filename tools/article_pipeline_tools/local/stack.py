"""The embedded default as a context manager: moto in process, the template's resources and
roles, the real handlers each under its own role, and a small on-disk snapshot so ``show`` and
``query`` see earlier ``run`` results.

It is at least as strict as AWS where it can be: moto's IAM enforcement is on (with
``moto_iam`` checking S3 and DynamoDB calls as AWS does), each function signs with its own
role's credentials from template.yaml, the bucket is versioned and notifies as AWS does
(``moto_events``), and a handler's context counts down from the template's timeout.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from article_pipeline.settings import Settings
from article_pipeline.storage import ArticleStore
from article_pipeline_tools.local import iam
from article_pipeline_tools.local.functions import LocalFunction
from article_pipeline_tools.local.infra import (
    LOCAL_VISIBILITY_TIMEOUT,
    StackNames,
    create_stack_resources,
    function_configs,
    load_template,
)
from article_pipeline_tools.local.runner import LocalPoller

REGION = "us-east-1"
# Only until the stack's own administrator exists: then the stack's credentials replace these.
BOOTSTRAP_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}


@dataclass
class LocalStack:
    names: StackNames
    store: ArticleStore  # the user's view: signs as the stack's administrator
    sqs: Any  # the administrator's SQS client
    session: Any  # the administrator's boto3 session
    functions: dict[str, LocalFunction]
    function_sqs: dict[str, Any]  # each event source mapping polls with its function's role, as in AWS
    identities: iam.StackIdentities
    endpoint_url: str | None = None  # the moto server's, when the stack is served over HTTP

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        """Invoke one function's real handler with ``event``, as Lambda would."""
        return self.functions[function].invoke(event)

    def function_store(self, function: str) -> ArticleStore:
        """The store the function's handler uses (its role's clients): for tests that inject faults."""
        from article_pipeline.runtime import default_store

        with self.functions[function].environment_applied():
            return default_store()

    def poller(self) -> LocalPoller:
        return LocalPoller(self.sqs, self.names, self.functions, self.function_sqs)


@contextmanager
def embedded_stack(
    state_dir: Path | None = None,
    *,
    stack_name: str = "local",
    template: dict[str, Any] | None = None,
    endpoint_url: str | None = None,
    visibility_timeout: int | None = LOCAL_VISIBILITY_TIMEOUT,
) -> Iterator[LocalStack]:
    """Start moto, create the stack and its roles, enforce IAM; snapshot state on exit.

    In process (``mock_aws``) by default; with ``endpoint_url``, on a moto server this process runs
    (``serve``), which other programs reach over HTTP. ``template`` replaces template.yaml (tests remove
    a policy statement to see enforcement bite). ``visibility_timeout`` None keeps the template's.
    """
    from moto import mock_aws

    from article_pipeline_tools.local import moto_events, moto_iam, moto_queries

    moto_queries.install()
    moto_events.install()
    moto_iam.install()
    saved_env = dict(os.environ)
    os.environ.update(BOOTSTRAP_CREDENTIALS)
    try:
        with contextlib.nullcontext() if endpoint_url else mock_aws():
            yield from _stack(state_dir, stack_name, template or load_template(), endpoint_url, visibility_timeout)
    finally:
        os.environ.clear()
        os.environ.update(saved_env)


def _stack(
    state_dir: Path | None,
    stack_name: str,
    template: dict[str, Any],
    endpoint_url: str | None,
    visibility_timeout: int | None,
) -> Iterator[LocalStack]:
    import boto3
    from moto.core import enable_iam_authentication

    from article_pipeline_tools.local import moto_iam

    def session(credentials: iam.Credentials | None = None) -> Any:
        return EndpointSession(
            boto3.Session(region_name=REGION, **(credentials.session_kwargs() if credentials else {})), endpoint_url
        )

    bootstrap = session()
    names = create_stack_resources(
        bootstrap, stack_name=stack_name, region=REGION, template=template, visibility_timeout=visibility_timeout
    )
    roles = iam.function_roles(names, stack_name=stack_name, region=REGION, template=template)
    identities = iam.provision(bootstrap, roles, region=REGION)
    # The template's LOG_LEVEL is for AWS; locally the caller's POWERTOOLS_LOG_LEVEL decides.
    env = {k: v for k, v in names.env(endpoint_url).items() if k != "LOG_LEVEL" and (v or k != "SPACY_MODEL")}
    os.environ.update(env)
    # Anything in this process that makes its own client acts as the administrator.
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.update(identities.admin.env())
    admin = session(identities.admin)
    configs = function_configs(template)
    functions = {
        name: LocalFunction(config, {**config.environment, **identities.functions[name].env()})
        for name, config in configs.items()
    }
    function_sqs = {name: session(identities.functions[name]).client("sqs") for name in configs}
    store = ArticleStore(
        Settings.from_env(), s3_client=admin.client("s3"), dynamodb_resource=admin.resource("dynamodb")
    )
    sqs = admin.client("sqs")
    # The low-level client: items in DynamoDB's own typed JSON (numbers as strings), which
    # json can write and the table takes back unchanged. The resource's client gives Decimals.
    dynamodb = admin.client("dynamodb")
    moto_iam.decisions.clear()
    with enable_iam_authentication():
        if state_dir is not None:
            restore_state(state_dir, store, sqs, names, dynamodb)
        yield LocalStack(names, store, sqs, admin, functions, function_sqs, identities, endpoint_url)
        if state_dir is not None:
            save_state(state_dir, store, dynamodb)


class EndpointSession:
    """A boto3 session whose clients and resources all talk to one endpoint (a moto server), if any."""

    def __init__(self, session: Any, endpoint_url: str | None) -> None:
        self._session = session
        self._endpoint_url = endpoint_url

    def client(self, service: str, **kwargs: Any) -> Any:
        return self._session.client(service, **self._with_endpoint(kwargs))

    def resource(self, service: str, **kwargs: Any) -> Any:
        return self._session.resource(service, **self._with_endpoint(kwargs))

    def _with_endpoint(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {"endpoint_url": self._endpoint_url, **kwargs} if self._endpoint_url else kwargs


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
