"""Train the shipped check-worthiness weights and measure them honestly.

Learns a small ensemble of L2 logistic regressions over the features of
``article_pipeline.claims.checkworthiness.featurize`` (the same code that scores in Lambda), averages
them into one weight table, Platt-calibrates it on out-of-fold scores, and writes
``layers/domain/article_pipeline/data/checkworthiness.json``. It prints the leave-one-transcript-out
(LOTO) MAP, the CLEF-2019 CheckThat! Task 1 measure. ``--fold-dir`` also writes one model per held-out
transcript, for ``bench/checkworthy_predictor.py``. Deterministic: same data, same weights.

    python scripts/train_checkworthiness.py [--fold-dir DIR] [--no-loto]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "layers" / "domain"))

from article_pipeline.claims.checkworthiness import featurize  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "corpus" / "checkworthy" / "clef2019-train.jsonl"
DEFAULT_OUT = ROOT / "layers" / "domain" / "article_pipeline" / "data" / "checkworthiness.json"
MODEL_VERSION = "cw-linear-1"


@dataclass(frozen=True)
class Member:
    """One ensemble member: which feature groups it sees, their scales, and its regularisation."""

    scales: tuple[tuple[str, float], ...]  # feature-name prefix -> column scale; unlisted groups dropped
    C: float
    balanced: bool = True


MEMBERS: tuple[Member, ...] = (
    Member(scales=(("bias", 1.0), ("c:", 1.0), ("p:", 0.5), ("n:", 0.5), ("w:", 1.0), ("b:", 0.5)), C=0.004),
    Member(scales=(("bias", 1.0), ("c:", 1.0), ("p:", 0.5), ("n:", 0.5), ("g:", 0.3)), C=0.004),
)
MIN_DF = 2  # features seen in fewer training sentences are dropped: noise, and they bloat the JSON
PRUNE = 1e-4  # |weight| below this is not shipped
NAMESPACES = ("c", "p", "n", "w", "b", "g")


@dataclass
class Corpus:
    """All sentences, in document order, with labels, doc index and the global feature matrix."""

    doc_ids: list[str]
    doc_of: np.ndarray
    labels: np.ndarray
    sentences: list[str]
    X: sparse.csr_matrix
    names: np.ndarray


def load_docs(path: Path) -> dict[str, list[tuple[str, int]]]:
    """Transcripts as ordered (sentence, label) lists, keyed by doc id."""
    rows: dict[str, list[tuple[int, str, int]]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                rows.setdefault(r["doc_id"], []).append((r["line"], r["sentence"], int(r["label"])))
    return {d: [(s, y) for _, s, y in sorted(v)] for d, v in rows.items()}


def build_corpus(docs: dict[str, list[tuple[str, int]]]) -> Corpus:
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    doc_of: list[int] = []
    sentences: list[str] = []
    for i, items in enumerate(docs.values()):
        sents = [s for s, _ in items]
        feats.extend(featurize(sents))
        sentences.extend(sents)
        labels.extend(y for _, y in items)
        doc_of.extend([i] * len(items))
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform(feats).tocsr()
    X.data[:] = 1.0
    return Corpus(list(docs), np.array(doc_of), np.array(labels), sentences, X, vec.get_feature_names_out())


def _column_scales(names: np.ndarray, member: Member) -> np.ndarray:
    scale = np.zeros(len(names))
    as_str = names.astype(str)
    for prefix, value in member.scales:
        scale[np.char.startswith(as_str, prefix)] = value
    return scale


def fit(corpus: Corpus, train: np.ndarray, members: Sequence[Member] | None = None) -> tuple[np.ndarray, float]:
    """Average of the members' weights (on unscaled binary features) and intercepts."""
    X = corpus.X[train]
    y = corpus.labels[train]
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    keep = df >= MIN_DF
    members = MEMBERS if members is None else members
    w_sum = np.zeros(X.shape[1])
    b_sum = 0.0
    for m in members:
        scale = _column_scales(corpus.names, m) * keep
        Xs = X @ sparse.diags(scale)
        clf = LogisticRegression(
            C=m.C,
            class_weight="balanced" if m.balanced else None,
            solver="liblinear",
            dual=True,  # far faster than the primal when features outnumber sentences
            max_iter=2000,
            random_state=0,
        )
        clf.fit(Xs, y)
        w_sum += clf.coef_.ravel() * scale
        b_sum += float(clf.intercept_[0])
    return w_sum / len(members), b_sum / len(members)


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """Per-document AP with ties broken by position, as the shared scorer does."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    ranked = labels[order]
    if not ranked.sum():
        return None
    hits = np.cumsum(ranked)
    return float((hits / np.arange(1, len(ranked) + 1))[ranked == 1].mean())


def loto(corpus: Corpus, verbose: bool = True) -> tuple[float, np.ndarray, dict[str, tuple[np.ndarray, float]]]:
    """Leave-one-transcript-out: MAP, out-of-fold logits, and each fold's model."""
    oof = np.zeros(len(corpus.labels))
    folds: dict[str, tuple[np.ndarray, float]] = {}
    aps = []
    for d, doc_id in enumerate(corpus.doc_ids):
        test = corpus.doc_of == d
        w, b = fit(corpus, ~test)
        folds[doc_id] = (w, b)
        oof[test] = corpus.X[test] @ w + b
        ap = average_precision(corpus.labels[test], oof[test])
        if ap is not None:
            aps.append(ap)
        if verbose:
            print(f"  {doc_id:28s} n={int(test.sum()):5d} pos={int(corpus.labels[test].sum()):3d} AP={ap:.4f}")
    return float(np.mean(aps)), oof, folds


