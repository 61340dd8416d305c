"""Features of text blocks (lines of a page, or HTML blocks) for the boilerplate classifier.

Pure Python on purpose: the same code computes the features when training (scripts/) and at
inference in the ingest Lambda, so the two can never drift apart. Each block is described by its own
shape (length, punctuation, stop words, capitals, link-ish tokens), its learned vocabulary score, its
place in the document (position, distance from the densest run of prose, repetition) and the same
facts about its neighbours.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import repeat
from operator import itemgetter

from article_pipeline.cleaning.language import ALL_STOP_WORDS

MAX_WORDS_SCANNED = 400  # per block, for the vocabulary score: keeps 1 MB lines linear and cheap

_TOKEN = re.compile(r"\w+")
_ALPHA = re.compile(r"[^\W\d_]+")
_LINKISH = re.compile(r"https?://|www\.|\.com\b|\.org\b|@\w|#\w|\b\w+\.(?:html?|php|aspx?)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$")
_SEPARATORS = re.compile(r"[|•·›»«/>]")
_DATEISH = re.compile(  # the lookahead names every form's first character, so most positions fail at once
    r"\b(?=[\djfmasond])(?:\d{1,2}[:.]\d{2}\s?(?:am|pm)?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d+\s+(?:min|mins|minutes|hours?|days?)\s+ago)\b",
    re.IGNORECASE,
)
# Every _LINKISH match contains one of these once casefolded (the regex ignores case; 'ſ' folds to 's').
_LINK_MARKERS = ("://", "www.", ".com", ".org", "@", "#", ".htm", ".php", ".asp")
_PUNCT_CHARS = ".,;:!?"
_QUOTE_CHARS = '"“”«»'
_DIGIT = re.compile(r"\d")
_DIGIT_OR_UNDERSCORE = re.compile(r"[\d_]")  # the only word characters that are not _ALPHA letters
_BULLET = re.compile(r"^\s*(?:[-*•·▪►>»|]|\d{1,3}[.)])\s")

BASE_NAMES = (
    "log_chars",
    "log_words",
    "stop_share",
    "sentence_end",
    "colon_end",
    "cap_share",
    "punct_per_word",
    "comma_per_word",
    "digit_share",
    "bullet",
    "separators",
    "linkish",
    "all_caps",
    "dup_log",
    "position",
    "word_position",
    "vocab_mean",
    "vocab_min",
    "vocab_max",
    "vocab_sum",
    "dateish",
    "quote_chars",
    "rel_len",
    "first_upper",
    "short",
)
CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)
CONTEXT_BASE = ("log_words", "stop_share", "sentence_end", "vocab_mean", "short")
REGION_PENALTIES = (1.0, 4.0, 12.0)
# The second pass's best runs: blocks whose first-pass probability clears these levels.
STAGE2_PENALTIES = (0.5, 0.7)


_VOCAB_SLOTS = slice(16, 20)


PLAIN_WORDS_MAX_CHARS = 200
_PLAIN_SLOTS = tuple(
    BASE_NAMES.index(name)
    for name in ("log_chars", "log_words", "stop_share", "cap_share", "all_caps", "first_upper", "short")
)


def static_shape(text: str, tokens: list[str] | None = None) -> tuple[list[float], list[str]]:
    """Vocabulary-free shape features of one block, and the lowercase words the vocabulary scores.

    ``tokens``: the block's ``word_tokens``, when the caller has them already.
    """
    stripped = text.strip()
    if len(stripped) <= PLAIN_WORDS_MAX_CHARS:
        words = stripped.split(" ")
        if all(map(str.isalpha, words)):
            return _plain_words_shape(stripped, words)
    return measured_shape(stripped, tokens)


def _plain_words_shape(stripped: str, words: list[str]) -> tuple[list[float], list[str]]:
    """``measured_shape`` of a few letter-only words split by single spaces: a menu item, button or label.

    Half of a page's blocks look like this, and for them most features are known without looking:
    there is no punctuation, digit, separator, link, date or quote mark to find.
    """
    n = len(words)
    lower = list(map(str.lower, words))
    values = (
        math.log1p(len(stripped)),
        math.log1p(n),
        sum(map(ALL_STOP_WORDS.__contains__, lower)) / n,
        sum(map(str.isupper, map(itemgetter(0), words))) / n,
        1.0 if n > 1 and stripped.isupper() else 0.0,
        1.0 if stripped[0].isupper() else 0.0,
        1.0 if n < 5 else 0.0,
    )
    row = [0.0] * len(BASE_NAMES)
    for slot, value in zip(_PLAIN_SLOTS, values, strict=True):
        row[slot] = value
    return row, lower


def measured_shape(stripped: str, tokens: list[str] | None = None) -> tuple[list[float], list[str]]:
    """``static_shape`` of any stripped block, measured feature by feature.

    When no word character is a digit or an underscore (most prose lines), the word tokens are already
    the letter runs ``_ALPHA`` would find and there is no digit to count: two regex scans saved per line.
    """
    n_chars = len(stripped)
    head = stripped[:20000]
    if tokens is None:
        tokens = _TOKEN.findall(stripped)
    n_words = len(tokens)
    letters_only = n_chars <= 20000 and not _DIGIT_OR_UNDERSCORE.search(stripped)
    alpha = tokens if letters_only else _ALPHA.findall(head)
    n_alpha = len(alpha) or 1
    scanned_words = alpha[:MAX_WORDS_SCANNED]
    lower = list(map(str.lower, scanned_words))
    stops = sum(map(ALL_STOP_WORDS.__contains__, lower))
    caps = sum(map(str.isupper, map(itemgetter(0), scanned_words)))
    scanned = len(lower) or 1
    n_digits = 0 if letters_only else len(_DIGIT.findall(head))
    link_head = head[:2000]
    row = [
        math.log1p(n_chars),
        math.log1p(n_words),
        stops / scanned,
        1.0 if _SENTENCE_END.search(stripped[-8:]) else 0.0,
        1.0 if stripped.endswith(":") else 0.0,
        caps / scanned,
        sum(map(head.count, _PUNCT_CHARS)) / max(1, n_words),
        head.count(",") / max(1, n_words),
        n_digits / max(1, len(head)),
        1.0 if _BULLET.match(stripped) else 0.0,
        min(5, len(_SEPARATORS.findall(head[:500]))) / 5.0,
        min(3, len(_LINKISH.findall(link_head))) / 3.0 if _may_hold_links(link_head) else 0.0,
        1.0 if n_alpha > 1 and stripped.isupper() else 0.0,
        0.0,  # dup_log, filled in by base_features
        0.0,  # position
        0.0,  # word_position
        0.0,  # vocab_mean .. vocab_sum: filled from the vocabulary
        0.0,
        0.0,
        0.0,
        1.0 if n_digits and _DATEISH.search(head[:300]) else 0.0,  # every date pattern has a digit
        min(4, sum(map(head.count, _QUOTE_CHARS))) / 4.0,
        0.0,  # rel_len
        1.0 if stripped[:1].isupper() else 0.0,
        1.0 if n_words < 5 else 0.0,
    ]
    return row, lower


def _may_hold_links(text: str) -> bool:
    """False only when ``_LINKISH`` cannot match: a few substring tests instead of a regex scan."""
    folded = text.casefold()
    return any(map(folded.__contains__, _LINK_MARKERS))


def vocab_scores(words: Sequence[str], vocab: Mapping[str, float], default_vocab: float) -> list[float]:
    scores = list(map(vocab.get, words, repeat(default_vocab))) or [default_vocab]
    total = sum(scores)
    return [total / len(scores), min(scores), max(scores), max(-10.0, min(10.0, total))]


def max_segment(values: Sequence[float]) -> tuple[int, int]:
    """Kadane: the contiguous run with the largest sum, as (start, end) inclusive; (0, -1) if none > 0."""
    best, best_span = 0.0, (0, -1)
    running, start = 0.0, 0
    for i, v in enumerate(values):
        if running <= 0:
            running, start = v, i
        else:
            running += v
        if running > best:
            best, best_span = running, (start, i)
    return best_span


def _region_features(n: int, span: tuple[int, int]) -> list[tuple[float, float, float]]:
    """(inside, log distance before, log distance after) the span for each of n blocks, built run by run."""
    s, e = span
    if e < s:
        return [(0.0, 0.0, 0.0)] * n
    before = [(0.0, math.log1p(s - i), 0.0) for i in range(s)]
    after = [(0.0, 0.0, math.log1p(i - e)) for i in range(e + 1, n)]
    return [*before, *[(1.0, 0.0, 0.0)] * (e - s + 1), *after]


def region_features(word_counts: Sequence[int], weights: Sequence[float]) -> list[tuple[float, ...]]:
    """Where each block sits relative to the densest run of prose, at several strictness levels.

    ``weights`` says how prose-like a block is (0..1); a block adds ``words * weight`` and pays a
    fixed penalty, so the best run is where the real text is, whatever the page layout.
    """
    n = len(word_counts)
    levels = []
    for penalty in REGION_PENALTIES:
        values = [wc * w - penalty for wc, w in zip(word_counts, weights, strict=True)]
        levels.append(_region_features(n, max_segment(values)))
    return [a + b + c for a, b, c in zip(*levels, strict=True)]


def region_names(prefix: str) -> list[str]:
    return [f"{prefix}_{p:g}_{k}" for p in REGION_PENALTIES for k in ("in", "before", "after")]


StaticRows = list[tuple[list[float], list[str]]]


def static_rows(blocks: Sequence[str], tokens: Sequence[list[str]] | None = None) -> StaticRows:
    """``static_shape`` of every block, computed once per distinct text: menus and buttons repeat.

    ``tokens``: each block's ``word_tokens``, when the caller has them already.
    """
    shapes: dict[str, tuple[list[float], list[str]]] = {}
    for i, block in enumerate(blocks):
        if block not in shapes:
            shapes[block] = static_shape(block, tokens[i] if tokens is not None else None)
    return [shapes[block] for block in blocks]


def base_features(
    blocks: Sequence[str],
    vocab: Mapping[str, float],
    default_vocab: float = 0.0,
    static: StaticRows | None = None,
) -> tuple[list[list[float]], list[int]]:
    """Per-block shape features (BASE_NAMES) and word counts; ``static`` may be precomputed (training).

    Everything but the vocabulary scores is known from the static rows, so each row is filled in one pass.
    """
    if static is None:
        static = static_rows(blocks)
    word_counts = [round(math.expm1(r[1])) for r, _ in static]
    keys = [" ".join(b.lower().split())[:200] for b in blocks]
    dup = Counter(keys)
    last = max(1, len(blocks) - 1)
    total_words = sum(word_counts) or 1
    max_chars = max((r[0] for r, _ in static), default=1.0) or 1.0
    rows = []
    seen = 0
    scored: dict[int, list[float]] = {}  # static_rows shares one word list among a block's repeats
    for i, ((shape, words), key, count) in enumerate(zip(static, keys, word_counts, strict=True)):
        row = list(shape)
        scores = scored.get(id(words))
        if scores is None:
            scores = scored[id(words)] = vocab_scores(words, vocab, default_vocab)
        row[_VOCAB_SLOTS] = scores
        row[_DUP_LOG] = math.log(dup[key])
        row[_POSITION] = i / last
        row[_WORD_POSITION] = seen / total_words
        row[_REL_LEN] = row[0] / max_chars
        seen += count
        rows.append(row)
    return rows, word_counts


_DUP_LOG, _POSITION, _WORD_POSITION, _REL_LEN = (
    BASE_NAMES.index(k) for k in ("dup_log", "position", "word_position", "rel_len")
)
_STOP_SHARE, _SENTENCE_END_FLAG = BASE_NAMES.index("stop_share"), BASE_NAMES.index("sentence_end")


def prose_weight(row: Sequence[float]) -> float:
    """A hand-free prior of how prose-like a block is, from its stop words and sentence ending."""
    return min(1.0, row[_STOP_SHARE] * 3.0) * (0.5 + 0.5 * row[_SENTENCE_END_FLAG])


def context_features(rows: Sequence[Sequence[float]], names: Sequence[str]) -> list[list[float]]:
    """Neighbours' features at fixed offsets, plus window means of word counts (edges padded with -1).

    Rows are zipped from shifted copies of the picked columns rather than indexed block by block.
    """
    pick = itemgetter(*(list(names).index(k) for k in CONTEXT_BASE))
    wpos = list(names).index("log_words")
    reach = max(map(abs, CONTEXT_OFFSETS))
    padding = [(-1.0,) * len(CONTEXT_BASE)] * reach
    picked = [*padding, *map(pick, rows), *padding]
    shifted = [picked[reach + off :] for off in CONTEXT_OFFSETS]
    log_words = [row[wpos] for row in rows]
    m3, m2, m1, p1, p2, p3 = shifted  # one per CONTEXT_OFFSETS
    return [
        [*a, *b, *c, *d, *e, *f, w3, w10]
        for a, b, c, d, e, f, w3, w10 in zip(
            m3, m2, m1, p1, p2, p3, _slice_means(log_words, 3), _slice_means(log_words, 10), strict=False
        )
    ]


def _slice_means(values: list[float], w: int) -> list[float]:
    """Mean of values[i-w .. i+w] (clipped at the edges) for each i, each summed from its own window.

    Inside the page every window is full, so its values are zipped from shifted copies and summed in C;
    the sums are the same as summing each slice (same values, same order).
    """
    n = len(values)
    width = 2 * w + 1
    columns = [values[j : n - width + 1 + j] for j in range(width)] if n >= width else []
    inner = list(map(sum, zip(*columns, strict=True)))

    def edge(i: int) -> float:
        lo, hi = max(0, i - w), min(n, i + w + 1)
        return sum(values[lo:hi]) / (hi - lo)

    return _centred(n, w, [t / width for t in inner], edge)


def _centred(n: int, w: int, inner: list[float], edge: Callable[[int], float]) -> list[float]:
    """A centred window statistic: ``edge(i)`` for the w blocks at each end, ``inner`` for the rest."""
    if n <= 2 * w:
        return [edge(i) for i in range(n)]
    return [*map(edge, range(w)), *inner, *map(edge, range(n - w, n))]


def context_names() -> list[str]:
    names = [f"{k}@{o:+d}" for o in CONTEXT_OFFSETS for k in CONTEXT_BASE]
    return [*names, "log_words_win3", "log_words_win10"]


def stage2_features(probs: Sequence[float], word_counts: Sequence[int]) -> list[list[float]]:
    """Smoothing features from first-pass probabilities: neighbours, windows and the best run.

    Built column by column (shifted copies, window means, running extremes) and zipped into rows:
    a page has thousands of blocks and a per-block loop of slices was a third of the second pass.
    """
    probs = list(probs)
    n = len(probs)
    padded = [-1.0, -1.0, *probs, -1.0, -1.0]
    regions = []
    for penalty in STAGE2_PENALTIES:
        values = [(p - penalty) * (1 + math.log1p(wc)) for p, wc in zip(probs, word_counts, strict=True)]
        regions.append(_region_features(n, max_segment(values)))
    return [
        [p, m2, m1, p1, p2, w2, w5, w12, *ends, *ra, *rb]
        for p, m2, m1, p1, p2, w2, w5, w12, ends, ra, rb in zip(
            probs,
            padded,
            padded[1:],
            padded[3:],
            padded[4:],
            _window_means(probs, 2),
            _window_means(probs, 5),
            _window_means(probs, 12),
            _neighbour_extremes(probs, 6),
            *regions,
            strict=False,  # the shifted columns run past the end
        )
    ]


def _window_means(values: list[float], w: int) -> list[float]:
    """Mean of values[i-w .. i+w] (clipped at the edges) for each i, from prefix sums."""
    n = len(values)
    prefix = [0.0]
    for v in values:
        prefix.append(prefix[-1] + v)
    width = 2 * w + 1

    def edge(i: int) -> float:
        lo, hi = max(0, i - w), min(n, i + w + 1)
        return (prefix[hi] - prefix[lo]) / (hi - lo)

    return _centred(n, w, [(b - a) / width for a, b in zip(prefix, prefix[width:], strict=False)], edge)


def _neighbour_extremes(values: list[float], k: int) -> list[tuple[float, float, float, float]]:
    """(max before, max after, min before, min after) over the k values each side of i; -1 where none."""
    n = len(values)
    low, high = [math.inf] * k, [-math.inf] * k
    tops = [*high, *values, *high]
    bottoms = [*low, *values, *low]
    # column j holds values[i - k + j], so columns 0..k-1 are before i and k+1..2k after it
    max_before = list(map(max, *(tops[j : j + n] for j in range(k))))
    max_after = list(map(max, *(tops[j : j + n] for j in range(k + 1, 2 * k + 1))))
    min_before = list(map(min, *(bottoms[j : j + n] for j in range(k))))
    min_after = list(map(min, *(bottoms[j : j + n] for j in range(k + 1, 2 * k + 1))))
    if n:
        max_before[0] = min_before[0] = max_after[-1] = min_after[-1] = -1.0
    return list(zip(max_before, max_after, min_before, min_after, strict=True))


def stage2_names() -> list[str]:
    return [
        "p",
        "p@-2",
        "p@-1",
        "p@+1",
        "p@+2",
        "p_win2",
        "p_win5",
        "p_win12",
        "p_max_before",
        "p_max_after",
        "p_min_before",
        "p_min_after",
        *(f"p_region_{penalty:g}_{k}" for penalty in STAGE2_PENALTIES for k in ("in", "before", "after")),
    ]


def block_features(
    blocks: Sequence[str],
    vocab: Mapping[str, float],
    extra: Sequence[Sequence[float]] | None = None,
    default_vocab: float = 0.0,
    static: StaticRows | None = None,
) -> tuple[list[list[float]], list[int]]:
    """Stage-1 feature rows: shape + region + context (+ caller-supplied extras, e.g. HTML facts).

    Each shape row is extended in place, once the context has read it: no second list per block.
    """
    rows, word_counts = base_features(blocks, vocab, default_vocab, static)
    weights = [prose_weight(r) for r in rows]
    regions = region_features(word_counts, weights)
    context = context_features(rows, BASE_NAMES)
    for row, region, near in zip(rows, regions, context, strict=True):
        row += region
        row += near
    if extra is not None:
        for row, more in zip(rows, extra, strict=True):
            row += more
    return rows, word_counts


def stage1_names(extra_names: Sequence[str] = ()) -> list[str]:
    return [*BASE_NAMES, *region_names("region"), *context_names(), *extra_names]


def vocab_tokens(text: str) -> list[str]:
    """The lowercase words that the vocabulary score looks at (same as in ``_shape``)."""
    return [w.lower() for w in _ALPHA.findall(text.strip()[:20000])[:MAX_WORDS_SCANNED]]


def word_tokens(text: str) -> list[str]:
    """The word tokens that shingles and the shape features count (the same for ``text`` stripped)."""
    return _TOKEN.findall(text)


_tokens = word_tokens


def shingle_coverage(
    blocks: Sequence[str], reference: str, n: int = 4, tokens: Sequence[list[str]] | None = None
) -> list[float]:
    """Share of each block's tokens that sit inside an n-token shingle also found in ``reference``.

    Shingles run across block boundaries, so short blocks inside a matching passage count as covered.
    Used both to label training blocks and to tell the HTML model what trafilatura kept. ``tokens``:
    each block's ``word_tokens``, when the caller has them already.
    """
    ref_tokens = _tokens(reference)
    ref = set(_shingles(ref_tokens, n))
    if 0 < len(ref_tokens) < n:
        ref.add(tuple(ref_tokens))
    per_block = [_tokens(block) for block in blocks] if tokens is None else tokens
    toks = [t for bt in per_block for t in bt]
    if not ref:
        covered = bytes(len(toks))
    elif len(toks) < n:
        covered = bytes([tuple(toks) in ref]) * len(toks)
    else:
        # A token is covered when a matching shingle starts at most n-1 tokens before it: one byte per
        # shingle start (1 where it matches), each match spread over its n tokens by shifting a big integer.
        starts = int.from_bytes(bytes(map(ref.__contains__, _shingles(toks, n))), "little")
        spread = 0
        for k in range(n):
            spread |= starts << (8 * k)
        covered = spread.to_bytes(len(toks), "little")
    shares = []
    offset = 0
    for bt in per_block:
        total = len(bt)
        shares.append(covered.count(1, offset, offset + total) / total if total else 0.0)
        offset += total
    return shares


def _shingles(tokens: list[str], n: int) -> Iterator[tuple[str, ...]]:
    """Every run of n consecutive tokens, in order (none when there are fewer than n)."""
    return zip(*(tokens[k:] for k in range(n)), strict=False)
