"""News agency XML (IPTC NITF and NewsML-G2): what wire services deliver, mapped onto a JSON export's record.

An NITF document is one story: its headline (``hl1``), byline, issue date and the paragraphs of
``body.content``; the dateline and the tagline ("Reporting by …") are the wire's furniture, not the
story. A NewsML-G2 item carries its text as inline NITF or XHTML, with its headline, creator,
creation date and language in its metadata. A message of several text items is refused like any
export of several articles (``article-pipeline split`` writes each).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from article_pipeline.cleaning.feed import XML_LANG, read_xml

# The root element, after an XML declaration, comments and processing instructions.
NEWSML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<\?[^>]*>|<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?\s*>)\s*)*"
    r"<(?:[A-Za-z][\w.-]*:)?(?:nitf|newsMessage|newsItem)[\s>/]",
    re.DOTALL,
)
_PARAGRAPHS = frozenset({"p", "hl2", "li"})  # NITF's and XHTML's text blocks
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_BASIC_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?([+-]\d{4}|Z)?$")


def looks_like_newsml(text: str) -> bool:
    return bool(NEWSML_START.match(text[:4096]))


def newsml_records(text: str) -> list[dict[str, Any]]:
    """Each story of an NITF document or a NewsML-G2 message/item as a JSON export's record."""
    root, _ = read_xml(text, "NewsML document")
    if _local(root) == "nitf":
        stories = [_nitf(root)]
    else:
        items = [root] if _local(root) == "newsItem" else [e for e in root.iter() if _local(e) == "newsItem"]
        stories = [_news_item(item) for item in items]
    return [story for story in stories if story.get("text")]


def _nitf(nitf: Any, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    record = dict(meta or {})
    record["title"] = record.get("title") or _text(_find(nitf, "hl1")) or _text(_find(nitf, "title"))
    byline = _find(nitf, "byline")
    people = [_text(e) for e in byline.iter() if _local(e) == "person"] if byline is not None else []
    author = ", ".join(p for p in people if p) or _BY.sub("", _text(byline) or "")
    record["author"] = record.get("author") or author or None
    issued = _find(nitf, "date.issue")
    story_date = _find(nitf, "story.date")
    record["published"] = record.get("published") or _iso(
        (issued.get("norm") if issued is not None else None)
        or (story_date.get("norm") if story_date is not None else None)
    )
    record["language"] = record.get("language") or nitf.get(XML_LANG)
    record["text"] = _paragraphs(_find(nitf, "body.content"))
    return {key: value for key, value in record.items() if value}


def _news_item(item: Any) -> dict[str, Any]:
    meta = {
        "title": _text(_find(item, "headline")),
        "author": _text(_find(_find(item, "creator"), "name")) or _BY.sub("", _text(_find(item, "by")) or "") or None,
        "published": _text(_find(item, "contentCreated")) or _text(_find(item, "firstCreated")),
        "language": _language(item),
    }
    inline = _find(item, "inlineXML")
    if inline is None:
        return {}
    nitf = _find(inline, "nitf")
    if nitf is not None:
        return _nitf(nitf, meta)
    body = _find(inline, "body")  # XHTML
    return {
        key: value
        for key, value in {**meta, "text": _paragraphs(body if body is not None else inline)}.items()
        if value
    }


def _language(item: Any) -> str | None:
    language = _find(_find(item, "contentMeta"), "language")
    return (language.get("tag") if language is not None else None) or item.get(XML_LANG)


def _paragraphs(container: Any) -> str | None:
    if container is None:
        return None
    found = (" ".join("".join(e.itertext()).split()) for e in container.iter() if _local(e) in _PARAGRAPHS)
    return "\n\n".join(p for p in found if p) or None


def _find(element: Any, name: str) -> Any:
    """The first element below ``element`` of this local name, whatever its namespace."""
    if element is None:
        return None
    return next((e for e in element.iter() if _local(e) == name), None)


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: Any) -> str | None:
    if element is None:
        return None
    return " ".join("".join(element.itertext()).split()) or None


def _iso(norm: str | None) -> str | None:
    """NITF's ISO 8601 basic format ("20261128T090500Z") as the extended one the pipeline keeps."""
    match = _BASIC_DATE.match((norm or "").strip())
    if match is None:
        return norm or None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        datetime(int(year), int(month), int(day))
    except ValueError:
        return None
    if hour is None:
        return f"{year}-{month}-{day}"
    offset = "+00:00" if zone in (None, "Z") else f"{zone[:3]}:{zone[3:]}"
    return f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{offset}"
