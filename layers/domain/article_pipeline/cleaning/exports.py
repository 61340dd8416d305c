"""Uploads that carry articles as records, whatever their format: JSON exports, news feeds, mailboxes,
news agency XML.

A feed item (``cleaning.feed``), an e-mail (``cleaning.mail``) and an NITF or NewsML-G2 story
(``cleaning.newsml``) are mapped onto a JSON export's record (``cleaning.jsonfmt``), so one rule holds
for all: an upload is one article, an export of several is refused, and ``article-pipeline split``
writes each record as a JSON file of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from article_pipeline.cleaning.feed import feed_records
from article_pipeline.cleaning.jsonfmt import JsonArticle, article_records, one_article
from article_pipeline.cleaning.mail import email_records
from article_pipeline.cleaning.newsml import newsml_records

# format -> (its records, what to call the upload, what it holds when it holds no article)
READERS: dict[str, tuple[Callable[[str], list[dict[str, Any]]], str, str]] = {
    "json": (article_records, "JSON", "no article body (looked for articleBody/body/content/text/html)"),
    "feed": (feed_records, "feed", "no item with a description or content"),
    "email": (email_records, "mailbox", "no message with a text or HTML body"),
    "newsml": (newsml_records, "NewsML message", "no story with text (NITF body.content, inline XHTML)"),
}


def export_records(text: str, fmt: str | None = None) -> list[dict[str, Any]]:
    """The articles of an export (JSON, a news feed, an mbox, NewsML) as JSON records (what ``split`` writes);
    [] for any other format. ``fmt``: the upload's format when known, else it is sniffed."""
    if fmt is None:
        from article_pipeline.cleaning.formats import sniff_format

        fmt = sniff_format(text)
    reader = READERS.get(fmt)
    return reader[0](text) if reader else []


def export_article(text: str, fmt: str) -> JsonArticle:
    """The one article of a JSON, feed, e-mail or NewsML upload: NoArticleText when it holds none,
    SeveralArticles when more (an upload is one article; reading only the first would lose the rest)."""
    records, source, none = READERS[fmt]
    return one_article(records(text), source, none)
