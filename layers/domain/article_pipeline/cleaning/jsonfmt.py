"""Articles exported as JSON (CMS exports, scraper output, schema.org NewsArticle, JSON Lines).

Finds the article object (top level, in a list, or nested under a wrapper key such as
``article``/``data``) and maps the usual field names onto our metadata; an HTML body goes through
the HTML path by the caller. A list of several articles is refused (``one_article``); a list of
bodies without titles inside a document is a block editor's paragraphs, read as one article.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from article_pipeline.errors import NoArticleText, SeveralArticles, UnsupportedFormat

_TEXT_KEYS = (
    "articleBody",
    "body",
    "content",
    "text",
    "article_text",
    "articleText",
    "body_text",
    "full_text",
    "fulltext",
    "plain_text",
    "story",
    "maintext",
    "main_text",
)
_HTML_KEYS = ("html", "body_html", "content_html", "bodyHtml", "contentHtml", "raw_html", "rendered")
_WRAPPER_KEYS = (
    "article",
    "data",
    "item",
    "post",
    "story",
    "document",
    "doc",
    "result",
    "results",
    "items",
    "articles",
    "entries",
    "hits",
    "_source",
    "fields",
    "attributes",
    "node",
)
_META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name", "heading"),
    "author": ("author", "authors", "byline", "creator", "writer", "by"),
    "published": (
        "published",
        "datePublished",
        "published_at",
        "publishedAt",
        "publish_date",
        "pubDate",
        "date",
        "dateCreated",
        "created_at",
        "createdAt",
        "firstPublished",
        "timestamp",
    ),
    "url": ("url", "canonical_url", "canonicalUrl", "canonical", "link", "permalink", "webUrl", "uri"),
    "sitename": ("sitename", "site_name", "siteName", "source", "publisher", "site", "outlet"),
    "description": ("description", "summary", "excerpt", "abstract", "standfirst", "dek", "lead", "subtitle"),
    "language": ("language", "lang", "inLanguage", "locale"),
}
_MAX_DEPTH = 6


@dataclass
class JsonArticle:
    """What a JSON export told us: either ``text`` or ``html``, plus metadata strings."""

    text: str | None = None
    html: str | None = None
    meta: dict[str, str | None] = field(default_factory=dict)


def _as_text(value: Any) -> str | None:
    """Flatten a field value (string, list of strings/paragraph objects, {"name": ...}) to a string."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "text", "value", "#text", "rendered", "content", "url", "@value"):
            if key in value:
                return _as_text(value[key])
        return None
    if isinstance(value, list):
        parts = [p for p in (_as_text(v) for v in value[:1000]) if p]
        return "\n\n".join(parts) if parts else None
    return None


def _author_text(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_as_text(v) for v in value[:50]) if n]
        return ", ".join(names) if names else None
    return _as_text(value)


def _body_score(obj: dict[str, Any]) -> int:
    return sum(1 for k in (*_TEXT_KEYS, *_HTML_KEYS) if isinstance(obj.get(k), (str, list)))


def _find_article(node: Any, depth: int = 0, within: list | None = None) -> tuple[dict[str, Any], list | None] | None:
    """Depth-first search for the first object holding a body field, wrappers first.

    Returns it with the nearest list it sits in (None when no list encloses it): an export's other
    records are that list's other items.
    """
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, list):
        for item in node[:50]:
            found = _find_article(item, depth + 1, node)
            if found is not None:
                return found
        return None
    if not isinstance(node, dict):
        return None
    if _body_score(node):
        return node, within
    for key in _WRAPPER_KEYS:
        if key in node:
            found = _find_article(node[key], depth + 1, within)
            if found is not None:
                return found
    for value in node.values():
        if isinstance(value, (dict, list)):
            found = _find_article(value, depth + 1, within)
            if found is not None:
                return found
    return None


def _body_key(obj: dict[str, Any]) -> str | None:
    return next((k for k in (*_TEXT_KEYS, *_HTML_KEYS) if isinstance(obj.get(k), (str, list))), None)


def _load(text: str) -> Any:
    """The parsed JSON; JSON Lines (an object per line) as the list of its lines' objects."""
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise UnsupportedFormat("the JSON is nested too deeply to read") from exc
    except ValueError as whole_error:
        lines = [line for line in text.strip().split("\n") if line.strip()]
        try:
            parsed = [json.loads(line) for line in lines]
        except (ValueError, RecursionError):
            parsed = None
        if parsed and len(parsed) > 1:
            return parsed
        try:  # a JSON value followed by something else: the value
            return json.loads(lines[0]) if lines else json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise UnsupportedFormat(f"the data is not valid JSON: {whole_error}") from exc


def article_records(text: str) -> list[dict[str, Any]]:
    """Every article object a JSON export holds, in order: one for an article, more for a list of them.

    The records are the first article found and the other items of the list it sits in that hold
    the same body field (a JSON Lines file is a list of its lines). A list of comments or related
    links beside one article has other fields, so it is no second article.
    """
    data = _load(text)
    found = _find_article(data)
    if found is None:
        return []
    first, within = found
    if within is None:
        return [first]
    key = _body_key(first)
    records = [hit[0] for hit in map(_find_article, within) if hit is not None and _body_key(hit[0]) == key]
    if isinstance(data, dict) and len(records) > 1 and not any(n in r for r in records for n in _ARTICLE_NAMES):
        # bodies without a title or address inside a document: a block editor's paragraphs (Editor.js), one
        # article (JSON Lines, or a list at the top, of bodies alone are still several documents)
        named = {k: v for k, v in data.items() if k in _ALL_META_KEYS}
        return [{**named, str(key): "\n\n".join(filter(None, (_as_text(r.get(str(key))) for r in records)))}]
    return records or [first]


_ARTICLE_NAMES = (*_META_KEYS["title"], *_META_KEYS["url"])  # what an article record has and a paragraph not
_ALL_META_KEYS = frozenset(k for keys in _META_KEYS.values() for k in keys)


def _looks_like_html(text: str) -> bool:
    from article_pipeline.cleaning.formats import sniff_format

    return sniff_format(text) == "html"


def one_article(records: list[dict[str, Any]], source: str, none: str) -> JsonArticle:
    """The one record of an export as its article: NoArticleText when it holds none, SeveralArticles when more."""
    if not records:
        raise NoArticleText(f"the {source} holds {none}")
    if len(records) > 1:
        raise SeveralArticles(
            f"the {source} holds {len(records)} articles; one upload is one article: upload each on its own"
            " (`article-pipeline split FILE DIR` writes one file per article)"
        )
    return _article(records[0])


def _article(obj: dict[str, Any]) -> JsonArticle:
    article = JsonArticle()
    for key in _HTML_KEYS:
        value = _as_text(obj.get(key))
        if value:
            article.html = value
            break
    for key in _TEXT_KEYS:
        value = _as_text(obj.get(key))
        if value:
            if _looks_like_html(value):
                article.html = article.html or value
            else:
                article.text = value
            break
    for name, keys in _META_KEYS.items():
        for key in keys:
            if key in obj:
                value = _author_text(obj[key]) if name == "author" else _as_text(obj[key])
                if value:
                    article.meta[name] = value[:2000]
                    break
    return article
