"""HTML pages: main text and metadata via trafilatura, with our own fallbacks.

trafilatura is the best single open extractor on news pages; we keep its choices of article text
and its metadata (title, author, htmldate's publication date, canonical URL, site name), normalise
paragraphs to our layout, and fall back to the visible text plus the line classifier when it
finds nothing.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from article_pipeline.cleaning import META_FIELDS, dom
from article_pipeline.cleaning import features as F
from article_pipeline.cleaning.html_metadata import html_metadata
from article_pipeline.cleaning.model import BlockModel, load_model
from article_pipeline.errors import NoArticleText

_LANG_ATTR = re.compile(r"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.IGNORECASE)
_CANONICAL = re.compile(r"<link\b[^>]*?\brel\s*=\s*[\"']?canonical[\"']?[^>]*?>", re.IGNORECASE)
_HREF = re.compile(r"\bhref\s*=\s*[\"']([^\"'>]+)[\"']", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")

logger = logging.getLogger(__name__)


@dataclass
class HtmlResult:
    """Main text blocks of a page and its metadata (None where unknown)."""

    blocks: list[str]
    meta: dict[str, Any] = field(default_factory=dict)


def declared_language(html: str) -> str | None:
    m = _LANG_ATTR.search(html[:5000])
    return m.group(1).lower()[:2] if m else None


def canonical_url(html: str) -> str | None:
    for m in _CANONICAL.finditer(html, 0, 200000):
        href = _HREF.search(m.group(0))
        if href and href.group(1).startswith(("http://", "https://")):
            return href.group(1).strip()
    return None


def _lines(text: str | None) -> list[str]:
    if not text:
        return []
    return [b for b in (_SPACES.sub(" ", ln).strip() for ln in text.split("\n")) if b]


HTML_EXTRA_NAMES = ("traf_cov", "traf_any", *dom.STRUCTURAL_NAMES, "attr_mean", "attr_min", "attr_max")
MAX_BLOCKS_FOR_MODEL = 20000
STRAY_WORD_MAX_CHARS = 20  # a word, not an unspaced sentence


@dataclass
class PageBlocks:
    """A page cut into DOM blocks with the model's HTML-specific inputs (before attribute scores)."""

    texts: list[str]
    extra: list[list[float]]
    attrs: list[list[str]]
    tokens: list[list[str]] | None = None  # each text's word tokens, counted once for coverage and shape


def page_blocks(root: Any, trafilatura_text: str | None) -> PageBlocks:
    """DOM blocks plus, per block, how much of it trafilatura kept and its structural facts.

    Stray words are left out (see ``_stray_words``): the model never keeps them, and without them
    its neighbour features look past a menu to the blocks around it.
    """
    found = dom.blocks_from_tree(root) if root is not None else []
    tokens = [F.word_tokens(b.text) for b in found]
    coverage = F.shingle_coverage([b.text for b in found], trafilatura_text or "", tokens=tokens)
    stray = _stray_words(found, coverage)
    kept = [i for i in range(len(found)) if i not in stray]
    extra = [[coverage[i], 1.0 if coverage[i] > 0 else 0.0, *found[i].structural_features()] for i in kept]
    return PageBlocks([found[i].text for i in kept], extra, [found[i].attrs for i in kept], [tokens[i] for i in kept])


def _stray_words(found: list[dom.Block], coverage: list[float]) -> set[int]:
    """One-word blocks that trafilatura left out, as it did the blocks on either side of them.

    Menu items, tags and buttons: over a quarter of a page's blocks, and of the model's time.
    Dropping them cost nothing in cross-validated F1 (measured with the 100-tree model: 0.9697,
    mean of five runs, against 0.9685 with them). A lone word between kept blocks (a subheading,
    a "Photo:" label) stays, and so does any longer run of characters without a space (a sentence
    in Chinese or Japanese).
    """
    last = len(found) - 1
    return {
        i
        for i, (block, covered) in enumerate(zip(found, coverage, strict=True))
        if not covered
        and len(block.text) <= STRAY_WORD_MAX_CHARS
        and " " not in block.text  # blocks are single-spaced
        and not (i > 0 and coverage[i - 1])
        and not (i < last and coverage[i + 1])
    }


