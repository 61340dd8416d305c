#!/usr/bin/env python3
"""`make bench-transcripts`: debate and interview transcripts through the whole pipeline, end to end.

The CLEF-2019/2020 check-worthiness transcripts (``../shared/corpus/checkworthy``) give every sentence
its speaker and its check-worthiness label. Each transcript is written as a plain-text upload would be:
one paragraph per turn, "SPEAKER: sentences", audience reactions as their own lines ("(APPLAUSE)").
It then goes through ``analyze_raw`` (cleaning, parse, claims, scores) and each sentence is looked up:

* kept: still in the clean text;
* own speaker: inside a claim (not nested) whose speaker is the sentence's speaker (same last word of
  the label, the claim's speaker text or its entity); counted over all sentences, and over those the
  design gives a claim (three words or more, a named speaker: not QUESTION, Q, A or AUDIENCE);
* filed under the speaker: the same, where the claim's entity is that person;
* "I" and "we" in a turn: of the statements reported inside a turn with one of them as speaker, the
  share filed under the turn's speaker;
* MAP: transcripts ranked by the score of the smallest claim holding each sentence (0 when none).

The held-out transcripts are ``scripts/checkworthy_data.py``'s (a quarter of each collection, by a hash
of their ids); no choice of the transcript rules was made on them. ``--code DIR`` runs another checkout.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from checkworthy_data import DATA_DIR, TRANSCRIPT_FILES, heldout_ids  # noqa: E402

UNNAMED = {"QUESTION", "Q", "A", "AUDIENCE", "UNIDENTIFIED"}
WORD = re.compile(r"\w+")


def transcripts(part: str) -> dict[str, list[dict]]:
    """The part's transcripts: their rows (speaker, sentence, label) in order."""
    out: dict[str, list[dict]] = {}
    for name in TRANSCRIPT_FILES:
        rows: dict[str, list[dict]] = {}
        for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.setdefault(row["doc_id"], []).append(row)
        held = set(heldout_ids(rows))
        for doc_id, found in rows.items():
            if (doc_id in held) == (part == "heldout"):
                out[doc_id] = sorted(found, key=lambda r: r["line"])
    return out


SEARCH_WINDOW = 3000  # characters after the last sentence found where the next one is looked for
PARAGRAPH_SENTENCES = 3  # layout "paragraphs": a turn's paragraphs hold this many sentences


def as_text(rows: list[dict], layout: str = "turns") -> str:
    """A transcript as a plain-text upload, reactions ("(APPLAUSE)") on lines of their own.

    "turns": one paragraph per turn, every turn labelled. "paragraphs": as press offices and
    newspapers print long answers, a turn runs over paragraphs of PARAGRAPH_SENTENCES sentences and
    only its first is labelled; after a reaction the same speaker goes on without a label.
    "broadcast": as radio and TV networks print them, one paragraph per turn, but a speaker's first
    label carries a role ("HOLT, HOST: …", "TRUMP, GUEST: …"), the host's standing alone over the words
    when others speak too, and the page ends with closing music and its copyright and transcript notices
    (BROADCAST_FOOTER), which are nobody's.
    """
    if layout == "broadcast":
        turns = as_text(rows, "turns").split("\n\n")
        labels = {row["speaker"] for row in rows if row["speaker"] != "SYSTEM"}
        seen: set[str] = set()
        for k, paragraph in enumerate(turns):
            label, colon, said = paragraph.partition(": ")
            if colon and label in labels and label not in seen:
                role, between = ("HOST", "\n\n" if len(labels) > 1 else " ") if not seen else ("GUEST", " ")
                turns[k] = f"{label}, {role}:{between}{said}"
                seen.add(label)
        return "\n\n".join([*turns, BROADCAST_FOOTER])
    paragraphs: list[list] = []  # [label or None, sentences, speaker]
    speaker = None
    for row in rows:
        if row["speaker"] == "SYSTEM":
            paragraphs.append([None, [row["sentence"]], None])
            continue
        last = paragraphs[-1] if paragraphs else None
        if layout == "turns":
            if last and last[2] == row["speaker"]:
                last[1].append(row["sentence"])
            else:
                paragraphs.append([row["speaker"], [row["sentence"]], row["speaker"]])
        elif row["speaker"] != speaker:
            paragraphs.append([row["speaker"], [row["sentence"]], row["speaker"]])
        elif last and last[2] == row["speaker"] and len(last[1]) < PARAGRAPH_SENTENCES:
            last[1].append(row["sentence"])
        else:
            paragraphs.append([None, [row["sentence"]], row["speaker"]])
        speaker = row["speaker"]
    return "\n\n".join((f"{who}: " if who else "") + " ".join(said) for who, said, _ in paragraphs)


BROADCAST_FOOTER = (
    "(SOUNDBITE OF MUSIC)\n\nCopyright © 2024 Example Radio. All rights reserved. Visit our website terms of use "
    "and permissions pages for further information.\n\nAccuracy and availability of transcripts may vary. "
    "Transcript text may be revised to correct errors or match updates to audio."
)


