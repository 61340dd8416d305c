"""A plain-text article's first line is its headline when the body starts right under it."""

from __future__ import annotations

from article_pipeline.cleaning import clean_raw
from article_pipeline.cleaning.headline import has_headline_shape, plain_text_headline

BODY = [
    "Sen. Bernie Sanders said on Sunday that the story about the e-mails had moved on, and he declined to say "
    "more about it at a town hall in Des Moines.",
    "He added that voters care about jobs and wages far more than they care about e-mails, according to aides "
    "who spoke to reporters after the event.",
]


def test_a_plain_text_headline_is_the_title_and_opens_the_body() -> None:
    # Given a news text whose first line is its headline, the kind of line cleaning alone drops
    text = "\n\n".join(["Sanders: Clinton Email Story Has Moved.", *BODY])
    # When it is cleaned
    result = clean_raw(text.encode(), filename="article.txt")
    # Then the headline is the title and the body's first paragraph, so its statement is analysed
    assert result["title"] == "Sanders: Clinton Email Story Has Moved."
    assert result["text"].startswith("Sanders: Clinton Email Story Has Moved.\n\nSen. Bernie Sanders said")


def test_a_byline_may_sit_between_headline_and_body() -> None:
    # Given a headline, a byline and the body
    lines = ["Council approves budget after long debate", "By Jane Doe", *BODY]
    # When the cleaner kept only the body, then the headline is still found; two lines between are too many
    assert plain_text_headline(lines, BODY) == lines[0]
    assert plain_text_headline([lines[0], "By Jane Doe", "March 5, 2024", *BODY], BODY) is None


def test_menus_links_and_lead_ins_are_not_headlines() -> None:
    # Given first lines that are a menu bar, a link, a lead-in and a single word, then none is a headline
    for line in ["Home | News | Sport | Weather", "Read more at https://example.com/news", "Related stories:", "Menu"]:
        assert not has_headline_shape(line)
        assert plain_text_headline([line, *BODY], BODY) is None


def test_a_first_line_cleaning_kept_stays_a_paragraph() -> None:
    # Given a first line the cleaner kept (a first paragraph as often as a headline), then it is no title
    assert plain_text_headline(BODY, BODY) is None


def test_a_page_whose_body_starts_far_down_has_no_headline() -> None:
    # Given a page's visible text with navigation above the body (kept: the body only)
    lines = ["Skip to content", "Subscribe now", "Sign in", "Top stories today", *BODY]
    # Then its first line is not taken for the title
    assert plain_text_headline(lines, BODY) is None
