"""Pages nested deeper than libxml2 will parse: flatten them so their text is still read.

libxml2 stops building the tree 256 elements deep (2,048 with its "huge" option) and drops what is
below, so an article wrapped in thousands of ``<div>`` s reads as an empty page, though a browser
shows it. Such a page is re-written with the standard library's tokenizer (pure Python, no depth
limit, linear): tags deeper than ``MAX_DEPTH`` are dropped, their text kept, and the result parsed
again. Only pages whose parsed tree reaches the limit pay for it.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from html.parser import HTMLParser
from typing import Any

LIBXML_DEPTH_LIMIT = 256
MAX_DEPTH = 200  # far deeper than any real page's layout, well under libxml2's limit
# Kept even past the depth limit (one level of them at a time), so paragraphs and headings stay apart.
_TEXT_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dt", "dd", "figcaption"}
)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)


def reaches_depth_limit(tree: Any, limit: int = LIBXML_DEPTH_LIMIT - 6) -> bool:
    """True when the parsed tree is about as deep as libxml2 goes (so it may have dropped content).

    ``tree`` is the page's root element, at depth 1. One XPath walks the levels in C: walking the
    tree from Python built an element object per node, ~1.5% of cleaning a page.
    """
    return bool(_deeper_than(limit)(tree))


@lru_cache(maxsize=2)
def _deeper_than(limit: int) -> Any:
    """XPath: is there an element ``limit`` levels down (comments do not count, as in a tree walk)?"""
    from lxml import etree

    return etree.XPath("boolean(" + "/".join(["*"] * (limit - 1)) + ")")


class _Flattener(HTMLParser):
    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.max_depth = max_depth
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, written) for each open element
        self.deep_blocks = 0  # text blocks written past the depth limit and still open

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if len(self.open) < self.max_depth:
                self.out.append(self.get_starttag_text() or f"<{tag}>")
            return
        deep = len(self.open) >= self.max_depth
        written = not deep or (tag in _TEXT_BLOCKS and not self.deep_blocks)
        self.deep_blocks += deep and written
        if written:
            self.out.append(self.get_starttag_text() or f"<{tag}>")
        self.open.append((tag, written))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open element (unclosed <p> and <li> are common).
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                for depth, (_, written) in enumerate(self.open[index:], start=index):
                    self.deep_blocks -= depth >= self.max_depth and written
                if self.open[index][1]:
                    self.out.append(f"</{tag}>")
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))


def flatten(html: str, max_depth: int = MAX_DEPTH) -> str:
    """The page with elements deeper than ``max_depth`` unwrapped (their text kept in place)."""
    parser = _Flattener(max_depth)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
