"""The headline of a plain-text article: its first line, when the article body starts right under it.

Plain text has no <title>: a news text opens with its headline, then (perhaps after a byline) the
body. The line classifier judges each line by its shape, and a short capitalised line with no final
sentence is what boilerplate looks like, so it drops about half of all headlines (289 of the first
600 PolNeAR articles), and with them the statements they report ("Poll: Sanders leads"). A web page's
visible text rarely has its body start within two lines of the top (15 of 1,043 training pages), so
the rule below almost never fires there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_HEADLINE_WORDS = 30
MAX_HEADLINE_CHARS = 250
# lines allowed between the headline and the body's first line (a byline, a dateline), and their length
MAX_LINES_BETWEEN = 1
MAX_WORDS_BETWEEN = 12
_NOT_A_HEADLINE = re.compile(r"https?:|www\.|@|\|")
_OPENERS = "\"“‘'"


def has_headline_shape(line: str) -> bool:
    """A line that could be a headline: 2-30 words, capitalised, no link or menu bar, not a lead-in."""
    words = line.split()
    return (
        2 <= len(words) <= MAX_HEADLINE_WORDS
        and len(line) <= MAX_HEADLINE_CHARS
        and (line[0].isupper() or line[0].isdigit() or line[0] in _OPENERS)
        and not line.rstrip().endswith((":", ","))
        and not _NOT_A_HEADLINE.search(line)
    )


def plain_text_headline(lines: Sequence[str], kept: Sequence[str]) -> str | None:
    """The first of ``lines`` when cleaning dropped it and it is a headline right above the body.

    ``kept``: the lines cleaning kept. A first line it kept is in the body already, and is as likely
    a first paragraph as a headline, so it is not taken for the title.
    """
    if len(lines) < 2 or not kept or kept[0] == lines[0] or not has_headline_shape(lines[0]):
        return None
    for start in range(1, min(len(lines), MAX_LINES_BETWEEN + 2)):
        if lines[start] == kept[0]:
            between = lines[1:start]
            return lines[0] if all(len(line.split()) <= MAX_WORDS_BETWEEN for line in between) else None
    return None
