"""Captions (WebVTT, SRT): cues run together into turns, their speakers named where the file names them."""

from __future__ import annotations

import pytest

from article_pipeline.cleaning import clean_raw
from article_pipeline.cleaning.captions import caption_paragraphs

DEBATE_VTT = """WEBVTT
Kind: captions
Language: en

NOTE captions by the network

1
00:00:01.000 --> 00:00:04.200
<v Lester Holt>Good evening from Hofstra University
in Hempstead, New York.

2
00:00:04.300 --> 00:00:08.000
<v Lester Holt>The first question goes to Secretary Clinton.

3
00:00:12.000 --> 00:00:16.000
<v Hillary Clinton>Well, thank you, Lester, and thanks to Hofstra
for hosting us.

4
00:00:16.100 --> 00:00:20.000
<v Hillary Clinton>I want us to invest in you, and I want us to raise
the national minimum wage.

5
00:00:24.500 --> 00:00:28.000
<v Donald Trump>Our jobs are fleeing the country.
They're going to Mexico.

6
00:00:31.500 --> 00:00:34.000
<v Lester Holt>Secretary Clinton, your response?

7
00:00:34.500 --> 00:00:39.000
<v Hillary Clinton>Well, I think that trade is an important issue, and I have
a plan to make sure we build more here.

8
00:00:39.500 --> 00:00:43.000
<v Donald Trump>You have been doing this for thirty years, and you haven't fixed it.
"""

NEWS_SRT = """1
00:00:00,500 --> 00:00:03,000
>> ANDERSON: Good evening. The city council
voted tonight

2
00:00:03,000 --> 00:00:06,000
to approve a budget of <i>412 million</i> dollars.

3
00:00:06,100 --> 00:00:09,000
>> This budget keeps every school open
and every bridge standing.

4
00:00:09,100 --> 00:00:12,000
- Is it enough?
- Critics say it is not.
"""

# Auto-generated captions roll: each cue repeats the last line above the new words, timed word by word.
ROLLING_VTT = """WEBVTT
Kind: captions

00:00:00.000 --> 00:00:02.500 align:start position:0%
the<00:00:00.400><c> mayor</c><00:00:00.800><c> said</c><00:00:01.500><c> on Monday</c>

00:00:02.500 --> 00:00:02.510 align:start position:0%
the mayor said on Monday

00:00:02.510 --> 00:00:05.000 align:start position:0%
the mayor said on Monday
that<00:00:02.900><c> the</c><00:00:03.200><c> city</c><00:00:03.900><c> would build three bridges</c>

00:00:05.010 --> 00:00:08.000 align:start position:0%
that the city would build three bridges
over<00:00:05.400><c> the river this year</c>
"""


def test_webvtt_cues_become_turns_labelled_with_their_voices():
    # When a WebVTT file with voice tags is cleaned, with or without a name saying what it is
    for name, content_type in (("debate.vtt", None), (None, "text/vtt"), (None, None)):
        result = clean_raw(DEBATE_VTT.encode(), filename=name, content_type=content_type)
        # Then each speaker's cues run together into one labelled turn, timings and notes gone
        assert result["format"] == "captions"
        paragraphs = result["text"].split("\n\n")
        assert paragraphs[0] == (
            "Lester Holt: Good evening from Hofstra University in Hempstead, New York. "
            "The first question goes to Secretary Clinton."
        )
        assert [p.split(":")[0] for p in paragraphs] == [
            "Lester Holt",
            "Hillary Clinton",
            "Donald Trump",
            "Lester Holt",
            "Hillary Clinton",
            "Donald Trump",
        ]
        assert "-->" not in result["text"] and "NOTE" not in result["text"] and "<v" not in result["text"]


def test_srt_change_markers_start_turns_and_a_sentence_runs_across_cues():
    # When broadcast captions with ">>" and subtitle dashes are read
    paragraphs = caption_paragraphs(NEWS_SRT)
    # Then a marker starts a turn, a label after it stays, a sentence split over cues is whole again
    assert paragraphs == [
        "ANDERSON: Good evening. The city council voted tonight to approve a budget of 412 million dollars.",
        "This budget keeps every school open and every bridge standing.",
        "Is it enough?",
        "Critics say it is not.",
    ]


def test_rolling_captions_say_each_word_once():
    assert caption_paragraphs(ROLLING_VTT) == [
        "the mayor said on Monday that the city would build three bridges over the river this year"
    ]


def test_a_captioned_debate_files_each_sentence_under_its_voice(nlp):
    from article_pipeline.analysis import analyze_raw

    # When captions of a debate are analysed
    document = analyze_raw(DEBATE_VTT.encode(), filename="debate.vtt")
    said = {c["content"]["text"]: c["speaker"] for c in document["claims"] if not c["nested"]}
    # Then what each one said is theirs, as in a transcript
    assert said["Our jobs are fleeing the country."]["entity"] == "Donald Trump"
    assert said["I want us to invest in you, and I want us to raise the national minimum wage."]["entity"] == (
        "Hillary Clinton"
    )
    # and the host, whose name the small model tags ORG at the start of a line, speaks as a person
    assert said["Secretary Clinton, your response?"] == {
        **said["Secretary Clinton, your response?"],
        "entity": "Lester Holt",
        "label": "PERSON",
    }
    assert {e["name"]: e["label"] for e in document["entities"]}["Lester Holt"] == "PERSON"


@pytest.mark.parametrize("text", ["WEBVTT\n\n", "1\n00:00:01,000 --> 00:00:02,000\n\n"])
def test_captions_with_no_words_have_no_article_text(text):
    from article_pipeline.errors import NoArticleText

    with pytest.raises(NoArticleText):
        clean_raw(text.encode(), filename="empty.vtt")


def test_a_label_a_cue_opens_with_names_its_speaker_across_cues():
    # Given captions that print the speaker's name in each new speaker's first cue (Zoom)
    captions = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nLester Holt: Good evening from Hofstra University\n\n"
        "2\n00:00:04.100 --> 00:00:06.000\nin Hempstead, New York.\n\n"
        "3\n00:00:06.500 --> 00:00:09.000\nHillary Clinton: Well, thank you, Lester.\n\n"
        "4\n00:00:09.100 --> 00:00:12.000\nDonald Trump: Our jobs are fleeing the country.\n"
    )
    # Then each name opens a turn, and a cue without one goes on with the last speaker
    assert caption_paragraphs(captions) == [
        "Lester Holt: Good evening from Hofstra University in Hempstead, New York.",
        "Hillary Clinton: Well, thank you, Lester.",
        "Donald Trump: Our jobs are fleeing the country.",
    ]


def test_a_declared_language_decides_when_the_words_cannot():
    # Given captions too short to tell their language, which their header states
    captions = "WEBVTT\nKind: captions\nLanguage: es\n\n00:00:01.000 --> 00:00:02.000\nGracias.\n"
    # Then the header's language is the document's (so a Spanish video is not analysed as English)
    assert clean_raw(captions.encode(), filename="clip.vtt")["language"] == "es"