def parse_page(html: str) -> Any:
    """trafilatura's own parse of the page (None when it rejects it), shared with our block walk.

    Parsing is a tenth of trafilatura's time; parsing once instead of twice is worth that much.
    """
    from article_pipeline.cleaning import deep_html

    tree = load_html(html)
    if tree is not None and deep_html.reaches_depth_limit(tree):
        # libxml2 dropped what lies deeper than its limit: read the page again, flattened.
        tree = load_html(deep_html.flatten(html))
    return tree


def load_html(html: str) -> Any:
    """``trafilatura.load_html`` of a page, step for step, with ``_html_parser``: the same tree, faster to read.

    The same repairs, parse, byte-string retry and rejection of a page that is not HTML
    (tests/unit/test_cleaning.py compares the two trees).
    """
    from lxml.html import fromstring
    from trafilatura.utils import is_dubious_html

    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = _repaired(html, beginning)
    tree = None
    parsed_bytes = False
    try:
        tree = fromstring(html, parser=_html_parser())
    except ValueError:  # a str with an encoding declaration
        tree, parsed_bytes = _parse_bytes(html), True
    except Exception as err:  # noqa: BLE001 - as trafilatura: an unparseable page is no page
        logger.debug("lxml could not parse the page: %s", err)
    if (tree is None or len(tree) < 1) and not parsed_bytes:
        tree = _parse_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


# The characters trafilatura's repair drops (its INVALID_XML_CHARS; a unit test compares the two).
_INVALID_XML_CHARS = (*map(chr, (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))), "\ufffe", "\uffff")


def _repaired(html: str, beginning: str) -> str:
    """``trafilatura.utils.repair_faulty_html``, without its character scan when there is nothing to drop.

    Its regular expression reads the whole page one character at a time (~0.8 ms for an average
    page); a substring test per character is three times faster, and real pages hold none of them.
    """
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, repair_faulty_html

    if any(map(html.__contains__, _INVALID_XML_CHARS)):
        return repair_faulty_html(html, beginning)
    # the same two repairs that follow its scan, on the page as it is
    if "doctype" in beginning:
        first_line, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", first_line, count=1) + "\n" + rest
    if any("<html" in line and line.endswith("/>") for line in html[:4096].splitlines()[:4]):
        html = FAULTY_HTML.sub(r"\1>", html, count=1)
    return html


def _parse_bytes(html: str) -> Any:
    from lxml.html import fromstring

    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=_html_parser())
    except Exception as err:  # noqa: BLE001 - as trafilatura's own retry
        logger.debug("lxml could not parse the page as bytes: %s", err)
        return None


@lru_cache(maxsize=1)
def _html_parser() -> Any:
    """trafilatura's parser settings, with lxml.html's element classes chosen in C.

    ``lxml.html.HTMLParser`` picks each element's class (HtmlElement, FormElement...) in a
    Python method, called every time Python touches an element: by trafilatura, htmldate and our
    block walk, thousands of times a page (~5% of cleaning one). The same classes are looked up
    by tag name in C here.
    """
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(
        collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
    )
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement,
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    by_tag = lookup.get_namespace(None)
    for tag, element_class in lxml_html.HtmlElementClassLookup._default_element_classes.items():
        by_tag[tag] = element_class
    parser.set_element_class_lookup(lookup)
    return parser


# Below this many characters of text from trafilatura's fast pass, run its full cascade instead.
FULL_CASCADE_BELOW_CHARS = 500


@lru_cache(maxsize=4)
def _extraction_options(fast: bool, day: str) -> Any:
    """trafilatura's options for one kind of pass, built once a day instead of once a page.

    Building them re-reads trafilatura's config, ~3% of cleaning a page. They hold htmldate's
    latest acceptable publication date (today in local time), hence the day in the cache key.
    """
    from trafilatura.settings import Extractor

    return Extractor(output_format="python", fast=fast, comments=False, with_metadata=False)


