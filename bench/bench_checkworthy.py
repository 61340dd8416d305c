#!/usr/bin/env python3
"""`make bench-checkworthy`: the shipped check-worthiness model beside a TF-IDF baseline, in one run.

Both are trained on the same data (the training transcripts of ``scripts/checkworthy_data.py``'s split,
plus ClaimBuster's sentences at the weight the training script chose) and scored the same two ways:

1. on the held-out transcripts (a quarter of CLEF-2019 and CLEF-2020 by a hash of their ids), which no
   choice was made on: the figure to expect on unseen transcripts;
2. leave-one-transcript-out inside the training transcripts (optimistic: the hyperparameters of both were
   chosen by cross-validation there).

MAP (CLEF CheckThat!'s measure), mean R-precision and mean P@10 over transcripts with a positive; for
ours also the calibration error of its probabilities and the precision and recall of ``check_worthy`` on
the held-out transcripts, and the share of an article's analysis time its scoring takes. Held-out sentences
are parsed by the pipeline's spaCy model (each alone, as in training) only if the dense member has a share.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "layers" / "domain"))
sys.path.insert(0, str(ROOT / "scripts"))

import train_checkworthiness as train  # noqa: E402
from checkworthy_data import claimbuster_outside, load_split  # noqa: E402

cw = importlib.import_module("article_pipeline.claims.checkworthiness")


def ranking_metrics(per_doc: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
    """MAP, mean R-precision and mean P@10 over documents with at least one positive."""
    aps, rps, p10 = [], [], []
    for labels, scores in per_doc:
        if not labels.sum():
            continue
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        ranked = labels[order]
        aps.append(train.average_precision(labels, scores))
        r = int(labels.sum())
        rps.append(float(ranked[:r].sum() / r))
        p10.append(float(ranked[:10].sum() / 10))
    return {"MAP": float(np.mean(aps)), "R-prec": float(np.mean(rps)), "P@10": float(np.mean(p10)), "docs": len(aps)}


def map_difference_interval(
    ours: list[tuple[np.ndarray, np.ndarray]], base: list[tuple[np.ndarray, np.ndarray]], draws: int = 10000
) -> tuple[float, float, int, int]:
    """A 95% paired bootstrap interval of MAP(ours) - MAP(base) over transcripts, and ours' wins and losses.

    Transcripts are resampled with replacement (both models scored on the same draw), so the interval
    says how far a held-out difference on this few transcripts could be chance.
    """
    pairs = [
        (train.average_precision(y, a), train.average_precision(y, b))
        for (y, a), (_, b) in zip(ours, base, strict=True)
        if y.sum()
    ]
    gaps = np.array([a - b for a, b in pairs])
    rng = np.random.default_rng(0)
    means = gaps[rng.integers(0, len(gaps), size=(draws, len(gaps)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high), int((gaps > 0).sum()), int((gaps < 0).sum())


def calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width probability bins."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(probabilities, edges) - 1, 0, bins - 1)
    total = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            total += members.sum() * abs(probabilities[members].mean() - labels[members].mean())
    return float(total / len(labels))


def main() -> int:
    started = time.perf_counter()
    model = cw.load_model()
    chosen, baseline_C = model["chosen"], model["baseline"]["C"]
    split = load_split()
    if sorted(split.heldout) != model["heldout"]:
        print("the shipped model was trained on another split: retrain it (scripts/train_checkworthiness.py)")
        return 1
    claimbuster = claimbuster_outside(split.claimbuster, split.heldout.values())
    corpus = train.build_corpus(split.train, claimbuster)
    weights = np.where(corpus.doc_of == -1, chosen["claimbuster"], 1.0)
    rows = (corpus.doc_of >= 0) | ((corpus.doc_of == -1) if chosen["claimbuster"] else False)
    baseline = train.baseline_model(baseline_C)
    sentences = np.array(corpus.sentences, dtype=object)
    baseline.fit(list(sentences[rows]), corpus.labels[rows], logisticregression__sample_weight=weights[rows])

    k_sparse, k_tfidf = model["tfidf"]["mix"]
    k_text, k_dense = model["dense"]["mix"]
    held_ours, held_base = [], []
    for items in split.heldout.values():
        texts, labels = [s for s, _ in items], np.array([y for _, y in items])
        held_ours.append((labels, np.array(cw.score_document(texts, model, _parsed(texts) if k_dense else None))))
        held_base.append((labels, np.asarray(baseline.decision_function(texts))))

    candidate = train.Candidate(chosen["features"], chosen["C"], chosen["claimbuster"])
    loto = [[d] for d in range(len(corpus.doc_ids))]
    sparse_scorer = train.ours_scorer(corpus, candidate)
    baseline_scorer = _remembered(train.baseline_scorer(corpus, baseline_C))
    tfidf_scorer = (
        baseline_scorer if model["tfidf"]["C"] == baseline_C else train.baseline_scorer(corpus, model["tfidf"]["C"])
    )

    def ours_scorer(rows: np.ndarray, weights: np.ndarray, test: np.ndarray) -> np.ndarray:
        """Every member refitted without the left-out transcript, mixed with the shipped coefficients."""
        text = k_sparse * sparse_scorer(rows, weights, test)
        if k_tfidf:
            text = text + k_tfidf * tfidf_scorer(rows, weights, test)
        if not k_dense:
            return np.asarray(k_text * text)
        dense_scorer = train.dense_scorer(corpus, train.dense_matrix(corpus.sentences), chosen["dense_C"])
        return np.asarray(k_text * text + k_dense * dense_scorer(rows, weights, test))

    oof_ours = train.cross_validate(corpus, ours_scorer, candidate.claimbuster, loto, split.train)
    oof_base = train.cross_validate(corpus, baseline_scorer, candidate.claimbuster, loto, split.train)

    def per_doc(scores: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(corpus.labels[corpus.doc_of == d], scores[corpus.doc_of == d]) for d in range(len(corpus.doc_ids))]

    table = [
        ("held-out", "ours", ranking_metrics(held_ours)),
        ("held-out", "TF-IDF + LR", ranking_metrics(held_base)),
        ("LOTO (train)", "ours", ranking_metrics(per_doc(oof_ours))),
        ("LOTO (train)", "TF-IDF + LR", ranking_metrics(per_doc(oof_base))),
    ]
    print(
        f"check-worthiness: {len(split.train)} training transcripts (+{len(claimbuster):,} ClaimBuster sentences "
        f"x{chosen['claimbuster']}), {len(split.heldout)} held-out transcripts; ours {model['version']} "
        f"({chosen['features']}, C={chosen['C']}; TF-IDF member share {chosen['tfidf_alpha']}; dense parse member "
        f"C={chosen['dense_C']} share {chosen['alpha']}), baseline C={baseline_C}"
    )
    print(f"{'part':14s} {'model':12s} {'MAP':>7s} {'R-prec':>7s} {'P@10':>7s} {'docs':>5s}")
    for part, name, m in table:
        print(f"{part:14s} {name:12s} {m['MAP']:7.4f} {m['R-prec']:7.4f} {m['P@10']:7.4f} {m['docs']:5d}")
    gap = table[0][2]["MAP"] - table[1][2]["MAP"]
    print(f"held-out MAP: ours {table[0][2]['MAP']:.4f}, {gap:+.4f} against the baseline (targets: >= 0.22, >= +0.03)")
    low, high, wins, losses = map_difference_interval(held_ours, held_base)
    print(
        f"  95% paired bootstrap interval of that difference over the held-out transcripts: [{low:+.4f}, {high:+.4f}]; "
        f"ours higher on {wins}, lower on {losses}"
    )

    probabilities = np.concatenate([s for _, s in held_ours])
    labels = np.concatenate([y for y, _ in held_ours])
    flagged = probabilities >= model["threshold"]
    hits = int((flagged & (labels == 1)).sum())
    precision, recall = hits / max(int(flagged.sum()), 1), hits / int(labels.sum())
    print(
        f"calibration on held-out: ECE {calibration_error(probabilities, labels):.4f} "
        f"(mean p {probabilities.mean():.4f}, positive rate {labels.mean():.4f}); check_worthy at p >= "
        f"{model['threshold']}: precision {precision:.3f}, recall {recall:.3f} "
        f"({int(flagged.sum())} flagged of {len(labels):,})"
    )
    print(f"inference share of analysis: {_inference_share():.1%} (target < 5%)")
    print(f"bench-checkworthy: {time.perf_counter() - started:.0f} s")
    return 0


def _parsed(texts: list[str]) -> list[Any]:
    """Each sentence parsed alone by the pipeline's model, as in training (only when the dense member counts)."""
    from article_pipeline.nlp import load_pipeline

    return [cw.parsed_span(doc, [(0, len(doc.text))]) for doc in load_pipeline().pipe(texts, batch_size=256)]


