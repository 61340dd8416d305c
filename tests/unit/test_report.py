"""The HTML report shows the text, highlights entities by label and links every claim."""

from __future__ import annotations

import html.parser

from article_pipeline_tools.report import render_report

TEXT = "Trump said Putin called. “It was very productive,” Trump wrote. Prices rose 5% in May."


def _document():
    return {
        "title": "Call",
        "text": TEXT,
        "language": "en",
        "entities": [
            {
                "name": "Donald Trump",
                "label": "PERSON",
                "aliases": ["Trump"],
                "count": 2,
                "salience": 1.0,
                "mentions": [{"start": 0, "end": 5, "text": "Trump"}, {"start": 52, "end": 57, "text": "Trump"}],
            },
            {
                "name": "Putin",
                "label": "PERSON",
                "aliases": [],
                "count": 1,
                "salience": 0.5,
                "mentions": [{"start": 11, "end": 16, "text": "Putin"}],
            },
        ],
        "claims": [
            {
                "kind": "direct_quote",
                "quoted": "full",
                "score": 0.3,
                "speaker": {"text": "Trump", "start": 52, "end": 57, "entity": "Donald Trump", "label": "PERSON"},
                "cue": {"text": "wrote", "start": 58, "end": 63},
                "content": {"text": "It was very productive,", "start": 25, "end": 48, "spans": [[25, 48]]},
            },
            {
                "kind": "assertion",
                "quoted": "none",
                "score": 0.8,
                "speaker": None,
                "cue": None,
                "content": {"text": "Prices rose 5% in May.", "start": 65, "end": 87, "spans": [[65, 87]]},
            },
        ],
    }


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.labels, self.text = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self.hrefs.append(attrs["href"])
        if attrs.get("data-label"):
            self.labels.append(attrs["data-label"])

    def handle_data(self, data):
        self.text.append(data)


def test_report_highlights_entities_and_links_each_claim_to_the_text():
    # Given an analysed document
    page = render_report(_document())
    # When the page is parsed
    parsed = _Collector()
    parsed.feed(page)
    # Then the whole text is there, entities are highlighted, and each claim link has a target
    assert "very productive" in "".join(parsed.text)
    assert parsed.labels.count("PERSON") == 3
    assert parsed.hrefs == ["#claim-1", "#claim-2"]
    assert {"claim-1", "claim-2"} <= parsed.ids
    assert "Donald Trump (Trump)" in page


def test_report_escapes_markup_in_the_article():
    document = _document() | {"text": "<script>alert(1)</script> " + TEXT[:0], "entities": [], "claims": []}
    assert "<script>alert" not in render_report(document)


def test_report_flags_claims_worth_checking_and_nested_ones():
    # Given a document whose second claim is flagged check-worthy and whose first is reported inside another
    document = _document()
    document["claims"][0]["nested"] = True
    document["claims"][1]["check_worthy"] = True
    # When the page is parsed
    parsed = _Collector()
    parsed.feed(render_report(document))
    text = " ".join(parsed.text)
    # Then each flag shows once, on its own claim
    assert text.count("check-worthy") == 1 and text.count("reported inside another claim") == 1
    listed = text[text.rindex("Claims") :]
    nested, checked = listed.index("reported inside another claim"), listed.index("check-worthy")
    assert nested < listed.index("very productive") < checked
    assert listed.index("check-worthy") < listed.index("Prices rose")