def calibrate(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Platt scaling on out-of-fold logits so the shipped score reads as a probability."""
    clf = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    clf.fit(logits.reshape(-1, 1), labels)
    return float(clf.coef_[0, 0]), float(clf.intercept_[0])


def to_json(corpus: Corpus, w: np.ndarray, b: float, calibration: tuple[float, float]) -> dict[str, Any]:
    """The runtime format: one weight table per feature namespace, the bias folded into the intercept."""
    tables: dict[str, dict[str, float]] = {ns: {} for ns in NAMESPACES}
    intercept = b
    for i in np.flatnonzero(np.abs(w) >= PRUNE):
        name = str(corpus.names[i])
        if name == "bias":
            intercept += float(w[i])
            continue
        ns, _, key = name.partition(":")
        tables[ns][key] = float(f"{w[i]:.4g}")
    return {
        "version": MODEL_VERSION,
        "features": "article_pipeline.claims.checkworthiness.featurize",
        "intercept": round(intercept, 6),
        "calibration": [round(calibration[0], 6), round(calibration[1], 6)],
        "tables": tables,
    }


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, separators=(",", ":"), sort_keys=True), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--fold-dir", type=Path, help="also write one model per held-out transcript here")
    ap.add_argument("--no-loto", action="store_true", help="skip LOTO (no calibration: identity)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    corpus = build_corpus(load_docs(args.data))
    print(
        f"{len(corpus.labels)} sentences, {int(corpus.labels.sum())} positive, "
        f"{len(corpus.doc_ids)} transcripts, {corpus.X.shape[1]} features ({time.perf_counter() - t0:.1f}s)"
    )
    calibration = (1.0, 0.0)
    if not args.no_loto:
        score, oof, folds = loto(corpus, verbose=not args.quiet)
        calibration = calibrate(oof, corpus.labels)
        print(f"LOTO MAP {score:.4f}  calibration a={calibration[0]:.3f} b={calibration[1]:.3f}")
        if args.fold_dir:
            for doc_id, (w, b) in folds.items():
                write_json(args.fold_dir / f"{doc_id}.json", to_json(corpus, w, b, calibration))
    w, b = fit(corpus, np.ones(len(corpus.labels), dtype=bool))
    payload = to_json(corpus, w, b, calibration)
    write_json(args.out, payload)
    n_weights = sum(map(len, payload["tables"].values()))
    size_mb = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size_mb:.2f} MB, {n_weights} weights) in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
