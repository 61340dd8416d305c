#!/usr/bin/env python3
"""Train the boilerplate block classifiers and report their page-level cross-validated F1.

    PYTHONPATH=layers/domain python scripts/train_line_classifier.py [--kind text|html|all] [--folds 5]

Data: the train parts (bench/boilerplate_splits.py) of ../shared/corpus/boilerplate (ScrapingHub, 45 of 61
pages) and ../shared/corpus/boilerplate-wcxb (WCXB dev, 998 of 1,337 pages); the held-out parts are only
read by bench/bench_clean.py. Blocks are labelled by aligning their tokens with the reference article
body (4-token shingles, as the scorer does). The CV figure is K-fold inside the train part (folds by
site, stratified by page type; vocabulary and both passes refit inside each fold); the shipped model is
then fit on the whole train part. For HTML, the CV's out-of-fold outcomes then fit the deferral model
(which pages go to trafilatura, ``choose_deferral``); ``--policy-from`` redoes only that from a ``--dump``.
Fixed seeds (yet a refit on 2026-12-04 matched the earlier run's weights only up to small differences).
HTML pages' trafilatura runs are cached in $BOILERPLATE_CACHE (default /tmp/boilerplate-blocks).
Writes layers/domain/article_pipeline/data/boilerplate_<kind>.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "layers" / "domain"))
sys.path.insert(0, str(SHARED / "bench"))
sys.path.insert(0, str(ROOT / "bench"))

import boilerplate_score as scoring  # noqa: E402
import boilerplate_splits  # noqa: E402

from article_pipeline.cleaning import features as F  # noqa: E402
from article_pipeline.cleaning.model import DATA_DIR, BlockModel  # noqa: E402
from article_pipeline.cleaning.text import select_blocks, text_blocks  # noqa: E402

CORPORA = {"scrapinghub": SHARED / "corpus" / "boilerplate", "wcxb": SHARED / "corpus" / "boilerplate-wcxb"}
CACHE = Path(os.environ.get("BOILERPLATE_CACHE", "/tmp/boilerplate-blocks"))
VOCAB_MIN_PAGES = 3
VOCAB_SMOOTHING = 1.0
VOCAB_MAX = 3000
GBDT = {
    "max_iter": 100,
    "max_depth": 3,
    "learning_rate": 0.1,
    "random_state": 0,
    "min_samples_leaf": 20,
    "early_stopping": False,
}
# Per kind. The HTML model cross-validates as well with half the trees at twice the rate (mean F1 of
# four 5-fold runs on different page splits: 0.9687 against 0.9682 with 100 trees at 0.1; 40 or 30
# trees lose 0.001-0.002), and then scores a page's blocks in half the time.
GBDT_FOR_KIND = {"html": {"max_iter": 50, "learning_rate": 0.2}}
LEARNER = "gbdt"  # or "logreg"; chosen with --learner


@dataclass
class Page:
    """One labelled page: its blocks, extra (format-specific) features, labels and reference text."""

    page_id: str
    blocks: list[str]
    extra: list[list[float]] | None
    labels: list[int]
    reference: str
    attrs: list[list[str]] | None = None  # HTML class/id words per block
    site: str = ""  # pages of one site share a fold
    page_type: str = "article"
    trafilatura: str | None = None  # trafilatura's own text (HTML pages): what a deferred page gets
    static: list | None = None  # cached vocabulary-free features (they do not depend on the fold)

    def __post_init__(self) -> None:
        if self.static is None:
            self.static = F.static_rows(self.blocks)


def token_labels(blocks: Sequence[str], reference: str) -> list[int]:
    """1 for blocks whose tokens are mostly covered by 4-token shingles of the reference."""
    return [1 if c >= 0.5 else 0 for c in F.shingle_coverage(blocks, reference, scoring.SHINGLE_N)]


def _html_blocks(corpus: Path, page_id: str) -> tuple[list[str], list[list[float]], list[list[str]], str]:
    """A page's blocks, HTML features and trafilatura's text, cached: trafilatura is most of the loading time."""
    from article_pipeline.cleaning.html import read_page

    cached = CACHE / corpus.name / f"{page_id}.json"
    if cached.is_file():
        texts, extra, attrs, traf = json.loads(cached.read_text(encoding="utf-8"))
        return texts, extra, attrs, traf
    raw = gzip.decompress((corpus / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
    _, traf_text, page = read_page(raw)
    found = (page.texts, page.extra, page.attrs, traf_text or "")
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(found), encoding="utf-8")
    return found


def load_pages(kind: str, part: str = "train") -> list[Page]:
    """The labelled pages of one part ("train" or "held-out") of both corpora; ids are corpus/page."""
    pages = []
    for name, corpus in CORPORA.items():
        gt, train, held = boilerplate_splits.load_split(corpus)
        for page_id in train if part == "train" else held:
            reference = gt[page_id].get("articleBody") or ""
            traf = None
            if kind == "text":
                blocks = text_blocks((corpus / "text" / f"{page_id}.txt").read_text(encoding="utf-8"))
                extra, attrs = None, None
            else:
                blocks, extra, attrs, traf = _html_blocks(corpus, page_id)
            pid = f"{name}/{page_id}"
            site = boilerplate_splits.site_of(pid, gt[page_id].get("url"))
            page_type = gt[page_id].get("page_type") or "article"
            labels = token_labels(blocks, reference)
            page = Page(pid, blocks, extra, labels, reference, attrs, site=site, page_type=page_type, trafilatura=traf)
            pages.append(page)
    return pages


@dataclass
class VocabCounts:
    """Per-class page frequencies of words, kept so that one page's share can be taken out again."""

    boiler: Counter
    content: Counter
    pages_with: Counter
    n_pages: int
    per_page: dict[str, tuple[set[str], set[str]]]


