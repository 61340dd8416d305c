"""`make bench`: throughput, cold start, memory, cost and size, each against its baseline in one run.

Throughput: our analysis (NER, canonical entities, claims, JSON serialisation) in words per
second versus spaCy's own default full pipeline on the same texts (the faster of ``nlp.pipe``
and one ``nlp(text)`` call per article). Cold start: a fresh interpreter importing each
handler module (all of its init) versus a bare script importing only what it must (boto3 +
spaCy + the model; boto3 + trafilatura). Memory: peak RSS of a fresh process analysing a
10,000-word article. Cost: AWS list prices applied to measured durations, the template's
memory sizes and the counted requests and writes. Size: the built artifacts (after make build).

    python bench/bench_pipeline.py [--articles 150]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def throughput(texts: list[str]) -> dict[str, float]:
    import spacy

    from article_pipeline.analysis import analyze_clean
    from article_pipeline.nlp import load_pipeline, model_name

    words = sum(len(t.split()) for t in texts)
    baseline = spacy.load(model_name())
    ours = load_pipeline()
    for nlp in (baseline, ours):  # warm-up: first calls allocate
        nlp(texts[0])
    started = time.perf_counter()
    list(baseline.pipe(texts))
    pipe_s = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        baseline(text)
    call_s = time.perf_counter() - started
    base_s = min(pipe_s, call_s)
    started = time.perf_counter()
    for text in texts:
        json.dumps(analyze_clean({"text": text, "language": "en"}, nlp=ours))
    ours_s = time.perf_counter() - started
    return {"words": words, "spacy_words_per_s": words / base_s, "ours_words_per_s": words / ours_s,
            "ratio": (words / ours_s) / (words / base_s), "ours_s_per_article": ours_s / len(texts)}


def _time_import(code: str, env: dict[str, str], repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def cold_start() -> dict[str, float]:
    from article_pipeline.nlp import model_name

    env = {**os.environ, "TABLE_NAME": "t", "BUCKET_NAME": "b", "AWS_DEFAULT_REGION": "us-east-1",
           "PYTHONPATH": str(REPO / "layers" / "domain"), "POWERTOOLS_TRACE_DISABLED": "1",
           "SPACY_MODEL": model_name()}
    load = ("import importlib.util,sys;s=importlib.util.spec_from_file_location('app','{}');"
            "m=importlib.util.module_from_spec(s);s.loader.exec_module(m)")
    analyze_app = load.format(REPO / "functions" / "analyze" / "app.py")
    ingest_app = load.format(REPO / "functions" / "ingest" / "app.py")
    result = {
        "analyze_s": _time_import(analyze_app, env),
        "analyze_bare_s": _time_import(f"import boto3, spacy; spacy.load({model_name()!r})", env),
        "ingest_s": _time_import(ingest_app, env),
        "ingest_bare_s": _time_import("import boto3, trafilatura", env),
    }
    spacy_check = subprocess.run([sys.executable, "-c", ingest_app + ";print('spacy' in sys.modules)"],
                                 env=env, capture_output=True, text=True, check=True).stdout.strip()
    result["ingest_imports_spacy"] = spacy_check == "True"
    result["analyze_ratio"] = result["analyze_s"] / result["analyze_bare_s"]
    result["ingest_ratio"] = result["ingest_s"] / result["ingest_bare_s"]
    return result


def peak_memory(texts: list[str]) -> float:
    """Peak RSS (MB) of a fresh process analysing one 10,000-word article."""
    words: list[str] = []
    for text in texts:
        words.extend(text.split())
        if len(words) >= 10_000:
            break
    article = " ".join(words[:10_000])
    code = ("import json,sys,resource;from article_pipeline.analysis import analyze_clean;"
            "t=sys.stdin.read();json.dumps(analyze_clean({'text':t,'language':'en'}));"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)")
    env = {**os.environ, "PYTHONPATH": str(REPO / "layers" / "domain")}
    out = subprocess.run([sys.executable, "-c", code], input=article, text=True, env=env,
                         capture_output=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def cost(ingest_s: float, analyze_s: float, writes_per_article: float) -> dict[str, float]:
    """USD per 1,000 articles at list prices, from the template's memory sizes."""
    from article_pipeline.local.infra import load_template

    resources = load_template()["Resources"]
    ingest_gb = resources["IngestFunction"]["Properties"]["MemorySize"] / 1024
    analyze_gb = resources["AnalyzeFunction"]["Properties"]["MemorySize"] / 1024
    n = 1000
    lambda_cost = n * (ingest_s * ingest_gb + analyze_s * analyze_gb) * LAMBDA_GB_SECOND
    # Batches of 10 / 5 messages: one invocation per batch, plus the per-record work.
    requests = n / 10 + n / 5
    sqs = n * 2 * 3 * SQS_REQUEST  # send, receive, delete on each queue
    s3 = n * (3 * S3_PUT + 2 * S3_GET)  # upload, clean, analysis; two reads
    dynamodb = n * (writes_per_article * DYNAMODB_WRITE_UNIT + 4 * DYNAMODB_READ_UNIT)
    total = lambda_cost + requests * LAMBDA_REQUEST + sqs + s3 + dynamodb
    return {"lambda": lambda_cost, "requests": requests * LAMBDA_REQUEST, "sqs": sqs, "s3": s3,
            "dynamodb": dynamodb, "total": total}


