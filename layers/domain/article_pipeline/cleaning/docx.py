"""Word documents (.docx): a press release or a statement as its paragraphs, title and author.

A .docx is a ZIP archive whose ``word/document.xml`` holds the body, paragraph by paragraph, and whose
``docProps/core.xml`` holds the title, author and dates. Reading the paragraphs' text takes the
standard library's ``zipfile`` and the lxml the ingest function already has; nothing else of the
format matters here. The archive is checked before it is inflated: a body bigger than the upload
limit is refused, never read.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from article_pipeline.errors import TooLarge, UnsupportedFormat

ZIP_MAGIC = b"PK\x03\x04"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
BODY = "word/document.xml"
PROPERTIES = "docProps/core.xml"
TITLE_STYLES = frozenset({"title", "heading1"})


@dataclass
class OfficeDocument:
    """A Word or OpenDocument text's paragraphs, in order, and the title, author and date it states."""

    paragraphs: list[str]
    meta: dict[str, str] = field(default_factory=dict)


def is_word_document(raw: bytes) -> bool:
    """A ZIP archive with a Word body (cheap: only the archive's directory is read)."""
    if not raw.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return BODY in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def read_docx(raw: bytes, max_bytes: int) -> OfficeDocument:
    """The document's paragraphs in order (tables' cells included), its title (the first paragraph in a
    Title or Heading 1 style, else the document's own title property), author and creation date."""
    body, properties = read_members(raw, BODY, PROPERTIES, max_bytes, "Word document")
    document = OfficeDocument([])
    title = None
    for paragraph in parse_xml(body).iter(f"{W}p"):
        text = _paragraph_text(paragraph)
        if not text:
            continue
        document.paragraphs.append(text)
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if title is None and style is not None and str(style.get(f"{W}val", "")).lower() in TITLE_STYLES:
            title = text
    if properties is not None:
        root = parse_xml(properties)
        found = {
            "title": root.findtext(f"{DC}title"),
            "author": root.findtext(f"{DC}creator"),
            "published": root.findtext(f"{DCTERMS}created"),
        }
        document.meta = {key: value.strip() for key, value in found.items() if value and value.strip()}
    if title:
        document.meta["title"] = title
    return document


def read_members(raw: bytes, body: str, properties: str, max_bytes: int, kind: str) -> tuple[bytes, bytes | None]:
    """An office document's body and (when it has one) its properties part, each size-checked first."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            found = archive.namelist()
            return read_member(archive, body, max_bytes), (
                read_member(archive, properties, max_bytes) if properties in found else None
            )
    except (zipfile.BadZipFile, ValueError, KeyError) as exc:
        raise UnsupportedFormat(f"the {kind} could not be read: {exc}") from exc


def read_member(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > max_bytes:
        raise TooLarge(f"the document's {name} inflates to {info.file_size} bytes, over {max_bytes}")
    with archive.open(info) as part:
        data = part.read(max_bytes + 1)  # the directory's size may lie: never read past the limit
    if len(data) > max_bytes:
        raise TooLarge(f"the document's {name} inflates past {max_bytes} bytes")
    return data


def parse_xml(xml: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnsupportedFormat(f"the document's XML is broken: {exc}") from exc


def _paragraph_text(paragraph: Any) -> str:
    """A paragraph's text (tabs and line breaks as spaces), without a text box's paragraphs inside it."""
    parts = []
    for element in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if next(element.iterancestors(f"{W}p")) is not paragraph:
            continue  # a text box's own paragraph: read when the walk reaches it
        parts.append(element.text or "" if element.tag == f"{W}t" else " ")
    return " ".join("".join(parts).split())
