"""What made an article's results: the pipeline's code, the rules it learnt or was given, the NLP model.

Every article item records the versions its cleaning and its analysis were made with, so that
``article-pipeline reprocess`` can find the articles an upgrade makes stale and send only those
back through the queues (re-cleaned, or re-analysed from their clean text).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from article_pipeline import PIPELINE_VERSION

DATA_DIR = Path(__file__).resolve().parent / "data"
# The shipped rules each stage reads: the boilerplate models for cleaning, everything else for analysis.
CLEANING_RULES = "boilerplate_*.json"


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def cleaning_versions() -> dict[str, str]:
    """The versions a clean text is made with: the pipeline and the boilerplate models."""
    return {"pipeline": PIPELINE_VERSION, "rules": _digest(list(DATA_DIR.glob(CLEANING_RULES)))}


@functools.lru_cache(maxsize=4)
def analysis_versions(model: str | None) -> dict[str, str | None]:
    """The versions an analysis is made with: the pipeline, the analysis rules and tables, the model."""
    rules = [p for p in DATA_DIR.glob("*.json") if not p.match(CLEANING_RULES)]
    return {"pipeline": PIPELINE_VERSION, "rules": _digest(rules), "model": model}