def count_vocab(pages: Sequence[Page], attributes: bool = False) -> VocabCounts:
    """Count, once per page and class, the words of boilerplate and of article blocks.

    With ``attributes`` the words are the HTML class/id tokens around each block instead of its text.
    """
    boiler, content, pages_with = Counter(), Counter(), Counter()
    per_page = {}
    for page in pages:
        seen_b: set[str] = set()
        seen_c: set[str] = set()
        for i, (block, label) in enumerate(zip(page.blocks, page.labels, strict=True)):
            words = set(page.attrs[i]) if attributes and page.attrs else set(F.vocab_tokens(block))
            (seen_c if label else seen_b).update(words)
        boiler.update(seen_b)
        content.update(seen_c)
        pages_with.update(seen_b | seen_c)
        per_page[page.page_id] = (seen_b, seen_c)
    return VocabCounts(boiler, content, pages_with, len(pages), per_page)


def vocab_from_counts(counts: VocabCounts, exclude: str | None = None) -> tuple[dict[str, float], float]:
    """Smoothed log-odds boilerplate vs article per word seen on enough pages, optionally leaving a page out.

    Leaving each training page's own words out when computing its features keeps the vocabulary score
    as uninformed on training pages as it will be on new ones (otherwise the model over-trusts it).
    """
    own_b, own_c = counts.per_page.get(exclude, (set(), set())) if exclude else (set(), set())
    n = counts.n_pages - (1 if exclude else 0)
    a = VOCAB_SMOOTHING

    def log_odds(b: int, c: int) -> float:
        return math.log((b + a) / (n + 2 * a)) - math.log((c + a) / (n + 2 * a))

    scored = []
    for w, k in counts.pages_with.items():
        if k < VOCAB_MIN_PAGES:
            continue
        b = counts.boiler[w] - (w in own_b)
        c = counts.content[w] - (w in own_c)
        if k - (w in own_b or w in own_c) >= VOCAB_MIN_PAGES:
            scored.append((log_odds(b, c), w))
    scored.sort(key=lambda t: -abs(t[0]))
    vocab = {w: round(v, 3) for v, w in scored[:VOCAB_MAX]}
    return vocab, round(log_odds(0, 0), 3)


