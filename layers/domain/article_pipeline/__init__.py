"""article_pipeline: clean news articles, find entities and claims, store them in DynamoDB.

The public API is small and stable: ``clean`` (boilerplate removal and metadata),
``analyze`` (the full analysed-article document) and ``claims.checkworthiness``.
Heavy dependencies (trafilatura, spaCy) are imported on first use, never at import
time, so the ingest Lambda never pays for spaCy.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
PIPELINE_VERSION = __version__

__all__ = ["PIPELINE_VERSION", "__version__", "analyze", "clean"]


def clean(
    raw: bytes | str,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    format: str | None = None,
) -> dict[str, Any]:
    """Detect format and encoding, strip boilerplate, return text plus metadata.

    ``format`` forces "html", "text", "markdown" or "json" instead of detecting it.
    """
    from article_pipeline.cleaning import clean as _clean

    return _clean(raw, filename=filename, content_type=content_type, format=format)


def analyze(
    raw: bytes | str,
    *,
    filename: str | None = None,
    content_type: str | None = None,
) -> dict[str, Any]:
    """Clean ``raw`` and return the analysed-article document (entities, claims, versions)."""
    from article_pipeline.analysis import analyze_raw

    return analyze_raw(raw, filename=filename, content_type=content_type)
