"""Title, author, publication date, URL, site name and description of an HTML page.

trafilatura's field extractors and htmldate do the reading. We call them ourselves rather than
through ``trafilatura.extract_metadata`` because that also works out categories, tags, a licence
and the host name, which we do not keep (a quarter of its time), and copies the whole tree to
look for an author (another third on pages whose meta tags name none). Here the author search
runs last, on the page's own tree, once nothing else needs it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from article_pipeline.cleaning import META_FIELDS

logger = logging.getLogger(__name__)


def html_metadata(tree: Any, date_params: dict[str, Any]) -> dict[str, str | None]:
    """The page's metadata (None where unknown). Consumes ``tree``: the page is pruned in place.

    ``date_params`` are htmldate's settings (trafilatura's ``Extractor.date_params``). A page that
    trips the extractors keeps its text: its metadata is then unknown, and a warning says why.
    """
    try:
        return _read_metadata(tree, date_params)
    except (TypeError, ValueError, AttributeError) as err:
        logger.warning("page metadata unreadable, left unknown: %s", err)
        return dict.fromkeys(META_FIELDS)


def _read_metadata(tree: Any, date_params: dict[str, Any]) -> dict[str, str | None]:
    from htmldate import find_date
    from trafilatura import metadata as found_in

    found = found_in.examine_meta(tree)  # OpenGraph and the other <meta> tags
    if found.author and " " not in found.author:  # a one-word author in a meta tag is a handle or a role
        found.author = None
    try:
        found = found_in.extract_meta_json(tree, found)  # JSON-LD overrides the meta tags
    except Exception as err:  # noqa: BLE001 - a malformed JSON-LD block must not cost the page its text
        logger.debug("JSON-LD metadata unreadable: %s", err)
    found.title = found.title or found_in.extract_title(tree)
    found.url = found.url or found_in.extract_url(tree)
    found.date = find_date(tree, **{**date_params, "url": found.url})
    found.sitename = _site_name(found.sitename or found_in.extract_sitename(tree), found.url)
    if not found.author:
        found.author = _author_in_page(tree)
    found.clean_and_trim()  # entities unescaped, whitespace and control characters removed, length capped
    values = (found.title, found.author, found.date, found.url, found.sitename, found.description)
    return {name: _text_or_none(value) for name, value in zip(META_FIELDS, values, strict=True)}


def _text_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _site_name(name: str | None, url: str | None) -> str | None:
    """A site's name as people write it: no Twitter '@', capitalised; else the URL's host."""
    if name:
        name = name.lstrip("@")
        if name and "." not in name and not name[0].isupper():
            name = name.title()
        return name or None
    from trafilatura.metadata import META_URL

    host = META_URL.match(url) if url else None
    return host[1] if host else None


# Every attribute value that trafilatura's byline XPaths (AUTHOR_XPATHS) test for holds one of these
# (its classes, ids, itemprops, rels and test ids for bylines); their other tests need an <author> or
# <rel> element. tests/unit/test_cleaning.py checks this against the XPaths' own literals.
BYLINE_HINTS = re.compile(
    "uthor|yline|byl|BBL|username|screenname|writer|channel-name|submitted-by|posted-by|journalist-name"
    "|zuozhe|bianji|xiaobian"
)
BYLINE_ATTRIBUTES = ("class", "id", "itemprop", "rel", "data-testid", "data-component")


@lru_cache(maxsize=1)
def _byline_xpaths() -> tuple[tuple[Any, ...], Any]:
    from lxml import etree

    values = tuple(etree.XPath(f"//@{name}", smart_strings=False) for name in BYLINE_ATTRIBUTES)
    return values, etree.XPath("boolean(//author|//rel)")


def may_hold_byline(tree: Any) -> bool:
    """False when trafilatura's byline XPaths cannot match anything in the page.

    Those XPaths call Python's regular expressions once per element (~12 ms a page); this check
    reads the few attributes they test in C and runs one regular expression over them (~1 ms).
    Half the training pages of both corpora (539 of 1,043) have no byline markup at all. One
    XPath per attribute: their union cost more, in sorting the values into page order.
    """
    values, elements = _byline_xpaths()
    return bool(elements(tree)) or any(BYLINE_HINTS.search("\n".join(of_name(tree))) for of_name in values)


def _author_in_page(tree: Any) -> str | None:
    """A byline found in the page body, after dropping the parts that name other people.

    trafilatura's XPaths for both steps are run on stand-in copies (``_stand_ins``) of the few
    elements they could match, which is where their time went; a page whose candidates cannot
    be copied is read whole.
    """
    if not may_hold_byline(tree):
        return None
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.metadata import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS, extract_metainfo, normalize_authors

    found = _both_candidates(tree)
    discard_elements, byline_elements = found if found else (None, None)
    discard = _on_stand_ins(tree, AUTHOR_DISCARD_XPATHS[:1], DISCARD_CANDIDATES, discard_elements)
    prune_unwanted_nodes(tree, cast(Any, [*discard, *AUTHOR_DISCARD_XPATHS[1:]]))  # comments, related stories...
    if byline_elements is not None:  # those the pruning left in the page
        byline_elements = [element for element in byline_elements if _top(element) is tree]
    byline = _on_stand_ins(tree, AUTHOR_XPATHS, BYLINE_CANDIDATES, byline_elements)
    author = extract_metainfo(tree, cast(Any, byline), len_limit=120)
    return normalize_authors(None, author) if author else None


@dataclass(frozen=True)
class Candidates:
    """The elements some XPaths could match: those with a value of ``attributes`` that holds one of
    ``hints`` (``scope``: "//" for the whole page, ".//*/" for below its root element, as the XPaths
    look), and those the XPath union ``more`` selects."""

    scope: str
    attributes: tuple[str, ...]
    hints: re.Pattern[str]
    more: str = ""


BYLINE_CANDIDATES = Candidates("//", BYLINE_ATTRIBUTES, BYLINE_HINTS, "|//author|//rel/..")
# trafilatura's XPath for the parts of a page whose names are not the author's (comments, sidebars,
# quotes, dates, figures...) tests these attributes, and every value it looks for holds one of these.
DISCARD_HINTS = re.compile(
    "omment|title|date|ProductReviews|sidebar|is-hidden|quote|embedly-instagram|article-share"
    "|article-support|print|category|meta-reviewer|Figure"
)
DISCARD_CANDIDATES = Candidates(".//*/", ("id", "class", "data-component"), DISCARD_HINTS)
EITHER_HINTS = re.compile(f"{BYLINE_HINTS.pattern}|{DISCARD_HINTS.pattern}")
Originals = dict[int, tuple[Any, Any]]  # id of a stand-in -> (the stand-in, the page's element)


def _on_stand_ins(tree: Any, xpaths: list[Any], candidates: Candidates, elements: list[Any] | None = None) -> list[Any]:
    """``xpaths`` as callables that run on stand-ins of ``tree``'s elements; ``xpaths`` if none can be made.

    ``elements``: the ``candidates`` of ``tree``, when the caller has found them already.
    """
    found = _stand_ins(tree, candidates) if elements is None else _copies(elements, candidates.attributes)
    if found is None:
        return xpaths
    stand_ins, originals = found
    return [_mapped(xpath, stand_ins, originals) for xpath in xpaths]


def _mapped(xpath: Any, stand_ins: Any, originals: Originals) -> Callable[[Any], list[Any]]:
    """``xpath`` run on the stand-ins, answering with the page's own elements (in page order)."""
    return lambda _page: [originals[id(copy)][1] for copy in xpath(stand_ins)]