def _trafilatura_text(tree: Any) -> tuple[str | None, bool]:
    """trafilatura's article text: its fast pass; its full cascade only when that finds little or nothing.

    Returns the text and whether it came from the full cascade. The full cascade adds a comparison
    with readability and justext, which is ~45% of trafilatura's time. It exists to rescue
    under-extracted pages; otherwise it runs only when the model defers to trafilatura (see
    ``select_html_blocks``). trafilatura works on its own copy of ``tree``.
    """
    import trafilatura

    if tree is None:  # what trafilatura itself returns for a page it cannot parse
        return None, False
    day = time.strftime("%Y-%m-%d")
    text = getattr(trafilatura.bare_extraction(tree, options=_extraction_options(True, day)), "text", None)
    if not text or len(text) < FULL_CASCADE_BELOW_CHARS:
        full = cascade_text(tree)
        return (full if full is not None else text), True
    return text, False


def cascade_text(tree: Any) -> str | None:
    """trafilatura's full cascade (its own extraction compared with readability's and justext's)."""
    import trafilatura

    if tree is None:
        return None
    doc = trafilatura.bare_extraction(tree, options=_extraction_options(False, time.strftime("%Y-%m-%d")))
    return getattr(doc, "text", None) if doc is not None else None


def trafilatura_share(page: PageBlocks, keep: list[bool]) -> float:
    """How much of trafilatura's text (in characters of the blocks it covers) the kept blocks hold."""
    total = kept = 0.0
    for text, extra, k in zip(page.texts, page.extra, keep, strict=True):
        covered = len(text) * extra[0]  # extra[0]: the share of the block trafilatura kept
        total += covered
        kept += covered if k else 0.0
    return kept / total if total else 1.0


def uncovered_share(page: PageBlocks, keep: list[bool]) -> float:
    """How much of the kept text (in characters) trafilatura left out."""
    total = uncovered = 0.0
    for text, extra, k in zip(page.texts, page.extra, keep, strict=True):
        if k:
            total += len(text)
            uncovered += len(text) * (1.0 - extra[0])
    return uncovered / total if total else 0.0


DEFER_FEATURES = (
    "log_trafilatura_chars",
    "trafilatura_share_kept",
    "uncovered_share_kept",
    "log_blocks",
    "log_kept_over_trafilatura",
    "mean_p_uncovered_kept",
    "log_uncovered_kept",
    "mean_confidence",
    "share_undecided",
    "link_share_added",
    "log_chars_per_added_block",
    # agreement between the model's blocks and trafilatura's text (agreement_features)
    "overlap_with_trafilatura",
    "added_share_of_kept_blocks",
    "log_dropped_covered_blocks",
    "mean_p_dropped_covered",
    "dropped_covered_chars_share",
    "added_list_item_share",
    "added_nav_header_footer_aside_share",
    "added_heading_share",
    "added_inside_link_share",
    "added_outside_trafilatura_span",
    "short_added_share",
    "sentence_added_share",
    "log_trafilatura_lines",
)
_LINK_DENSITY = HTML_EXTRA_NAMES.index("link_density")
_COL = {name: HTML_EXTRA_NAMES.index(name) for name in HTML_EXTRA_NAMES}
_PAGE_FURNITURE = tuple(_COL[n] for n in ("in_nav", "in_header", "in_footer", "in_aside"))
SHORT_ADDED_CHARS = 60
_SENTENCE_END = (".", "!", "?", '"', "\u201d")