def _remembered(scorer: Any) -> Any:
    """The baseline's left-out scores, computed once: ours reuses them when the TF-IDF member is the baseline."""
    seen: dict[bytes, np.ndarray] = {}

    def score(rows: np.ndarray, weights: np.ndarray, test: np.ndarray) -> np.ndarray:
        key = np.packbits(rows).tobytes() + np.packbits(test).tobytes() + weights.tobytes()
        if key not in seen:
            seen[key] = scorer(rows, weights, test)
        return seen[key]

    return score


def _inference_share() -> float:
    """Time in check-worthiness scoring over the whole analysis, on the repository's sample articles."""
    import article_pipeline

    spent = [0.0]
    original = cw.checkworthiness

    def timed(sentences: list[str], parses: list[cw.Parsed] | None = None) -> list[float]:
        t = time.perf_counter()
        try:
            return original(sentences, parses)
        finally:
            spent[0] += time.perf_counter() - t

    cw.checkworthiness = timed
    article_pipeline.analyze_raw(b"Warm-up sentence said by nobody.", filename="warm.txt")
    spent[0] = 0.0
    total = 0.0
    for path in sorted((ROOT / "samples").iterdir()):
        t = time.perf_counter()
        article_pipeline.analyze_raw(path.read_bytes(), filename=path.name)
        total += time.perf_counter() - t
    cw.checkworthiness = original
    return spent[0] / total


if __name__ == "__main__":
    sys.exit(main())
