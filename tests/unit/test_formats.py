"""Formats, encodings and bad input: what ``clean`` accepts, how it decodes it, and what it refuses."""

from __future__ import annotations

import base64
import gzip
import io
import json
import random
import time
import zipfile

import pytest

from article_pipeline.cleaning import clean_raw
from article_pipeline.cleaning.exports import export_records
from article_pipeline.cleaning.feed import feed_records
from article_pipeline.cleaning.jsonfmt import article_records
from article_pipeline.errors import (
    BinaryInput,
    EmptyInput,
    InputError,
    NoArticleText,
    SeveralArticles,
    UndecodableInput,
    UnsupportedFormat,
)

ARTICLE = (
    "The city council approved the new budget on Tuesday after a long debate about school funding.\n"
    "Council members said the plan would raise spending on public transport by ten percent next year.\n"
    "Critics argued that the increase was not enough to repair the ageing bridges across the river.\n"
)
FRENCH = "Le conseil municipal a approuvé le budget mardi soir après un long débat sur les écoles publiques."


# --- plain text and encodings ---------------------------------------------------------------------


def test_utf8_plain_text_is_returned_as_text() -> None:
    # Given a UTF-8 plain-text article
    raw = ARTICLE.encode("utf-8")
    # When it is cleaned
    result = clean_raw(raw, filename="story.txt")
    # Then every paragraph survives and the format and encoding are reported
    assert result["format"] == "text"
    assert result["encoding"] in ("utf-8", "ascii")
    assert "ageing bridges" in result["text"]
    assert result["word_count"] == len(ARTICLE.split())


def test_utf16_with_bom_is_decoded() -> None:
    # Given a UTF-16 file with a byte-order mark
    raw = ("\ufeff" + FRENCH).encode("utf-16-le")
    raw = b"\xff\xfe" + FRENCH.encode("utf-16-le")
    # When it is cleaned
    result = clean_raw(raw)
    # Then the accents are intact and the encoding says utf-16
    assert result["encoding"].startswith("utf-16")
    assert "approuvé" in result["text"] and "débat" in result["text"]


def test_latin1_text_is_decoded() -> None:
    # Given French text encoded as Latin-1 (invalid as UTF-8)
    raw = (FRENCH + " " + FRENCH.replace("mardi", "mercredi")).encode("latin-1")
    # When it is cleaned
    result = clean_raw(raw, filename="article.txt")
    # Then the accented letters come back right
    assert "approuvé" in result["text"]
    assert result["language"] == "fr"


def test_cp1252_smart_quotes_are_decoded() -> None:
    # Given cp1252 text with curly quotes and an em dash (bytes 0x93 0x94 0x97)
    raw = (
        "The mayor said \u201cwe will rebuild the bridge\u201d \u2014 and the council agreed with her plan. " * 3
    ).encode("cp1252")
    # When it is cleaned
    result = clean_raw(raw, filename="quote.txt")
    # Then the quotes are real quotes, not mojibake
    assert "\u201cwe will rebuild the bridge\u201d" in result["text"]
    assert result["encoding"] == "cp1252"


def test_stray_nul_bytes_are_stripped() -> None:
    # Given text with a couple of stray NUL bytes
    raw = ARTICLE.encode("utf-8").replace(b"budget", b"bud\x00get", 1).replace(b"river", b"river\x00")
    # When it is cleaned
    result = clean_raw(raw)
    # Then the NULs are gone and the words are whole
    assert "\x00" not in result["text"]
    assert "budget" in result["text"]


def test_gzip_compressed_text_is_transparently_decompressed() -> None:
    # Given a gzip-compressed text article
    raw = gzip.compress(ARTICLE.encode("utf-8"))
    # When it is cleaned
    result = clean_raw(raw, filename="story.txt.gz")
    # Then the decompressed article comes back
    assert "school funding" in result["text"]


def test_str_input_is_accepted() -> None:
    # Given text that is already a Python string
    # When it is cleaned
    result = clean_raw(ARTICLE)
    # Then it is treated like decoded text
    assert result["format"] == "text"
    assert "public transport" in result["text"]


