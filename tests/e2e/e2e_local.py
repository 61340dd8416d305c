#!/usr/bin/env python3
"""End to end in containers: upload -> IngestFunction -> AnalyzeFunction -> DynamoDB, via `sam local invoke`.

Run by `make e2e-local` (after `make build`). Steps, each timed:
  1. base image (scripts/container/build-lambda-image.sh, a no-op when up to date), moto container;
  2. reset moto, create the stack's resources from template.yaml, upload a sample article to incoming/;
  3. take the message moto delivered to the ingest queue and `sam local invoke IngestFunction` with it
     as an SQS batch event, in a container on the moto network;
  4. same with the clean/ notification moto delivered to the analyze queue, for AnalyzeFunction;
  5. assert the DynamoDB items: META status DONE, NAME# index entries with entities and claims;
  6. IAM: moto enforced it (moto_server.py), each function signed as its own role, no call was
     denied, and a call outside a role's policy is refused;
  7. the worst inputs the settings allow, each inside its function's timeout and memory, and
     still no call denied.
Exits non-zero when a check fails. The moto container, the network and the podman service are
removed at the end (CT_KEEP=1 keeps them). The last line reads "e2e-local: N passed, M failed".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CONTAINER = ROOT / "scripts" / "container"
sys.path.insert(0, str(CONTAINER))
sys.path.insert(0, str(ROOT / "layers" / "domain"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import moto_stack  # noqa: E402

ARTICLES = Path(os.environ.get("ARTICLES", ROOT / "samples"))
ARTICLE = os.environ.get("E2E_ARTICLE", "budapest-summit.txt")
KEY = f"incoming/e2e/{ARTICLE}"
WORK = ROOT / ".local" / "e2e"


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, ok: bool, what: str) -> bool:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok


def step(name: str, timings: dict[str, float], start: float) -> None:
    timings[name] = time.monotonic() - start
    print(f"[e2e] {name}: {timings[name]:.1f} s", flush=True)


def receive_object_event(sqs: Any, queue_url: str, prefix: str, timeout: float = 20.0) -> dict[str, Any]:
    """The first SQS message whose S3 notification names a key under ``prefix``, as a Lambda SQS event."""
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=1,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        for message in response.get("Messages", []):
            body = json.loads(message["Body"])
            keys = [urllib.parse.unquote_plus(r["s3"]["object"]["key"]) for r in body.get("Records", []) if "s3" in r]
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            if any(k.startswith(prefix) for k in keys):  # skips moto's s3:TestEvent
                return {
                    "Records": [
                        {
                            "messageId": message["MessageId"],
                            "receiptHandle": message["ReceiptHandle"],
                            "body": message["Body"],
                            "attributes": message.get("Attributes", {}),
                            "messageAttributes": message.get("MessageAttributes", {}),
                            "md5OfBody": message["MD5OfBody"],
                            "eventSource": "aws:sqs",
                            "eventSourceARN": arn,
                            "awsRegion": moto_stack.REGION,
                        }
                    ]
                }
    raise TimeoutError(f"no notification for {prefix}* on {queue_url} within {timeout:.0f} s")


def sam_invoke(function: str, event: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """`sam local invoke` through invoke.sh; returns the function's JSON response and its REPORT figures."""
    WORK.mkdir(parents=True, exist_ok=True)
    event_path = WORK / f"{function}-event.json"
    event_path.write_text(json.dumps(event, indent=1), encoding="utf-8")
    log_path = WORK / f"{function}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.run(
            ["bash", str(CONTAINER / "invoke.sh"), function, str(event_path)],
            cwd=ROOT,
            env={**os.environ, "CT_SEED": "0"},
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            check=False,
        )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    report: dict[str, Any] = {"function": function}
    for line in log_path.read_text(encoding="utf-8").splitlines():
        if line.startswith("[container] REPORT-JSON "):
            report = json.loads(line.split("REPORT-JSON ", 1)[1])
        elif line.startswith(("REPORT", "[container]")):
            print(f"    {line.strip()}")
    if proc.returncode != 0 or not lines:
        print(f"    sam local invoke exited {proc.returncode}; log: {log_path}")
        return None, report
    try:
        return json.loads(lines[-1]), report
    except json.JSONDecodeError:
        print(f"    unexpected output: {lines[-1][:300]}")
        return None, report


