"""Transcripts (debates, interviews written as speaker turns): every turn kept, every sentence its speaker's."""

from __future__ import annotations

from pathlib import Path

import pytest

from article_pipeline.cleaning import clean_raw
from article_pipeline.cleaning.transcript import is_stage_direction, speaker_label, turn_span

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "town-hall-transcript.txt"

DEBATE = """KELLY: Welcome to the first debate night of the campaign, live from Cleveland, Ohio.

[ applause ]

KELLY: Former Florida Governor Jeb Bush.

[ applause ]

KELLY: Governor Bush, you have said that you would not be a candidate of the past. Why not?

BUSH: I'm running for president because I believe we can restore the economy and lift people up.

KELLY: Businessman Donald Trump.

TRUMP: Thank you.

TRUMP: Our country is in serious trouble, and we don't win anymore. We lose to China on trade.

(APPLAUSE) (CHEERING)

BUSH: Look, the facts are clear: the state created 1.3 million jobs while I was governor.
"""


def test_a_line_that_opens_with_a_speaker_label_is_a_turn():
    assert speaker_label("CLINTON: Well, I think that trade is an important issue.") == "CLINTON"
    assert speaker_label("SEN. BERNIE SANDERS: Let me say this.") == "SEN. BERNIE SANDERS"
    assert speaker_label("Bill O'Reilly: Do you respect Putin?") == "Bill O'Reilly"
    assert speaker_label("Q: What did you find?") == "Q"
    assert speaker_label("DeSantis: We will not back down.") == "DeSantis"
    # a heading and a sentence with a colon are no turns
    for line in ("UPDATE: The story was corrected.", "Editor's note: This was updated.", "Here is why: it rained."):
        assert speaker_label(line) is None
    assert is_stage_direction("(APPLAUSE) (CHEERING)") and is_stage_direction("[ crosstalk ]")
    assert not is_stage_direction("(He paused.) We will win.")


def test_a_text_is_a_transcript_only_when_named_speakers_take_turns_in_sentences():
    lines = [line for line in DEBATE.splitlines() if line.strip()]
    assert turn_span(lines) == (0, len(lines) - 1)
    # "Label: value" lines of a specification or a forum page do not take turns in sentences
    specs = ["Memory: 8 GB", "Storage: 256 GB", "Memory: 16 GB", "Storage: 512 GB", "Processor: 8 cores"]
    assert turn_span(specs) is None
    forum = ["Re: the new bridge", "Posts: 12", "Joined: May 2020", "Re: the new bridge", "Posts: 40", "Joined: 2019"]
    assert turn_span(forum) is None
    # one label on every line of a list of things, not of speech, is no transcript
    recipes = ["Recipe: Porridge made with semi-skimmed milk and topped with a sliced banana and honey."] * 6
    assert turn_span(recipes) is None


def test_cleaning_a_transcript_keeps_every_turn_and_drops_the_stage_directions():
    text = clean_raw(DEBATE.encode(), filename="debate.txt")["text"]
    for line in DEBATE.splitlines():
        if line.strip() and not is_stage_direction(line.strip()):
            assert line.strip() in text, line  # the short turns too ("TRUMP: Thank you.")
    assert "applause" not in text.lower() and "CHEERING" not in text


@pytest.fixture(scope="module")
def town_hall() -> dict:
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    return analyze_raw(SAMPLE.read_bytes(), filename=SAMPLE.name)


def test_each_sentence_of_a_turn_is_a_statement_of_its_speaker(town_hall):
    claims = {c["content"]["text"]: c for c in town_hall["claims"]}
    claim = claims["Rents rose 9 percent last year, and that is too much."]
    assert claim["kind"] == "direct_quote" and not claim["nested"]
    assert claim["speaker"]["text"] == "OKAFOR"
    assert claim["speaker"]["entity"] == "Grace Okafor"  # the label names the person the moderator introduced
    # each sentence is its own claim, with its own check-worthiness
    debt = next(c for text, c in claims.items() if text.startswith("Since I joined the council in 2019"))
    assert debt["speaker"]["text"] == "OKAFOR" and debt["check_worthy"]
    assert claims["Because I have balanced it before."]["score"] < debt["score"]