def test_long_single_line_is_processed_in_reasonable_time() -> None:
    # Given a 1 MB text with no line breaks at all
    raw = (("word " * 20 + "and more prose follows here. ") * 7000)[:1_000_000].encode("utf-8")
    # When it is cleaned
    start = time.perf_counter()
    result = clean_raw(raw)
    elapsed = time.perf_counter() - start
    # Then it finishes quickly and keeps the text
    assert result["word_count"] > 100_000
    assert elapsed < 15


# --- HTML -----------------------------------------------------------------------------------------

HTML_BODY = (
    "<p>The city council approved the new budget on Tuesday after a long debate about school funding "
    "in the northern districts.</p>"
    "<p>Council members said the plan would raise spending on public transport by ten percent next year, "
    "and that bus routes would be reviewed.</p>"
    "<p>Critics argued that the increase was not enough to repair the ageing bridges across the river, "
    "which engineers have called unsafe.</p>"
)


def test_html_with_declared_charset_is_decoded_with_it() -> None:
    # Given an HTML page in windows-1252 that declares its charset
    page = (
        f'<html><head><meta charset="windows-1252"><title>Budget</title></head><body><article>'
        f"{HTML_BODY.replace('debate', 'débat')}</article></body></html>"
    )
    # When it is cleaned
    result = clean_raw(page.encode("cp1252"))
    # Then the declared charset is used and the page is HTML
    assert result["format"] == "html"
    assert result["encoding"] == "cp1252"
    assert "débat" in result["text"]


def test_html_without_declared_charset_is_detected() -> None:
    # Given an HTML page in Latin-1 with no charset declaration
    body = HTML_BODY.replace("debate", "débat élargi").replace("engineers", "ingénieurs")
    page = f"<html><head><title>Budget</title></head><body><article>{body}</article></body></html>"
    # When it is cleaned
    result = clean_raw(page.encode("latin-1"), filename="page.html")
    # Then the encoding is detected and accents survive
    assert "débat élargi" in result["text"]


def test_xhtml_is_cleaned_as_html() -> None:
    # Given an XHTML document with an XML declaration and namespace
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml" '
        f'xml:lang="en"><head><title>Budget</title></head><body><div>{HTML_BODY}</div></body></html>'
    )
    # When it is cleaned (without any hint)
    result = clean_raw(page.encode("utf-8"))
    # Then it is read as HTML and the paragraphs are found
    assert result["format"] == "html"
    assert "public transport" in result["text"]


def test_html_with_only_scripts_and_styles_has_no_article_text() -> None:
    # Given an HTML page that holds nothing but a script and a style sheet
    page = b"<html><head><style>p{color:red}</style></head><body><script>var a = 1;</script></body></html>"
    # When it is cleaned, then NoArticleText explains why
    with pytest.raises(NoArticleText, match="no"):
        clean_raw(page)


def test_broken_html_is_still_cleaned() -> None:
    # Given HTML with unclosed tags
    page = "<html><body><div><p>" + HTML_BODY.replace("</p>", "") + "<div><span>"
    # When it is cleaned
    result = clean_raw(page, content_type="text/html")
    # Then the text is still extracted
    assert "school funding" in result["text"]


# --- Markdown -------------------------------------------------------------------------------------

MARKDOWN = """---
title: Council approves budget
author: Jane Doe
date: 2024-03-05
---

# Council approves budget

The **city council** approved the _new_ budget on Tuesday after a [long debate](https://example.com/debate).

![A photo of the council](https://example.com/photo.jpg)

## What changes

- Spending on `public transport` rises by ten percent.
- Bridges will be *repaired*.

```python
print("code")
```
"""


def test_markdown_markup_is_stripped() -> None:
    # Given a Markdown article with headings, emphasis, links, an image, a list and a code fence
    # When it is cleaned
    result = clean_raw(MARKDOWN.encode("utf-8"), filename="budget.md")
    text = result["text"]
    # Then only the readable words are left
    assert result["format"] == "markdown"
    assert "The city council approved the new budget on Tuesday after a long debate." in text
    for marker in ("**", "](", "![", "```", "# ", "- Spending", "`"):
        assert marker not in text
    assert "What changes" in text


