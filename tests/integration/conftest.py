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


def children(stack: LocalStack, article_id: str, kind: str) -> list[dict]:
    return [item for item in stack.store.article_items(article_id) if item["SK"].startswith(kind)]
