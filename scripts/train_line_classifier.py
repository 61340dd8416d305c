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
The text model (TEXT_* settings, chosen by 3-fold grouped CV on the train parts) adds, for every train
article page, its reference body alone as a page whose lines are all article text (a clean news upload
must keep every line) and the same body wrapped in a few of its page's own boilerplate lines (a short
trailing "Comments" must still go: TEXT_WRAPPED), uses the page and run facts of cleaning/text.py
(TEXT_EXTRA_NAMES) and weighs each block by its share of its page's words, every page alike; after
fitting, it prints the share of words it keeps on PolNeAR's first 600 news articles (no boilerplate
there: it should be ~1).
    PYTHONPATH=layers/domain python scripts/train_line_classifier.py --kind text --no-cv   # the shipped one
    PYTHONPATH=layers/domain python scripts/train_line_classifier.py --kind text --folds 3  # + its CV
Fixed seeds (yet a refit on 2026-12-04 matched the earlier run's HTML weights only up to small differences).
HTML pages' trafilatura runs and text pages (blocks, labels, features) are cached in $BOILERPLATE_CACHE
(default /tmp/boilerplate-blocks; text pages under a digest of the code and data they come from).
Writes layers/domain/article_pipeline/data/boilerplate_<kind>.json.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import pickle
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
from article_pipeline.cleaning.text import (  # noqa: E402
    TEXT_EXTRA_NAMES,
    select_blocks,
    text_blocks,
    text_extra_features,
)

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
PASSES_FOR_KIND = {"html": 2, "text": 2}
LEARNER = "gbdt"  # or "logreg"; chosen with --learner
# The text model's recipe (chosen by grouped CV on the train parts; see docs/quality.md, Boilerplate removal).
TEXT_CLEAN_ARTICLES = 1.0  # share of train article pages whose reference body is added as a clean page
# if > 0, each clean page also comes wrapped in 1..TEXT_WRAPPED of its page's own boilerplate lines each side
TEXT_WRAPPED = 5
TEXT_EXTRAS = True  # cleaning/text.py TEXT_EXTRA_NAMES as extra features
TEXT_BLOCK_WEIGHTS = "page"  # blocks weigh by their share of the page's words, every page the same in all
# News articles without boilerplate (quote-attribution corpus; first part = its development part): a guard only.
CLEAN_NEWS = SHARED / "corpus" / "quotes" / "polnear-train.jsonl"
CLEAN_NEWS_N = 600
BLOCK_WEIGHTS = "none"  # "none" | "words" | "page" | "mixed": see block_weights
PAGE_WEIGHT_BLOCKS = 200.0  # with "page", each page's blocks weigh this much in all (about a median page's blocks)


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
    """The labelled pages of one part ("train" or "held-out") of both corpora; ids are corpus/page.

    Text pages (blocks, labels, vocabulary-free features) are cached in $BOILERPLATE_CACHE as one
    pickle per part, named by a digest of the code and data they come from, so a stale one is never read.
    """
    cached = CACHE / f"text-{part}-{_text_cache_key()}.v2.pickle" if kind == "text" else None
    if cached is not None and cached.is_file():
        return [Page(**fields) for fields in pickle.loads(cached.read_bytes())]
    pages = []
    for name, corpus in CORPORA.items():
        gt, train, held = boilerplate_splits.load_split(corpus)
        for page_id in train if part == "train" else held:
            reference = gt[page_id].get("articleBody") or ""
            traf = None
            static = None
            if kind == "text":
                blocks = text_blocks((corpus / "text" / f"{page_id}.txt").read_text(encoding="utf-8"))
                static = F.static_rows(blocks)
                extra, attrs = text_extra_features(blocks, static), None
            else:
                blocks, extra, attrs, traf = _html_blocks(corpus, page_id)
            pid = f"{name}/{page_id}"
            site = boilerplate_splits.site_of(pid, gt[page_id].get("url"))
            page_type = gt[page_id].get("page_type") or "article"
            labels = token_labels(blocks, reference)
            page = Page(pid, blocks, extra, labels, reference, attrs, site, page_type, traf, static)
            pages.append(page)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        # plain fields, not Page objects: the class lives in __main__ when this runs as a script
        partial.write_bytes(pickle.dumps([vars(p) for p in pages], protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, cached)
    return pages


def _text_cache_key() -> str:
    """Digest of what text pages are made from: the block and feature code, the split and the corpora."""
    digest = hashlib.sha256()
    code = ROOT / "layers" / "domain" / "article_pipeline" / "cleaning"
    for path in (
        code / "text.py",
        code / "features.py",
        code / "language.py",
        ROOT / "bench" / "boilerplate_splits.py",
    ):
        digest.update(path.read_bytes())
    for corpus in CORPORA.values():
        truth = corpus / "ground-truth.json"
        digest.update(f"{truth}:{truth.stat().st_size}:{truth.stat().st_mtime_ns}".encode())
        digest.update(str(len(list((corpus / "text").iterdir()))).encode())
    return digest.hexdigest()[:16]


def with_clean_articles(pages: Sequence[Page], share: float) -> list[Page]:
    """The pages plus, for a share of their article pages, the reference body alone as a page of its own.

    A text that holds only article paragraphs must keep them all (a clean news upload); the corpora's
    pages all carry boilerplate, so without these the model learns to drop some lines of every page.
    """
    step = round(1 / share) if share > 0 else 0
    articles = [p for p in pages if p.page_type == "article" and p.reference.strip()]
    clean = []
    for k, page in enumerate(articles[::step] if step else []):
        body = text_blocks(page.reference)
        if len(body) < 3:
            continue
        labels = token_labels(body, page.reference)
        clean.append(_made_page(page, "clean", body, labels))
        if TEXT_WRAPPED:
            head, tail = _edge_boilerplate(page, 1 + k % TEXT_WRAPPED)
            labels = [0] * len(head) + labels + [0] * len(tail)
            clean.append(_made_page(page, "wrapped", [*head, *body, *tail], labels))
    return [*pages, *clean]


def _made_page(page: Page, kind: str, blocks: list[str], labels: list[int]) -> Page:
    """A page made from a train page's own lines (its reference body, perhaps some of its boilerplate)."""
    static = F.static_rows(blocks)
    extra = text_extra_features(blocks, static) if page.extra is not None else None
    return Page(f"{page.page_id}#{kind}", blocks, extra, labels, page.reference, None, page.site, kind, None, static)


def _edge_boilerplate(page: Page, n: int) -> tuple[list[str], list[str]]:
    """Up to n boilerplate lines just before the page's first article line and just after its last.

    A text copied from a page with a little care keeps the lines nearest the article: a menu, a
    byline box, "Comments", "Related", a copyright line. Around the clean body they make an
    article page with only a little boilerplate, which the corpora hardly hold.
    """
    inside = [i for i, label in enumerate(page.labels) if label]
    if not inside:
        return [], []
    return page.blocks[: inside[0]][-n:], page.blocks[inside[-1] + 1 :][:n]


@dataclass
class VocabCounts:
    """Per-class page frequencies of words, kept so that one page's share can be taken out again."""

    boiler: Counter
    content: Counter
    pages_with: Counter
    n_pages: int
    per_page: dict[str, tuple[set[str], set[str]]]
    ranked: dict[int, list[tuple[float, str]]] | None = None  # per page count n: see _ranked


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


def _log_odds(b: int, c: int, n: int) -> float:
    """Smoothed log-odds boilerplate vs article of a word on b boilerplate and c article pages of n."""
    a = VOCAB_SMOOTHING
    return math.log((b + a) / (n + 2 * a)) - math.log((c + a) / (n + 2 * a))


def _ranked(counts: VocabCounts, n: int) -> list[tuple[float, str]]:
    """Words seen on enough pages as (-|log-odds|, word), sorted: the vocabulary's order.

    Ties go by the word itself: the order words were counted in follows Python's per-process string
    hashing (sets), and breaking ties by it made two runs of the same recipe pick different words.
    Computed with the page count ``n`` the caller uses, so that rounding ties fall as in a recount.
    """
    if counts.ranked is None:
        counts.ranked = {}
    if n not in counts.ranked:
        counts.ranked[n] = sorted(
            (-abs(_log_odds(counts.boiler[w], counts.content[w], n)), w)
            for w, k in counts.pages_with.items()
            if k >= VOCAB_MIN_PAGES
        )
    return counts.ranked[n]


def vocab_from_counts(counts: VocabCounts, exclude: str | None = None) -> tuple[dict[str, float], float]:
    """Smoothed log-odds boilerplate vs article per word seen on enough pages, optionally leaving a page out.

    Leaving each training page's own words out when computing its features keeps the vocabulary score
    as uninformed on training pages as it will be on new ones (otherwise the model over-trusts it).
    Only the left-out page's own words change score, so they are re-ranked into the full ranking
    (the same vocabulary as recounting without the page, in a few milliseconds instead of a recount).
    """
    own_b, own_c = counts.per_page.get(exclude, (set(), set())) if exclude else (set(), set())
    own = own_b | own_c
    n = counts.n_pages - (1 if exclude else 0)
    ranked = _ranked(counts, n)

    def score(w: str) -> float:
        return _log_odds(counts.boiler[w] - (w in own_b), counts.content[w] - (w in own_c), n)

    top = ranked[:VOCAB_MAX]
    if own:
        kept = [t for t in ranked[: VOCAB_MAX + len(own)] if t[1] not in own]
        kept += [(-abs(score(w)), w) for w in own if counts.pages_with[w] - 1 >= VOCAB_MIN_PAGES]
        kept.sort()
        top = kept[:VOCAB_MAX]
    vocab = {w: round(score(w), 3) for _, w in top}
    return vocab, round(_log_odds(0, 0, n), 3)


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


def _fit_gbdt(X: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> dict:
    if LEARNER == "logreg":
        mean, scale = X.mean(axis=0), X.std(axis=0)
        scale[scale == 0] = 1.0
        lr = LogisticRegression(C=1.0, max_iter=3000)
        lr.fit((X - mean) / scale, y, sample_weight=weights)
        return export_logreg(lr, mean, scale)
    clf = HistGradientBoostingClassifier(**GBDT)
    clf.fit(X, y, sample_weight=weights)
    return export_gbdt(clf)


def block_weights(page: Page) -> list[float]:
    """Training weight of each block (BLOCK_WEIGHTS): 1, or its share of the page's words.

    The benchmark scores words (shingles) and averages pages, so "words" lets a long paragraph count
    more than a one-word button, and "page" also gives every page the same total weight; "mixed" is
    half "page" and half the same for every block of the page.
    """
    n = len(page.blocks)
    if BLOCK_WEIGHTS == "none" or not n:
        return [1.0] * n
    words = [len(b.split()) + 1 for b in page.blocks]
    total = sum(words)
    if BLOCK_WEIGHTS == "mixed":  # half by words, half alike: one-word lines keep a say
        return [PAGE_WEIGHT_BLOCKS * (0.5 * w / total + 0.5 / n) for w in words]
    scale = n if BLOCK_WEIGHTS == "words" else PAGE_WEIGHT_BLOCKS
    return [scale * w / total for w in words]


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


def _training_rows(pages: Sequence[Page]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
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
    labels = np.array([lab for p in pages for lab in p.labels])
    return np.array(rows, dtype=float), labels, _weights(pages)


def _weights(pages: Sequence[Page]) -> np.ndarray | None:
    """Block weights in row order; None when unweighted (sklearn's unweighted path, as before weights existed)."""
    return None if BLOCK_WEIGHTS == "none" else np.array([w for p in pages for w in block_weights(p)])


def _folds(pages: Sequence[Page], k: int, seed: int) -> list[list[int]]:
    """k folds of page indices: whole sites, each page type spread evenly (bench/boilerplate_splits.py)."""
    gt = {str(i): {"url": f"http://{p.site}/", "page_type": p.page_type} for i, p in enumerate(pages)}
    parts = boilerplate_splits.assign(gt, [1 / k] * k, f"{boilerplate_splits.SALT}-folds-{seed}")
    return [sorted(int(i) for i in part) for part in parts]


def fit_model(
    pages: Sequence[Page],
    extra_names: Sequence[str],
    inner_folds: int = 3,
    passes: int = 2,
    clean_articles: float = 0.0,
) -> dict:
    """Vocabulary + stage 1 on all pages; stage 2 on out-of-fold stage-1 outputs (nested fits).

    ``clean_articles``: the share of article pages whose reference body is added as a clean page.
    """
    pages = with_clean_articles(pages, clean_articles)
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
    X2_parts, y2_parts, stage2_pages = [], [], []
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
            stage2_pages.append(page)
    stage2 = _fit_gbdt(np.array(X2_parts, dtype=float), np.array(y2_parts), _weights(stage2_pages))
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
    clean_articles: float = 0.0,
) -> dict:
    """Page-level K-fold: every page is scored by a model (vocabularies included) fit without it."""
    docs, docs_stage1, predictions, keep, probabilities = {}, {}, {}, {}, {}
    for test_idx in _folds(pages, folds, seed=0):
        train = [p for i, p in enumerate(pages) if i not in test_idx]
        spec = fit_model(train, extra_names, passes=passes, clean_articles=clean_articles)
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


def clean_news_kept(model: BlockModel) -> float:
    """Share of the words the text model keeps on news articles without boilerplate (should be ~1)."""
    kept = total = 0
    with CLEAN_NEWS.open(encoding="utf-8") as lines:
        for _, line in zip(range(CLEAN_NEWS_N), lines, strict=False):
            blocks = text_blocks(json.loads(line)["text"])
            static = F.static_rows(blocks)
            extra = text_extra_features(blocks, static) if model.extra_names else None
            chosen = select_blocks(blocks, model.probabilities(blocks, extra, static=static), model.threshold)
            kept += sum(len(b.split()) for b in (chosen if len(blocks) > 2 else blocks))
            total += sum(len(b.split()) for b in blocks)
    return kept / max(1, total)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kind", choices=["text", "html", "all"], default="all")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-cv", action="store_true", help="only fit and write the shipped model")
    ap.add_argument("--learner", choices=["gbdt", "logreg"], default=LEARNER)
    ap.add_argument("--gbdt", type=json.loads, default={}, help="override tree settings, every kind (JSON)")
    ap.add_argument("--passes", type=int, choices=[1, 2], help="1: no smoothing pass at all (default: per kind)")
    ap.add_argument("--out-dir", type=Path, default=DATA_DIR, help="where to write boilerplate_<kind>.json")
    ap.add_argument("--dump", type=Path, help="write cross-validated predictions and per-page scores here")
    ap.add_argument(
        "--policy-from",
        type=Path,
        help="html: keep the weights in --out-dir, only choose their policy from this --dump of their CV",
    )
    ap.add_argument(
        "--recipe", type=json.loads, default={}, help='text: override TEXT_* settings, e.g. {"TEXT_WRAPPED": 5}'
    )
    args = ap.parse_args(argv)
    for name, value in args.recipe.items():
        if not name.startswith("TEXT_") or name not in globals():
            ap.error(f"unknown recipe setting {name}")
        globals()[name] = value
    globals()["LEARNER"] = args.learner
    if args.policy_from:
        return policy_only(args.out_dir, args.folds, args.policy_from)
    defaults = dict(GBDT)
    kinds = ["text", "html"] if args.kind == "all" else [args.kind]
    for kind in kinds:
        t0 = time.time()
        GBDT.update({**defaults, **GBDT_FOR_KIND.get(kind, {}), **args.gbdt})
        passes = args.passes or PASSES_FOR_KIND[kind]
        extra_names: list[str] = []
        clean_articles = 0.0
        globals()["BLOCK_WEIGHTS"] = "none"
        pages = load_pages(kind)
        if kind == "html":
            from article_pipeline.cleaning.html import HTML_EXTRA_NAMES

            extra_names = list(HTML_EXTRA_NAMES)
        else:
            clean_articles = TEXT_CLEAN_ARTICLES
            globals()["BLOCK_WEIGHTS"] = TEXT_BLOCK_WEIGHTS
            extra_names = list(TEXT_EXTRA_NAMES) if TEXT_EXTRAS else []
            for page in pages if not TEXT_EXTRAS else []:
                page.extra = None
        n_blocks = sum(len(p.blocks) for p in pages)
        n_article = sum(sum(p.labels) for p in pages)
        print(f"[{kind}] {len(pages)} pages, {n_blocks} blocks, {n_article} article blocks")
        if not args.no_cv:
            cv = cross_validate(
                pages,
                extra_names,
                args.folds,
                passes=passes,
                clean_articles=clean_articles,
            )
            if passes == 2:
                print(f"[{kind}] {args.folds}-fold CV by page, two passes: {_summary(cv['two_pass'])}")
            print(f"[{kind}] {args.folds}-fold CV by page, first pass only: {_summary(cv['one_pass'])}")
            worst = sorted(cv["per_page"].items(), key=lambda kv: kv[1]["f1"])[:5]
            print(f"[{kind}] weakest pages (CV F1): " + ", ".join(f"{k[:8]} {v['f1']:.2f}" for k, v in worst))
            if args.dump:
                args.dump.write_text(json.dumps({kind: cv}, default=float, indent=1), encoding="utf-8")
        spec = fit_model(pages, extra_names, passes=passes, clean_articles=clean_articles)
        if kind == "html" and not args.no_cv:
            policy, report = choose_deferral(pages, cv["probabilities"], args.folds)
            _print_policy(policy, report)
            spec.update(policy)
        if passes == 2 and not args.no_cv and cv["one_pass"]["bench_f1"] >= cv["two_pass"]["bench_f1"]:
            # The smoothing pass did not help out of sample: ship the simpler first pass only.
            spec["stage2"] = None
            print(f"[{kind}] shipping the first pass only (it cross-validates at least as well)")
        out = args.out_dir / f"boilerplate_{kind}.json"
        out.write_text(json.dumps(spec, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        size_kb = out.stat().st_size / 1024
        print(f"[{kind}] wrote {out} ({size_kb:.0f} KB) in {time.time() - t0:.0f} s")
        if kind == "text" and CLEAN_NEWS.is_file():
            kept = clean_news_kept(BlockModel(spec))
            print(f"[text] words kept on clean news (PolNeAR's first {CLEAN_NEWS_N}): {kept:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
