"""The container tier's REPORT figures (scripts/container/report.py and lambda-runc), without containers.

SAM prints the emulator's REPORT line only if its log stream delivers it within a second of the
function's response; on a loaded machine it sometimes does not, and the figures must then come
from the container's own log, which lambda-runc reads when podman removes the container.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.machinery import SourceFileLoader
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTAINER = ROOT / "scripts" / "container"
SAM_REPORT = (
    "END RequestId: 5f1c\nREPORT RequestId: 5f1c\tInit Duration: 0.31 ms\tDuration: 7644.55 ms\t"
    "Billed Duration: 7645 ms\tMemory Size: 1536 MB\tMax Memory Used: 1536 MB\t\n"
)


def load(name: str, path: Path):
    loader = SourceFileLoader(name, str(path))
    spec = importlib.util.spec_from_loader(name, loader)
    assert spec
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report():
    return load("container_report", CONTAINER / "report.py")


@pytest.fixture(scope="module")
def runc():
    return load("lambda_runc", CONTAINER / "lambda-runc")


PEAK = {"memory_limit_mb": 1536, "cpus": 0.868, "max_memory_used_mb": 688}


def test_figures_come_from_sams_report_line_when_it_has_one(report):
    figures = report.invoke_report("AnalyzeFunction", "START RequestId: 5f1c\n" + SAM_REPORT, [PEAK])
    assert figures["duration_ms"] == 7644.55 and figures["billed_ms"] == 7645 and figures["memory_mb"] == 1536
    assert figures["report_from"] == "sam"
    assert figures["max_memory_used_mb"] == 688  # the container's peak, not the emulator's "Max Memory Used"
    assert "SAM's log stream missed it" not in report.format_report(figures)


def test_figures_come_from_the_container_log_when_sam_missed_the_line(report):
    peak = {**PEAK, "report_line": "2026-12-05T19:00:00.0Z stderr F " + SAM_REPORT.splitlines()[1]}
    figures = report.invoke_report("AnalyzeFunction", "START RequestId: 5f1c\n", [peak])
    assert (figures["duration_ms"], figures["billed_ms"], figures["memory_mb"]) == (7644.55, 7645, 1536)
    assert figures["report_from"] == "container log"
    assert "REPORT from the container log" in report.format_report(figures)


def test_no_report_anywhere_leaves_the_duration_unknown(report):
    figures = report.invoke_report("AnalyzeFunction", "START RequestId: 5f1c\n", [PEAK])
    assert figures["duration_ms"] is None and figures["report_from"] is None
    assert figures["memory_mb"] == 1536  # the container's limit still says what it ran with
    assert "duration ?" in report.format_report(figures)


def test_lambda_runc_reads_the_last_report_line_from_a_k8s_file_log(runc, report, tmp_path):
    log = tmp_path / "ctr.log"
    first = SAM_REPORT.replace("7644.55", "120.00").replace("7645", "121")
    lines = [f"2026-12-05T19:00:0{i}.0Z stderr F {line}" for i, line in enumerate((first + SAM_REPORT).splitlines())]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    peak = {**PEAK, "report_line": runc.last_report_line(str(log))}
    figures = report.invoke_report("AnalyzeFunction", "", [peak])
    assert (figures["duration_ms"], figures["billed_ms"], figures["memory_mb"]) == (7644.55, 7645, 1536)
    assert runc.last_report_line(str(tmp_path / "missing.log")) is None