def test_markdown_front_matter_gives_metadata() -> None:
    # Given Markdown with YAML front matter
    # When it is cleaned
    result = clean_raw(MARKDOWN, format="markdown")
    # Then title, author and date come from it
    assert result["title"] == "Council approves budget"
    assert result["author"] == "Jane Doe"
    assert result["published"] == "2024-03-05"


def test_markdown_is_sniffed_without_hints() -> None:
    # Given Markdown without filename or content type
    # When it is cleaned
    result = clean_raw(MARKDOWN.split("---", 2)[2])
    # Then the content is recognised as Markdown
    assert result["format"] == "markdown"


# --- JSON -----------------------------------------------------------------------------------------


def test_json_export_with_text_body() -> None:
    # Given a JSON export with the usual field names
    doc = {
        "title": "Budget passes",
        "author": {"name": "Jane Doe"},
        "published": "2024-03-05T10:00:00Z",
        "url": "https://news.example.com/budget",
        "body": ARTICLE,
    }
    # When it is cleaned
    result = clean_raw(json.dumps(doc).encode("utf-8"), filename="budget.json")
    # Then the body is the text and the fields are metadata
    assert result["format"] == "json"
    assert "school funding" in result["text"]
    assert (result["title"], result["author"]) == ("Budget passes", "Jane Doe")
    assert result["published"].startswith("2024-03-05")
    assert result["url"] == "https://news.example.com/budget"


def test_json_export_with_html_body_runs_the_html_path() -> None:
    # Given a JSON object whose body is HTML
    doc = {"headline": "Budget passes", "html": f"<html><body><article>{HTML_BODY}</article></body></html>"}
    # When it is cleaned
    result = clean_raw(json.dumps(doc), content_type="application/json")
    # Then the markup is gone and the headline is the title
    assert "<p>" not in result["text"] and "public transport" in result["text"]
    assert result["title"] == "Budget passes"


def test_json_list_and_nested_article_are_supported() -> None:
    # Given a list holding one wrapper object with a nested article
    doc = [{"article": {"title": "Budget passes", "articleBody": ARTICLE, "datePublished": "2024-03-05"}}]
    # When it is cleaned
    result = clean_raw(json.dumps(doc).encode("utf-8"))
    # Then the nested article is found
    assert result["format"] == "json" and result["title"] == "Budget passes"
    assert "ageing bridges" in result["text"]


def test_json_without_a_body_has_no_article_text() -> None:
    # Given JSON with no article body field
    # When it is cleaned, then NoArticleText names what was looked for
    with pytest.raises(NoArticleText, match="body"):
        clean_raw(b'{"id": 3, "tags": ["a", "b"]}', filename="x.json")


def _exported(number: int) -> list[dict]:
    return [{"title": f"Story {n}", "content": f"Story {n}. {ARTICLE}"} for n in range(number)]


@pytest.mark.parametrize(
    "export",
    [
        pytest.param(json.dumps(_exported(3)), id="a list"),
        pytest.param(json.dumps({"status": "ok", "totalResults": 3, "articles": _exported(3)}), id="a news API reply"),
        pytest.param("\n".join(json.dumps(a) for a in _exported(3)) + "\n", id="JSON Lines"),
        pytest.param(json.dumps({"hits": {"hits": [{"_source": a} for a in _exported(3)]}}), id="a search reply"),
    ],
)
def test_json_export_of_several_articles_is_refused_not_cut_to_the_first(export: str) -> None:
    # Given an export holding three articles
    # When it is cleaned as one upload, then it is refused with the count and the way out,
    # instead of the first article standing for all three
    with pytest.raises(SeveralArticles, match=r"holds 3 articles.*article-pipeline split"):
        clean_raw(export.encode("utf-8"), filename="export.json")
    # and the records are the three articles, in order
    assert [r["title"] for r in article_records(export)] == ["Story 0", "Story 1", "Story 2"]


