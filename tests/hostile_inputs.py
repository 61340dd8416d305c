"""Inputs built to be costly or to break parsers: for the tests, the soak and `make bench-hostile`."""

from __future__ import annotations

import gzip

ARTICLE_HTML = (
    "<h1>Port strike ends</h1>"
    + "<p>Dock workers in Rotterdam returned to work on Monday, the union said after nine days of talks.</p>" * 10
)
ARTICLE_TEXT = "Dock workers in Rotterdam returned to work on Monday, the union said after nine days of talks. " * 10


def deeply_nested_page(depth: int) -> bytes:
    """A real article inside ``depth`` nested <div> elements (libxml2 stops at 256)."""
    return (
        "<html><head><title>Port strike ends</title></head><body><nav>Home | World</nav>"
        + "<div>" * depth
        + ARTICLE_HTML
        + "</div>" * depth
        + "</body></html>"
    ).encode()


def markdown_with_huge_title(chars: int) -> bytes:
    return f"---\ntitle: {'T' * chars}\n---\n\n{ARTICLE_TEXT}\n".encode()


def markdown_backticks(count: int) -> bytes:
    return f"{ARTICLE_TEXT}\n\na{'`' * count}\n".encode()


def markdown_brackets(count: int) -> bytes:
    return f"{ARTICLE_TEXT}\n\n{'[' * count}\n".encode()


def gzip_bomb(inflated_bytes: int) -> bytes:
    """A small gzip upload that inflates to ``inflated_bytes`` of HTML."""
    unit = b"<div><p>" + b"The strike continued for another day. " * 20 + b"</p></div>"
    body = b"<html><body>" + unit * (inflated_bytes // len(unit) + 1)
    return gzip.compress(body[:inflated_bytes], compresslevel=9)
