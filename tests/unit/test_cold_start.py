"""What keeps the functions' init short: no X-Ray SDK unless tracing is on; the tree cache is safe."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from article_pipeline.cleaning import model

REPO = Path(__file__).resolve().parents[2]


def _ingest_init_modules(env: dict[str, str]) -> set[str]:
    code = (
        "import importlib.util,sys;"
        f"s=importlib.util.spec_from_file_location('app',{str(REPO / 'functions' / 'ingest' / 'app.py')!r});"
        "m=importlib.util.module_from_spec(s);s.loader.exec_module(m);print(' '.join(sys.modules))"
    )
    base = {
        "PATH": "/usr/bin:/bin",
        "TABLE_NAME": "t",
        "BUCKET_NAME": "b",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PYTHONPATH": str(REPO / "layers" / "domain"),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_ingest_init_imports_neither_xray_nor_spacy_when_tracing_is_off():
    modules = _ingest_init_modules({"AWS_LAMBDA_FUNCTION_NAME": "IngestFunction", "TRACING_MODE": "PassThrough"})
    assert "trafilatura" in modules
    assert not {m for m in modules if m.startswith(("aws_xray_sdk", "spacy"))}


def test_tracing_mode_active_builds_the_tracer_in_lambda():
    modules = _ingest_init_modules({"AWS_LAMBDA_FUNCTION_NAME": "IngestFunction", "TRACING_MODE": "Active"})
    assert "aws_xray_sdk.core" in modules


def test_trace_disabled_env_still_wins(monkeypatch):
    from article_pipeline.settings import tracing_enabled

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "IngestFunction")
    monkeypatch.setenv("TRACING_MODE", "Active")
    assert tracing_enabled()
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    assert not tracing_enabled()
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    monkeypatch.delenv("POWERTOOLS_TRACE_DISABLED")
    assert not tracing_enabled()


TREES = [([0, -1, -1], [0.5, 0.0, 0.0], [1, -1, -1], [2, -1, -1], [0.0, -1.0, 2.0])]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "DATA_DIR", tmp_path)
    return tmp_path / model.COMPILED_DIR


def test_compiled_trees_are_cached_and_give_the_same_scores(cache_dir):
    first = model._compile_trees(TREES, "unit-trees")
    assert [first([0.1]), first([0.9])] == [-1.0, 2.0]
    assert len(list(cache_dir.glob("unit-trees.*.marshal"))) == 1
    again = model._compile_trees(TREES, "unit-trees")
    assert [again([0.1]), again([0.9])] == [-1.0, 2.0]


def test_a_corrupt_cache_file_is_ignored_and_replaced(cache_dir):
    cache_dir.mkdir()
    path = cache_dir / f"unit-trees.{sys.implementation.cache_tag}.marshal"
    path.write_bytes(b"\x00not marshal data")
    score = model._compile_trees(TREES, "unit-trees")
    assert score([0.9]) == 2.0
    assert path.read_bytes() != b"\x00not marshal data"


def test_a_read_only_install_still_compiles(cache_dir, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert model._compile_trees(TREES, "unit-trees")([0.1]) == -1.0
    assert not cache_dir.exists()


def test_the_cache_key_follows_the_weights():
    model.load_model.cache_clear()
    try:
        html = model.load_model("html")
        assert html.stage1 is not None
    finally:
        model.load_model.cache_clear()
    digest = hashlib.sha256((model.DATA_DIR / "boilerplate_html.json").read_bytes()).hexdigest()[:16]
    tag = sys.implementation.cache_tag
    assert (model.DATA_DIR / model.COMPILED_DIR / f"boilerplate_html-{digest}-1.{tag}.marshal").is_file()
