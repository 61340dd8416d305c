"""Boilerplate removal and metadata: what ``clean`` keeps, drops and reports for real-looking pages."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from article_pipeline.cleaning import clean_raw, dom
from article_pipeline.cleaning.html import page_blocks, read_page, visible_blocks
from article_pipeline.cleaning.language import detect_language

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "boilerplate"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/boilerplate is not available")

PARAGRAPHS = [
    "The city council approved the new budget on Tuesday after a long debate about school funding in the "
    "northern districts, where enrolment has grown for five years in a row.",
    "Council members said the plan would raise spending on public transport by ten percent next year, and "
    "that several bus routes would be reviewed before the summer.",
    "Critics argued that the increase was not enough to repair the ageing bridges across the river, which "
    "engineers described as unsafe in a report published last month.",
]

ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Council approves budget | The Daily Example</title>
  <meta property="og:title" content="Council approves budget after long debate">
  <meta name="author" content="Jane Doe">
  <meta property="article:published_time" content="2024-03-05T09:30:00+00:00">
  <meta property="og:site_name" content="The Daily Example">
  <meta name="description" content="The budget raises transport spending by ten percent.">
  <link rel="canonical" href="https://news.example.com/2024/03/05/council-budget">
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
  <li><a href="/sport">Sport</a></li></ul></nav>
  <article>
    <h1>Council approves budget after long debate</h1>
    <p class="byline">By Jane Doe</p>
    {"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
  </article>
  <aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Mayor opens new library</a></li>
  <li><a href="/b">Bus fares to rise in May</a></li></ul></aside>
  <footer><p>© 2024 The Daily Example. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body>
</html>"""


# --- HTML metadata --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article_result() -> dict:
    return clean_raw(ARTICLE_PAGE.encode("utf-8"), filename="council.html")


def test_html_title_is_extracted(article_result: dict) -> None:
    # Given a news page with og:title and <title>, when it is cleaned, then the headline is the title
    assert article_result["title"].startswith("Council approves budget")


def test_html_author_is_extracted(article_result: dict) -> None:
    # Given a page with an author meta tag, when it is cleaned, then the author is reported
    assert article_result["author"] == "Jane Doe"


def test_html_published_date_is_iso(article_result: dict) -> None:
    # Given a page with article:published_time, when it is cleaned, then the date is ISO formatted
    assert article_result["published"].startswith("2024-03-05")


def test_html_canonical_url_is_extracted(article_result: dict) -> None:
    # Given a page with a canonical link, when it is cleaned, then that URL is reported
    assert article_result["url"] == "https://news.example.com/2024/03/05/council-budget"


def test_html_language_is_detected(article_result: dict) -> None:
    # Given an English page, when it is cleaned, then the language is "en"
    assert article_result["language"] == "en"


def test_html_site_name_and_description_are_extracted(article_result: dict) -> None:
    # Given og:site_name and a description meta tag, when cleaned, then both are reported
    assert article_result["sitename"] == "The Daily Example"
    assert "ten percent" in article_result["description"]


def test_html_body_keeps_paragraphs_and_drops_navigation(article_result: dict) -> None:
    # Given the page, when it is cleaned, then all paragraphs are kept, in order, and menus are dropped
    text = article_result["text"]
    positions = [text.find(p[:60]) for p in PARAGRAPHS]
    assert all(pos >= 0 for pos in positions) and positions == sorted(positions)
    assert "Privacy policy" not in text
    assert "Sport" not in text.split()


def test_result_is_json_serialisable_with_all_contract_keys(article_result: dict) -> None:
    # Given any successful result, when serialised, then it round-trips and has every key of the contract
    keys = {
        "text",
        "format",
        "encoding",
        "title",
        "author",
        "published",
        "url",
        "sitename",
        "description",
        "language",
        "word_count",
    }
    assert keys <= set(json.loads(json.dumps(article_result)))
    assert isinstance(article_result["word_count"], int)


