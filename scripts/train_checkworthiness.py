"""Train the shipped check-worthiness weights, choosing everything on the training transcripts only.

The data is split once by ``scripts/checkworthy_data.py``: a quarter of the CLEF-2019 and CLEF-2020
transcripts is held out and never read here except to drop ClaimBuster's copies of their sentences. On
the rest, a grouped 5-fold cross-validation (whole transcripts per fold) chooses the feature groups,
the regularisation and how much ClaimBuster's sentences weigh, for our sparse member and, separately,
the C of the TF-IDF + logistic regression baseline it must beat (the bench trains that with what is
chosen here). The same folds then choose how much of the baseline's own model joins ours as a second
text member, and the dense member's C (a logistic regression over parse features and the mean tok2vec
row of each sentence, parsed alone by the pipeline's spaCy model) and share (0 allowed for either). The
mix's out-of-fold scores fit its Platt calibration and the ``check_worthy`` threshold (the best F1 over
the training transcripts); the text members' alone fit the calibration used when no parse is given.
Every member is then fitted on every training transcript and written to
``layers/domain/article_pipeline/data/checkworthiness.json.gz`` (gzipped JSON) with the split and the choice recorded.
``make bench-checkworthy`` scores it on the held-out transcripts. Deterministic.

    python scripts/train_checkworthiness.py [--out PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
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
sys.path.insert(0, str(ROOT / "scripts"))

from checkworthy_data import Transcript, claimbuster_outside, load_split  # noqa: E402

from article_pipeline.claims.checkworthiness import dense_vector, featurize, parse_feature_names, parsed_span  # noqa: E402

DEFAULT_OUT = ROOT / "layers" / "domain" / "article_pipeline" / "data" / "checkworthiness.json.gz"
MODEL_VERSION = "cw-mix-3"
INNER_FOLDS = 5
# Parsing ~47,000 sentences with spaCy takes minutes on a shared machine: kept between runs.
CACHE_DIR = Path(os.environ.get("CW_CACHE", "/tmp/cw-cache"))
DENSE_C_VALUES = (0.003, 0.03)
TFIDF_ALPHAS = (0.0, 0.2, 0.35, 0.5, 0.65)  # the TF-IDF member's share of the text logit (standardised)
MIX_ALPHAS = (0.0, 0.2, 0.35)  # the dense member's share of the mixed (standardised) logit


@dataclass(frozen=True)
class Member:
    """One ensemble member: which feature groups it sees, their scales, and its regularisation."""

    scales: tuple[tuple[str, float], ...]  # feature-name prefix -> column scale; unlisted groups dropped
    C: float
    balanced: bool = True


# Feature groups a candidate may use: cues (c), the neighbours' cues (p, n), words (w), bigrams (b),
# character 4-grams (g). A candidate averages one or two members (one logistic regression each).
WORDS = (("bias", 1.0), ("c:", 1.0), ("p:", 0.5), ("n:", 0.5), ("w:", 1.0), ("b:", 0.5))
GRAMS = (("bias", 1.0), ("c:", 1.0), ("p:", 0.5), ("n:", 0.5), ("g:", 0.3))
FEATURE_SETS = {"words": (WORDS,), "grams": (GRAMS,), "words+grams": (WORDS, GRAMS)}
C_VALUES = (0.002, 0.004, 0.01, 0.03)
CLAIMBUSTER_WEIGHTS = (0.0, 0.3, 1.0)
BASELINE_C_VALUES = (0.1, 0.3, 1.0, 3.0)
MIN_DF = 2  # features seen in fewer training sentences are dropped: noise, and they bloat the JSON
PRUNE = 1e-4  # |weight| below this is not shipped
NAMESPACES = ("c", "p", "n", "w", "b", "g")


@dataclass(frozen=True)
class Candidate:
    features: str
    C: float
    claimbuster: float  # weight of a ClaimBuster sentence relative to a transcript sentence

    def members(self) -> list[Member]:
        return [Member(scales=scales, C=self.C) for scales in FEATURE_SETS[self.features]]


@dataclass
class Corpus:
    """Training sentences (transcripts in order, then ClaimBuster's, one per "document") and features."""

    sentences: list[str]
    labels: np.ndarray
    doc_of: np.ndarray  # transcript index, or -1 for ClaimBuster
    doc_ids: list[str]
    X: sparse.csr_matrix
    names: np.ndarray


def build_corpus(train: dict[str, Transcript], claimbuster: list[tuple[str, int]]) -> Corpus:
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    doc_of: list[int] = []
    sentences: list[str] = []
    for i, items in enumerate(train.values()):
        sents = [s for s, _ in items]
        feats.extend(featurize(sents))
        sentences.extend(sents)
        labels.extend(y for _, y in items)
        doc_of.extend([i] * len(items))
    for sentence, label in claimbuster:
        feats.extend(featurize([sentence]))  # no transcript, so no neighbours
        sentences.append(sentence)
        labels.append(label)
        doc_of.append(-1)
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform(feats).tocsr()
    X.data[:] = 1.0
    return Corpus(sentences, np.array(labels), np.array(doc_of), list(train), X, vec.get_feature_names_out())


def _column_scales(names: np.ndarray, member: Member) -> np.ndarray:
    scale = np.zeros(len(names))
    as_str = names.astype(str)
    for prefix, value in member.scales:
        scale[np.char.startswith(as_str, prefix)] = value
    return scale


def fit(corpus: Corpus, rows: np.ndarray, weights: np.ndarray, members: Sequence[Member]) -> tuple[np.ndarray, float]:
    """Average of the members' weights (on unscaled binary features) and intercepts."""
    X = corpus.X[rows]
    y = corpus.labels[rows]
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    keep = df >= MIN_DF
    w_sum = np.zeros(X.shape[1])
    b_sum = 0.0
    for m in members:
        scale = _column_scales(corpus.names, m) * keep
        clf = LogisticRegression(
            C=m.C,
            class_weight="balanced" if m.balanced else None,
            solver="liblinear",
            dual=True,  # far faster than the primal when features outnumber sentences
            max_iter=2000,
            random_state=0,
        )
        clf.fit(X @ sparse.diags(scale), y, sample_weight=weights[rows])
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


def mean_ap(corpus: Corpus, scores: np.ndarray, docs: Sequence[int]) -> float:
    aps = [average_precision(corpus.labels[corpus.doc_of == d], scores[corpus.doc_of == d]) for d in docs]
    return float(np.mean([ap for ap in aps if ap is not None]))


def folds_of(n_docs: int, k: int = INNER_FOLDS) -> list[list[int]]:
    """Transcripts dealt to ``k`` folds in a fixed order (round robin by index)."""
    return [list(range(i, n_docs, k)) for i in range(k)]


def _claimbuster_mask(corpus: Corpus, excluded: set[str]) -> np.ndarray:
    """ClaimBuster rows whose sentence is not one of the transcripts being scored."""
    from checkworthy_data import normalised

    allowed = np.zeros(len(corpus.labels), dtype=bool)
    for i in np.flatnonzero(corpus.doc_of == -1):
        allowed[i] = normalised(corpus.sentences[i]) not in excluded
    return allowed


def cross_validate(
    corpus: Corpus, scorer: Any, claimbuster: float, folds: list[list[int]], train: dict[str, Transcript]
) -> np.ndarray:
    """Out-of-fold scores of every training transcript sentence (``scorer(rows, weights, test)``)."""
    from checkworthy_data import normalised

    oof = np.zeros(len(corpus.labels))
    transcripts = list(train.values())
    for fold in folds:
        test = np.isin(corpus.doc_of, fold)
        excluded = {normalised(s) for d in fold for s, _ in transcripts[d]}
        rows = (~test & (corpus.doc_of >= 0)) | (_claimbuster_mask(corpus, excluded) if claimbuster else False)
        weights = np.where(corpus.doc_of == -1, claimbuster, 1.0)
        oof[test] = scorer(rows, weights, test)
    return oof


def ours_scorer(corpus: Corpus, candidate: Candidate) -> Any:
    def score(rows: np.ndarray, weights: np.ndarray, test: np.ndarray) -> np.ndarray:
        w, b = fit(corpus, rows, weights, candidate.members())
        return np.asarray(corpus.X[test] @ w + b)

    return score


def baseline_model(C: float) -> Any:
    """The plain baseline: TF-IDF over words and word pairs, one balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=0),
    )


def baseline_scorer(corpus: Corpus, C: float) -> Any:
    sentences = np.array(corpus.sentences, dtype=object)

    def score(rows: np.ndarray, weights: np.ndarray, test: np.ndarray) -> np.ndarray:
        model = baseline_model(C)
        model.fit(list(sentences[rows]), corpus.labels[rows], logisticregression__sample_weight=weights[rows])
        return np.asarray(model.decision_function(list(sentences[test])))

    return score


def dense_matrix(sentences: Sequence[str]) -> np.ndarray:
    """The dense member's inputs (``checkworthiness.dense_vector``) of each sentence, parsed alone by the
    pipeline's spaCy model; cached per model version under ``CACHE_DIR``."""
    from article_pipeline.nlp import load_pipeline, model_version

    nlp = load_pipeline()
    path = CACHE_DIR / f"dense-{model_version(nlp)}.pkl"
    cache: dict[str, list[float]] = pickle.loads(path.read_bytes()) if path.exists() else {}
    missing = sorted(set(sentences) - cache.keys())
    if missing:
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=256), strict=True):
            cache[text] = dense_vector(parsed_span(doc, [(0, len(doc.text))]))
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(cache))
    return np.array([cache[s] for s in sentences], dtype=float)


