"""The only module that talks to AWS: S3 objects and the single DynamoDB table.

botocore errors become our own exceptions here (``StorageError``, ``ObjectGone``,
``StaleEvent``, ``TooLarge``) so the rest of the package never imports boto3. Throttling and
transient errors are retried by botocore's ``standard`` retry mode with backoff.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from article_pipeline.errors import ObjectGone, StaleEvent, StorageError, TooLarge
from article_pipeline.schema import META_SK, article_pk, check_item_size, form_item
from article_pipeline.settings import Settings

RETRY_CONFIG = {"retries": {"mode": "standard", "max_attempts": 8}, "connect_timeout": 5, "read_timeout": 30}


def to_dynamo(value: Any) -> Any:
    """Floats become Decimals (DynamoDB has no float); empty strings in sets are dropped."""
    if isinstance(value, float):
        return Decimal(str(round(value, 6)))
    if isinstance(value, Mapping):
        return {k: to_dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [to_dynamo(v) for v in value]
    return value


def from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: from_dynamo(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [from_dynamo(v) for v in value]
    return value


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    cursor: str | None


class Store(Protocol):
    """What the stages need of storage: ``ArticleStore`` in AWS, an in-memory fake in unit tests."""

    settings: Settings

    def read_object(
        self, bucket: str, key: str, *, version_id: str | None = None, max_bytes: int | None = None
    ) -> tuple[bytes, dict[str, Any]]: ...

    def read_json(self, key: str, *, bucket: str | None = None) -> dict[str, Any]: ...

    def put_json(self, key: str, document: Mapping[str, Any]) -> str: ...

    def delete_object(self, key: str) -> None: ...

    def get_article(self, article_id: str) -> dict[str, Any] | None: ...

    def put_article(self, article_id: str, attributes: Mapping[str, Any], *, ordering_key: str) -> None: ...

    def update_article(self, article_id: str, attributes: Mapping[str, Any], *, ordering_key: str) -> None: ...

    def put_entries(self, entries: Iterable[Mapping[str, Any]], *, version: str) -> int: ...

    def delete_entries(
        self, keys: Iterable[Mapping[str, str]], *, below: str | None = None, only: str | None = None
    ) -> None: ...

    def put_forms(self, pairs: Iterable[tuple[str, str]]) -> int: ...


class ArticleStore:
    """S3 + DynamoDB access for one bucket and one table."""

    def __init__(self, settings: Settings, *, s3_client: Any = None, dynamodb_resource: Any = None) -> None:
        self.settings = settings
        self._s3 = s3_client
        self._dynamodb = dynamodb_resource
        self._table: Any = None
        self._boto_session: Any = None
        if s3_client is None or dynamodb_resource is None:
            import boto3

            # Credentials are resolved now, from the environment this store was made in, so its
            # clients sign as the identity its settings name (settings.credentials_id), however
            # much later they are first used. boto3's default session would keep the first
            # credentials it ever resolved in this process.
            self._boto_session = boto3.session.Session(region_name=settings.region)
            self._boto_session.get_credentials()

    # ------------------------------------------------------------ clients
    @property
    def s3(self) -> Any:
        if self._s3 is None:
            from botocore.config import Config

            self._s3 = self._session().client(
                "s3", endpoint_url=self.settings.endpoint_url, config=Config(**RETRY_CONFIG)
            )
        return self._s3

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            from botocore.config import Config

            self._dynamodb = self._session().resource(
                "dynamodb", endpoint_url=self.settings.endpoint_url, config=Config(**RETRY_CONFIG)
            )
        return self._dynamodb

    @property
    def table(self) -> Any:
        if self._table is None:
            self._table = self.dynamodb.Table(self.settings.table_name)
        return self._table

    def _session(self) -> Any:
        return self._boto_session

    # ------------------------------------------------------------ S3
    def read_object(
        self, bucket: str, key: str, *, version_id: str | None = None, max_bytes: int | None = None
    ) -> tuple[bytes, dict[str, Any]]:
        """Object bytes and metadata; refuses objects over ``max_bytes`` without reading them."""
        from botocore.exceptions import BotoCoreError, ClientError

        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        try:
            response = self.s3.get_object(**kwargs)
            length = int(response.get("ContentLength") or 0)
            if max_bytes is not None and length > max_bytes:
                response["Body"].close()
                raise TooLarge(f"object is {length:,} bytes; the limit is {max_bytes:,} bytes")
            body = response["Body"].read()
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in {"NoSuchKey", "NoSuchVersion", "404", "NotFound"}:
                raise ObjectGone(f"s3://{bucket}/{key} no longer exists") from exc
            raise StorageError(f"cannot read s3://{bucket}/{key}: {code or exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"cannot read s3://{bucket}/{key}: {exc}") from exc
        meta = {
            "etag": str(response.get("ETag", "")).strip('"') or None,
            "version_id": response.get("VersionId"),
            "content_type": response.get("ContentType"),
            "size": len(body),
        }
        return body, meta

    def put_json(self, key: str, document: Mapping[str, Any]) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.s3.put_object(
                Bucket=self.settings.bucket_name, Key=key, Body=body, ContentType="application/json; charset=utf-8"
            )
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"cannot write s3://{self.settings.bucket_name}/{key}: {exc}") from exc
        return f"s3://{self.settings.bucket_name}/{key}"

    def read_json(self, key: str, *, bucket: str | None = None) -> dict[str, Any]:
        body, _ = self.read_object(bucket or self.settings.bucket_name, key)
        try:
            loaded = json.loads(body)
        except ValueError as exc:
            raise StorageError(f"s3://{bucket or self.settings.bucket_name}/{key} is not JSON") from exc
        if not isinstance(loaded, dict):
            raise StorageError(f"s3://{bucket or self.settings.bucket_name}/{key} is not a JSON object")
        return loaded

    def read_pointer(self, pointer: str) -> dict[str, Any]:
        """The JSON document an ``s3://bucket/key`` pointer of an article item names."""
        bucket, _, key = pointer.removeprefix("s3://").partition("/")
        return self.read_json(key, bucket=bucket)

    def delete_object(self, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.s3.delete_object(Bucket=self.settings.bucket_name, Key=key)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"cannot delete s3://{self.settings.bucket_name}/{key}: {exc}") from exc

    def put_object(self, key: str, body: bytes, *, content_type: str | None = None) -> None:
        """Upload raw bytes (the CLI's way of dropping a file into the bucket)."""
        from botocore.exceptions import BotoCoreError, ClientError

        kwargs: dict[str, Any] = {"Bucket": self.settings.bucket_name, "Key": key, "Body": body}
        if content_type:
            kwargs["ContentType"] = content_type
        try:
            self.s3.put_object(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"cannot upload s3://{self.settings.bucket_name}/{key}: {exc}") from exc

    # ------------------------------------------------------------ DynamoDB: article item
    def get_article(self, article_id: str) -> dict[str, Any] | None:
        item = self._call(
            "read article", self.table.get_item, Key={"PK": article_pk(article_id), "SK": META_SK}, ConsistentRead=True
        )
        found = item.get("Item")
        return from_dynamo(found) if found else None

    def put_article(self, article_id: str, attributes: Mapping[str, Any], *, ordering_key: str) -> None:
        """Write the article item unless a newer event (higher sequencer) already wrote it."""
        now = _now()
        item = {
            **to_dynamo(dict(attributes)),
            "PK": article_pk(article_id),
            "SK": META_SK,
            "article_id": article_id,
            "ordering_key": ordering_key,
            "updated_at": now,
        }
        check_item_size(item)
        condition = "attribute_not_exists(PK) OR attribute_not_exists(ordering_key) OR ordering_key <= :k"
        self._conditional(
            self.table.put_item,
            Item=item,
            ConditionExpression=condition,
            ExpressionAttributeValues={":k": ordering_key},
        )

    def update_article(self, article_id: str, attributes: Mapping[str, Any], *, ordering_key: str) -> None:
        """Update fields of the article item, only if it still belongs to ``ordering_key``.

        A field given as None is removed (a DONE article keeps no error from an earlier retry).
        """
        values = to_dynamo({k: v for k, v in attributes.items() if v is not None})
        values["updated_at"] = _now()
        removed = [name for name, value in attributes.items() if value is None]
        names = {f"#a{i}": name for i, name in enumerate(values)}
        names.update({f"#r{i}": name for i, name in enumerate(removed)})
        expression = "SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(values)))
        if removed:
            expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removed)))
        expr_values = {f":v{i}": value for i, value in enumerate(values.values())}
        expr_values[":k"] = ordering_key
        self._conditional(
            self.table.update_item,
            Key={"PK": article_pk(article_id), "SK": META_SK},
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=expr_values,
            ConditionExpression="attribute_exists(PK) AND ordering_key = :k",
        )

    # ------------------------------------------------------------ DynamoDB: index entries and forms
    def put_entries(self, entries: Iterable[Mapping[str, Any]], *, version: str) -> int:
        """Write an article's index entries, each unless a newer version of the article holds its key.

        One conditional write per entry (a batch write cannot be conditional): an older version's
        analysis, finishing late, never replaces what a newer version wrote. Returns how many were
        written; the article item's commit (``update_article``) decides whether they count.
        """
        items = [to_dynamo(dict(entry)) for entry in entries]
        for item in items:
            check_item_size(item)  # before any write: an article's entries are written whole or not at all
        written = 0
        for item in items:
            written += self._try(
                self.table.put_item,
                Item=item,
                ConditionExpression="attribute_not_exists(PK) OR version <= :v",
                ExpressionAttributeValues={":v": version},
            )
        return written

    def delete_entries(
        self, keys: Iterable[Mapping[str, str]], *, below: str | None = None, only: str | None = None
    ) -> None:
        """Delete index entries written by versions older than ``below``, or by version ``only``."""
        if (below is None) == (only is None):
            raise ValueError("give exactly one of below= and only=")
        condition = "version < :v" if below is not None else "version = :v"
        for key in keys:
            self._try(
                self.table.delete_item,
                Key=dict(key),
                ConditionExpression=condition,
                ExpressionAttributeValues={":v": below if below is not None else only},
            )

    def put_forms(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Record (form, canonical) name pairs not seen before; returns how many were new.

        Reads first (a read costs a fifth of a write): in a stream of news the same names come back.
        """
        wanted = {(form, canonical) for form, canonical in pairs}
        keys = [{"PK": f"FORM#{form}", "SK": f"CANON#{canonical}"} for form, canonical in sorted(wanted)]
        known = {(item["PK"][5:], item["SK"][6:]) for item in self.get_items(keys)}
        new = sorted(wanted - known)
        if new:
            from botocore.exceptions import BotoCoreError, ClientError

            try:
                with self.table.batch_writer() as batch:
                    for form, canonical in new:
                        batch.put_item(Item=form_item(form, canonical))
            except (ClientError, BotoCoreError) as exc:
                raise StorageError(f"cannot write name forms: {exc}") from exc
        return len(new)

    def get_items(self, keys: list[dict[str, str]]) -> list[dict[str, Any]]:
        """The items that exist among ``keys`` (BatchGetItem, 100 keys a request, unprocessed retried)."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), 100):
            request: dict[str, Any] = {self.settings.table_name: {"Keys": keys[start : start + 100]}}
            for _ in range(8):
                response = self._call("read items", self.dynamodb.batch_get_item, RequestItems=request)
                found.extend(from_dynamo(item) for item in response["Responses"].get(self.settings.table_name, []))
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
                time.sleep(0.05)
        return found

    def query_partition(
        self, partition_key: str, *, limit: int = 20, after: Mapping[str, Any] | None = None, with_claims: bool = False
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One page of a partition, newest first (sort keys descending); ``after`` continues a page."""
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "PK = :k",
            "ExpressionAttributeValues": {":k": partition_key},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if with_claims:
            kwargs["FilterExpression"] = "attribute_exists(claims)"
        if after:
            kwargs["ExclusiveStartKey"] = dict(after)
        page = self._call("query", self.table.query, **kwargs)
        return [from_dynamo(item) for item in page.get("Items", [])], page.get("LastEvaluatedKey")

    def list_objects(self, prefix: str) -> Iterator[dict[str, Any]]:
        """Every object under ``prefix`` (key, size, last modified): for backfills, not for Lambda."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.settings.bucket_name, Prefix=prefix)
            for page in pages:
                yield from page.get("Contents", [])
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"cannot list s3://{self.settings.bucket_name}/{prefix}: {exc}") from exc

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        """Every article item (a scan: for the CLI and tests on small tables, not for Lambda)."""
        kwargs: dict[str, Any] = {"FilterExpression": "SK = :meta", "ExpressionAttributeValues": {":meta": META_SK}}
        while True:
            page = self._call("scan articles", self.table.scan, **kwargs)
            for item in page.get("Items", []):
                yield from_dynamo(item)
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # ------------------------------------------------------------ helpers
    def _call(self, what: str, method: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return method(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"cannot {what}: {exc}") from exc

    def _try(self, method: Any, **kwargs: Any) -> int:
        """1 if the conditional write happened, 0 if its condition held it back."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            method(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return 0
            raise StorageError(f"cannot write index entry: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"cannot write index entry: {exc}") from exc
        return 1

    def _conditional(self, method: Any, **kwargs: Any) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            method(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise StaleEvent("a newer version of this object has already been recorded") from exc
            raise StorageError(f"cannot write article item: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"cannot write article item: {exc}") from exc


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
