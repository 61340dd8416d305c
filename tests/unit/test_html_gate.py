"""When the HTML model keeps its own blocks and when it hands the page to trafilatura."""

from __future__ import annotations

import math

from article_pipeline.cleaning.html import (
    DEFER_FEATURES,
    HTML_EXTRA_NAMES,
    PageBlocks,
    defer_features,
    select_html_blocks,
    trafilatura_share,
    uncovered_share,
)
from article_pipeline.cleaning.model import Scorer


class _Model:
    """Stands in for BlockModel: fixed probabilities per block."""

    def __init__(
        self,
        probs: list[float],
        gate: float,
        uncovered: float = 0.5,
        max_uncovered: float = 1.0,
        fallback: str = "fast",
    ) -> None:
        self.probs, self.gate, self.threshold = probs, gate, 0.5
        self.threshold_uncovered, self.max_uncovered, self.fallback = uncovered, max_uncovered, fallback
        self.defer: Scorer | None = None
        self.defer_above = 1.0

    def probabilities(self, texts: object, extra: object, attrs: object, static: object = None) -> list[float]:
        return self.probs


def _page() -> PageBlocks:
    texts = ["Menu", "A long paragraph of the article body.", "Another paragraph trafilatura kept too."]
    width = len(HTML_EXTRA_NAMES)  # extra[0]: the share of the block trafilatura kept
    extra = [[cov] + [0.0] * (width - 1) for cov in (0.0, 1.0, 1.0)]
    extra[0][HTML_EXTRA_NAMES.index("link_density")] = 1.0  # "Menu" is a link
    return PageBlocks(texts, extra, [[], [], []])


def test_share_counts_characters_of_trafilatura_blocks_kept() -> None:
    page = _page()
    share = trafilatura_share(page, [True, True, False])
    assert abs(share - len(page.texts[1]) / (len(page.texts[1]) + len(page.texts[2]))) < 1e-9
    assert trafilatura_share(page, [True, False, False]) == 0.0


def test_model_kept_when_it_keeps_enough_of_trafilatura() -> None:
    blocks = select_html_blocks(_Model([0.0, 0.9, 0.9], gate=0.9), _page(), "traf line one\ntraf line two")  # type: ignore[arg-type]
    assert blocks == _page().texts[1:]


def test_trafilatura_wins_when_the_model_drops_much_of_its_text() -> None:
    blocks = select_html_blocks(_Model([0.0, 0.9, 0.1], gate=0.9), _page(), "traf line one\ntraf line two")  # type: ignore[arg-type]
    assert blocks == ["traf line one", "traf line two"]
    ungated = select_html_blocks(_Model([0.0, 0.9, 0.1], gate=0.0), _page(), "traf line one\ntraf line two")  # type: ignore[arg-type]
    assert ungated == [_page().texts[1]]


def test_a_block_trafilatura_left_out_needs_the_stricter_threshold() -> None:
    strict = select_html_blocks(_Model([0.7, 0.9, 0.9], gate=0.0, uncovered=0.8), _page(), "traf")  # type: ignore[arg-type]
    assert strict == _page().texts[1:]
    lenient = select_html_blocks(_Model([0.7, 0.9, 0.9], gate=0.0, uncovered=0.5), _page(), "traf")  # type: ignore[arg-type]
    assert lenient == _page().texts


def test_trafilatura_wins_when_much_of_the_kept_text_is_what_it_left_out() -> None:
    page = _page()
    share = uncovered_share(page, [True, True, False])
    assert abs(share - len(page.texts[0]) / (len(page.texts[0]) + len(page.texts[1]))) < 1e-9
    model = _Model([0.9, 0.9, 0.9], gate=0.0, max_uncovered=0.01)
    assert select_html_blocks(model, page, "traf line") == ["traf line"]  # type: ignore[arg-type]
    model = _Model([0.9, 0.9, 0.9], gate=0.0, max_uncovered=0.5)
    assert select_html_blocks(model, page, "traf line") == page.texts  # type: ignore[arg-type]


