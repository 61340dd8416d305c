"""Quotation-mark state tracking: where quoted passages start and end in an article.

One linear scan over the text. Curly, straight and doubled-apostrophe ('') marks are handled;
the state is reset at every paragraph break so that a missing closing mark cannot swallow the
rest of the article. A paragraph that opens a quotation without closing it continues into the
next paragraph only if that paragraph starts with an opening mark (the usual convention for
multi-paragraph quotations).
"""

from __future__ import annotations

from dataclasses import dataclass

OPENING = "\u201c\u201e\u00ab"
CLOSING = "\u201d\u00bb"
TOGGLING = '"\u201f\u2033'


@dataclass
class QuoteRegion:
    """One quoted passage inside a paragraph: ``start``/``end`` include the marks."""

    start: int
    end: int
    closed: bool
    paragraph: int
    continues_from: int | None = None  # index of the region this one continues (multi-paragraph)

    @property
    def inner(self) -> tuple[int, int]:
        return (self.start + 1, self.end - 1 if self.closed else self.end)


def _mark_width(text: str, i: int) -> int:
    """1 for a double-quote character, 2 for a doubled apostrophe/backtick pair, else 0."""
    ch = text[i]
    if ch in OPENING or ch in CLOSING or ch in TOGGLING:
        return 1
    if ch in "'`" and i + 1 < len(text) and text[i + 1] == ch:
        return 2
    return 0


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """Quoted passages of ``text`` in order; unterminated ones end at their paragraph's end."""
    regions: list[QuoteRegion] = []
    paragraph = 0
    para_start = 0
    open_at: int | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            if open_at is not None:
                _close_unterminated(text, regions, open_at, i, paragraph, para_start)
                open_at = None
            paragraph += 1
            para_start = i + 1
            i += 1
            continue
        width = _mark_width(text, i)
        if not width:
            i += 1
            continue
        opening = ch in OPENING or (ch == "`")
        closing = ch in CLOSING or (ch == "'")
        if open_at is None:
            if not closing or _looks_like_opening(text, i, width):
                open_at = i
        elif opening and ch != '"':
            # a second opening mark while open: the first one was never closed; restart here
            open_at = i
        else:
            regions.append(QuoteRegion(open_at, i + width, True, paragraph))
            open_at = None
        i += width
    if open_at is not None:
        _close_unterminated(text, regions, open_at, n, paragraph, para_start)
    _link_continuations(text, regions)
    return regions


def _looks_like_opening(text: str, i: int, width: int) -> bool:
    """A closing-style mark used as an opener (typesetting errors): preceded by space, followed by a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return before.isspace() and after.isalnum()


def _close_unterminated(
    text: str, regions: list[QuoteRegion], open_at: int, end: int, paragraph: int, para_start: int
) -> None:
    """Keep an unclosed quotation only if it starts its paragraph or the next paragraph continues it."""
    stripped_end = end
    while stripped_end > open_at and text[stripped_end - 1].isspace():
        stripped_end -= 1
    starts_paragraph = not text[para_start:open_at].strip()
    if starts_paragraph or _next_paragraph_opens_quote(text, end):
        regions.append(QuoteRegion(open_at, stripped_end, False, paragraph))


def _next_paragraph_opens_quote(text: str, newline_at: int) -> bool:
    j = newline_at
    n = len(text)
    while j < n and text[j].isspace():
        j += 1
    return j < n and (text[j] in OPENING or text[j] in TOGGLING or text.startswith(("''", "``"), j))


def _link_continuations(text: str, regions: list[QuoteRegion]) -> None:
    """Mark a paragraph-initial quotation as the continuation of an unterminated one before it."""
    for k in range(1, len(regions)):
        prev, cur = regions[k - 1], regions[k]
        if prev.closed or cur.paragraph <= prev.paragraph:
            continue
        if text[prev.end : cur.start].strip():
            continue
        cur.continues_from = k - 1


def quote_mask_for_tokens(regions: list[QuoteRegion], token_starts: list[int]) -> list[int]:
    """For each token start offset, the index of the region containing it, or -1."""
    out = [-1] * len(token_starts)
    k = 0
    for t, start in enumerate(token_starts):
        while k < len(regions) and regions[k].end <= start:
            k += 1
        if k < len(regions) and regions[k].start <= start < regions[k].end:
            out[t] = k
    return out
