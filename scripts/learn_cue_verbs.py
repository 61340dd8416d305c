#!/usr/bin/env python3
"""Learn the cue verbs the hand-written lexicon misses, from PolNeAR's development articles only.

PolNeAR's annotators count far more than verbs of saying as attributions ("voted for Clinton",
"endorsed Cruz", "offered a defence"): a fifth of the gold attributions of the development part
have a cue no list in ``cue_lexicon`` holds. A verb form joins the learned list when, among its
occurrences as a verb outside quotation marks, annotators marked at least ``rate`` of them as a cue,
and at least ``min_cues`` times.

Data: the first 600 articles of ``polnear-train.jsonl`` (the part ``make bench-claims`` calls
"dev"); the last 240 (its held-out part) are never read here. ``rate`` and ``min_cues`` are chosen by
``--folds``-fold cross-validation inside the 600 (learn on the other folds, extract and score the
fold with the shared scorer); the list written is then learned on all 600.

    PYTHONPATH=layers/domain python scripts/learn_cue_verbs.py   # writes article_pipeline/data/cue_verbs.json
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
GOLD = SHARED / "corpus" / "quotes" / "polnear-train.jsonl"
DEV_SIZE = 600  # as bench/bench_claims.py: the rest is held out
OUT = ROOT / "layers" / "domain" / "article_pipeline" / "data" / "cue_verbs.json"
CACHE = Path(os.environ.get("CUE_CACHE", "/tmp/article-pipeline-cache"))
GRID_RATES = (0.3, 0.4, 0.5, 0.6)
GRID_MIN_CUES = (2, 3, 5)

sys.path.insert(0, str(ROOT / "layers" / "domain"))
sys.path.insert(0, str(SHARED / "bench"))
sys.path.insert(0, str(ROOT / "bench"))  # claims_predictor: the records the scorer reads


def dev_articles() -> list[dict]:
    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line) for line in lines[:DEV_SIZE]]


def parsed(articles: list[dict]) -> list:
    """The pipeline's own parses of the articles, cached by model version (parsing is the slow part)."""
    from spacy.tokens import DocBin

    from article_pipeline.nlp import load_pipeline, model_version

    nlp = load_pipeline()
    path = CACHE / f"polnear-dev-{len(articles)}-{model_version(nlp)}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe([a["text"] for a in articles], batch_size=16))
    path.parent.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(store_user_data=False)
    for doc in docs:
        bin_.add(doc)
    bin_.to_disk(path)
    return docs


def verb_counts(articles: list[dict], docs: list) -> tuple[Counter, Counter]:
    """Per verb form outside the hand-written lexicon and quotations: occurrences, and times a cue."""
    from article_pipeline.claims import cue_lexicon as lex
    from article_pipeline.claims.quote_marks import find_quote_regions, quote_mask_for_tokens

    known = set(lex.SPEECH_FORMS) | set(lex.COGNITION_FORMS) | set(lex.EVALUATION_FORMS) | set(lex.PREP_FORMS)
    seen: Counter = Counter()
    cued: Counter = Counter()
    for article, doc in zip(articles, docs, strict=True):
        spans = sorted(tuple(s) for q in article["quotes"] for s in q.get("cue_spans") or [])
        starts = [s for s, _ in spans]
        inside = quote_mask_for_tokens(find_quote_regions(doc.text), [t.idx for t in doc])
        for tok in doc:
            form = tok.lower_
            if tok.pos_ != "VERB" or not tok.is_alpha or form in known or inside[tok.i] >= 0:
                continue
            seen[form] += 1
            j = bisect.bisect_right(starts, tok.idx) - 1
            if j >= 0 and spans[j][0] <= tok.idx < spans[j][1]:
                cued[form] += 1
    return seen, cued


def select(seen: Counter, cued: Counter, rate: float, min_cues: int) -> list[str]:
    return sorted(form for form, n in cued.items() if n >= min_cues and n / seen[form] >= rate)


def score(articles: list[dict], docs: list, forms: list[str], acc) -> None:
    """Extract with ``forms`` as the learned list and add each article to the scorer's accumulator."""
    import quotes_score as qs
    from claims_predictor import from_doc

    from article_pipeline.claims import cue_lexicon as lex

    lex.LEARNED_FORMS.clear()
    lex.LEARNED_FORMS.update({f: f for f in forms})
    for article, doc in zip(articles, docs, strict=True):
        preds = from_doc(doc, resolve_pronouns=False)
        art = qs.Article(article["text"])
        gold = qs.prepare_gold(art, article["quotes"])
        pred, _ = qs.prepare_pred(art, preds)
        acc.add_doc(art, gold, pred)


def figures(report: dict) -> dict[str, float]:
    return {
        "direct_speaker_acc": report["direct"]["speaker_acc"]["acc"],
        "overlap_f1": report["all"]["overlap"]["f1"],
        "overlap_p": report["all"]["overlap"]["p"],
        "overlap_r": report["all"]["overlap"]["r"],
        "attributed_f1": report["all"]["attributed"]["f1"],
        "exact_f1": report["all"]["exact"]["f1"],
    }


def cross_validate(articles: list[dict], docs: list, folds: int, rate: float | None, min_cues: int) -> dict:
    """Figures of one setting over all folds (``rate`` None: no learned verbs)."""
    import quotes_score as qs

    acc = qs.Accumulator()
    for k in range(folds):
        train = [i for i in range(len(articles)) if i % folds != k]
        test = [i for i in range(len(articles)) if i % folds == k]
        forms: list[str] = []
        if rate is not None:
            seen, cued = verb_counts([articles[i] for i in train], [docs[i] for i in train])
            forms = select(seen, cued, rate, min_cues)
        score([articles[i] for i in test], [docs[i] for i in test], forms, acc)
    return figures(acc.report())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    articles = dev_articles()
    docs = parsed(articles)
    results = {"none": cross_validate(articles, docs, args.folds, None, 0)}
    print("none", results["none"], flush=True)
    for rate in GRID_RATES:
        for min_cues in GRID_MIN_CUES:
            key = f"rate={rate} min_cues={min_cues}"
            results[key] = cross_validate(articles, docs, args.folds, rate, min_cues)
            print(key, results[key], flush=True)

    def objective(f: dict[str, float]) -> float:
        return (f["overlap_f1"] + f["attributed_f1"] + f["exact_f1"]) / 3

    best = max(results, key=lambda k: objective(results[k]))
    print(f"chosen: {best} (mean of overlap, attributed and exact F1 {objective(results[best]):.2f})")
    if best == "none":
        forms: list[str] = []
        rate, min_cues = None, 0
    else:
        rate = float(best.split()[0].split("=")[1])
        min_cues = int(best.split()[1].split("=")[1])
        seen, cued = verb_counts(articles, docs)
        forms = select(seen, cued, rate, min_cues)
    args.out.write_text(
        json.dumps(
            {
                "about": "Verb forms PolNeAR annotators mark as attribution cues; scripts/learn_cue_verbs.py",
                "data": f"polnear-train.jsonl, first {DEV_SIZE} articles",
                "rate": rate,
                "min_cues": min_cues,
                "cv_folds": args.folds,
                "cv": results,
                "forms": forms,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(forms)} forms written to {args.out}")


if __name__ == "__main__":
    main()
