"""The single table's schema, in one place: key formats, statuses, item builders.

The contract is the queries, and the layout is chosen for what they cost (every item written is a
write unit, every index copy another):

- ``ARTICLE#<id>`` / ``META``: the article: status, source, metadata, versions, pointers to its clean
  text and analysis in S3 (where its entities and claims live in full), and the keys of its index
  entries (so a new version or a delete removes them all).
- ``NAME#<name>`` / ``<recency>#<id>``: one entry per name an article mentions or quotes, newest
  first: the entity (label, count, salience, its forms) and, when the article quotes that name, its
  claims. "Articles that mention X" and "claims by X" read the same partition; no secondary index.
- ``FORM#<form>`` / ``CANON#<name>``: a name form seen as another name of a canonical entity
  ("trump" for "donald trump"), written once, so a query by any form finds the canonical partitions.

Plain dictionaries, no boto3 (``storage`` writes them). Every key is built here, with the same
normalisation and length cut for the items and the queries that look for them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from article_pipeline.errors import ItemTooLarge
from article_pipeline.ids import name_key

META_SK = "META"
# DynamoDB refuses items over 400 KB; ours are checked against a margin under it before writing.
MAX_ITEM_BYTES = 380 * 1024
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
# What the article item keeps of them (the description stays in the clean text and analysis in S3).
ARTICLE_FIELDS = tuple(name for name in METADATA_FIELDS if name != "description")


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


def name_partition(name: str) -> str:
    """The partition of every article that mentions or quotes ``name`` (a canonical key)."""
    return f"NAME#{lookup_key(name)}"


def form_partition(form: str) -> str:
    """The partition listing the canonical names a form has been seen standing for."""
    return f"FORM#{lookup_key(form)}"


def canonical_sort_key(canonical: str) -> str:
    return f"CANON#{lookup_key(canonical)}"


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
        **{key: cleaned.get(key) for key in ARTICLE_FIELDS},
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


def analysed_article(
    document: dict[str, Any], entries: Iterable[Mapping[str, Any]], *, analysis: str, analyzed_at: str
) -> dict[str, Any]:
    """Attributes set on the article item when its analysis is stored (DONE, or SKIPPED with why)."""
    skipped = document.get("skipped_reason")
    return {
        "index": index_record(entries),
        "previous_index": None,
        "status": (Status.SKIPPED if skipped else Status.DONE).value,
        "error": error_record("skipped", skipped, retryable=False) if skipped else None,
        "entity_count": len(document["entities"]),
        "claim_count": len(document["claims"]),
        "model_version": document["versions"].get("model"),
        "analysed_by": document["versions"],
        "analysis": analysis,
        "analyzed_at": analyzed_at,
        "truncated_at": document.get("truncated_at"),
    }


# ------------------------------------------------------------------------------------------ index entries
MAX_ENTRY_FORMS = 10
MAX_ENTRY_NAME_CHARS = 200
MAX_ENTRY_CLAIMS = 10
MAX_ENTRY_CLAIM_CHARS = 300


def entry_sort_key(article_item: Mapping[str, Any]) -> str:
    """Newest first: publication date, else when the upload was received; then the article id."""
    recency = str(article_item.get("published") or article_item.get("received_at") or "")[:25]
    return f"{recency}#{article_item['article_id']}"


def index_entries(
    document: Mapping[str, Any], article_item: Mapping[str, Any], *, version: str
) -> list[dict[str, Any]]:
    """One entry per name the analysed article mentions or quotes (``version``: its ordering key).

    A speaker who is one of the article's entities shares that entity's entry; a speaker the article
    does not name as an entity ("officials") gets an entry of its own.
    """
    sort_key = entry_sort_key(article_item)
    base = {
        "SK": sort_key,
        "article_id": document["article_id"],
        "version": version,
        "title": (document.get("title") or "")[: MAX_TITLE_CHARS // 2] or None,
    }
    entries: dict[str, dict[str, Any]] = {}
    for entity in document["entities"]:
        key = lookup_key(entity["name"])
        if not key or key in entries:
            continue
        forms = [f["text"][:MAX_ENTRY_NAME_CHARS] for f in entity.get("forms", []) if lookup_key(f["text"]) != key]
        entries[key] = {
            **base,
            "PK": f"NAME#{key}",
            "name": entity["name"][:MAX_ENTRY_NAME_CHARS],
            "label": entity["label"],
            "count": entity["count"],
            "salience": round(float(entity["salience"]), 3),
            "forms": forms[:MAX_ENTRY_FORMS] or None,
        }
    by_speaker: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    for number, claim in enumerate(document["claims"], start=1):
        speaker = claim.get("speaker") or {}
        name = str(speaker.get("entity") or speaker.get("text") or "")
        key = lookup_key(name)
        if not key:
            continue
        entries.setdefault(key, {**base, "PK": f"NAME#{key}", "name": name[:MAX_ENTRY_NAME_CHARS], "label": None})
        by_speaker.setdefault(key, []).append((number, claim))
    for key, numbered in by_speaker.items():
        entry = entries[key]
        kept = most_worth_checking([claim for _, claim in numbered], MAX_ENTRY_CLAIMS)
        entry["claims"] = [_entry_claim(*numbered[i]) for i in kept]
        if len(numbered) > MAX_ENTRY_CLAIMS:
            entry["claims_more"] = len(numbered) - MAX_ENTRY_CLAIMS
    return list(entries.values())


def most_worth_checking(claims: Sequence[Mapping[str, Any]], limit: int) -> list[int]:
    """The positions of the ``limit`` highest-scoring ``claims``, in text order (all when there are no more).

    A debater in a transcript has hundreds of sentences; a speaker's entry and the CLI's table show the
    ones a reader would check, not the first ones (all are in the analysis document).
    """
    if len(claims) <= limit:
        return list(range(len(claims)))
    best = sorted(range(len(claims)), key=lambda i: (-float(claims[i].get("score") or 0.0), i))[:limit]
    return sorted(best)


def _entry_claim(number: int, claim: Mapping[str, Any]) -> dict[str, Any]:
    text = claim["content"]["text"]
    return {
        "n": number,
        "kind": claim["kind"],
        "cue": ((claim.get("cue") or {}).get("text") or "")[:MAX_ENTRY_NAME_CHARS] or None,
        "content": text[:MAX_ENTRY_CLAIM_CHARS] + ("…" if len(text) > MAX_ENTRY_CLAIM_CHARS else ""),
        "score": claim.get("score"),
        "check_worthy": claim.get("check_worthy"),
        "nested": claim.get("nested") or None,
    }


def index_record(entries: Iterable[Mapping[str, Any]]) -> dict[str, Any] | None:
    """What the article item keeps of its entries: enough to find and remove every one of them."""
    entries = list(entries)
    if not entries:
        return None
    return {"sk": entries[0]["SK"], "names": sorted(e["PK"].removeprefix("NAME#") for e in entries)}


def entry_keys(index: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """The table keys of the entries an ``index_record`` describes."""
    if not index:
        return []
    return [{"PK": f"NAME#{name}", "SK": index["sk"]} for name in index["names"]]


def form_pairs(document: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(form, canonical) keys of every other name an entity was written under in this article."""
    pairs = set()
    for entity in document["entities"]:
        canonical = lookup_key(entity["name"])
        for form in entity.get("forms", []):
            key = lookup_key(form["text"])
            if key and canonical and key != canonical and not form.get("demonym"):
                pairs.add((key, canonical))
    return pairs


def form_item(form: str, canonical: str) -> dict[str, Any]:
    return {"PK": f"FORM#{form}", "SK": f"CANON#{canonical}", "canonical": canonical}
