"""IAM as AWS evaluates it, for the S3 and DynamoDB calls of the local stack, and a record of them.

moto's IAM access control (switched on by the embedded default) checks S3 calls against the
object's ARN, but every DynamoDB call against ``*``, so a policy scoped to the table denies
everything; and it knows nothing of S3's rule for missing objects: without ``s3:ListBucket``
on the bucket, a GET or HEAD of a missing key (or a deleted version) is 403 AccessDenied, not
404, so a "gone" object would look like a failure. This module makes moto check:

- DynamoDB calls against the table's ARN (``.../index/<name>`` for index queries; every table
  of a batch or transaction, with the per-item actions AWS checks for a transaction);
- S3 GETs and HEADs of a missing key or version against ``s3:ListBucket`` on the bucket too;
- SQS batch calls against the single-message action (there is no ``sqs:DeleteMessageBatch``);

and records each (principal, action, resource, allowed) it decides, so tests can assert both
ways: every call a function makes is allowed, and every action its policy allows is used.
"""

from __future__ import annotations

import functools
import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

_MARK = "_article_pipeline_iam"
_SQS_BATCH_ACTIONS = {
    "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
    "sqs:SendMessageBatch": "sqs:SendMessage",
    "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
}
_TRANSACTION_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}


@dataclass(frozen=True)
class Decision:
    principal: str  # the assumed role's name, or the IAM user's ARN
    action: str
    resource: str
    allowed: bool


class DecisionLog:
    """The decisions taken while IAM enforcement was on (thread-safe: the moto server is threaded)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._decisions: list[Decision] = []

    def add(self, decision: Decision) -> None:
        with self._lock:
            self._decisions.append(decision)

    def snapshot(self) -> list[Decision]:
        with self._lock:
            return list(self._decisions)

    def clear(self) -> None:
        with self._lock:
            self._decisions.clear()


decisions = DecisionLog()


def install() -> None:
    """Patch moto once (idempotent). Has no effect while moto's IAM enforcement is off."""
    from moto.dynamodb.responses import DynamoHandler
    from moto.iam.access_control import IAMRequestBase

    if getattr(IAMRequestBase.check_action_permitted, _MARK, False):
        return
    DynamoHandler._determine_resource = _dynamodb_resource  # type: ignore[attr-defined]

    original = IAMRequestBase.check_action_permitted

    @functools.wraps(original)
    def check_action_permitted(self: Any, resource: str) -> None:
        if self._action.split(":", 1)[0] not in {"s3", "dynamodb", "sqs"}:
            # STS, IAM: moto's own check (it knows role trust), recorded all the same.
            try:
                original(self, resource)
            except Exception:
                decisions.add(Decision(_principal(self._access_key), self._action, resource, False))
                raise
            decisions.add(Decision(_principal(self._access_key), self._action, resource, True))
            return
        for action, target in _required(self, resource):
            allowed = _allowed(self._access_key.collect_policies(), action, target)
            decisions.add(Decision(_principal(self._access_key), action, target, allowed))
            if not allowed:
                self._raise_access_denied()

    setattr(check_action_permitted, _MARK, True)
    IAMRequestBase.check_action_permitted = check_action_permitted  # type: ignore[method-assign]


def _dynamodb_resource(self: Any) -> str:
    """The table (or index) ARN a DynamoDB request acts on; moto's default is ``*``."""
    body = getattr(self, "body", None) or {}
    table = body.get("TableName")
    if not table:
        tables = _dynamodb_tables(body)
        table = tables[0] if tables else None
    if not table:
        return "*"
    arn = _table_arn(self, table)
    return f"{arn}/index/{body['IndexName']}" if body.get("IndexName") else arn


def _table_arn(handler: Any, table: str) -> str:
    if table.startswith("arn:"):
        return table
    return f"arn:aws:dynamodb:{handler.region}:{handler.current_account}:table/{table}"


def _dynamodb_tables(body: dict[str, Any]) -> list[str]:
    tables = list(body.get("RequestItems") or {})
    for item in body.get("TransactItems") or []:
        for request in item.values():
            if isinstance(request, dict) and request.get("TableName"):
                tables.append(request["TableName"])
    return tables


def _required(request: Any, resource: str) -> list[tuple[str, str]]:
    """The (action, resource) pairs AWS would check for this request."""
    action: str = request._action
    if action.startswith("dynamodb:"):
        return _dynamodb_required(request, action, resource)
    if action in {"s3:GetObject", "s3:GetObjectVersion"}:
        return [(action, resource), *_missing_object_rule(request, resource)]
    # SQS's batch calls have no IAM actions of their own: AWS checks the single-message action.
    return [(_SQS_BATCH_ACTIONS.get(action, action), resource)]


def _dynamodb_required(request: Any, action: str, resource: str) -> list[tuple[str, str]]:
    try:
        body = json.loads(request._body or b"{}")
    except ValueError:
        return [(action, resource)]
    prefix = resource.rsplit(":table/", 1)[0] if ":table/" in resource else None
    if prefix is None:
        return [(action, resource)]

    def arn(table: str) -> str:
        return table if table.startswith("arn:") else f"{prefix}:table/{table}"

    if action in {"dynamodb:TransactWriteItems", "dynamodb:TransactGetItems"}:
        # No such IAM action: AWS checks each item's own action on its table.
        pairs = []
        for item in body.get("TransactItems") or []:
            for kind, spec in item.items():
                pairs.append((f"dynamodb:{_TRANSACTION_ACTIONS[kind]}", arn(spec["TableName"])))
        return pairs
    if body.get("RequestItems"):
        return [(action, arn(table)) for table in body["RequestItems"]]
    return [(action, resource)]


def _missing_object_rule(request: Any, resource: str) -> list[tuple[str, str]]:
    """A GET/HEAD of a missing object is decided by s3:ListBucket on the bucket (403 without it)."""
    bucket, _, key = resource.split(":::", 1)[-1].partition("/")
    version = parse_qs(urlparse(request._path).query).get("versionId", [None])[0]
    if _object_exists(request.account_id, bucket, key, version):
        return []
    return [("s3:ListBucket", resource.split(":::", 1)[0] + ":::" + bucket)]


def _object_exists(account_id: str, bucket: str, key: str, version: str | None) -> bool:
    from urllib.parse import unquote

    from moto.s3.models import s3_backends

    try:
        found = s3_backends[account_id]["aws"].get_object(bucket, unquote(key), version_id=version)
    except Exception:  # noqa: BLE001 - no such bucket, malformed version id: the object is not there
        return False
    return found is not None


def _allowed(policies: list[Any], action: str, resource: str) -> bool:
    """IAM's rule: an explicit Deny wins, otherwise any Allow allows (moto's statement matcher)."""
    from moto.iam.access_control import IAMPolicy, PermissionResult

    permitted = False
    for policy in policies:
        result = IAMPolicy(policy).is_action_permitted(action, resource)
        if result == PermissionResult.DENIED:
            return False
        permitted = permitted or result == PermissionResult.PERMITTED
    return permitted


def _principal(access_key: Any) -> str:
    arn = str(getattr(access_key, "arn", "unknown"))
    if ":assumed-role/" in arn:
        return arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
    return arn
