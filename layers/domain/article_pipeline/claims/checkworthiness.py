"""Check-worthiness: how much a sentence deserves a fact-check, as a score in [0, 1].

Fact-checkers want factual, verifiable assertions (numbers, records, comparisons, named actors doing
things), not greetings, opinions or questions. Linear members are learned offline by
``scripts/train_checkworthiness.py`` and shipped as JSON in ``article_pipeline.data``: a sparse one over
surface features (word and character n-grams, numeric and lexical cues, neighbouring sentences), a TF-IDF
one over words and word pairs, and a dense one over the spaCy parse the analysis already has (entity
types, POS tags, the root's tag, pronouns, negation, length, the mean tok2vec row). Their logits are
mixed and Platt-scaled; without a parse the text members alone are scored under their own calibration.
Scoring is pure Python plus one numpy dot product (no scikit-learn, no extra parsing), so the claims
stage stays cheap in Lambda.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Sequence
from importlib import resources
from itertools import pairwise, repeat
from typing import Any, NamedTuple, Protocol

__all__ = [
    "Parsed",
    "check_worthy_threshold",
    "checkworthiness",
    "dense_vector",
    "featurize",
    "load_model",
    "parse_features",
    "parsed_span",
    "score_document",
    "score_sentence",
    "sparse_logits",
    "tfidf_logits",
]

WEIGHTS_PACKAGE = "article_pipeline.data"
WEIGHTS_FILE = "checkworthiness.json.gz"  # gzipped JSON: a third of the size in the layer and the repository

_TOKEN_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*|[$%?!£€]")
_NUMBER_RE = re.compile(r"\d")
_PERCENT_RE = re.compile(r"\d\s*%|\bper\s?cent\b|\bpercent(?:age)?\b", re.IGNORECASE)
_MONEY_RE = re.compile(r"[$£€]\s*\d|\b(?:dollars?|euros?|pounds)\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
_BIGNUM_RE = re.compile(r"\b(?:hundreds?|thousands?|millions?|billions?|trillions?)\b", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_SPACE_RE = re.compile(r"\s+")


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NUMBER_WORDS = _lexicon(
    "one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty forty "
    "fifty sixty seventy eighty ninety hundred thousand million billion trillion half double twice triple "
    "dozen dozens hundreds thousands millions billions trillions"
)
_COMPARATIVES = _lexicon(
    "more less fewer most least highest lowest largest biggest smallest greatest worst best better worse "
    "higher lower larger bigger smaller greater record first only never ever always every all nobody "
    "increase increased increases decrease decreased decreases doubled tripled rose fell dropped grew "
    "cut cuts raised lost gained"
)
_FACT_VERBS = _lexicon(
    "was were has had have is are did voted signed passed approved created killed spent paid cost costs "
    "said says announced reported found showed shows estimated according supported opposed wrote "
    "released stated testified increased reduced added lost won"
)
_OPINION = _lexicon(
    "think believe feel hope want wish love like hate guess maybe perhaps probably should must "
    "need needs going gonna great wonderful terrible horrible amazing beautiful sad tremendous "
    "incredible frankly honestly really"
)
_MODALS = _lexicon("will would could should might may can must shall")
_PERSON1S = _lexicon("i me my mine myself i'm i've i'll i'd")
_PERSON1P = _lexicon("we us our ours ourselves we're we've we'll")
_PERSON2 = _lexicon("you your yours yourself you're you've you'll")
_GREETING = _lexicon(
    "thank thanks welcome hello good evening morning everybody everyone applause laughter please congratulations"
)
_QUESTION_WORDS = _lexicon("what why how who when where which whether")
_NEGATIONS = _lexicon("not no never nothing n't don't didn't doesn't isn't wasn't won't can't")
_LEXICONS = (
    ("cmp", _COMPARATIVES),
    ("fact", _FACT_VERBS),
    ("opinion", _OPINION),
    ("modal", _MODALS),
    ("p1s", _PERSON1S),
    ("p1p", _PERSON1P),
    ("p2", _PERSON2),
    ("greet", _GREETING),
    ("neg", _NEGATIONS),
)


def _bucket(value: int, edges: Sequence[int]) -> int:
    """Index of the first edge that ``value`` is below (len(edges) if none): coarse count bins."""
    for i, edge in enumerate(edges):
        if value < edge:
            return i
    return len(edges)


def _cue_features(text: str, raw_tokens: list[str], lower: list[str]) -> list[str]:
    """Names of the dense, vocabulary-free cues that carry over from debates to news prose."""
    n = len(lower)
    f = [f"len={_bucket(n, (4, 8, 13, 20, 30, 45))}"]
    if _NUMBER_RE.search(text):
        f.append("has_digit")
    n_num = sum(1 for t in lower if t[0].isdigit() or t in _NUMBER_WORDS)
    if n_num:
        f += ("num", f"num={min(n_num, 3)}")
    if _PERCENT_RE.search(text):
        f.append("percent")
    if _MONEY_RE.search(text):
        f.append("money")
    if _YEAR_RE.search(text):
        f.append("year")
    if _BIGNUM_RE.search(text):
        f.append("bignum")
    caps = sum(1 for t in raw_tokens[1:] if t[0].isupper() and t != "I")
    if caps:
        f.append(f"caps={min(caps, 3)}")
    vocab = set(lower)
    for name, lexicon in _LEXICONS:
        hits = len(lexicon & vocab)
        if hits:
            f.append(name)
            if hits > 1:
                f.append(name + "+")
    if any(len(t) > 5 and t.endswith("est") for t in vocab):
        f.append("est")
    past = sum(1 for t in vocab if len(t) > 4 and t.endswith("ed"))
    if past:
        f.append(f"ed={min(past, 2)}")
    stripped = text.rstrip()
    if stripped.endswith("?"):
        f.append("q_end")
    elif "?" in text:
        f.append("q_in")
    if lower and lower[0] in _QUESTION_WORDS:
        f.append("wh_first")
    if stripped.endswith(("...", "…", "--", "—")):
        f.append("cut_off")
    if stripped.endswith("!"):
        f.append("excl")
    if '"' in text or "“" in text:
        f.append("quote")
    return f


class _Parts(NamedTuple):
    """One sentence's binary features, by namespace (see ``featurize`` for the flat names)."""

    cues: list[str]
    words: set[str]
    bigrams: set[str]
    grams: set[str]


