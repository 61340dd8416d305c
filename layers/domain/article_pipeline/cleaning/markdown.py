"""Markdown to plain paragraphs: drop the markup, keep the words people read.

Markdown exports of articles are already free of page boilerplate, so this only removes syntax
(headings, emphasis, links, images, code, tables, HTML tags, front matter) and rebuilds paragraphs.
The text is parsed by markdown-it-py (CommonMark, plus tables and strikethrough), which is built to
stay linear on hostile input: no regular expression of ours runs over the uploaded text, so a run
of backticks or brackets costs what any text of its length costs.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

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
# Front matter longer than this is not front matter (and is not scanned for its end).
_MAX_FRONT_MATTER_LINES = 200


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Read simple ``key: value`` YAML front matter; return (metadata, the rest of the text)."""
    lines = text.lstrip("\ufeff").split("\n", _MAX_FRONT_MATTER_LINES + 1)
    if not lines or lines[0].rstrip() != "---":
        return {}, text
    candidates = enumerate(lines[1 : _MAX_FRONT_MATTER_LINES + 1], start=1)
    end = next((number for number, line in candidates if line.rstrip() in {"---", "..."}), None)
    if end is None:
        return {}, text
    meta: dict[str, Any] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        field = _FRONT_KEYS.get(key.strip().lower())
        value = value.strip().strip("'\"")
        if sep and field and value and field not in meta:
            meta[field] = value
    return meta, "\n".join(lines[end + 1 :])


def markdown_to_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text, in reading order; headings, list items and table rows stand alone."""
    paragraphs: list[str] = []
    row: list[str] | None = None  # the cells of the table row being read
    for token in _parser().parse(text):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if row:
                paragraphs.append(" ".join(row))
            row = None
        elif token.type == "inline":
            words = inline_text(token.children or [])
            if words:
                (row if row is not None else paragraphs).append(words)
        elif token.type in {"fence", "code_block"}:
            code = " ".join(line.strip() for line in token.content.splitlines() if line.strip())
            if code:
                paragraphs.append(code)
        elif token.type == "html_block":
            words = _strip_tags(token.content)
            if words:
                paragraphs.append(words)
    return paragraphs


def inline_text(children: list[Token]) -> str:
    """The readable words of one inline run: link and image text kept, markup and tags dropped."""
    parts: list[str] = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type == "image":
            parts.append(inline_text(child.children or []) or child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == "html_inline":
            parts.append(" " if child.content.lower().startswith("<br") else "")
    return " ".join("".join(parts).split())


def _strip_tags(html: str) -> str:
    """The text between the tags of an HTML block (one pass, no pattern)."""
    out: list[str] = []
    depth = 0
    for char in html:
        if char == "<":
            depth = 1
        elif char == ">" and depth:
            depth = 0
            out.append(" ")
        elif not depth:
            out.append(char)
    return " ".join("".join(out).split())
