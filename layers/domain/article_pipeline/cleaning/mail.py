"""E-mail (a newsletter, a press release): one message is an article; an mbox of several is an export.

The subject is the title, the sender's name the author, the Date header the publication date, and the
body the message's HTML part (through the HTML path) or its plain text. Mapped onto a JSON export's
record, like a feed item (``cleaning.feed``), so ``split`` and the one-article rule apply alike.

A web page saved by a browser as one file (MHTML: ``.mhtml``, ``.mht``) is MIME too, but no message:
its headers say who saved it and when, not who wrote the article and when. ``saved_page`` gives its
HTML (read as the page it is, metadata and all) and the address it was saved from.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9-]{0,40}):[ \t]*\S?")
# The headers a message has and an article that opens with "From: …" or "Date: …" does not.
_TRANSPORT = frozenset({"mime-version", "content-type", "message-id", "received", "return-path", "delivered-to"})
# Browsers write these on a page they save as MHTML (Chrome: "From: <Saved by Blink>").
_SNAPSHOT_HEADERS = frozenset({"snapshot-content-location"})
_SAVED_BY = re.compile(r"^From:\s*<?Saved by ", re.IGNORECASE | re.MULTILINE)
_MBOX_SEPARATOR = re.compile(r"(?:^|\n\n)From \S+[^\n]*\n")  # after a blank line, as mbox writes it
# What a mailing list prints around every issue: a short paragraph saying one of these is no article text.
MAIL_FURNITURE = re.compile(
    r"\bunsubscribe\b|\bview (?:this |it |the )?(?:e-?mail |message |newsletter )?(?:in|on) (?:your |a |the )?"
    r"(?:web )?browser\b|\bview (?:it |this )?online\b|\bmanage (?:your )?(?:e-?mail )?(?:preferences|subscriptions?)\b"
    r"|\bupdate your (?:e-?mail )?preferences\b|\byou (?:are|were) receiving this\b"
    r"|\byou received this (?:e-?mail|message)\b|\bforward(?:ed)? (?:this )?to a friend\b"
    r"|\badd us to your address book\b",
    re.IGNORECASE,
)
FURNITURE_MAX_WORDS = 40  # a longer paragraph that says "unsubscribe" is about it


def without_mail_furniture(blocks: list[str]) -> list[str]:
    """The blocks of a message's body without the mailing list's own lines ("Unsubscribe | View in browser")."""
    return [b for b in blocks if len(b.split()) > FURNITURE_MAX_WORDS or not MAIL_FURNITURE.search(b)]


def looks_like_email(text: str) -> bool:
    """An mbox, or a message: a block of headers at the top holding a sender, a subject or date, and a
    transport header (MIME-Version, Message-ID, Received...)."""
    head = text.lstrip("\ufeff")[:8192]
    if head.startswith("From ") and "\n" in head:
        head = head.split("\n", 1)[1]
    names = set()
    for line in head.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            break
        if line[:1] in " \t":  # a folded header's continuation
            continue
        found = _HEADER.match(line)
        if found is None:
            return False
        names.add(found.group(1).lower())
    return "from" in names and bool(names & {"subject", "date"}) and bool(names & _TRANSPORT)


def looks_like_saved_page(text: str) -> bool:
    """A web page a browser saved as one MIME file: a header block naming the page it was saved from
    (Chrome, Edge), or saying "Saved by" with a multipart/related body (Firefox add-ons, older tools)."""
    head = text.lstrip("\ufeff")[:4096].replace("\r\n", "\n").split("\n\n", 1)[0]
    names = {found.group(1).lower() for line in head.split("\n") if (found := _HEADER.match(line))}
    if names & _SNAPSHOT_HEADERS:
        return True
    return bool(_SAVED_BY.search(head)) and "multipart/related" in head.lower()


@dataclass(frozen=True)
class SavedPage:
    html: str
    url: str | None
    title: str | None  # the page's <title>, as the browser wrote it in the Subject


def saved_page(text: str) -> SavedPage:
    """The saved page's HTML and where it was saved from; NoArticleText when the file holds no HTML."""
    from article_pipeline.errors import NoArticleText

    message = email.message_from_string(text.lstrip("\ufeff").replace("\r\n", "\n"), policy=policy.default)
    if not isinstance(message, EmailMessage):
        raise NoArticleText("the saved web page holds no HTML")
    html = next((part for part in message.walk() if part.get_content_type() == "text/html"), None)
    content = _page_text(html) if html is not None else None
    if html is None or not content:
        raise NoArticleText("the saved web page holds no HTML")
    url = str(message.get("snapshot-content-location", "") or html.get("content-location", "")).strip() or None
    title = " ".join(str(message.get("subject", "")).split()) or None
    return SavedPage(content, url, title)


def _page_text(part: Any) -> str | None:
    """The HTML part's text. Browsers write no charset on it (the page's <meta> says it), so its bytes are
    decoded as any HTML upload's are, not as MIME's us-ascii default."""
    from article_pipeline.cleaning.decode import decode_bytes
    from article_pipeline.errors import InputError

    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        return None
    try:
        text = decode_bytes(raw, content_type=str(part.get("content-type", "")) or None).text
    except InputError:
        return None
    return text if text.strip() else None


def email_records(text: str) -> list[dict[str, Any]]:
    """Each message as a JSON export's record: title, author, published, url, and an ``html`` or ``text`` body."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    messages = [m for m in _MBOX_SEPARATOR.split(text) if m.strip()] if text.startswith("From ") else [text]
    records = []
    for raw in messages:
        message = email.message_from_string(raw, policy=policy.default)
        record = _record(message) if isinstance(message, EmailMessage) else {}
        if record.get("html") or record.get("text"):
            records.append(record)
    return records


def _record(message: EmailMessage) -> dict[str, Any]:
    name, address = parseaddr(str(message.get("from", "")))
    record: dict[str, Any] = {
        "title": " ".join(str(message.get("subject", "")).split()),
        "author": name or address,
        "published": _date(message.get("date")),
        "url": str(message.get("archived-at", "")).strip("<> ") or None,
        "language": str(message.get("content-language", "")).split(",")[0].strip() or None,
    }
    body = message.get_body(preferencelist=("html", "plain"))
    content = _content(body) if body is not None else None
    if body is not None and content:
        record["html" if body.get_content_subtype() == "html" else "text"] = content
    return {key: value for key, value in record.items() if value}


def _content(part: Any) -> str | None:
    """A MIME part's text, also when its charset is unknown or its transfer encoding broken."""
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        content = part.get_payload(decode=True)
        content = content.decode("utf-8", "replace") if isinstance(content, bytes) else None
    return content if isinstance(content, str) and content.strip() else None


def _date(value: Any) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value)).isoformat()
    except (TypeError, ValueError, IndexError):
        return None
