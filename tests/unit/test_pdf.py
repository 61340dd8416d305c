"""PDF documents: the text layer as paragraphs, without running heads and page numbers."""

from __future__ import annotations

import textwrap

import pytest

from article_pipeline.cleaning import clean_raw
from article_pipeline.cleaning.pdf import paragraphs
from article_pipeline.errors import NoArticleText, UnsupportedFormat
from tests.e2e.worst_cases import pdf_bytes as _pdf

FIRST = (
    "The city council approved the new budget on Tuesday after a long debate about school funding in the "
    "northern districts of the city."
)
SECOND = (
    "Council members said the plan would raise spending on public transport by ten percent next year, and "
    "critics argued that it was not enough to repair the ageing bridges."
)


def _page(number: int, *paragraphs_: str, heading: str | None = None) -> list[tuple[int, int, str]]:
    lines, y = [(72, 760, "Springfield City Hall - Press Release")], 720
    if heading:
        lines.append((72, y, heading))
        y -= 30
    for paragraph in paragraphs_:
        for line in textwrap.wrap(paragraph, 80):
            lines.append((72, y, line))
            y -= 14
        y -= 10
    return [*lines, (300, 40, f"Page {number} of 2")]


RELEASE = [
    _page(1, FIRST, SECOND, heading="Council approves budget"),
    _page(2, "Mayor Jane Doe said the budget keeps every school open."),
]


def test_a_pdf_is_its_paragraphs_without_running_heads_or_page_numbers():
    # Given a two-page press release with a running head, page numbers, a heading and wrapped paragraphs
    raw = _pdf(RELEASE, "/Author (Springfield Press Office) /CreationDate (D:20240305100000Z)")
    # When it is cleaned, named .pdf or not
    for name in ("release.pdf", None):
        result = clean_raw(raw, filename=name)
        # Then each paragraph is whole again, and the page furniture is gone
        assert result["format"] == "pdf"
        assert result["text"].split("\n\n") == [
            "Council approves budget",
            FIRST,
            SECOND,
            "Mayor Jane Doe said the budget keeps every school open.",
        ]
        # and the heading is the title (the file has none), the author and date the file's own
        assert (result["title"], result["author"]) == ("Council approves budget", "Springfield Press Office")
        assert result["published"] == "2024-03-05"


def test_a_generated_title_property_is_not_the_title():
    raw = _pdf(RELEASE, "/Title (Microsoft Word - release_final_v2.docx)")
    assert clean_raw(raw)["title"] == "Council approves budget"


def test_ligatures_are_their_letters():
    # (in the standard encoding of the PDF's font, \\256 is the "fi" ligature and \\257 "fl")
    raw = _pdf([[(72, 720, "The \\256nance team reviewed the \\257ood defences and their \\256nal cost.")]])
    assert "The finance team reviewed the flood defences and their final cost." in clean_raw(raw)["text"]


def test_a_numbered_section_heading_starts_a_paragraph_of_its_own():
    lines = [
        "This is version 0.21 of the specification, which the council adopted after a long review process.",
        "1.2. What is this spec?",
        "It says how the city publishes its budget, line by line, so that anyone can check the figures.",
    ]
    assert paragraphs(lines) == [lines[0], lines[1], lines[2]]


def test_hyphenated_words_are_joined_across_lines():
    lines = ["The council will review the budget for the city's infra-", "structure next spring, the mayor said."]
    assert paragraphs(lines) == [
        "The council will review the budget for the city's infrastructure next spring, the mayor said."
    ]


def test_pdfs_without_text_or_broken_are_refused_with_a_reason():
    with pytest.raises(NoArticleText, match="no text layer"):
        clean_raw(_pdf([[]]), filename="scan.pdf")
    with pytest.raises(UnsupportedFormat, match="PDF"):
        clean_raw(b"%PDF-1.7\n" + b"garbage " * 200, filename="broken.pdf")
    text = f"{FIRST} {SECOND}".encode()
    assert clean_raw(text, filename="notes.pdf")["format"] == "text"
    with pytest.raises(UnsupportedFormat, match="no PDF document"):
        clean_raw(text, format="pdf")


def test_pages_past_the_limit_are_not_read_and_the_result_says_where_it_stops(monkeypatch):
    import article_pipeline.cleaning.pdf as pdf_module

    monkeypatch.setattr(pdf_module, "MAX_PAGES", 1)
    result = clean_raw(_pdf(RELEASE), filename="release.pdf")
    assert "Mayor Jane Doe" not in result["text"]  # page 2
    assert result["markup_truncated_at"] == len(result["text"])
    assert clean_raw(_pdf(RELEASE[:1]), filename="one.pdf")["markup_truncated_at"] is None


def test_a_gzip_compressed_pdf_is_read_like_the_pdf():
    import gzip

    result = clean_raw(gzip.compress(_pdf(RELEASE)), filename="release.pdf.gz")
    assert result["format"] == "pdf" and "Mayor Jane Doe" in result["text"]
