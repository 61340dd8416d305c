"""Queries across articles: which articles mention X, what X said; newest first, paged.

Names are normalised exactly as when the entries were written (``schema.lookup_key``: case, accents,
possessives, length cut). A query by any form of a name reaches every canonical name that form was
seen standing for, and the other forms those entries were written under:

- "Trump" finds the articles whose canonical entity is "Donald Trump" (a form seen in them), and
  those whose canonical name is "Trump" itself;
- "Donald Trump" finds its own partition and, from the forms its entries list ("Trump",
  "President Trump"), the articles that only ever called him by one of them.

Several partitions are merged newest first; the cursor keeps each partition's position.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from article_pipeline.schema import form_partition, lookup_key, name_partition
from article_pipeline.storage import ArticleStore


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    cursor: str | None


def articles_mentioning(store: ArticleStore, name: str, *, limit: int = 20, cursor: str | None = None) -> Page:
    """One entry per article that mentions ``name`` under any of its forms, newest first."""
    return _merged(store, name_keys(store, name), limit=limit, cursor=cursor, with_claims=False)


def claims_by_speaker(store: ArticleStore, name: str, *, limit: int = 20, cursor: str | None = None) -> Page:
    """One entry per article that quotes ``name`` (with its claims there), newest first."""
    return _merged(store, name_keys(store, name), limit=limit, cursor=cursor, with_claims=True)


def name_keys(store: ArticleStore, name: str) -> list[str]:
    """The canonical name keys a query for ``name`` reads, its own first.

    ``name`` itself and without a person's title ("President Trump" -> "Trump"); every canonical name
    those forms were seen standing for; and the other forms that the entries of ``name`` list.
    """
    from article_pipeline.entities.names import strip_name

    asked = [name, strip_name(name, "PERSON")]
    keys = [lookup_key(form) for form in asked]
    for form in asked:
        canonicals, _ = store.query_partition(form_partition(form), limit=50)
        keys += [item["canonical"] for item in canonicals]
    entries, _ = store.query_partition(name_partition(name), limit=50)
    for entry in entries:
        keys += [lookup_key(form) for form in entry.get("forms") or []]
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


def _merged(store: ArticleStore, keys: list[str], *, limit: int, cursor: str | None, with_claims: bool) -> Page:
    """The newest ``limit`` entries over the partitions of ``keys``, one per article."""
    state: dict[str, Any] = _decode(cursor) if cursor else {"after": {}, "done": []}
    done, seen = set(state["done"]), set()  # an article listed under two of the names shows once a page
    heads: dict[str, list[dict[str, Any]]] = {}
    last: dict[str, Any] = {}
    for key in keys:
        if key in done:
            continue
        items, last_key = store.query_partition(
            f"NAME#{key}", limit=limit, after=state["after"].get(key), with_claims=with_claims
        )
        heads[key], last[key] = items, last_key
    taken: list[dict[str, Any]] = []
    positions: dict[str, Mapping[str, Any]] = dict(state["after"])
    while len(taken) < limit:
        if any(not items and last.get(key) is not None for key, items in heads.items()):
            break  # that partition's next entries (not read yet) may be newer than the others'
        live = [(items[0]["SK"], key) for key, items in heads.items() if items]
        if not live:
            break
        _, key = max(live)
        item = heads[key].pop(0)
        positions[key] = {"PK": item["PK"], "SK": item["SK"]}
        if item["article_id"] not in seen:
            seen.add(item["article_id"])
            taken.append(item)
    for key, items in heads.items():
        if not items and last.get(key) is None:
            done.add(key)  # read to its end
    more = any(heads[key] or last.get(key) is not None for key in heads)
    next_state = {"after": positions, "done": sorted(done)}
    return Page(taken, _encode(next_state) if more else None)


def _encode(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, sort_keys=True).encode()).decode()


def _decode(cursor: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    return loaded