def test_what_a_speaker_reports_in_a_turn_is_nested_in_it_and_labels_are_no_statements(town_hall):
    reported = next(c for c in town_hall["claims"] if (c["speaker"] or {}).get("text") == "The auditor's report")
    assert reported["nested"]
    speakers = {(c["speaker"] or {}).get("text") for c in town_hall["claims"]}
    reporters = {"The auditor's report", "the council", "The regional housing board"}
    assert speakers <= {"MARTINEZ", "OKAFOR", "LINDQVIST", *reporters}
    # no statement is the whole turn, and stage directions and two-word courtesies are none
    texts = [c["content"]["text"] for c in town_hall["claims"]]
    assert not any("APPLAUSE" in t or "CROSSTALK" in t for t in texts)
    assert "Fair enough." not in texts
    assert all(". " not in t for t in texts if t.startswith("Since I joined"))


def test_i_and_we_in_a_turn_are_its_speaker():
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    text = (
        "HOLT: Good evening. Our candidates tonight are Hillary Clinton and Donald Trump. Secretary Clinton, "
        "the first question goes to you.\n\n"
        "CLINTON: I think that trade is an important issue for every family in this country.\n\n"
        "HOLT: Mr. Trump, your response to that, please, in two minutes.\n\n"
        "TRUMP: We believe that our jobs are fleeing the country to Mexico and to China.\n\n"
        "CLINTON: I said that we would renegotiate the trade deals that hurt American workers.\n"
    )
    claims = analyze_raw(text.encode(), filename="debate.txt")["claims"]
    thinks = next(c for c in claims if (c["cue"] or {}).get("text") == "think")
    assert thinks["nested"] and thinks["speaker"]["text"] == "I"
    assert thinks["speaker"]["entity"] == "Hillary Clinton"
    believes = next(c for c in claims if (c["cue"] or {}).get("text") == "believe")
    assert believes["speaker"]["entity"] == "Donald Trump"  # not Hillary Clinton, the last person named before it


REV_STYLE = """Donald Trump: (00:00)
Thank you very much. It's a great honor to be here in Ohio tonight with all of you.

Reporter: (00:12)
Mr. President, what did you tell the governor about the plant in Lordstown?

Donald Trump: (00:15)
We talked about jobs.

Reporter: (00:20)
Will the plant stay open after the end of this year, sir?

Donald Trump: (00:24)
It will stay open, and we will add two hundred jobs there by next spring.
"""


def test_a_transcript_that_puts_the_words_under_the_label_is_read_the_same_way():
    # "Donald Trump: (00:15)" on one line, what he said on the next
    text = clean_raw(REV_STYLE.encode(), filename="rally.txt")["text"]
    assert "We talked about jobs." in text and "Reporter: (00:20)" in text
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    claims = analyze_raw(REV_STYLE.encode(), filename="rally.txt")["claims"]
    said = {c["content"]["text"]: c for c in claims if not c["nested"]}
    jobs = said["It will stay open, and we will add two hundred jobs there by next spring."]
    assert jobs["kind"] == "direct_quote" and jobs["speaker"]["text"] == "Donald Trump"
    assert said["We talked about jobs."]["speaker"]["text"] == "Donald Trump"
    assert not any(t.startswith("(00") for t in said)


def test_labels_that_name_nobody_give_no_statements():
    # A week's meal plan alternates "Breakfast:", "Lunch:" and "Dinner:" like speakers taking turns
    days = [
        "Breakfast: Porridge made with semi-skimmed milk and topped with a sliced banana and honey.\n"
        "Lunch: Spicy carrot and lentil soup with two slices of wholemeal bread and a little spread.\n"
        "Dinner: A medium-sized jacket potato with half a tin of sardines in tomato sauce and salad."
    ] * 3
    text = "A cheap week of healthy meals\n\n" + "\n\n".join(days)
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    claims = analyze_raw(text.encode(), filename="meals.txt")["claims"]
    assert not any((c["speaker"] or {}).get("text") in ("Breakfast", "Lunch", "Dinner") for c in claims)


def test_a_speech_broken_by_applause_is_its_speakers_turns():
    speech = "\n\n".join(
        [
            "TRUMP: Thank you very much, everybody, it is a great honor to be back here in Phoenix tonight.",
            "(APPLAUSE)",
            "TRUMP: We have created more than one million jobs since the election, and wages are going up.",
            "(APPLAUSE)",
            "TRUMP: Our border crossings are down by seventy percent, the lowest level in seventeen years.",
            "(CHEERING)",
            "TRUMP: And we are going to keep working for you every single day, believe me.",
        ]
    )
    lines = [line for line in speech.splitlines() if line.strip()]
    assert turn_span(lines) == (0, len(lines) - 1)
    # two turns with applause between them are not enough to call a text a speech
    assert turn_span(lines[:3]) is None
    assert "APPLAUSE" not in clean_raw(speech.encode(), filename="speech.txt")["text"]


