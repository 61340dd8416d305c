"""The check-worthiness data, split once: which transcripts are held out, and what may train.

Shared by ``scripts/train_checkworthiness.py`` (which chooses and fits on the training part only) and
``bench/bench_checkworthy.py`` (which scores the held-out part). The split is fixed by a hash of each
transcript's id, not by any result: a quarter of each collection's transcripts (CLEF-2019 and CLEF-2020,
whole transcripts, so neighbouring sentences never straddle it) is held out. ClaimBuster's sentences have
no transcripts; they may only train, and any of them whose text also occurs in a transcript being scored
is left out of that model's training (ClaimBuster repeats sentences of the 2012 and 2016 debates).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
DATA_DIR = SHARED / "corpus" / "checkworthy"
TRANSCRIPT_FILES = ("clef2019-train.jsonl", "clef2020-train.jsonl")
CLAIMBUSTER_FILE = "claimbuster-kfold.jsonl"
HELDOUT_SHARE = 0.25

Transcript = list[tuple[str, int]]  # (sentence, label) in transcript order


@dataclass(frozen=True)
class Split:
    train: dict[str, Transcript]
    heldout: dict[str, Transcript]
    claimbuster: list[tuple[str, int]]


def _rows(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_transcripts(path: Path) -> dict[str, Transcript]:
    """Transcripts as ordered (sentence, label) lists, keyed by doc id."""
    rows: dict[str, list[tuple[int, str, int]]] = {}
    for r in _rows(path):
        rows.setdefault(r["doc_id"], []).append((r["line"], r["sentence"], int(r["label"])))
    return {d: [(s, y) for _, s, y in sorted(v)] for d, v in rows.items()}


def _rank(doc_id: str) -> str:
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def heldout_ids(doc_ids: Iterable[str]) -> list[str]:
    """The quarter of one collection's transcripts with the smallest SHA-256 of their id."""
    ordered = sorted(doc_ids, key=_rank)
    return sorted(ordered[: round(len(ordered) * HELDOUT_SHARE)])


def load_split(data_dir: Path = DATA_DIR) -> Split:
    train: dict[str, Transcript] = {}
    heldout: dict[str, Transcript] = {}
    for name in TRANSCRIPT_FILES:
        transcripts = load_transcripts(data_dir / name)
        held = set(heldout_ids(transcripts))
        for doc_id, sentences in transcripts.items():
            (heldout if doc_id in held else train)[doc_id] = sentences
    claimbuster = [(r["sentence"], int(r["label"])) for r in _rows(data_dir / CLAIMBUSTER_FILE)]
    return Split(train, heldout, claimbuster)


_NON_WORD = re.compile(r"[^a-z0-9 ]+")


def normalised(sentence: str) -> str:
    """Lower case, punctuation out, spaces squeezed: how ClaimBuster's repeats of debate lines are found."""
    return " ".join(_NON_WORD.sub(" ", sentence.lower()).split())


def claimbuster_outside(claimbuster: list[tuple[str, int]], transcripts: Iterable[Transcript]) -> list[tuple[str, int]]:
    """ClaimBuster's sentences minus those that also occur in ``transcripts`` (the ones being scored)."""
    seen = {normalised(s) for sentences in transcripts for s, _ in sentences}
    return [(s, y) for s, y in claimbuster if normalised(s) not in seen]
