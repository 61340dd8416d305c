"""Learned content boundaries: where a reported statement starts and ends.

The rules in ``quotes`` take a cue's grammatical complement whole. Where the small parser hangs a
trailing phrase on the wrong word ("… said the plan would fail *despite the vote*", "*and vowed* …")
or a clause starts a word early or late, the complement's edges are not the statement's. For each
statement not wholly quoted, the candidates are its own edges, the edges left when a leading or
trailing subtree is cut off, and the edges of an enclosing phrase; a linear model over the cut
phrase's grammar (its dependency, first word, part of speech, a comma before it, its length) picks one
end and one start. The weights are learned from PolNeAR's development articles by
``scripts/learn_span_boundaries.py``; without them nothing moves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

MAX_EXTENSION = 30  # tokens an enclosing phrase may add after the end
MAX_LEAD = 10  # tokens an enclosing phrase may add before the start
JOINERS = frozenset({"and", "but", "or"})
ASIDE_WORDS = frozenset({"which", "who", "whose", "where"})


@dataclass(frozen=True)
class Candidate:
    """One possible edge (a token index) and what the move to it crosses."""

    token: int
    features: tuple[str, ...]


def _length_bucket(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8-15" if n <= 15 else "16+"


def _phrase_features(prefix: str, doc: Doc, first: int, last: int, root: Token) -> list[str]:
    """What a cut-off or added phrase is: its root's dependency, first word and tag, a comma before it."""
    while first < last and (doc[first].is_punct or doc[first].is_space):
        first += 1  # an added phrase starts after its comma
    lead = doc[first]
    comma = first > 0 and doc[first - 1].text in (",", ";", "—", "--")
    feats = [
        f"{prefix}",
        f"{prefix}:dep={root.dep_}",
        f"{prefix}:first={lead.lower_}",
        f"{prefix}:firstpos={lead.pos_}",
        f"{prefix}:len={_length_bucket(last - first + 1)}",
        f"{prefix}:comma={comma}",
        f"{prefix}:dep={root.dep_}:first={lead.lower_}",
        f"{prefix}:dep={root.dep_}:comma={comma}",
    ]
    if any(t.is_quote for t in doc[first : last + 1]):
        feats.append(f"{prefix}:quote")
    return feats


def _aside(doc: Doc, first: int) -> bool:
    """ ", which was passed in 2010": the writer's aside, which the rules leave out on purpose."""
    return doc[first].text == "," and first + 1 < len(doc) and doc[first + 1].lower_ in ASIDE_WORDS


def _crosses(cue: tuple[int, int] | None, first: int, last: int) -> bool:
    """Whether tokens ``first``..``last`` would take in the cue (its first and last token)."""
    return cue is not None and first <= cue[1] and cue[0] <= last


def _only_marks(tokens: Span) -> bool:
    """Punctuation and spaces only: moving an edge across them changes no word."""
    return all(t.is_punct or t.is_space for t in tokens)


def end_candidates(
    doc: Doc, start: int, end: int, context: tuple[str, ...], cue: tuple[int, int] | None = None
) -> list[Candidate]:
    """The statement's end as it is, before each trailing subtree, or at an enclosing phrase's end."""
    out = {end: Candidate(end, ("end:keep",))}
    for tok in doc[start + 1 : end + 1]:
        if tok.right_edge.i != end or tok.left_edge.i <= start or _only_marks(doc[tok.left_edge.i : end + 1]):
            continue
        cut = tok.left_edge.i - 1
        while cut > start and (doc[cut].is_punct or doc[cut].lower_ in JOINERS or doc[cut].is_space):
            cut -= 1
        if cut not in out:
            out[cut] = Candidate(cut, (*_phrase_features("end:cut", doc, tok.left_edge.i, end, tok), *context))
    sent = doc[end].sent
    for anc in doc[end].ancestors:
        last = anc.right_edge.i
        if last <= end or last - end > MAX_EXTENSION or last >= sent.end:
            continue
        while last > end and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        if last > end and last not in out and not _crosses(cue, end + 1, last) and not _aside(doc, end + 1):
            out[last] = Candidate(last, (*_phrase_features("end:add", doc, end + 1, last, anc), *context))
    return list(out.values())


def start_candidates(
    doc: Doc, start: int, end: int, context: tuple[str, ...], cue: tuple[int, int] | None = None
) -> list[Candidate]:
    """The statement's start as it is, after each leading subtree or word, or at an enclosing phrase's start."""
    out = {start: Candidate(start, ("start:keep",))}
    for tok in doc[start:end]:
        if tok.left_edge.i != start or tok.right_edge.i >= end or _only_marks(doc[start : tok.right_edge.i + 1]):
            continue
        cut = tok.right_edge.i + 1
        while cut < end and (doc[cut].is_punct or doc[cut].is_space):
            cut += 1
        if cut not in out:
            out[cut] = Candidate(cut, (*_phrase_features("start:cut", doc, start, tok.right_edge.i, tok), *context))
    sent = doc[start].sent
    for anc in doc[start].ancestors:
        first = anc.left_edge.i
        if first >= start or start - first > MAX_LEAD or first < sent.start:
            continue
        while first < start and (doc[first].is_punct or doc[first].is_space):
            first += 1
        if first < start and first not in out and not _crosses(cue, first, start - 1):
            out[first] = Candidate(first, (*_phrase_features("start:add", doc, first, start - 1, anc), *context))
    return list(out.values())


class BoundaryModel:
    """The log-odds that a move is right; the edge moves to the best move with positive log-odds."""

    def __init__(self, weights: dict[str, float], bias: float) -> None:
        self.weights = weights
        self.bias = bias

    def score(self, cand: Candidate) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) for f in cand.features)

    def choose(self, cands: list[Candidate]) -> int:
        """``cands[0]`` is the edge as it is."""
        best = max(cands[1:], key=self.score, default=None)
        return best.token if best is not None and self.score(best) > 0 else cands[0].token


@lru_cache(maxsize=1)
def shipped_model() -> BoundaryModel | None:
    path = resources.files("article_pipeline.data").joinpath("span_boundaries.json")
    if not path.is_file():
        return None
    spec = json.loads(path.read_text(encoding="utf-8"))
    return BoundaryModel(spec["weights"], spec["bias"])


def content_context(kind: str, quoted: str) -> tuple[str, ...]:
    return (f"kind={kind}:quoted={quoted}",)


def token_edges(doc: Doc, span: tuple[int, int]) -> tuple[int, int] | None:
    found = doc.char_span(span[0], span[1], alignment_mode="expand")
    if found is None or len(found) == 0:
        return None
    return found.start, found.end - 1


def adjusted_span(
    doc: Doc,
    span: tuple[int, int],
    context: tuple[str, ...],
    model: BoundaryModel,
    cue: tuple[int, int] | None = None,
) -> tuple[int, int]:
    """``span`` (character offsets) with the model's chosen start and end, never across the cue
    (``cue``: its character offsets)."""
    edges = token_edges(doc, span)
    if edges is None:
        return span
    start, end = edges
    cue_tokens = token_edges(doc, cue) if cue is not None else None
    new_end = model.choose(end_candidates(doc, start, end, context, cue_tokens))
    new_start = model.choose(start_candidates(doc, start, end, context, cue_tokens))
    if new_start > new_end or (new_start, new_end) == (start, end):
        return span
    return doc[new_start].idx, doc[new_end].idx + len(doc[new_end].text)