def within_limits(report: dict[str, Any], config: Any) -> tuple[bool, str]:
    """Finished inside the function's timeout and memory at its configured size?"""
    duration, peak = report.get("duration_ms"), report.get("max_memory_used_mb")
    problems = []
    if report.get("timed_out") or duration is None or duration >= config.timeout_s * 1000:
        problems.append(f"duration {duration} ms vs timeout {config.timeout_s} s")
    if report.get("oom_killed") or (peak is not None and peak >= config.memory_mb):
        problems.append(f"peak {peak} MB vs {config.memory_mb} MB")
    if report.get("memory_mb") not in (None, config.memory_mb):
        problems.append(f"ran with {report.get('memory_mb')} MB, template says {config.memory_mb} MB")
    return not problems, "; ".join(problems) or "inside limits"


def run(checks: Checks, timings: dict[str, float]) -> None:
    build = ROOT / ".aws-sam" / "build" / "template.yaml"
    if not checks.check(build.is_file(), f"built application in {build.parent} (make build)"):
        return

    start = time.monotonic()
    subprocess.run(["bash", str(CONTAINER / "build-lambda-image.sh")], check=True)
    endpoint = subprocess.run(
        ["bash", str(CONTAINER / "start-moto.sh")], check=True, stdout=subprocess.PIPE, text=True
    ).stdout.strip()
    step("images + moto container", timings, start)

    start = time.monotonic()
    moto_stack.reset(endpoint)
    names = moto_stack.setup(endpoint)
    session = moto_stack.session(endpoint)
    s3 = session.client("s3", endpoint_url=endpoint)
    sqs = session.client("sqs", endpoint_url=endpoint)
    table = session.resource("dynamodb", endpoint_url=endpoint).Table(names.table)
    s3.put_object(Bucket=names.bucket, Key=KEY, Body=(ARTICLES / ARTICLE).read_bytes())
    ingest_event = receive_object_event(sqs, names.ingest_queue_url, "incoming/")
    step("stack + upload", timings, start)
    uploaded = json.loads(ingest_event["Records"][0]["body"])["Records"][0]["s3"]["object"]
    checks.check(
        bool(uploaded.get("versionId") and uploaded.get("sequencer")),
        f"the upload's S3 event carries versionId and sequencer, as AWS's do for a versioned bucket ({uploaded})",
    )

    start = time.monotonic()
    response, _ = sam_invoke("IngestFunction", ingest_event)
    step("IngestFunction invoke", timings, start)
    if not checks.check(
        response is not None and response.get("batchItemFailures") == [],
        f"IngestFunction response {json.dumps(response)[:200]}",
    ):
        return
    clean = s3.list_objects_v2(Bucket=names.bucket, Prefix="clean/").get("KeyCount", 0)
    checks.check(clean >= 1, f"clean/ object written ({clean})")

    start = time.monotonic()
    analyze_event = receive_object_event(sqs, names.analyze_queue_url, "clean/")
    response, _ = sam_invoke("AnalyzeFunction", analyze_event)
    step("AnalyzeFunction invoke", timings, start)
    if not checks.check(
        response is not None and response.get("batchItemFailures") == [],
        f"AnalyzeFunction response {json.dumps(response)[:200]}",
    ):
        return

    items = table.scan(ConsistentRead=True)["Items"]
    metas = [i for i in items if i["SK"] == "META"]
    entries = [i for i in items if str(i["PK"]).startswith("NAME#")]
    checks.check(
        len(metas) == 1 and metas[0].get("status") == "DONE",
        f"one META item with status DONE ({[m.get('status') for m in metas]})",
    )
    checks.check(len([e for e in entries if e.get("label")]) > 0, f"NAME# entries of entities ({len(entries)})")
    checks.check(any(e.get("claims") for e in entries), "NAME# entries with claims")
    iam_enforced(checks, endpoint, names)

    start = time.monotonic()
    worst_cases(checks, names, s3, sqs, table)
    step("worst cases", timings, start)
    denied = moto_stack.iam_state(endpoint)["denied"]
    checks.check(not denied, f"no call denied by IAM during the worst cases ({denied[:3]})")


