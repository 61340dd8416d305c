"""A small run of the fault-injection soak (`make soak` runs the full one)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _soak():
    spec = importlib.util.spec_from_file_location("soak", REPO_ROOT / "scripts" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak"] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


def test_every_object_ends_in_one_terminal_state_with_faults_injected(monkeypatch):
    soak = _soak()
    # Faults are injected by patching the store class; undo that after the test.
    from article_pipeline.storage import ArticleStore

    monkeypatch.setattr(ArticleStore, "read_object", ArticleStore.read_object)
    monkeypatch.setattr(ArticleStore, "put_article", ArticleStore.put_article)
    report = soak.run(uploads=60, seed=3, quiet=True)
    assert report["problems"] == []
    assert sum(report["faults injected"].values()) > 0
