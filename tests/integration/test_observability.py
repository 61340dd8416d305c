"""What a record leaves behind for the on-call engineer: metrics per stage and correlated log lines."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import upload

pytestmark = pytest.mark.integration


def _json_lines(output: str) -> list[dict[str, Any]]:
    lines = []
    for line in output.splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def _metrics(lines: list[dict[str, Any]], service: str) -> dict[str, list[float]]:
    """Every EMF metric value a service flushed, by metric name."""
    found: dict[str, list[float]] = {}
    for line in lines:
        if "_aws" not in line or line.get("service") != service:
            continue
        for directive in line["_aws"]["CloudWatchMetrics"]:
            assert directive["Namespace"] == "ArticlePipeline"
            assert ["service"] in directive["Dimensions"] or ["function_name", "service"] in directive["Dimensions"]
            for metric in directive["Metrics"]:
                value = line[metric["Name"]]
                found.setdefault(metric["Name"], []).extend(value if isinstance(value, list) else [value])
    return found


def test_each_record_emits_its_stage_metrics_and_logs_with_its_article_id(stack, sample_article, capfd, monkeypatch):
    # Given metrics on (as in Lambda) and an article uploaded
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    capfd.readouterr()
    article = upload(stack, "incoming/observed.txt", sample_article)
    # When both functions process it
    stack.poller().drain()
    lines = _json_lines(capfd.readouterr().err)
    # Then ingest counted one cleaned article with its words and its time, under its own service name
    ingest = _metrics(lines, "article-pipeline-ingest")
    assert ingest["ArticlesCleaned"] == [1.0] and ingest["Words"][0] > 300 and len(ingest["StageSeconds"]) == 1
    # and analysis one DONE article with its entities and claims
    analyze = _metrics(lines, "article-pipeline-analyze")
    assert analyze["ArticlesDone"] == [1.0] and analyze["Entities"][0] > 5 and analyze["Claims"][0] > 3
    # and every log line about the record carries the article id as its correlation id
    record_lines = [line for line in lines if "_aws" not in line and line.get("key")]
    assert record_lines and all(line.get("correlation_id") == article for line in record_lines)
    assert {line.get("service") for line in record_lines} == {"article-pipeline-ingest", "article-pipeline-analyze"}


def test_a_failed_record_is_counted_and_logged_with_its_traceback(stack, sample_article, capfd, monkeypatch):
    # Given the analyze function's read of clean text failing with a storage error, once
    from botocore.exceptions import ClientError

    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    client = stack.function_store("AnalyzeFunction").s3
    failed: list[str] = []

    def fail_once(params: dict[str, Any], **_: Any) -> None:
        if params.get("Key", "").startswith("clean/") and not failed:
            failed.append(params["Key"])
            raise ClientError({"Error": {"Code": "InternalError", "Message": "injected"}}, "GetObject")

    client.meta.events.register("before-parameter-build.s3.GetObject", fail_once)
    capfd.readouterr()
    upload(stack, "incoming/fails-once.txt", sample_article)
    stack.poller().drain()
    lines = _json_lines(capfd.readouterr().err)
    # Then the failure is a metric of the analysis stage and a WARNING with the traceback
    assert _metrics(lines, "article-pipeline-analyze")["RecordFailures"] == [1.0]
    warnings = [line for line in lines if line.get("level") == "WARNING" and "exception" in line]
    assert any("InternalError" in line["exception"] for line in warnings)