# As press offices and newspapers print them: a long answer runs over paragraphs, only its first labelled.
LONG_ANSWERS = """MODERATOR: Senator, the first question is yours. What would you do about the price of housing?

SMITH: Thank you. I have spent twenty years on this question, and I will not pretend it is simple.

We built fewer homes in the last decade than in any decade since the war. That is the whole problem.

My plan changes the zoning rules so that cities can build near their train stations again.

MODERATOR: Governor, your response.

JONES: The senator voted against every housing bill that came to the floor, and you know it.

Our state built forty thousand homes last year, more than any other state in the region.

MODERATOR: Thank you both. We will come back to housing after the break.

SMITH: I look forward to it, because the governor's numbers do not add up.
"""

SPEECH = """THE PRESIDENT: Thank you very much. It is a great honor to be with you tonight in this beautiful hall.

(Applause.)

When I took office, we promised the American people that we would bring back their jobs, and we did.

Unemployment has fallen to the lowest level in fifty years. You see it in every town we visit.

The Democrats in Congress have blocked the new highway bill for two years now.

We will keep fighting for you every single day. Thank you, and God bless America.
"""


def test_a_turn_runs_on_over_unlabelled_paragraphs():
    lines = [line for line in LONG_ANSWERS.splitlines() if line.strip()]
    assert turn_span(lines) == (0, len(lines) - 1)
    text = clean_raw(LONG_ANSWERS.encode(), filename="debate.txt")["text"]
    assert all(line in text for line in lines)
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    said = {c["content"]["text"]: c for c in analyze_raw(LONG_ANSWERS.encode(), filename="debate.txt")["claims"]}
    assert said["That is the whole problem."]["speaker"]["text"] == "SMITH"
    assert (
        said["Our state built forty thousand homes last year, more than any other state in the region."]["speaker"][
            "text"
        ]
        == "JONES"
    )


def test_a_speech_labelled_once_is_its_speakers_to_the_end():
    lines = [line for line in SPEECH.splitlines() if line.strip()]
    assert turn_span(lines) == (0, len(lines) - 1)
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    said = {c["content"]["text"]: c for c in analyze_raw(SPEECH.encode(), filename="speech.txt")["claims"]}
    # after the applause, and on a line with no "I", "we" or "you", it is still the president speaking
    assert (
        said["The Democrats in Congress have blocked the new highway bill for two years now."]["speaker"]["text"]
        == "THE PRESIDENT"
    )


def test_a_first_person_essay_under_a_kicker_is_no_speech():
    essay = "\n\n".join(
        [
            "OPINION: Why I left the party after twenty years",
            "I joined the party in 2004 because I believed it stood for working families like mine.",
            "We knocked on doors every weekend, and I thought we were building something that would last.",
            "Today I no longer recognise it, and I suspect many of you feel the same way about yours.",
            "So I am leaving, and I hope you will ask yourselves the questions I had to ask myself.",
        ]
    )
    assert turn_span([line for line in essay.splitlines() if line.strip()]) is None


def test_a_news_story_under_a_name_and_colon_headline_is_no_speech():
    # Quotations are the reporter's, however much "I" and "we" they hold.
    story = "\n\n".join(
        [
            "Cruz: Trump Would Put Liberals On Court",
            "Republican presidential candidate Ted Cruz argued on Wednesday that the court was at stake.",
            "Cruz said, “If we give up the Supreme Court for a generation, we lose everything we fought for.”",
            "Cruz added that “I will tell you this, we will see our rights taken away, and we cannot allow it.”",
            "“We cannot let that happen,” he told the host of the radio show on Wednesday evening.",
        ]
    )
    assert turn_span([line for line in story.splitlines() if line.strip()]) is None


def test_a_label_that_is_only_a_title_names_whom_the_text_calls_by_it():
    # Official transcripts label the president "THE PRESIDENT"; the text names him "President Donald Trump".
    text = (
        "Remarks before the departure. Vice President JD Vance and former President Barack Obama were there, "
        "and President Donald Trump spoke to reporters.\n\n"
        "THE PRESIDENT: Thank you very much. We are very close to a deal on the highway bill today.\n\n"
        "Q: Mr. President, will you sign the bill if it does not include the border money?\n\n"
        "THE PRESIDENT: I think we will get the border money, and I think we will get it very soon.\n\n"
        "Q: Sir, did the Vice President speak to the governor about the storm last night?\n\n"
        "THE VICE PRESIDENT: I did, and we had a very good conversation about the federal help we are sending.\n"
    )
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    said = {c["content"]["text"]: c for c in analyze_raw(text.encode(), filename="remarks.txt")["claims"]}
    assert said["We are very close to a deal on the highway bill today."]["speaker"]["entity"] == "Donald Trump"
    vance = next(text for text in said if text.startswith("I did, and we had"))
    assert said[vance]["speaker"]["entity"] == "JD Vance"  # not the president: "Vice President JD Vance"


