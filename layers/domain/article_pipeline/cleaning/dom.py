"""Split an HTML page into visible text blocks, each with the structural facts the classifier uses.

A single non-recursive pass (lxml ``iterwalk``) so that deeply nested or huge pages stay linear and
never hit Python's recursion limit. Scripts, styles, forms' option lists and hidden elements are
skipped; block-level elements and ``<br>`` start new blocks, inline elements are joined.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml comes with ExtractLayer: imported where a page is parsed, not with the module
    from lxml import etree

SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "head",
        "iframe",
        "object",
        "embed",
        "select",
        "option",
        "datalist",
        "canvas",
        "video",
        "audio",
        "map",
        "button",
        "input",
        "textarea",
    }
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "td",
        "th",
        "tr",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "article",
        "section",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "form",
        "fieldset",
        "legend",
        "address",
        "hr",
        "details",
        "summary",
        "body",
        "html",
        "center",
        "dialog",
        "menu",
        "label",
        "noscript",
        "picture",
    }
)
_TAG_GROUPS = {
    "p": "p",
    "h1": "h",
    "h2": "h",
    "h3": "h",
    "h4": "h",
    "h5": "h",
    "h6": "h",
    "li": "li",
    "dd": "li",
    "dt": "li",
    "td": "td",
    "th": "td",
    "caption": "td",
    "blockquote": "quote",
    "pre": "pre",
    "figcaption": "caption",
    "legend": "caption",
}
TAG_FEATURES = ("p", "h", "li", "td", "quote", "pre", "caption", "other")
ANCESTOR_FLAGS = (
    "article",
    "main",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "figure",
    "ul",
    "table",
    "a",
    "blockquote",
)
_FLAG_OF = {"ol": "ul", "dl": "ul", "menu": "ul", "q": "blockquote"}
_FLAG_BITS = {name: 1 << i for i, name in enumerate(ANCESTOR_FLAGS)}
_ATTR_SPLIT = re.compile(r"[^a-z]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
MAX_ATTR_TOKENS = 24


@dataclass
class Block:
    """One visible text block and where it sits in the page."""

    text: str
    tag: str
    flags: int
    depth: int
    link_chars: int
    attrs: list[str] = field(default_factory=list)

    def structural_features(self) -> list[float]:
        return [
            *_tag_and_ancestor_features(self.tag, self.flags),
            self.link_chars / max(1, len(self.text)),
            math.log1p(self.depth),
        ]


@lru_cache(maxsize=1024)
def _tag_and_ancestor_features(tag: str, flags: int) -> tuple[float, ...]:
    """One-hot tag group and ancestor flags; a page has only a few distinct (tag, flags) pairs."""
    group = _TAG_GROUPS.get(tag, "other")
    return (
        *(1.0 if group == name else 0.0 for name in TAG_FEATURES),
        *(1.0 if flags & _FLAG_BITS[name] else 0.0 for name in ANCESTOR_FLAGS),
    )


STRUCTURAL_NAMES = (
    *(f"tag_{t}" for t in TAG_FEATURES),
    *(f"in_{f}" for f in ANCESTOR_FLAGS),
    "link_density",
    "log_depth",
)


def parse(html: str) -> etree._Element | None:
    """Parse forgivingly; None when lxml finds no document at all."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        data = html.encode("utf-8", "replace")
        parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        return lxml_html.fromstring(data, parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None


_TAG_NAMES: dict[str, str] = {}  # lxml's tag -> lowercase local name, for the tags pages keep repeating


def _tag_name(raw_tag: object) -> str:
    """Lowercase local name of an element's tag; '' for comments and processing instructions."""
    if not isinstance(raw_tag, str):
        return ""
    name = raw_tag.rsplit("}", 1)[-1].lower()
    if len(_TAG_NAMES) < 4096:
        _TAG_NAMES[raw_tag] = name
    return name


def _attr_tokens(attrs: dict[str, str]) -> list[str]:
    get = attrs.get
    return _words_of_attributes(f"{get('class') or ''} {get('id') or ''} {get('role') or ''} {get('itemprop') or ''}")


@lru_cache(maxsize=4096)
def _words_of_attributes(raw: str) -> list[str]:
    """The words of class/id/role/itemprop values; cached, as sites repeat the same classes a lot.

    Callers must not modify the returned list.
    """
    return [t for t in _ATTR_SPLIT.split(raw.lower()) if 2 < len(t) < 25]


def _hidden(attrs: dict[str, str], tag: str) -> bool:
    if attrs.get("hidden") is not None or (attrs.get("aria-hidden") == "true" and tag != "span"):
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def blocks_from_tree(root: etree._Element) -> list[Block]:
    """Visible text blocks of a parsed page, in document order."""
    out: list[Block] = []
    parts: list[str] = []
    link_chars = 0
    # Stack entries: (tag, cumulative flags, cumulative attribute tokens, tag of the nearest block element)
    stack: list[tuple[str, int, list[str], str]] = [("#root", 0, [], "#root")]

    def flush() -> None:
        nonlocal link_chars
        if parts:
            text = _SPACES.sub(" ", "".join(parts)).strip()
            if text:
                _, flags, attrs, block_tag = stack[-1]
                out.append(Block(text, block_tag, flags, len(stack), min(link_chars, len(text)), attrs))
            parts.clear()
        link_chars = 0

    link_bit = _FLAG_BITS["a"]
    from lxml import etree

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            raw_tag = el.tag
            tag = _TAG_NAMES.get(raw_tag) or _tag_name(raw_tag)
            items = el.items() if tag else None  # one call: several el.get calls cost more on big pages
            attributes = dict(items) if items else None
            _, parent_flags, parent_attrs, block_tag = stack[-1]
            if not tag or tag in SKIP_TAGS or (attributes and _hidden(attributes, raw_tag)):
                walker.skip_subtree()
                # an "end" event still comes for a skipped element; mark it so we ignore its contents
                stack.append(("#skip", parent_flags, parent_attrs, block_tag))
                continue
            if tag in BLOCK_TAGS or tag == "br":
                flush()
                block_tag = tag
            flags = parent_flags | _FLAG_BITS.get(_FLAG_OF.get(tag, tag), 0)
            own = _attr_tokens(attributes) if attributes else None
            attrs = (parent_attrs + own)[-MAX_ATTR_TOKENS:] if own else parent_attrs
            stack.append((tag, flags, attrs, block_tag))
            text = el.text if tag != "br" else None
        else:
            name, _, _, block_tag = stack[-1]
            if name == block_tag:  # a block element ("#skip" carries its parent's block tag)
                flush()
            stack.pop()
            flags = stack[-1][1]
            text = el.tail
        if text:
            parts.append(text)
            if flags & link_bit:
                link_chars += len(text.strip())
    flush()
    return out
