"""E-mail (a newsletter, a press release): one message is an article; an mbox of several is an export.

The subject is the title, the sender's name the author, the Date header the publication date, and the
body the message's HTML part (through the HTML path) or its plain text. Mapped onto a JSON export's
record, like a feed item (``cleaning.feed``), so ``split`` and the one-article rule apply alike.
"""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9-]{0,40}):[ \t]*\S?")
# The headers a message has and an article that opens with "From: …" or "Date: …" does not.
_TRANSPORT = frozenset({"mime-version", "content-type", "message-id", "received", "return-path", "delivered-to"})
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
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, ValueError):  # an unknown charset or a broken transfer encoding
            content = body.get_payload(decode=True)
            content = content.decode("utf-8", "replace") if isinstance(content, bytes) else None
        if isinstance(content, str) and content.strip():
            record["html" if body.get_content_subtype() == "html" else "text"] = content
    return {key: value for key, value in record.items() if value}


def _date(value: Any) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value)).isoformat()
    except (TypeError, ValueError, IndexError):
        return None
