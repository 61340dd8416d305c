"""Transcripts: each sentence of a speaker's turn is that speaker's statement.

In a debate or an interview written as turns ("CLINTON: Well, I think that trade is an important
issue. Of course, …") every sentence is the labelled speaker's own words, with no cue verb or
quotation mark to find. One statement per sentence, not per turn: a turn can run to twenty
sentences, and what a reader checks (and what check-worthiness is scored on) is one of them. What
a speaker reports inside a turn ("He said that …") is kept and marked nested in that turn's statement.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from article_pipeline.cleaning.transcript import SPEAKER_LABEL, is_stage_direction, speaker_label, turn_span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Labels of turns nobody in particular takes: the text stays, no statement is filed under them.
UNNAMED_SPEAKERS = frozenset(
    {"Q", "A", "QUESTION", "ANSWER", "AUDIENCE", "AUDIENCE MEMBER", "CROWD", "UNKNOWN", "UNIDENTIFIED"}
)
SPEAKER_ROLES = frozenset(
    {"reporter", "moderator", "host", "anchor", "interviewer", "panelist", "caller", "speaker", "participant"}
)
MIN_SENTENCE_WORDS = 3  # "Thank you." and "Yes." are turns, not statements
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Turn:
    """One speaker's turn: the label's offsets, its colon's, and the text the turn holds."""

    label: str
    label_start: int
    label_end: int
    colon: int
    body: list[tuple[int, int]]  # the turn's lines (its first after the label), as offsets


def find_turns(text: str) -> list[Turn]:
    """The turns of ``text`` when it is a transcript (see ``cleaning.transcript``), else none.

    A turn runs from its label to the next label, over the lines in between (long answers run over
    several paragraphs, and a speaker goes on after "(APPLAUSE)" without a new label).
    """
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    blocks = [text[s:e].strip() for s, e in lines]
    if turn_span(blocks) is None:
        return []
    turns: list[Turn] = []
    current: Turn | None = None
    for (start, end), block in zip(lines, blocks, strict=True):
        label = speaker_label(block)
        if label is not None:
            start += len(text[start:end]) - len(text[start:end].lstrip())
            found = SPEAKER_LABEL.match(text[start:end])
            if found is None:  # the label read from the stripped line always matches here
                continue
            colon = text.index(":", start + found.end("label"))
            current = Turn(label, start + found.start("label"), start + found.end("label"), colon, [(colon + 1, end)])
            turns.append(current)
        elif is_stage_direction(block):
            continue  # the audience breaks in; unlabelled words after it are still the speaker's
        elif current is not None:
            current.body.append((start, end))
    return turns


def name_ends(doc: Doc) -> set[str]:
    """The last word of every person's and organisation's name in ``doc``, lower-cased."""
    return {ent[-1].lower_ for ent in doc.ents if ent.label_ in ("PERSON", "ORG")}


def named(turn: Turn, names: set[str]) -> bool:
    """Whether a turn's label names someone: written in capitals ("HOLT"), a role ("Reporter",
    "Speaker 2"), or a name among the text's entities (``names``, from ``name_ends``: "Donald Trump");
    not "Q", "AUDIENCE" or a heading that looks like a label ("Breakfast: porridge …")."""
    label = turn.label
    if label.upper() in UNNAMED_SPEAKERS or label.upper().startswith("UNIDENTIFIED"):
        return False
    return label.isupper() or label.split()[0].lower() in SPEAKER_ROLES or label.split()[-1].lower() in names


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Every sentence of ``doc`` as (start, end) character offsets, in order."""
    return [(sent.start_char, sent.end_char) for sent in doc.sents]


def turn_sentences(text: str, turn: Turn, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of a turn (``sentences``: the document's, from ``sentence_bounds``) as offsets,
    each clipped to its line and trimmed."""
    ends = [end for _, end in sentences]
    out: list[tuple[int, int]] = []
    for line_start, line_end in turn.body:
        k = bisect.bisect_right(ends, line_start)  # the first sentence that ends after the line starts
        while k < len(sentences) and sentences[k][0] < line_end:
            start, end = max(sentences[k][0], line_start), min(sentences[k][1], line_end)
            k += 1
            piece = text[start:end]
            start += len(piece) - len(piece.lstrip())
            end -= len(piece) - len(piece.rstrip())
            words = _WORD.findall(text[start:end])
            if len(words) >= MIN_SENTENCE_WORDS and not is_stage_direction(text[start:end]):
                out.append((start, end))
    return out
