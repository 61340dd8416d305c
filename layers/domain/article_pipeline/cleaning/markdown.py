"""Markdown to plain paragraphs: drop the markup, keep the words people read.

Markdown exports of articles are already free of page boilerplate, so this only removes syntax
(headings, emphasis, links, images, code fences, tables, front matter) and rebuilds paragraphs.
"""

from __future__ import annotations

import re
from typing import Any

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)(.*?)(?:\s+#+\s*)?$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_HRULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_BLOCKQUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)|!\[([^\]\n]{0,500})\]\[[^\]\n]{0,200}\]")
_LINK = re.compile(r"\[([^\]\n]{0,2000})\]\([^)\n]{0,2000}\)|\[([^\]\n]{1,2000})\]\[[^\]\n]{0,200}\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]{1,2000})>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,1000})?/?>")
_CODE_SPAN = re.compile(r"(`+)(.{1,2000}?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,2000}?\S)\1")
_EMPH_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]{0,2000}?\S)\*(?![\w*])")
_EMPH_UNDER = re.compile(r"(?<![\w_])_(?=\S)([^_\n]{0,2000}?\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.{1,2000}?\S)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_FRONT_KEYS = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "byline": "author",
    "date": "published",
    "published": "published",
    "pubdate": "published",
    "published_at": "published",
    "url": "url",
    "canonical": "url",
    "canonical_url": "url",
    "link": "url",
    "description": "description",
    "summary": "description",
    "excerpt": "description",
    "site": "sitename",
    "sitename": "sitename",
    "site_name": "sitename",
    "publisher": "sitename",
    "lang": "language",
    "language": "language",
}


def inline_to_text(line: str) -> str:
    """Strip inline markup (links, images, emphasis, code, tags) from one line."""
    line = _IMAGE.sub(lambda m: m.group(1) or m.group(2) or "", line)
    line = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _CODE_SPAN.sub(lambda m: m.group(2).strip(), line)
    line = _HTML_TAG.sub("", line)
    for pattern in (_STRONG, _STRIKE):
        line = pattern.sub(lambda m: m.group(m.lastindex or 1), line)
    line = _EMPH_STAR.sub(r"\1", line)
    line = _EMPH_UNDER.sub(r"\1", line)
    line = _ESCAPE.sub(r"\1", line)
    return re.sub(r"[ \t]+", " ", line).strip()


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Read simple ``key: value`` YAML front matter; return (metadata, the rest of the text)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, Any] = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        field = _FRONT_KEYS.get(key.strip().lower())
        value = value.strip().strip("'\"")
        if sep and field and value and field not in meta:
            meta[field] = value
    return meta, text[m.end() :]


def markdown_to_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text, in reading order; headings and list items are paragraphs of their own."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            para = " ".join(part for part in current if part)
            if para.strip():
                paragraphs.append(para.strip())
            current.clear()

    in_fence: str | None = None
    for raw_line in text.splitlines():
        fence = _FENCE.match(raw_line)
        if in_fence:
            if fence and fence.group(1)[0] == in_fence[0] and len(fence.group(1)) >= len(in_fence):
                in_fence = None
                flush()
            elif raw_line.strip():
                current.append(raw_line.strip())
            continue
        if fence:
            flush()
            in_fence = fence.group(1)
            continue
        line = raw_line.rstrip()
        if not line.strip():
            flush()
            continue
        if _SETEXT.match(line) and current:
            flush()  # the previous line was a heading
            continue
        if _HRULE.match(line) or _REF_DEF.match(line) or _TABLE_SEP.match(line):
            flush()
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            flush()
            current.append(inline_to_text(heading.group(1)))
            flush()
            continue
        line = _BLOCKQUOTE.sub("", line)
        if _LIST_ITEM.match(line):
            flush()
            line = _LIST_ITEM.sub("", line, count=1)
        if "|" in line and line.strip().startswith("|"):
            line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        current.append(inline_to_text(line))
    flush()
    return paragraphs
