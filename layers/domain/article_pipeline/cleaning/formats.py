"""Decide whether an upload is HTML, plain text, Markdown, JSON, a feed (RSS, Atom), news agency XML
(NITF, NewsML-G2), captions (WebVTT, SRT), e-mail, a web page saved as MHTML or RTF (Word and
OpenDocument texts and PDFs are recognised before decoding, in ``clean_raw``).

The order is: an explicit ``format`` argument, the file extension, the Content-Type, then the content
itself, because extensions and headers are usually right but sometimes missing or generic. RTF is the
exception: a file that opens as RTF is RTF whatever its name says (TextEdit and Word save it as .txt too).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from article_pipeline.cleaning.captions import looks_like_captions
from article_pipeline.cleaning.feed import looks_like_feed
from article_pipeline.cleaning.mail import looks_like_email, looks_like_saved_page
from article_pipeline.cleaning.newsml import looks_like_newsml
from article_pipeline.cleaning.rtf import looks_like_rtf
from article_pipeline.errors import UnsupportedFormat

FORMATS = (
    "html",
    "text",
    "markdown",
    "json",
    "feed",
    "captions",
    "email",
    "docx",
    "doc",
    "odt",
    "pdf",
    "rtf",
    "mhtml",
    "newsml",
)

_ALIASES = {
    "html": "html",
    "htm": "html",
    "xhtml": "html",
    "xht": "html",
    "shtml": "html",
    "xhtml+xml": "html",
    "text": "text",
    "txt": "text",
    "plain": "text",
    "plaintext": "text",
    "markdown": "markdown",
    "md": "markdown",
    "mkd": "markdown",
    "mdown": "markdown",
    "mkdn": "markdown",
    "x-markdown": "markdown",
    "json": "json",
    "jsonl": "json",
    "ndjson": "json",
    "ld+json": "json",
    "x-ndjson": "json",
    "feed": "feed",
    "rss": "feed",
    "atom": "feed",
    "rss+xml": "feed",
    "atom+xml": "feed",
    "captions": "captions",
    "vtt": "captions",
    "webvtt": "captions",
    "srt": "captions",
    "x-subrip": "captions",
    "email": "email",
    "eml": "email",
    "mbox": "email",
    "rfc822": "email",
    "docx": "docx",
    "doc": "doc",
    "odt": "odt",
    "pdf": "pdf",
    "rtf": "rtf",
    "mhtml": "mhtml",
    "mht": "mhtml",
    "newsml": "newsml",
    "nitf": "newsml",
    "nitf+xml": "newsml",
}
_COMPRESSION_SUFFIXES = (".gz", ".gzip")

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|\?xml)",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|h[1-6]|article|section|body|table|li|ul|img|meta|script)\b[^>]*>", re.IGNORECASE
)
_MD_SIGNALS = (
    re.compile(r"^#{1,6}\s+\S", re.MULTILINE),
    re.compile(r"^```", re.MULTILINE),
    re.compile(r"!?\[[^\]\n]{1,300}\]\([^)\s]{1,500}\)"),
    re.compile(r"(?<![\w*])\*\*[^*\n]{1,200}\*\*(?![\w*])"),
    re.compile(r"^\s{0,3}[-*+]\s+\S", re.MULTILINE),
    re.compile(r"^\s{0,3}>\s?\S", re.MULTILINE),
    re.compile(r"^(?:=+|-+)\s*$", re.MULTILINE),
    re.compile(r"^\[[^\]\n]+\]:\s+\S", re.MULTILINE),
)


def normalise_format(name: str) -> str:
    """Map a format name or alias to one of FORMATS, or raise UnsupportedFormat."""
    key = name.strip().lower().lstrip(".")
    if key not in _ALIASES:
        raise UnsupportedFormat(f"unsupported format {name!r}: expected one of {', '.join(FORMATS)}")
    return _ALIASES[key]


def format_from_filename(filename: str | None) -> str | None:
    if not filename:
        return None
    name = filename.rsplit("/", 1)[-1].lower()
    for suffix in _COMPRESSION_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if "." not in name:
        return None
    return _ALIASES.get(name.rsplit(".", 1)[-1])


def format_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    if "/" not in mime:
        return None
    major, minor = mime.split("/", 1)
    if minor in ("html", "xhtml+xml"):
        return "html"
    if minor in ("markdown", "x-markdown"):
        return "markdown"
    if minor in ("rss+xml", "atom+xml"):
        return "feed"
    if minor in ("vtt", "x-subrip"):
        return "captions"
    if mime in ("message/rfc822", "application/mbox"):
        return "email"
    if minor == "rtf":  # application/rtf, text/rtf
        return "rtf"
    if mime in ("multipart/related", "application/x-mimearchive", "message/mhtml"):
        return "mhtml"
    if minor == "nitf+xml" or minor.startswith("vnd.iptc.g2."):  # NITF, NewsML-G2 items and messages
        return "newsml"
    if minor in ("json", "ld+json", "x-ndjson", "ndjson") or minor.endswith("+json"):
        return "json"
    if major == "text" and minor == "plain":
        return "text"
    return None


# Formats told by the first 4 KB alone, in this order (a saved page's MIME headers before an e-mail's).
_HEAD_SNIFFERS: tuple[tuple[Callable[[str], bool], str], ...] = (
    (looks_like_rtf, "rtf"),
    (looks_like_feed, "feed"),
    (looks_like_newsml, "newsml"),
    (looks_like_captions, "captions"),
    (looks_like_saved_page, "mhtml"),
    (looks_like_email, "email"),
)


def sniff_format(text: str) -> str:
    """Guess the format from the content alone."""
    head = text[:4096]
    stripped = head.lstrip()
    for looks_like, fmt in _HEAD_SNIFFERS:
        if looks_like(head):
            return fmt
    if _HTML_START.match(head):
        return "html"
    if stripped[:1] in ("{", "[") and _looks_like_json(text):
        return "json"
    if len(_HTML_TAG.findall(text[:20000])) >= 3:
        return "html"
    sample = text[:20000]
    hits = sum(1 for pattern in _MD_SIGNALS if pattern.search(sample))
    if hits >= 2:
        return "markdown"
    return "text"


def _looks_like_json(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except ValueError:
        first = text.lstrip().split("\n", 1)[0]
        try:  # JSON lines: one object per line
            json.loads(first)
            return True
        except ValueError:
            return False
    except RecursionError:
        return False


def detect_format(
    text: str, *, forced: str | None = None, filename: str | None = None, content_type: str | None = None
) -> str:
    """The format to parse ``text`` as, from the strongest signal available."""
    if forced:
        return normalise_format(forced)
    if looks_like_rtf(text):  # RTF saved as .txt or sent as text/plain is still RTF, never prose
        return "rtf"
    return format_from_filename(filename) or format_from_content_type(content_type) or sniff_format(text)
