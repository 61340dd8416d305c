"""Word documents (.docx): paragraphs in order, title and author, and no way to inflate a bomb."""

from __future__ import annotations

import io
import zipfile

import pytest

from article_pipeline.cleaning import clean_raw
from article_pipeline.errors import BinaryInput, TooLarge, UnsupportedFormat

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
    "<dc:title>Draft</dc:title><dc:creator>Springfield Press Office</dc:creator>"
    "<dcterms:created>2024-03-05T10:00:00Z</dcterms:created></cp:coreProperties>"
)


def _p(text: str, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    runs = "".join(f'<w:r><w:t xml:space="preserve">{part}</w:t></w:r>' for part in text.split("|"))
    return f"<w:p>{props}{runs}</w:p>"


BODY = "".join(
    [
        _p("Council approves budget", "Title"),
        _p("FOR IMMEDIATE RELEASE"),
        _p("The city council approved the new budget on Tuesday |after a long debate about school funding."),
        "<w:tbl><w:tr><w:tc>"
        + _p("Schools: 6 percent more")
        + "</w:tc><w:tc>"
        + _p("Bridges: 18 million dollars")
        + "</w:tc></w:tr></w:tbl>",
        # a text box inside a paragraph: its words once, as a paragraph of their own
        "<w:p><w:r><w:t>Mayor Jane Doe said the budget keeps every school open.</w:t></w:r><w:r><w:pict>"
        "<w:txbxContent>" + _p("Photo: the council chamber") + "</w:txbxContent></w:pict></w:r></w:p>",
        "<w:p><w:r><w:del><w:delText>Deleted words</w:delText></w:del></w:r></w:p>",
    ]
)


def _docx(body: str = BODY, core: str | None = CORE) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        if core is not None:
            archive.writestr("docProps/core.xml", core)
    return buffer.getvalue()


def test_a_word_document_is_its_paragraphs_with_its_title_and_author():
    # When a .docx is cleaned, whatever it is called
    for name in ("release.docx", None, "upload.bin"):
        result = clean_raw(_docx(), filename=name)
        # Then its paragraphs are the text, in order, table cells and text boxes once, deletions gone
        assert result["format"] == "docx"
        assert result["text"].split("\n\n") == [
            "Council approves budget",
            "FOR IMMEDIATE RELEASE",
            "The city council approved the new budget on Tuesday after a long debate about school funding.",
            "Schools: 6 percent more",
            "Bridges: 18 million dollars",
            "Mayor Jane Doe said the budget keeps every school open.",
            "Photo: the council chamber",
        ]
        # and the Title paragraph is the title (the file's own "Draft" property is not), the creator the author
        assert (result["title"], result["author"]) == ("Council approves budget", "Springfield Press Office")
        assert result["published"].startswith("2024-03-05")


def test_a_word_body_that_would_inflate_past_the_limit_is_refused_unread():
    bomb = _docx(body=_p("word " * 50_000))
    with pytest.raises(TooLarge, match="inflates"):
        clean_raw(bomb, filename="bomb.docx", max_bytes=100_000)


def test_other_zip_archives_stay_binary_and_a_text_named_docx_is_read_as_text():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", "The council approved the budget on Tuesday after a long debate.")
    with pytest.raises(BinaryInput):
        clean_raw(buffer.getvalue(), filename="bundle.zip")
    text = "The city council approved the new budget on Tuesday after a long debate about school funding. " * 3
    assert clean_raw(text.encode(), filename="notes.docx")["format"] == "text"
    with pytest.raises(UnsupportedFormat, match="no Word document"):
        clean_raw(text.encode(), format="docx")


ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)
ODT_BODY = (
    '<text:h text:outline-level="1">Council approves budget</text:h>'
    "<text:p>The city council approved the new budget on Tuesday<text:s/>after a long debate"
    '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>'
    "<text:p>Minutes of 5 March.</text:p></text:note-body></text:note> about "
    "<text:span>school funding</text:span>.</text:p>"
    "<table:table><table:table-row><table:table-cell><text:p>Schools: 6 percent more</text:p></table:table-cell>"
    "</table:table-row></table:table>"
    "<text:list><text:list-item><text:p>Mayor Jane Doe said the budget keeps every school open.</text:p>"
    "</text:list-item></text:list>"
)
ODT_META = (
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<office:meta><meta:initial-creator>Springfield Press Office</meta:initial-creator>"
    "<meta:creation-date>2024-03-05T10:00:00</meta:creation-date></office:meta></office:document-meta>"
)


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            f"<office:document-content {ODT_NS}><office:body><office:text>{ODT_BODY}</office:text></office:body>"
            "</office:document-content>",
        )
        archive.writestr("meta.xml", ODT_META)
    return buffer.getvalue()


def test_an_open_document_text_is_its_headings_and_paragraphs_without_footnotes():
    result = clean_raw(_odt(), filename="release.odt")
    assert result["format"] == "odt"
    assert result["text"].split("\n\n") == [
        "Council approves budget",
        "The city council approved the new budget on Tuesday after a long debate about school funding.",
        "Schools: 6 percent more",
        "Mayor Jane Doe said the budget keeps every school open.",
    ]
    assert (result["title"], result["author"]) == ("Council approves budget", "Springfield Press Office")
    assert result["published"].startswith("2024-03-05")
