"""RTF uploads (cleaning/rtf.py): the text a word processor shows, and the title, author and date it stores."""

from __future__ import annotations

import pytest

from article_pipeline.cleaning import clean_raw
from article_pipeline.cleaning.formats import detect_format
from article_pipeline.errors import NoArticleText

# As Word writes it: tables first, an {\info} group, code page 1252 escapes, smart quotes as control words.
WORD_RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0\deflang1033{\fonttbl{\f0\froman\fcharset0 Times New Roman;}}"
    r"{\colortbl;\red0\green0\blue0;}{\stylesheet{\s0 Normal;}{\s1 heading 1;}}"
    r"{\info{\title Port strike ends after nine days}{\author Jan Smit}{\operator Desk}"
    r"{\creatim\yr2026\mo11\dy28\hr9\min5}{\revtim\yr2026\mo11\dy29\hr10\min0}}"
    "\n"
    r"\pard\s1\b\fs32 Port strike ends after nine days\b0\fs24\par"
    "\n"
    r"\pard The strike at the port of Rotterdam ended on Friday after dockers accepted a pay rise of"
    r" 4.5 percent, the FNV union said.\par"
    "\n"
    r"\pard \ldblquote This deal recognises the work our members do,\rdblquote  said Niels de Groot,"
    r" a spokesman for the union. Employers\rquote  group VWH called it expensive but fair.\par"
    "\n"
    r"{\pict\pngblip\picw100\pich100 89504e470d0a1a0a0000000d4948445200000064}"
    "\n"
    r"\pard Trade through Antwerp rose by a tenth during the stoppage, caf\'e9 owners near the docks said.\par"
    "\n}"
)

# As macOS TextEdit writes it: a line ends with a backslash, Unicode as \uN.
TEXTEDIT_RTF = (
    "{\\rtf1\\ansi\\ansicpg1252\\cocoartf2761\n"
    "\\cocoatextscaling0\\cocoaplatform0{\\fonttbl\\f0\\fswiss\\fcharset0 Helvetica;}\n"
    "{\\colortbl;\\red255\\green255\\blue255;}\n"
    "{\\*\\expandedcolortbl;;}\n"
    "\\paperw11900\\paperh16840\\margl1440\\margr1440\\vieww11520\\viewh8400\\viewkind0\n"
    "\\pard\\tx566\\tx1133\\pardirnatural\\partightenfactor0\n\n"
    "\\f0\\fs24 \\cf0 Caf\\'e9 owners protest new rent rules\\\n\\\n"
    "Owners of 40 caf\\'e9s in Lyon said on Monday that the city\\'92s new rent rules would close a"
    " third of them.\\\n\\\n"
    "\\'93We cannot pay twice the rent,\\'94 said Am\\'e9lie Durand, who runs one near the station."
    " The council said the rules protect residents \\uc0\\u8212  and would stay.}"
)


def test_word_rtf_gives_its_paragraphs_and_its_info_group() -> None:
    result = clean_raw(WORD_RTF.encode(), filename="strike.rtf")
    assert result["format"] == "rtf"
    assert result["title"] == "Port strike ends after nine days"
    assert result["author"] == "Jan Smit"
    assert result["published"] == "2026-11-28"
    assert result["language"] == "en"
    paragraphs = result["text"].split("\n\n")
    assert paragraphs[0] == "Port strike ends after nine days"
    assert "“This deal recognises the work our members do,” said Niels de Groot" in result["text"]
    assert "Employers’ group VWH" in result["text"]
    assert "café owners near the docks said." in result["text"]
    # no control word, font, colour or style table, and no picture data
    for leftover in ("\\", "Times New Roman", "heading 1", "89504e47", "Desk", "{", "}"):
        assert leftover not in result["text"]


def test_textedit_rtf_decodes_its_code_page_and_unicode() -> None:
    result = clean_raw(TEXTEDIT_RTF.encode(), filename="rent.rtf")
    assert result["title"] == "Café owners protest new rent rules"  # no {\info}: the headline, as for text
    assert result["text"].split("\n\n") == [
        "Café owners protest new rent rules",
        "Owners of 40 cafés in Lyon said on Monday that the city’s new rent rules would close a third of them.",
        "“We cannot pay twice the rent,” said Amélie Durand, who runs one near the station. "
        "The council said the rules protect residents — and would stay.",
    ]


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("memo.txt", "text/plain"), (None, None), ("memo", "application/octet-stream"), (None, "application/rtf")],
)
def test_rtf_is_read_as_rtf_whatever_its_name_or_type_says(filename: str | None, content_type: str | None) -> None:
    # TextEdit and Word save RTF as .txt too; read as text it would be control words
    result = clean_raw(WORD_RTF.encode(), filename=filename, content_type=content_type)
    assert result["format"] == "rtf"
    assert "\\par" not in result["text"]


def test_only_a_file_that_opens_as_rtf_is_rtf() -> None:
    assert detect_format('{"title": "A", "body": "{\\\\rtf is how RTF opens"}') == "json"
    assert detect_format("The {\\rtf1} header opens every RTF file.", filename="notes.txt") == "text"
    assert detect_format("Plain words.", content_type="text/rtf") == "rtf"


def test_an_rtf_with_no_text_says_so() -> None:
    with pytest.raises(NoArticleText, match="rtf"):
        clean_raw(rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\info{\title Empty}}\pard\par}", filename="empty.rtf")


def test_a_malformed_rtf_keeps_its_text() -> None:
    # an {\info} group that never closes (its title unread), and groups nested 200,000 deep
    unclosed = "{\\rtf1{\\info{\\title " + "a" * 100_000
    nested = "{\\rtf1\\pard The union said the deal was fair.\\par" + "{" * 200_000 + "x" + "}" * 200_000 + "}"
    with pytest.raises(NoArticleText):
        clean_raw(unclosed.encode(), filename="a.rtf")
    result = clean_raw(nested.encode(), filename="b.rtf")
    assert "The union said the deal was fair." in result["text"]
    assert result["title"] is None or len(result["title"]) < 100
