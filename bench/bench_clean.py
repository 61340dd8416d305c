#!/usr/bin/env python3
"""`make bench-clean`: score our cleaner against trafilatura and justext on the held-out parts of both corpora.

    PYTHONPATH=layers/domain python bench/bench_clean.py [--only html|text] [--corpus NAME] [--json OUT]

Corpora: ../shared/corpus/boilerplate (ScrapingHub, 61 news pages) and ../shared/corpus/boilerplate-wcxb
(WCXB dev, 1,337 pages of seven page types). Only their held-out parts are scored (bench/boilerplate_splits.py:
a quarter of each page type, whole sites; the model is trained on the rest). Every system runs through
the shared scorer (../shared/bench/boilerplate_eval.py, one subprocess per system, format and corpus, so
each gets the same warm-up and timing), on HTML pages and on their plain-text variant. Prints the
benchmark's 4-token-shingle F1 per system, overall and per page type, and median wall ms per page.
Then, on the same held-out HTML pages, how often our title, author and date agree with trafilatura's
own metadata where it finds them, and whether clean_raw ever fails where trafilatura returns text.

Those scorer runs are one system after another, so a noisy shared machine can skew their time
ratio. A second, interleaved pass (``--rounds``) times ours and the baseline on each page back to
back in this one process (CPU time, best of the rounds per page) and prints the median of the
per-page ratios, which noise that comes and goes affects far less.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "bench" / "boilerplate_eval.py"
CORPORA = {
    "scrapinghub": SHARED / "corpus" / "boilerplate",
    "wcxb": SHARED / "corpus" / "boilerplate-wcxb",
}
CORPUS = CORPORA["scrapinghub"]
HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

import boilerplate_splits  # noqa: E402

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
TARGET_BASE = {"html": "trafilatura", "text": "keep-all"}  # what the F1 targets are stated against


# --- baseline extractors (str -> str), loaded by the scorer from this file ------------------------


def trafilatura_html(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False) or ""


def trafilatura_html_with_metadata(page: str) -> str:
    """trafilatura doing the whole of our job: the text and the title, date and author."""
    import trafilatura

    return trafilatura.extract(page, include_comments=False, with_metadata=True) or ""


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


def _pages(fmt: str, corpus: Path = CORPUS) -> list[str]:
    """The corpus's held-out pages, found and read by the shared scorer's own code."""
    if str(EVAL.parent) not in sys.path:
        sys.path.insert(0, str(EVAL.parent))
    import boilerplate_eval

    found = boilerplate_eval.find_inputs(corpus, fmt)
    _, _, held = boilerplate_splits.load_split(corpus)
    return [boilerplate_eval._read_text_file(found[page_id]) for page_id in held]


def interleaved_ratio(fmt: str, rounds: int, corpus: Path = CORPUS, base: Callable[[str], str] | None = None) -> dict:
    """Median over pages of (our CPU ms / baseline CPU ms), each page timed back to back, ``rounds`` times."""
    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))
    import clean_extractor

    ours = clean_extractor.extract_html if fmt == "html" else clean_extractor.extract_text
    base = base or (trafilatura_html if fmt == "html" else justext_text)
    pages = _pages(fmt, corpus)
    ours(pages[0]), base(pages[0])  # warm-up: imports, model loads
    ours_ms: list[list[float]] = [[] for _ in pages]
    base_ms: list[list[float]] = [[] for _ in pages]
    for r in range(rounds):
        for i, page in enumerate(pages):
            order = ((ours, ours_ms), (base, base_ms)) if (i + r) % 2 == 0 else ((base, base_ms), (ours, ours_ms))
            for func, sink in order:
                start = time.process_time()
                with contextlib.suppress(Exception):  # an empty page fails fast; timed all the same
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


# --- metadata against trafilatura's -----------------------------------------------------------

META_COMPARED = {"title": "title", "author": "author", "published": "date"}  # our field -> trafilatura's


def _same(ours: str | None, theirs: str | None, field: str) -> bool:
    """Equal after case and whitespace folding; dates by their day (we keep ISO dates)."""
    a, b = (" ".join(str(v or "").casefold().split()) for v in (ours, theirs))
    return a[:10] == b[:10] if field == "published" else a == b


def metadata_agreement(corpus: Path) -> dict:
    """Per field, on held-out pages where trafilatura's metadata states it: how often ours says the same.

    Also counts pages where trafilatura returns text and our cleaner fails (it must never).
    """
    import trafilatura

    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))
    from article_pipeline.cleaning import clean_raw
    from article_pipeline.errors import NoArticleText

    stated = dict.fromkeys(META_COMPARED, 0)
    agree = dict.fromkeys(META_COMPARED, 0)
    failures, misses = 0, {k: [] for k in META_COMPARED}
    for page_id, page in zip(boilerplate_splits.load_split(corpus)[2], _pages("html", corpus), strict=True):
        doc = trafilatura.bare_extraction(page, include_comments=False, with_metadata=True)
        theirs = {k: getattr(doc, t, None) if doc is not None else None for k, t in META_COMPARED.items()}
        try:
            ours = clean_raw(page, format="html")
        except NoArticleText:
            failures += 1 if doc is not None and getattr(doc, "text", None) else 0
            ours = {}
        for field, value in theirs.items():
            if value:
                stated[field] += 1
                if _same(ours.get(field), value, field):
                    agree[field] += 1
                else:
                    misses[field].append((page_id, ours.get(field), value))
    return {"stated": stated, "agree": agree, "clean_failures": failures, "misses": misses}


# --- running and reporting ------------------------------------------------------------------------


def write_ids(corpus: Path, tmp: Path) -> tuple[Path, list[str]]:
    """The held-out ids file and one ids file per page type (``--split type=FILE`` for the scorer)."""
    gt, _, held = boilerplate_splits.load_split(corpus)
    types = boilerplate_splits.page_types(gt)
    ids = tmp / f"{corpus.name}-held.txt"
    ids.write_text("\n".join(held) + "\n")
    splits = []
    for t in sorted({types[p] for p in held}):
        f = tmp / f"{corpus.name}-{t}.txt"
        f.write_text("\n".join(p for p in held if types[p] == t) + "\n")
        splits.append(f"{t}={f}")
    return ids, splits


def run_one(fmt: str, spec: str, out: Path, corpus: Path, ids: Path, splits: list[str]) -> dict:
    """One system on one corpus's held-out part: F1 per subset ("all" and page types) and median ms."""
    module, func = spec.split(":")
    cmd = [sys.executable, str(EVAL), "--data", str(corpus), "--format", fmt, "--quiet", "--ids", str(ids)]
    for sp in splits:
        cmd += ["--split", sp]
    cmd += ["--extractor", f"{HERE.parent / module}:{func}", "--json", str(out)]
    env_path = str(ROOT / "layers" / "domain")
    proc = subprocess.run(
        cmd,
        cwd=EVAL.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": env_path},
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"scorer failed for {spec} ({fmt}, {corpus.name}):\n{proc.stderr[-2000:]}")
    data = json.loads(out.read_text())
    per_doc = data["per_doc"]
    subsets = {}
    for name, m in data["subsets"].items():
        members = _members(name, splits, per_doc)
        subsets[name] = {
            "scores": {i: per_doc[i]["score"] for i in members},
            "n": m["n"] if "n" in m else len(members),
            "f1": m["bench_f1"],
            "precision": m["bench_precision"],
            "recall": m["bench_recall"],
            "failures": m["n_failures"],
            "median_ms": statistics.median(per_doc[i]["wall_ms"] for i in members) if members else float("nan"),
        }
    return subsets


