"""PDF documents (a press release, a report, a court filing): the text layer as paragraphs.

pypdf gives each page's text line by line, as the page prints it: running heads and page numbers on
every page, paragraphs broken at the margin, words hyphenated across lines. So the lines that repeat
on most pages (digits aside: "Page 3 of 12") and lone page numbers go, a line ending in a hyphen is
joined to the next, and lines run together into a paragraph until one ends a sentence well short of
the margin (or is a short line with no sentence in it: a heading). A PDF with no text layer (a
scan) has no article text; pages past MAX_PAGES are not read.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from article_pipeline.errors import NoArticleText, TooLarge, UnsupportedFormat

PDF_MAGIC = b"%PDF-"
MAX_PAGES = 200  # ~10 s of pypdf at the ingest function's CPU share, inside its 60 s
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?:…][\"'”’)\]]*$")
SHORT_OF_MARGIN = 0.8  # a sentence that ends before this share of a full line ends its paragraph
HEADING_MAX_WORDS = 12
NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}\.){1,3}\d{0,2}\.?\s+[A-Z]")  # "2. Background", "1.2. Scope"
# A document's own title property is often its file name or the program that made it.
_GENERATED_TITLE = re.compile(r"^(?:microsoft \w+ - |untitled)|\.(?:docx?|pdf|indd|odt)$", re.IGNORECASE)


@dataclass
class PdfDocument:
    paragraphs: list[str]
    meta: dict[str, str] = field(default_factory=dict)
    pages_not_read: int = 0  # past MAX_PAGES


def is_pdf(raw: bytes) -> bool:
    return raw[:1024].lstrip().startswith(PDF_MAGIC)


def read_pdf(raw: bytes, max_chars: int) -> PdfDocument:
    """The text layer as paragraphs, and the title, author and creation date the file states."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs a warning for every repair it makes to a damaged file: the outcome is what counts here
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedFormat("the PDF is encrypted with a password")
        pages = [_page_lines(page) for page in reader.pages[:MAX_PAGES]]
        pages_not_read = max(0, len(reader.pages) - MAX_PAGES)
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, NotImplementedError) as exc:
        raise UnsupportedFormat(f"the PDF could not be read: {type(exc).__name__}: {exc}"[:300]) from exc
    if sum(len(line) for lines in pages for line in lines) > max_chars:
        raise TooLarge(f"the PDF's text is over {max_chars} characters")
    lines = _without_running_lines(pages)
    if not lines:
        raise NoArticleText("the PDF has no text layer (a scanned document?)")
    document = PdfDocument(paragraphs(lines), _meta(info), pages_not_read)
    first = document.paragraphs[0]
    if "title" not in document.meta and len(first.split()) <= HEADING_MAX_WORDS and not SENTENCE_END.search(first):
        document.meta["title"] = first  # the heading the text opens with (it stays the first paragraph)
    return document


# Typographic ligatures a PDF's text layer may keep as one character ("ﬁnance"): the letters they join.
LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
)


def _page_lines(page: Any) -> list[str]:
    text = (page.extract_text() or "").translate(LIGATURES)
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _digits_folded(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _without_running_lines(pages: list[list[str]]) -> list[str]:
    """Every page's lines in order, without page numbers and the lines repeated on most pages."""
    if len(pages) >= 2:
        seen = Counter(key for lines in pages for key in {_digits_folded(line) for line in lines})
        running = {key for key, count in seen.items() if count >= max(2, len(pages) / 2)}
    else:
        running = set()
    return [
        line for lines in pages for line in lines if _digits_folded(line) not in running and not PAGE_NUMBER.match(line)
    ]


def paragraphs(lines: list[str]) -> list[str]:
    """Lines run together into paragraphs (see the module's docstring)."""
    full = _full_line_length(lines)
    found: list[str] = []
    current = ""
    for line in lines:
        numbered = bool(NUMBERED_HEADING.match(line)) and len(line) < 0.6 * full  # "1.2. What is this spec?"
        if numbered and current:
            found.append(current)  # a section starts: the paragraph before it has ended
            current = ""
        if current.endswith("-") and line[:1].islower():
            current = current[:-1] + line  # "infra-" / "structure"
        else:
            current = f"{current} {line}" if current else line
        heading = len(line.split()) <= HEADING_MAX_WORDS and not SENTENCE_END.search(line) and len(line) < 0.6 * full
        ends = bool(SENTENCE_END.search(line)) and len(line) < SHORT_OF_MARGIN * full
        heading = heading or numbered
        if heading or ends:
            found.append(current)
            current = ""
    if current:
        found.append(current)
    return found


def _full_line_length(lines: list[str]) -> float:
    """How long a line that runs to the margin is: the upper range of the longer lines' lengths."""
    lengths = sorted(len(line) for line in lines if len(line.split()) > 3)
    if not lengths:
        return float(max((len(line) for line in lines), default=1))
    return float(lengths[int(0.9 * (len(lengths) - 1))]) or statistics.fmean(lengths)


def _meta(info: Any) -> dict[str, str]:
    if info is None:
        return {}
    meta: dict[str, str] = {}
    title = str(info.get("/Title") or "").strip()
    if title and not _GENERATED_TITLE.search(title):
        meta["title"] = title
    author = str(info.get("/Author") or "").strip()
    if author:
        meta["author"] = author
    created = _pdf_date(str(info.get("/CreationDate") or ""))
    if created:
        meta["published"] = created
    return meta


_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")


def _pdf_date(value: str) -> str | None:
    """The day of a PDF date ("D:20240305100000Z" -> "2024-03-05")."""
    found = _PDF_DATE.match(value.strip())
    if found is None:
        return None
    year, month, day = found.group(1), found.group(2) or "01", found.group(3) or "01"
    return f"{year}-{month}-{day}"