def fit_vocab(pages: Sequence[Page], attributes: bool = False) -> tuple[dict[str, float], float]:
    return vocab_from_counts(count_vocab(pages, attributes))


def export_gbdt(clf: HistGradientBoostingClassifier) -> dict:
    """Trees as flat arrays; leaf values already include the learning rate, so the rate is 1."""
    trees = []
    for (pred,) in clf._predictors:
        nodes = pred.nodes
        trees.append(
            {
                "f": [-1 if leaf else int(f) for f, leaf in zip(nodes["feature_idx"], nodes["is_leaf"], strict=True)],
                "t": [round(float(v), 6) for v in nodes["num_threshold"]],
                "l": [int(v) for v in nodes["left"]],
                "r": [int(v) for v in nodes["right"]],
                "v": [round(float(v), 6) for v in nodes["value"]],
            }
        )
    init = float(np.ravel(clf._baseline_prediction)[0])
    return {"kind": "gbdt", "learning_rate": 1.0, "init": init, "trees": trees}


def export_logreg(clf: LogisticRegression, mean: np.ndarray, scale: np.ndarray) -> dict:
    return {
        "kind": "logreg",
        "coef": [round(float(c), 6) for c in clf.coef_[0]],
        "intercept": float(clf.intercept_[0]),
        "mean": [round(float(m), 6) for m in mean],
        "scale": [round(float(s), 6) for s in scale],
    }


def _fit_gbdt(X: np.ndarray, y: np.ndarray) -> dict:
    if LEARNER == "logreg":
        mean, scale = X.mean(axis=0), X.std(axis=0)
        scale[scale == 0] = 1.0
        lr = LogisticRegression(C=1.0, max_iter=3000)
        lr.fit((X - mean) / scale, y)
        return export_logreg(lr, mean, scale)
    clf = HistGradientBoostingClassifier(**GBDT)
    clf.fit(X, y)
    return export_gbdt(clf)


def _stage1_rows(pages: Sequence[Page], model: BlockModel) -> list[tuple[list, list]]:
    return [F.block_features(p.blocks, model.vocab, _extra(p, model), model.default_vocab, p.static) for p in pages]


def _extra(page: Page, model: BlockModel) -> list[list[float]] | None:
    if page.extra is None or page.attrs is None:
        return page.extra
    return model.with_attributes(page.extra, page.attrs)


def _vocabularies(pages: Sequence[Page]) -> dict:
    vocab, default = fit_vocab(pages)
    spec: dict = {"vocab": vocab, "default_vocab": default}
    if pages and pages[0].attrs is not None:
        spec["attr_vocab"], spec["attr_default"] = fit_vocab(pages, attributes=True)
    return spec


def _training_rows(pages: Sequence[Page]) -> tuple[np.ndarray, np.ndarray]:
    """Stage-1 rows of training pages, each page scored with a vocabulary that never saw it."""
    words = count_vocab(pages)
    attrs = count_vocab(pages, attributes=True) if pages and pages[0].attrs is not None else None
    rows: list[list[float]] = []
    for page in pages:
        vocab, default = vocab_from_counts(words, exclude=page.page_id)
        spec: dict = {"vocab": vocab, "default_vocab": default, "stage1": {"kind": "none"}}
        if attrs is not None:
            spec["attr_vocab"], spec["attr_default"] = vocab_from_counts(attrs, exclude=page.page_id)
        rows.extend(_stage1_rows([page], BlockModel(spec))[0][0])
    return np.array(rows, dtype=float), np.array([lab for p in pages for lab in p.labels])


def _folds(pages: Sequence[Page], k: int, seed: int) -> list[list[int]]:
    """k folds of page indices: whole sites, each page type spread evenly (bench/boilerplate_splits.py)."""
    gt = {str(i): {"url": f"http://{p.site}/", "page_type": p.page_type} for i, p in enumerate(pages)}
    parts = boilerplate_splits.assign(gt, [1 / k] * k, f"{boilerplate_splits.SALT}-folds-{seed}")
    return [sorted(int(i) for i in part) for part in parts]