def test_a_block_editor_s_paragraphs_are_one_article() -> None:
    # Given an Editor.js document: a title, then blocks that each hold a paragraph and no title
    lines = [line for line in ARTICLE.splitlines() if line]
    doc = {"title": "Budget passes", "blocks": [{"type": "paragraph", "data": {"text": line}} for line in lines]}
    # When it is cleaned, then it is one article of all the paragraphs, not three articles
    result = clean_raw(json.dumps(doc).encode(), filename="post.json")
    assert result["title"] == "Budget passes" and result["text"].split("\n\n") == lines
    # but JSON Lines of bodies alone are still several documents
    with pytest.raises(SeveralArticles, match="holds 3 articles"):
        clean_raw("\n".join(json.dumps({"text": line}) for line in lines).encode(), filename="dump.jsonl")


def test_one_article_beside_lists_of_other_things_is_one_article() -> None:
    # Given one article in a list of one, one beside related stories, one beside comments (JSON-LD)
    one = _exported(1)
    related = {"article": one[0], "related": [{"title": "Other", "url": "https://example.com/x"}] * 3}
    graph = {"@graph": [{"@type": "NewsArticle", "headline": "Story 0", "articleBody": one[0]["content"]}]}
    graph["@graph"] += [{"@type": "Comment", "text": "First!"}, {"@type": "Comment", "text": "Agreed."}]
    # When each is cleaned, then each is that article
    for export in (one, related, graph):
        result = clean_raw(json.dumps(export).encode("utf-8"), filename="story.json")
        assert result["title"] == "Story 0" and "school funding" in result["text"]


# --- news feeds ------------------------------------------------------------------------------------

RSS_ITEM = (
    "<item><title>{title}</title><link>https://news.example.com/{slug}</link><dc:creator>Jane Roe</dc:creator>"
    "<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><description>A short teaser.</description>"
    "<content:encoded><![CDATA[<p>{body}</p><p>Second paragraph: {body}</p>]]></content:encoded></item>"
)


def _rss(*titles: str) -> str:
    items = "".join(RSS_ITEM.format(title=t, slug=t.lower().replace(" ", "-"), body=ARTICLE) for t in titles)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Example News</title>'
        f"<link>https://news.example.com/</link>{items}</channel></rss>"
    )


def test_a_feed_of_one_item_is_that_article_with_its_full_content() -> None:
    # Given an RSS feed of one item carrying its full text, uploaded with and without a telling name
    for name, content_type in (("feed.rss", None), ("feed.xml", "application/rss+xml"), (None, None)):
        # When it is cleaned
        result = clean_raw(_rss("Budget passes").encode(), filename=name, content_type=content_type)
        # Then the item is the article: its content, not the teaser, and its metadata
        assert result["format"] == "feed"
        assert "Second paragraph" in result["text"] and "teaser" not in result["text"]
        assert "Example News" not in result["text"] and "<p>" not in result["text"]
        assert (result["title"], result["author"], result["url"]) == (
            "Budget passes",
            "Jane Roe",
            "https://news.example.com/budget-passes",
        )
        assert result["published"].startswith("2024-03-05")


def test_an_atom_entry_with_inline_xhtml_is_read() -> None:
    # Given an Atom feed of one entry whose content is inline XHTML
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title>'
        '<entry><title>Budget passes</title><link rel="alternate" href="https://news.example.com/b"/>'
        "<id>urn:uuid:1</id><published>2024-03-05T10:00:00Z</published><author><name>Jane Roe</name></author>"
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{ARTICLE}</p></div></content>'
        "</entry></feed>"
    )
    # When it is cleaned, then the entry is the article
    result = clean_raw(feed.encode())
    assert result["format"] == "feed" and "school funding" in result["text"]
    assert (result["title"], result["author"], result["url"]) == (
        "Budget passes",
        "Jane Roe",
        "https://news.example.com/b",
    )


def test_a_feed_of_several_items_is_refused_and_split_gives_each_as_a_json_article() -> None:
    # Given a feed of two items
    feed = _rss("Budget passes", "Bridge plan")
    # When it is cleaned as one upload, then it is refused, like a JSON export of several
    with pytest.raises(SeveralArticles, match="holds 2 articles"):
        clean_raw(feed.encode(), filename="feed.xml")
    # and its records are JSON articles that clean on their own
    records = export_records(feed)
    assert [r["title"] for r in records] == ["Budget passes", "Bridge plan"]
    assert clean_raw(json.dumps(records[1]).encode())["url"] == "https://news.example.com/bridge-plan"


