"""The functions exactly as `sam build` packaged them, under the Lambda Runtime Interface Emulator.

Why: the other integration tests import the handlers from the source tree, so they cannot notice a
module missing from a layer, a wrong handler string, a layer built for the wrong platform or a
model that does not load from the trimmed NLP layer. Here the built IngestFunction and
AnalyzeFunction run in their own python3.12 process with only .aws-sam/build on the path (see
scripts/rie_invoke.py), talking to a moto server that holds template.yaml's bucket, queues and
table. The events are the S3 notifications moto itself delivered to the queues, wrapped as SQS
records exactly as the event source mapping would.

Needs `make build` first; skipped (with the reason) when .aws-sam/build is missing.
"""

from __future__ import annotations

import json
import socket
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from article_pipeline import ids
from article_pipeline_tools.local.infra import StackNames, create_stack_resources
from tests.unit.test_doc import STATEMENT
from tests.unit.test_pdf import RELEASE, _pdf
from tests.unit.test_rtf import WORD_RTF

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = REPO_ROOT / ".aws-sam" / "build"
REGION = "us-east-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import rie_invoke  # noqa: E402 - a script, not a package

pytestmark = [pytest.mark.built, pytest.mark.integration, pytest.mark.slow]


def _skip_reason() -> str | None:
    if not (BUILD_DIR / "template.yaml").is_file():
        return f"{BUILD_DIR} not found: run `make build` first (sam build, no Docker needed)"
    if sys.version_info[:2] != (3, 12):
        return f"the built functions need python3.12; this is {sys.version.split()[0]}"
    try:
        rie_invoke.find_rie()
    except SystemExit as exc:
        return str(exc)
    return None


@pytest.fixture(scope="module", autouse=True)
def _require_build() -> None:
    reason = _skip_reason()
    if reason:
        print(f"\nSKIP built-artifact tests: {reason}", file=sys.stderr)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint(_require_build: None) -> Iterator[str]:
    """A moto server over HTTP: the emulated functions run in another process and reach it there."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def session() -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=CREDENTIALS["AWS_SESSION_TOKEN"],
        region_name=REGION,
    )


@pytest.fixture(scope="module")
def names(session: boto3.Session, moto_endpoint: str) -> StackNames:
    stack_name = f"built{uuid.uuid4().hex[:6]}"
    return create_stack_resources(session, stack_name=stack_name, region=REGION, endpoint_url=moto_endpoint)


@pytest.fixture(scope="module")
def function_env(names: StackNames, moto_endpoint: str) -> dict[str, str]:
    return {**names.env(moto_endpoint), **CREDENTIALS, "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION}


def _client(session: boto3.Session, endpoint: str, service: str) -> Any:
    return session.client(service, endpoint_url=endpoint)


def queued_event(sqs: Any, queue_url: str, expected: int) -> dict[str, Any]:
    """Receive the S3 notifications moto queued (minus its s3:TestEvent) as one SQS batch event."""
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    records: list[dict[str, Any]] = []
    for _ in range(20):
        response = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["All"]
        )
        for message in response.get("Messages", []):
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            if json.loads(message["Body"]).get("Event") == "s3:TestEvent":
                continue
            records.append(
                {
                    "messageId": message["MessageId"],
                    "receiptHandle": message["ReceiptHandle"],
                    "body": message["Body"],
                    "attributes": {"ApproximateReceiveCount": "1", **message.get("Attributes", {})},
                    "messageAttributes": {},
                    "md5OfBody": message.get("MD5OfBody", ""),
                    "eventSource": "aws:sqs",
                    "eventSourceARN": arn,
                    "awsRegion": REGION,
                }
            )
        if len(records) >= expected:
            break
    assert len(records) == expected, f"{queue_url}: expected {expected} S3 notifications, got {len(records)}"
    return {"Records": records}


def invoke_ok(url: str, event: dict[str, Any], function: str) -> Any:
    """Invoke; fail with the function's last log lines if it raised or reported a failed record."""
    response = rie_invoke.invoke(url, event)
    if not isinstance(response, dict) or "errorType" in response or response.get("batchItemFailures"):
        tail = "\n".join(rie_invoke.logs(url)[-60:])
        pytest.fail(f"{function} returned {response}\n--- its last log lines:\n{tail}")
    return response


