"""The ``Store`` protocol in memory, keeping the rules of S3 and DynamoDB that the stages rely on:
a missing object is ``ObjectGone``, an upload over the limit is ``TooLarge`` without being read,
and the article item's writes are conditional on its ordering key exactly as ``ArticleStore``'s are.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from article_pipeline.errors import ObjectGone, StaleEvent, TooLarge
from article_pipeline.schema import META_SK, check_item_size
from article_pipeline.settings import Settings


class InMemoryStore:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings(table_name="table", bucket_name="bucket")
        self.objects: dict[tuple[str, str], tuple[bytes, dict[str, Any]]] = {}
        self.items: dict[str, dict[str, dict[str, Any]]] = {}  # article id -> {sort key: item}
        self.entries: dict[tuple[str, str], dict[str, Any]] = {}  # (PK, SK) of the name index
        self.forms: set[tuple[str, str]] = set()
        self.reads: list[str] = []

    # ------------------------------------------------------------ helpers for tests
    def upload(self, key: str, body: bytes, *, etag: str = "etag-1", version_id: str | None = None) -> None:
        meta = {"etag": etag, "version_id": version_id, "content_type": None, "size": len(body)}
        self.objects[(self.settings.bucket_name, key)] = (body, meta)

    def entries_of(self, article_id: str) -> dict[str, dict[str, Any]]:
        """The article's index entries, by partition (NAME#...)."""
        return {pk: item for (pk, _), item in self.entries.items() if item["article_id"] == article_id}

    def objects_under(self, prefix: str) -> list[str]:
        return sorted(key for _, key in self.objects if key.startswith(prefix))

    def has_object(self, key: str) -> bool:
        return (self.settings.bucket_name, key) in self.objects

    # ------------------------------------------------------------ S3
    def read_object(
        self, bucket: str, key: str, *, version_id: str | None = None, max_bytes: int | None = None
    ) -> tuple[bytes, dict[str, Any]]:
        if (bucket, key) not in self.objects:
            raise ObjectGone(f"s3://{bucket}/{key} no longer exists")
        body, meta = self.objects[(bucket, key)]
        if max_bytes is not None and len(body) > max_bytes:
            raise TooLarge(f"object is {len(body):,} bytes; the limit is {max_bytes:,} bytes")
        self.reads.append(key)
        return body, dict(meta)

    def read_json(self, key: str, *, bucket: str | None = None) -> dict[str, Any]:
        body, _ = self.read_object(bucket or self.settings.bucket_name, key)
        loaded: dict[str, Any] = json.loads(body)
        return loaded

    def put_json(self, key: str, document: Mapping[str, Any]) -> str:
        self.upload(key, json.dumps(document).encode())
        return f"s3://{self.settings.bucket_name}/{key}"

    def delete_object(self, key: str) -> None:
        self.objects.pop((self.settings.bucket_name, key), None)

    # ------------------------------------------------------------ DynamoDB
    def get_article(self, article_id: str) -> dict[str, Any] | None:
        item = self.items.get(article_id, {}).get(META_SK)
        return copy.deepcopy(item) if item else None

    def put_article(self, article_id: str, attributes: Mapping[str, Any], *, ordering_key: str) -> None:
        existing = self.items.get(article_id, {}).get(META_SK)
        if existing and existing.get("ordering_key") and existing["ordering_key"] > ordering_key:
            raise StaleEvent("a newer version of this object has already been recorded")
        item = {k: copy.deepcopy(v) for k, v in attributes.items() if v is not None}
        item.update(article_id=article_id, ordering_key=ordering_key, SK=META_SK)
        check_item_size(item)
        self.items.setdefault(article_id, {})[META_SK] = item

    def update_article(self, article_id: str, attributes: Mapping[str, Any], *, ordering_key: str) -> None:
        existing = self.items.get(article_id, {}).get(META_SK)
        if not existing or existing.get("ordering_key") != ordering_key:
            raise StaleEvent("a newer version of this object has already been recorded")
        for name, value in attributes.items():
            if value is None:
                existing.pop(name, None)  # ArticleStore drops None values (DynamoDB has no null-by-default)
            else:
                existing[name] = copy.deepcopy(value)

    def put_entries(self, entries: Iterable[Mapping[str, Any]], *, version: str) -> int:
        items = [copy.deepcopy(dict(entry)) for entry in entries]
        for item in items:
            check_item_size(item)
        written = 0
        for item in items:
            held = self.entries.get((item["PK"], item["SK"]))
            if held is None or held["version"] <= version:
                self.entries[(item["PK"], item["SK"])] = item
                written += 1
        return written

    def delete_entries(
        self, keys: Iterable[Mapping[str, str]], *, below: str | None = None, only: str | None = None
    ) -> None:
        for key in keys:
            held = self.entries.get((key["PK"], key["SK"]))
            if held is None:
                continue
            if (below is not None and held["version"] < below) or (only is not None and held["version"] == only):
                del self.entries[(key["PK"], key["SK"])]

    def put_forms(self, pairs: Iterable[tuple[str, str]]) -> int:
        new = set(pairs) - self.forms
        self.forms |= new
        return len(new)