def test_missing_metadata_is_none() -> None:
    # Given plain text with no metadata, when it is cleaned, then the metadata fields are None
    result = clean_raw("\n".join(PARAGRAPHS))
    assert result["title"] is None and result["author"] is None and result["url"] is None


def _record_trafilatura_passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Wrap the real trafilatura.bare_extraction and record, per call, whether it was the fast pass."""
    import trafilatura

    real = trafilatura.bare_extraction
    passes: list[bool] = []

    def recording(*args, **kwargs):
        passes.append(kwargs["options"].fast)
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", recording)
    return passes


def test_html_long_article_needs_only_trafilatura_fast_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a page whose article is several paragraphs long
    passes = _record_trafilatura_passes(monkeypatch)
    more = "".join(f"<p>{p} This was point {i} of the debate.</p>" for i, p in enumerate(PARAGRAPHS * 2))
    page = ARTICLE_PAGE.replace("</article>", more + "</article>")
    # When it is cleaned
    result = clean_raw(page.encode("utf-8"), filename="council.html")
    # Then trafilatura ran once, in fast mode, and the article is complete
    assert passes == [True]
    assert all(p in result["text"] for p in PARAGRAPHS)


def test_html_short_extraction_gets_trafilatura_full_cascade(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a page whose fast pass finds only a sentence
    passes = _record_trafilatura_passes(monkeypatch)
    page = "<html><body><nav><a href='/'>Home</a></nav><p>The bridge reopened on Monday after repairs.</p></body>"
    # When it is cleaned
    result = clean_raw(page.encode("utf-8"), filename="short.html")
    # Then the full cascade (readability and justext comparisons) ran after the fast pass
    assert passes == [True, False]
    assert "bridge reopened" in result["text"]


def test_html_one_parse_is_shared_and_left_intact_by_trafilatura() -> None:
    # Given a page with an article and navigation
    more = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = ARTICLE_PAGE.replace("</article>", more + "</article>")
    # When trafilatura and our block walk read it from one parse
    _, trafilatura_text, blocks = read_page(page)
    # Then trafilatura found the article, and the blocks are those of a separate, untouched parse
    assert all(p in trafilatura_text for p in PARAGRAPHS)
    assert blocks.texts == page_blocks(dom.parse(page), trafilatura_text).texts


def test_html_menu_words_trafilatura_left_out_never_reach_the_model() -> None:
    # Given a page with a one-word menu, and a one-word subheading inside the article
    paragraphs = [*PARAGRAPHS[:2], "Reactions", PARAGRAPHS[2]]
    page = ARTICLE_PAGE.replace("".join(f"<p>{p}</p>" for p in PARAGRAPHS), "".join(f"<p>{p}</p>" for p in paragraphs))
    # When the page is cut into blocks for the model
    _, _, blocks = read_page(page)
    # Then the menu words trafilatura left out are gone; the one next to the kept headline stays, as does
    # the subheading between kept paragraphs
    visible = visible_blocks(page)
    assert visible[:3] == ["Home", "News", "Sport"]
    assert blocks.texts[0] == "Sport"
    assert "Reactions" in blocks.texts
    assert "Reactions" in clean_raw(page, format="html")["text"]
    # and every other block is there, in page order, with its features
    assert visible[2:] == blocks.texts
    assert len(blocks.extra) == len(blocks.attrs) == len(blocks.texts)


def test_html_unspaced_sentence_trafilatura_left_out_still_reaches_the_model() -> None:
    # Given a menu holding a Japanese sentence (no spaces, like one long word) that trafilatura leaves out
    sentence = "これは日本語の長い文で、空白を含まないので一つの単語のように見えますが、記事の一部かもしれません。"
    page = ARTICLE_PAGE.replace('<li><a href="/news">News</a></li>', f"<li>{sentence}</li>")
    # When the page is cut into blocks for the model
    _, trafilatura_text, blocks = read_page(page)
    # Then the menu word goes but the sentence stays for the model to judge
    assert sentence not in (trafilatura_text or "")
    assert "Home" not in blocks.texts
    assert sentence in blocks.texts


def test_html_byline_in_the_page_is_the_author_when_meta_tags_name_none() -> None:
    # Given a page whose meta tags name no author, with a byline above the article
    page = ARTICLE_PAGE.replace('<meta name="author" content="Jane Doe">', "").replace(
        '<p class="byline">By Jane Doe</p>', '<p class="byline">By <span class="author">Maria Lopez</span></p>'
    )
    # When it is cleaned
    result = clean_raw(page.encode("utf-8"), filename="council.html")
    # Then the byline gives the author, and the article text is whole
    assert result["author"] == "Maria Lopez"
    assert all(p in result["text"] for p in PARAGRAPHS)


def test_byline_hints_cover_every_literal_of_trafilaturas_byline_xpaths() -> None:
    # Given the string literals of trafilatura's byline XPaths (regex alternatives apart, "[Aa]" as "a")
    import re

    from trafilatura.metadata import AUTHOR_XPATHS

    from article_pipeline.cleaning.html_metadata import BYLINE_ATTRIBUTES, BYLINE_HINTS

    tested = {name for xpath in AUTHOR_XPATHS for name in re.findall(r"@([\w-]+)", xpath.path)}
    assert tested == set(BYLINE_ATTRIBUTES)
    # (and they look at nothing the stand-in copies leave out: no other element, no text but <rel>'s)
    for xpath in AUTHOR_XPATHS:
        assert not re.search(
            r"ancestor|parent|following|preceding|descendant|text\(|\.\.|last\(|position\(", xpath.path
        )
    literals = [lit for xpath in AUTHOR_XPATHS for lit in re.findall(r"'([^']*)'", xpath.path)]
    alternatives = [re.sub(r"\[(.)(.)\]", r"\2", alt).replace("-?", "-") for lit in literals for alt in lit.split("|")]
    # Then each one that is an attribute value holds a hint ('me' is the text of a <rel> element, checked apart)
    assert len(alternatives) > 20
    assert [alt for alt in alternatives if not BYLINE_HINTS.search(alt)] == ["me"]


def test_discard_hints_cover_every_literal_of_trafilaturas_xpath_for_other_peoples_names() -> None:
    # Given the string literals of the XPath that prunes comments, sidebars and quotes before the byline search
    import re

    from trafilatura.metadata import AUTHOR_DISCARD_XPATHS

    from article_pipeline.cleaning.html_metadata import DISCARD_CANDIDATES

    path = AUTHOR_DISCARD_XPATHS[0].path
    assert set(re.findall(r"@([\w-]+)", path)) == set(DISCARD_CANDIDATES.attributes)
    assert ".//*" in path and ".//*" not in AUTHOR_DISCARD_XPATHS[1].path  # the other one only names tags
    assert not re.search(r"ancestor|parent|following|preceding|descendant|text\(|\.\.|last\(|position\(", path)

    def expanded(literal: str) -> list[str]:  # "a-(?:b|c)" -> "a-b|a-c"; "^[Cc]x" -> "cx"; "-?" -> "-"
        literal = re.sub(r"([\w-]*)\(\?:([^)]*)\)", lambda m: "|".join(m[1] + x for x in m[2].split("|")), literal)
        return [re.sub(r"\[(.)(.)\]", r"\2", alt).lstrip("^").replace("-?", "-") for alt in literal.split("|")]

    alternatives = [alt for lit in re.findall(r"'([^']*)'", path) for alt in expanded(lit)]
    # Then each one holds a hint
    assert len(alternatives) > 15
    assert [alt for alt in alternatives if not DISCARD_CANDIDATES.hints.search(alt)] == []


def test_page_without_byline_markup_skips_the_byline_search_and_keeps_the_meta_author() -> None:
    # Given a page whose only author is in its meta tags, and one with no author at all
    import trafilatura
    from trafilatura.metadata import AUTHOR_XPATHS

    from article_pipeline.cleaning.html_metadata import may_hold_byline

    bare = ARTICLE_PAGE.replace('<p class="byline">By Jane Doe</p>', "")
    for page in (bare, bare.replace('<meta name="author" content="Jane Doe">', "")):
        tree = trafilatura.load_html(page)
        # Then the check finds nothing, and neither do trafilatura's XPaths
        assert not may_hold_byline(tree)
        assert not any(xpath(tree) for xpath in AUTHOR_XPATHS)
    assert may_hold_byline(trafilatura.load_html(ARTICLE_PAGE))
    assert clean_raw(bare.encode("utf-8"), filename="council.html")["author"] == "Jane Doe"


def test_byline_xpaths_on_the_stand_in_copies_find_the_pages_own_elements() -> None:
    # Given a page with bylines of several kinds, nested, and a <rel> child
    import trafilatura
    from trafilatura.metadata import AUTHOR_XPATHS

    from article_pipeline.cleaning.html_metadata import BYLINE_CANDIDATES, _mapped, _stand_ins

    page = (
        '<html><body><div class="post"><span class="author-name">Ann Lee</span>'
        '<div id="author-box"><a rel="author" href="/a">Bo Chan</a></div></div>'
        '<p itemprop="author">Cy Diaz</p><span class="sidebar byline">x</span>'
        "<div><rel>me</rel>Di Eng</div><author>Ed Fox</author></body></html>"
    )
    tree = trafilatura.load_html(page)
    stand_ins, originals = _stand_ins(tree, BYLINE_CANDIDATES) or (None, {})
    # Then each XPath finds the same elements of the page, in the same order, as on the page itself
    for xpath in AUTHOR_XPATHS:
        found = _mapped(xpath, stand_ins, originals)(tree)
        assert found and len(found) == len(xpath(tree))
        assert all(a is b for a, b in zip(found, xpath(tree), strict=True))


def test_html_metadata_the_extractors_cannot_read_leaves_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a metadata extractor that fails on this page
    from trafilatura import metadata

    def broken(_tree):
        raise ValueError("malformed meta tags")

    monkeypatch.setattr(metadata, "examine_meta", broken)
    # When the page is cleaned
    result = clean_raw(ARTICLE_PAGE.encode("utf-8"), filename="council.html")
    # Then the metadata is unknown, but the article text and the canonical URL are there
    assert result["title"] is None and result["author"] is None
    assert result["url"] == "https://news.example.com/2024/03/05/council-budget"
    assert all(p in result["text"] for p in PARAGRAPHS)


@needs_corpus
def test_page_metadata_is_trafilaturas_for_the_fields_we_keep() -> None:
    # Given the corpus pages, parsed
    import trafilatura
    from trafilatura.settings import set_date_params

    from article_pipeline.cleaning.html_metadata import html_metadata

    date_params = set_date_params()
    for path in sorted((CORPUS / "html").glob("*.html.gz"))[::3]:
        page = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        # When our metadata reader and trafilatura's own extract_metadata each read the page
        ours = html_metadata(trafilatura.load_html(page), date_params)
        theirs = trafilatura.extract_metadata(trafilatura.load_html(page), date_config=date_params)
        # Then every field we keep is the same
        expected = {
            "title": theirs.title,
            "author": theirs.author,
            "published": theirs.date,
            "url": theirs.url,
            "sitename": theirs.sitename,
            "description": theirs.description,
        }
        assert ours == {k: v or None for k, v in expected.items()}, path.name


# --- language -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Mieten in den Städten "
            "begrenzen soll und auch für die Länder gilt.",
            "de",
        ),
        (
            "El gobierno anunció una nueva reforma de las pensiones que será presentada en el Congreso en "
            "las próximas semanas.",
            "es",
        ),
        ("政府は来週、新しい経済対策を発表する予定だと関係者が明らかにした。", "ja"),
        ("国务院总理今天在北京主持召开常务会议，部署进一步稳定经济的政策措施。", "zh"),
        ("정부는 다음 주에 새로운 경제 대책을 발표할 예정이라고 관계자가 밝혔다.", "ko"),
        ("Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία την επόμενη εβδομάδα.", "el"),
        ("أعلنت الحكومة عن إجراءات اقتصادية جديدة ستدخل حيز التنفيذ الأسبوع المقبل.", "ar"),
        # a few Greek letters in an English text do not make it Greek
        ("The ratio was given as α to β, and the committee said that it was not enough for the plan.", "en"),
        ("12345 67890 !!! ???", None),
    ],
)
def test_language_is_detected_from_stop_words_or_script(text: str, code: str | None) -> None:
    # Given a short text, when its language is detected, then the ISO 639-1 code (or None) comes back
    assert detect_language(text) == code


# --- plain text boilerplate -----------------------------------------------------------------------


def test_clean_plain_article_passes_through() -> None:
    # Given a clean article uploaded as plain text (one paragraph per line)
    path = Path(__file__).resolve().parents[2] / "samples" / "budapest-summit.txt"
    raw = path.read_text(encoding="utf-8")
    # When it is cleaned
    result = clean_raw(raw.encode("utf-8"), filename=path.name)
    # Then (almost) every word is kept
    assert result["word_count"] >= 0.95 * len(raw.split())


def test_page_text_loses_menus_and_cookie_notice() -> None:
    # Given text copied from a page: menu lines, a cookie notice, the article, share buttons, comments
    lines = [
        "Home",
        "News",
        "Sport",
        "Weather",
        "Sign in",
        "We use cookies to improve your experience. Accept",
        "Council approves budget after long debate",
        *PARAGRAPHS,
        "Share on Facebook",
        "Share on Twitter",
        "Comments",
        "Post a Comment",
        "Related stories",
        "Bus fares to rise in May",
        "© 2024 The Daily Example. All rights reserved.",
    ]
    # When it is cleaned as text
    result = clean_raw("\n".join(lines), format="text")
    # Then the paragraphs stay and most boilerplate lines are gone
    for paragraph in PARAGRAPHS:
        assert paragraph in result["text"]
    dropped = [ln for ln in lines[:6] + lines[-7:] if ln not in result["text"]]
    assert len(dropped) >= 10


@needs_corpus
def test_text_classifier_beats_keep_everything_on_the_corpus() -> None:
    # Given the corpus's train pages as plain text (the held-out ones are only read by bench-clean,
    # so that no test passes or fails on them) and the shared scorer
    sys.path.insert(0, str(SHARED / "bench"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import boilerplate_score as scoring
    import boilerplate_splits

    truth = scoring.load_ground_truth(CORPUS / "ground-truth.json")
    train, _held_out = boilerplate_splits.load_split(CORPUS)[1:]
    ours, identity = [], []
    # When each page is cleaned as text
    for page_id, reference in sorted((pid, ref) for pid, ref in truth.items() if pid in set(train)):
        raw = (CORPUS / "text" / f"{page_id}.txt").read_text(encoding="utf-8")
        ours.append(scoring.score_pair(reference, clean_raw(raw, format="text")["text"]))
        identity.append(scoring.score_pair(reference, raw))
    # Then the benchmark F1 is clearly better than keeping everything
    ours_f1 = scoring.aggregate(ours)["bench_f1"]
    assert ours_f1 > scoring.aggregate(identity)["bench_f1"] + 0.15


@needs_corpus
def test_corpus_page_metadata() -> None:
    # Given a real news page from the corpus (Vox, Delhi air pollution)
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    page_id = next(i for i, v in truth.items() if "delhi" in (v.get("url") or "").lower())
    raw = gzip.decompress((CORPUS / "html" / f"{page_id}.html.gz").read_bytes())
    # When it is cleaned
    result = clean_raw(raw, filename=f"{page_id}.html")
    # Then title, author, date, canonical URL and language are all found
    assert "Delhi" in result["title"]
    assert result["author"] and "Irfan" in result["author"]
    assert result["published"].startswith("2019-11")
    assert result["url"].startswith("https://www.vox.com/")
    assert result["language"] == "en"
    assert "gas chamber" in result["text"]


def test_our_page_loader_builds_the_same_tree_as_trafilaturas() -> None:
    # Given pages that take each path of trafilatura.load_html: a plain page, an encoding declaration
    # (parsed again as bytes), a form (its own element classes), text that is not HTML, a lone fragment
    import trafilatura
    from lxml import etree

    from article_pipeline.cleaning.html import load_html

    pages = [
        ARTICLE_PAGE,
        '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>Caf\u00e9 au lait</p></body></html>',
        "<html><body><form><input name=q><select><option>a</option></select><label>b</label></form></body></html>",
        "just a line of text, no markup",
        "<p>one block</p>",
    ]
    for page in pages:
        # When both load it
        ours, theirs = load_html(page), trafilatura.load_html(page)
        # Then both reject it, or both build the same tree with the same element classes
        assert (ours is None) == (theirs is None), page
        if ours is not None:
            assert etree.tostring(ours) == etree.tostring(theirs)
            assert [type(e) for e in ours.iter()] == [type(e) for e in theirs.iter()]


def test_our_repair_of_a_page_matches_trafilaturas() -> None:
    # Given the characters trafilatura's repair drops, and pages that take each of its repairs
    from trafilatura.utils import INVALID_XML_CHARS, repair_faulty_html

    from article_pipeline.cleaning.html import _INVALID_XML_CHARS, _repaired

    assert {c for c in map(chr, range(0x10000)) if INVALID_XML_CHARS.match(c)} == set(_INVALID_XML_CHARS)
    pages = [
        ARTICLE_PAGE,
        "<!DOCTYPE html/>\n<html/>\n<body><p>x</p></body>",
        "<!doctype html PUBLIC '-//W3C//DTD XHTML 1.0//EN' 'http://x/y.dtd'>\n<html><p>x</p></html>",
        "<html lang='en'>\x00<p>a\x1fb\ufffe</p></html>",
        "\n\n\n<HTML lang='en' />\n<p>x</p>",
        "<html\n />",
        "no markup at all",
    ]
    for page in pages:
        # When both repair it, Then they agree
        assert _repaired(page, page[:50].lower()) == repair_faulty_html(page, page[:50].lower()), page


def test_one_reading_of_the_page_finds_the_discard_and_byline_candidates_each_search_finds() -> None:
    # Given a page with bylines, parts the byline search discards, and elements that are both
    import trafilatura

    from article_pipeline.cleaning.html_metadata import (
        BYLINE_CANDIDATES,
        DISCARD_CANDIDATES,
        _both_candidates,
        _candidate_elements,
    )

    page = (
        '<html class="comments"><body><div class="post"><span class="author-name">Ann Lee</span>'
        '<div id="comments"><p class="byline">Bo Chan</p></div><span class="sidebar byline">x</span>'
        '<p data-component="Figure" itemprop="author">Cy Diaz</p><div class="date">today</div>'
        "<div><rel>me</rel>Di Eng</div><author>Ed Fox</author></div></body></html>"
    )
    tree = trafilatura.load_html(page)
    # When both sets come from one reading
    found = _both_candidates(tree)
    # Then they are the elements (same objects, same order) that each search finds on its own
    assert found is not None
    for elements, candidates in zip(found, (DISCARD_CANDIDATES, BYLINE_CANDIDATES), strict=True):
        expected = _candidate_elements(tree, candidates)
        assert len(expected) > 2 and len(elements) == len(expected)
        assert all(a is b for a, b in zip(elements, expected, strict=True))
