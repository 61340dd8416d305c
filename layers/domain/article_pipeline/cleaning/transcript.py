"""Transcripts: debates, interviews and hearings written as speaker turns ("HOLT: …", "Donald Trump: …").

The line classifier learnt what article text looks like from web pages, where a short line is
usually a menu item or a button; in a transcript a short line is a turn ("KELLY: Former Florida
Governor Jeb Bush.") and dropping it loses what someone said. So a text whose lines take turns
between named speakers keeps every turn, and the unlabelled paragraphs a long answer runs on over
when they read as speech or are sentences, but not the stage directions ("(APPLAUSE)", "[ crosstalk ]");
the rest (a site's header, a footer) is still left to the classifier. A speech labelled only where
it starts ("THE PRESIDENT: Thank you. …") is its speaker's to the end.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

# A label: one to four capitalised words (a title such as "SEN." or "Mr." among them, an apostrophe
# or hyphen inside: "O'MALLEY"), an optional number ("SPEAKER 2", "UNIDENTIFIED PERSON #1") and
# parenthesis ("TRUMP (R)"), a role after a comma as broadcasters print a speaker's first turn
# ("SACHA PFEIFFER, HOST:", "JAKE TAPPER, CNN ANCHOR:"; the label is the name), then a colon and the
# turn's first words, or nothing but a time: some transcripts put the words on the next line
# ("Donald Trump: (00:01)" and then "Thank you very much."). Transcription services print the label
# with a time and no colon ("Lester Holt  0:03", then the words: Otter) or put the time first
# ("[00:01:12] Lester Holt: Good evening", "00:01:12 Lester Holt: …").
_TIME = r"[\[(]?\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?[\])]?"
SPEAKER_LABEL = re.compile(
    rf"^(?:{_TIME}\s+)?(?P<label>(?:[A-Z][A-Za-z'’.\-]*\.?\s+){{0,3}}[A-Z][A-Za-z'’\-]*\.?(?:\s+#?\d{{1,2}})?)"
    r"(?:\s+\([^()\n]{1,40}\))?(?:,(?:\s+[A-Z][A-Za-z'’.\-]*){1,4})?"
    rf"(?:\s*(?P<colon>:)(?:\s+\S|\s*$)|\s+(?={_TIME}\s*$))"
)
TIME_ONLY = re.compile(rf"^{_TIME}$")
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
        # a headline's kicker ("OPINION: Why I left the party"): with a first-person essay after it, it
        # would read as a speech labelled once
        *("opinion", "analysis", "exclusive", "commentary", "editorial", "breaking", "breaking news", "live"),
        *("review", "interview", "letter", "letters", "essay", "column", "perspective", "explainer", "feature"),
        *("fact check", "special report", "report", "podcast", "profile", "obituary", "guest column", "op-ed"),
    }
)
# Nouns that name a part of a page, never a person: a label that ends in one ("Video Transcript:",
# "Photo Credit:", "UPDATE 2:") is nobody's either.
DOCUMENT_NOUNS = frozenset(
    {
        *("transcript", "note", "notes", "caption", "credit", "credits", "correction", "clarification"),
        *("update", "source", "sources", "photo", "photos", "image", "images", "video", "audio", "disclaimer"),
    }
)
STAGE_DIRECTION = re.compile(r"^[(\[][^()\[\]]{1,60}[)\]](?:\s*[(\[][^()\[\]]{1,60}[)\]])*$")
MIN_TURNS = 4  # a transcript: at least this many turns...
MIN_SPEAKERS = 2  # ...by at least two speakers who take two turns or more (and 1.5 a label on average),
MIN_CHANGES = 0.5  # ...who take turns (the next turn is someone else's at least this often),
MIN_TURN_WORDS = 8  # ...and say sentences (the median turn has this many words after its label),
MIN_TURN_SHARE = 0.5  # ...turns being at least this share of the lines from the first turn to the last
# ...or, as press offices and newspapers print long answers, turns run on over unlabelled paragraphs:
# then turns and the lines between them that read as speech (someone says "I", "we" or "you": 73% of
# such paragraphs of the training transcripts, 22% of PolNeAR's news paragraphs) are this share of
# those lines (0.86 or more in the training transcripts written so; how-to pages that alternate
# "Pro:" and "Con:" and address "you" reach 0.5 to 0.96).
MIN_SPOKEN_SHARE = 0.8
QUOTATION = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")  # to the paragraph's end when a quotation runs on
SPOKEN_WORDS = re.compile(  # case as written: "US" is a country
    r"\b(?:I|I'm|I've|I'll|I'd|[Mm]e|[Mm]y|[Ww]e|[Ww]e're|[Ww]e've|[Ww]e'll|[Ww]e'd|[Oo]ur|[Uu]s"
    r"|[Yy]ou|[Yy]our|[Yy]ou're|[Yy]ou've|[Yy]ou'll)\b"
)
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
    return None if names_nobody(label) else label  # "KELLY", "SEN. BERNIE SANDERS", "Q", "Donald Trump"


# Words of NOT_SPEAKERS that are surnames too: in capitals, as transcripts print labels, they are
# speakers ("PRICE:" is Tom Price at a hearing; "Price: $20" is a shop's).
SURNAMES_TOO = frozenset({"price", "more", "read", "link"})


def names_nobody(label: str) -> bool:
    """A label that heads a line but names no speaker: "Update", "Editor's note", "Video Transcript"."""
    words = label.replace("’", "'").lower()
    if words in SURNAMES_TOO and label.isupper():
        return False
    if words in NOT_SPEAKERS or words.rstrip(".") in NOT_SPEAKERS:
        return True
    last = re.sub(r"\s*#?\d+$", "", words).rstrip(".").split()[-1:]
    return bool(last) and last[0] in DOCUMENT_NOUNS


def turn_span(blocks: Sequence[str]) -> tuple[int, int] | None:
    """(first, last) index of the lines the turns run over when ``blocks`` are a transcript, else None.

    Web pages have lines of "Label: value" too (specifications, forum headers, glossaries); they
    rarely alternate between a few labels with a sentence after each, as speakers do.
    """
    found = _transcript(blocks)
    return None if found is None else (found.turns[0][0], found.end)


def turn_lines(blocks: Sequence[str]) -> set[int]:
    """The lines that hold what is said in a transcript's turns: every label's, the line after a
    label that stands alone ("Donald Trump: (00:01)"), and the unlabelled lines the turns run over
    that read as speech or are sentences (a long answer's later paragraphs); none when ``blocks`` are
    not a transcript."""
    found = _transcript(blocks)
    if found is None:
        return set()
    lines = {i for turn, words_line in found.turns for i in (turn, words_line) if i is not None}
    return lines | {
        i
        for i in range(found.turns[0][0], found.end + 1)
        if i not in lines
        and not is_stage_direction(blocks[i])
        and (reads_as_speech(blocks[i]) or _is_sentence(blocks[i]))
    }


def _is_sentence(block: str) -> bool:
    """A line of MIN_TURN_WORDS words or more ending as a sentence does: what a speaker goes on saying,
    not a page's "Advertisement" or "Continue reading" between the turns."""
    return len(block.split()) >= MIN_TURN_WORDS and block.rstrip("\"'”’)").endswith((".", "?", "!"))


def _said(blocks: Sequence[str], i: int) -> tuple[str, int | None]:
    """What the turn at line ``i`` says after its label, and the line it says it on when not its own."""
    rest = words_after_label(blocks[i])
    if rest:
        return rest, None
    after = i + 1
    if after < len(blocks) and speaker_label(blocks[after]) is None and not is_stage_direction(blocks[after]):
        return blocks[after], after
    return "", None


class Transcript(NamedTuple):
    """Where a transcript's turns are, line by line."""

    turns: list[tuple[int, int | None]]  # (label line, line of its words when not the label's)
    end: int  # the last line the turns run over: the last label's, or the text's last for a monologue


def _transcript(blocks: Sequence[str]) -> Transcript | None:
    """The transcript's turns and where they end, or None when ``blocks`` are no transcript."""
    turns = [(i, label) for i, block in enumerate(blocks) if (label := speaker_label(block))]
    dialogue = len(turns) >= MIN_TURNS and (_take_turns(turns) or _speech(blocks, turns))
    if not dialogue and not (turns and _monologue(blocks, turns)):
        return None
    end = turns[-1][0] if dialogue else len(blocks) - 1
    said = [_said(blocks, i) for i, _ in turns]
    words = sorted(_turn_words(blocks, turns, said, k, end) for k in range(len(turns)))
    if words[len(words) // 2] < MIN_TURN_WORDS:
        return None
    turn_lines = {i for i, _ in turns} | {after for _, after in said if after is not None}
    between = [i for i in range(turns[0][0], end + 1) if not is_stage_direction(blocks[i])]
    # (a monologue has passed a stricter test of the same lines in _monologue)
    if dialogue and len(turn_lines) < MIN_TURN_SHARE * len(between):
        spoken_on = sum(1 for i in between if i not in turn_lines and reads_as_speech(blocks[i]))
        if len(turn_lines) + spoken_on < MIN_SPOKEN_SHARE * len(between):
            return None
    return Transcript([(i, after) for (i, _), (_, after) in zip(turns, said, strict=True)], end)


def _monologue(blocks: Sequence[str], turns: list[tuple[int, str]]) -> bool:
    """A speech printed with its speaker's label only where it starts ("THE PRESIDENT: Thank you. …"
    and paragraphs on): most labels are one speaker's, not a letter's salutation ("Dear Sir:"), and
    from the first label on at least MIN_TURNS lines of sentences (the median MIN_TURN_WORDS words or
    more), MIN_SPOKEN_SHARE of them read as speech.
    """
    speaker = _main_speaker(turns)
    if speaker is None or any(_speaker(label) == speaker and label.split()[0].lower() == "dear" for _, label in turns):
        return False
    # a label alone on its line ("THE PRESIDENT:", "Donald Trump: (00:01)") is not a line of the speech
    lines = [
        i for i in range(turns[0][0], len(blocks)) if not is_stage_direction(blocks[i]) and not _bare_label(blocks[i])
    ]
    if len(lines) < MIN_TURNS or sorted(len(blocks[i].split()) for i in lines)[len(lines) // 2] < MIN_TURN_WORDS:
        return False  # a few short lines ("Contact us: …", "Call us …") are no speech
    spoken = sum(1 for i in lines if reads_as_speech(blocks[i]))
    return spoken >= MIN_SPOKEN_SHARE * len(lines)


def _bare_label(block: str) -> bool:
    """A label with no words after it but perhaps a time: its words are on the next line."""
    return speaker_label(block) is not None and not words_after_label(block)


def words_after_label(block: str) -> str:
    """What a labelled line says after its colon; "" when nothing or only a time ("Donald Trump: (00:01)",
    "Lester Holt  0:03")."""
    found = SPEAKER_LABEL.match(block)
    rest = block[found.end("colon") :].strip() if found is not None and found["colon"] else ""
    return "" if TIME_ONLY.match(rest) else rest


def _turn_words(
    blocks: Sequence[str], turns: list[tuple[int, str]], said: list[tuple[str, int | None]], k: int, last: int
) -> int:
    """How many words turn ``k`` says: after its label, and on the unlabelled lines up to the next
    turn (the last turn's up to line ``last``)."""
    text, words_line = said[k]
    start = (words_line if words_line is not None else turns[k][0]) + 1
    end = turns[k + 1][0] if k + 1 < len(turns) else last + 1
    return len(text.split()) + sum(len(b.split()) for b in blocks[start:end] if not is_stage_direction(b))


def reads_as_speech(block: str) -> bool:
    """Whether a line says "I", "we" or "you", as speakers do and reporters rarely do, outside the
    quotations a reporter writes ("Cruz said, “If we give up the Supreme Court …”")."""
    return SPOKEN_WORDS.search(QUOTATION.sub(" ", block).replace("’", "'")) is not None


def _take_turns(turns: list[tuple[int, str]]) -> bool:
    """Speakers taking turns: two who speak twice or more, 1.5 turns a speaker, the next turn another's."""
    speakers = [_speaker(label) for _, label in turns]
    counts = Counter(speakers)
    if sum(1 for n in counts.values() if n >= 2) < MIN_SPEAKERS or 2 * len(turns) < 3 * len(counts):
        return False
    changes = sum(1 for a, b in itertools.pairwise(speakers) if a != b)
    return changes >= MIN_CHANGES * (len(turns) - 1)


def _speaker(label: str) -> str:
    """Who a label stands for, as far as taking turns goes: its last word, so that a speaker introduced
    in full and then by surname ("TRAVIS CANTWELL:", then "CANTWELL:") is one speaker; a numbered
    label ("SPEAKER 2", "UNIDENTIFIED PERSON #1") whole."""
    last = label.split()[-1]
    return last.upper() if last[:1].isalpha() else label


def _speech(blocks: Sequence[str], turns: list[tuple[int, str]]) -> bool:
    """One speaker, their turns broken by the audience: most turns are one label's, and at least
    MIN_STAGE_DIRECTIONS stage directions ("(APPLAUSE)") stand between them."""
    if _main_speaker(turns) is None:
        return False
    first, last = turns[0][0], turns[-1][0]
    return sum(1 for block in blocks[first : last + 1] if is_stage_direction(block)) >= MIN_STAGE_DIRECTIONS


def _main_speaker(turns: list[tuple[int, str]]) -> str | None:
    """The speaker (``_speaker``) of at least SPEECH_LABEL_SHARE of the turns, if one has them."""
    (label, most), *_ = Counter(_speaker(label) for _, label in turns).most_common(1)
    return label if most >= SPEECH_LABEL_SHARE * len(turns) else None


def is_stage_direction(block: str) -> bool:
    """ "(APPLAUSE)", "[ crosstalk ]", "(LAUGHTER) (CHEERING)": what the audience did, not what was said."""
    return STAGE_DIRECTION.match(block) is not None
