"""Adapters for the shared boilerplate scorer: str -> the project's cleaned article text.

    cd ../shared/bench && python boilerplate_eval.py --data ../corpus/boilerplate --format html \
        --extractor /path/to/bench/clean_extractor.py:extract_html
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "layers" / "domain"))

from article_pipeline.cleaning import clean_raw
from article_pipeline.errors import NoArticleText


def _extract(page: str, fmt: str) -> str:
    try:
        return clean_raw(page, format=fmt)["text"]
    except NoArticleText:
        return ""


def extract_html(page: str) -> str:
    return _extract(page, "html")


def extract_text(page: str) -> str:
    return _extract(page, "text")
