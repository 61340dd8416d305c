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

from article_pipeline.cleaning.transcript import (
    MIN_SPOKEN_SHARE,
    MIN_TURNS,
    SPEAKER_LABEL,
    is_stage_direction,
    reads_as_speech,
    speaker_label,
    turn_span,
)

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
    several paragraphs, and a speaker goes on after "(APPLAUSE)" without a new label). After the last
    label it runs on to the end when what follows reads as speech and is a few lines long (a speech the
    last label introduces); else only up to the first line that does not or a stage direction: a news story
    quoting part of a panel goes on in the reporter's words, and a broadcast ends with "(SOUNDBITE OF
    MUSIC)" and the page's copyright line.
    """
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    blocks = [text[s:e].strip() for s, e in lines]
    span = turn_span(blocks)
    if span is None:
        return []
    _, last_label = span  # for a speech labelled once, the text's last line
    tail = [block for block in blocks[last_label + 1 :] if not is_stage_direction(block)]
    speech_follows = len(tail) >= MIN_TURNS and sum(map(reads_as_speech, tail)) >= MIN_SPOKEN_SHARE * len(tail)
    open_until = len(blocks) if speech_follows else last_label  # past it, a turn runs on only over speech
    turns: list[Turn] = []
    current: Turn | None = None
    for i, ((start, end), block) in enumerate(zip(lines, blocks, strict=True)):
        label = speaker_label(block)
        if label is not None:
            start += len(text[start:end]) - len(text[start:end].lstrip())
            found = SPEAKER_LABEL.match(text[start:end])
            if found is None:  # the label read from the stripped line always matches here
                continue
            colon = text.index(":", start + found.end("label"))  # a timed label's: its time's ("0:03")
            words_from = colon + 1 if found["colon"] else end  # a timed label's words are on the next line
            current = Turn(label, start + found.start("label"), start + found.end("label"), colon, [(words_from, end)])
            turns.append(current)
            if i == 0 and _title_case(text[colon + 1 : end]):
                current = None  # a headline ("Fallin: Trump Is 'Trying To Campaign …'"): the story follows
        elif i > open_until and (is_stage_direction(block) or not reads_as_speech(block)):
            current = None
        elif is_stage_direction(block):
            continue  # the audience breaks in; unlabelled words after it are still the speaker's
        elif current is not None:
            current.body.append((start, end))
    return turns


# Words a headline capitalises and a sentence does not, but where it begins: a line that speaks
# of people and places ("Mr. Speaker, Mr. Vice President, members of Congress") capitalises names,
# not these.
HEADLINE_CAPITALS = frozenset(
    {
        *("that", "this", "with", "from", "have", "been", "will", "into", "about", "after", "over", "than"),
        *("what", "when", "your", "they", "their", "were", "says", "said", "just", "more", "most", "could"),
        *("would", "should", "wants", "make", "takes", "gets", "does", "only", "like", "back", "also"),
    }
)


def _title_case(words: str) -> bool:
    """A headline's style ("Trump Is 'Trying To Campaign As A Racial Healer,' 'That Has Been …'"): the
    common words it has are capitalised, at least two of them."""
    common = [w for w in _WORD.findall(words) if w.lower() in HEADLINE_CAPITALS]
    return len(common) >= 2 and all(w[0].isupper() for w in common)


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


ANSWER_LABELS = frozenset({"A", "ANSWER"})


def interviewee(doc: Doc, turns: list[Turn]) -> tuple[int, int] | None:
    """Whose the answers of a Q&A interview ("Q: …" / "A: …") are: the person the introduction names
    first, when no one else is named there as often ("Q&A with Vice President Joe Biden. Vice
    President Joe Biden spent Thursday … he spoke with POLITICO's Michael Grunwald …"); as offsets of
    that first mention, or None (no answers, no introduction, or no one person it is about)."""
    if not turns or not any(turn.label.upper() in ANSWER_LABELS for turn in turns):
        return None
    introduction = doc.text[: turns[0].label_start]
    people = [ent for ent in doc.ents if ent.label_ == "PERSON" and ent.end_char <= len(introduction)]
    if not people:
        return None
    # how often each is named there, by surname (the parse misses some: "Alvarez and Ito toured …")
    named_times = {
        surname: len(re.findall(rf"\b{re.escape(surname)}\b", introduction))
        for surname in dict.fromkeys(ent[-1].text for ent in people)
    }
    first = people[0][-1].text
    if any(times >= named_times[first] for surname, times in named_times.items() if surname != first):
        return None
    return people[0].start_char, people[0].end_char


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
