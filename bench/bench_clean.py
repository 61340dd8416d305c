#!/usr/bin/env python3
"""`make bench-clean`: score our cleaner against trafilatura and justext on the shared boilerplate corpus.

    PYTHONPATH=layers/domain python bench/bench_clean.py [--only html|text] [--json OUT]

Every system runs through the shared scorer (../shared/bench/boilerplate_eval.py, one subprocess per
system and format, so each gets the same warm-up and timing), on HTML pages and on their plain-text
variant. Prints F1 / precision / recall (the benchmark's 4-token-shingle figures) and median wall
ms per page, with ratios to trafilatura (HTML) or justext (text).

Those scorer runs are one system after another, so a noisy shared machine can skew their time
ratio. A second, interleaved pass (``--rounds``) times ours and the baseline on each page back to
back in this one process (CPU time, best of the rounds per page) and prints the median of the
per-page ratios, which noise that comes and goes affects far less.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "bench" / "boilerplate_eval.py"
CORPUS = SHARED / "corpus" / "boilerplate"
HERE = Path(__file__).resolve()

SYSTEMS = {
    "html": [
        ("ours", "clean_extractor.py:extract_html"),
        ("trafilatura", "bench_clean.py:trafilatura_html"),
        ("justext", "bench_clean.py:justext_html"),
    ],
    "text": [
        ("ours", "clean_extractor.py:extract_text"),
        ("trafilatura", "bench_clean.py:trafilatura_text"),
        ("justext", "bench_clean.py:justext_text"),
        ("keep-all", "bench_clean.py:keep_everything"),
    ],
}
BASELINE = {"html": "trafilatura", "text": "justext"}


# --- baseline extractors (str -> str), loaded by the scorer from this file ------------------------


def trafilatura_html(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False) or ""


def justext_html(page: str) -> str:
    import justext

    paragraphs = justext.justext(page.encode("utf-8"), justext.get_stoplist("English"), encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _as_paragraph_html(text: str) -> str:
    return "<html><body>" + "".join(f"<p>{escape(ln)}</p>" for ln in text.splitlines() if ln.strip()) + "</body></html>"


def trafilatura_text(page: str) -> str:
    return trafilatura_html(_as_paragraph_html(page))


def justext_text(page: str) -> str:
    return justext_html(_as_paragraph_html(page))


def keep_everything(page: str) -> str:
    return page


# --- interleaved timing ---------------------------------------------------------------------------


def _pages(fmt: str) -> list[str]:
    """The corpus pages, found and read by the shared scorer's own code."""
    if str(EVAL.parent) not in sys.path:
        sys.path.insert(0, str(EVAL.parent))
    import boilerplate_eval

    found = boilerplate_eval.find_inputs(CORPUS, fmt)
    return [boilerplate_eval._read_text_file(found[page_id]) for page_id in sorted(found)]


def interleaved_ratio(fmt: str, rounds: int) -> dict:
    """Median over pages of (our CPU ms / baseline CPU ms), each page timed back to back, ``rounds`` times."""
    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))
    import clean_extractor

    ours = clean_extractor.extract_html if fmt == "html" else clean_extractor.extract_text
    base = trafilatura_html if fmt == "html" else justext_text
    pages = _pages(fmt)
    ours(pages[0]), base(pages[0])  # warm-up: imports, model loads
    ours_ms: list[list[float]] = [[] for _ in pages]
    base_ms: list[list[float]] = [[] for _ in pages]
    for r in range(rounds):
        for i, page in enumerate(pages):
            order = ((ours, ours_ms), (base, base_ms)) if (i + r) % 2 == 0 else ((base, base_ms), (ours, ours_ms))
            for func, sink in order:
                start = time.process_time()
                func(page)
                sink[i].append((time.process_time() - start) * 1000)
    ours_page = [min(v) for v in ours_ms]  # the least-disturbed of the rounds
    base_page = [min(v) for v in base_ms]
    ratios = [o / b for o, b in zip(ours_page, base_page, strict=True) if b > 0]
    return {
        "pages": len(pages),
        "rounds": rounds,
        "ours_cpu_ms_median": statistics.median(ours_page),
        "base_cpu_ms_median": statistics.median(base_page),
        "ratio_of_medians": statistics.median(ours_page) / statistics.median(base_page),
        "median_page_ratio": statistics.median(ratios),
    }


# --- running and reporting ------------------------------------------------------------------------


def run_one(fmt: str, spec: str, out: Path) -> dict:
    module, func = spec.split(":")
    cmd = [
        sys.executable,
        str(EVAL),
        "--data",
        str(CORPUS),
        "--format",
        fmt,
        "--quiet",
        "--extractor",
        f"{HERE.parent / module}:{func}",
        "--json",
        str(out),
    ]
    env_path = str(ROOT / "layers" / "domain")
    proc = subprocess.run(
        cmd,
        cwd=EVAL.parent,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PYTHONPATH": env_path},
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"scorer failed for {spec} ({fmt}):\n{proc.stderr[-2000:]}")
    data = json.loads(out.read_text())
    m = data["subsets"]["all"]
    return {
        "f1": m["bench_f1"],
        "precision": m["bench_precision"],
        "recall": m["bench_recall"],
        "failures": m["n_failures"],
        "median_ms": data["timing"]["wall_ms_median"],
        "cpu_median_ms": data["timing"]["cpu_ms_median"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["html", "text"])
    ap.add_argument("--json", type=Path, help="also write the table as JSON here")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the interleaved timing pass (0: skip it)")
    args = ap.parse_args(argv)
    if not EVAL.is_file():
        raise SystemExit(f"shared scorer not found at {EVAL}")
    results: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, systems in SYSTEMS.items():
            if args.only and fmt != args.only:
                continue
            results[fmt] = {}
            for name, spec in systems:
                results[fmt][name] = run_one(fmt, spec, Path(tmp) / f"{fmt}-{name}.json")
                print(f"  ran {name} on {fmt}", file=sys.stderr)
    header = (
        f"{'format':<6} {'system':<12} {'F1':>6} {'P':>6} {'R':>6} {'fail':>4} {'ms/page':>8} "
        f"{'cpu ms':>7} {'dF1 vs base':>11} {'time x base':>11}"
    )
    print(header)
    print("-" * len(header))
    for fmt, rows in results.items():
        base = rows[BASELINE[fmt]]
        for name, r in rows.items():
            ratio = r["median_ms"] / base["median_ms"] if base["median_ms"] else float("nan")
            print(
                f"{fmt:<6} {name:<12} {r['f1']:>6.3f} {r['precision']:>6.3f} {r['recall']:>6.3f} "
                f"{r['failures']:>4} {r['median_ms']:>8.1f} {r['cpu_median_ms']:>7.1f} "
                f"{r['f1'] - base['f1']:>+11.3f} {ratio:>10.2f}x"
            )
    print(f"baseline per format: {BASELINE}; times are medians of wall-clock ms per page (this machine)")
    if args.rounds > 0:
        print("\ninterleaved timing (ours and the baseline back to back on each page, CPU ms, best of rounds):")
        for fmt in results:
            t = interleaved_ratio(fmt, args.rounds)
            results[fmt]["interleaved"] = t
            print(
                f"  {fmt:<5} ours {t['ours_cpu_ms_median']:7.1f} ms  {BASELINE[fmt]} {t['base_cpu_ms_median']:6.1f} ms"
                f"  median page ratio {t['median_page_ratio']:.2f}x  ratio of medians {t['ratio_of_medians']:.2f}x"
                f"  ({t['pages']} pages x {t['rounds']} rounds)"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
