"""Claims: attributed statements (who said what) and check-worthy assertions."""

from __future__ import annotations

from article_pipeline.claims.checkworthiness import checkworthiness

__all__ = ["checkworthiness"]