def _members(name: str, splits: list[str], per_doc: dict) -> list[str]:
    if name == "all":
        return list(per_doc)
    path = dict(sp.split("=", 1) for sp in splits)[name]
    return [i for i in Path(path).read_text().split() if i in per_doc]


def difference_interval(ours: dict[str, dict], base: dict[str, dict], draws: int = 2000) -> tuple[float, float]:
    """A 95% paired bootstrap interval of F1(ours) - F1(base), pages resampled with replacement.

    Both systems are scored on the same draw of pages, with the scorer's own aggregation, so the
    interval says how far a margin on a held-out part this size could be chance.
    """
    import random

    if str(EVAL.parent) not in sys.path:
        sys.path.insert(0, str(EVAL.parent))
    import boilerplate_score

    pages = sorted(set(ours) & set(base))
    if not pages:
        return float("nan"), float("nan")
    mine = [boilerplate_score.doc_score_from_dict(ours[p]) for p in pages]
    theirs = [boilerplate_score.doc_score_from_dict(base[p]) for p in pages]
    rng = random.Random(0)
    gaps = []
    for _ in range(draws):
        drawn = [rng.randrange(len(pages)) for _ in pages]
        gaps.append(
            boilerplate_score.benchmark_prf([mine[i] for i in drawn])["f1"]
            - boilerplate_score.benchmark_prf([theirs[i] for i in drawn])["f1"]
        )
    gaps.sort()
    return gaps[int(0.025 * draws)], gaps[int(0.975 * draws) - 1]


