"""News agency XML (cleaning/newsml.py): IPTC NITF stories and NewsML-G2 items, as wire services deliver them."""

from __future__ import annotations

import pytest

from article_pipeline.cleaning import clean_raw
from article_pipeline.cleaning.exports import export_records
from article_pipeline.cleaning.formats import detect_format
from article_pipeline.errors import SeveralArticles

STORY = (
    "<p>Dock workers in Rotterdam returned to work on Monday after their union accepted a pay rise of 4.5 percent, "
    "ending the longest strike at Europe's biggest port in decades.</p>"
    "<p>“This deal recognises the work our members do in all weathers,” said Niels de Groot, a spokesman for the "
    "FNV Havens union.</p>"
)

NITF = f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" version="-//IPTC//DTD NITF 3.6//EN" xml:lang="en">
  <head>
    <title>PORT-STRIKE/ (UPDATE 2)</title>
    <docdata><doc-id id-string="WIRE-20261128-0042"/><date.issue norm="20261128T090500Z"/></docdata>
  </head>
  <body>
    <body.head>
      <hedline><hl1>Port strike ends after nine days</hl1></hedline>
      <byline>By <person>Jan Smit</person></byline>
      <dateline><location>ROTTERDAM</location>, <story.date norm="20261128">Nov 28</story.date> (Wire)</dateline>
    </body.head>
    <body.content>{STORY}<hl2>Backlog</hl2>
      <p>Clearing the backlog will take two weeks, the port said.</p></body.content>
    <body.end><tagline>(Reporting by Jan Smit; Editing by Anna Berg)</tagline></body.end>
  </body>
</nitf>
"""


def _news_item(guid: str, content: str, headline: str = "Port strike ends after nine days") -> str:
    return f"""<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" standard="NewsML-G2"
      standardversion="2.29" xml:lang="en">
    <itemMeta><itemClass qcode="ninat:text"/><firstCreated>2026-11-28T09:00:00Z</firstCreated></itemMeta>
    <contentMeta>
      <contentCreated>2026-11-28T09:05:00+01:00</contentCreated>
      <creator><name>Jan Smit</name></creator>
      <language tag="en-GB"/>
      <headline>{headline}</headline>
    </contentMeta>
    <contentSet>{content}</contentSet>
  </newsItem>"""


XHTML_ITEM = _news_item(
    "urn:newsml:wire:20261128:1",
    '<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><head><title/>'
    f"</head><body>{STORY}</body></html></inlineXML>",
)
NITF_ITEM = _news_item(
    "urn:newsml:wire:20261128:2",
    '<inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body>'
    f"<body.content>{STORY}</body.content></body></nitf></inlineXML>",
)
PICTURE_ITEM = _news_item(
    "urn:newsml:wire:20261128:3", '<remoteContent href="https://wire.example/photo.jpg" contenttype="image/jpeg"/>'
)


def test_an_nitf_story_is_its_headline_byline_date_and_body() -> None:
    for name in ("story.xml", "story.nitf", None):
        result = clean_raw(NITF.encode(), filename=name)
        assert result["format"] == "newsml"
        assert result["title"] == "Port strike ends after nine days"  # the headline, not the wire's slug
        assert result["author"] == "Jan Smit"
        # the issue date, not the date in the NITF namespace (read as HTML, the story was dated 2006-10-18)
        assert result["published"] == "2026-11-28T09:05:00+00:00"
        assert result["language"] == "en"
        paragraphs = result["text"].split("\n\n")
        assert paragraphs[0].startswith("Dock workers in Rotterdam")
        assert "Backlog" in paragraphs and paragraphs[-1] == "Clearing the backlog will take two weeks, the port said."
        for furniture in ("ROTTERDAM, Nov 28", "Reporting by", "PORT-STRIKE"):  # dateline, tagline, slug
            assert furniture not in result["text"]


@pytest.mark.parametrize("item", [XHTML_ITEM, NITF_ITEM], ids=["inline XHTML", "inline NITF"])
def test_a_newsml_g2_item_is_its_text_and_content_metadata(item: str) -> None:
    result = clean_raw(('<?xml version="1.0" encoding="UTF-8"?>\n' + item).encode())
    assert result["format"] == "newsml"
    assert (result["title"], result["author"]) == ("Port strike ends after nine days", "Jan Smit")
    assert result["published"] == "2026-11-28T09:05:00+01:00"
    assert "“This deal recognises the work our members do" in result["text"]


def test_a_newsml_message_of_several_stories_is_refused_and_split_gives_each() -> None:
    message = (
        '<?xml version="1.0"?><newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header>'
        "<sent>2026-11-28T09:06:00Z</sent></header><itemSet>"
        + XHTML_ITEM
        + PICTURE_ITEM
        + NITF_ITEM.replace("Port strike ends after nine days", "Antwerp gains from Rotterdam strike")
        + "</itemSet></newsMessage>"
    )
    with pytest.raises(SeveralArticles, match="2 articles"):
        clean_raw(message.encode(), filename="wire.xml")
    assert [r["title"] for r in export_records(message)] == [
        "Port strike ends after nine days",
        "Antwerp gains from Rotterdam strike",
    ]
    # one text story beside pictures is that story
    single = message.replace(
        NITF_ITEM.replace("Port strike ends after nine days", "Antwerp gains from Rotterdam strike"), ""
    )
    assert clean_raw(single.encode())["title"] == "Port strike ends after nine days"


def test_other_xml_is_not_news_agency_xml() -> None:
    assert detect_format('<?xml version="1.0"?><catalog><book>A</book></catalog>') != "newsml"
    assert detect_format("<nitfy>no</nitfy>") != "newsml"
    assert detect_format("Plain words.", content_type="application/vnd.iptc.g2.newsitem+xml") == "newsml"
