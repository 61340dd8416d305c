"""Plain text: split into blocks, then keep the blocks the learned line classifier calls article text.

Text copied from a web page keeps its menus, share buttons, cookie notices and comment threads as
lines of their own; a per-line model with document context removes them, while a clean article
(every line a paragraph of prose) passes through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from article_pipeline.cleaning.features import max_segment
from article_pipeline.cleaning.model import load_model

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
    groups = [[ln.strip() for ln in g.split("\n") if ln.strip()] for g in _BLANK_SPLIT.split(text)]
    groups = [g for g in groups if g]
    wrapped = _is_hard_wrapped(groups)
    blocks = [" ".join(g) for g in groups] if wrapped else [ln for g in groups for ln in g]
    return [_SPACES.sub(" ", b).strip() for b in blocks if b.strip()]


def select_blocks(blocks: Sequence[str], probs: Sequence[float], threshold: float) -> list[str]:
    """Blocks at or above threshold; if none, the best-scoring contiguous run (never empty for text)."""
    kept = [b for b, p in zip(blocks, probs, strict=True) if p >= threshold]
    if kept or not blocks:
        return kept
    top = max(probs)
    start, end = max_segment([p - 0.5 * top for p in probs])
    return list(blocks[start : end + 1])


def clean_text_blocks(blocks: Sequence[str], model_name: str = "text") -> list[str]:
    """Apply the line classifier; huge inputs beyond MAX_BLOCKS_FOR_MODEL are kept as they are."""
    if len(blocks) <= 2 or len(blocks) > MAX_BLOCKS_FOR_MODEL:
        return list(blocks)
    model = load_model(model_name)
    return select_blocks(blocks, model.probabilities(blocks), model.threshold)
