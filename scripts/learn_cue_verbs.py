#!/usr/bin/env python3
"""Learn the cue verbs the hand-written lexicon misses, from PolNeAR's development articles only.

PolNeAR's annotators count far more than verbs of saying as attributions ("voted for Clinton",
"endorsed Cruz", "offered a defence"): a fifth of the gold attributions of the development part
have a cue no list in ``cue_lexicon`` holds. A verb form joins the learned list when, among its
occurrences as a verb outside quotation marks, annotators marked at least ``rate`` of them as a cue,
and at least ``min_cues`` times. A verb form with a preposition ("voted *for*", "pointed *to*") joins
the learned pairs by the same rule over the times the form governs that preposition (both words in
one gold cue); the pair's object is then the content. A noun with a preposition ("*criticism of* Trump", "*support
for* Sanders") joins the learned noun pairs by the same rule over the times the noun governs it.

Data: the first 600 articles of ``polnear-train.jsonl`` (the part ``make bench-claims`` calls
"dev"); the last 240 (its held-out part) are never read here. ``rate`` and ``min_cues`` are chosen by
``--folds``-fold cross-validation inside the 600 (learn on the other folds, extract and score the
fold with the shared scorer), first for verb forms, then for verb pairs with the chosen verb rule, then
for noun pairs with both chosen; the lists written are then learned on all 600.

    PYTHONPATH=layers/domain python scripts/learn_cue_verbs.py   # writes article_pipeline/data/cue_verbs.json
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
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
GRID_RATES = (0.2, 0.25, 0.3, 0.4, 0.5, 0.6)
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
    # keyed by the model and by our pipeline code (tokenizer cases, added components)
    code = hashlib.sha256((ROOT / "layers/domain/article_pipeline/nlp.py").read_bytes()).hexdigest()[:10]
    path = CACHE / f"polnear-dev-{len(articles)}-{model_version(nlp)}-{code}.spacy"
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

    known = set(lex.SPEECH_FORMS) | set(lex.COGNITION_FORMS) | set(lex.EVALUATION_FORMS) | set(lex.PREP_FORMS)
    seen: Counter = Counter()
    cued: Counter = Counter()
    for tok, cue_of in _words_outside_quotes(articles, docs):
        form = tok.lower_
        if form in known:
            continue
        seen[form] += 1
        if cue_of(tok.idx) >= 0:
            cued[form] += 1
    return seen, cued


def _words_outside_quotes(articles: list[dict], docs: list, pos: str = "VERB"):
    """Each word tagged ``pos`` outside quotation marks, with a function giving the gold cue span that
    holds a character offset (-1: none)."""
    from article_pipeline.claims.quote_marks import find_quote_regions, quote_mask_for_tokens

    for article, doc in zip(articles, docs, strict=True):
        spans = sorted(tuple(s) for q in article["quotes"] for s in q.get("cue_spans") or [])
        starts = [s for s, _ in spans]
        inside = quote_mask_for_tokens(find_quote_regions(doc.text), [t.idx for t in doc])

        def cue_of(idx: int, spans: list = spans, starts: list = starts) -> int:
            j = bisect.bisect_right(starts, idx) - 1
            return j if j >= 0 and spans[j][0] <= idx < spans[j][1] else -1

        for tok in doc:
            if tok.pos_ == pos and tok.is_alpha and inside[tok.i] < 0:
                yield tok, cue_of


def pair_counts(articles: list[dict], docs: list) -> tuple[Counter, Counter]:
    """Per (verb form, preposition) it governs, outside quotations and the hand-written PREP_CUES:
    occurrences, and times both words lie in one gold cue."""
    from article_pipeline.claims import cue_lexicon as lex

    def hand_written(tok, prep) -> bool:
        base = next((f[tok.lower_] for f in _hand_forms() if tok.lower_ in f), None)
        return prep.lower_ in lex.PREP_CUES.get(base or "", ())

    return _preposition_counts(articles, docs, "VERB", hand_written)


def noun_pair_counts(articles: list[dict], docs: list) -> tuple[Counter, Counter]:
    """Per (noun form, preposition it governs), outside quotations: occurrences, and times both
    words lie in one gold cue."""
    return _preposition_counts(articles, docs, "NOUN", lambda tok, prep: False)


def _preposition_counts(articles: list[dict], docs: list, pos: str, skip) -> tuple[Counter, Counter]:
    """Per (word tagged ``pos``, preposition after it that it governs, unless ``skip`` rules the pair out): occurrences,
    and times both words lie in one gold cue."""
    seen: Counter = Counter()
    cued: Counter = Counter()
    for tok, cue_of in _words_outside_quotes(articles, docs, pos):
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.i < tok.i or skip(tok, prep):
                continue
            pair = (tok.lower_, prep.lower_)
            seen[pair] += 1
            cue = cue_of(tok.idx)
            if cue >= 0 and cue == cue_of(prep.idx):
                cued[pair] += 1
    return seen, cued


def _hand_forms() -> tuple[dict, ...]:
    from article_pipeline.claims import cue_lexicon as lex

    return (lex.SPEECH_FORMS, lex.COGNITION_FORMS, lex.EVALUATION_FORMS, lex.PREP_FORMS)


def select(seen: Counter, cued: Counter, rate: float, min_cues: int) -> list:
    return sorted(key for key, n in cued.items() if n >= min_cues and n / seen[key] >= rate)


def as_preps(pairs: list) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for form, prep in pairs:
        out.setdefault(form, []).append(prep)
    return out


def score(articles: list[dict], docs: list, forms: list[str], pairs: list, noun_pairs: list, acc) -> None:
    """Extract with ``forms``, ``pairs`` and ``noun_pairs`` as the learned lists and add each article to
    the scorer's accumulator."""
    import quotes_score as qs
    from claims_predictor import from_attributions

    from article_pipeline.claims import cue_lexicon as lex
    from article_pipeline.claims.quotes import extract_attributions

    lex.LEARNED_FORMS.clear()
    lex.LEARNED_FORMS.update({f: f for f in forms})
    lex.LEARNED_PREPS.clear()
    lex.LEARNED_PREPS.update({f: tuple(p) for f, p in as_preps(pairs).items()})
    lex.LEARNED_NOUN_PREPS.clear()
    lex.LEARNED_NOUN_PREPS.update({f: tuple(p) for f, p in as_preps(noun_pairs).items()})
    for article, doc in zip(articles, docs, strict=True):
        # the rules' own edges: the edge model is learned after, on these lists
        found = extract_attributions(doc, learned_edges=False)
        preds = from_attributions(doc, found, resolve_pronouns=False)
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