def test_a_feed_in_latin1_keeps_its_accents() -> None:
    # Given a one-item feed declared and encoded ISO-8859-1
    feed = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item><title>Économie à Zürich'
        f"</title><description>{FRENCH} {FRENCH}</description></item></channel></rss>"
    )
    # When it is cleaned, then the declared encoding was honoured once, not twice
    result = clean_raw(feed.encode("latin-1"), filename="feed.xml")
    assert result["title"] == "Économie à Zürich" and "approuvé" in result["text"]


def test_a_feed_with_entities_expands_none_and_reads_no_file() -> None:
    # Given a feed that declares an external entity (a local file) and one that nests entities (billion laughs)
    external = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0">'
        f"<channel><item><title>T</title><description>{ARTICLE} &x;</description></item></channel></rss>"
    )
    nested = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    laughs = f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{nested}]><rss version="2.0"><channel>'
    laughs += f"<item><title>&l9;</title><description>{ARTICLE} &l9;</description></item></channel></rss>"
    # When their items are read, then no entity is expanded: no file content is read in, and the
    # nesting stops the parser (libxml2's amplification limit), which says so
    records = feed_records(external)
    assert "school funding" in records[0]["text"] and "root:" not in records[0]["text"]
    with pytest.raises(UnsupportedFormat, match="amplification"):
        clean_raw(laughs.encode(), filename="feed.xml")


# --- e-mail --------------------------------------------------------------------------------------

RELEASE = (
    "Return-Path: <press@cityhall.example.gov>\n"
    'From: "Springfield Press Office" <press@cityhall.example.gov>\n'
    "To: newsdesk@example.com\n"
    "Subject: =?UTF-8?Q?Council_approves_=E2=82=AC412m_budget?=\n"
    "Date: Tue, 05 Mar 2024 10:00:00 +0000\n"
    "Message-ID: <123@cityhall.example.gov>\n"
    "MIME-Version: 1.0\n"
    'Content-Type: multipart/alternative; boundary="XYZ"\n\n'
    "--XYZ\nContent-Type: text/plain; charset=utf-8\n\nA plain version.\n\n"
    "--XYZ\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
    + base64.encodebytes(
        f"<html><body><article><p>{ARTICLE}</p></article><p>Unsubscribe | View in browser</p>"
        "<p>You are receiving this email because you asked for press releases.</p></body></html>".encode()
    ).decode()
    + "--XYZ--\n"
)


def test_an_email_is_an_article_from_its_html_part_and_headers() -> None:
    # Given a press release as an e-mail, named .eml or not
    for name in ("release.eml", None):
        # When it is cleaned
        result = clean_raw(RELEASE.encode(), filename=name)
        # Then the HTML part is the body, the encoded subject the title, the sender the author
        assert result["format"] == "email"
        assert "school funding" in result["text"] and "plain version" not in result["text"]
        assert "Unsubscribe" not in result["text"] and "receiving this" not in result["text"]
        assert (result["title"], result["author"]) == ("Council approves €412m budget", "Springfield Press Office")
        assert result["published"].startswith("2024-03-05")


def test_an_mbox_of_several_messages_is_refused_and_split_gives_each() -> None:
    mbox = (
        f"From press@example.gov Tue Mar  5 10:00:00 2024\n{RELEASE}\nFrom press@example.gov Wed Mar  6 09:00:00 2024\n"
    )
    mbox += RELEASE.replace("Council_approves", "Council_revisits")
    with pytest.raises(SeveralArticles, match="holds 2 articles"):
        clean_raw(mbox.encode(), filename="inbox.mbox")
    assert [r["title"] for r in export_records(mbox)] == [
        "Council approves €412m budget",
        "Council revisits €412m budget",
    ]


