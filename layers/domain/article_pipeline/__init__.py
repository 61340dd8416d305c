"""article_pipeline: clean news articles, find entities and claims, store them in DynamoDB.

The public API is small and stable: ``clean_raw`` (an upload's text and metadata, boilerplate
removed), ``analyze_raw`` (the full analysed-article document for an upload), ``analyze_many`` (several
uploads parsed together, each error in its place) and
``claims.checkworthiness``. They are imported on first use, never at ``import article_pipeline``,
so the ingest Lambda never pays for spaCy and nothing pays for trafilatura before it needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
PIPELINE_VERSION = __version__

__all__ = ["PIPELINE_VERSION", "__version__", "analyze_many", "analyze_raw", "clean_raw"]

if TYPE_CHECKING:
    from article_pipeline.analysis import analyze_many, analyze_raw
    from article_pipeline.cleaning import clean_raw

_LAZY = {
    "clean_raw": "article_pipeline.cleaning",
    "analyze_raw": "article_pipeline.analysis",
    "analyze_many": "article_pipeline.analysis",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'article_pipeline' has no attribute {name!r}")
