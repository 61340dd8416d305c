"""Attributed statements: who said what, with quotation marks, cues and resolved speakers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from article_pipeline.claims.quote_marks import find_quote_regions

if TYPE_CHECKING:
    from article_pipeline.claims.quotes import Attribution


@pytest.fixture(scope="module")
def extract():
    pytest.importorskip("spacy")
    from article_pipeline.claims.quotes import extract_attributions
    from article_pipeline.nlp import load_pipeline

    try:
        nlp = load_pipeline()
    except OSError:
        pytest.skip("no spaCy English model installed")

    def run(text: str) -> tuple[str, list[Attribution]]:
        return text, extract_attributions(nlp(text))

    return run


def content(text: str, attribution: Attribution) -> str:
    return " ".join(text[s:e] for s, e in attribution.content_spans)


def speaker_name(text: str, attribution: Attribution) -> str | None:
    if attribution.speaker_ref is None:
        return None
    return text[attribution.speaker_ref[0] : attribution.speaker_ref[1]]


def find(text: str, attributions: list[Attribution], fragment: str) -> Attribution:
    hits = [a for a in attributions if fragment in content(text, a)]
    assert hits, f"no attribution contains {fragment!r}: {[content(text, a) for a in attributions]}"
    return min(hits, key=lambda a: len(content(text, a)))


# --- quotation marks (no model needed) ------------------------------------------------------------


def test_curly_quotes_make_one_region():
    # Given a paragraph with one curly quotation
    text = "He said: “We will win.” Then he left."
    # When its quotation marks are tracked
    [region] = find_quote_regions(text)
    # Then the region spans exactly the marks and what is between them
    assert text[region.start : region.end] == "“We will win.”"


def test_straight_quotes_toggle():
    text = 'She said "yes" and then "no".'
    regions = find_quote_regions(text)
    assert [text[r.start : r.end] for r in regions] == ['"yes"', '"no"']


def test_unclosed_quote_in_mid_paragraph_does_not_run_away():
    # Given a stray opening mark in the middle of a paragraph, and a normal paragraph after it
    text = "The “plan was new.\n\nNothing else happened here at all."
    # When quotation marks are tracked
    regions = find_quote_regions(text)
    # Then nothing is considered quoted
    assert regions == []


def test_multi_paragraph_quote_continues_into_next_paragraph():
    # Given a quotation left open at a paragraph's end and re-opened at the next paragraph's start
    text = "He said: “First part of it.\n\n“Second part of it,” he added."
    # When quotation marks are tracked
    first, second = find_quote_regions(text)
    # Then the second region continues the first
    assert not first.closed
    assert second.continues_from == 0


# --- attributions ------------------------------------------------------------------------------


def test_quote_before_its_cue_is_a_direct_quote(extract):
    # Given a quotation followed by "Trump wrote"
    text, found = extract("“The call was very productive and we agreed on a lot,” Trump wrote.")
    # When attributions are extracted
    [quote] = found
    # Then it is a direct quote by Trump, content inside the marks
    assert quote.kind == "direct_quote"
    assert quote.quoted == "full"
    assert quote.speaker == "Trump"
    assert quote.cue == "wrote"
    assert content(text, quote) == "The call was very productive and we agreed on a lot"


def test_quote_after_colon_cue_is_a_direct_quote(extract):
    text, found = extract("The senator said: “We will not vote for this bill under any conditions.”")
    quote = find(text, found, "We will not vote")
    assert quote.kind == "direct_quote"
    assert quote.speaker == "The senator"


def test_interrupted_quote_is_one_statement(extract):
    # Given a quotation interrupted by its cue
    text, found = extract("“We have done a lot,” Clinton said. “But we need to do more to defeat the group.”")
    # When attributions are extracted
    # Then both parts belong to one statement by Clinton
    quote = find(text, found, "We have done a lot")
    assert len(quote.content_spans) == 2
    assert "defeat the group" in content(text, quote)
    assert quote.speaker == "Clinton"


def test_reported_statement_with_that(extract):
    text, found = extract("Officials said that the bridge would reopen next month after repairs.")
    statement = find(text, found, "the bridge would reopen")
    assert statement.kind == "indirect_quote"
    assert statement.quoted == "none"
    assert statement.speaker == "Officials"
    assert content(text, statement).startswith("that the bridge")


def test_reported_statement_without_that(extract):
    text, found = extract("The mayor said the bridge would reopen next month.")
    statement = find(text, found, "the bridge would reopen")
    assert statement.speaker == "The mayor"


def test_partly_quoted_statement_is_mixed(extract):
    text, found = extract("Trump said the meeting follows a “very productive” phone call with Putin.")
    statement = find(text, found, "very productive")
    assert statement.kind == "indirect_quote"
    assert statement.quoted == "partial"


def test_according_to_names_the_source(extract):
    text, found = extract("According to the ministry, 40 people were injured in the blast on Monday.")
    statement = find(text, found, "40 people were injured")
    assert statement.speaker == "the ministry"
    assert statement.cue == "According to"


def test_pronoun_speaker_resolves_to_the_previous_subject(extract):
    # Given a named speaker, a sentence mentioning someone else, then "He"
    text, found = extract(
        "Zelensky, who spoke with Trump this week, described their exchange as productive.\n"
        "He also noted that Russia appears concerned about the missiles."
    )
    # When attributions are extracted
    statement = find(text, found, "Russia appears concerned")
    # Then "He" resolves to Zelensky, not to the nearer Trump
    assert statement.speaker == "He"
    assert speaker_name(text, statement) == "Zelensky"


def test_role_description_resolves_to_the_titled_person(extract):
    # Given a person introduced with a title, then referred to by a description of that title
    text, found = extract(
        "U.S. President Donald Trump spoke with Russian President Vladimir Putin on Thursday. "
        "Trump said the Russian leader argued that the war could end soon."
    )
    statement = find(text, found, "the war could end soon")
    assert statement.speaker == "the Russian leader"
    assert speaker_name(text, statement) == "Vladimir Putin"


def test_a_statement_reported_inside_another_is_kept_and_marked_nested(extract):
    # Given one statement reported inside the content of another
    text, found = extract(
        "U.S. President Donald Trump spoke with Russian President Vladimir Putin on Thursday. "
        "Trump said the Russian leader argued that the war could end soon."
    )
    inner = find(text, found, "the war could end soon")
    outer = next(a for a in found if a.speaker == "Trump")
    # Then the outer one is the statement, and the inner one is kept but marked as reported within it
    assert "the Russian leader argued" in content(text, outer) and not outer.nested
    assert inner.speaker == "the Russian leader" and inner.nested
    # And a quotation's own attribution is never marked, even under another cue
    _, quoted = extract("He said: “We will win, and I promise that we will win big,” Cruz told reporters.")
    assert not any(a.nested for a in quoted if a.quoted == "full")


def test_follow_up_quote_paragraph_keeps_the_speaker(extract):
    # Given an attributed quote and a cue-less quotation opening the next paragraph
    text, found = extract(
        "“This is the greatest country in the world,” Barkley said.\n\n"
        "“Then you have these people who are afraid to look in the mirror.”"
    )
    # When attributions are extracted
    quote = find(text, found, "afraid to look in the mirror")
    # Then the follow-up is attributed to the same speaker
    assert quote.speaker == "Barkley"


def test_scare_quotes_alone_are_not_statements(extract):
    _text, found = extract("The so-called “big deal” was signed in Paris on Friday.")
    assert found == []


def test_offsets_index_the_text_exactly(extract):
    text, found = extract("“We are ready for anything,” the spokeswoman said on Tuesday.")
    [quote] = found
    assert text[quote.cue_start : quote.cue_end] == quote.cue
    assert text[quote.speaker_start : quote.speaker_end] == quote.speaker


# --- the sample article ------------------------------------------------------------------------

# (fragment of the content, speaker as written, name it resolves to), written by hand from the article
BUDAPEST_EXPECTED = [
    ("he and Russian President Vladimir Putin will meet in Budapest", "U.S. President Donald Trump", "Trump"),
    ("the meeting follows a “very productive” phone call", "Trump", "Trump"),
    ("I have just concluded my telephone conversation", "Trump", "Trump"),
    ("President Putin congratulated me and the United States", "Trump", "Trump"),
    ("both sides agreed to hold high-level preparatory meetings", "Trump", "Trump"),
    ("President Zelenskyy and I will be meeting tomorrow", "Trump", "Trump"),
    ("I believe great progress was made", "Trump", "Trump"),
    ("their exchange as “very productive”", "Zelensky", "Zelensky"),
    ("well-informed about everything that is happening", "Zelensky", "Zelensky"),
    ("Russia appears concerned about the potential U.S. decision", "He", "Zelensky"),
    ("such pressure from Washington could play a key role", "He", "Zelensky"),
    ("sort of made a decision", "Trump", "Trump"),
    ("find out what they’re doing with them", "he", "Trump"),
]


@pytest.mark.parametrize(("fragment", "speaker", "name"), BUDAPEST_EXPECTED)
def test_sample_article_statement_has_the_right_speaker(extract, sample_article, fragment, speaker, name):
    # Given the sample article
    text, found = extract(sample_article.decode("utf-8"))
    # When attributions are extracted
    statement = find(text, found, fragment)
    # Then the statement is attributed to the right person
    assert statement.speaker == speaker
    assert name in (speaker_name(text, statement) or "")


@pytest.mark.parametrize(
    ("sentence", "statement"),
    [
        ("Asked about the attack, Malik said she supported it.", "she supported it"),
        ("Labor Department officials said it would not.", "it would not"),
    ],
)
def test_a_short_clause_of_pronouns_is_a_statement(extract, sentence, statement):
    # Given a reported clause made of pronouns and a verb, with a subject of its own
    text, found = extract(sentence)
    # Then it is a statement, though it has no noun
    assert statement in [content(text, a) for a in found]


@pytest.mark.parametrize(
    "text_in",
    [
        "Putin called Trump on Thursday and congratulated him.",
        "Russia appears divided. He also noted:",
    ],
)
def test_a_pronoun_and_a_cue_are_no_statement(extract, text_in):
    # Given a cue whose only content is a pronoun, or a cue with its subject and nothing said
    text, found = extract(text_in)
    # Then no statement consists of them
    assert not [content(text, a) for a in found if content(text, a).lower() in ("him", "he also noted")]


def test_sample_article_russian_leader_is_putin(extract, sample_article):
    # Given the sample article, where "the Russian leader" follows "Russian President Putin", saying something
    # ("the Russian leader congratulated him" alone has no content of its own, so it is no claim)
    article = sample_article.decode("utf-8").replace(
        "the Russian leader congratulated him", "the Russian leader said the talks had gone well"
    )
    text, found = extract(article)
    # When attributions are extracted
    [statement] = [a for a in found if a.speaker == "the Russian leader"]
    # Then the description resolves to Putin
    assert "Putin" in (speaker_name(text, statement) or "")


def test_sample_article_trump_post_is_one_direct_quote(extract, sample_article):
    text, found = extract(sample_article.decode("utf-8"))
    post = find(text, found, "I have just concluded")
    assert post.kind == "direct_quote"
    assert post.cue == "wrote"
    assert len(post.content_spans) == 2


def test_a_claim_needs_content_of_its_own_not_only_a_pronoun_and_a_cue(extract):
    # Given statements whose "content" would be only a pronoun, or another cue with its subject
    text, found = extract(
        "Zelensky said the Russian leader congratulated him. "
        "Russia appears concerned about the missiles, he also noted."
    )
    contents = [content(text, a).strip() for a in found]
    # Then neither "him" nor "he also noted" is listed as what someone said
    assert "him" not in contents and not any(c.lower().startswith("he also noted") for c in contents)
    # while the real statements stay
    assert any("congratulated him" in c for c in contents) and any(
        "concerned about the missiles" in c for c in contents
    )


def test_a_pronoun_after_a_surname_the_tagger_made_an_organisation_is_still_that_person():
    # Given the sample article, whose clean text has "Trump confirmed that he ... but wants to find out ...",
    # where the tagger labels that lone "Trump" an organisation (the article names Donald Trump in full before)
    from pathlib import Path

    from article_pipeline.analysis import analyze_raw

    sample = Path(__file__).resolve().parents[2] / "samples" / "budapest-summit.txt"
    claims = analyze_raw(sample.read_bytes(), filename="budapest-summit.txt")["claims"]
    # Then what "he wants" is given to Trump, not to Zelensky, the previous speaker
    [wants] = [c for c in claims if (c.get("cue") or {}).get("text", "").startswith("wants")]
    assert wants["speaker"]["entity"] == "Donald Trump"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Smith said the plan would fail and Jones said it would work.",
            [("Smith", "the plan would fail"), ("Jones", "it would work")],
        ),
        (
            "Officials warned that the storm could bring flooding, though they said evacuations were not "
            "yet necessary.",
            [("Officials", "that the storm could bring flooding"), ("they", "evacuations were not yet necessary")],
        ),
        (
            "The White House said Tuesday it would veto the bill, arguing that it was unconstitutional.",
            [("The White House", "it would veto the bill"), ("The White House", "that it was unconstitutional")],
        ),
    ],
)
def test_a_second_report_hung_on_the_first_ones_content_is_its_own_statement(extract, text, expected):
    # Given a second report (with its own subject, or a trailing participle) hung on the first one's content
    text, found = extract(text)
    # Then each report is a statement of its own, and the first ends before "and Jones said"
    assert [(a.speaker, content(text, a)) for a in found if not a.nested] == expected


def test_a_cue_in_the_content_of_another_is_not_a_trailer(extract):
    # Given a report whose content is a bare cue ("he agreed"), and a real trailer
    text, found = extract("Macron said he agreed. The economy is booming, the minister said.")
    # Then "Macron said" is not taken for what "agreed" reports, while the trailer keeps its statement
    assert [(a.speaker, content(text, a)) for a in found] == [("the minister", "The economy is booming")]


@pytest.mark.parametrize(
    ("text", "speaker", "statement"),
    [
        ("“Who do they think they are?” Trump said of Apple.", "Trump", "Who do they think they are"),
        (
            "“Is that a product that he misused?” Sanders asked rhetorically, shaking his head no.",
            "Sanders",
            "Is that a product that he misused",
        ),
    ],
)
def test_a_quotation_is_the_statement_not_its_topic_or_manner(extract, text, speaker, statement):
    # Given a quotation ending in a question mark, then its speaker and what it was said of, or how
    text, found = extract(text)
    # Then the quotation is the statement, and "Apple" or "shaking his head no" is not
    assert [(a.speaker, content(text, a), a.kind) for a in found] == [(speaker, statement, "direct_quote")]


def test_the_one_asked_is_not_the_one_asking(extract):
    # Given an answer introduced by the question it answers
    text, found = extract("Asked whether he would run again, Biden said: “We’ll see.”")
    by_cue = {a.cue: a for a in found}
    # Then the question is nobody's statement (the asker is not named) and the answer is Biden's
    assert by_cue["Asked"].speaker is None and content(text, by_cue["Asked"]) == "whether he would run again"
    assert by_cue["said"].speaker == "Biden"
    # also when the question follows the answer
    text, found = extract("“I don’t know,” he said when asked about the rumors.")
    assert [a.speaker for a in found if a.cue.startswith("asked")] == [None]


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ("Sanders says he would happily release all his speeches.", "he would happily release all his speeches"),
        (
            "Officials have said they are still considering rate increases later in the year.",
            "they are still considering rate increases later in the year",
        ),
        ("Donald Trump says he doesn't believe in it.", "he doesn't believe in it"),
        ("Residents told the newspaper they had not been warned.", "they had not been warned"),
    ],
)
def test_a_speaker_and_cue_are_never_the_content_of_the_verb_they_report(extract, text, statement):
    # Given a report the parser roots on the reported verb ("release", "considering", "believe")
    text, found = extract(text)
    # Then the statement is the speaker's, and "Sanders says" is not listed as what that verb reports
    assert [(a.nested, " ".join(text[s:e] for s, e in a.content_spans)) for a in found] == [(False, statement)]


@pytest.mark.parametrize(
    ("text", "first", "second_cue", "second"),
    [
        (
            "The Supreme Court justice said she regretted her remarks and promised to stay out of it in the future.",
            "she regretted her remarks",
            "promised",
            "to stay out of it in the future",
        ),
        (
            "Ginsburg said she did not want to think about the possibility and predicted that Clinton will win.",
            "she did not want to think about the possibility",
            "predicted",
            "that Clinton will win",
        ),
    ],
)
def test_a_second_cue_coordinated_with_a_cue_inside_the_first_statement_is_the_speakers_too(
    extract, text, first, second_cue, second
):
    # Given a report whose content verb is itself a cue ("regretted") and a finite cue coordinated with it
    text, found = extract(text)
    outer = {a.cue: a for a in found if not a.nested}
    # Then the first statement ends before the coordination
    assert content(text, outer["said"]) == first
    # and the second is the same speaker's own statement
    assert content(text, outer[second_cue]) == second
    assert outer[second_cue].speaker == outer["said"].speaker


@pytest.mark.parametrize(
    ("text", "speaker_entity"),
    [
        # a possessor or a modifier is not the one speaking
        ("Springfield's city council said on Monday that the budget was balanced.", None),
        ("A spokesman for Exxon Mobil said the company would appeal the ruling.", None),
        # nor is one of a group that speaks together
        ("Trump and Putin said they would meet in Budapest.", None),
        ("Donald Trump and Vladimir Putin said the summit would be held in Budapest.", None),
        # the name set beside the speaker's description is
        (
            "The port reopened on Monday. Its chief executive, Marieke van Dijk, said the backlog "
            "would take two weeks to clear.",
            "Marieke van Dijk",
        ),
        # and a poll's or a survey's author is its source
        ("A Quinnipiac University poll found that 52 percent of voters back the plan.", "Quinnipiac University"),
        ("A new survey from Monmouth University found that most voters back the plan.", "Monmouth University"),
    ],
)
def test_a_claim_is_filed_under_the_entity_that_made_it(text, speaker_entity):
    # Given a statement whose speaker phrase holds a name
    from article_pipeline.analysis import analyze_raw

    [claim] = analyze_raw(text.encode(), filename="article.txt")["claims"]
    # Then the claim is queryable under that name only when the name is the speaker
    assert claim["speaker"]["entity"] == speaker_entity


def test_a_second_cue_whose_content_quotes_a_phrase_is_split_off_too_and_the_first_keeps_its_quotation_whole(extract):
    # Given a coordinated second report whose content holds a quoted phrase, after a first one that ends in one
    text, found = extract(
        'Rajoy said Monday that he will "try to form a stable government" and insisted that '
        'his party was "still the No. 1 force in Spain."'
    )
    outer = {a.cue: a for a in found if not a.nested}
    # Then the second verb is the same speaker's own statement
    assert set(outer) == {"said", "insisted"}
    assert speaker_name(text, outer["insisted"]) == "Rajoy"
    assert content(text, outer["insisted"]).startswith("that his party was")
    # and the first ends before the coordination, its closing quotation mark kept
    assert content(text, outer["said"]) == 'that he will "try to form a stable government"'


def test_a_second_cue_coordinated_inside_the_first_statement_is_its_own_statement_by_the_same_speaker(extract):
    # Given two coordinated reports whose second verb the parser hangs inside the first one's content
    text, found = extract(
        "Councillor Raymond Osei said the increase was not enough to cover rising energy costs "
        "and predicted that the city would need an emergency budget by the summer. "
        "Van Dijk said the strike had cost the port about 30 million euros a day "
        "and warned that some shipping lines might not return."
    )
    outer = {a.cue: a for a in found if not a.nested}
    # Then each second verb is a statement of the same speaker, not one nested in the first
    assert (
        outer["predicted"].speaker_ref == outer["said"].speaker_ref
        or outer["predicted"].speaker == "Councillor Raymond Osei"
    )
    assert content(text, outer["predicted"]).startswith("that the city would need")
    warned = next(a for a in found if a.cue == "warned")
    assert not warned.nested and speaker_name(text, warned) == "Van Dijk"
    # and the first statements end before the coordination
    assert all(
        "predicted" not in content(text, a) and "warned" not in content(text, a) for a in found if a.cue == "said"
    )


def test_a_name_between_a_closing_quotation_and_its_cue_is_the_speaker_when_the_parse_gives_none(extract):
    # Given a quotation whose cue the small model parses without a subject
    _text, found = extract(
        "“We were tremendously wrong to not have confronted him from the beginning,” Ramos, 58, told AFP "
        "in an interview in Mexico City on Monday."
    )
    [quote] = [a for a in found if a.kind == "direct_quote"]
    # Then the name before the cue speaks
    assert quote.speaker is not None and quote.speaker.startswith("Ramos")


def test_a_closing_relative_clause_after_a_comma_is_the_writers_aside(extract):
    text, found = extract(
        "Sanders has declared that he plans to repeal much of the Dodd-Frank Act, which was passed in 2010."
    )
    [declared] = [a for a in found if a.cue == "declared"]
    assert content(text, declared) == "that he plans to repeal much of the Dodd-Frank Act"


def test_a_learned_cue_verb_needs_a_subject_that_can_hold_a_view(extract):
    from article_pipeline.claims.cue_lexicon import LEARNED_FORMS

    if "approved" not in LEARNED_FORMS:
        pytest.skip("'approved' is not in the learned cue list (data/cue_verbs.json)")
    # Given a learned cue verb once with a body that decides and once with an event as subject
    _text, found = extract("The council approved a budget of 412 million dollars. The vote approved nothing.")
    cues = [(a.speaker, a.cue) for a in found]
    assert ("The council", "approved") in cues or any(c == "approved" for _, c in cues)
    assert ("The vote", "approved") not in cues


def test_a_paragraph_opening_with_a_name_and_a_colon_is_that_persons_statement(extract):
    text, found = extract(
        "The panel met on Tuesday.\n\nCarl Bialik: One of the biggest lessons was to keep contacting voters late."
    )
    [colon] = [a for a in found if a.cue == ":"]
    assert colon.speaker == "Carl Bialik"
    assert content(text, colon).startswith("One of the biggest lessons")
    # while a colon after ordinary words is no attribution
    _, plain = extract("The reason is simple: prices rose faster than wages for three years.")
    assert not [a for a in plain if a.cue == ":"]


@pytest.mark.parametrize(
    ("headline", "speaker"),
    [
        ("Dr. Ben Carson: Hillary Clinton Not Fit To Serve As President", "Dr. Ben Carson"),
        ("EXCLUSIVE – Roger Stone: Don’t Trust the Voting Machines", "Roger Stone"),
    ],
)
def test_a_headline_name_may_carry_a_title_or_follow_a_kicker(extract, headline, speaker):
    # Given a headline whose name has an abbreviated title, or stands after a kicker and a dash
    text, found = extract(headline + ".\n\nThe candidate spoke on Sunday in Iowa.")
    # Then the rest of the line is that person's statement
    [colon] = [a for a in found if a.cue == ":"]
    assert colon.speaker == speaker
    assert content(text, colon).startswith(headline.split(": ")[1][:12])


def test_calling_someone_something_is_a_verdict_but_calling_someone_is_not(extract):
    text, found = extract("Sanders called him a dangerous demagogue. Later she called him at home.")
    verdicts = [a for a in found if a.cue == "called"]
    assert [content(text, a) for a in verdicts] == ["him a dangerous demagogue"]
    assert verdicts[0].speaker == "Sanders"


def test_calling_someone_a_name_parsed_as_an_apposition_is_a_verdict(extract):
    # Given "called X a Y" that the parser reads as X with Y in apposition (no comma between)
    text, found = extract("Ms. Friedan called Mrs. Schlafly an ''Aunt Tom.''")
    # Then it is a verdict on X
    [verdict] = [a for a in found if a.cue == "called"]
    assert content(text, verdict).startswith("Mrs. Schlafly an")
    assert verdict.speaker == "Ms. Friedan"


def test_a_time_after_a_cue_preposition_is_not_what_was_said(extract):
    # Given a cue verb whose preposition only says when ("called … on Sunday")
    text, found = extract("He called Trump, the Republican nominee, on Sunday.")
    # Then the time is no statement
    assert not [a for a in found if "Sunday" in content(text, a)]


def test_a_fronted_poll_reports_the_rest_of_its_sentence(extract):
    text, found = extract(
        "The race is tight. In a CNN national poll, Hillary Clinton held a 24-point lead over Barack Obama."
    )
    [poll] = [a for a in found if a.cue == "In"]
    assert poll.speaker == "a CNN national poll"
    assert content(text, poll) == "Hillary Clinton held a 24-point lead over Barack Obama"
    # while a fronted place is not a source
    _, place = extract("In a small town, Hillary Clinton held a rally for three thousand people.")
    assert not [a for a in place if a.cue == "In"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Clinton seemed to be ready to riff on the incident in Iowa, telling the crowd, "
            "“Some people get a little carried away, have you noticed that?”",
            "Clinton",
        ),
        # the parser makes the quotation the sentence's main clause: the participle's head still speaks
        (
            "Weaver didn’t seem particularly impressed with Sanders’ comments Tuesday, telling reporters, "
            "“A lot of people said the governor should step down.”",
            "Weaver",
        ),
    ],
)
def test_a_participle_after_the_main_clause_speaks_for_its_subject(extract, text, speaker):
    _text, found = extract(text)
    [telling] = [a for a in found if a.cue == "telling"]
    assert telling.speaker == speaker


def test_a_name_after_an_inverted_cue_speaks_even_when_tagged_as_an_adverb(extract):
    _text, found = extract(
        "“Having access to the RNC file and two people who understand it is valuable,” said Skelly, "
        "explaining he worked more closely with Chrabaszcz."
    )
    speakers = {a.cue: a.speaker for a in found}
    assert speakers["said"] == "Skelly"
    assert speakers["explaining"] == "Skelly"


def test_a_military_title_does_not_end_the_sentence_inside_a_name(extract):
    _text, found = extract(
        "“I don't see how Orlando would cause us to change our operations,” Pentagon spokesman Navy "
        "Capt. Jeff Davis said."
    )
    [quote] = [a for a in found if a.kind == "direct_quote"]
    assert quote.speaker is not None and quote.speaker.endswith("Jeff Davis")


def test_the_speaker_between_quotation_and_cue_is_the_whole_phrase(extract):
    _text, found = extract("“What if Donald Trump had elocution lessons?” the 43-year-old asked.")
    [quote] = [a for a in found if a.kind == "direct_quote"]
    assert quote.speaker is not None and quote.speaker.endswith("43-year-old")


def test_a_learned_verb_and_preposition_pair_takes_the_object_as_content(extract):
    from article_pipeline.claims.cue_lexicon import LEARNED_PREPS

    if "for" not in LEARNED_PREPS.get("voted", ()):
        pytest.skip("'voted for' is not a learned pair (data/cue_verbs.json)")
    text, found = extract("Most Senate Democrats voted for the trade agreement. The river ran for miles.")
    [vote] = [a for a in found if a.cue == "voted for"]
    assert content(text, vote) == "the trade agreement"
    assert not [a for a in found if a.cue and a.cue.startswith("ran")]


def test_an_infinitive_after_the_object_is_what_the_object_is_asked_to_do(extract):
    text, found = extract("Cruz called Trump to drop out of the race.")
    [call] = [a for a in found if a.cue == "called"]
    assert content(text, call) == "Trump to drop out of the race"


def test_a_passive_judgement_with_an_agent_is_the_agents_statement(extract):
    text, found = extract("The move was criticized by Democrats in the Senate. The bridge was built in 1990.")
    [criticized] = [a for a in found if a.cue == "criticized"]
    assert content(text, criticized) == "The move"
    assert criticized.speaker == "Democrats in the Senate"
    assert not [a for a in found if a.cue == "built"]


def test_a_headline_name_the_tagger_missed_speaks_when_the_article_names_that_person(extract):
    text, found = extract(
        "Sanders: Clinton Email Story Has Moved\n\nSenator Bernie Sanders said on Sunday that the story had moved on."
    )
    [headline] = [a for a in found if a.cue == ":"]
    assert headline.speaker == "Sanders"
    assert content(text, headline) == "Clinton Email Story Has Moved"
    # while a section label nobody in the article is called is no speaker
    _, label = extract("Update: The council will meet again on Friday\n\nThe council met on Tuesday.")
    assert not [a for a in label if a.cue == ":"]


def test_a_name_right_before_a_cue_the_parse_left_without_subject_speaks(extract):
    _text, found = extract("Informed of the district's anti-Trump lean, Early described it as “news to me.”")
    [described] = [a for a in found if a.cue == "described"]
    assert described.speaker == "Early"


def test_a_quotation_mark_glued_to_the_next_word_still_separates_speaker_and_quote(extract):
    text, found = extract("“I think it has been surprising to see him traffic in prejudice,”Clinton said.")
    [quote] = [a for a in found if a.kind == "direct_quote"]
    assert quote.speaker == "Clinton"
    assert content(text, quote).startswith("I think it has been surprising")


def test_a_poll_phrase_after_its_clause_reports_that_clause(extract):
    text, found = extract("Donald Trump has a decisive lead in the latest state polls. He trails in money.")
    [poll] = [a for a in found if a.cue == "in"]
    assert poll.speaker == "the latest state polls"
    assert content(text, poll) == "Donald Trump has a decisive lead"
    # while a poll that only says who, or a clause with a cue of its own, is no poll's statement
    _, other = extract("Respondents in the poll were mostly older. Voters in the survey said prices rose.")
    assert not [a for a in other if a.cue == "in"]


def test_two_subjects_joined_by_and_are_one_speaker_even_when_parsed_as_two(extract):
    # Given coordinated subjects that the parser hangs on the verb separately ("News" and "Couric")
    _text, found = extract(
        "Yahoo News and former TV network anchor Katie Couric has promoted a self-effacing approach, telling "
        'graduates, "If you are too big for a small job, you are too small for a big one."'
    )
    # Then the speaker is the whole phrase, never one that ends at "and"
    assert found
    assert {a.speaker for a in found} == {"Yahoo News and former TV network anchor Katie Couric"}


def test_a_quotation_inside_anothers_reported_clause_is_nested_and_its_cue_stops_at_the_quote(extract):
    # Given a quoted fragment within what someone else's statement reports
    text, found = extract(
        "Trump confirmed that he has made a decision on the missiles but wants to “find out what they’re "
        "doing with them” before finalizing his choice."
    )
    [outer] = [a for a in found if a.cue == "confirmed"]
    [inner] = [a for a in found if a is not outer]
    # Then the fragment is marked nested, and its cue does not repeat the quoted words
    assert not outer.nested and inner.nested
    assert inner.cue == "wants to"
    assert content(text, inner) == "find out what they’re doing with them"


def test_a_learned_cue_noun_with_its_preposition_is_a_statement_of_the_views_holder(extract, monkeypatch):
    # Given "criticism of" as a learned noun cue (set here, so the test does not depend on the learned list)
    from article_pipeline.claims import quotes

    monkeypatch.setitem(quotes.LEARNED_NOUN_PREPS, "criticism", ("of",))
    text, found = extract(
        "Senator Maria Lopez has been vocal in her criticism of the new tariffs on steel. "
        "The criticism of the plan grew louder on Monday."
    )
    # Then the possessor holds the view and the preposition's object is its content
    [statement] = [a for a in found if a.cue == "criticism of"]
    assert content(text, statement) == "the new tariffs on steel"
    assert statement.speaker == "her" and speaker_name(text, statement) == "Maria Lopez"
    # and a criticism no one is said to hold is no statement
    assert not [a for a in found if "the plan" in content(text, a)]


def test_continuing_to_do_something_is_not_speech(extract):
    # Given "continue" as an aspect of another verb (it is a cue in "he continued, …")
    _, found = extract(
        "Seven decades on, it is remarkable how many of our political arguments continue to focus on the "
        "resistance of Nazi-like behavior."
    )
    # Then it introduces no statement
    assert not [a for a in found if a.cue and a.cue.startswith("continue")]


def test_a_statement_is_nested_only_inside_one_that_is_kept(extract):
    # Given a second cue the parse hangs inside a clause of the first, past where its content ends
    text, found = extract(
        "Sanders spoke on Sunday. He has also called on the United States to attack the oil that funds "
        "the Islamic State and proposed a safe zone inside Syria for the refugees."
    )
    # Then that statement stands on its own
    [proposed] = [a for a in found if a.cue == "proposed"]
    assert content(text, proposed) == "a safe zone inside Syria for the refugees"
    assert not proposed.nested
    # and every statement still marked nested lies inside the content of one that is not
    outer = [s for a in found if not a.nested for s in a.content_spans]
    assert all(any(s <= a.cue_start < e for s, e in outer) for a in found if a.nested)


def test_a_clause_closed_by_a_semicolon_before_the_cue_is_not_its_content(extract):
    # Given two clauses joined by a semicolon, the second with a cue and an object of its own
    text, found = extract(
        "He calls for a single-payer health care system; Mrs. Clinton aims to build on President Obama's "
        "Affordable Care Act."
    )
    # Then the second cue reports its own object, not the clause before the semicolon
    [aims] = [a for a in found if a.cue == "aims"]
    assert content(text, aims) == "to build on President Obama's Affordable Care Act"
    assert aims.speaker == "Mrs. Clinton"


def test_a_clause_introduced_by_that_is_no_parenthetical_cue(extract):
    # Given a cue in a "that" clause of another verb, with no content the parse gives it
    text, found = extract(
        "Now it turns out that the bureau asked Florida agencies that dealt with the shooting to stonewall "
        "records requests from the news media."
    )
    # Then the words around the clause are not taken for its statement
    assert not [a for a in found if content(text, a).startswith("Now it turns out")]


def test_a_long_object_of_say_is_a_clause_the_parser_misread(extract):
    # Given "said" followed by a clause the small parser reads as a long noun phrase object
    text, found = extract(
        "When the moderator pointed out that Trump hadn't answered the question, the candidate said "
        "families of people killed by police file lawsuits."
    )
    # Then it is the statement; a short object ("said this") still is not
    [said] = [a for a in found if a.cue == "said"]
    assert content(text, said) == "families of people killed by police file lawsuits"
    _, short = extract("The candidate said this on Tuesday.")
    assert not [a for a in short if a.cue == "said"]


def test_a_relative_clause_cue_reports_the_clause_it_interrupts(extract):
    # Given cues inside relative clauses: one interrupting the clause it reports, one with a relative object
    text, found = extract(
        "The policy changes, which officials said will go into effect in the next few months, will not apply "
        "to everyone. He bought the weapon used in Charleston, in what officials called a hate crime."
    )
    # Then the statement is the relative word and the words after the cue, without speaker and cue
    [said] = [a for a in found if a.cue == "said"]
    assert said.speaker == "officials"
    assert [text[s:e] for s, e in said.content_spans] == ["which", "will go into effect in the next few months"]
    [called] = [a for a in found if a.cue == "called"]
    assert [text[s:e] for s, e in called.content_spans] == ["what", "a hate crime"]


def test_in_someones_view_attributes_the_clause_like_according_to(extract):
    # Given views marked by a phrase, not a verb
    text, found = extract(
        "In their view, Democrats could pick off increasingly diverse states that have been reliably Republican. "
        "The race has given them two candidates who, in the eyes of most voters, have more deficiencies than strengths."
    )
    # Then the clause is the holder's statement
    [theirs] = [a for a in found if "their view" in (a.cue or "")]
    assert theirs.speaker == "their"
    assert content(text, theirs) == (
        "Democrats could pick off increasingly diverse states that have been reliably Republican"
    )
    [voters] = [a for a in found if a.speaker == "most voters"]
    assert content(text, voters) == "have more deficiencies than strengths"


def test_an_as_clause_of_a_reporting_verb_vouches_for_its_clause(extract):
    # Given "as X reported" clauses, and a temporal "as" with a verb that reports nothing
    text, found = extract(
        "As POLITICO revealed, most of the payments for books were to purchase copies of a book. "
        "Mr. Trump's defeat won't necessarily derail his campaign, as some have speculated. "
        "Supporters held Trump signs high above their heads as they celebrated."
    )
    # Then the clause is the reporter's statement; the celebration reports nothing
    [revealed] = [a for a in found if a.cue == "revealed"]
    assert revealed.speaker == "POLITICO"
    assert content(text, revealed) == "most of the payments for books were to purchase copies of a book"
    [speculated] = [a for a in found if a.cue == "speculated"]
    assert content(text, speculated) == "Mr. Trump's defeat won't necessarily derail his campaign"
    assert not [a for a in found if a.cue == "celebrated"]


def test_a_quoted_name_for_the_object_is_a_verdict(extract):
    # Given "called" with an object and a quoted name for it, the parse giving no predicate
    text, found = extract("He called anti-Trump protestors “illegals” and “thugs” without proof.")
    # Then it is a verdict on the object ("called him" alone would be a phone call)
    [called] = [a for a in found if a.cue == "called"]
    assert content(text, called).startswith("anti-Trump protestors “illegals” and “thugs”")


def test_an_answer_is_what_say_reports(extract):
    # Given "say" with an answer for its object
    text, found = extract("He said no to the Iraq war. Only 49 percent of Republicans say the same of Trump.")
    # Then the answer is the statement
    assert sorted(content(text, a) for a in found if a.cue in ("said", "say")) == [
        "no to the Iraq war",
        "the same of Trump",
    ]


def test_a_quotation_handed_over_by_a_comma_belongs_to_the_subject_that_ends_the_sentence(extract):
    # Given a quotation whose frame verb is no speech verb of the lexicon
    text, found = extract(
        "“If they were serious about making progress on this, they would have gone to the only bill,” Toomey "
        "fumed on Tuesday. The vote was partisan."
    )
    # Then the frame gives the quotation to its subject
    [fumed] = [a for a in found if a.cue == "fumed"]
    assert fumed.speaker == "Toomey"
    assert content(text, fumed).startswith("If they were serious")


def test_a_quotation_after_from_a_source_and_a_colon_is_the_sources(extract):
    # Given "More from the report:" before a quotation
    text, found = extract(
        "It is not enough to get the sample to look representative - More from the report: “Today numerous "
        "online survey vendors condition their samples on nondemographic variables.”"
    )
    # Then the report says it
    [said] = found
    assert said.speaker == "the report"
    assert content(text, said).startswith("Today numerous online survey vendors")


def test_as_someone_put_it_attributes_what_it_hangs_on(extract):
    # Given "as X put it" before a quotation
    text, found = extract("As Vulture put it, “Hello, it’s the Biebs.” Justin Bieber has finally arrived.")
    # Then the quotation is X's
    [put] = [a for a in found if a.cue == "put it"]
    assert put.speaker == "Vulture"
    assert content(text, put) == "Hello, it’s the Biebs"


def test_a_quotation_right_after_the_object_of_called_is_a_verdict(extract):
    # Given "called" with an object and a quotation right after it that the parse attaches elsewhere
    text, found = extract('Former Florida governor Jeb Bush called the use of executive orders "quite dangerous."')
    # Then it is a verdict on the object
    [called] = [a for a in found if a.cue == "called"]
    assert content(text, called).startswith("the use of executive orders")


@pytest.mark.parametrize(
    ("sentence", "subject", "complement"),
    [
        ("Ben Carson appears to be slipping in the polls.", "Ben Carson", "to be slipping in the polls"),
        ("The American economy seemed impervious to the shock.", "The American economy", "impervious to the shock"),
    ],
)
def test_a_raising_verb_reports_its_subject_and_complement_with_no_speaker(extract, sentence, subject, complement):
    # Given a subject that only appears or seems to be something
    text, found = extract(sentence)
    # Then nobody is quoted: how the subject appears is the writer's statement, both pieces of it
    [raised] = [a for a in found if a.cue in ("appears", "seemed")]
    assert raised.speaker is None
    assert [text[s:e] for s, e in raised.content_spans] == [subject, complement]


def test_a_passive_cue_with_no_agent_reports_its_subject(extract):
    # Given "is known for" with no one who knows
    text, found = extract("Ginsburg is known for speaking her mind on other issues.")
    # Then the subject is part of what is said of her, and no one says it
    [known] = found
    assert known.speaker is None
    assert [text[s:e] for s, e in known.content_spans] == ["Ginsburg", "speaking her mind on other issues"]


def test_a_connective_before_an_interrupting_speaker_opens_the_statement(extract):
    # Given "But, she added, “…”"
    text, found = extract("Fiorina praised him. But, she added, “it's not the way to win the nomination.”")
    # Then "But" is the statement's first piece, as annotators mark it
    [added] = [a for a in found if a.cue == "added"]
    assert [text[s:e] for s, e in added.content_spans] == ["But", "it's not the way to win the nomination"]


def test_a_frame_verb_ending_a_paragraph_still_takes_the_quotation(extract):
    # Given a quotation handed over to "Oliver barked" at a paragraph's end, "he" speaking next
    text, found = extract(
        "Even HBO comedian John Oliver appeared to lose his temper.\n"
        "“OK, for a start, his wife has explained that she chose not to speak,” Oliver barked.\n"
        "“Honestly,” he continued, “we may be on the brink of electing such a damaged president.”"
    )
    # Then the frame gives the quotation to Oliver, and "he" is John Oliver too
    [barked] = [a for a in found if a.cue == "barked"]
    assert content(text, barked).startswith("OK, for a start")
    assert speaker_name(text, barked) == "John Oliver"
    [continued] = [a for a in found if a.cue == "continued"]
    assert speaker_name(text, continued) == "John Oliver"


def test_it_appears_that_reports_the_clause_with_no_speaker(extract):
    # Given an expletive "it" with a raising verb and a clause
    text, found = extract("It appears that the championship game was not boring to everyone.")
    # Then the clause is the statement and no one is its speaker
    [appears] = found
    assert appears.speaker is None
    assert content(text, appears) == "that the championship game was not boring to everyone"


def test_the_one_called_on_to_act_is_part_of_the_call(extract):
    # Given "called on X to do Y"
    text, found = extract("NATO's secretary general called on the North Korean regime to abandon its nuclear weapons.")
    # Then the call names who is to act
    [called] = found
    assert content(text, called) == "the North Korean regime to abandon its nuclear weapons"


def test_reportedly_attributes_its_clause_to_unnamed_sources(extract):
    # Given a clause carried by "reportedly"
    text, found = extract("The Club for Growth is reportedly spending $1.5 million on television advertisements.")
    # Then the clause, without the adverb, is a statement nobody named makes
    [reported] = found
    assert reported.speaker is None
    assert [text[s:e] for s, e in reported.content_spans] == [
        "The Club for Growth is",
        "spending $1.5 million on television advertisements",
    ]


def test_content_shown_to_readers_marks_left_out_words_with_an_ellipsis():
    from article_pipeline.analysis import content_text

    text = "“We have done a lot,” Clinton said. “But we need to do more.” It was “very” “good.”"
    first = (text.index("We have"), text.index(",”"))
    second = (text.index("But we"), text.index(".” It") + 1)
    # the cue and speaker between the two parts are left out: an ellipsis says so
    assert content_text(text, [first, second]) == "We have done a lot … But we need to do more."
    # only quotation marks and spaces between two parts: nothing is left out
    very, good = (text.index("very"), text.index("very") + 4), (text.index("good"), text.index("good") + 5)
    assert content_text(text, [very, good]) == "very good."
    assert content_text(text, [first]) == "We have done a lot"


def test_claims_of_an_analysed_article_show_an_interrupted_quote_with_an_ellipsis():
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_raw

    text = "“We have done a lot,” Clinton said on Monday. “But we need to do more to defeat the group.”"
    claims = analyze_raw(text.encode(), filename="statement.txt")["claims"]
    quote = next(c for c in claims if c["content"]["text"].startswith("We have done a lot"))
    assert quote["content"]["text"] == "We have done a lot … But we need to do more to defeat the group"
    assert len(quote["content"]["spans"]) == 2


def test_an_infinitive_cue_under_a_passive_verb_speaks_for_its_subject(extract):
    # "are expected to discuss": the ones expected to discuss are the ones who will discuss
    _, found = extract("The two leaders are expected to discuss potential U.S. military aid on Friday.")
    discuss = next(a for a in found if a.cue == "discuss")
    assert discuss.speaker == "The two leaders"