@lru_cache(maxsize=4)
def _candidates_xpath(candidates: Candidates) -> Any:
    from lxml import etree

    return etree.XPath("|".join(f"{candidates.scope}@{name}" for name in candidates.attributes) + candidates.more)


def _stand_ins(tree: Any, candidates: Candidates) -> tuple[Any, Originals] | None:
    """A small page of copies of the ``candidates`` of ``tree``, in page order (see ``_copies``)."""
    return _copies(_candidate_elements(tree, candidates), candidates.attributes)


def _candidate_elements(tree: Any, candidates: Candidates) -> list[Any]:
    """The elements of ``tree`` that ``candidates`` names, in page order."""
    found = []
    last = None
    for node in _candidates_xpath(candidates)(tree):  # attribute values (that know their element), elements
        element = cast(Any, node).getparent() if isinstance(node, str) else node
        if element is last or (isinstance(node, str) and not candidates.hints.search(node)):
            continue
        last = element
        found.append(element)
    return found


def _both_candidates(tree: Any) -> tuple[list[Any], list[Any]] | None:
    """``_candidate_elements`` for DISCARD_CANDIDATES and BYLINE_CANDIDATES, from one reading of the page.

    The byline attributes include the discard ones, so one XPath yields both sets; reading the
    page's attributes is most of the cost of each. The discard XPath looks below ``tree`` and the
    byline ones at the whole document: the same elements when ``tree`` is the document's only
    top-level element (None when not: libxml2 may leave a second <html> beside the first).
    """
    if tree.getparent() is not None or tree.getprevious() is not None or tree.getnext() is not None:
        return None
    discard: list[Any] = []
    byline: list[Any] = []
    last_discard = last_byline = None
    discard_names = DISCARD_CANDIDATES.attributes
    for node in _candidates_xpath(BYLINE_CANDIDATES)(tree):
        if not isinstance(node, str):  # an <author> or a <rel>'s parent
            if node is not last_byline:
                byline.append(node)
                last_byline = node
            continue
        if not EITHER_HINTS.search(node):
            continue
        element = cast(Any, node).getparent()
        if element is not last_byline and BYLINE_HINTS.search(node):
            byline.append(element)
            last_byline = element
        if (
            element is not last_discard
            and element is not tree
            and cast(Any, node).attrname in discard_names
            and DISCARD_HINTS.search(node)
        ):
            discard.append(element)
            last_discard = element
    return discard, byline


def _top(element: Any) -> Any:
    """The outermost element above ``element`` (itself at the top): the page's root unless pruned away."""
    top = element
    for top in element.iterancestors():  # noqa: B007 - the last one is wanted
        pass
    return top


def _copies(elements: list[Any], attributes: tuple[str, ...]) -> tuple[Any, Originals] | None:
    """A small page of copies of ``elements``, in their order.

    Each copy has the element's tag, the candidates' attributes and the text of its <rel>
    children: all the XPaths look at, so they match the same elements among a few dozen copies
    as among the page's thousands. The copies' Python objects are kept in the returned map, so
    that their ids stay theirs. None when a tag or an attribute value cannot be copied.
    """
    from lxml import etree

    root = etree.Element("html")
    body = etree.SubElement(root, "body")
    originals: Originals = {}
    for element in elements:
        try:
            copy = _copy_of(body, element, attributes)
        except (ValueError, TypeError):
            return None
        originals[id(copy)] = (copy, element)
    return root, originals


def _copy_of(parent: Any, element: Any, attributes: tuple[str, ...]) -> Any:
    from lxml import etree

    values = {name: value for name in attributes if (value := element.get(name)) is not None}
    copy = etree.SubElement(parent, element.tag, values)
    for rel in element.iterchildren("rel"):
        etree.SubElement(copy, "rel").text = rel.xpath("string()")
    return copy
