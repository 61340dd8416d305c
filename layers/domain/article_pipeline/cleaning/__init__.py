"""Cleaning: any uploaded article (HTML, a saved web page, plain text, Markdown, JSON, a feed item, news
agency XML, captions, e-mail, Word (.docx, .doc), RTF, OpenDocument text, PDF; any encoding) to clean text + metadata.

``clean_raw`` is the one entry point. It never raises anything but the domain errors of
``article_pipeline.errors``, so the ingest handler can record a readable reason for every bad upload.
"""

from __future__ import annotations

import re
from typing import Any

from article_pipeline.cleaning.decode import (
    MAX_DECOMPRESSED_BYTES,
    Decoded,
    decode_bytes,
    decode_str,
    gunzip,
    gzip_head,
)
from article_pipeline.cleaning.doc import OLE_MAGIC, is_word97_document
from article_pipeline.cleaning.docx import ZIP_MAGIC, is_word_document
from article_pipeline.cleaning.formats import detect_format, normalise_format, sniff_format
from article_pipeline.cleaning.language import detect_language
from article_pipeline.cleaning.odt import is_open_document_text
from article_pipeline.cleaning.pdf import PDF_MAGIC, is_pdf
from article_pipeline.errors import InputError, NoArticleText, UnsupportedFormat
from article_pipeline.settings import DEFAULT_MAX_HTML_CHARS, DEFAULT_MAX_MARKDOWN_CHARS

__all__ = ["PARAGRAPH_SEPARATOR", "clean_raw"]

PARAGRAPH_SEPARATOR = "\n\n"
_WORD = re.compile(r"\w+")
META_FIELDS = ("title", "author", "published", "url", "sitename", "description")
# Longest value kept per metadata field: an upload cannot push a 500 KB "title" into the article item.
META_MAX_CHARS = {"title": 1_000, "author": 500, "published": 100, "url": 2_048, "sitename": 300, "description": 2_000}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
DOCUMENT_NAMES = {
    "docx": "Word document (.docx)",
    "doc": "Word 97-2003 document (.doc)",
    "odt": "OpenDocument text (.odt)",
    "pdf": "PDF document",
}


def clean_raw(
    raw: bytes | str,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    format: str | None = None,
    max_bytes: int = MAX_DECOMPRESSED_BYTES,
    max_html_chars: int = DEFAULT_MAX_HTML_CHARS,
    max_markdown_chars: int = DEFAULT_MAX_MARKDOWN_CHARS,
) -> dict[str, Any]:
    """Detect encoding and format, remove boilerplate, return text and metadata (see module doc).

    ``max_bytes`` caps a gzip upload's inflated size (the pipeline passes its upload limit); HTML and
    Markdown longer than ``max_html_chars`` / ``max_markdown_chars`` are parsed up to there
    (``markup_truncated_at`` in the result says where; for a PDF of more pages than are read, where
    its text stops). Raises EmptyInput, BinaryInput, UndecodableInput, UnsupportedFormat, TooLarge,
    SeveralArticles or NoArticleText.
    """
    caps = {"html": max_html_chars, "markdown": max_markdown_chars}
    try:
        return _clean(raw, filename=filename, content_type=content_type, forced=format, max_bytes=max_bytes, caps=caps)
    except InputError:
        raise
    except RecursionError as exc:
        raise UnsupportedFormat("the document is nested too deeply to parse") from exc
    except Exception as exc:
        raise NoArticleText(f"no article text could be extracted ({type(exc).__name__}: {exc})"[:500]) from exc