def _parts(text: str) -> _Parts:
    raw = _TOKEN_RE.findall(text)
    lower = [t.lower().replace("’", "'") for t in raw]
    norm = ["<n>" if t[0].isdigit() else t for t in lower]
    padded = ["<s>", *norm, "</s>"]
    squashed = " " + _DIGIT_RE.sub("0", _SPACE_RE.sub(" ", text.lower().strip())) + " "
    return _Parts(
        cues=_cue_features(text, raw, lower),
        words=set(norm),
        bigrams={a + " " + b for a, b in pairwise(padded)},
        grams={squashed[i : i + 4] for i in range(len(squashed) - 3)},
    )


def featurize(sentences: Sequence[str]) -> list[dict[str, float]]:
    """Flat binary features per sentence (``ns:value`` names), with the cues of both neighbours.

    Training uses this; scoring uses the same ``_parts`` without building the flat dicts.
    """
    parts = [_parts(s) for s in sentences]
    out: list[dict[str, float]] = []
    for i, pt in enumerate(parts):
        names = ["bias"]
        names += ["c:" + k for k in pt.cues]
        names += ["w:" + k for k in pt.words]
        names += ["b:" + k for k in pt.bigrams]
        names += ["g:" + k for k in pt.grams]
        names += ["p:" + k for k in parts[i - 1].cues] if i > 0 else ["p:none"]
        names += ["n:" + k for k in parts[i + 1].cues] if i + 1 < len(parts) else ["n:none"]
        out.append(dict.fromkeys(names, 1.0))
    return out


class ParsedToken(Protocol):
    """What the parse features read of a token: a spaCy ``Token`` has all of these."""

    @property
    def text(self) -> str: ...
    @property
    def tag_(self) -> str: ...
    @property
    def dep_(self) -> str: ...
    @property
    def ent_type_(self) -> str: ...
    @property
    def ent_iob_(self) -> str: ...


def _names(words: str) -> tuple[str, ...]:
    return tuple(words.split())


ENTITY_TYPES = _names(
    "CARDINAL PERCENT MONEY DATE TIME QUANTITY ORDINAL GPE LOC ORG PERSON NORP LAW EVENT FAC PRODUCT WORK_OF_ART"
)
# Tense (VBD, VBN, ...), modals, comparatives and superlatives, numbers, pronouns, names, questions.
TAGS = _names(
    "VBD VBN VBZ VBP VB VBG MD JJR JJS RBR RBS CD PRP PRP$ NNP NNPS NN NNS JJ RB WP WRB WDT UH EX IN DT CC TO POS RP"
)
ROOT_TAGS = _names("VBD VBZ VBP VB VBN VBG MD NN JJ")
PRONOUNS = (
    ("i", "i me my mine myself"),
    ("we", "we us our ours ourselves"),
    ("you", "you your yours yourself"),
    ("they", "he she they him her them his their hers theirs"),
)
_PRONOUN_OF = {w: name for name, words in PRONOUNS for w in words.split()}
LENGTH_EDGES = (4, 8, 13, 20, 30, 45)


