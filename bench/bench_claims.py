"""`make bench-claims`: score the attribution extractor on PolNeAR with the shared scorer, and time it.

The 840 annotated articles are split into a development part (the first 600, used while tuning)
and a held-out part (the last 240, never tuned on); both are scored so over-fitting shows, and
printed beside the figures of the last landed version (``bench/claims_last_landing.json``, made by
running this script with ``--code`` on a checkout of that version and ``--record``) and the
targets of issue 20 for the held-out part. Speed is measured separately: extract_attributions
alone against spaCy's own nlp() time.
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
LAST_LANDING = ROOT / "bench" / "claims_last_landing.json"
# issue 20's targets, on the held-out part
TARGETS = {
    "direct_speaker_acc": 96.0,
    "all_overlap_f1": 75.0,
    "all_overlap_r": 68.0,
    "all_attributed_f1": 70.0,
    "all_exact_f1": 62.0,
}
ROWS = (
    ("direct_speaker_acc", "direct speaker accuracy"),
    ("all_overlap_f1", "all attributions, overlap F1"),
    ("all_overlap_p", "  precision"),
    ("all_overlap_r", "  recall"),
    ("all_attributed_f1", "attributed (right speaker too) F1"),
    ("all_attributed_p", "  precision"),
    ("all_exact_f1", "exact content F1"),
    ("all_exact_p", "  precision"),
    ("direct_overlap_f1", "direct quotes, overlap F1"),
)


def _part_lines(part: str) -> list[str]:
    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    if part == "dev":
        return lines[:DEV_SIZE]
    if part == "heldout":
        return lines[DEV_SIZE:]
    return lines


def score(part: str, limit: int = 0, code: Path = ROOT) -> dict:
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
            str(code / "bench"),
            "--pythonpath",
            str(code / "layers" / "domain"),
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


def figures(rep: dict) -> dict[str, float]:
    out = {
        "direct_overlap_f1": rep["direct"]["overlap"]["f1"],
        "direct_speaker_acc": rep["direct"]["speaker_acc"]["acc"],
    }
    for measure in ("overlap", "attributed", "exact"):
        for key in ("f1", "p", "r"):
            out[f"all_{measure}_{key}"] = rep["all"][measure][key]
    return out


def side_by_side(summary: dict[str, dict[str, float]]) -> None:
    """One table: each part's figures now, the last landing's, and the held-out targets."""
    last = json.loads(LAST_LANDING.read_text()) if LAST_LANDING.exists() else {}
    print(f"\nlast landing: {last.get('commit', 'none recorded')}")
    parts = [p for p in summary if p != "speed"]
    head = "".join(f"{p + ' last':>14}{p + ' now':>13}" for p in parts)
    print(f"{'':36}{head}{'target (held-out)':>19}")
    for key, label in ROWS:
        cells = ""
        for part in parts:
            before = last.get("parts", {}).get(part, {}).get(key)
            cells += f"{before if before is not None else '-':>14}{summary[part][key]:>13}"
        target = TARGETS.get(key)
        met = ""
        if target is not None and "heldout" in summary:
            met = " met" if summary["heldout"][key] >= target else " not met"
        print(f"{label:36}{cells}{('>= ' + str(target) + met) if target is not None else '':>19}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--part", choices=(*PARTS, "each"), default="each", help="which articles to score (each: dev and heldout)"
    )
    ap.add_argument("--limit", type=int, default=0, help="score only the first N articles of the part")
    ap.add_argument("--speed-docs", type=int, default=100, help="articles to time (0: skip timing)")
    ap.add_argument(
        "--code", type=Path, default=ROOT, help="project checkout whose extractor is scored (default: this one)"
    )
    ap.add_argument("--record", type=Path, help="write the figures here (with --code's commit) as a baseline")
    args = ap.parse_args()
    parts = ("dev", "heldout") if args.part == "each" else (args.part,)
    summary: dict = {}
    for part in parts:
        summary[part] = figures(score(part, args.limit, args.code.resolve()))
    if args.record:
        commit = subprocess.run(
            ["git", "-C", str(args.code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        args.record.write_text(json.dumps({"commit": commit, "parts": summary}, indent=1) + "\n")
    side_by_side(summary)
    if args.speed_docs:
        summary["speed"] = speed(args.speed_docs)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
