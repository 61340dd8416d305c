"""DynamoDB item shapes for an analysed article (the single-table model of DESIGN.md).

Plain dictionaries, no boto3: ``storage`` writes them. Long text stays in S3; items carry
capped excerpts and offsets so every item is far below DynamoDB's 400 KB limit.
"""

from __future__ import annotations

from typing import Any

from article_pipeline.ids import name_key

MAX_MENTIONS_PER_ITEM = 200
MAX_CONTENT_CHARS = 2000
MAX_KEY_CHARS = 200


def entity_partition(name: str) -> str:
    return f"ENTITY#{name_key(name)[:MAX_KEY_CHARS]}"


def speaker_partition(name: str) -> str:
    return f"SPEAKER#{name_key(name)[:MAX_KEY_CHARS]}"


def _recency(article: dict[str, Any]) -> str:
    """Sort key prefix for "newest first": publication date, else when we received it."""
    return str(article.get("published") or article.get("received_at") or "")[:25]


def child_items(document: dict[str, Any], article: dict[str, Any]) -> list[dict[str, Any]]:
    """Entity, alias and claim items of one analysed article."""
    article_id = document["article_id"]
    recency = f"{_recency(article)}#{article_id}"
    title = (document.get("title") or "")[:300] or None
    items: list[dict[str, Any]] = []
    alias_keys: set[str] = set()
    for entity in document["entities"]:
        key = name_key(entity["name"])[:MAX_KEY_CHARS]
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
                "GSI1PK": f"ENTITY#{key}",
                "GSI1SK": recency,
                "title": title,
            }
        )
        alias_keys.add(key)
    # Aliases ("Trump", "Zelenskyy") get pointer items so a query by any alias finds the article.
    for entity in document["entities"]:
        canonical = name_key(entity["name"])[:MAX_KEY_CHARS]
        for alias in entity["aliases"]:
            key = name_key(alias)[:MAX_KEY_CHARS]
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
                    "GSI1PK": f"ENTITY#{key}",
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
        if speaker_name and name_key(speaker_name):
            item["GSI2PK"] = speaker_partition(speaker_name)
            item["GSI2SK"] = f"{recency}#{claim_id}"
        items.append(item)
    return items