def fit_dense(
    D: np.ndarray, labels: np.ndarray, rows: np.ndarray, weights: np.ndarray, C: float, standardise_on: np.ndarray
) -> tuple[np.ndarray, float]:
    """A balanced logistic regression on standardised dense features, the standardisation folded into
    the returned weights so inference is one dot product on the raw features."""
    mu = D[standardise_on].mean(axis=0)
    sd = D[standardise_on].std(axis=0)
    sd[sd == 0] = 1.0
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    clf.fit((D[rows] - mu) / sd, labels[rows], sample_weight=weights[rows])
    coef = clf.coef_.ravel() / sd
    return coef, float(clf.intercept_[0] - coef @ mu)


def dense_scorer(corpus: Corpus, D: np.ndarray, C: float) -> Any:
    def score(rows: np.ndarray, weights: np.ndarray, test: np.ndarray) -> np.ndarray:
        w, b = fit_dense(D, corpus.labels, rows, weights, C, rows & (corpus.doc_of >= 0))
        return np.asarray(D[test] @ w + b)

    return score


def mix_weights(alpha: float, lexical: np.ndarray, dense: np.ndarray) -> tuple[float, float]:
    """Coefficients of the two members' logits: each scaled to unit spread (on out-of-fold scores), then
    weighted ``1 - alpha`` and ``alpha``."""
    return (1 - alpha) / float(lexical.std()), alpha / float(dense.std())