def fit_model(pages: Sequence[Page], extra_names: Sequence[str], inner_folds: int = 3, passes: int = 2) -> dict:
    """Vocabulary + stage 1 on all pages; stage 2 on out-of-fold stage-1 outputs (nested fits)."""
    vocabs = _vocabularies(pages)
    stage1 = _fit_gbdt(*_training_rows(pages))
    if passes == 1:
        return {
            "version": 1,
            "feature_names": F.stage1_names(extra_names),
            "extra_names": list(extra_names),
            **vocabs,
            "stage1": stage1,
            "stage2": None,
            "threshold": 0.5,
        }

    # Stage-2 training rows come from inner folds, so the smoothing pass sees honest first-pass errors.
    X2_parts, y2_parts = [], []
    for test_idx in _folds(pages, inner_folds, seed=1):
        train = [p for i, p in enumerate(pages) if i not in test_idx]
        test = [pages[i] for i in test_idx]
        inner = BlockModel({**_vocabularies(train), "stage1": _fit_gbdt(*_training_rows(train))})
        for page in test:
            rows, wc = _stage1_rows([page], inner)[0]
            probs = inner.stage1.proba(rows)
            smooth = F.stage2_features(probs, wc)
            X2_parts.extend([*r, *s] for r, s in zip(rows, smooth, strict=True))
            y2_parts.extend(page.labels)
    stage2 = _fit_gbdt(np.array(X2_parts, dtype=float), np.array(y2_parts))
    return {
        "version": 1,
        "feature_names": F.stage1_names(extra_names),
        "stage2_feature_names": [*F.stage1_names(extra_names), *F.stage2_names()],
        "extra_names": list(extra_names),
        **vocabs,
        "stage1": stage1,
        "stage2": stage2,
        "threshold": 0.5,
    }


def predict_text(model: BlockModel, page: Page) -> str:
    probs = model.probabilities(page.blocks, page.extra, page.attrs, page.static)
    return "\n".join(select_blocks(page.blocks, probs, model.threshold))


def cross_validate(
    pages: Sequence[Page],
    extra_names: Sequence[str],
    folds: int,
    predict: Callable[[BlockModel, Page], str] = predict_text,
    passes: int = 2,
) -> dict:
    """Page-level K-fold: every page is scored by a model (vocabularies included) fit without it."""
    docs, docs_stage1, predictions, keep, probabilities = {}, {}, {}, {}, {}
    for test_idx in _folds(pages, folds, seed=0):
        train = [p for i, p in enumerate(pages) if i not in test_idx]
        spec = fit_model(train, extra_names, passes=passes)
        model = BlockModel(spec)
        model1 = BlockModel({**spec, "stage2": None})
        for i in test_idx:
            page = pages[i]
            predictions[page.page_id] = predict(model, page)
            probs = model.probabilities(page.blocks, page.extra, page.attrs, page.static)
            keep[page.page_id] = [p >= model.threshold for p in probs]
            probabilities[page.page_id] = [round(p, 4) for p in probs]
            docs[page.page_id] = scoring.score_pair(page.reference, predictions[page.page_id])
            docs_stage1[page.page_id] = scoring.score_pair(page.reference, predict(model1, page))
    return {
        "two_pass": scoring.aggregate(list(docs.values())),
        "one_pass": scoring.aggregate(list(docs_stage1.values())),
        "per_page": {k: {"f1": d.f1, "precision": d.precision, "recall": d.recall} for k, d in docs.items()},
        "predictions": predictions,
        "keep": keep,
        "probabilities": probabilities,
    }


def _cascade_text(page_id: str) -> str:
    """trafilatura's full cascade on a train page, as extract_html runs it when the model defers; cached."""
    from article_pipeline.cleaning.html import cascade_text, parse_page

    corpus = CORPORA[page_id.split("/", 1)[0]]
    pid = page_id.split("/", 1)[1]
    cached = CACHE / corpus.name / f"{pid}.cascade.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    raw = gzip.decompress((corpus / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8", "replace")
    text = cascade_text(parse_page(raw)) or ""
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(text), encoding="utf-8")
    return text


