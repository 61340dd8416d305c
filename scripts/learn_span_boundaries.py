#!/usr/bin/env python3
"""Learn where reported statements start and end, from PolNeAR's development articles only.

For every statement the rules find (``extract_attributions(doc, learned_edges=False)``) that is not
wholly quoted and has one content span, ``claims.boundaries`` lists candidate ends and starts. A
candidate is right when it gives the matched gold statement's first (or last) word, in the shared
scorer's words. A logistic regression over the candidates' features learns which; at use, the
best-scoring candidate of each edge wins.

Data: the first 600 articles of ``polnear-train.jsonl`` (``make bench-claims``'s "dev" part); the last
240 are never read here. The regularisation ``C`` is chosen by ``--folds``-fold cross-validation inside
the 600 (fit on the other folds, move the fold's edges, score with the shared scorer); the weights
written are then fit on all 600 with the chosen ``C``. Features seen fewer than ``MIN_COUNT`` times in
the training part are dropped.

    PYTHONPATH=layers/domain python scripts/learn_span_boundaries.py   # writes data/span_boundaries.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path

from learn_cue_verbs import DEV_SIZE, ROOT, dev_articles, figures, parsed

OUT = ROOT / "layers" / "domain" / "article_pipeline" / "data" / "span_boundaries.json"
GRID_C = (0.3, 1.0, 3.0, 10.0, 30.0)
# a move is made when its log-odds exceed -margin (0: probability over a half)
GRID_MARGIN = (0.0, 0.5, 1.0)
MIN_COUNT = 3


def _statements(articles: list[dict], docs: list) -> list[dict]:
    """Per article: its raw attributions, the scorer's gold, and per movable statement its candidates
    with labels (None when no candidate gives the gold edge)."""
    import quotes_score as qs
    from claims_predictor import from_attributions

    from article_pipeline.claims import boundaries
    from article_pipeline.claims.quotes import _cue_offsets, extract_attributions

    out = []
    for article, doc in zip(articles, docs, strict=True):
        found = [a for a in extract_attributions(doc, learned_edges=False) if not a.nested]
        art = qs.Article(article["text"])
        gold = qs.prepare_gold(art, article["quotes"])
        pred, _ = qs.prepare_pred(art, from_attributions(doc, found))
        matched = {j: i for i, j, _ in qs.greedy_match(gold, pred, 0.5)}
        movable = []
        for j, a in enumerate(found):
            if a.quoted == "full" or len(a.content_spans) != 1:
                continue
            edges = boundaries.token_edges(doc, a.content_spans[0])
            if edges is None:
                continue
            context = boundaries.content_context(a.kind, a.quoted)
            cue = _cue_offsets(a)
            cue_tokens = boundaries.token_edges(doc, cue) if cue is not None else None
            ends = boundaries.end_candidates(doc, *edges, context, cue_tokens)
            starts = boundaries.start_candidates(doc, *edges, context, cue_tokens)
            labels_end = labels_start = None
            if j in matched and gold[matched[j]]["pos"]:
                want = gold[matched[j]]["pos"][0]
                labels_end = [
                    max(w, default=-1) == max(want) for w in (_words(art, doc, edges[0], c.token) for c in ends)
                ]
                labels_start = [
                    min(w, default=-1) == min(want) for w in (_words(art, doc, c.token, edges[1]) for c in starts)
                ]
            movable.append({"index": j, "ends": ends, "starts": starts, "y_end": labels_end, "y_start": labels_start})
        out.append({"article": article, "doc": doc, "found": found, "movable": movable})
    return out


def _words(art, doc, first: int, last: int) -> set[int]:
    """The scorer's word indices between two tokens of ``doc``."""
    return art.tokens_in_spans([[doc[first].idx, doc[last].idx + len(doc[last].text)]])


def _fit(statements: list[dict], c: float) -> tuple[dict[str, float], float]:
    """Logistic regression over the moves (every candidate but the edge as it is): right or not."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows: list[tuple[tuple[str, ...], bool]] = []
    for s in statements:
        for m in s["movable"]:
            for cands, labels in ((m["ends"], m["y_end"]), (m["starts"], m["y_start"])):
                if labels is not None:
                    rows += [(cand.features, y) for cand, y in zip(cands[1:], labels[1:], strict=True)]
    counts = Counter(f for feats, _ in rows for f in feats)
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    x = np.zeros((len(rows), len(vocab)), dtype=np.float32)
    for r, (feats, _) in enumerate(rows):
        for f in feats:
            if f in vocab:
                x[r, vocab[f]] = 1.0
    y = np.array([label for _, label in rows])
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, y)
    weights = {f: round(float(model.coef_[0][i]), 5) for f, i in vocab.items() if abs(model.coef_[0][i]) > 1e-5}
    return weights, round(float(model.intercept_[0]), 5)


def _score(statements: list[dict], weights: tuple[dict[str, float], float] | None, acc) -> None:
    """Move the statements' edges with ``weights`` (None: leave them) and score every article."""
    import quotes_score as qs
    from claims_predictor import from_attributions

    from article_pipeline.claims.boundaries import BoundaryModel

    model = BoundaryModel(*weights) if weights is not None else None
    for s in statements:
        found = list(s["found"])
        doc = s["doc"]
        if model is not None:
            for m in s["movable"]:
                a = found[m["index"]]
                end, start = model.choose(m["ends"]), model.choose(m["starts"])
                if start <= end:
                    span = (doc[start].idx, doc[end].idx + len(doc[end].text))
                    found[m["index"]] = dataclasses.replace(a, content_spans=[span])
        art = qs.Article(s["article"]["text"])
        gold = qs.prepare_gold(art, s["article"]["quotes"])
        pred, _ = qs.prepare_pred(art, from_attributions(doc, found))
        acc.add_doc(art, gold, pred)


def cross_validate(statements: list[dict], folds: int, c: float | None, margin: float = 0.0) -> dict:
    import quotes_score as qs

    acc = qs.Accumulator()
    for k in range(folds):
        train = [s for i, s in enumerate(statements) if i % folds != k]
        test = [s for i, s in enumerate(statements) if i % folds == k]
        fitted = None
        if c is not None:
            weights, bias = _fit(train, c)
            fitted = (weights, bias + margin)
        _score(test, fitted, acc)
    return figures(acc.report())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    articles = dev_articles()
    statements = _statements(articles, parsed(articles))
    results = {"none": cross_validate(statements, args.folds, None)}
    print("none", results["none"], flush=True)
    for c in GRID_C:
        for margin in GRID_MARGIN:
            key = f"C={c} margin={margin}"
            results[key] = cross_validate(statements, args.folds, c, margin)
            print(key, results[key], flush=True)
    best = max(results, key=lambda k: results[k]["exact_f1"] + results[k]["overlap_f1"])
    print(f"chosen: {best} (exact + overlap F1)", flush=True)
    if best == "none":
        args.out.unlink(missing_ok=True)
        print("no model beats the rules' own edges: none written")
        return
    c = float(best.split()[0].split("=")[1])
    margin = float(best.split()[1].split("=")[1])
    weights, bias = _fit(statements, c)
    args.out.write_text(
        json.dumps(
            {
                "about": "Weights of claims/boundaries.py's edge model; scripts/learn_span_boundaries.py",
                "data": f"polnear-train.jsonl, first {DEV_SIZE} articles",
                "C": c,
                "margin": margin,
                "min_count": MIN_COUNT,
                "cv_folds": args.folds,
                "cv": results,
                "bias": round(bias + margin, 5),
                "weights": dict(sorted(weights.items())),
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(weights)} weights written to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
