"""Plain text: split into blocks, then keep the blocks the learned line classifier calls article text.

Text copied from a web page keeps its menus, share buttons, cookie notices and comment threads as
lines of their own; a per-line model with document context removes them, while a clean article
(every line a paragraph of prose) passes through unchanged.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import groupby

from article_pipeline.cleaning import features as F
from article_pipeline.cleaning.features import max_segment
from article_pipeline.cleaning.model import load_model
from article_pipeline.cleaning.transcript import is_stage_direction, turn_lines

_BLANK_SPLIT = re.compile(r"\n[ \t\f\v]*\n")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u3000]+")
MAX_BLOCKS_FOR_MODEL = 20000


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")


def _is_hard_wrapped(groups: Sequence[list[str]]) -> bool:
    """True when paragraphs are wrapped at a fixed width (e-mail style), so their lines must be joined."""
    multi = [g for g in groups if len(g) > 1]
    if not multi or len(multi) < 0.3 * len(groups):
        return False
    inner = [ln for g in multi for ln in g[:-1]]
    if not inner:
        return False
    lengths = sorted(len(ln) for ln in inner)
    median = lengths[len(lengths) // 2]
    in_band = sum(1 for n in lengths if 0.6 * median <= n <= 1.25 * median)
    return 30 <= median <= 120 and in_band >= 0.7 * len(lengths)


def text_blocks(text: str) -> list[str]:
    """Blocks of a plain text: one per line, or one per paragraph when lines are hard-wrapped."""
    text = normalise_newlines(text)
    groups = [[s for ln in g.split("\n") if (s := ln.strip())] for g in _BLANK_SPLIT.split(text)]
    groups = [g for g in groups if g]
    wrapped = _is_hard_wrapped(groups)
    blocks = [" ".join(g) for g in groups] if wrapped else [ln for g in groups for ln in g]
    return [_single_spaced(b) for b in blocks if b.strip()]


def _single_spaced(block: str) -> str:
    """The block with each run of spaces as one plain space; most lines have none to fold (no regex then)."""
    if block.isascii() and "  " not in block and "\t" not in block and "\f" not in block and "\v" not in block:
        return block.strip()
    return _SPACES.sub(" ", block).strip()


# Facts a line-per-block page text gives beyond each line's own shape: what kind of page it is (how
# much of it is prose, how many lines are short or repeated), the runs of short or prose lines a
# line sits in (menus and link lists are runs of short lines; an article is a run of prose), and how
# far a line sits before the first or after the last line of prose (a page's head and tail: menus,
# "Comments", "Related", copyright lines).
TEXT_EXTRA_NAMES = (
    "page_log_blocks",
    "page_log_words",
    "page_prose_share",
    "page_short_share",
    "page_dup_share",
    "page_words_per_block",
    "word_share",
    "short_run_log",
    "prose_run_log",
    "long_distance_log",
    "before_prose_log",
    "after_prose_log",
)
_LOG_CHARS, _LOG_WORDS, _DUP = (F.BASE_NAMES.index(k) for k in ("log_chars", "log_words", "dup_log"))
_SHORT = F.BASE_NAMES.index("short")
LONG_BLOCK_WORDS = 20


def _runs(flags: Sequence[bool]) -> list[int]:
    """For each position, the length of the run of equal consecutive flags it sits in (0 where False)."""
    out: list[int] = []
    for flag, group in groupby(flags):
        size = len(list(group))
        out.extend([size if flag else 0] * size)
    return out


def _distances(flags: Sequence[bool]) -> list[int]:
    """For each position, how many blocks away the nearest flagged block is (len+1 when there is none)."""
    n = len(flags)
    far = n + 1
    out = [far] * n
    last = -far
    for i in range(n):
        if flags[i]:
            last = i
        out[i] = i - last
    last = 2 * n + 2
    for i in range(n - 1, -1, -1):
        if flags[i]:
            last = i
        out[i] = min(out[i], last - i, far)
    return out


def _outside_prose(prose: Sequence[bool]) -> tuple[list[int], list[int]]:
    """For each position, how many blocks before the first prose block and after the last one (else 0)."""
    n = len(prose)
    first = next((i for i in range(n) if prose[i]), n)
    last = next((i for i in range(n - 1, -1, -1) if prose[i]), -1)
    before = [first - i if i < first else 0 for i in range(n)]
    after = [i - last if i > last else 0 for i in range(n)]
    return before, after


def text_extra_features(blocks: Sequence[str], static: F.StaticRows) -> list[list[float]]:
    """TEXT_EXTRA_NAMES for every block, from the vocabulary-free shape rows of ``F.static_rows``."""
    n = len(blocks)
    if not n:
        return []
    rows = [r for r, _ in static]
    words = [round(math.expm1(r[_LOG_WORDS])) for r in rows]
    total = sum(words) or 1
    prose = [F.prose_weight(r) >= 0.5 and w >= 8 for r, w in zip(rows, words, strict=True)]
    short = [r[_SHORT] > 0 for r in rows]
    keys = [b.lower() for b in blocks]
    seen = Counter(keys)
    page = [
        math.log1p(n),
        math.log1p(total),
        sum(w for w, p in zip(words, prose, strict=True) if p) / total,
        sum(short) / n,
        sum(1 for k in keys if seen[k] > 1) / n,
        math.log1p(total / n),
    ]
    short_runs, prose_runs = _runs(short), _runs(prose)
    long_dist = _distances([w >= LONG_BLOCK_WORDS for w in words])
    before, after = _outside_prose(prose)
    log1p = math.log1p
    return [
        [*page, w / total, *map(log1p, facts)]
        for w, *facts in zip(words, short_runs, prose_runs, long_dist, before, after, strict=True)
    ]


def select_blocks(blocks: Sequence[str], probs: Sequence[float], threshold: float) -> list[str]:
    """Blocks at or above threshold; if none, the best-scoring contiguous run (never empty for text)."""
    kept = [b for b, p in zip(blocks, probs, strict=True) if p >= threshold]
    if kept or not blocks:
        return kept
    top = max(probs)
    start, end = max_segment([p - 0.5 * top for p in probs])
    return list(blocks[start : end + 1])


def clean_text_blocks(blocks: Sequence[str], model_name: str = "text") -> list[str]:
    """Apply the line classifier; huge inputs beyond MAX_BLOCKS_FOR_MODEL are kept as they are.

    A transcript's turns are all kept, whatever the classifier makes of them, and its stage
    directions dropped (see ``transcript``).
    """
    if len(blocks) <= 2 or len(blocks) > MAX_BLOCKS_FOR_MODEL:
        return list(blocks)
    model = load_model(model_name)
    static = F.static_rows(blocks)
    extra = text_extra_features(blocks, static) if model.extra_names else None
    probs = model.probabilities(blocks, extra, static=static)
    spoken = turn_lines(blocks)
    if not spoken:
        return select_blocks(blocks, probs, model.threshold)
    first, last = min(spoken), max(spoken)
    return [
        block
        for i, (block, p) in enumerate(zip(blocks, probs, strict=True))
        if (p >= model.threshold or i in spoken) and not (first <= i <= last and is_stage_direction(block))
    ]