def defer_features(page: PageBlocks, probs: list[float], keep: list[bool], trafilatura_text: str | None) -> list[float]:
    """Page-level facts that tell when the model's choice is doubtful (DEFER_FEATURES, in order).

    How long trafilatura's text is, how much of it the model keeps, how much it adds that trafilatura
    left out (how sure it is of those additions, how much of them is link text, how long they are:
    teasers of related stories are short links), and how many of its block decisions are near 0.5;
    then how far the two outputs agree (``agreement_features``).
    """
    kept_chars = sum(len(t) for t, k in zip(page.texts, keep, strict=True) if k) or 1
    covered_chars = sum(len(t) * e[0] for t, e in zip(page.texts, page.extra, strict=True)) or 1
    added = [p for p, e, k in zip(probs, page.extra, keep, strict=True) if k and e[0] == 0]
    added_chars = [
        (len(t), e[_LINK_DENSITY]) for t, e, k in zip(page.texts, page.extra, keep, strict=True) if k and e[0] == 0
    ]
    n_added_chars = sum(c for c, _ in added_chars)
    n = len(probs) or 1
    return [
        math.log1p(len(trafilatura_text or "")),
        trafilatura_share(page, keep),
        uncovered_share(page, keep),
        math.log1p(len(page.texts)),
        math.log(kept_chars / covered_chars),
        sum(added) / len(added) if added else 1.0,
        math.log1p(len(added)),
        sum(abs(p - 0.5) for p in probs) / n,
        sum(1 for p in probs if 0.35 < p < 0.65) / n,
        sum(c * d for c, d in added_chars) / n_added_chars if n_added_chars else 0.0,
        math.log1p(n_added_chars / len(added_chars)) if added_chars else 0.0,
        *agreement_features(page, probs, keep, trafilatura_text),
    ]


def agreement_features(
    page: PageBlocks, probs: list[float], keep: list[bool], trafilatura_text: str | None
) -> list[float]:
    """How far the model's blocks and trafilatura's text agree, and what kind of blocks they differ on.

    When they mostly agree, trafilatura's text is the safer choice; when the model adds blocks
    trafilatura dropped, short, list-item, link or page-furniture additions outside the span of
    trafilatura's text are teasers and menus more often than article text.
    """
    sizes = [len(t) for t in page.texts]
    cover = [e[0] for e in page.extra]
    covered = sum(s * c for s, c in zip(sizes, cover, strict=True))
    both = sum(s * c for s, c, k in zip(sizes, cover, keep, strict=True) if k)
    either = covered + sum(s * (1 - c) for s, c, k in zip(sizes, cover, keep, strict=True) if k)
    added = [i for i, (k, c) in enumerate(zip(keep, cover, strict=True)) if k and c == 0]
    dropped = [i for i, (k, c) in enumerate(zip(keep, cover, strict=True)) if not k and c > 0]
    added_chars = sum(sizes[i] for i in added) or 1

    def added_share(columns: tuple[int, ...]) -> float:
        return sum(sizes[i] * page.extra[i][c] for i in added for c in columns) / added_chars if added else 0.0

    spans = [i for i, c in enumerate(cover) if c > 0]
    first, last = (spans[0], spans[-1]) if spans else (0, -1)
    return [
        both / either if either else 1.0,
        len(added) / (sum(keep) or 1),
        math.log1p(len(dropped)),
        sum(probs[i] for i in dropped) / len(dropped) if dropped else 0.0,
        sum(sizes[i] for i in dropped) / (covered or 1),
        added_share((_COL["tag_li"],)),
        added_share(_PAGE_FURNITURE),
        added_share((_COL["tag_h"],)),
        added_share((_COL["in_a"],)),
        sum(sizes[i] for i in added if i < first or i > last) / added_chars if added else 0.0,
        sum(1 for i in added if sizes[i] < SHORT_ADDED_CHARS) / len(added) if added else 0.0,
        sum(1 for i in added if page.texts[i].rstrip().endswith(_SENTENCE_END)) / len(added) if added else 0.0,
        math.log1p(len((trafilatura_text or "").split("\n"))),
    ]


def _defer_score(model: BlockModel, page: PageBlocks, probs: list[float], keep: list[bool], text: str | None) -> bool:
    return (
        model.defer is not None and model.defer.proba([defer_features(page, probs, keep, text)])[0] > model.defer_above
    )