def _lines_text(text: str | None) -> str:
    return "\n".join(ln for ln in (text or "").split("\n") if ln.strip())


DEFER_ABOVE = (*(round(0.05 * k, 2) for k in range(2, 20)), 1.01)  # 1.01: never defer
CASCADE_MIN_GAIN = 0.005  # the full cascade costs trafilatura's whole time again on every deferred page
TYPE_SLACK = 0.005  # a page group may fall this far below trafilatura's cascade before the objective pays for it


def _defer_data(pages: Sequence[Page], probabilities: dict[str, list[float]]) -> dict:
    """Per page: deferral features, the model's score and each fallback's score (from out-of-fold probabilities)."""
    from article_pipeline.cleaning.html import PageBlocks, defer_features

    data: dict = {"X": [], "ours": [], "fast": [], "cascade": []}
    for page in pages:
        blocks = PageBlocks(page.blocks, page.extra or [], page.attrs or [])
        probs = probabilities[page.page_id]
        keep = [p >= 0.5 for p in probs]
        fast = _lines_text(page.trafilatura)
        data["fast"].append(scoring.score_pair(page.reference, fast))
        data["cascade"].append(scoring.score_pair(page.reference, _lines_text(_cascade_text(page.page_id)) or fast))
        kept = "\n".join(b for b, k in zip(page.blocks, keep, strict=True) if k)
        data["ours"].append(scoring.score_pair(page.reference, kept) if any(keep) else data["fast"][-1])
        data["X"].append(defer_features(blocks, probs, keep, page.trafilatura))
    return data


def _fit_defer(X: np.ndarray, gain: np.ndarray) -> dict:
    """Logistic regression: is trafilatura better on this page? Pages weigh by how much is at stake."""
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=1.0, max_iter=3000)
    clf.fit((X - mean) / scale, (gain > 0).astype(int), sample_weight=np.abs(gain) + 1e-3)
    return export_logreg(clf, mean, scale)


def _page_groups(pages: Sequence[Page]) -> dict[str, list[int]]:
    """Page indices by group: each WCXB page type, and the ScrapingHub pages as one group."""
    groups: dict[str, list[int]] = {}
    for i, page in enumerate(pages):
        groups.setdefault("scrapinghub" if page.page_id.startswith("scrapinghub/") else page.page_type, []).append(i)
    return groups


def deferral_objective(outcomes: dict[int, scoring.DocScore], data: dict, groups: dict[str, list[int]]) -> float:
    """Pooled F1, minus each group's shortfall beyond TYPE_SLACK against trafilatura's full cascade.

    "Never worse than trafilatura" is per page type: a policy that wins on articles and loses on
    product pages pays for the loss here even when the pooled figure rises.
    """
    ids = sorted(outcomes)
    total = scoring.aggregate([outcomes[i] for i in ids])["bench_f1"]
    for members in groups.values():
        inside = [i for i in members if i in outcomes]
        if inside:
            ours = scoring.aggregate([outcomes[i] for i in inside])["bench_f1"]
            baseline = scoring.aggregate([data["cascade"][i] for i in inside])["bench_f1"]
            total -= max(0.0, baseline - ours - TYPE_SLACK)
    return total


