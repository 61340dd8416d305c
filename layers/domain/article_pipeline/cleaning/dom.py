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


_SKIP, _INLINE, _BLOCK, _BREAK = range(4)  # what the walk does with an element of a tag
_TAG_INFO: dict[object, tuple[str, int, int]] = {}  # lxml's tag -> (lowercase local name, kind, flag bit)


def _tag_info(raw_tag: object) -> tuple[str, int, int]:
    """An element's lowercase local name, its kind for the walk and its ancestor flag bit (cached).

    Comments and processing instructions ('' as name) are skipped.
    """
    if not isinstance(raw_tag, str):
        info = ("", _SKIP, 0)
    else:
        tag = raw_tag.rsplit("}", 1)[-1].lower()
        kind = _SKIP if tag in SKIP_TAGS else _BREAK if tag == "br" else _BLOCK if tag in BLOCK_TAGS else _INLINE
        info = (tag, kind, _FLAG_BITS.get(_FLAG_OF.get(tag, tag), 0))
    if len(_TAG_INFO) < 4096:
        _TAG_INFO[raw_tag] = info
    return info


_ATTRIBUTE_WORDS: dict[tuple[str | None, ...], list[str]] = {}


def _attribute_words(names: tuple[str | None, ...]) -> list[str]:
    """The words of an element's class, id, role and itemprop values (cached: sites repeat their classes).

    Callers must not modify the returned list.
    """
    class_, id_, role, itemprop = names
    raw = f"{class_ or ''} {id_ or ''} {role or ''} {itemprop or ''}"
    words = [t for t in _ATTR_SPLIT.split(raw.lower()) if 2 < len(t) < 25]
    if len(_ATTRIBUTE_WORDS) >= 8192:
        _ATTRIBUTE_WORDS.clear()
    _ATTRIBUTE_WORDS[names] = words
    return words


def blocks_from_tree(root: etree._Element) -> list[Block]:
    """Visible text blocks of a parsed page, in document order.

    Python runs once or twice for each of a page's thousands of elements, so the loop is kept lean:
    the open element's state in locals (its ancestors' on a stack), a tag's facts and an
    element's attribute words looked up once, white space between blocks never joined.
    """
    from lxml import etree

    out: list[Block] = []
    parts: list[str] = []
    link_chars = 0
    # The open element: its tag, cumulative flags, cumulative attribute tokens, tag of the nearest block element
    name, flags, block_tag = "#root", 0, "#root"
    attrs: list[str] = []
    enclosing: list[tuple[str, int, list[str], str]] = []  # the same for each of its ancestors

    def flush() -> None:
        nonlocal link_chars
        text = _SPACES.sub(" ", "".join(parts)).strip()
        if text:
            out.append(Block(text, block_tag, flags, len(enclosing) + 1, min(link_chars, len(text)), attrs))
        parts.clear()
        link_chars = 0  # text only counts towards it once it is in parts

    link_bit = _FLAG_BITS["a"]
    tag_info = _TAG_INFO.get
    words_of = _ATTRIBUTE_WORDS.get
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            raw_tag = el.tag
            tag, kind, bit = tag_info(raw_tag) or _tag_info(raw_tag)
            items = el.items() if kind else None  # one call: several el.get calls cost more on big pages
            own = None
            if items:
                attributes = dict(items)
                get = attributes.get
                if (
                    "hidden" in attributes
                    or (get("aria-hidden") == "true" and raw_tag != "span")
                    or ((style := get("style")) and _HIDDEN_STYLE.search(style))
                ):
                    kind = _SKIP
                else:
                    names = (get("class"), get("id"), get("role"), get("itemprop"))
                    own = words_of(names)
                    if own is None:
                        own = _attribute_words(names)
            if not kind:
                walker.skip_subtree()
                # an "end" event still comes for a skipped element; mark it so we ignore its contents
                enclosing.append((name, flags, attrs, block_tag))
                name = "#skip"
                continue
            if kind >= _BLOCK and parts:
                flush()  # the text so far belongs to the enclosing block
            enclosing.append((name, flags, attrs, block_tag))
            if kind >= _BLOCK:
                block_tag = tag
            name = tag
            flags |= bit
            if own:
                attrs = (attrs + own)[-MAX_ATTR_TOKENS:]
            text = el.text if kind != _BREAK else None
        else:
            if name == block_tag and parts:  # a block element ("#skip" carries its parent's block tag)
                flush()
            name, flags, attrs, block_tag = enclosing.pop()
            text = el.tail
        # Leading white space would be stripped from the block: most runs of it, between blocks, never get in
        if text and (parts or not text.isspace()):
            parts.append(text)
            if flags & link_bit:
                link_chars += len(text.strip())
    if parts:
        flush()
    return out
