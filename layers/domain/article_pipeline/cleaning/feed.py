"""News feeds (RSS 2.0, RSS 1.0/RDF, Atom): each item an article, mapped onto a JSON export's record.

A feed of one item is that article (its full ``content:encoded`` or Atom ``content`` when the feed
carries it, else its description); a feed of several is refused like a JSON export of several, and
``article-pipeline split`` writes each item as a JSON file of its own.
"""

from __future__ import annotations

import re
from typing import Any

from article_pipeline.errors import UnsupportedFormat

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The root element of a feed, after an XML declaration, comments and stylesheet instructions.
FEED_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<\?xml-stylesheet[^>]*>|<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?\s*>)\s*)*"
    r"<(?:rss|feed|rdf:RDF)[\s>]",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def looks_like_feed(text: str) -> bool:
    return bool(FEED_START.match(text[:4096]))


def feed_records(text: str) -> list[dict[str, Any]]:
    """Each item of the feed as a JSON export's record: title, url, published, author, and an
    ``html`` body (RSS and Atom carry HTML) or a ``text`` one (Atom's type="text", plain descriptions).

    A feed with a stray "&" or an unclosed tag is read as far as it goes; one the parser gave up on
    before any item (entities nested past libxml2's amplification limit, say) raises UnsupportedFormat.
    """
    root, problem = read_xml(text, "feed")
    items = [*root.iter("item", f"{RSS1}item", f"{ATOM}entry")]
    if not items and root.tag == f"{ATOM}entry":  # an Atom entry document
        items = [root]
    feed_language = _text(root.find("channel/language")) or root.get(XML_LANG)  # RSS <language>, Atom xml:lang
    records = []
    for item in items:
        record = _record(item)
        if record.get("html") or record.get("text"):
            language = item.get(XML_LANG) or feed_language  # what the text says still decides (clean_raw)
            records.append({**record, "language": language} if language else record)
    if not records and problem:
        raise UnsupportedFormat(f"the feed could not be read: {problem}")
    return records


def read_xml(text: str, what: str) -> tuple[Any, str | None]:
    """The document's root element and the parser's first fatal complaint; entities are not expanded and
    nothing is fetched. ``what`` names the upload in the error of one that is no XML at all."""
    from lxml import etree

    parser = etree.XMLParser(  # the text is decoded already: its declared encoding no longer applies
        encoding="utf-8", resolve_entities=False, no_network=True, recover=True, remove_comments=True
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnsupportedFormat(f"the {what} is not well-formed XML: {exc}") from exc
    if root is None:
        raise UnsupportedFormat(f"the {what} is not well-formed XML")
    fatal = next((e for e in parser.error_log if e.level_name == "FATAL"), None)
    return root, (f"{fatal.message.strip()} (line {fatal.line})" if fatal is not None else None)


def _text(element: Any) -> str | None:
    if element is None:
        return None
    value = "".join(element.itertext()).strip()
    return value or None


def _first(item: Any, *tags: str) -> Any:
    for tag in tags:
        found = item.find(tag)
        if found is not None and (_text(found) or found.get("href")):
            return found
    return None


def _record(item: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "title": _text(_first(item, "title", f"{RSS1}title", f"{ATOM}title")),
        "url": _link(item),
        "published": _text(_first(item, "pubDate", f"{DC}date", f"{ATOM}published", f"{ATOM}updated")),
        "author": _text(_first(item, f"{DC}creator", "author", f"{ATOM}author/{ATOM}name")),
    }
    body = _first(item, f"{CONTENT}encoded", f"{ATOM}content", "description", f"{RSS1}description", f"{ATOM}summary")
    if body is not None:
        if body.get("type") == "xhtml":  # Atom's inline XHTML: the markup is the body
            from lxml import etree

            record["html"] = "".join(etree.tostring(child, encoding="unicode") for child in body)
        elif body.get("type") == "text":
            record["text"] = _text(body)
        else:  # RSS descriptions and Atom's type="html" hold escaped (or CDATA) HTML, or plain text
            value = _text(body)
            record["html" if value and _TAG.search(value) else "text"] = value
    return {key: value for key, value in record.items() if value}


def _link(item: Any) -> str | None:
    for link in item.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link.get("href")).strip()
    link = _text(_first(item, "link", f"{RSS1}link"))
    guid = _text(item.find("guid"))  # a permalink when it is a URL
    return link or (guid if guid and guid.startswith(("http://", "https://")) else None)