def print_tables(results: dict) -> None:
    """One table per corpus and format: a row per subset, F1 and median ms per system side by side."""
    for (corpus, fmt), rows in results.items():
        systems = list(rows)
        base = BASELINE[fmt]
        print(f"\n{corpus} held-out, {fmt}: F1 (4-token shingles) and median ms/page")
        delta = "ours-" + TARGET_BASE[fmt][:4]
        head = f"{'subset':<14} {'n':>4} " + " ".join(f"{s:>12}" for s in systems) + f" {delta:>9} "
        head += " ".join(f"{s + ' ms':>10}" for s in systems) + f" {'95% interval of ' + delta:>28}"
        print(head)
        print("-" * len(head))
        for subset in rows[systems[0]]:
            r = {s: rows[s][subset] for s in systems}
            line = f"{subset:<14} {r[systems[0]]['n']:>4} " + " ".join(f"{r[s]['f1']:>12.3f}" for s in systems)
            line += f" {r['ours']['f1'] - r[TARGET_BASE[fmt]]['f1']:>+9.3f} "
            line += " ".join(f"{r[s]['median_ms']:>10.1f}" for s in systems)
            low, high = difference_interval(r["ours"]["scores"], r[TARGET_BASE[fmt]]["scores"])
            line += f" {f'[{low:+.3f}, {high:+.3f}]':>28}"
            print(line)
        fails = {s: rows[s]["all"]["failures"] for s in systems}
        ratio = rows["ours"]["all"]["median_ms"] / rows[base]["all"]["median_ms"]
        print(f"failures: {fails}; median ms, ours / {base}: {ratio:.2f}x")


def print_metadata(only: str | None, verbose: bool = False) -> None:
    print("\nmetadata on held-out HTML pages: agreement with trafilatura's (bare_extraction, with_metadata=True)")
    print("where trafilatura states the field; dates compared by day")
    for cname, corpus in CORPORA.items():
        if only and cname != only:
            continue
        m = metadata_agreement(corpus)
        cells = "  ".join(f"{f} {m['agree'][f]}/{m['stated'][f]}" for f in META_COMPARED)
        print(f"  {cname:<12} {cells}  clean() failed where trafilatura has text: {m['clean_failures']}")
        if verbose:
            for field, rows in m["misses"].items():
                for page_id, ours, theirs in rows:
                    print(
                        f"    {field:<9} {page_id[:12]:<12} ours {str(ours)[:60]!r}  trafilatura {str(theirs)[:60]!r}"
                    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["html", "text"])
    ap.add_argument("--corpus", choices=sorted(CORPORA), help="only this corpus (default: both)")
    ap.add_argument("--json", type=Path, help="also write the tables as JSON here")
    ap.add_argument("--rounds", type=int, default=0, help="rounds of the interleaved timing pass (0: skip it)")
    ap.add_argument("--no-meta", action="store_true", help="skip the metadata comparison with trafilatura")
    ap.add_argument("--meta-only", action="store_true", help="only the metadata comparison (prints disagreements)")
    args = ap.parse_args(argv)
    if not EVAL.is_file():
        raise SystemExit(f"shared scorer not found at {EVAL}")
    if args.meta_only:
        print_metadata(args.corpus, verbose=True)
        return 0
    results: dict[tuple[str, str], dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for cname, corpus in CORPORA.items():
            if args.corpus and cname != args.corpus:
                continue
            ids, splits = write_ids(corpus, tmp)
            for fmt, systems in SYSTEMS.items():
                if args.only and fmt != args.only:
                    continue
                results[(cname, fmt)] = {}
                for name, spec in systems:
                    out = tmp / f"{cname}-{fmt}-{name}.json"
                    results[(cname, fmt)][name] = run_one(fmt, spec, out, corpus, ids, splits)
                    print(f"  ran {name} on {cname} {fmt}", file=sys.stderr)
    print_tables(results)
    print(f"\nbaseline for time per format: {BASELINE}; ms are medians of wall-clock ms per page (this machine)")
    if args.rounds > 0:
        print("\ninterleaved timing (ours and the baseline back to back per held-out page, CPU ms, best of rounds):")
        for cname, fmt in results:
            bases: list[tuple[str, Callable[[str], str] | None]] = [(BASELINE[fmt], None)]
            if fmt == "html":
                # ours also returns title, date and author: trafilatura asked for the same, for scale
                bases.append(("trafilatura+metadata", trafilatura_html_with_metadata))
            for label, base in bases:
                t = interleaved_ratio(fmt, args.rounds, CORPORA[cname], base)
                print(
                    f"  {cname:<12} {fmt:<5} ours {t['ours_cpu_ms_median']:7.1f} ms  {label} "
                    f"{t['base_cpu_ms_median']:6.1f} ms  median page ratio {t['median_page_ratio']:.2f}x"
                    f"  ratio of medians {t['ratio_of_medians']:.2f}x  ({t['pages']} pages x {t['rounds']} rounds)"
                )
    if not args.no_meta and args.only != "text":
        print_metadata(args.corpus)
    if args.json:
        tables = {
            f"{c}/{f}": {
                system: {subset: {k: v for k, v in row.items() if k != "scores"} for subset, row in rows.items()}
                for system, rows in by_system.items()
            }
            for (c, f), by_system in results.items()
        }
        args.json.write_text(json.dumps(tables, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
