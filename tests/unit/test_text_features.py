"""The plain-text model's page and run facts (cleaning/text.py TEXT_EXTRA_NAMES)."""

from __future__ import annotations

from article_pipeline.cleaning import features as F
from article_pipeline.cleaning.text import TEXT_EXTRA_NAMES, text_extra_features

PROSE = (
    "The council approved the budget on Thursday after a debate that lasted more than eleven hours in all.",
    "Spending on schools rises by six percent, and eighteen million dollars go to repairing three bridges.",
)


def _facts(blocks: list[str]) -> list[dict[str, float]]:
    rows = text_extra_features(blocks, F.static_rows(blocks))
    return [dict(zip(TEXT_EXTRA_NAMES, row, strict=True)) for row in rows]


def test_every_block_gets_one_value_per_name() -> None:
    # Given a page of menu lines, prose and a comment link
    blocks = ["Home", "News", *PROSE, "Comments"]
    # Then each block has exactly the named facts
    assert all(len(row) == len(TEXT_EXTRA_NAMES) for row in text_extra_features(blocks, F.static_rows(blocks)))


def test_lines_before_the_first_and_after_the_last_prose_line_are_told_apart() -> None:
    # Given menu lines, two paragraphs, then two trailing short lines
    facts = _facts(["Home", "News", *PROSE, "Comments", "Post a Comment"])
    # Then the head counts down to the prose, the tail counts up from it, and the prose is at 0 on both
    before = [f["before_prose_log"] for f in facts]
    after = [f["after_prose_log"] for f in facts]
    assert before[0] > before[1] > 0 and before[2:] == [0.0] * 4
    assert after[:4] == [0.0] * 4 and 0 < after[4] < after[5]