def choose_deferral(pages: Sequence[Page], probabilities: dict[str, list[float]], folds: int) -> tuple[dict, dict]:
    """When the HTML model hands a page to trafilatura: a deferral model, its threshold and which pass.

    The deferral model is fit on cross-validated outcomes (the model's page F1 against trafilatura's);
    its threshold maximises ``deferral_objective`` on out-of-fold deferral scores. The honest figure is
    nested: for each fold, the model and its threshold come from the other folds only (the threshold
    from scores of a model fit on one of them and applied to the other). The full cascade is the
    fallback only if it gains CASCADE_MIN_GAIN in that nested objective.
    """
    from article_pipeline.cleaning.model import Scorer

    data = _defer_data(pages, probabilities)
    X = np.array(data["X"], dtype=float)
    fold_list = _folds(pages, folds, seed=0)
    groups = _page_groups(pages)
    results = {}
    for target in ("fast", "cascade"):
        gain = np.array([t.f1 - o.f1 for t, o in zip(data[target], data["ours"], strict=True)])

        def scores(fit_on: Sequence[int], score: Sequence[int], gain: np.ndarray = gain) -> dict[int, float]:
            proba = Scorer(_fit_defer(X[list(fit_on)], gain[list(fit_on)])).proba(X[list(score)].tolist())
            return dict(zip(score, proba, strict=True))

        def best_above(oof: dict[int, float], target: str = target) -> float:
            def value(cut: float) -> float:
                outcomes = {i: data[target][i] if s > cut else data["ours"][i] for i, s in oof.items()}
                return round(deferral_objective(outcomes, data, groups), 5)

            return max(DEFER_ABOVE, key=lambda a: (value(a), a))

        nested: dict[int, scoring.DocScore] = {}
        for f, test in enumerate(fold_list):
            others = [fold for g, fold in enumerate(fold_list) if g != f]
            inner: dict[int, float] = {}
            for k, fold in enumerate(others):
                inner.update(scores([i for g, o in enumerate(others) if g != k for i in o], fold))
            above = best_above(inner)
            test_scores = scores([i for o in others for i in o], test)
            nested.update({i: data[target][i] if s > above else data["ours"][i] for i, s in test_scores.items()})
        oof: dict[int, float] = {}
        for f, test in enumerate(fold_list):
            oof.update(scores([i for g, o in enumerate(fold_list) if g != f for i in o], test))
        above = best_above(oof)
        results[target] = {
            "spec": _fit_defer(X, gain),
            "above": above,
            "nested": nested,
            "objective": deferral_objective(nested, data, groups),
            "deferred": float(np.mean([s > above for s in oof.values()])),
        }
    fast, cascade = results["fast"]["objective"], results["cascade"]["objective"]
    target = "cascade" if cascade >= fast + CASCADE_MIN_GAIN else "fast"
    chosen = results[target]
    nested = chosen["nested"]
    report: dict = {"nested": scoring.aggregate(list(nested.values())), "deferred": chosen["deferred"]}
    report["objective"] = chosen["objective"]
    report["other fallback objective"] = cascade if target == "fast" else fast
    named = {f"corpus {c}": [i for i, p in enumerate(pages) if p.page_id.startswith(c + "/")] for c in CORPORA}
    named.update({t: groups[t] for t in sorted(groups) if t != "scrapinghub"})
    for name, ids in named.items():
        report[name] = {
            "model": scoring.aggregate([data["ours"][i] for i in ids])["bench_f1"],
            "fast pass": scoring.aggregate([data["fast"][i] for i in ids])["bench_f1"],
            "cascade": scoring.aggregate([data["cascade"][i] for i in ids])["bench_f1"],
            "deferring (nested)": scoring.aggregate([nested[i] for i in ids])["bench_f1"],
        }
    policy = {
        "gate": 0.0,
        "threshold_uncovered": 0.5,
        "max_uncovered": 1.0,
        "defer": chosen["spec"],
        "defer_above": chosen["above"],
        "fallback": target,
        "defer_feature_names": list(_defer_feature_names()),
    }
    return policy, report


def _defer_feature_names() -> tuple[str, ...]:
    from article_pipeline.cleaning.html import DEFER_FEATURES

    return DEFER_FEATURES


def _print_policy(policy: dict, report: dict) -> None:
    print(
        f"[html] defer to trafilatura's {policy['fallback']} pass above {policy['defer_above']}: nested CV "
        f"{_summary(report.pop('nested'))}; objective {report.pop('objective'):.4f}; "
        f"{report.pop('deferred'):.0%} of pages deferred; other fallback's objective "
        f"{report.pop('other fallback objective'):.4f}"
    )
    for t, r in report.items():
        print(f"[html]   {t:<22} " + "  ".join(f"{k} {v:.4f}" for k, v in r.items()))