def _last(name: str | None) -> str | None:
    from article_pipeline.ids import name_key

    words = name_key(name or "").split()
    return words[-1] if words else None


def score_part(part: str, layout: str = "turns") -> dict:
    from article_pipeline.analysis import analyze_raw

    try:
        from article_pipeline.claims.turns import find_turns
    except ImportError:  # a checkout from before transcripts were read as turns: no "I"/"we" figures

        def find_turns(_text: str) -> list:
            return []

    counts: Counter[str] = Counter()
    average_precisions = []
    started = time.perf_counter()
    found = transcripts(part)
    for rows in found.values():
        document = analyze_raw(as_text(rows, layout).encode(), filename="transcript.txt")
        text, claims = document["text"], document["claims"]
        spoken = [r for r in rows if r["speaker"] != "SYSTEM"]
        ranked, at, previous = [], 0, 0
        for row in spoken:
            sentence = " ".join(row["sentence"].split())
            target = len(WORD.findall(sentence)) >= 3 and row["speaker"].upper() not in UNNAMED
            counts["sentences"] += 1
            counts["target"] += target
            # looked for just after the last one found: a dropped "Thank you." must not match one said
            # an hour later and skip everything in between
            window = at + SEARCH_WINDOW + previous + len(sentence)
            start = text.find(sentence, at, window)
            if start < 0 and len(sentence) > 40:
                start = text.find(sentence[:40], at, window)
            if start < 0:
                ranked.append((0.0, row["label"]))
                continue
            at, previous = start + min(len(sentence), 40), len(sentence)
            end = min(start + len(sentence), len(text))
            counts["kept"] += 1
            holding = [c for c in claims if c["content"]["start"] <= start + 2 and c["content"]["end"] >= end - 2]
            who = _last(row["speaker"])
            own = [c for c in holding if not c["nested"]]
            by_speaker = any(
                who in (_last(c["speaker"]["text"]), _last(c["speaker"]["entity"])) for c in own if c["speaker"]
            )
            filed = any(c["speaker"] and who == _last(c["speaker"]["entity"]) for c in own)
            counts["own"] += by_speaker
            counts["own_target"] += by_speaker and target
            counts["filed_target"] += filed and target
            smallest = min(holding, key=lambda c: c["content"]["end"] - c["content"]["start"], default=None)
            ranked.append((smallest["score"] if smallest else 0.0, row["label"]))
        turns = find_turns(text)
        for claim in claims:
            pronoun = ((claim["speaker"] or {}).get("text") or "").lower()
            cue = (claim["cue"] or {}).get("start")
            turn = next((t for t in turns if cue is not None and t.body[0][0] <= cue < t.body[-1][1]), None)
            if pronoun in ("i", "we") and turn is not None:
                counts[pronoun] += 1
                counts[f"{pronoun}_filed"] += _last(claim["speaker"]["entity"]) == _last(turn.label)
        footer = text.find("Copyright © 2024 Example Radio") if layout == "broadcast" else -1
        if footer >= 0:  # the page's notices: no speaker's words
            counts["footer_claims"] += sum(1 for c in claims if c["content"]["start"] >= footer and c["speaker"])
        ranked.sort(key=lambda pair: -pair[0])
        hits, precisions = 0, []
        for k, (_, label) in enumerate(ranked, start=1):
            if label:
                hits += 1
                precisions.append(hits / k)
        if hits:
            average_precisions.append(sum(precisions) / hits)
    share = {k: counts[k] / counts[base] for k, base in (("kept", "sentences"), ("own", "sentences"))}
    return {
        "part": part,
        "layout": layout,
        "transcripts": len(found),
        "sentences": counts["sentences"],
        "kept": round(share["kept"], 3),
        "own_speaker": round(share["own"], 3),
        "own_speaker_of_targets": round(counts["own_target"] / counts["target"], 3),
        "filed_under_speaker_of_targets": round(counts["filed_target"] / counts["target"], 3),
        "i_filed_under_turn_speaker": round(counts["i_filed"] / counts["i"], 3) if counts["i"] else None,
        "we_filed_under_turn_speaker": round(counts["we_filed"] / counts["we"], 3) if counts["we"] else None,
        "map": round(statistics.mean(average_precisions), 3) if average_precisions else None,
        **({"footer_sentences_filed_under_a_speaker": counts["footer_claims"]} if layout == "broadcast" else {}),
        "seconds": round(time.perf_counter() - started),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=["train", "heldout", "both"], default="heldout")
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout whose pipeline is run (default: this one)")
    ap.add_argument(
        "--layout",
        choices=["turns", "paragraphs", "broadcast"],
        default="turns",
        help="turns: a paragraph per turn; paragraphs: long turns over unlabelled paragraphs; broadcast: "
        "first labels with a role over the words, a page footer at the end (see as_text)",
    )
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.code / "layers" / "domain"))
    for part in ("train", "heldout") if args.part == "both" else (args.part,):
        print(json.dumps(score_part(part, args.layout)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
