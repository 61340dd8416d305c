"""The single table's schema, in one place: key formats, statuses, item builders and indexes.

Plain dictionaries, no boto3 (``storage`` writes them). Long text stays in S3; items carry capped
excerpts and offsets, so every item is far below DynamoDB's 400 KB limit. Queries build their keys
here too, with the same normalisation and length cut as the items they look for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from article_pipeline.errors import ItemTooLarge
from article_pipeline.ids import name_key

META_SK = "META"
# DynamoDB refuses items over 400 KB; ours are checked against a margin under it before writing.
MAX_ITEM_BYTES = 380 * 1024
MAX_MENTIONS_PER_ITEM = 200
MAX_CONTENT_CHARS = 2000
MAX_KEY_CHARS = 200
MAX_TITLE_CHARS = 300

# The article item's metadata fields, as cleaning reports them.
METADATA_FIELDS = (
    "format",
    "encoding",
    "language",
    "title",
    "author",
    "published",
    "url",
    "sitename",
    "description",
    "word_count",
)


class Status(StrEnum):
    """An article's status (the META item), and what a stage reports for an event it did not apply."""

    CLEANED = "CLEANED"
    DONE = "DONE"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"  # analysed as far as it goes: the language is not supported
    DELETED = "DELETED"
    # Outcomes of an event only, never stored:
    IGNORED = "IGNORED"  # not an object this stage handles
    STALE = "STALE"  # a newer version of the object was already recorded, or the object is gone


TERMINAL_STATUSES = frozenset({Status.DONE, Status.FAILED, Status.SKIPPED, Status.DELETED})
SETTLED_STATUSES = frozenset({Status.CLEANED, Status.DONE, Status.SKIPPED, Status.FAILED})


# ------------------------------------------------------------------------------------------ keys
def article_pk(article_id: str) -> str:
    return f"ARTICLE#{article_id}"


def lookup_key(name: str) -> str:
    """The normalised, length-capped form of a name, as it appears in keys (items and queries alike)."""
    return name_key(name)[:MAX_KEY_CHARS]


def entity_partition(name: str) -> str:
    """ByEntity partition: every article that mentions ``name`` (a canonical name or an alias)."""
    return f"ENTITY#{lookup_key(name)}"


def speaker_partition(name: str) -> str:
    """BySpeaker partition: every claim whose speaker resolves to ``name``."""
    return f"SPEAKER#{lookup_key(name)}"


# Index name -> (partition key attribute, sort key attribute), as template.yaml defines them.
INDEXES = {"ByEntity": ("GSI1PK", "GSI1SK"), "BySpeaker": ("GSI2PK", "GSI2SK")}


def item_size(item: Mapping[str, Any]) -> int:
    """An upper bound of the item's size as DynamoDB counts it (names + values, UTF-8), via its JSON."""
    return len(json.dumps(item, ensure_ascii=False, default=str).encode("utf-8"))


def check_item_size(item: Mapping[str, Any]) -> None:
    size = item_size(item)
    if size > MAX_ITEM_BYTES:
        what = f"{item.get('SK', 'item')} of article {item.get('article_id', '?')}"
        raise ItemTooLarge(f"the {what} would be {size:,} bytes; DynamoDB's limit is 400 KB")


# ------------------------------------------------------------------------------------------ article item
def error_record(code: str, message: str, *, retryable: bool) -> dict[str, Any]:
    return {"code": code, "message": message[:500], "retryable": retryable}


def cleaned_article(base: dict[str, Any], cleaned: dict[str, Any], *, clean_text: str) -> dict[str, Any]:
    """Attributes of the article item once its upload is cleaned (``base``: source and versions)."""
    return {
        **base,
        **{key: cleaned.get(key) for key in METADATA_FIELDS},
        "status": Status.CLEANED.value,
        "error": None,
        "clean_text": clean_text,
        "char_count": len(cleaned["text"]),
        "markup_truncated_at": cleaned.get("markup_truncated_at"),
    }


def failed_article(base: dict[str, Any], error: dict[str, Any]) -> dict[str, Any]:
    return {**base, "status": Status.FAILED.value, "error": error}


