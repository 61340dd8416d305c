"""make tune's arithmetic and template copies (scripts/container/tune.py), without containers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tune():
    spec = importlib.util.spec_from_file_location("tune", ROOT / "scripts" / "container" / "tune.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["tune"] = module
    spec.loader.exec_module(module)
    return module


def test_cost_per_1000_articles_is_billed_gb_seconds_plus_one_request_per_batch(tune):
    setting = tune.Setting("AnalyzeFunction", 1024, batch=5, billed_ms=2000, articles=10, invokes=2)
    # 0.2 s an article at 1 GB, and 200 requests per 1,000 articles
    expected = 1000 * 0.2 * 0.0000166667 + 200 * 0.20 / 1e6
    assert setting.cost_per_1000() == pytest.approx(expected)
    assert tune.Setting("IngestFunction", 512, batch=10).cost_per_1000() is None


def test_row_medians_and_cpu_share(tune):
    setting = tune.Setting("IngestFunction", 1769, batch=10, per_article_ms=[30.0, 10.0, 20.0, 40.0])
    row = setting.row()
    assert row["vcpu"] == 1.0
    assert row["median_ms_per_article"] == 25.0
    assert row["p90_ms_per_article"] == 40.0
    assert "| IngestFunction | 1,769 | 1.00 | 10 |" in tune.table([setting])


def test_report_line_of_the_emulator(tune):
    line = "REPORT RequestId: abc\tDuration: 490.53 ms\tBilled Duration: 491 ms\tMemory Size: 512 MB"
    match = tune.REPORT.search(line)
    assert match and (match.group(2), match.group(3)) == ("490.53", "491")


def test_template_copy_changes_only_that_function_s_memory(tune, tmp_path, monkeypatch):
    built = (ROOT / "template.yaml").read_text(encoding="utf-8")
    (tmp_path / "template.yaml").write_text(built, encoding="utf-8")
    monkeypatch.setattr(tune, "BUILD", tmp_path)
    copy = tune.template_with_memory("AnalyzeFunction", 3008).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(built.splitlines(), copy.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].strip() == "MemorySize: 3008"
    with pytest.raises(ValueError):
        tune.template_with_memory("NoSuchFunction", 512)
