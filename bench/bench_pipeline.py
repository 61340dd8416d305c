"""`make bench`: throughput, cold start, memory, cost and size, each against its baseline in one run.

Throughput: our analysis (NER, canonical entities, claims, JSON serialisation) in words per
second versus spaCy's own default full pipeline on the same texts (the faster of ``nlp.pipe``
and one ``nlp(text)`` call per article). Cold start: a fresh interpreter importing each
handler module (all of its init) versus a bare script importing only what it must (boto3 +
spaCy + the model; boto3 + trafilatura). Memory: peak RSS of a fresh process analysing a
10,000-word article. Cost: AWS list prices applied to a measured run of the real handlers on
moto (handler durations scaled by Lambda's CPU share for the template's memory sizes; S3 and
DynamoDB requests and capacity units counted at the boto3 level). Size: the built artifacts
(after make build).

    python bench/bench_pipeline.py [--articles 150] [--cost-articles 40]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# One BLAS thread for every pipeline measured here, as on Lambda (one vCPU up to 1,769 MB): no pipeline
# gains from the second core of the machine the bench runs on. Set before anything loads numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO / "layers" / "domain"))

# AWS list prices, us-east-1 (x86): Lambda, SQS, S3, DynamoDB on-demand.
LAMBDA_GB_SECOND = 0.0000166667
LAMBDA_REQUEST = 0.20 / 1e6
SQS_REQUEST = 0.40 / 1e6
S3_PUT = 0.005 / 1000
S3_GET = 0.0004 / 1000
DYNAMODB_WRITE_UNIT = 0.625 / 1e6
DYNAMODB_READ_UNIT = 0.125 / 1e6
COMPREHEND_PER_1000 = 5.0


def corpus_texts(limit: int) -> list[str]:
    texts = []
    with open(SHARED / "quotes" / "polnear-train.jsonl", encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            if len(texts) >= limit:
                break
    return texts


def _pipe_seconds(nlp: Any, texts: list[str]) -> float:
    """Seconds for spaCy's ``nlp.pipe`` over ``texts``."""
    started = time.perf_counter()
    list(nlp.pipe(texts))
    return time.perf_counter() - started


def _call_seconds(nlp: Any, texts: list[str]) -> float:
    """Seconds for one ``nlp(text)`` call per text."""
    started = time.perf_counter()
    for text in texts:
        nlp(text)
    return time.perf_counter() - started


def throughput(texts: list[str]) -> dict[str, float]:
    import spacy
    from thinc.api import use_ops

    from article_pipeline.analysis import analyze_texts
    from article_pipeline.nlp import load_pipeline, model_name

    words = sum(len(t.split()) for t in texts)
    baseline = spacy.load(model_name())
    # The same default pipeline, its matrices multiplied as ours are (OpenBLAS, not BLIS): how much of
    # the ratio is the matrix backend and how much the rest of our choices.
    with use_ops("numpy", use_blis=False):
        same_backend = spacy.load(model_name())
    ours = load_pipeline()
    for nlp in (baseline, same_backend, ours):  # warm-up: first calls allocate
        nlp(texts[0])
    # The three ways are interleaved chunk by chunk, so a shared machine's changing load falls on
    # all of them alike rather than on whichever ran last.
    pipe_s = call_s = same_pipe_s = same_call_s = ours_s = 0.0
    for start in range(0, len(texts), 10):
        chunk = texts[start : start + 10]
        pipe_s += _pipe_seconds(baseline, chunk)
        call_s += _call_seconds(baseline, chunk)
        same_pipe_s += _pipe_seconds(same_backend, chunk)
        same_call_s += _call_seconds(same_backend, chunk)
        started = time.perf_counter()
        # As the analyze function does with an SQS batch (10 articles): parsed together, then each analysed
        for document in analyze_texts([{"text": text, "language": "en"} for text in chunk], nlp=ours):
            json.dumps(document)
        ours_s += time.perf_counter() - started
    base_s = min(pipe_s, call_s)
    same_s = min(same_pipe_s, same_call_s)
    return {
        "words": words,
        "spacy_words_per_s": words / base_s,
        "same_backend_words_per_s": words / same_s,
        "same_backend_ratio": same_s / ours_s,
        "ours_words_per_s": words / ours_s,
        "ratio": (words / ours_s) / (words / base_s),
        "ours_s_per_article": ours_s / len(texts),
    }