def _clean(
    raw: bytes | str,
    *,
    filename: str | None,
    content_type: str | None,
    forced: str | None,
    max_bytes: int,
    caps: dict[str, int],
) -> dict:
    if forced:
        forced = normalise_format(forced)
    if isinstance(raw, (bytes, bytearray, memoryview)):
        document = _document_file(bytes(raw), forced, max_bytes)  # read before decoding: they are binary
        if document is not None:
            return document
        decoded: Decoded = decode_bytes(bytes(raw), content_type=content_type, max_bytes=max_bytes)
    elif isinstance(raw, str):
        decoded = decode_str(raw)
    else:
        raise UnsupportedFormat(f"expected bytes or str, got {type(raw).__name__}")
    text = decoded.text
    fmt = detect_format(text, forced=forced, filename=filename, content_type=content_type)
    if fmt in DOCUMENT_NAMES:  # named or declared a Word or OpenDocument text or a PDF, but not one
        if forced:
            raise UnsupportedFormat(f"the upload is no {DOCUMENT_NAMES[fmt]}")
        fmt = sniff_format(text)
    truncated: list[int] = []  # where markup was cut before parsing, if it was

    def capped(markup: str, kind: str) -> str:
        if len(markup) <= caps[kind]:
            return markup
        markup = _cut_markup(markup, caps[kind], kind)
        truncated.append(len(markup))
        return markup

    meta: dict[str, Any] = {}
    declared_language: str | None = None
    if fmt in ("json", "feed", "email", "newsml"):
        from article_pipeline.cleaning.exports import export_article

        article = export_article(text, fmt)
        meta.update(article.meta)
        if article.html:
            blocks, html_meta = _html(capped(article.html, "html"))
            declared_language = html_meta.pop("declared_language", None)
            for key, value in html_meta.items():
                if not meta.get(key):
                    meta[key] = value
        else:
            from article_pipeline.cleaning.text import text_blocks

            blocks = text_blocks(article.text or "")
        if fmt == "email":
            from article_pipeline.cleaning.mail import without_mail_furniture

            blocks = without_mail_furniture(blocks)
    elif fmt == "html":
        blocks, meta = _html(capped(text, "html"))
        declared_language = meta.pop("declared_language", None)
    elif fmt == "mhtml":  # a page saved by a browser: the page's own metadata, not who saved it when
        from article_pipeline.cleaning.mail import saved_page

        page = saved_page(text)
        blocks, meta = _html(capped(page.html, "html"))
        declared_language = meta.pop("declared_language", None)
        meta["url"] = meta.get("url") or page.url
        meta["title"] = meta.get("title") or page.title
    elif fmt == "captions":
        from article_pipeline.cleaning.captions import caption_paragraphs
        from article_pipeline.cleaning.captions import declared_language as caption_language

        blocks = caption_paragraphs(text)
        declared_language = caption_language(text)
    elif fmt == "markdown":
        from article_pipeline.cleaning.markdown import article_blocks, front_matter, markdown_blocks
        from article_pipeline.cleaning.text import clean_text_blocks

        meta, body = front_matter(text)
        blocks = article_blocks(markdown_blocks(capped(body, "markdown")), clean_text_blocks)
        if blocks and not meta.get("title") and re.match(r"^\s{0,3}#\s", body.lstrip("\n")):
            meta["title"] = blocks[0]
    elif fmt == "rtf":
        from article_pipeline.cleaning.rtf import read_rtf

        rtf = read_rtf(text)
        blocks, meta = _document_text(rtf.text, dict(rtf.meta))
    else:
        blocks, meta = _plain_text(text, meta)
    return _result(blocks, meta, fmt, decoded.encoding, declared_language, truncated[0] if truncated else None)


