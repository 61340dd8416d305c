"""The analysis pipeline as loaded: components and the sentence boundaries it guarantees."""

from __future__ import annotations


def test_a_blank_line_starts_a_sentence(nlp):
    # Given a headline with no full stop above the first paragraph
    doc = nlp(
        "Springfield council approves budget after all-night debate\n\nSpringfield's city council approved a budget."
    )
    # Then the paragraph's first word starts a sentence, so nothing in it hangs on the headline
    first = next(t for t in doc if t.text == "Springfield" and t.i > 2)
    assert first.is_sent_start
    assert all(t.head.i >= first.i for t in doc if t.i >= first.i)


def test_the_paragraph_breaks_run_before_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index("paragraph_breaks") < names.index("parser")


def test_a_quotation_mark_glued_between_punctuation_and_a_word_is_its_own_token(nlp):
    words = [t.text for t in nlp("“It is,”Clinton said,“and it was.” A 5'10\" man came.")]
    assert words[:8] == ["“", "It", "is", ",", "”", "Clinton", "said", ","]
    assert "“" in words and "and" in words
    assert "5'10" in words  # a measurement keeps its marks


def test_a_title_abbreviation_does_not_end_the_sentence(nlp):
    doc = nlp("The statement came from Pentagon spokesman Navy Capt. Jeff Davis on Monday.")
    assert not next(t for t in doc if t.text == "Jeff").is_sent_start


def test_a_dateline_is_not_parsed_into_the_first_sentence(nlp):
    # Given wire stories opening with a place, an agency and a dash
    for text, subject in [
        ("WASHINGTON (AP) — Donald Trump and Paul Ryan pledged to work together.", "Trump"),
        ("Headline here\n\nLONDON (Reuters) - Donald Trump said he would win.", "Trump"),
        ("TALLAHASSEE — Democratic Rep. Gwen Graham praised the plan.", "Graham"),
    ]:
        doc = nlp(text)
        dash = next(t for t in doc if t.text in ("—", "-"))
        # Then the sentence starts after the dash, and the place is not the verb's subject
        assert doc[dash.i + 1].is_sent_start
        verb = next(t for t in doc if t.pos_ == "VERB")
        assert all(c.i > dash.i for c in verb.children if c.dep_ == "nsubj"), text
        assert any(t.text == subject for t in doc[dash.i + 1 :])


def test_a_dash_after_a_short_capital_word_is_no_dateline(nlp):
    doc = nlp("I — and many others — think the plan will fail.")
    assert not doc[2].is_sent_start