def iam_enforced(checks: Checks, endpoint: str, names: Any) -> None:
    """The functions ran as their roles under enforced IAM, and a role is held to its policy."""
    from botocore.exceptions import ClientError

    from article_pipeline_tools.local.iam import function_roles

    state = moto_stack.iam_state(endpoint)
    roles = function_roles(names, stack_name=moto_stack.STACK, region=moto_stack.REGION)
    checks.check(state["enforced"], f"IAM enforced by moto ({state['checked']} calls checked)")
    checks.check(not state["denied"], f"no call denied by IAM ({state['denied'][:3]})")
    for function, role in roles.items():
        checks.check(role.role_name in state["principals"], f"{function} signed its calls as {role.role_name}")
    ingest = moto_stack.session(endpoint, "IngestFunction")
    for service, call in (("s3", "list_buckets"), ("dynamodb", "list_tables")):
        try:
            getattr(ingest.client(service, endpoint_url=endpoint), call)()
            status = 200
        except ClientError as err:
            status = err.response["ResponseMetadata"]["HTTPStatusCode"]
        checks.check(status == 403, f"IngestFunction's role refused {service}:{call}, not in its policy ({status})")
    moto_stack.set_iam(endpoint, enforced=True)  # a fresh decision log: those two denials were wanted


def worst_cases(checks: Checks, names: Any, s3: Any, sqs: Any, table: Any) -> None:
    """The largest inputs the settings let in, each through its functions at their configured size."""
    import worst_cases as worst

    from article_pipeline import ids
    from article_pipeline_tools.local.infra import function_configs, function_environment

    configs = function_configs()
    settings = function_environment()
    max_bytes, max_chars = int(settings["MAX_OBJECT_BYTES"]), int(settings["MAX_ANALYSED_CHARS"])
    cases = [
        ("largest HTML (MaxObjectBytes)", "incoming/worst/largest.html", worst.html_page(max_bytes), {"DONE"}),
        ("gzip past the cap", "incoming/worst/inflates.html", worst.gzip_bomb(max_bytes + 6_000_000), {"FAILED"}),
        (
            "longest text (MaxAnalysedChars + 25%)",
            "incoming/worst/longest.txt",
            worst.article_text(max_chars * 5 // 4).encode(),
            {"DONE"},
        ),
        (
            "longest transcript (a claim a sentence)",
            "incoming/worst/transcript.txt",
            worst.transcript_text(max_chars * 5 // 4).encode(),
            {"DONE"},
        ),
        ("longest PDF (250 pages, 200 read)", "incoming/worst/report.pdf", worst.pdf_document(250), {"DONE"}),
    ]
    rows = []
    for label, key, body, expected in cases:
        print(f"[e2e] worst case: {label}, {len(body):,} bytes", flush=True)
        s3.put_object(Bucket=names.bucket, Key=key, Body=body)
        article = ids.article_id(names.bucket, key)
        functions = [("IngestFunction", names.ingest_queue_url, "incoming/")]
        functions.append(("AnalyzeFunction", names.analyze_queue_url, "clean/"))
        for function, queue_url, prefix in functions:
            item = table.get_item(Key={"PK": f"ARTICLE#{article}", "SK": "META"}, ConsistentRead=True).get("Item", {})
            if function == "AnalyzeFunction" and item.get("status") != "CLEANED":
                break  # refused at ingest: nothing to analyse
            response, report = sam_invoke(function, receive_object_event(sqs, queue_url, prefix))
            ok, why = within_limits(report, configs[function])
            checks.check(ok and response is not None, f"{function} on {label}: {why}")
            rows.append((function, label, report))
        item = table.get_item(Key={"PK": f"ARTICLE#{article}", "SK": "META"}, ConsistentRead=True).get("Item", {})
        error = item.get("error") or {}
        checks.check(
            item.get("status") in expected,
            f"{label}: status {item.get('status')} {error.get('code', '')} {error.get('message', '')[:80]}".rstrip(),
        )
    print("[e2e] function         input                                  duration   billed  memory  vCPU  max used")
    for function, label, report in rows:
        print(
            f"[e2e] {function:<16} {label:<38} {report.get('duration_ms') or 0:>8,.0f} "
            f"{report.get('billed_ms') or 0:>8,} {report.get('memory_mb') or 0:>7,} "
            f"{report.get('cpus') or 0:>5} {report.get('max_memory_used_mb') or 0:>9,}"
        )


def main() -> int:
    checks, timings = Checks(), {}
    total = time.monotonic()
    try:
        run(checks, timings)
    except Exception as exc:
        checks.check(False, f"{type(exc).__name__}: {exc}")
    finally:
        if os.environ.get("CT_KEEP") != "1":
            subprocess.run(["bash", str(CONTAINER / "stop.sh")], check=False)
    print(f"[e2e] total: {time.monotonic() - total:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in timings.items())})")
    print(f"e2e-local: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed or not checks.passed else 0


if __name__ == "__main__":
    sys.exit(main())
