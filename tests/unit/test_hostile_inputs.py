"""Uploads built to be costly or to break parsers are cleaned (or refused) like any other.

Times are not asserted here (machines are shared): `make bench-hostile` times each of these inputs,
beside the code of an earlier commit, in one run.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from article_pipeline.cleaning import clean_raw
from article_pipeline.cleaning.markdown import markdown_to_paragraphs
from article_pipeline.errors import SeveralArticles, TooLarge, UnsupportedFormat
from tests.hostile_inputs import (
    captions_without_sentences,
    deeply_nested_page,
    docx_bomb,
    json_lines_export,
    markdown_with_huge_title,
    nested_email,
    rtf_with_picture,
)

MARKUP = st.sampled_from(["`", "[", "]", "(", ")", "*", "_", "~", "!", "<", ">", "#", "-", "|", "\\", "\n", " ", "a"])


@settings(max_examples=200, deadline=None)
@given(st.lists(MARKUP, max_size=400).map("".join))
def test_any_markdown_becomes_paragraphs_no_longer_than_the_input(text):
    paragraphs = markdown_to_paragraphs(text)
    assert all(isinstance(p, str) and p == p.strip() for p in paragraphs)
    assert sum(len(p) for p in paragraphs) <= len(text)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(["`", "[", "*", "_", "![", "[a](", "<a "]), st.integers(min_value=1, max_value=3_000))
def test_long_runs_of_one_markup_character_are_read_as_text(unit, count):
    paragraphs = markdown_to_paragraphs("Officials said the port reopened. " + unit * count)
    assert paragraphs and paragraphs[0].startswith("Officials said the port reopened.")


def test_a_huge_front_matter_title_is_capped_before_it_reaches_an_item():
    result = clean_raw(markdown_with_huge_title(500_000), filename="story.md")
    assert result["title"] is not None and len(result["title"]) <= 1_000
    assert "Dock workers in Rotterdam" in result["text"]


def test_an_article_nested_thousands_of_elements_deep_is_still_read():
    # libxml2 drops what lies deeper than 256 elements; the page is flattened and read again
    result = clean_raw(deeply_nested_page(5_000), filename="deep.html")
    assert "Dock workers in Rotterdam returned to work" in result["text"]
    assert "Port strike ends" in result["text"]


def test_html_beyond_the_parse_limit_is_cut_before_a_tag_and_the_cut_recorded():
    page = deeply_nested_page(10)
    result = clean_raw(page + b"<p>" + b"x " * 50_000 + b"</p>", filename="long.html", max_html_chars=len(page) + 1000)
    assert result["markup_truncated_at"] is not None and result["markup_truncated_at"] <= len(page) + 1000
    assert "Dock workers in Rotterdam" in result["text"]


def test_the_depth_check_counts_elements_from_the_root_not_comments():
    from lxml import html

    from article_pipeline.cleaning.deep_html import reaches_depth_limit

    def tree(divs: int, inner: str = "x") -> object:  # html and body add two levels
        return html.document_fromstring("<html><body>" + "<div>" * divs + inner + "</div>" * divs + "</body></html>")

    assert not reaches_depth_limit(tree(17), limit=20)
    assert reaches_depth_limit(tree(18), limit=20)
    assert not reaches_depth_limit(tree(17, "<!-- a comment one level down -->"), limit=20)


def test_a_message_nested_deeper_than_python_recurses_is_refused_and_a_shallower_one_read():
    assert "Dock workers in Rotterdam" in clean_raw(nested_email(200), filename="strike.eml")["text"]
    with pytest.raises(UnsupportedFormat, match="nested too deeply"):
        clean_raw(nested_email(2_000), filename="strike.eml")


def test_an_export_of_many_articles_is_refused_with_their_count():
    with pytest.raises(SeveralArticles, match="holds 20000 articles"):
        clean_raw(json_lines_export(20_000), filename="export.jsonl")


def test_captions_without_sentences_become_paragraphs_of_bounded_length():
    result = clean_raw(captions_without_sentences(20_000), filename="auto.vtt")
    paragraphs = result["text"].split("\n\n")
    assert len(paragraphs) > 100 and max(map(len, paragraphs)) < 3_200


def test_a_word_document_that_would_inflate_past_the_upload_limit_is_refused_unread():
    bomb = docx_bomb(50_000_000)
    assert len(bomb) < 1_000_000
    with pytest.raises(TooLarge):
        clean_raw(bomb, filename="bomb.docx", max_bytes=10_000_000)


def test_an_rtf_article_after_a_large_pasted_photo_is_read_without_the_photo():
    result = clean_raw(rtf_with_picture(3_000_000), filename="strike.rtf")
    assert result["title"] == "Port strike ends"
    assert "Dock workers in Rotterdam" in result["text"] and "ffd8" not in result["text"]
    assert result["word_count"] < 500
