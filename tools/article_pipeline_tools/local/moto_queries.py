"""Partition-local queries for the embedded default.

moto's ``Table.query`` on the base table reads every item of the table and keeps those of the
asked partition, so each "items of this article" query costs the whole table: a long local run
turns quadratic (69% of the 600-upload soak's time went there). Real DynamoDB reads only the
partition. This narrows a base-table query to its partition's items before moto's own query code
runs, so filtering, sorting, paging and projections are still moto's. Index (GSI) queries and
anything this does not recognise go to moto unchanged.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

_MARK = "_article_pipeline_partition_local"
# (table, its partition's items) while a narrowed query runs on this thread; per thread, so a
# threaded moto server's other requests always see the whole table.
_narrowed = threading.local()


def install() -> bool:
    """Patch moto's DynamoDB ``Table`` once; False when moto's internals are not as expected."""
    try:
        from moto.dynamodb.models.table import Table
    except ImportError:  # pragma: no cover - moto is a dependency of the embedded default
        return False
    if getattr(Table.query, _MARK, False):
        return True
    if not callable(getattr(Table, "all_items", None)):
        return False
    original_query, original_all_items = Table.query, Table.all_items

    @functools.wraps(original_all_items)
    def all_items(self: Any) -> Any:
        current = getattr(_narrowed, "value", None)
        if current is not None and current[0] is self:
            return list(current[1])
        return original_all_items(self)

    @functools.wraps(original_query)
    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        partitions = getattr(self, "items", None)
        if index_name is not None or hash_key is None or not isinstance(partitions, dict):
            return original_query(self, hash_key, *args, **kwargs)
        partition = partitions.get(hash_key)
        if partition is None:
            found: list[Any] = []
        elif self.range_key_attr:
            found = list(partition.values())
        else:
            found = [partition]
        _narrowed.value = (self, found)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _narrowed.value = None

    setattr(query, _MARK, True)
    Table.all_items = all_items  # type: ignore[method-assign]
    Table.query = query  # type: ignore[method-assign]
    return True