def _print_timings(function: str, url: str) -> None:
    for number, report in enumerate(rie_invoke.reports(url), 1):
        kind = "cold" if number == 1 else "warm"
        print(
            f"\n{function} invoke {number} ({kind}): init {report.init_ms} ms, "
            f"handler {report.duration_ms} ms, wall {report.wall_ms and round(report.wall_ms)} ms",
            file=sys.stderr,
        )


def test_built_ingest_then_analyze_write_the_article_items(
    session: boto3.Session,
    moto_endpoint: str,
    names: StackNames,
    function_env: dict[str, str],
    sample_article: bytes,
    boilerplate_page: tuple[str, bytes],
) -> None:
    s3 = _client(session, moto_endpoint, "s3")
    sqs = _client(session, moto_endpoint, "sqs")
    table = session.resource("dynamodb", endpoint_url=moto_endpoint).Table(names.table)
    # Given a plain-text article (under a key with a space), an HTML page, a PDF, an RTF and a .doc under incoming/
    page_id, html = boilerplate_page
    text_key = "incoming/built test/budapest summit.txt"
    html_key = f"incoming/built test/{page_id}.html"
    pdf_key = "incoming/built test/release.pdf"
    rtf_key = "incoming/built test/strike.rtf"
    doc_key = "incoming/built test/statement.doc"
    s3.put_object(Bucket=names.bucket, Key=text_key, Body=sample_article, ContentType="text/plain")
    s3.put_object(Bucket=names.bucket, Key=html_key, Body=html, ContentType="text/html")
    s3.put_object(Bucket=names.bucket, Key=pdf_key, Body=_pdf(RELEASE), ContentType="application/pdf")
    s3.put_object(Bucket=names.bucket, Key=rtf_key, Body=WORD_RTF.encode(), ContentType="application/rtf")
    s3.put_object(Bucket=names.bucket, Key=doc_key, Body=STATEMENT.read_bytes(), ContentType="application/msword")
    text_id, html_id = ids.article_id(names.bucket, text_key), ids.article_id(names.bucket, html_key)
    pdf_id, rtf_id = ids.article_id(names.bucket, pdf_key), ids.article_id(names.bucket, rtf_key)
    doc_id = ids.article_id(names.bucket, doc_key)

    # When the built IngestFunction handles the notifications moto delivered to the ingest queue
    ingest_event = queued_event(sqs, names.ingest_queue_url, expected=5)
    with rie_invoke.running_function("IngestFunction", function_env, build_dir=BUILD_DIR) as url:
        response = invoke_ok(url, ingest_event, "IngestFunction")
        _print_timings("IngestFunction", url)
    # Then no record failed, and the text article is CLEANED with its clean text in S3 under clean/
    assert response == {"batchItemFailures": []}

    def meta(article: str) -> dict[str, Any]:
        item = table.get_item(Key={"PK": f"ARTICLE#{article}", "SK": "META"}).get("Item")
        assert item is not None, f"no article item for {article}"
        return item

    assert meta(text_id)["status"] == "CLEANED", meta(text_id).get("error")
    s3.head_object(Bucket=names.bucket, Key=meta(text_id)["clean_text"].split("/", 3)[3])
    html_cleaned = meta(html_id)["status"] == "CLEANED"  # asserted last, so the analyze path still runs
    # (and the PDF was read by pypdf, the RTF by striprtf and the .doc by olefile, which ExtractLayer carries)
    assert meta(pdf_id)["status"] == "CLEANED", meta(pdf_id).get("error")
    assert meta(rtf_id)["status"] == "CLEANED", meta(rtf_id).get("error")
    assert meta(rtf_id)["title"] == "Port strike ends after nine days"
    assert meta(doc_id)["status"] == "CLEANED", meta(doc_id).get("error")
    assert meta(doc_id)["title"] == "Łódź port statement"

    # When the built AnalyzeFunction handles the clean/ notifications, twice (cold, then warm)
    analyze_event = queued_event(sqs, names.analyze_queue_url, expected=4 + html_cleaned)
    with rie_invoke.running_function("AnalyzeFunction", function_env, build_dir=BUILD_DIR) as url:
        first = invoke_ok(url, analyze_event, "AnalyzeFunction")
        second = invoke_ok(url, analyze_event, "AnalyzeFunction")
        _print_timings("AnalyzeFunction", url)
    # Then both invocations succeed and re-processing is harmless
    assert first == {"batchItemFailures": []}
    assert second == {"batchItemFailures": []}
    # And the text article is DONE with its entities found by the spaCy model of the NLP layer
    assert meta(text_id)["status"] == "DONE", meta(text_id).get("error")
    index = meta(text_id)["index"]
    entries = [table.get_item(Key={"PK": f"NAME#{name}", "SK": index["sk"]})["Item"] for name in index["names"]]
    entities = {item["name"] for item in entries if item.get("label")}
    assert "Donald Trump" in entities
    assert any(item.get("claims") for item in entries)
    # And the HTML page went through trafilatura (ExtractLayer) and the model files the layer ships
    assert html_cleaned, meta(html_id).get("error")
    assert meta(html_id)["status"] in {"DONE", "SKIPPED"}, meta(html_id).get("error")


