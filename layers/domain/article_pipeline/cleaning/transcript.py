"""Transcripts: debates, interviews and hearings written as speaker turns ("HOLT: …", "Donald Trump: …").

The line classifier learnt what article text looks like from web pages, where a short line is
usually a menu item or a button; in a transcript a short line is a turn ("KELLY: Former Florida
Governor Jeb Bush.") and dropping it loses what someone said. So a text whose lines take turns
between named speakers keeps every line from its first turn to its last, except stage directions
("(APPLAUSE)", "[ crosstalk ]"); what lies before and after the turns (a site's header, a footer)
is still left to the classifier.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

# A label: one to four capitalised words (a title such as "SEN." or "Mr." among them, an apostrophe
# or hyphen inside: "O'MALLEY"), an optional number ("SPEAKER 2") and parenthesis ("TRUMP (R)"),
# then a colon and the turn's first words, or nothing but a time: some transcripts put the words
# on the next line ("Donald Trump: (00:01)" and then "Thank you very much.").
SPEAKER_LABEL = re.compile(
    r"^(?P<label>(?:[A-Z][A-Za-z'’.\-]*\.?\s+){0,3}[A-Z][A-Za-z'’\-]*\.?(?:\s+\d{1,2})?)"
    r"(?:\s+\([^()\n]{1,40}\))?\s*:(?:\s+\S|\s*$)"
)
TIME_ONLY = re.compile(r"^[\[(]?\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?[\])]?$")
# Labels that head a line but are nobody's turn.
NOT_SPEAKERS = frozenset(
    {
        *("update", "updated", "note", "editor's note", "editors note", "correction", "clarification", "source"),
        *("sources", "photo", "photos", "image", "video", "audio", "watch", "listen", "read", "read more", "more"),
        *("related", "see also", "credit", "credits", "warning", "disclaimer", "transcript", "subscribe"),
        *("advertisement", "ad", "tags", "tag", "topics", "topic", "share", "follow", "email", "e-mail", "contact"),
        *("published", "posted", "by", "author", "date", "time", "location", "place", "where", "when", "what"),
        *("why", "how", "who", "filed", "category", "categories", "keywords", "summary", "abstract", "background"),
        *("headline", "title", "caption", "quote", "price", "cost", "tel", "phone", "fax", "web", "website", "url"),
        *("link", "links", "download", "file", "notes", "ps", "p.s.", "pros", "cons", "step", "tip", "tips"),
    }
)
STAGE_DIRECTION = re.compile(r"^[(\[][^()\[\]]{1,60}[)\]](?:\s*[(\[][^()\[\]]{1,60}[)\]])*$")
MIN_TURNS = 4  # a transcript: at least this many turns...
MIN_SPEAKERS = 2  # ...by at least two speakers who take two turns or more (and 1.5 a label on average),
MIN_CHANGES = 0.5  # ...who take turns (the next turn is someone else's at least this often),
MIN_TURN_WORDS = 8  # ...and say sentences (the median turn has this many words after its label),
MIN_TURN_SHARE = 0.5  # ...turns being at least this share of the lines from the first turn to the last
# A speech is a transcript too when one label has this share of the turns, broken by the audience at
# least this many times.
SPEECH_LABEL_SHARE = 0.8
MIN_STAGE_DIRECTIONS = 2


def speaker_label(block: str) -> str | None:
    """The speaker label a line opens with ("CLINTON" of "CLINTON: Well, …"), or None."""
    found = SPEAKER_LABEL.match(block)
    if found is None:
        return None
    label = " ".join(found["label"].split())
    words = label.replace("’", "'").lower()
    if words in NOT_SPEAKERS or words.rstrip(".") in NOT_SPEAKERS:
        return None
    return label  # "KELLY", "SEN. BERNIE SANDERS", "Q", "Donald Trump", "Bill O'Reilly", "DeSantis"


def turn_span(blocks: Sequence[str]) -> tuple[int, int] | None:
    """(first, last) index of the turns when ``blocks`` are a transcript, else None.

    Web pages have lines of "Label: value" too (specifications, forum headers, glossaries); they
    rarely alternate between a few labels with a sentence after each, as speakers do.
    """
    found = _turns(blocks)
    return None if found is None else (found[0][0], found[-1][0])


def turn_lines(blocks: Sequence[str]) -> set[int]:
    """The lines that hold what is said in a transcript's turns: every label's, and the line after a
    label that stands alone ("Donald Trump: (00:01)"); none when ``blocks`` are not a transcript."""
    return {i for turn, words_line in _turns(blocks) or () for i in (turn, words_line) if i is not None}


def _said(blocks: Sequence[str], i: int) -> tuple[str, int | None]:
    """What the turn at line ``i`` says after its label, and the line it says it on when not its own."""
    rest = blocks[i].split(":", 1)[1].strip()
    if rest and not TIME_ONLY.match(rest):
        return rest, None
    after = i + 1
    if after < len(blocks) and speaker_label(blocks[after]) is None and not is_stage_direction(blocks[after]):
        return blocks[after], after
    return "", None


def _turns(blocks: Sequence[str]) -> list[tuple[int, int | None]] | None:
    """The transcript's turns as (label line, line of its words when not the label's), or None."""
    turns = [(i, label) for i, block in enumerate(blocks) if (label := speaker_label(block))]
    if len(turns) < MIN_TURNS:
        return None
    if not (_take_turns(turns) or _speech(blocks, turns)):
        return None
    said = [_said(blocks, i) for i, _ in turns]
    words = sorted(len(text.split()) for text, _ in said)
    if words[len(words) // 2] < MIN_TURN_WORDS:
        return None
    first, last = turns[0][0], turns[-1][0]
    lines = sum(1 for block in blocks[first : last + 1] if not is_stage_direction(block))
    turn_line_count = len(turns) + sum(1 for _, after in said if after is not None)
    if turn_line_count < MIN_TURN_SHARE * lines:
        return None
    return [(i, after) for (i, _), (_, after) in zip(turns, said, strict=True)]


def _take_turns(turns: list[tuple[int, str]]) -> bool:
    """Speakers taking turns: two who speak twice or more, 1.5 turns a label, the next turn another's."""
    counts = Counter(label for _, label in turns)
    if sum(1 for n in counts.values() if n >= 2) < MIN_SPEAKERS or 2 * len(turns) < 3 * len(counts):
        return False
    changes = sum(1 for (_, a), (_, b) in itertools.pairwise(turns) if a != b)
    return changes >= MIN_CHANGES * (len(turns) - 1)


def _speech(blocks: Sequence[str], turns: list[tuple[int, str]]) -> bool:
    """One speaker, their turns broken by the audience: most turns are one label's, and at least
    MIN_STAGE_DIRECTIONS stage directions ("(APPLAUSE)") stand between them."""
    (_, most), *_ = Counter(label for _, label in turns).most_common(1)
    if most < SPEECH_LABEL_SHARE * len(turns):
        return False
    first, last = turns[0][0], turns[-1][0]
    return sum(1 for block in blocks[first : last + 1] if is_stage_direction(block)) >= MIN_STAGE_DIRECTIONS


def is_stage_direction(block: str) -> bool:
    """ "(APPLAUSE)", "[ crosstalk ]", "(LAUGHTER) (CHEERING)": what the audience did, not what was said."""
    return STAGE_DIRECTION.match(block) is not None
