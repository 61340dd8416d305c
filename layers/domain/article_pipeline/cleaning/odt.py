"""OpenDocument text (.odt, LibreOffice and the public bodies that use it): paragraphs, title and author.

Like a Word document (``cleaning.docx``), a ZIP archive: ``content.xml`` holds headings and
paragraphs (in lists and table cells too), ``meta.xml`` the title, author and creation date.
Footnotes sit inside the paragraph that cites them and are left out of it.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from article_pipeline.cleaning.docx import ZIP_MAGIC, OfficeDocument, parse_xml, read_members

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
BODY = "content.xml"
PROPERTIES = "meta.xml"
TEXT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def is_open_document_text(raw: bytes) -> bool:
    """A ZIP archive whose ``mimetype`` member says OpenDocument text (only the directory and that member read)."""
    if not raw.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
            return "mimetype" in names and BODY in names and archive.read("mimetype")[:64].strip() == TEXT_MIMETYPE
    except (zipfile.BadZipFile, ValueError, KeyError):
        return False


def read_odt(raw: bytes, max_bytes: int) -> OfficeDocument:
    """The document's headings and paragraphs in order, its first heading as title (else its title
    property), author and creation date."""
    body, properties = read_members(raw, BODY, PROPERTIES, max_bytes, "OpenDocument text")
    document = OfficeDocument([])
    title = None
    for element in parse_xml(body).iter(f"{TEXT}h", f"{TEXT}p"):
        if any(a.tag == f"{TEXT}note-body" for a in element.iterancestors()):
            continue  # a footnote's own paragraph
        text = " ".join(_text(element).split())
        if text:
            document.paragraphs.append(text)
            if title is None and element.tag == f"{TEXT}h":
                title = text
    if properties is not None:
        meta = parse_xml(properties)
        found = {
            "title": meta.findtext(f".//{DC}title"),
            "author": meta.findtext(f".//{DC}creator") or meta.findtext(f".//{META}initial-creator"),
            "published": meta.findtext(f".//{META}creation-date"),
        }
        document.meta = {key: value.strip() for key, value in found.items() if value and value.strip()}
    if title:
        document.meta["title"] = title
    return document


def _text(element: Any) -> str:
    """An element's words: spans included, a space for each space, tab and line-break element, no footnote."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{TEXT}note":
            pass  # the citation and the note's body
        elif child.tag in (f"{TEXT}s", f"{TEXT}tab", f"{TEXT}line-break"):
            parts.append(" ")
        elif child.tag not in (f"{TEXT}p", f"{TEXT}h"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
