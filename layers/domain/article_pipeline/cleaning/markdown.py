"""Markdown to plain paragraphs: drop the markup, keep the words people read.

Markdown exports of articles are already free of page boilerplate, so this only removes syntax
(headings, emphasis, links, images, code, tables, HTML tags, front matter) and rebuilds paragraphs.
The text is parsed by markdown-it-py (CommonMark, plus tables and strikethrough), which is built to
stay linear on hostile input: no regular expression of ours runs over the uploaded text, so a run
of backticks or brackets costs what any text of its length costs.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class MarkdownBlock:
    text: str
    kind: str  # heading | paragraph | list | quote | code | table | html
    link_share: float  # fraction of the text that is link text


def markdown_blocks(text: str) -> list[MarkdownBlock]:
    """Blocks of plain text in reading order, each with its kind and how much of it is link text."""
    blocks: list[MarkdownBlock] = []
    row: list[str] | None = None  # the cells of the table row being read
    context: list[str] = []  # enclosing containers: list items, block quotes
    kind = "paragraph"
    for token in _parser().parse(text):
        if token.type in {"bullet_list_open", "ordered_list_open", "blockquote_open"}:
            context.append("quote" if token.type == "blockquote_open" else "list")
        elif token.type in {"bullet_list_close", "ordered_list_close", "blockquote_close"}:
            context.pop()
        elif token.type == "heading_open":
            kind = "heading"
        elif token.type in {"heading_close", "paragraph_close"}:
            kind = "paragraph"
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if row:
                blocks.append(MarkdownBlock(" ".join(row), "table", 0.0))
            row = None
        elif token.type == "inline":
            words = inline_text(token.children or [])
            if not words:
                continue
            if row is not None:
                row.append(words)
                continue
            linked = len(inline_text(token.children or [], links_only=True))
            block_kind = kind if kind == "heading" else (context[-1] if context else "paragraph")
            blocks.append(MarkdownBlock(words, block_kind, linked / len(words)))
        elif token.type in {"fence", "code_block"}:
            code = " ".join(line.strip() for line in token.content.splitlines() if line.strip())
            if code:
                blocks.append(MarkdownBlock(code, "code", 0.0))
        elif token.type == "html_block":
            words = _strip_tags(token.content)
            if words:
                blocks.append(MarkdownBlock(words, "html", 0.0))
    return blocks


def markdown_to_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text, in reading order; headings, list items and table rows stand alone."""
    return [block.text for block in markdown_blocks(text)]


# A block mostly made of link text is navigation, sharing or "related stories", not the article.
MAX_LINK_SHARE = 0.5


def article_blocks(blocks: list[MarkdownBlock], keeps: Callable[[list[str]], list[str]]) -> list[str]:
    """The blocks of a Markdown article: saved pages bring menus, share bars and related links along.

    Link-dominated blocks go; plain paragraphs are judged by ``keeps`` (the plain-text line model,
    which sees every block for context); headings, list items, quotes, code and tables stay unless
    made of links; a heading whose section keeps nothing goes too.
    """
    kept_texts = set(keeps([b.text for b in blocks]))
    chosen = [b.link_share < MAX_LINK_SHARE and (b.kind != "paragraph" or b.text in kept_texts) for b in blocks]
    for i, block in enumerate(blocks):
        if block.kind == "heading" and chosen[i]:
            section = itertools.takewhile(lambda j: blocks[j].kind != "heading", range(i + 1, len(blocks)))
            chosen[i] = any(chosen[j] for j in section)
    return [b.text for b, keep in zip(blocks, chosen, strict=True) if keep]


def inline_text(children: list[Token], *, links_only: bool = False) -> str:
    """The readable words of one inline run: link and image text kept, markup and tags dropped.

    With ``links_only``, only the words inside links.
    """
    parts: list[str] = []
    in_link = 0
    for child in children:
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        elif links_only and not in_link:
            continue
        elif child.type in {"text", "code_inline"}:
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
