"""Honest leave-one-transcript-out predictor for ``../shared/bench/checkworthy_score.py``.

The shipped weights were trained on every transcript, so scoring the training data with them would
flatter the model. This predictor recognises which transcript it is given (by matching its sentences
against the gold file) and scores it with a model trained on the other transcripts only. Fold models
come from ``scripts/train_checkworthiness.py --fold-dir`` and are cached outside the repository, keyed by
a hash of the training code, the feature code and the data, so a change to any of them retrains.

    python ../shared/bench/checkworthy_score.py --pythonpath bench --pythonpath layers/domain \\
        --predictor checkworthy_predictor:predict
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "layers" / "domain"))

# By module path: ``article_pipeline.claims.checkworthiness`` the attribute is the function, not the module.
cw = importlib.import_module("article_pipeline.claims.checkworthiness")

TRAIN_SCRIPT = ROOT / "scripts" / "train_checkworthiness.py"
GOLD = ROOT.parent / "shared" / "corpus" / "checkworthy" / "clef2019-train.jsonl"
CACHE_ROOT = Path(os.environ.get("CHECKWORTHY_FOLD_CACHE", Path(tempfile.gettempdir()) / "checkworthy-folds"))


def _fingerprint() -> str:
    h = hashlib.sha256()
    for p in (TRAIN_SCRIPT, Path(cw.__file__), GOLD):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


@cache
def _fold_dir() -> Path:
    """Directory of per-transcript fold models, trained on first use."""
    folds = CACHE_ROOT / _fingerprint()
    if not (folds / "DONE").exists():
        spec = importlib.util.spec_from_file_location("train_checkworthiness", TRAIN_SCRIPT)
        assert spec and spec.loader
        trainer = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = trainer  # dataclasses look their module up while the class is built
        spec.loader.exec_module(trainer)
        print(f"training LOTO fold models into {folds} ...", file=sys.stderr)
        trainer.main(["--data", str(GOLD), "--out", str(folds / "all.json"), "--fold-dir", str(folds), "--quiet"])
        (folds / "DONE").write_text("ok\n")
    return folds


@cache
def _doc_sentences() -> dict[str, frozenset[str]]:
    docs: dict[str, set[str]] = {}
    with GOLD.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                docs.setdefault(r["doc_id"], set()).add(r["sentence"])
    return {d: frozenset(s) for d, s in docs.items()}


def identify(sentences: list[str]) -> str | None:
    """The gold transcript these sentences come from, if most of them match one."""
    given = set(sentences)
    best, overlap = None, 0
    for doc_id, gold in _doc_sentences().items():
        n = len(given & gold)
        if n > overlap:
            best, overlap = doc_id, n
    return best if given and overlap >= 0.5 * len(given) else None


@cache
def _fold_model(doc_id: str) -> dict[str, Any]:
    return json.loads((_fold_dir() / f"{doc_id}.json").read_text(encoding="utf-8"))


def predict(sentences: list[str]) -> list[float]:
    """Scores from the model that never saw this transcript (shipped model for unknown text)."""
    doc_id = identify(sentences)
    if doc_id is None:
        return cw.checkworthiness(sentences)
    return cw.score_document(sentences, _fold_model(doc_id))