INTERVIEW = """Q&A with Senator Maria Alvarez.

Senator Maria Alvarez spent Monday in Denver, where she toured a new rail yard. On the flight back she spoke
with our reporter Tom Reed. Alvarez defended the transit bill and said the state would hire more inspectors.

Q: You have been saying the country is on the upswing. Why are voters so gloomy about the economy?

A: I think people are still paying too much for rent and groceries. We passed the bill to bring those costs down.

Q: Will the state hire more rail inspectors this year, as your office promised in the spring?

A: Yes. We will hire two hundred inspectors by December, and I have the budget to prove it.
"""


def test_the_answers_of_a_q_and_a_interview_are_the_interviewees():
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    claims = analyze_raw(INTERVIEW.encode(), filename="interview.txt")["claims"]
    said = {c["content"]["text"]: c for c in claims if not c["nested"]}
    answer = said["We will hire two hundred inspectors by December, and I have the budget to prove it."]
    assert answer["speaker"]["text"] == "A" and answer["speaker"]["entity"] == "Maria Alvarez"
    # the questions are nobody's in particular, and "I" inside an answer is the interviewee
    assert not any(c["content"]["text"].startswith("Will the state hire") for c in claims)
    thinks = next(c for c in claims if (c["cue"] or {}).get("text") == "think")
    assert thinks["nested"] and thinks["speaker"]["entity"] == "Maria Alvarez"


def test_an_interview_whose_introduction_is_about_no_one_person_gives_the_answers_no_speaker():
    # Two people named as often in the introduction: whose answers these are is not said.
    _, _, turns = INTERVIEW.partition("\n\nQ: ")
    text = (
        "Q&A with Senator Maria Alvarez and Governor Ken Ito.\n\nAlvarez and Ito toured a new rail yard in "
        "Denver on Monday and spoke with our reporter afterwards.\n\nQ: " + turns
    )
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    claims = analyze_raw(text.encode(), filename="interview.txt")["claims"]
    assert not any((c["speaker"] or {}).get("text") == "A" for c in claims)


BROADCAST = """Plumbers are training as substitute teachers

SACHA PFEIFFER, HOST:

The state legislature is holding a special session this week, and the main issue is school vouchers. \
Our reporter Sergio Martínez-Beltrán explains.

SERGIO MARTINEZ-BELTRAN, BYLINE: It's a Saturday afternoon in Austin, and hundreds are gathering at the Capitol.

UNIDENTIFIED PERSON #1: This side, you're going to yell boot.

UNIDENTIFIED PERSON #2: Yeah.

UNIDENTIFIED PERSON #1: Everybody got it?

MARTINEZ-BELTRAN: Most people here are educators, like Rosie Curts, who teaches fourth grade in Dallas.

ROSIE CURTS: If vouchers pass, it would take money away from our public schools, which already lack funding.

MARTINEZ-BELTRAN: Curts is getting help from her friend Travis Cantwell, a plumber who trained as a substitute.

TRAVIS CANTWELL: Teachers don't get the respect they deserve, and I think that education comes first.

CANTWELL: I will teach her class on Tuesday so that she can testify at the Capitol.

MARTINEZ-BELTRAN: For the news desk, I'm Sergio Martínez-Beltrán in Austin.

(SOUNDBITE OF MUSIC)

Copyright © 2023 Public Radio. All rights reserved. Visit our website terms of use for further information.
"""


