#!/usr/bin/env python3
"""A local power-tuning table: the built functions at several memory sizes, in containers.

Run by `make tune` through tune.sh (which makes the images, moto and the podman API service). For
each setting (function, memory size, batch size) it starts `sam local start-lambda` on a copy of the
built template with that MemorySize, so the container gets that memory limit and, through
lambda-runc, Lambda's CPU share for it (one vCPU at 1,769 MB, in proportion below and above). Then:

  1. one warm-up invoke of a single record: the cold start. The local emulator starts the runtime
     on the first invoke and reports no real Init Duration, so the cold figure is that first
     invoke's duration (imports, model load and one article);
  2. the articles as SQS batches of the setting's batch size, warm: duration per article (invoke
     duration / records) as median and p90 over the invokes, billed milliseconds;
  3. start-lambda stops, the container goes, and lambda-runc's record gives its peak memory
     (the cgroup high-water mark over the cold and warm invokes: "max memory used").

Cost per 1,000 articles = warm billed GB-seconds per article x 1,000 x the x86 list price, plus one
request per batch. Every Ingest setting gets its own uploads (so none is a duplicate the function
skips); every Analyze setting analyses the same clean texts, which the first Ingest setting wrote.
The articles are the repo's samples/ (ARTICLES), repeated --rounds times, plus --polnear N PolNeAR
articles from ../shared when present (benchmarks may read it; nothing else needs it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "container"))
sys.path.insert(0, str(ROOT / "layers" / "domain"))
sys.path.insert(0, str(ROOT / "tools"))

import moto_stack  # noqa: E402

BUILD = ROOT / ".aws-sam" / "build"
WORK = ROOT / ".local" / "tune"
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
LAMBDA_GB_SECOND = 0.0000166667  # x86, us-east-1 list price
LAMBDA_REQUEST = 0.20 / 1e6
MB_PER_VCPU = 1769
REPORT = re.compile(
    r"REPORT RequestId: \S+\s+(?:Init Duration: ([\d.]+) ms\s+)?Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms"
)


@dataclass
class Setting:
    function: str
    memory_mb: int
    batch: int
    first_ms: float | None = None
    per_article_ms: list[float] = field(default_factory=list)
    billed_ms: int = 0
    articles: int = 0
    invokes: int = 0
    failures: int = 0
    peak_mb: int | None = None

    @property
    def cpus(self) -> float:
        return round(self.memory_mb / MB_PER_VCPU, 3)

    def cost_per_1000(self) -> float | None:
        if not self.articles:
            return None
        gb_s = self.billed_ms / 1000 / self.articles * self.memory_mb / 1024
        return 1000 * (gb_s * LAMBDA_GB_SECOND + LAMBDA_REQUEST / self.batch)

    def row(self) -> dict[str, Any]:
        ms = sorted(self.per_article_ms)
        return {
            "function": self.function,
            "memory_mb": self.memory_mb,
            "vcpu": self.cpus,
            "batch": self.batch,
            "articles": self.articles,
            "invokes": self.invokes,
            "failures": self.failures,
            "first_invoke_ms": self.first_ms,
            "median_ms_per_article": statistics.median(ms) if ms else None,
            "p90_ms_per_article": ms[min(len(ms) - 1, int(0.9 * len(ms)))] if ms else None,
            "max_memory_used_mb": self.peak_mb,
            "usd_per_1000_articles": self.cost_per_1000(),
        }


def articles(rounds: int, polnear: int) -> list[tuple[str, bytes]]:
    """(file name, body) of every upload: the samples ``rounds`` times, then PolNeAR articles."""
    samples = Path(os.environ.get("ARTICLES", ROOT / "samples"))
    found = [(p.name, p.read_bytes()) for p in sorted(samples.iterdir()) if p.is_file()]
    picked = [(f"r{r}-{name}", body) for r in range(rounds) for name, body in found]
    corpus = SHARED / "corpus" / "quotes" / "polnear-train.jsonl"
    if polnear and corpus.is_file():
        with open(corpus, encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if number >= polnear:
                    break
                picked.append((f"polnear-{number}.txt", json.loads(line)["text"].encode()))
    elif polnear:
        print(f"[tune] no {corpus}: PolNeAR articles left out", flush=True)
    return picked


def sqs_records(sqs: Any, queue_url: str, prefix: str, count: int, timeout: float = 60.0) -> list[dict[str, Any]]:
    """``count`` SQS messages whose S3 notification names a key under ``prefix``, as Lambda SQS records."""
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    records: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(records) < count and time.monotonic() < deadline:
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in response.get("Messages", []):
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            body = json.loads(message["Body"])
            keys = [urllib.parse.unquote_plus(r["s3"]["object"]["key"]) for r in body.get("Records", []) if "s3" in r]
            if any(k.startswith(prefix) for k in keys):  # skips moto's s3:TestEvent
                records.append(
                    {
                        "messageId": message["MessageId"],
                        "receiptHandle": message["ReceiptHandle"],
                        "body": message["Body"],
                        "attributes": {},
                        "messageAttributes": {},
                        "md5OfBody": message["MD5OfBody"],
                        "eventSource": "aws:sqs",
                        "eventSourceARN": arn,
                        "awsRegion": moto_stack.REGION,
                    }
                )
    if len(records) < count:
        raise TimeoutError(f"{len(records)} of {count} notifications for {prefix}* within {timeout:.0f} s")
    return records


def template_with_memory(function: str, memory_mb: int) -> Path:
    """A copy of the built template (beside it: CodeUri paths stay right) with the function's MemorySize."""
    lines = (BUILD / "template.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    inside, done = False, False
    for i, line in enumerate(lines):
        if re.match(rf"^  {function}:\s*$", line):
            inside = True
        elif inside and re.match(r"^  \S", line):
            break
        elif inside and re.match(r"^\s+MemorySize:", line):
            lines[i] = re.sub(r"MemorySize:.*", f"MemorySize: {memory_mb}", line)
            done = True
            break
    if not done:
        raise ValueError(f"no MemorySize for {function} in {BUILD / 'template.yaml'}")
    path = BUILD / f"tune-{function}-{memory_mb}.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def engine() -> str:
    return os.environ.get("ENGINE", "podman")


def function_containers() -> list[str]:
    """Ids of the containers on our network other than moto's (SAM's function containers)."""
    network = os.environ.get("CT_NETWORK", "article-pipeline")
    listed = subprocess.run(
        [engine(), "ps", "-aq", "--no-trunc", "--filter", f"network={network}"],
        check=False,
        capture_output=True,
        text=True,
    ).stdout.split()
    moto = os.environ.get("CT_MOTO_NAME", "article-pipeline-moto")
    ids = subprocess.run(
        [engine(), "inspect", "--format", "{{.Id}}", moto], check=False, capture_output=True, text=True
    ).stdout.split()
    return [c for c in listed if c not in ids]


def peak_records(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


class StartLambda:
    """`sam local start-lambda` on one template, warm containers kept between invokes."""

    def __init__(self, template: Path, log: Path, role: dict[str, str]) -> None:
        self.port = free_port()
        self.log_path = log
        self.containers_before = set(function_containers())
        # The function signs as its role (SAM passes its own credentials into the containers).
        env = {k: v for k, v in os.environ.items() if k not in {"AWS_PROFILE", "AWS_SESSION_TOKEN"}}
        env.update(role, SAM_CLI_TELEMETRY="0", AWS_REGION=moto_stack.REGION)
        env["PATH"] = f"{os.environ.get('PY312_BIN', '')}:{env['PATH']}"
        command = [
            os.environ.get("SAM", str(ROOT / ".venv-sam" / "bin" / "sam")),
            "local",
            "start-lambda",
            "-t",
            str(template),
            "--port",
            str(self.port),
            "--warm-containers",
            "LAZY",
            "--env-vars",
            str(ROOT / "env.json"),
            "--docker-network",
            os.environ.get("CT_NETWORK", "article-pipeline"),
            "--skip-pull-image",
        ]
        self.log = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"start-lambda exited {self.proc.returncode}; see {log}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"start-lambda did not listen on {self.port}; see {log}")
        import boto3
        from botocore.config import Config

        self.client = boto3.client(
            "lambda",
            endpoint_url=f"http://127.0.0.1:{self.port}",
            region_name=moto_stack.REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(read_timeout=600, connect_timeout=10, retries={"max_attempts": 0}),
        )

    def reports(self) -> list[tuple[float | None, float, int]]:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return [
            (float(m.group(1)) if m.group(1) else None, float(m.group(2)), int(m.group(3)))
            for m in REPORT.finditer(text)
        ]

    def invoke(self, function: str, records: list[dict[str, Any]]) -> tuple[Any, tuple[Any, float, int] | None]:
        """The function's response and its REPORT figures (None: the emulator printed none, a failed invoke)."""
        before = len(self.reports())
        response = self.client.invoke(FunctionName=function, Payload=json.dumps({"Records": records}).encode())
        payload = json.loads(response["Payload"].read() or b"null")
        for _ in range(40):  # the REPORT line reaches the log just after the response
            found = self.reports()
            if len(found) > before:
                return payload, found[before]
            time.sleep(0.25)
        print(f"[tune] no REPORT line for an invoke of {function} ({json.dumps(payload)[:300]}); see {self.log_path}")
        return payload, None

    def stop(self) -> None:
        """Stop SAM; its warm container goes too (removed here when SAM left it behind)."""
        for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.log.close()
        left = set(function_containers()) - self.containers_before
        if left:  # removing it is what makes lambda-runc log its peak memory
            subprocess.run([engine(), "rm", "-f", *sorted(left)], check=False, capture_output=True)


def run_setting(setting: Setting, warmup: list[dict[str, Any]], records: list[dict[str, Any]], endpoint: str) -> None:
    peaks_log = Path(os.environ.get("CT_LIMITS_LOG", "/var/tmp/article-pipeline-container/limits/peaks.jsonl"))
    peaks_before = len(peak_records(peaks_log))
    tag = f"{setting.function}-{setting.memory_mb}-b{setting.batch}"
    print(f"[tune] {tag}: {len(records)} articles", flush=True)
    role = moto_stack.role_environment(endpoint, setting.function)
    server = StartLambda(template_with_memory(setting.function, setting.memory_mb), WORK / f"{tag}.log", role)
    try:
        _, report = server.invoke(setting.function, warmup)
        setting.first_ms = report[1] if report else None
        for start in range(0, len(records), setting.batch):
            batch = records[start : start + setting.batch]
            payload, report = server.invoke(setting.function, batch)
            failed = payload.get("batchItemFailures") if isinstance(payload, dict) else None
            if report is None or failed is None:
                setting.failures += len(batch)
                continue
            setting.failures += len(failed)
            setting.per_article_ms.append(report[1] / len(batch))
            setting.billed_ms += report[2]
            setting.articles += len(batch)
            setting.invokes += 1
    finally:
        server.stop()
    for _ in range(40):  # lambda-runc logs the container's peak when podman removes it
        new = [p for p in peak_records(peaks_log)[peaks_before:] if p.get("memory_limit_mb") == setting.memory_mb]
        if new:
            setting.peak_mb = max(p.get("max_memory_used_mb") or 0 for p in new) or None
            break
        time.sleep(0.25)
    print(f"[tune] {json.dumps(setting.row())}", flush=True)


def table(settings: list[Setting]) -> str:
    def cell(value: Any, digits: int = 0) -> str:
        return "?" if value is None else f"{value:,.{digits}f}"

    head = ["function", "memory MB", "vCPU", "batch", "articles", "cold invoke ms", "ms/article median", "p90"]
    head += ["max memory used MB", "$ per 1,000 articles"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "--:|" * (len(head) - 1)]
    for setting in settings:
        row = setting.row()
        failed = f" ({row['failures']} failed)" if row["failures"] else ""
        cells = [row["function"], f"{row['memory_mb']:,}", f"{row['vcpu']:.2f}", str(row["batch"])]
        cells += [f"{row['articles']}{failed}", cell(row["first_invoke_ms"]), cell(row["median_ms_per_article"])]
        cells += [cell(row["p90_ms_per_article"]), cell(row["max_memory_used_mb"])]
        cells += [cell(row["usd_per_1000_articles"], 4)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def sizes(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True, help="moto on the host (start-moto.sh prints it)")
    parser.add_argument("--ingest-memory", type=sizes, default=sizes("512,768,1024,1769"))
    parser.add_argument("--analyze-memory", type=sizes, default=sizes("1024,1536,1769,2048,3008"))
    parser.add_argument("--ingest-batch", type=int, default=10, help="the template's BatchSize by default")
    parser.add_argument("--analyze-batch", type=int, default=5)
    parser.add_argument("--analyze-batches", type=sizes, default=sizes("1,10"), help="more batch sizes, at 1,769 MB")
    parser.add_argument("--rounds", type=int, default=10, help="times the samples are uploaded per setting")
    parser.add_argument("--polnear", type=int, default=0, help="PolNeAR articles added (when ../shared has them)")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = time.monotonic()
    moto_stack.reset(args.endpoint)
    names = moto_stack.setup(args.endpoint)
    session = moto_stack.session(args.endpoint)
    s3 = session.client("s3", endpoint_url=args.endpoint)
    sqs = session.client("sqs", endpoint_url=args.endpoint)
    uploads = articles(args.rounds, args.polnear)
    print(f"[tune] {len(uploads)} articles, {sum(len(b.split()) for _, b in uploads):,} words", flush=True)

    def upload(prefix: str, items: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
        for name, body in items:
            s3.put_object(Bucket=names.bucket, Key=f"{prefix}{name}", Body=body)
        return sqs_records(sqs, names.ingest_queue_url, prefix, len(items))

    results: list[Setting] = []
    clean: list[dict[str, Any]] = []
    ingest_sizes = args.ingest_memory or [1024]  # Analyze needs clean texts: one Ingest run at least
    for memory in ingest_sizes:
        setting = Setting("IngestFunction", memory, args.ingest_batch)
        warmup = upload(f"incoming/tune/i{memory}w/", uploads[:1])
        records = upload(f"incoming/tune/i{memory}/", uploads)
        run_setting(setting, warmup, records, args.endpoint)
        if not clean:
            clean = sqs_records(sqs, names.analyze_queue_url, "clean/", len(uploads) + 1)
        if args.ingest_memory:
            results.append(setting)
    analyze = [(m, args.analyze_batch) for m in args.analyze_memory]
    analyze += [(MB_PER_VCPU, b) for b in args.analyze_batches if (MB_PER_VCPU, b) not in analyze]
    for memory, batch in analyze:
        setting = Setting("AnalyzeFunction", memory, batch)
        run_setting(setting, clean[:1], clean[1:], args.endpoint)
        results.append(setting)

    load_after = os.getloadavg()
    print()
    print(table(results))
    print(
        f"\n{len(uploads)} articles per setting; warm figures (the warm-up invoke's cold start apart); "
        f"machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"{time.monotonic() - started:.0f} s"
    )
    (WORK / "results.json").write_text(
        json.dumps({"rows": [s.row() for s in results], "load": [load_before, load_after]}, indent=1), encoding="utf-8"
    )
    return 1 if any(s.failures for s in results) else 0


if __name__ == "__main__":
    sys.exit(main())