Rule = tuple[float, int] | None  # (rate, min_cues), or None: learn nothing


def cross_validate(
    articles: list[dict], docs: list, folds: int, verb_rule: Rule, pair_rule: Rule, noun_rule: Rule = None
) -> dict:
    """Figures of one setting over all folds, each fold's lists learned on the other folds."""
    import quotes_score as qs

    acc = qs.Accumulator()
    for k in range(folds):
        train = [i for i in range(len(articles)) if i % folds != k]
        test = [i for i in range(len(articles)) if i % folds == k]
        train_articles, train_docs = [articles[i] for i in train], [docs[i] for i in train]
        forms = select(*verb_counts(train_articles, train_docs), *verb_rule) if verb_rule else []
        pairs = select(*pair_counts(train_articles, train_docs), *pair_rule) if pair_rule else []
        nouns = select(*noun_pair_counts(train_articles, train_docs), *noun_rule) if noun_rule else []
        score([articles[i] for i in test], [docs[i] for i in test], forms, pairs, nouns, acc)
    return figures(acc.report())


def objective(f: dict[str, float]) -> float:
    return (f["overlap_f1"] + f["attributed_f1"] + f["exact_f1"]) / 3


def choose(results: dict[str, dict], rules: dict[str, Rule]) -> Rule:
    best = max(results, key=lambda k: objective(results[k]))
    print(f"chosen: {best} (mean of overlap, attributed and exact F1 {objective(results[best]):.2f})", flush=True)
    return rules[best]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    articles = dev_articles()
    docs = parsed(articles)
    rules: dict[str, Rule] = {"none": None}
    rules.update({f"rate={r} min_cues={m}": (r, m) for r in GRID_RATES for m in GRID_MIN_CUES})

    verb_cv: dict[str, dict] = {}
    for key, rule in rules.items():
        verb_cv[key] = cross_validate(articles, docs, args.folds, rule, None)
        print("verbs", key, verb_cv[key], flush=True)
    verb_rule = choose(verb_cv, rules)
    pair_cv: dict[str, dict] = {}
    for key, rule in rules.items():
        pair_cv[key] = cross_validate(articles, docs, args.folds, verb_rule, rule)
        print("pairs", key, pair_cv[key], flush=True)
    pair_rule = choose(pair_cv, rules)
    noun_cv: dict[str, dict] = {}
    for key, rule in rules.items():
        noun_cv[key] = cross_validate(articles, docs, args.folds, verb_rule, pair_rule, rule)
        print("noun pairs", key, noun_cv[key], flush=True)
    noun_rule = choose(noun_cv, rules)

    forms = select(*verb_counts(articles, docs), *verb_rule) if verb_rule else []
    pairs = select(*pair_counts(articles, docs), *pair_rule) if pair_rule else []
    noun_pairs = select(*noun_pair_counts(articles, docs), *noun_rule) if noun_rule else []
    args.out.write_text(
        json.dumps(
            {
                "about": "Verb forms, verb + preposition and noun + preposition pairs PolNeAR annotators mark as "
                "attribution cues; scripts/learn_cue_verbs.py",
                "data": f"polnear-train.jsonl, first {DEV_SIZE} articles",
                "rate": verb_rule[0] if verb_rule else None,
                "min_cues": verb_rule[1] if verb_rule else 0,
                "pair_rate": pair_rule[0] if pair_rule else None,
                "pair_min_cues": pair_rule[1] if pair_rule else 0,
                "noun_pair_rate": noun_rule[0] if noun_rule else None,
                "noun_pair_min_cues": noun_rule[1] if noun_rule else 0,
                "cv_folds": args.folds,
                "cv": verb_cv,
                "cv_pairs": pair_cv,
                "cv_noun_pairs": noun_cv,
                "forms": forms,
                "preps": as_preps(pairs),
                "noun_preps": as_preps(noun_pairs),
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(forms)} forms, {len(pairs)} verb pairs and {len(noun_pairs)} noun pairs written to {args.out}")


if __name__ == "__main__":
    main()