def _run_seconds(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _paired_medians(first: str, second: str, env: dict[str, str], repeat: int = 5) -> tuple[float, float]:
    """Median seconds of two scripts, run alternately so a shared machine's load hits both alike."""
    a, b = [], []
    for _ in range(repeat):
        a.append(_run_seconds(first, env))
        b.append(_run_seconds(second, env))
    return statistics.median(a), statistics.median(b)


def cold_start() -> dict[str, float]:
    from article_pipeline.nlp import model_name

    env = {
        **os.environ,
        "TABLE_NAME": "t",
        "BUCKET_NAME": "b",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PYTHONPATH": str(REPO / "layers" / "domain"),
        "SPACY_MODEL": model_name(),
        "TRACING_MODE": "PassThrough",
        "AWS_LAMBDA_FUNCTION_NAME": "bench",
    }  # the template's default
    load = (
        "import importlib.util,sys;s=importlib.util.spec_from_file_location('app','{}');"
        "m=importlib.util.module_from_spec(s);s.loader.exec_module(m)"
    )
    analyze_app = load.format(REPO / "functions" / "analyze" / "app.py")
    ingest_app = load.format(REPO / "functions" / "ingest" / "app.py")
    result: dict[str, Any] = {}
    result["analyze_s"], result["analyze_bare_s"] = _paired_medians(
        analyze_app, f"import boto3, spacy; spacy.load({model_name()!r})", env
    )
    result["ingest_s"], result["ingest_bare_s"] = _paired_medians(ingest_app, "import boto3, trafilatura", env)
    spacy_check = subprocess.run(
        [sys.executable, "-c", ingest_app + ";print('spacy' in sys.modules)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    result["ingest_imports_spacy"] = spacy_check == "True"
    result["analyze_ratio"] = result["analyze_s"] / result["analyze_bare_s"]
    result["ingest_ratio"] = result["ingest_s"] / result["ingest_bare_s"]
    return result


def peak_memory(texts: list[str]) -> dict[str, float]:
    """Peak RSS (MB) of a fresh process analysing one 10,000-word article, and one analysing a batch of
    10 articles (the template's batch size) together, as the analyze function does."""
    words: list[str] = []
    for text in texts:
        words.extend(text.split())
        if len(words) >= 10_000:
            break
    article = " ".join(words[:10_000])
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork + exec, so a child would report
    # this (large) benchmark process's peak instead of its own.
    code = (
        "import json,sys,re;from article_pipeline.analysis import analyze_texts;"
        "ts=json.load(sys.stdin);json.dumps(analyze_texts([{'text':t,'language':'en'} for t in ts]));"
        "print(int(re.search(r'VmHWM:\\s+(\\d+)',open('/proc/self/status').read()).group(1))/1024)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "layers" / "domain")}
    peaks = {}
    for name, batch in (("one_10k_words_mb", [article]), ("batch_of_10_mb", texts[:10])):
        out = subprocess.run(
            [sys.executable, "-c", code], input=json.dumps(batch), text=True, env=env, capture_output=True, check=True
        ).stdout
        peaks[name] = float(out.strip().splitlines()[-1])
    return peaks


# Lambda allocates CPU in proportion to memory: one full vCPU at 1,769 MB. Durations measured here
# on a full core are scaled by that share to estimate what the configured memory sizes would bill.
LAMBDA_MB_PER_VCPU = 1769


@dataclass
class RunCounts:
    """What a run of the real handlers on moto did, counted at the boto3 level."""

    articles: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    invocations: dict[str, int] = field(default_factory=dict)
    calls: Counter = field(default_factory=Counter)
    write_units: float = 0.0
    read_units: float = 0.0


def _item_units(item: dict[str, Any], unit_bytes: int) -> int:
    return max(1, -(-len(json.dumps(item, separators=(",", ":"), default=str)) // unit_bytes))


def _index_projections() -> list[tuple[str, set[str] | None]]:
    """(hash key attribute, projected attributes or None for ALL) of each GSI in template.yaml."""
    from article_pipeline_tools.local.infra import load_template

    table = next(r for r in load_template()["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table")
    props = table["Properties"]
    table_keys = {k["AttributeName"] for k in props["KeySchema"]}
    out = []
    for index in props.get("GlobalSecondaryIndexes", []):
        keys = {k["AttributeName"] for k in index["KeySchema"]}
        hash_key = next(k["AttributeName"] for k in index["KeySchema"] if k["KeyType"] == "HASH")
        projection = index["Projection"]
        kind = projection.get("ProjectionType", "ALL")
        projected = None if kind == "ALL" else table_keys | keys | set(projection.get("NonKeyAttributes", []))
        out.append((hash_key, projected))
    return out


def _write_units(item: dict[str, Any], indexes: list[tuple[str, set[str] | None]]) -> int:
    """A put's write units: the table's, plus each GSI's the item appears in (its projected part)."""
    units = _item_units(item, 1024)
    for hash_key, projected in indexes:
        if hash_key in item:
            units += _item_units(item if projected is None else {k: v for k, v in item.items() if k in projected}, 1024)
    return units


def pipeline_run(texts: list[str]) -> RunCounts:
    """Upload each text, drain both queues through the real handlers, count requests and capacity units."""

    from article_pipeline_tools.local.stack import embedded_stack

    counts = RunCounts(articles=len(texts))
    indexes = _index_projections()
    updated: list[dict[str, Any]] = []  # keys of UpdateItem calls: billed by the item's size, known at the end

    def count_call(event_name: str, params: dict[str, Any], **_: Any) -> None:
        service, operation = event_name.split(".")[1:3]
        counts.calls[f"{service}.{operation}"] += 1
        if operation == "PutItem":
            counts.write_units += _write_units(params["Item"], indexes)
        elif operation == "UpdateItem":
            updated.append(params["Key"])
        elif operation == "DeleteItem":
            counts.write_units += 1  # index entries and forms are under 1 KB
        elif operation == "BatchWriteItem":
            for requests in params["RequestItems"].values():
                for request in requests:
                    item = request.get("PutRequest", {}).get("Item")
                    counts.write_units += _write_units(item, indexes) if item else 1
        elif operation in {"GetItem", "Query"}:
            counts.read_units += 1
        elif operation == "BatchGetItem":
            counts.read_units += sum(len(r["Keys"]) for r in params["RequestItems"].values())

    with embedded_stack(None) as stack:
        # Every client each function's handler uses (one boto3 session per function role), not the default session
        for function in stack.functions:
            store = stack.function_store(function)
            store.s3.meta.events.register("before-parameter-build.s3", count_call)
            store.dynamodb.meta.client.meta.events.register("before-parameter-build.dynamodb", count_call)
        for index, text in enumerate(texts):
            stack.store.put_object(f"incoming/bench-{index:04d}.txt", text.encode())
        stats = stack.poller().drain(max_seconds=3600)
        counts.seconds = dict(stats.seconds)
        counts.invocations = dict(stats.invocations)
        sizes = {
            (item["PK"], item["SK"]): _item_units(item, 1024)
            for item in stack.store.table.scan()["Items"]
            if item["SK"] == "META"
        }
        # An update bills the larger of the item before and after; the final size stands for both.
        plain = [tuple(v["S"] if isinstance(v, dict) else v for v in (key["PK"], key["SK"])) for key in updated]
        counts.write_units += sum(sizes.get(key, 1) for key in plain)
        done = sum(1 for item in stack.store.iter_articles() if item.get("status") == "DONE")
        if done != len(texts):
            statuses = Counter(
                (item.get("status"), (item.get("error") or {}).get("code")) for item in stack.store.iter_articles()
            )
            print(f"warning: {done} of {len(texts)} articles ended DONE: {dict(statuses)}", file=sys.stderr)
    return counts


def cost(run: RunCounts) -> dict[str, float]:
    """USD per 1,000 articles at list prices, from a measured run and the template's memory sizes."""
    from article_pipeline_tools.local.infra import load_template

    resources = load_template()["Resources"]
    scale = 1000 / run.articles
    lambda_cost = 0.0
    for function in ("IngestFunction", "AnalyzeFunction"):
        memory_mb = resources[function]["Properties"]["MemorySize"]
        slowdown = max(1.0, LAMBDA_MB_PER_VCPU / memory_mb)
        lambda_cost += run.seconds[function] * slowdown * (memory_mb / 1024) * LAMBDA_GB_SECOND * scale
    requests = sum(run.invocations.values()) * scale * LAMBDA_REQUEST
    # Each article is one message on each queue: S3 sends it, the poller receives and deletes it
    # (receives and deletes are batched, so this over-counts).
    sqs = 1000 * 2 * 3 * SQS_REQUEST
    s3_puts = sum(n for call, n in run.calls.items() if call.split(".")[1] in {"PutObject", "DeleteObject"})
    s3_gets = sum(n for call, n in run.calls.items() if call.split(".")[1] in {"GetObject", "HeadObject"})
    s3 = (run.articles + s3_puts) * scale * S3_PUT + s3_gets * scale * S3_GET  # + the user's upload
    dynamodb = (run.write_units * DYNAMODB_WRITE_UNIT + run.read_units * DYNAMODB_READ_UNIT) * scale
    total = lambda_cost + requests + sqs + s3 + dynamodb
    return {"lambda": lambda_cost, "requests": requests, "sqs": sqs, "s3": s3, "dynamodb": dynamodb, "total": total}


def built_size() -> str:
    if not (REPO / ".aws-sam" / "build").exists():
        return "not built (run make build)"
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "build_size.py"),
            "--build-dir",
            str(REPO / ".aws-sam" / "build"),
            "--limit",
            "200",
        ],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _published_words_per_s() -> float | None:
    """The model's own CPU speed figure (meta.json ``performance.speed``), if it states one."""
    from article_pipeline.nlp import load_pipeline

    speed = (load_pipeline().meta.get("performance") or {}).get("speed")
    return float(speed) if speed else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--cost-articles", type=int, default=40, help="articles run through the handlers for cost")
    args = parser.parse_args()
    texts = corpus_texts(args.articles)
    print(f"texts: {len(texts)} PolNeAR articles, {sum(len(t.split()) for t in texts):,} words")
    tp = throughput(texts)
    print(
        f"throughput   spaCy default pipeline {tp['spacy_words_per_s']:8.0f} words/s"
        f" | ours {tp['ours_words_per_s']:8.0f} words/s | ratio {tp['ratio']:.2f}x (target >= 1.10)"
    )
    print(
        f"             the same pipeline on OpenBLAS (our matrix backend) {tp['same_backend_words_per_s']:8.0f} words/s"
        f" | ours vs it {tp['same_backend_ratio']:.2f}x (the part of the ratio that is not the backend)"
    )
    cs = cold_start()
    print(
        f"cold start   analyze init {cs['analyze_s']:.2f} s vs bare boto3+spaCy+model {cs['analyze_bare_s']:.2f} s"
        f" | ratio {cs['analyze_ratio']:.2f}x (target <= 1.0)"
    )
    print(
        f"             ingest init {cs['ingest_s']:.2f} s vs bare boto3+trafilatura {cs['ingest_bare_s']:.2f} s"
        f" | ratio {cs['ingest_ratio']:.2f}x (target <= 1.0); ingest imports spaCy: {cs['ingest_imports_spacy']}"
    )
    rss = peak_memory(texts)
    print(
        f"memory       peak RSS: one 10,000-word article {rss['one_10k_words_mb']:.0f} MB (target <= 400), "
        f"a batch of 10 articles {rss['batch_of_10_mb']:.0f} MB (target <= 450)"
    )
    run = pipeline_run(texts[: args.cost_articles])
    price = cost(run)
    per_article = {fn: 1000 * run.seconds[fn] / run.articles for fn in run.seconds}
    print(
        f"cost         ${price['total']:.4f} per 1,000 articles (target <= $0.05; Comprehend entities alone"
        f" ≈ ${COMPREHEND_PER_1000:.2f}) = lambda {price['lambda']:.4f} + requests {price['requests']:.4f} + sqs"
        f" {price['sqs']:.4f} + s3 {price['s3']:.4f} + dynamodb {price['dynamodb']:.4f}"
    )
    print(
        f"             measured on {run.articles} articles through the handlers on moto:"
        f" {per_article['IngestFunction']:.0f} ms ingest, {per_article['AnalyzeFunction']:.0f} ms analyze"
        f" per article on this machine (scaled by Lambda's CPU share for the configured memory),"
        f" {run.write_units / run.articles:.1f} WRU (target <= 40) and"
        f" {run.read_units / run.articles:.1f} RRU per article,"
        f" {sum(run.invocations.values())} invocations (no secondary index: every unit is a table write)"
    )
    reference = _published_words_per_s()
    if reference:
        # What-if only, never the target: the same run if this CPU ran spaCy at the model's published speed.
        factor = tp["spacy_words_per_s"] / reference
        at_reference = price["total"] - price["lambda"] * (1 - factor)
        print(
            f"             this machine ran spaCy's pipeline at {tp['spacy_words_per_s']:.0f} words/s; the model's"
            f" published CPU speed is {reference:.0f} words/s. Were Lambda's CPU that fast, the Lambda share"
            f" would be ${price['lambda'] * factor:.4f} and the total ${at_reference:.4f}"
        )
    print(f"size         {built_size()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