def test_the_emulator_moves_to_another_port_when_its_port_is_taken(
    monkeypatch: pytest.MonkeyPatch, function_env: dict[str, str]
) -> None:
    """On a shared machine another process can take the free port before the emulator binds it."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        offered = iter([port])
        real_free_port = rie_invoke._free_port
        monkeypatch.setattr(rie_invoke, "_free_port", lambda: next(offered, None) or real_free_port())
        with rie_invoke.running_function("IngestFunction", function_env, build_dir=BUILD_DIR) as url:
            assert f":{port}/" not in url


def test_the_domain_layer_ships_the_compiled_trees_for_its_weights() -> None:
    """Lambda's /opt is read-only: without the shipped cache every cold start compiles the trees."""
    import hashlib

    data = BUILD_DIR / "DomainLayer" / "python" / "article_pipeline" / "data"
    for name, stages in (("html", (1, 2)), ("text", (1,))):
        digest = hashlib.sha256((data / f"boilerplate_{name}.json").read_bytes()).hexdigest()[:16]
        for stage in stages:
            assert (data / "compiled_trees" / f"boilerplate_{name}-{digest}-{stage}.cpython-312.marshal").is_file()


def test_the_domain_layer_ships_no_tooling_and_each_module_imports_with_the_layer_alone(tmp_path: Path) -> None:
    """Lambda ships only what Lambda runs: no CLI, report, queries or local stack, and nothing that
    needs a package the layer does not carry (the runtime gives boto3; spaCy and trafilatura are
    imported where they are used, so every module loads with DomainLayer alone)."""
    import subprocess

    python_dir = BUILD_DIR / "DomainLayer" / "python"
    package = python_dir / "article_pipeline"
    # Given the built layer
    assert not (python_dir / "article_pipeline_tools").exists()
    assert not [name for name in ("cli.py", "report.py", "queries.py", "local") if (package / name).exists()]
    assert not list(python_dir.glob("moto*")) and not list(python_dir.glob("typer*"))
    modules = sorted(
        ".".join(path.relative_to(python_dir).with_suffix("").parts).removesuffix(".__init__")
        for path in package.rglob("*.py")
    )
    # When each of its modules is imported in a bare python3.12 that sees only the layer and Lambda's runtime
    runtime = rie_invoke.make_runtime_dir(tmp_path / "runtime")
    script = (
        "import importlib, json, sys\n"
        "failed = {}\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed[name] = f'{type(exc).__name__}: {exc}'\n"
        "print(json.dumps(failed))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-S", "-c", script, *modules],
        env={"PYTHONPATH": f"{python_dir}:{runtime}", "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    # Then every one of them imports
    assert len(modules) > 20
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {}
