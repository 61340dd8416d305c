"""Shared fixtures: paths to the repository, its events, the read-only shared corpus and the loaded pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
EVENTS = REPO_ROOT / "events"
SHARED = REPO_ROOT.parent / "shared"
SAMPLES = REPO_ROOT / "samples"
SAMPLE_ARTICLE = SAMPLES / "budapest-summit.txt"
SAMPLE_PAGE = SAMPLES / "harbour-strike.html"


def load_event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_article() -> bytes:
    return SAMPLE_ARTICLE.read_bytes()


@pytest.fixture(scope="session")
def boilerplate_page() -> tuple[str, bytes]:
    """A news page with its menus, share buttons, related links and comments (id, HTML bytes)."""
    return SAMPLE_PAGE.stem, SAMPLE_PAGE.read_bytes()


@pytest.fixture(scope="session")
def nlp():
    """The analysis pipeline as the analyze function loads it (skipped without spaCy or its model)."""
    pytest.importorskip("spacy")
    from article_pipeline.nlp import load_pipeline

    try:
        return load_pipeline()
    except OSError:
        pytest.skip("no spaCy English model installed")
