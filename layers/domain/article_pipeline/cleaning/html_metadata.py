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
def _byline_xpaths() -> tuple[Any, Any]:
    from lxml import etree

    values = etree.XPath("|".join(f"//@{name}" for name in BYLINE_ATTRIBUTES), smart_strings=False)
    return values, etree.XPath("boolean(//author|//rel)")


def may_hold_byline(tree: Any) -> bool:
    """False when trafilatura's byline XPaths cannot match anything in the page.

    Those XPaths call Python's regular expressions once per element (~12 ms a page); this check
    reads the few attributes they test in C and runs one regular expression over them (~1 ms).
    Half the training pages of both corpora (539 of 1,043) have no byline markup at all.
    """
    values, elements = _byline_xpaths()
    return bool(elements(tree)) or BYLINE_HINTS.search("\n".join(values(tree))) is not None


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

    discard = _on_stand_ins(tree, AUTHOR_DISCARD_XPATHS[:1], DISCARD_CANDIDATES)
    prune_unwanted_nodes(tree, cast(Any, [*discard, *AUTHOR_DISCARD_XPATHS[1:]]))  # comments, related stories...
    author = extract_metainfo(tree, cast(Any, _on_stand_ins(tree, AUTHOR_XPATHS, BYLINE_CANDIDATES)), len_limit=120)
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
Originals = dict[int, tuple[Any, Any]]  # id of a stand-in -> (the stand-in, the page's element)


def _on_stand_ins(tree: Any, xpaths: list[Any], candidates: Candidates) -> list[Any]:
    """``xpaths`` as callables that run on stand-ins of ``tree``'s elements; ``xpaths`` if none can be made."""
    found = _stand_ins(tree, candidates)
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
    """A small page of copies of the ``candidates`` of ``tree``, in page order.

    Each copy has the element's tag, the candidates' attributes and the text of its <rel>
    children: all the XPaths look at, so they match the same elements among a few dozen copies
    as among the page's thousands. The copies' Python objects are kept in the returned map, so
    that their ids stay theirs. None when a tag or an attribute value cannot be copied.
    """
    from lxml import etree

    root = etree.Element("html")
    body = etree.SubElement(root, "body")
    originals: Originals = {}
    last = None
    for node in _candidates_xpath(candidates)(tree):  # attribute values (that know their element), elements
        element = cast(Any, node).getparent() if isinstance(node, str) else node
        if element is last or (isinstance(node, str) and not candidates.hints.search(node)):
            continue
        last = element
        try:
            copy = _copy_of(body, element, candidates.attributes)
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