def parse_feature_names() -> list[str]:
    """The dense parse features, in vector order (the JSON stores their weights in this order)."""
    names = [f"ent:{e}" for e in ENTITY_TYPES] + [f"tag:{t}" for t in TAGS] + [f"tagfrac:{t}" for t in TAGS]
    names += [f"root:{t}" for t in (*ROOT_TAGS, "other")] + [f"pron:{p}" for p, _ in PRONOUNS]
    names += ["neg", "nsubjpass", "q_end", "q_in", "excl", "log_len"]
    names += [f"len={i}" for i in range(len(LENGTH_EDGES) + 1)]
    return names


def parse_features(tokens: Sequence[ParsedToken]) -> list[float]:
    """Counts from the parse the analysis already has: entity types, POS tags (tense, modals, comparatives,
    numbers, pronouns), the root's tag, negation, passive, question or exclamation, length."""
    ents = dict.fromkeys(ENTITY_TYPES, 0)
    tags = dict.fromkeys(TAGS, 0)
    prons = dict.fromkeys((p for p, _ in PRONOUNS), 0)
    root = "other"
    neg = passive = 0
    words = 0
    for t in tokens:
        tag = t.tag_
        if tag in tags:
            tags[tag] += 1
        if t.ent_iob_ == "B" and t.ent_type_ in ents:
            ents[t.ent_type_] += 1
        dep = t.dep_
        if dep == "ROOT" and root == "other" and tag in ROOT_TAGS:
            root = tag
        elif dep == "neg":
            neg = 1
        elif dep in ("nsubjpass", "auxpass"):
            passive = 1
        pron = _PRONOUN_OF.get(t.text.lower()) if tag in ("PRP", "PRP$") else None
        if pron:
            prons[pron] = 1
        if tag not in ("_SP", "SP") and not t.text.isspace():
            words += 1
    text_end = next((t.text for t in reversed(tokens) if not t.text.isspace()), "")
    has_q = any(t.text == "?" for t in tokens)
    n = max(words, 1)
    vec = [math.log1p(ents[e]) for e in ENTITY_TYPES]
    vec += [1.0 if tags[t] else 0.0 for t in TAGS] + [tags[t] / n for t in TAGS]
    vec += [1.0 if root == t else 0.0 for t in (*ROOT_TAGS, "other")]
    vec += [float(prons[p]) for p, _ in PRONOUNS]
    question = float(text_end == "?")
    vec += [float(neg), float(passive), question, float(has_q) - question, float(text_end == "!")]
    vec.append(math.log1p(words))
    bucket = _bucket(words, LENGTH_EDGES)
    vec += [1.0 if i == bucket else 0.0 for i in range(len(LENGTH_EDGES) + 1)]
    return vec


_MODEL: dict[str, Any] | None = None


def load_model() -> dict[str, Any]:
    """The shipped weights, read once per process from the ``article_pipeline.data`` package."""
    global _MODEL
    if _MODEL is None:
        packed = resources.files(WEIGHTS_PACKAGE).joinpath(WEIGHTS_FILE).read_bytes()
        _MODEL = json.loads(gzip.decompress(packed))
    return _MODEL


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class Parsed(NamedTuple):
    """A claim's tokens in the article's parse, and the mean of their tok2vec rows (empty if none)."""

    tokens: Sequence[ParsedToken]
    tensor_mean: Sequence[float]


def parsed_span(doc: Any, spans: Sequence[tuple[int, int]]) -> Parsed:
    """The tokens of ``doc`` (a spaCy ``Doc``) starting inside the character ``spans``, with their mean
    ``doc.tensor`` row: what the dense member reads, taken from the parse the analysis already made."""
    indices: list[int] = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            indices.extend(range(span.start, span.end))
    tokens = [doc[i] for i in indices]
    tensor: Any = getattr(doc, "tensor", None)
    if tensor is None or tensor.ndim != 2 or len(tensor) != len(doc) or not tensor.shape[1]:
        return Parsed(tokens, [])  # no tok2vec output: the text-only path scores it
    mean = tensor[indices].mean(axis=0).tolist() if indices else [0.0] * tensor.shape[1]
    return Parsed(tokens, mean)


def dense_vector(parsed: Parsed) -> list[float]:
    """The dense member's input: the parse features, then the mean tok2vec row."""
    return parse_features(parsed.tokens) + list(parsed.tensor_mean)