def calibrate(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Platt scaling on out-of-fold logits so the shipped score reads as a probability."""
    clf = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    clf.fit(logits.reshape(-1, 1), labels)
    return float(clf.coef_[0, 0]), float(clf.intercept_[0])


def best_f1_threshold(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The probability cut with the best F1 of the positive class, and that F1."""
    order = np.argsort(-probabilities)
    hits = np.cumsum(labels[order])
    k = np.arange(1, len(order) + 1)
    f1 = 2 * hits / (k + labels.sum())
    best = int(np.argmax(f1))
    return float(probabilities[order][best]), float(f1[best])


def to_json(corpus: Corpus, w: np.ndarray, b: float, extra: dict[str, Any]) -> dict[str, Any]:
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
        "tables": tables,
        **extra,
    }


def tfidf_json(model: Any, mix: tuple[float, float]) -> dict[str, Any]:
    """The fitted baseline pipeline as the runtime's TF-IDF member: each term's idf and weight."""
    vectorizer, clf = model.named_steps["tfidfvectorizer"], model.named_steps["logisticregression"]
    coef = clf.coef_.ravel()
    terms = {
        term: [float(f"{vectorizer.idf_[i]:.6g}"), float(f"{coef[i]:.6g}")]
        for term, i in sorted(vectorizer.vocabulary_.items())
    }
    return {
        "terms": terms,
        "intercept": round(float(clf.intercept_[0]), 6),
        "mix": [round(mix[0], 6), round(mix[1], 6)],
        "C": model.named_steps["logisticregression"].C,
    }


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Compact JSON, gzipped when ``path`` ends in .gz (the shipped weights: mtime 0, so reruns are byte-identical)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if path.suffix == ".gz" else data)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    split = load_split()
    # ClaimBuster's copies of held-out sentences never train anything.
    claimbuster = claimbuster_outside(split.claimbuster, split.heldout.values())
    corpus = build_corpus(split.train, claimbuster)
    in_transcripts = corpus.doc_of >= 0
    docs = range(len(corpus.doc_ids))
    folds = folds_of(len(corpus.doc_ids))
    print(
        f"training: {len(corpus.doc_ids)} transcripts ({int(in_transcripts.sum())} sentences, "
        f"{int(corpus.labels[in_transcripts].sum())} positive) + {len(claimbuster)} ClaimBuster sentences; "
        f"held out: {len(split.heldout)} transcripts, not read; {corpus.X.shape[1]} features "
        f"({time.perf_counter() - t0:.0f} s)"
    )
    print(f"grouped {INNER_FOLDS}-fold CV on the training transcripts (MAP):")
    results: list[tuple[float, Candidate, np.ndarray]] = []
    for features in FEATURE_SETS:
        for C in C_VALUES:
            for weight in CLAIMBUSTER_WEIGHTS:
                candidate = Candidate(features, C, weight)
                oof = cross_validate(corpus, ours_scorer(corpus, candidate), weight, folds, split.train)
                results.append((mean_ap(corpus, oof, docs), candidate, oof))
                print(f"  ours  {features:12s} C={C:<6} claimbuster x{weight:<4} {results[-1][0]:.4f}")
    score, chosen, oof = max(results, key=lambda r: r[0])
    baseline: list[tuple[float, float, np.ndarray]] = []
    for C in BASELINE_C_VALUES:
        base_oof = cross_validate(corpus, baseline_scorer(corpus, C), chosen.claimbuster, folds, split.train)
        baseline.append((mean_ap(corpus, base_oof, docs), C, base_oof))
        print(f"  TF-IDF baseline C={C:<5} claimbuster x{chosen.claimbuster:<4} {baseline[-1][0]:.4f}")
    base_score, base_C, base_oof = max(baseline, key=lambda r: r[0])

    # The baseline's model as a second text member, and its share, by the same CV.
    texts: list[tuple[float, float]] = []
    for alpha in TFIDF_ALPHAS:
        k_sparse, k_tfidf = mix_weights(alpha, oof[in_transcripts], base_oof[in_transcripts])
        texts.append((mean_ap(corpus, k_sparse * oof + k_tfidf * base_oof, docs), alpha))
        print(f"  text mix: TF-IDF share {alpha:<5} {texts[-1][0]:.4f}")
    text_score, tfidf_alpha = max(texts)
    k_sparse, k_tfidf = mix_weights(tfidf_alpha, oof[in_transcripts], base_oof[in_transcripts])
    text_oof = k_sparse * oof + k_tfidf * base_oof

    # The dense member (parse features + tok2vec mean) and its share of the mix, by the same CV.
    D = dense_matrix(corpus.sentences)
    print(f"dense member: {D.shape[1]} features ({time.perf_counter() - t0:.0f} s)")
    dense_oof = {
        C: cross_validate(corpus, dense_scorer(corpus, D, C), chosen.claimbuster, folds, split.train)
        for C in DENSE_C_VALUES
    }
    mixes: list[tuple[float, float, float]] = []
    for C, d_oof in dense_oof.items():
        print(f"  dense alone C={C:<6} {mean_ap(corpus, d_oof, docs):.4f}")
        for alpha in MIX_ALPHAS:
            k_text, k_dense = mix_weights(alpha, text_oof[in_transcripts], d_oof[in_transcripts])
            mixes.append((mean_ap(corpus, k_text * text_oof + k_dense * d_oof, docs), alpha, C))
            print(f"  mix: dense share {alpha:<5} dense C={C:<6} {mixes[-1][0]:.4f}")
    mix_score, alpha, dense_C = max(mixes)
    k_text, k_dense = mix_weights(alpha, text_oof[in_transcripts], dense_oof[dense_C][in_transcripts])
    mixed = k_text * text_oof + k_dense * dense_oof[dense_C]

    calibration = calibrate(mixed[in_transcripts], corpus.labels[in_transcripts])
    text_only = calibrate(text_oof[in_transcripts], corpus.labels[in_transcripts])
    probabilities = 1 / (1 + np.exp(-(calibration[0] * mixed[in_transcripts] + calibration[1])))
    threshold, f1 = best_f1_threshold(probabilities, corpus.labels[in_transcripts])
    print(
        f"chosen: {chosen} (CV MAP {score:.4f}), with the TF-IDF member at share {tfidf_alpha} (CV MAP "
        f"{text_score:.4f}), with the dense member C={dense_C} at share {alpha} (CV MAP {mix_score:.4f}); "
        f"baseline C={base_C} (CV MAP {base_score:.4f}); "
        f"calibration a={calibration[0]:.3f} b={calibration[1]:.3f}; check_worthy at p >= {threshold:.3f} "
        f"(out-of-fold F1 {f1:.3f})"
    )
    rows = in_transcripts | (corpus.doc_of == -1 if chosen.claimbuster else False)
    weights = np.where(corpus.doc_of == -1, chosen.claimbuster, 1.0)
    w, b = fit(corpus, rows, weights, chosen.members())
    dense_w, dense_b = fit_dense(D, corpus.labels, rows, weights, dense_C, in_transcripts)
    tfidf = baseline_model(base_C)
    tfidf.fit(
        list(np.array(corpus.sentences, dtype=object)[rows]),
        corpus.labels[rows],
        logisticregression__sample_weight=weights[rows],
    )
    extra = {
        "calibration": [round(calibration[0], 6), round(calibration[1], 6)],
        "text_only_calibration": [round(text_only[0], 6), round(text_only[1], 6)],
        "threshold": round(threshold, 4),
        "dense": {
            "names": parse_feature_names(),
            "tensor_width": D.shape[1] - len(parse_feature_names()),
            "weights": [float(f"{x:.6g}") for x in dense_w],
            "intercept": round(dense_b, 6),
            "mix": [round(k_text, 6), round(k_dense, 6)],
        },
        "tfidf": tfidf_json(tfidf, (k_sparse, k_tfidf)),
        "chosen": {
            "features": chosen.features,
            "C": chosen.C,
            "claimbuster": chosen.claimbuster,
            "cv_map": score,
            "dense_C": dense_C,
            "alpha": alpha,
            "mix_cv_map": mix_score,
            "tfidf_alpha": tfidf_alpha,
            "text_cv_map": text_score,
        },
        "baseline": {"C": base_C, "cv_map": base_score},
        "heldout": sorted(split.heldout),
    }
    payload = to_json(corpus, w, b, extra)
    write_json(args.out, payload)
    n_weights = sum(map(len, payload["tables"].values()))
    size_mb = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size_mb:.2f} MB, {n_weights} weights) in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
