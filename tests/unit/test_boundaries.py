"""Learned content edges: a move is made only where the model's log-odds say it is right."""

from __future__ import annotations

import pytest


def _span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_a_trailing_phrase_is_cut_only_when_the_model_favours_it(nlp):
    from article_pipeline.claims.boundaries import BoundaryModel, adjusted_span

    text = "The mayor said the plan would fail despite the vote of the council."
    doc = nlp(text)
    span = _span_of(text, "the plan would fail despite the vote of the council")
    context = ("kind=indirect_quote:quoted=none",)

    cut = BoundaryModel({"end:cut:first=despite": 5.0}, bias=-1.0)
    start, end = adjusted_span(doc, span, context, cut)
    assert text[start:end] == "the plan would fail"

    keep = BoundaryModel({"end:cut:first=despite": -5.0}, bias=-1.0)
    assert adjusted_span(doc, span, context, keep) == span


def test_the_shipped_model_loads_and_statements_keep_their_speakers(nlp):
    from article_pipeline.claims.boundaries import shipped_model
    from article_pipeline.claims.quotes import extract_attributions

    if shipped_model() is None:
        pytest.skip("no data/span_boundaries.json (scripts/learn_span_boundaries.py writes it)")
    doc = nlp("Osei said the increase was not enough for families who rent in the city.")
    moved = extract_attributions(doc)
    raw = extract_attributions(doc, learned_edges=False)
    assert [(a.speaker, a.cue) for a in moved] == [(a.speaker, a.cue) for a in raw]
    for a in moved:
        for start, end in a.content_spans:
            assert 0 <= start < end <= len(doc.text)


def test_an_edge_never_moves_across_the_cue(nlp):
    from article_pipeline.claims.boundaries import BoundaryModel, adjusted_span

    text = "The senator can make progress on the issues they care about."
    doc = nlp(text)
    span = _span_of(text, "the issues")
    cue = _span_of(text, "care about")
    grow = BoundaryModel({"end:add": 9.0}, bias=0.0)
    assert text[slice(*adjusted_span(doc, span, (), grow))].endswith("about")  # without the cue: it grows
    assert adjusted_span(doc, span, (), grow, cue) == span