def test_a_broadcast_transcript_with_roles_numbered_voices_and_surname_labels_is_read_as_turns():
    # "NAME, HOST:" and "UNIDENTIFIED PERSON #1:" are labels, and "CANTWELL:" is "TRAVIS CANTWELL:" again
    assert speaker_label("SACHA PFEIFFER, HOST:") == "SACHA PFEIFFER"
    assert speaker_label("JAKE TAPPER, CNN ANCHOR: Welcome back.") == "JAKE TAPPER"
    assert speaker_label("UNIDENTIFIED PERSON #1: Yeah.") == "UNIDENTIFIED PERSON #1"
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    claims = analyze_raw(BROADCAST.encode(), filename="npr.txt")["claims"]
    said = {c["content"]["text"]: c for c in claims if not c["nested"]}
    curts = said["If vouchers pass, it would take money away from our public schools, which already lack funding."]
    assert curts["kind"] == "direct_quote" and curts["speaker"]["text"] == "ROSIE CURTS"
    # the reporter's hyphenated surname label is the reporter the text names with accents
    reporter = said["Most people here are educators, like Rosie Curts, who teaches fourth grade in Dallas."]
    assert reporter["speaker"]["entity"] == "Sergio Martínez-Beltrán"
    assert (
        said["I will teach her class on Tuesday so that she can testify at the Capitol."]["speaker"]["text"]
        == "CANTWELL"
    )
    # the unidentified voices give no statements, and the page's copyright line after the closing music is nobody's
    assert not any(t.startswith(("This side", "Copyright", "All rights", "Visit our")) for t in said)


def test_labels_that_name_a_part_of_the_page_are_nobody_s_but_capital_surnames_are_speakers():
    # A label that ends in a noun for a part of a page names nobody, numbered or not
    for line in (
        "Video Transcript: Good evening.",
        "Photo Credit: City of Springfield",
        "UPDATE 2: The vote was held.",
    ):
        assert speaker_label(line) is None, line
    # but a surname that is also such a word is a speaker where a transcript prints it, in capitals
    assert speaker_label("PRICE: We will repeal it and replace it.") == "PRICE"
    assert speaker_label("Price: $20 for two tickets") is None


def test_a_video_transcript_label_in_a_story_gives_no_statement_to_a_video(nlp):
    from article_pipeline.analysis import analyze_raw

    text = (
        "The city council approved a budget of 412 million dollars on Thursday, after a debate that ran "
        "through the night.\n\nVideo Transcript: Good evening. The council voted eight to three to pass the "
        "budget, which raises school spending by six percent.\n\nMayor Jane Doe said the budget keeps every "
        "school open."
    )
    claims = analyze_raw(text.encode(), filename="story.txt")["claims"]
    assert all((c["speaker"] or {}).get("text") != "Video Transcript" for c in claims)
    assert any((c["speaker"] or {}).get("text") == "Mayor Jane Doe" for c in claims)


def test_a_paragraph_under_a_name_and_a_role_is_that_name_s(nlp):
    from article_pipeline.analysis import analyze_raw

    # Given a speech printed as one paragraph under a broadcaster's label with a role
    text = (
        "DONALD TRUMP, GUEST: Thank you very much. We are going to make this country great again, and we "
        "are going to bring back our jobs from China and Mexico. Our military will be stronger than ever."
    )
    claims = analyze_raw(text.encode(), filename="segment.txt")["claims"]
    # Then what follows the label is his, not the role's (before: nobody's)
    outer = [c for c in claims if not c["nested"]]
    assert [(c["speaker"]["entity"], c["content"]["text"][:20]) for c in outer] == [
        ("DONALD TRUMP", "Thank you very much.")
    ]


OTTER = """Lester Holt  0:00
Good evening from Hofstra University in Hempstead, New York. The first question goes to Secretary Clinton.

Hillary Clinton  0:12
Well, thank you, Lester. The central question in this election is what kind of country we want to be.

Donald Trump  0:24
Our jobs are fleeing the country. They're going to Mexico. They're going to many other countries.

Lester Holt  0:31
Secretary Clinton, your response to that, please, in two minutes or less?

Hillary Clinton  0:34
Well, I think that trade is an important issue, and I have a plan to make sure we build more here.
"""


def test_transcription_services_labels_with_a_time_are_turns(nlp):
    from article_pipeline.analysis import analyze_raw

    # Given the same debate as Otter exports it (label and time, words below) and with the time first
    time_first = "\n\n".join(
        f"[00:00:{n:02d}] {label}: {words}"
        for n, (label, words) in enumerate((p.split("  ")[0], p.split("\n", 1)[1]) for p in OTTER.strip().split("\n\n"))
    )
    for text in (OTTER, time_first):
        claims = analyze_raw(text.encode(), filename="debate.txt")["claims"]
        said = {c["content"]["text"]: (c["speaker"] or {}).get("entity") for c in claims if not c["nested"]}
        # Then each sentence is its speaker's, and no time is anyone's words
        assert said["Our jobs are fleeing the country."] == "Donald Trump"
        assert said["Secretary Clinton, your response to that, please, in two minutes or less?"] == "Lester Holt"
        assert not any(content.startswith(("00", "0:", "[")) for content in said)