def model_blocks(model: BlockModel, page: PageBlocks, trafilatura_text: str | None) -> list[str] | None:
    """The blocks the model keeps, or None when the page should be left to trafilatura.

    A block trafilatura left out needs ``model.threshold_uncovered`` to be kept, one it kept needs
    ``model.threshold``. The page is left to trafilatura when the model keeps nothing, keeps less than
    ``model.gate`` of trafilatura's text, when more than ``model.max_uncovered`` of what it keeps is
    text trafilatura left out, or when the model's own deferral score (a logistic regression on
    ``defer_features``, trained on cross-validated outcomes) says trafilatura is likely better: there,
    on pages unlike its training pages, trafilatura was more often right. All are chosen by
    cross-validation in training (scripts/train_line_classifier.py).
    """
    if not page.texts or len(page.texts) > MAX_BLOCKS_FOR_MODEL:
        return None
    trafilatura_found = bool(trafilatura_text)
    static = F.static_rows(page.texts, page.tokens) if page.tokens is not None else None
    probs = model.probabilities(page.texts, page.extra, page.attrs, static=static)
    keep = [
        p >= (model.threshold if e[0] > 0 else model.threshold_uncovered)
        for p, e in zip(probs, page.extra, strict=True)
    ]
    if not any(keep):
        return None
    if trafilatura_found and model.gate > 0 and trafilatura_share(page, keep) < model.gate:
        return None
    if trafilatura_found and uncovered_share(page, keep) > model.max_uncovered:
        return None
    if trafilatura_found and _defer_score(model, page, probs, keep, trafilatura_text):
        return None
    return [t for t, k in zip(page.texts, keep, strict=True) if k]


def select_html_blocks(
    model: BlockModel,
    page: PageBlocks,
    trafilatura_text: str | None,
    cascade: Callable[[], str | None] | None = None,
) -> list[str]:
    """The model's blocks, or trafilatura's lines where the model defers to it (see ``model_blocks``).

    When the model defers and ``model.fallback`` is "cascade", the lines are those of trafilatura's full
    cascade (``cascade()``), which cross-validates better there than its fast pass.
    """
    chosen = model_blocks(model, page, trafilatura_text)
    if chosen is not None:
        return chosen
    if cascade is not None and model.fallback == "cascade":
        return _lines(cascade()) or _lines(trafilatura_text)
    return _lines(trafilatura_text)


def read_page(html: str) -> tuple[Any, str | None, PageBlocks]:
    """The parsed page (None when trafilatura rejects it), trafilatura's text and our blocks, from one parse."""
    tree, traf_text, _, page = _read_page(html)
    return tree, traf_text, page


def _read_page(html: str) -> tuple[Any, str | None, bool, PageBlocks]:
    tree = parse_page(html)
    traf_text, from_cascade = _trafilatura_text(tree)
    root = tree if tree is not None else dom.parse(html)  # a page trafilatura rejects may still have text
    return tree, traf_text, from_cascade, page_blocks(root, traf_text)


def html_blocks_for_training(html: str) -> tuple[list[str], list[list[float]], list[list[str]]]:
    _, _, page = read_page(html)
    return page.texts, page.extra, page.attrs


def _metadata(tree: Any) -> dict[str, Any]:
    if tree is None:
        return dict.fromkeys(META_FIELDS)
    return html_metadata(tree, _extraction_options(True, time.strftime("%Y-%m-%d")).date_params)


def extract_html(html: str) -> HtmlResult:
    """Article blocks and metadata of an HTML page; raise NoArticleText when nothing is left."""
    tree, traf_text, from_cascade, page = _read_page(html)
    try:
        model: BlockModel | None = load_model("html")
    except (OSError, ValueError):  # no shipped weights: trafilatura alone is still a good extractor
        model = None

    def cascade() -> str | None:
        return traf_text if from_cascade else cascade_text(tree)

    blocks = select_html_blocks(model, page, traf_text, cascade) if model else _lines(traf_text)
    meta = _metadata(tree)  # last: it prunes the tree
    if not blocks:
        blocks = _fallback_blocks(html)
    if not blocks:
        raise NoArticleText("the HTML page has no visible article text (only markup, scripts or styles?)")
    meta["url"] = canonical_url(html) or meta.get("url")
    meta["declared_language"] = declared_language(html)
    return HtmlResult(blocks, meta)


def visible_blocks(html: str) -> list[str]:
    """All visible text of a page, one block per line (scripts, styles and hidden parts dropped)."""
    root = dom.parse(html)
    return [b.text for b in dom.blocks_from_tree(root)] if root is not None else []


def _fallback_blocks(html: str) -> list[str]:
    from article_pipeline.cleaning.text import clean_text_blocks

    return clean_text_blocks(visible_blocks(html))