def _summary(m: dict) -> str:
    return f"F1 {m['bench_f1']:.4f}  P {m['bench_precision']:.4f}  R {m['bench_recall']:.4f}"


def policy_only(out_dir: Path, folds: int, dump: Path) -> int:
    """Choose when the HTML weights in --out-dir from the out-of-fold probabilities in ``dump``.

    ``dump`` is the --dump of a cross-validation run of the same recipe (same folds, same settings),
    so this re-does only the policy choice, not the hours of fitting.
    """
    path = out_dir / "boilerplate_html.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    cv = json.loads(dump.read_text(encoding="utf-8"))["html"]
    policy, report = choose_deferral(load_pages("html"), cv["probabilities"], folds)
    _print_policy(policy, report)
    spec.update(policy)
    path.write_text(json.dumps(spec, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kind", choices=["text", "html", "all"], default="all")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-cv", action="store_true", help="only fit and write the shipped model")
    ap.add_argument("--learner", choices=["gbdt", "logreg"], default=LEARNER)
    ap.add_argument("--gbdt", type=json.loads, default={}, help="override tree settings, every kind (JSON)")
    ap.add_argument("--passes", type=int, choices=[1, 2], default=2, help="1: no smoothing pass at all")
    ap.add_argument("--out-dir", type=Path, default=DATA_DIR, help="where to write boilerplate_<kind>.json")
    ap.add_argument("--dump", type=Path, help="write cross-validated predictions and per-page scores here")
    ap.add_argument(
        "--policy-from",
        type=Path,
        help="html: keep the weights in --out-dir, only choose their policy from this --dump of their CV",
    )
    args = ap.parse_args(argv)
    globals()["LEARNER"] = args.learner
    if args.policy_from:
        return policy_only(args.out_dir, args.folds, args.policy_from)
    defaults = dict(GBDT)
    kinds = ["text", "html"] if args.kind == "all" else [args.kind]
    for kind in kinds:
        t0 = time.time()
        GBDT.update({**defaults, **GBDT_FOR_KIND.get(kind, {}), **args.gbdt})
        extra_names: list[str] = []
        if kind == "html":
            from article_pipeline.cleaning.html import HTML_EXTRA_NAMES

            extra_names = list(HTML_EXTRA_NAMES)
        pages = load_pages(kind)
        n_blocks = sum(len(p.blocks) for p in pages)
        n_article = sum(sum(p.labels) for p in pages)
        print(f"[{kind}] {len(pages)} pages, {n_blocks} blocks, {n_article} article blocks")
        if not args.no_cv:
            cv = cross_validate(pages, extra_names, args.folds, passes=args.passes)
            print(f"[{kind}] {args.folds}-fold CV by page, two passes: {_summary(cv['two_pass'])}")
            print(f"[{kind}] {args.folds}-fold CV by page, first pass only: {_summary(cv['one_pass'])}")
            worst = sorted(cv["per_page"].items(), key=lambda kv: kv[1]["f1"])[:5]
            print(f"[{kind}] weakest pages (CV F1): " + ", ".join(f"{k[:8]} {v['f1']:.2f}" for k, v in worst))
            if args.dump:
                args.dump.write_text(json.dumps({kind: cv}, default=float, indent=1), encoding="utf-8")
        spec = fit_model(pages, extra_names, passes=args.passes)
        if kind == "html" and not args.no_cv:
            policy, report = choose_deferral(pages, cv["probabilities"], args.folds)
            _print_policy(policy, report)
            spec.update(policy)
        if not args.no_cv and cv["one_pass"]["bench_f1"] >= cv["two_pass"]["bench_f1"]:
            # The smoothing pass did not help out of sample: ship the simpler first pass only.
            spec["stage2"] = None
            print(f"[{kind}] shipping the first pass only (it cross-validates at least as well)")
        out = args.out_dir / f"boilerplate_{kind}.json"
        out.write_text(json.dumps(spec, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        size_kb = out.stat().st_size / 1024
        print(f"[{kind}] wrote {out} ({size_kb:.0f} KB) in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