def sparse_logits(sentences: Sequence[str], model: dict[str, Any]) -> list[float]:
    """The sparse member: one linear score per sentence over words, pairs, 4-grams and cues.

    The model holds one weight table per feature namespace (the training script has already averaged
    its sparse members, which is exactly the mean of their logits), so each sentence costs a few
    C-level dictionary passes and no string building.
    """
    t = model["tables"]
    c, w, bg, g, prev, nxt = t["c"], t["w"], t["b"], t["g"], t["p"], t["n"]
    zero = repeat(0.0)
    parts = [_parts(s) for s in sentences]
    own = [
        sum(map(c.get, pt.cues, zero))
        + sum(map(w.get, pt.words, zero))
        + sum(map(bg.get, pt.bigrams, zero))
        + sum(map(g.get, pt.grams, zero))
        for pt in parts
    ]
    before = [prev.get("none", 0.0)] + [sum(map(prev.get, pt.cues, zero)) for pt in parts[:-1]]
    after = [sum(map(nxt.get, pt.cues, zero)) for pt in parts[1:]] + [nxt.get("none", 0.0)]
    z0 = model["intercept"]
    return [z0 + o + p + n for o, p, n in zip(own, before, after, strict=True)]


_TFIDF_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")


def tfidf_logits(sentences: Sequence[str], member: dict[str, Any]) -> list[float]:
    """The TF-IDF member: words and word pairs as scikit-learn's ``TfidfVectorizer`` (lower case, tokens of
    two or more word characters, sublinear tf, smoothed idf, L2 norm) dotted with its logistic regression."""
    terms: dict[str, list[float]] = member["terms"]  # term -> [idf, weight]
    out = []
    for sentence in sentences:
        tokens = _TFIDF_TOKEN_RE.findall(sentence.lower())
        counts: dict[str, int] = {}
        for term in [*tokens, *(a + " " + b for a, b in pairwise(tokens))]:
            counts[term] = counts.get(term, 0) + 1
        norm = dot = 0.0
        for term, count in counts.items():
            entry = terms.get(term)
            if entry is not None:
                value = (1.0 + math.log(count)) * entry[0]
                norm += value * value
                dot += value * entry[1]
        out.append(member["intercept"] + (dot / math.sqrt(norm) if norm else 0.0))
    return out


def score_document(
    sentences: Sequence[str], model: dict[str, Any], parses: Sequence[Parsed] | None = None
) -> list[float]:
    """Calibrated probabilities: with ``parses`` (one per sentence), the text members' logit mixed with
    the dense member's (a linear model over parse features and tok2vec means, standardisation folded in),
    then Platt scaling; without them, the text members alone under their own calibration."""
    lexical = sparse_logits(sentences, model)
    tfidf = model.get("tfidf")
    if tfidf is not None:  # the TF-IDF member joins the sparse one: parse or not, it is text alone
        k_sparse, k_tfidf = tfidf["mix"]
        lexical = [k_sparse * z + k_tfidf * t for z, t in zip(lexical, tfidf_logits(sentences, tfidf), strict=True)]
    dense = model.get("dense")
    if parses is None or dense is None or any(len(p.tensor_mean) != dense["tensor_width"] for p in parses):
        a, b = model["text_only_calibration"] if dense is not None else model["calibration"]
        return [_sigmoid(a * z + b) for z in lexical]
    mix_lexical, mix_dense = dense["mix"]
    a, b = model["calibration"]
    if not mix_dense:  # cross-validation gave the parse no share: nothing to compute
        return [_sigmoid(a * mix_lexical * z + b) for z in lexical]
    import numpy as np  # in the layer; only this path needs it

    X = np.array([dense_vector(p) for p in parses], dtype=float).reshape(len(parses), -1)
    dense_z = X @ np.asarray(dense["weights"]) + dense["intercept"]
    return [_sigmoid(a * (mix_lexical * z + mix_dense * float(d)) + b) for z, d in zip(lexical, dense_z, strict=True)]


def checkworthiness(sentences: list[str], parses: Sequence[Parsed] | None = None) -> list[float]:
    """Score each sentence in [0, 1]; higher means more worth fact-checking.

    Pass the sentences of one document in order: neighbours are used as context. ``parses`` (from
    ``parsed_span``, one per sentence) adds the dense member; without them the text alone is scored.
    """
    if not sentences:
        return []
    return score_document(sentences, load_model(), parses)


def check_worthy_threshold() -> float:
    """The probability from which a claim is flagged ``check_worthy``: chosen by the training script as
    the best F1 on out-of-fold scores of the training transcripts (never on the held-out ones)."""
    return float(load_model()["threshold"])


def score_sentence(text: str) -> float:
    """Score one sentence without context (prefer ``checkworthiness`` on the whole document)."""
    return checkworthiness([text])[0]