def deleted_article(base: dict[str, Any], *, deleted_at: str) -> dict[str, Any]:
    return {**base, "status": Status.DELETED.value, "error": None, "deleted_at": deleted_at}


def analysed_article(document: dict[str, Any], *, analysis: str, analyzed_at: str) -> dict[str, Any]:
    """Attributes set on the article item when its analysis is stored (DONE, or SKIPPED with why)."""
    skipped = document.get("skipped_reason")
    return {
        "status": (Status.SKIPPED if skipped else Status.DONE).value,
        "error": error_record("skipped", skipped, retryable=False) if skipped else None,
        "entity_count": len(document["entities"]),
        "claim_count": len(document["claims"]),
        "model_version": document["versions"].get("model"),
        "analysis": analysis,
        "analyzed_at": analyzed_at,
        "truncated_at": document.get("truncated_at"),
    }


# ------------------------------------------------------------------------------------------ child items
def _recency(article_item: dict[str, Any]) -> str:
    """Sort key prefix for "newest first": publication date, else when we received it."""
    return str(article_item.get("published") or article_item.get("received_at") or "")[:25]


def child_items(document: dict[str, Any], article_item: dict[str, Any]) -> list[dict[str, Any]]:
    """Entity, alias and claim items of one analysed article (``article_item``: its META item)."""
    article_id = document["article_id"]
    recency = f"{_recency(article_item)}#{article_id}"
    title = (document.get("title") or "")[:MAX_TITLE_CHARS] or None
    items: list[dict[str, Any]] = []
    alias_keys: set[str] = set()
    for entity in document["entities"]:
        key = lookup_key(entity["name"])
        if not key:
            continue
        mentions = entity["mentions"]
        items.append(
            {
                "SK": f"ENTITY#{entity['label']}#{key}",
                "type": "entity",
                "name": entity["name"],
                "label": entity["label"],
                "aliases": entity["aliases"],
                "count": entity["count"],
                "salience": entity["salience"],
                "mentions": [[m["start"], m["end"]] for m in mentions[:MAX_MENTIONS_PER_ITEM]],
                "mentions_truncated": len(mentions) > MAX_MENTIONS_PER_ITEM,
                "GSI1PK": entity_partition(entity["name"]),
                "GSI1SK": recency,
                "title": title,
            }
        )
        alias_keys.add(key)
    # Aliases ("Trump", "Zelenskyy") get pointer items so a query by any alias finds the article.
    for entity in document["entities"]:
        canonical = lookup_key(entity["name"])
        for alias in entity["aliases"]:
            key = lookup_key(alias)
            if not key or key in alias_keys:
                continue
            alias_keys.add(key)
            items.append(
                {
                    "SK": f"ALIAS#{key}",
                    "type": "alias",
                    "name": entity["name"],
                    "label": entity["label"],
                    "canonical_key": canonical,
                    "count": entity["count"],
                    "salience": entity["salience"],
                    "GSI1PK": entity_partition(alias),
                    "GSI1SK": recency,
                    "title": title,
                }
            )
    for number, claim in enumerate(document["claims"], start=1):
        claim_id = f"{number:04d}"
        content = claim["content"]
        speaker = claim.get("speaker") or {}
        speaker_name = speaker.get("entity") or speaker.get("text")
        item: dict[str, Any] = {
            "SK": f"CLAIM#{claim_id}",
            "type": "claim",
            "kind": claim["kind"],
            "quoted": claim.get("quoted"),
            "speaker": speaker or None,
            "cue": claim.get("cue"),
            "content": content["text"][:MAX_CONTENT_CHARS],
            "content_truncated": len(content["text"]) > MAX_CONTENT_CHARS,
            "content_spans": content["spans"],
            "score": claim.get("score"),
            "nested": claim.get("nested", False),
            "title": title,
        }
        if speaker_name and lookup_key(speaker_name):
            item["GSI2PK"] = speaker_partition(speaker_name)
            item["GSI2SK"] = f"{recency}#{claim_id}"
        items.append(item)
    return items
