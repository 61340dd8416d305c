"""Shared fixtures: paths to the repository, its events and the read-only shared corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
EVENTS = REPO_ROOT / "events"
SHARED = REPO_ROOT.parent / "shared"
SAMPLE_ARTICLE = SHARED / "corpus" / "articles" / "budapest-summit.txt"
BOILERPLATE = SHARED / "corpus" / "boilerplate"


def load_event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_article() -> bytes:
    if not SAMPLE_ARTICLE.exists():
        pytest.skip(f"shared corpus not found at {SAMPLE_ARTICLE}")
    return SAMPLE_ARTICLE.read_bytes()


@pytest.fixture(scope="session")
def boilerplate_page() -> tuple[str, bytes]:
    """One real web page of the shared boilerplate benchmark (id, HTML bytes)."""
    import gzip

    pages = sorted((BOILERPLATE / "html").glob("*.html.gz"))
    if not pages:
        pytest.skip(f"shared boilerplate pages not found under {BOILERPLATE}")
    page = pages[0]
    return page.name.removesuffix(".html.gz"), gzip.decompress(page.read_bytes())
