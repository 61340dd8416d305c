"""Uploads that carry articles as records, whatever their format: JSON exports, news feeds, mailboxes.

A feed item (``cleaning.feed``) and an e-mail (``cleaning.mail``) are mapped onto a JSON export's
record (``cleaning.jsonfmt``), so one rule holds for all three: an upload is one article, an export
of several is refused, and ``article-pipeline split`` writes each record as a JSON file of its own.
"""

from __future__ import annotations

from typing import Any

from article_pipeline.cleaning.jsonfmt import JsonArticle, article_records, one_article


def export_records(text: str) -> list[dict[str, Any]]:
    """The articles of an export (JSON, a news feed, an mbox) as JSON records (what ``split`` writes)."""
    from article_pipeline.cleaning.feed import feed_records, looks_like_feed
    from article_pipeline.cleaning.mail import email_records, looks_like_email

    if looks_like_feed(text):
        return feed_records(text)
    if looks_like_email(text):
        return email_records(text)
    return article_records(text)


def parse_feed_article(text: str) -> JsonArticle:
    """A news feed of one item as that article (see ``cleaning.feed``)."""
    from article_pipeline.cleaning.feed import feed_records

    return one_article(feed_records(text), "feed", "no item with a description or content")


def parse_email_article(text: str) -> JsonArticle:
    """An e-mail (or an mbox of one) as that article (see ``cleaning.mail``)."""
    from article_pipeline.cleaning.mail import email_records

    return one_article(email_records(text), "mailbox", "no message with a text or HTML body")
