"""The column-built smoothing and context features equal their per-block definitions (cleaning/features.py)."""

from __future__ import annotations

import math
import random

import pytest

from article_pipeline.cleaning import features as F

SIZES = (0, 1, 2, 3, 6, 7, 12, 13, 20, 21, 22, 24, 25, 26, 60)


def _window_mean(values: list[float], i: int, w: int) -> float:
    window = values[max(0, i - w) : i + w + 1]
    return sum(window) / len(window)


def _stage2_row(probs: list[float], i: int) -> list[float]:
    """The first twelve smoothing features of block i, spelled out one by one."""
    n = len(probs)
    before, after = probs[max(0, i - 6) : i], probs[i + 1 : i + 7]
    near = [probs[j] if 0 <= j < n else -1.0 for j in (i - 2, i - 1, i + 1, i + 2)]
    windows = [(sum(probs[: min(n, i + w + 1)]) - sum(probs[: max(0, i - w)])) for w in (2, 5, 12)]
    means = [s / (min(n, i + w + 1) - max(0, i - w)) for s, w in zip(windows, (2, 5, 12), strict=True)]
    extremes = [
        max(before, default=-1.0),
        max(after, default=-1.0),
        min(before, default=-1.0),
        min(after, default=-1.0),
    ]
    return [probs[i], *near, *means, *extremes]


@pytest.mark.parametrize("n", SIZES)
def test_stage2_neighbours_and_extremes_match_their_definition(n: int) -> None:
    # Given first-pass probabilities for a page of n blocks
    rnd = random.Random(n)
    probs = [rnd.random() for _ in range(n)]
    rows = F.stage2_features(probs, [rnd.randrange(40) for _ in range(n)])
    # Then neighbours, window means and extremes are those of each block's own neighbourhood
    for i, row in enumerate(rows):
        assert row[:5] == _stage2_row(probs, i)[:5]
        assert row[5:8] == pytest.approx(_stage2_row(probs, i)[5:8], abs=1e-12)
        assert row[8:12] == _stage2_row(probs, i)[8:12]


@pytest.mark.parametrize("n", SIZES)
def test_context_window_means_are_each_window_summed(n: int) -> None:
    # Given feature rows of a page of n blocks
    rnd = random.Random(n)
    rows = [[rnd.random() for _ in F.BASE_NAMES] for _ in range(n)]
    context = F.context_features(rows, F.BASE_NAMES)
    log_words = [r[F.BASE_NAMES.index("log_words")] for r in rows]
    # Then the last two values are exactly the slice means (same sums), the rest the neighbours' columns
    for i, feats in enumerate(context):
        assert feats[-2:] == [_window_mean(log_words, i, 3), _window_mean(log_words, i, 10)]
        assert len(feats) == len(F.context_names())
        j = i + F.CONTEXT_OFFSETS[0]
        first = [rows[j][F.BASE_NAMES.index(k)] for k in F.CONTEXT_BASE] if 0 <= j < n else [-1.0] * 5
        assert feats[:5] == first


@pytest.mark.parametrize("line", ["Prices rose 3% in 2024, said the_bank.", "x² and ½ are not digits", "١٢٣ words"])
def test_lines_with_digits_or_underscores_still_count_their_letter_runs(line: str) -> None:
    # Given a line whose word tokens are not all letter runs
    row, words = F.measured_shape(line)
    # Then the vocabulary sees the letter runs only, and digits are counted
    assert words == [w.lower() for w in F._ALPHA.findall(line)]
    assert row[F.BASE_NAMES.index("digit_share")] == len(F._DIGIT.findall(line)) / len(line)
    assert row[F.BASE_NAMES.index("log_words")] == math.log1p(len(F._TOKEN.findall(line)))


def test_every_stage2_value_has_one_name() -> None:
    # The model file lists the second pass's feature names; they must line up with its values
    rows = F.stage2_features([0.1, 0.9, 0.8, 0.2, 0.6], [3, 40, 25, 2, 9])
    names = F.stage2_names()
    assert all(len(row) == len(names) for row in rows)
    assert len(set(names)) == len(names)
