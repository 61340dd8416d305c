#!/usr/bin/env python3
"""Hostile uploads, timed through cleaning in this checkout and in an earlier commit, in one run.

    bench/bench_hostile.py [--baseline REF] [--timeout SECONDS]

Each input is cleaned in a fresh process per checkout (CPU seconds of the clean call, and what came
out), the baseline from a temporary git worktree of REF (default: the last landing before the
hardening of issue 18). A run that exceeds --timeout is reported as such: in Lambda it would have
timed out its whole batch. Inputs come from tests/hostile_inputs.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import hostile_inputs as hostile  # noqa: E402

DEFAULT_BASELINE = "366164e"  # main before issue 18 (landed at stop 14)

CASES = [
    ("normal article (reference)", "story.txt", hostile.ARTICLE_TEXT.encode()),
    ("gzip: 60 KB inflating to 16.8 MB of HTML", "page.html", hostile.gzip_bomb(16_800_000)),
    ("Markdown: 'a' + 12,000 backticks", "story.md", hostile.markdown_backticks(12_000)),
    ("Markdown: 100,000 '['", "story.md", hostile.markdown_brackets(100_000)),
    ("Markdown: front-matter title of 500 KB", "story.md", hostile.markdown_with_huge_title(500_000)),
    ("HTML: article inside 5,000 nested <div>", "page.html", hostile.deeply_nested_page(5_000)),
    ("e-mail: text part 2,000 multiparts down", "strike.eml", hostile.nested_email(2_000)),
    ("JSON Lines: 20,000 articles in one upload", "export.jsonl", hostile.json_lines_export(20_000)),
    ("captions: 100,000 cues without a sentence", "auto.vtt", hostile.captions_without_sentences(100_000)),
    (".docx: 0.2 MB inflating to 50 MB", "bomb.docx", hostile.docx_bomb(50_000_000)),
    ("RTF: article after a 9 MB pasted photo", "strike.rtf", hostile.rtf_with_picture(9_000_000)),
]

RUNNER = """
import json, sys, time
import article_pipeline
clean = getattr(article_pipeline, "clean_raw", None) or getattr(article_pipeline, "clean")
body = sys.stdin.buffer.read()
started = time.process_time()
try:
    result = clean(body, filename=sys.argv[1])
    outcome = {"words": result.get("word_count"), "title_chars": len(result.get("title") or "")}
except Exception as exc:
    outcome = {"error": f"{type(exc).__name__}: {str(exc)[:80]}"}
outcome["cpu_s"] = time.process_time() - started
print(json.dumps(outcome))
"""


def run(checkout: Path, filename: str, body: bytes, timeout: float) -> dict:
    env = {"PYTHONPATH": str(checkout / "layers" / "domain"), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", RUNNER, filename],
            input=body,
            capture_output=True,
            env=env,
            timeout=timeout,
            check=False,
            cwd=tempfile.gettempdir(),
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "cpu_s": timeout}
    if proc.returncode != 0:
        return {"error": proc.stderr.decode(errors="replace").strip().splitlines()[-1][:80], "cpu_s": None}
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def describe(outcome: dict) -> str:
    if "error" in outcome:
        return outcome["error"]
    title = f", title {outcome['title_chars']:,} chars" if outcome.get("title_chars") else ""
    return f"{outcome['words']:,} words{title}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git ref to compare with")
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        baseline = Path(scratch) / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(baseline), args.baseline],
            check=True,
        )
        try:
            print(f"baseline {args.baseline} vs this checkout; CPU seconds of one clean call, fresh process each")
            header = f"{'input':<44} {'bytes':>11}  {'before':>8}  {'after':>8}  outcome before -> after"
            print(header)
            print("-" * len(header))
            for name, filename, body in CASES:
                before = run(baseline, filename, body, args.timeout)
                after = run(ROOT, filename, body, args.timeout)

                def seconds(outcome: dict) -> str:
                    return "?" if outcome.get("cpu_s") is None else f"{outcome['cpu_s']:.2f}"

                print(
                    f"{name:<44} {len(body):>11,}  {seconds(before):>8}  {seconds(after):>8}  "
                    f"{describe(before)} -> {describe(after)}",
                    flush=True,
                )
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