def _document_text(text: str, meta: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """A word processor's paragraphs, all kept (a document has no page furniture, as with .docx and .odt);
    a first paragraph shaped like a headline is the title when the file's properties name none."""
    from article_pipeline.cleaning.headline import has_headline_shape
    from article_pipeline.cleaning.text import text_blocks

    blocks = text_blocks(text)
    if not meta.get("title") and len(blocks) > 1 and has_headline_shape(blocks[0]):
        meta["title"] = blocks[0]
    return blocks, meta


def _plain_text(text: str, meta: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """A plain-text body's paragraphs, boilerplate lines dropped; its headline is the title."""
    from article_pipeline.cleaning.headline import plain_text_headline
    from article_pipeline.cleaning.text import clean_text_blocks, text_blocks

    lines = text_blocks(text)
    blocks = clean_text_blocks(lines)
    headline = plain_text_headline(lines, blocks)
    if headline:  # the body's first paragraph too: it is the article's first sentence, often a claim
        meta["title"] = headline
        blocks = [headline, *blocks]
    return blocks, meta


def _document_file(raw: bytes, forced: str | None, max_bytes: int) -> dict[str, Any] | None:
    """A Word (.docx, .doc) or OpenDocument text or a PDF (gzip-compressed or not), cleaned; None otherwise."""
    if (
        raw.startswith(b"\x1f\x8b")
        and forced in (None, *DOCUMENT_NAMES)
        and gzip_head(raw).startswith((ZIP_MAGIC, PDF_MAGIC, OLE_MAGIC))
    ):
        raw = gunzip(raw, max_bytes)
    if forced in (None, "docx") and is_word_document(raw):
        from article_pipeline.cleaning.docx import read_docx

        document = read_docx(raw, max_bytes)
        return _result(document.paragraphs, dict(document.meta), "docx", "utf-8", None, None)
    if forced in (None, "doc") and is_word97_document(raw):
        from article_pipeline.cleaning.doc import read_doc

        doc = read_doc(raw)
        blocks, meta = _document_text(doc.text, dict(doc.meta))
        return _result(blocks, meta, "doc", "utf-8", None, None)
    if forced in (None, "odt") and is_open_document_text(raw):
        from article_pipeline.cleaning.odt import read_odt

        document = read_odt(raw, max_bytes)
        return _result(document.paragraphs, dict(document.meta), "odt", "utf-8", None, None)
    if forced in (None, "pdf") and is_pdf(raw):
        from article_pipeline.cleaning.pdf import read_pdf

        pdf = read_pdf(raw, max_bytes)
        read_to = len(PARAGRAPH_SEPARATOR.join(pdf.paragraphs)) if pdf.pages_not_read else None  # pages left out
        return _result(pdf.paragraphs, dict(pdf.meta), "pdf", "utf-8", None, read_to)
    return None


def _result(
    blocks: list[str],
    meta: dict[str, Any],
    fmt: str,
    encoding: str,
    declared_language: str | None,
    truncated_at: int | None,
) -> dict[str, Any]:
    """The clean document: the blocks joined as paragraphs, its metadata capped, language and word count."""
    body_text = PARAGRAPH_SEPARATOR.join(b for b in blocks if b)
    if not _WORD.search(body_text):
        raise NoArticleText(f"no article text is left after cleaning this {fmt} document")
    language = _language(meta.pop("language", None), body_text, declared_language)
    result: dict[str, Any] = {"text": body_text, "format": fmt, "encoding": encoding}
    for key in META_FIELDS:
        value, cap = meta.get(key), META_MAX_CHARS[key]
        text = " ".join(str(value)[: cap * 2].split()) if value not in (None, "") else ""
        result[key] = text[:cap] or None
    result["markup_truncated_at"] = truncated_at
    result["published"] = _iso_date(result["published"])
    result["language"] = language
    result["word_count"] = len(_WORD.findall(body_text))
    return result


def _cut_markup(text: str, limit: int, fmt: str) -> str:
    """The markup up to ``limit`` characters, cut before a tag (HTML) or at a line break (Markdown)."""
    boundary = "<" if fmt == "html" else "\n"
    cut = text.rfind(boundary, limit // 2, limit)
    return text[: cut if cut > 0 else limit]


def _html(html: str) -> tuple[list[str], dict[str, Any]]:
    from article_pipeline.cleaning.html import extract_html

    found = extract_html(html)
    return found.blocks, found.meta


def _language(given: Any, text: str, declared: str | None) -> str | None:
    detected = detect_language(text)
    if detected:
        return detected
    for candidate in (given, declared):
        if isinstance(candidate, str) and re.match(r"^[A-Za-z]{2}(?:$|[-_])", candidate.strip()):
            return candidate.strip()[:2].lower()
    return None


def _iso_date(value: str | None) -> str | None:
    """ISO 8601 for dates given in other formats (JSON exports, front matter); None when unparseable."""
    if not value:
        return None
    value = value.strip()
    if _ISO_DATE.match(value):
        return value
    if value.isdigit() and len(value) in (10, 13):  # Unix epoch seconds or milliseconds
        from datetime import UTC, datetime

        return datetime.fromtimestamp(int(value[:10]), tz=UTC).isoformat()
    try:
        from dateutil import parser  # a dependency of htmldate

        parsed = parser.parse(value)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.hour == parsed.minute == parsed.second == 0 and ":" not in value:
        return parsed.date().isoformat()
    return parsed.isoformat()


def preload() -> None:
    """Import trafilatura and load both block models now, so Lambda's init pays, not the first article."""
    import trafilatura  # noqa: F401

    from article_pipeline.cleaning.model import load_model

    for name in ("html", "text"):
        load_model(name)
