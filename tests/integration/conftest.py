"""The local stack for integration tests: moto with template.yaml's resources, real handlers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from article_pipeline_tools.local.stack import LocalStack, embedded_stack


@pytest.fixture
def stack() -> Iterator[LocalStack]:
    with embedded_stack(None) as local:
        yield local


def upload(stack: LocalStack, key: str, body: bytes) -> str:
    """Put an object under incoming/ and return its article id."""
    from article_pipeline import ids

    stack.store.put_object(key, body)
    return ids.article_id(stack.names.bucket, key)


def entries(stack: LocalStack, article_id: str) -> dict[str, dict]:
    """Every index entry in the table that belongs to the article (a scan: orphans show too), by name."""
    from boto3.dynamodb.conditions import Attr

    found = stack.store.table.scan(
        FilterExpression=Attr("article_id").eq(article_id) & Attr("PK").begins_with("NAME#"), ConsistentRead=True
    )["Items"]
    return {item["PK"].removeprefix("NAME#"): item for item in found}


def claims(stack: LocalStack, article_id: str) -> list[dict]:
    """The article's claims as its entries carry them (one list per speaker), with the speaker's name."""
    return [
        {**claim, "speaker": entry["name"]}
        for entry in entries(stack, article_id).values()
        for claim in entry.get("claims") or []
    ]
