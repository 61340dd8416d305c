"""Queries across articles: who mentions X, what did X say. Names are normalised exactly as when
the items were written (``schema.lookup_key``: case, accents, possessives, length cut), and
aliases ("Trump", "Zelenskyy") resolve to the canonical entity they were merged into.
"""

from __future__ import annotations

from article_pipeline.schema import entity_partition, lookup_key, speaker_partition
from article_pipeline.storage import ArticleStore, Page


def articles_mentioning(store: ArticleStore, name: str, *, limit: int = 20, cursor: str | None = None) -> Page:
    """Entity (or alias) items for ``name`` from the ByEntity index, newest article first."""
    return store.query_index("ByEntity", entity_partition(name), limit=limit, cursor=cursor)


def claims_by_speaker(store: ArticleStore, name: str, *, limit: int = 20, cursor: str | None = None) -> Page:
    """Claim items whose speaker resolves to ``name`` (or the entity it is an alias of), newest first."""
    return store.query_index("BySpeaker", speaker_partition(canonical_name(store, name)), limit=limit, cursor=cursor)


def canonical_name(store: ArticleStore, name: str) -> str:
    """The canonical entity key an alias stands for; the name's own key when it is not an alias
    or stands for several different entities."""
    key = lookup_key(name)
    sample = store.query_index("ByEntity", entity_partition(name), limit=50)
    if any(item.get("type") == "entity" for item in sample.items):
        return key
    canonical = {item["canonical_key"] for item in sample.items if item.get("canonical_key")}
    return canonical.pop() if len(canonical) == 1 else key
