"""Captions (WebVTT, SRT): a broadcast's or a video's words, as paragraphs a transcript reader knows.

A caption file cuts speech into cues of a few words, each with its timing, and names a speaker (if
at all) in a WebVTT voice tag (``<v Roger Bingham>``), a label at the start of a cue ("ANDERSON: …")
or only by a change marker (">>" in broadcast captions, "- " in subtitles). Read line by line, the
cues are fragments the line classifier drops as menu items. So the timings, cue numbers and markup
go, the cues of one speaker run together, and a new paragraph starts where the speaker changes or
after a pause at a sentence's end: "Roger Bingham: We are in New York City …", which the transcript
reader (``cleaning.transcript``, ``claims.turns``) takes as a turn. Captions are all speech: nothing
is left to the boilerplate classifier.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from article_pipeline.cleaning.transcript import speaker_label, words_after_label

TIMING = re.compile(
    r"^\s*(?P<start>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s+-->\s+(?P<end>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
TAG = re.compile(r"<[^>]*>")
CHANGE_MARKER = re.compile(r"^\s*(?:>>+|-(?=\s))\s*")  # a new speaker: ">>" (broadcast), "- " (subtitles)
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
PAUSE_SECONDS = 2.0  # a pause this long after a sentence's end starts a new paragraph...
MAX_PARAGRAPH_CHARS = 1200  # ...and so does any sentence's end once a paragraph is this long
LONGEST_PARAGRAPH_CHARS = 3000  # captions without sentences are cut anywhere past this


_LANGUAGE_HEADER = re.compile(r"^Language:\s*([A-Za-z]{2,3})\b", re.MULTILINE)


def declared_language(text: str) -> str | None:
    """The language a WebVTT header states ("Language: en", as YouTube writes it), if it does."""
    header = text.lstrip("\ufeff")[:1024].split("\n\n", 1)[0]
    found = _LANGUAGE_HEADER.search(header)
    return found.group(1).lower() if found else None


def looks_like_captions(text: str) -> bool:
    """WebVTT's signature, or an SRT file's first cue (a number, then a timing line)."""
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    if head.startswith("WEBVTT"):
        return True
    lines = head.splitlines()
    return len(lines) >= 2 and lines[0].strip().isdigit() and bool(TIMING.match(lines[1]))


@dataclass
class Cue:
    start: float
    end: float
    speaker: str | None  # from a voice tag, or a label the cue opens with
    changed: bool  # a speaker change marker opens the cue
    text: str


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    return sum(float(p) * 60**i for i, p in enumerate(reversed(parts)))


def cues(text: str) -> list[Cue]:
    """The cues in order, their text without markup, and without the lines that repeat the previous
    cue's (auto-generated captions roll: each cue shows the last line again above a new one)."""
    found: list[Cue] = []
    previous_lines: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip("\n").split("\n")
        at = next((i for i, line in enumerate(lines) if TIMING.match(line)), None)
        if at is None:  # the WEBVTT header, a NOTE, STYLE or REGION block
            continue
        timing = TIMING.match(lines[at])
        assert timing is not None
        payload = [line for line in lines[at + 1 :] if line.strip()]
        voice = next((m.group(1).strip() for line in payload if (m := VOICE.search(line))), None)
        plain = [" ".join(html.unescape(TAG.sub("", line)).split()) for line in payload]
        plain = [line for line in plain if line]
        while plain and previous_lines and plain[0] == previous_lines[-1]:
            plain = plain[1:]
        previous_lines = plain or previous_lines
        # each line that opens with a change marker is a turn of its own ("- Hi." / "- Hello.")
        turns: list[list[str]] = []
        for line in plain:
            if CHANGE_MARKER.match(line) or not turns:
                turns.append([line])
            else:
                turns[-1].append(line)
        for turn in turns:
            marked = CHANGE_MARKER.match(turn[0])
            words = " ".join([CHANGE_MARKER.sub("", turn[0]) if marked else turn[0], *turn[1:]]).strip()
            speaker = voice
            if speaker is None and (label := speaker_label(words)) and (said := words_after_label(words)):
                speaker, words = label, said  # "Lester Holt: Good evening" (Zoom), ">> ANDERSON: …"
            found.append(Cue(_seconds(timing["start"]), _seconds(timing["end"]), speaker, bool(marked), words))
    return found


def caption_paragraphs(text: str) -> list[str]:
    """The captions as paragraphs: a speaker's turn opens with "Name: " when a voice tag names them,
    and a long turn goes on in unlabelled paragraphs, cut at a pause or past MAX_PARAGRAPH_CHARS at a
    sentence's end (as press offices print long answers), or anywhere past LONGEST_PARAGRAPH_CHARS
    (auto-generated captions have no sentences)."""
    paragraphs: list[tuple[str, list[str]]] = []  # (label or "", the cues' words)
    length = 0  # of the paragraph under way
    speaker: str | None = None  # the voice of the turn under way, when one is named
    last_end = 0.0
    for cue in cues(text):
        current = paragraphs[-1] if paragraphs else None
        named_anew = cue.speaker is not None and cue.speaker != speaker
        sentence_done = current is not None and bool(SENTENCE_END.search(current[1][-1]))
        pause = cue.start - last_end >= PAUSE_SECONDS
        if (
            current is None
            or named_anew
            or cue.changed
            or (sentence_done and (pause or length >= MAX_PARAGRAPH_CHARS))
            or length >= LONGEST_PARAGRAPH_CHARS
        ):
            paragraphs.append(((cue.speaker or "") if named_anew or cue.changed else "", [cue.text]))
            length = len(cue.text)
        else:
            current[1].append(cue.text)
            length += len(cue.text) + 1
        speaker = cue.speaker if cue.speaker is not None or cue.changed else speaker
        last_end = cue.end
    joined = [(label, " ".join(" ".join(words).split())) for label, words in paragraphs]
    return [f"{label}: {said}" if label else said for label, said in joined if said]