def writes_per_article(texts: list[str]) -> float:
    from article_pipeline.analysis import analyze_clean
    from article_pipeline.items import child_items

    counts = []
    for text in texts[:30]:
        document = analyze_clean({"text": text, "language": "en", "article_id": "x" * 20})
        items = child_items(document, {})
        # each item write is 1 WRU per KB; META is written three times (cleaned, status, done)
        units = sum(max(1, -(-len(json.dumps(item)) // 1024)) for item in items) + 3 * 2
        counts.append(units)
    return statistics.mean(counts)


def built_size() -> str:
    if not (REPO / ".aws-sam" / "build").exists():
        return "not built (run make build)"
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "build_size.py"), "--build-dir",
                          str(REPO / ".aws-sam" / "build"), "--limit", "200"], capture_output=True, text=True)
    return out.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=150)
    args = parser.parse_args()
    texts = corpus_texts(args.articles)
    print(f"texts: {len(texts)} PolNeAR articles, {sum(len(t.split()) for t in texts):,} words")
    tp = throughput(texts)
    print(f"throughput   spaCy default pipeline {tp['spacy_words_per_s']:8.0f} words/s"
          f" | ours {tp['ours_words_per_s']:8.0f} words/s | ratio {tp['ratio']:.2f}x (target >= 1.0)")
    cs = cold_start()
    print(f"cold start   analyze init {cs['analyze_s']:.2f} s vs bare boto3+spaCy+model {cs['analyze_bare_s']:.2f} s"
          f" | ratio {cs['analyze_ratio']:.2f}x (target <= 1.15)")
    print(f"             ingest init {cs['ingest_s']:.2f} s vs bare boto3+trafilatura {cs['ingest_bare_s']:.2f} s"
          f" | ratio {cs['ingest_ratio']:.2f}x (target <= 1.15); ingest imports spaCy: {cs['ingest_imports_spacy']}")
    rss = peak_memory(texts)
    print(f"memory       peak RSS analysing a 10,000-word article: {rss:.0f} MB (target <= 400)")
    from article_pipeline import clean

    started = time.perf_counter()
    for text in texts:
        clean(text.encode(), filename="a.txt")
    ingest_s = (time.perf_counter() - started) / len(texts) + 0.05  # + S3/DynamoDB round trips
    analyze_s = tp["ours_s_per_article"] + 0.08
    writes = writes_per_article(texts)
    price = cost(ingest_s, analyze_s, writes)
    print(f"cost         ${price['total']:.4f} per 1,000 articles (target <= $0.05; Comprehend entities alone"
          f" ≈ ${COMPREHEND_PER_1000:.2f}) = lambda {price['lambda']:.4f} + requests {price['requests']:.4f} + sqs"
          f" {price['sqs']:.4f} + s3 {price['s3']:.4f} + dynamodb {price['dynamodb']:.4f}"
          f" [{ingest_s * 1000:.0f} ms ingest, {analyze_s * 1000:.0f} ms analyze, {writes:.0f} WRU/article]")
    print(f"size         {built_size()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