def _saved_page(headers: str) -> str:
    """A news page as Chrome saves it ("Save as: Webpage, Single File"): MHTML, the page's HTML quoted-printable."""
    import quopri

    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Council approves budget | City Post</title>"
        "<meta property='og:title' content='Council approves budget'><meta name='author' content='Ana Ruiz'>"
        "<meta property='article:published_time' content='2024-03-04T18:00:00Z'></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/city'>City</a></nav>"
        f"<article><h1>Council approves budget</h1><p>{ARTICLE}</p><p>“It is enough,” said Amélie Durand.</p></article>"
        "<footer>© 2024 City Post. All rights reserved.</footer></body></html>"
    )
    return (
        headers + "MIME-Version: 1.0\n"
        'Content-Type: multipart/related;\n\ttype="text/html";\n\tboundary="----MultipartBoundary--q1----"\n\n\n'
        "------MultipartBoundary--q1----\nContent-Type: text/html\nContent-ID: <frame-1@mhtml.blink>\n"
        "Content-Transfer-Encoding: quoted-printable\nContent-Location: https://citypost.example/budget\n\n"
        + quopri.encodestring(page.encode()).decode()
        + "\n------MultipartBoundary--q1----\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n"
        "Content-Location: https://citypost.example/logo.png\n\n"
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\n\n"
        "------MultipartBoundary--q1------\n"
    )


CHROME_HEADERS = (
    "From: <Saved by Blink>\n"
    "Snapshot-Content-Location: https://citypost.example/budget\n"
    "Subject: Council approves budget | City Post\n"
    "Date: Wed, 06 Mar 2024 09:12:44 +0100\n"
)


def test_a_web_page_saved_as_mhtml_is_the_page_not_a_message() -> None:
    # Given a news page a browser saved as one file, named .mhtml, .mht or nothing
    for name in ("budget.mhtml", "budget.mht", None):
        result = clean_raw(_saved_page(CHROME_HEADERS).encode(), filename=name)
        # Then it is read as the page: its article text, and the page's metadata, not who saved it when
        assert result["format"] == "mhtml"
        assert "school funding" in result["text"] and "All rights reserved" not in result["text"]
        assert "“It is enough,” said Amélie Durand." in result["text"]  # UTF-8 by the page's <meta>, not MIME's ASCII
        assert (result["title"], result["author"]) == ("Council approves budget", "Ana Ruiz")
        assert result["published"].startswith("2024-03-04")  # published, not saved (the Date header)
        assert result["url"] == "https://citypost.example/budget"
    # A tool that writes no Snapshot-Content-Location still says who saved it, over a multipart/related body
    older = "From: <Saved by Windows Internet Explorer 8>\nSubject: Council approves budget\n"
    assert clean_raw(_saved_page(older).encode())["format"] == "mhtml"


def test_a_saved_page_without_html_says_so() -> None:
    empty = CHROME_HEADERS + 'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b"\n\n--b\n'
    empty += "Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b--\n"
    with pytest.raises(NoArticleText, match="saved web page"):
        clean_raw(empty.encode(), filename="page.mhtml")


def test_an_article_that_opens_with_from_and_date_lines_is_no_email() -> None:
    text = f"From: Our correspondent in Paris\nDate: 5 March 2024\n\n{ARTICLE}"
    assert clean_raw(text.encode())["format"] == "text"


# --- format selection -----------------------------------------------------------------------------


def test_forced_format_wins_over_filename() -> None:
    # Given HTML-looking text named .html but forced to plain text
    # When it is cleaned with format="text"
    result = clean_raw(
        "<p>Hello there, this is literally a paragraph tag in a text file.</p>",
        filename="x.html",
        format="text",
    )
    # Then the markup is kept as text
    assert result["format"] == "text" and "<p>" in result["text"]


def test_content_type_selects_the_format() -> None:
    # Given Markdown text served as text/markdown
    # When it is cleaned
    result = clean_raw("Plain words with a *star* in them and more words after that.", content_type="text/markdown")
    # Then the Markdown path strips the emphasis
    assert result["format"] == "markdown" and "*" not in result["text"]


