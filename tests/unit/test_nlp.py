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
