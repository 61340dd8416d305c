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
from article_pipeline.schema import INDEXES, META_SK, article_pk, check_item_size
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

    def replace_children(self, article_id: str, items: Iterable[Mapping[str, Any]]) -> int: ...

    def clear_children(self, article_id: str) -> None: ...


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
    def table(self) -> Any:
        if self._table is None:
            if self._dynamodb is None:
                from botocore.config import Config

                self._dynamodb = self._session().resource(
                    "dynamodb", endpoint_url=self.settings.endpoint_url, config=Config(**RETRY_CONFIG)
                )
            self._table = self._dynamodb.Table(self.settings.table_name)
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

    # ------------------------------------------------------------ DynamoDB: entity and claim items
    def child_keys(self, article_id: str) -> list[str]:
        """Sort keys of every item of the article except its META item."""
        keys: list[str] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": article_pk(article_id)},
            "ProjectionExpression": "SK",
            "ConsistentRead": True,
        }
        while True:
            page = self._call("list article items", self.table.query, **kwargs)
            keys.extend(item["SK"] for item in page.get("Items", []) if item["SK"] != META_SK)
            if "LastEvaluatedKey" not in page:
                return keys
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def replace_children(self, article_id: str, items: Iterable[Mapping[str, Any]]) -> int:
        """Make the article's entity and claim items exactly ``items`` (stale ones deleted)."""
        pk = article_pk(article_id)
        new_items = [{**to_dynamo(dict(item)), "PK": pk, "article_id": article_id} for item in items]
        for item in new_items:
            check_item_size(item)  # before any write: an article's items are replaced whole or not at all
        new_keys = {item["SK"] for item in new_items}
        stale = [sk for sk in self.child_keys(article_id) if sk not in new_keys]
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            # batch_writer sends 25 items a request and re-sends unprocessed items.
            with self.table.batch_writer(overwrite_by_pkeys=["PK", "SK"]) as batch:
                for sk in stale:
                    batch.delete_item(Key={"PK": pk, "SK": sk})
                for item in new_items:
                    batch.put_item(Item=item)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"cannot write items of article {article_id}: {exc}") from exc
        return len(new_items)

    def clear_children(self, article_id: str) -> None:
        """Delete every entity and claim item of the article (its META item stays)."""
        self.replace_children(article_id, [])

    def article_items(self, article_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": article_pk(article_id)},
        }
        while True:
            page = self._call("read article items", self.table.query, **kwargs)
            items.extend(from_dynamo(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # ------------------------------------------------------------ queries across articles
    def query_index(self, index: str, partition_key: str, *, limit: int = 20, cursor: str | None = None) -> Page:
        """One page of an index partition, newest first; ``cursor`` continues a previous page."""
        key_name = INDEXES[index][0]
        kwargs: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": f"{key_name} = :k",
            "ExpressionAttributeValues": {":k": partition_key},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = json.loads(cursor)
        page = self._call("query index", self.table.query, **kwargs)
        last = page.get("LastEvaluatedKey")
        return Page(
            [from_dynamo(item) for item in page.get("Items", [])],
            json.dumps(from_dynamo(last), sort_keys=True) if last else None,
        )

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


def stack_settings(stack_name: str, *, region: str | None = None, endpoint_url: str | None = None) -> Settings:
    """Settings for a deployed stack, from its CloudFormation outputs (bucket and table names)."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client("cloudformation", region_name=region, endpoint_url=endpoint_url)
    try:
        stacks = client.describe_stacks(StackName=stack_name)["Stacks"]
    except (ClientError, BotoCoreError) as exc:
        raise StorageError(f"cannot read stack {stack_name!r}: {exc}") from exc
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    missing = {"ArticlesBucketName", "ArticlesTableName"} - outputs.keys()
    if missing:
        raise StorageError(f"stack {stack_name!r} has no output(s) {', '.join(sorted(missing))}")
    return Settings(
        table_name=outputs["ArticlesTableName"],
        bucket_name=outputs["ArticlesBucketName"],
        region=region or client.meta.region_name,
        endpoint_url=endpoint_url,
    )