def test_unknown_forced_format_is_unsupported() -> None:
    # Given a request to clean as a format we do not know
    # When it is cleaned, then UnsupportedFormat lists the known ones
    with pytest.raises(UnsupportedFormat, match="html"):
        clean_raw(ARTICLE, format="epub")


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"   \n\t  ", "", "  \n "])
def test_empty_input_is_refused(raw: bytes | str) -> None:
    # Given an empty or whitespace-only upload, when it is cleaned, then EmptyInput says so
    with pytest.raises(EmptyInput, match="empty"):
        clean_raw(raw)


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", ARTICLE)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG"),
        (_zip_bytes(), "ZIP"),
        (bytes(range(256)) * 40, "binary"),
        (b"\x00\x01\x02abc\x00\x00\x00def\x00\x00" * 100, "NUL"),
    ],
)
def test_binary_input_is_refused(raw: bytes, what: str) -> None:
    # Given binary data, when it is cleaned, then BinaryInput names what it looks like
    with pytest.raises(BinaryInput, match=what):
        clean_raw(raw)


def test_gzip_of_binary_is_refused_as_binary() -> None:
    # Given a gzip-compressed PNG
    raw = gzip.compress(b"\x89PNG\r\n\x1a\n" + bytes(200))
    # When it is cleaned, then the inner data is judged
    with pytest.raises(BinaryInput, match="PNG"):
        clean_raw(raw)


def test_corrupt_gzip_is_refused_as_binary() -> None:
    # Given bytes that start like gzip but are not
    # When it is cleaned, then BinaryInput says it cannot be decompressed
    with pytest.raises(BinaryInput, match="gzip"):
        clean_raw(b"\x1f\x8b\x08\x00garbage-garbage-garbage")


def test_invalid_utf16_with_bom_is_undecodable() -> None:
    # Given a UTF-16 byte-order mark followed by an unpaired surrogate
    raw = b"\xff\xfe" + "hello world ".encode("utf-16-le") + b"\x00\xd8"
    # When it is cleaned, then UndecodableInput names the encoding
    with pytest.raises(UndecodableInput, match="utf-16"):
        clean_raw(raw)


def test_arbitrary_bytes_only_raise_domain_errors() -> None:
    # Given many random byte strings (and random mutations of real documents)
    rng = random.Random(7)
    seeds = [ARTICLE.encode(), MARKDOWN.encode(), f"<html><body>{HTML_BODY}</body></html>".encode(), b"{}"]
    samples = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(150)]
    for seed in seeds:
        for _ in range(25):
            data = bytearray(seed)
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            samples.append(bytes(data))
    # When each is cleaned, then it either succeeds or raises one of our InputErrors
    for raw in samples:
        try:
            result = clean_raw(raw)
        except InputError:
            continue
        json.dumps(result)


def test_the_sample_pages_lose_their_menus_share_buttons_related_links_and_comments() -> None:
    # Given the repository's sample HTML page and Markdown export, boilerplate and all
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "samples"
    html = clean_raw((samples / "harbour-strike.html").read_bytes(), filename="harbour-strike.html")
    markdown = clean_raw((samples / "council-budget.md").read_bytes(), filename="council-budget.md")
    # Then the articles remain, with their metadata, and nothing around them
    assert html["title"].startswith("Port strike ends") and html["author"] == "Elena Vasquez"
    assert "Dutch economy minister Pieter Bakker welcomed the agreement" in html["text"]
    assert markdown["title"].startswith("Springfield council") and markdown["published"] == "2026-11-27"
    assert "Mayor Jane Doe said after the vote" in markdown["text"]
    for text in (html["text"], markdown["text"]):
        for boilerplate in ("Subscribe", "Share", "Related", "Reply", "Comments", "Privacy", "©"):
            assert boilerplate not in text, boilerplate


def test_a_body_line_that_starts_with_from_does_not_split_a_mailbox() -> None:
    body = f"{ARTICLE}From the desk of the mayor: the budget passed.\n"
    message = RELEASE.split("--XYZ")[0].replace('multipart/alternative; boundary="XYZ"', "text/plain") + body
    records = export_records(f"From press@example.gov Tue Mar  5 10:00:00 2024\n{message}")
    assert len(records) == 1 and records[0]["text"].endswith("From the desk of the mayor: the budget passed.\n")


def test_a_feed_s_declared_language_decides_when_the_words_cannot() -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Le Monde</title><language>fr-FR</language>'
        "<item><title>Budget</title><description>Le budget.</description></item></channel></rss>"
    )
    assert clean_raw(feed.encode())["language"] == "fr"