def test_deferring_to_the_cascade_uses_its_text_and_falls_back_to_the_fast_pass() -> None:
    model = _Model([0.0, 0.9, 0.1], gate=0.9, fallback="cascade")
    assert select_html_blocks(model, _page(), "fast line", lambda: "cascade line") == ["cascade line"]  # type: ignore[arg-type]
    assert select_html_blocks(model, _page(), "fast line", lambda: None) == ["fast line"]  # type: ignore[arg-type]
    kept = select_html_blocks(_Model([0.0, 0.9, 0.9], gate=0.9, fallback="cascade"), _page(), "fast", lambda: "x")  # type: ignore[arg-type]
    assert kept == _page().texts[1:]


def _deferring(intercept: float) -> _Model:
    """A model whose deferral score is the same on every page: sigmoid(intercept)."""
    model = _Model([0.0, 0.9, 0.9], gate=0.0)
    n = len(DEFER_FEATURES)
    model.defer = Scorer(
        {"kind": "logreg", "coef": [0.0] * n, "intercept": intercept, "mean": [0.0] * n, "scale": [1.0] * n}
    )
    model.defer_above = 0.5
    return model


def test_the_deferral_score_hands_a_doubtful_page_to_trafilatura() -> None:
    assert select_html_blocks(_deferring(5.0), _page(), "traf line") == ["traf line"]  # type: ignore[arg-type]
    assert select_html_blocks(_deferring(-5.0), _page(), "traf line") == _page().texts[1:]  # type: ignore[arg-type]
    # without trafilatura text there is nothing to defer to
    assert select_html_blocks(_deferring(5.0), _page(), None) == _page().texts[1:]  # type: ignore[arg-type]


def test_deferral_features_describe_the_page_in_their_declared_order() -> None:
    page = _page()
    feats = defer_features(page, [0.9, 0.9, 0.2], [True, True, False], "t" * 99)
    assert len(feats) == len(DEFER_FEATURES)
    named = dict(zip(DEFER_FEATURES, feats, strict=True))
    assert abs(named["log_trafilatura_chars"] - math.log(100)) < 1e-9
    assert named["trafilatura_share_kept"] == trafilatura_share(page, [True, True, False])
    assert named["mean_p_uncovered_kept"] == 0.9  # "Menu", which trafilatura left out
    assert named["link_share_added"] == 1.0
    assert abs(named["log_chars_per_added_block"] - math.log1p(4)) < 1e-9


def test_agreement_features_say_how_far_the_model_and_trafilatura_agree() -> None:
    page = _page()  # "Menu" (left out by trafilatura, a link), then two blocks trafilatura kept
    sizes = [len(t) for t in page.texts]
    named = dict(zip(DEFER_FEATURES, defer_features(page, [0.9, 0.9, 0.2], [True, True, False], "a\nb"), strict=True))
    # shared characters over characters either kept: block 1 both, block 2 only trafilatura, "Menu" only the model
    assert abs(named["overlap_with_trafilatura"] - sizes[1] / sum(sizes)) < 1e-9
    assert named["added_share_of_kept_blocks"] == 0.5
    assert abs(named["log_dropped_covered_blocks"] - math.log(2)) < 1e-9
    assert named["mean_p_dropped_covered"] == 0.2
    assert named["added_inside_link_share"] == 0.0  # in_a not set; link_density is
    assert named["added_outside_trafilatura_span"] == 1.0  # "Menu" comes before trafilatura's first block
    assert named["short_added_share"] == 1.0
    assert named["sentence_added_share"] == 0.0
    assert abs(named["log_trafilatura_lines"] - math.log(3)) < 1e-9
    # when the model keeps exactly trafilatura's blocks, the two agree fully and nothing is added
    same = dict(zip(DEFER_FEATURES, defer_features(page, [0.1, 0.9, 0.9], [False, True, True], "a"), strict=True))
    assert same["overlap_with_trafilatura"] == 1.0
    assert same["added_share_of_kept_blocks"] == 0.0
    assert same["dropped_covered_chars_share"] == 0.0
