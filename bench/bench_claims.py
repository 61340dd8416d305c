"""`make bench-claims`: score the attribution extractor on PolNeAR with the shared scorer, and time it.

The 840 annotated articles are split into a development part (the first 600, used while tuning)
and a held-out part (the last 240); both are scored, plus the whole set, so over-fitting shows.
Speed is measured separately: extract_attributions alone against spaCy's own nlp() time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
SCORER = SHARED / "bench" / "quotes_score.py"
GOLD = SHARED / "corpus" / "quotes" / "polnear-train.jsonl"
DEV_SIZE = 600
PARTS = ("dev", "heldout", "all")


def _part_lines(part: str) -> list[str]:
    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    if part == "dev":
        return lines[:DEV_SIZE]
    if part == "heldout":
        return lines[DEV_SIZE:]
    return lines


def score(part: str, limit: int = 0) -> dict:
    """Run the shared scorer on one part; returns its JSON report (also printed)."""
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / f"{part}.jsonl"
        gold.write_text("\n".join(_part_lines(part)) + "\n", encoding="utf-8")
        out = Path(tmp) / "report.json"
        cmd = [
            sys.executable,
            str(SCORER),
            "--gold",
            str(gold),
            "--pythonpath",
            str(ROOT / "bench"),
            "--pythonpath",
            str(ROOT / "layers" / "domain"),
            "--predictor",
            "claims_predictor:predict",
            "--name",
            part,
            "--out",
            str(out),
        ]
        if limit:
            cmd += ["--limit", str(limit)]
        print(f"== {part} ==", flush=True)
        subprocess.run(cmd, check=True)
        return json.loads(out.read_text())


def speed(n_docs: int) -> dict[str, float]:
    """Milliseconds per article: spaCy's nlp() and extract_attributions on the resulting docs."""
    sys.path.insert(0, str(ROOT / "layers" / "domain"))
    sys.path.insert(0, str(ROOT / "bench"))
    import claims_predictor

    claims_predictor._ensure_claims_package()
    from article_pipeline.claims.quotes import extract_attributions
    from article_pipeline.nlp import load_pipeline

    texts = [json.loads(line)["text"] for line in _part_lines("all")[:n_docs]]
    nlp = load_pipeline()
    nlp("warm up")
    t0 = time.perf_counter()
    docs = [nlp(text) for text in texts]
    t1 = time.perf_counter()
    for doc in docs:
        extract_attributions(doc)
    t2 = time.perf_counter()
    result = {"docs": len(docs), "nlp_ms": 1000 * (t1 - t0) / len(docs), "extract_ms": 1000 * (t2 - t1) / len(docs)}
    result["extract_share"] = result["extract_ms"] / result["nlp_ms"]
    print(f"== speed == {json.dumps({k: round(v, 3) for k, v in result.items()})}")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--part", choices=(*PARTS, "each"), default="each", help="which articles to score")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N articles of the part")
    ap.add_argument("--speed-docs", type=int, default=100, help="articles to time (0: skip timing)")
    args = ap.parse_args()
    parts = PARTS if args.part == "each" else (args.part,)
    summary = {}
    for part in parts:
        rep = score(part, args.limit)
        summary[part] = {
            "direct_overlap_f1": rep["direct"]["overlap"]["f1"],
            "direct_speaker_acc": rep["direct"]["speaker_acc"]["acc"],
            "all_overlap_f1": rep["all"]["overlap"]["f1"],
            "all_attributed_f1": rep["all"]["attributed"]["f1"],
        }
    if args.speed_docs:
        summary["speed"] = speed(args.speed_docs)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
