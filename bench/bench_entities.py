"""`make bench-entities`: canonical entities on ELEVANT's News-Fair articles, ours beside spaCy's raw entities.

Gold: ``../shared/corpus/entities/newsfair-dev.jsonl`` (40 articles, mentions linked to Wikidata), scored
with the functions of ``../shared/bench/entities_score.py`` in this one process: mention detection
(lenient and strict), pairwise and B-cubed clustering, split and merged entities.

Held-out part, fixed before any tuning: the HELDOUT_SIZE articles whose doc_id has the smallest SHA-256
(see ``heldout_ids``). Rules and tables were developed on the other articles only; the held-out figures
are the ones to expect on new articles. The whole 40 are reported too, as the issue's targets are set there.

Each corpus text is the headline, a blank line and the body. The predictor gives the analysis stage what
ingest gives it for an article with a title (a JSON export or an HTML page): ``{"title", "text"}``, and
maps the offsets back: body mentions by the body's position, title mentions by the title's. The baseline
is spaCy's raw named entities of the whole text, one entity per distinct string.

    .venv/bin/python bench/bench_entities.py [--show-errors]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
GOLD = SHARED / "corpus" / "entities" / "newsfair-dev.jsonl"
sys.path.insert(0, str(ROOT / "layers" / "domain"))
sys.path.insert(0, str(SHARED / "bench"))

from article_pipeline.analysis import analyze_text  # noqa: E402
from article_pipeline.entities import NAMED_LABELS  # noqa: E402

HELDOUT_SIZE = 12
TARGETS = {"mention_f1": 0.90, "pairwise_f1": 0.90, "splits": 3, "merges": 0}

Clusters = list[list[tuple[int, int]]]


def heldout_ids(doc_ids: Sequence[str], size: int = HELDOUT_SIZE) -> set[str]:
    """The held-out articles: the ``size`` doc_ids with the smallest SHA-256, whatever the file's order."""
    return set(sorted(doc_ids, key=lambda d: hashlib.sha256(d.encode("utf-8")).hexdigest())[:size])


@functools.cache
def _nlp() -> Any:
    from article_pipeline.nlp import load_pipeline

    return load_pipeline()


def split_title(text: str) -> tuple[str, int, int]:
    """(title, its start, where the body starts): the first paragraph is the headline."""
    start = len(text) - len(text.lstrip())
    cut = text.find("\n\n", start)
    if cut == -1:
        return "", 0, 0
    title = text[start:cut].strip()
    return title, start, cut + 2


def predict(text: str) -> Clusters:
    """Ours: the analysis stage on {title, body}; spans into ``text``."""
    title, title_start, body_start = split_title(text)
    document = analyze_text({"title": title or None, "text": text[body_start:], "language": "en"}, nlp=_nlp())
    clusters: Clusters = []
    for entity in document["entities"]:
        spans = [(m["start"] + body_start, m["end"] + body_start) for m in entity["mentions"]]
        spans += [(m["start"] + title_start, m["end"] + title_start) for m in entity.get("title_mentions", [])]
        clusters.append(spans)
    return clusters


def predict_spacy_raw(text: str) -> Clusters:
    """Baseline: spaCy's named entities (same labels as ours), one entity per distinct string."""
    by_string: dict[str, list[tuple[int, int]]] = {}
    for ent in _nlp()(text).ents:
        if ent.label_ in NAMED_LABELS:
            by_string.setdefault(ent.text, []).append((ent.start_char, ent.end_char))
    return list(by_string.values())


def _summary(aggregated: dict[str, Any]) -> dict[str, Any]:
    lenient, strict = aggregated["mention_lenient"]["micro"], aggregated["mention_strict"]["micro"]
    cluster = aggregated["cluster_lenient"]
    return {
        "mention_p": lenient["p"],
        "mention_r": lenient["r"],
        "mention_f1": lenient["f1"],
        "mention_f1_strict": strict["f1"],
        "pairwise_f1": cluster["pairwise"]["micro"]["f1"],
        "b3_f1": cluster["b3"]["micro"]["f1"],
        "splits": cluster["splits"],
        "splits_ignoring_demonyms": cluster["splits_ignoring_demonyms"],
        "merges": cluster["merges"],
        "whole": f"{cluster['gold_entities_2plus_unsplit']}/{cluster['gold_entities_2plus']}",
        "gold": aggregated["gold_mentions"],
    }


def run(
    docs: list[dict[str, Any]], systems: dict[str, Callable[[str], Clusters]], show_errors: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """Per-article scores of each system (the scorer's ``score_article``)."""
    import entities_score

    per_system: dict[str, list[dict[str, Any]]] = {name: [] for name in systems}
    for doc in docs:
        for name, predictor in systems.items():
            show = name == "ours" and doc["doc_id"] in show_errors
            per_system[name].append(entities_score.score_article(doc, predictor(doc["text"]), (), show))
    return per_system


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--show-errors", action="store_true", help="print our errors on the development articles")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures (no article text) here")
    ap.add_argument(
        "--development-only", action="store_true", help="score the development articles only (while tuning)"
    )
    args = ap.parse_args()
    if not args.gold.exists():
        print(f"skipped: {args.gold} is missing (the shared corpus is not checked out beside the project)")
        return 0
    import entities_score

    docs = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    heldout = heldout_ids([d["doc_id"] for d in docs])
    development = {d["doc_id"] for d in docs} - heldout
    if args.development_only:
        docs = [d for d in docs if d["doc_id"] in development]
        heldout = set()
    per_system = run(
        docs, {"ours": predict, "spacy-raw": predict_spacy_raw}, development if args.show_errors else set()
    )
    parts = {
        f"held-out ({len(heldout)})": heldout,
        f"development ({len(development)})": development,
        f"all ({len(docs)})": development | heldout,
    }
    if args.development_only:
        parts = {f"development ({len(development)})": development}
    columns = ("mention_p", "mention_r", "mention_f1", "mention_f1_strict", "pairwise_f1", "b3_f1", "splits")
    columns += ("splits_ignoring_demonyms", "merges", "whole", "gold")
    header = ("part", "system", "ment P", "ment R", "ment F1", "strict F1", "pair F1", "B3 F1", "splits")
    header += ("spl-dem", "merges", "whole", "gold")
    print(f"{header[0]:18} {header[1]:10} " + " ".join(f"{h:>9}" for h in header[2:]))
    figures: dict[str, dict[str, Any]] = {}
    for part, ids in parts.items():
        for system, per in per_system.items():
            summary = _summary(entities_score.aggregate([r for r in per if r["doc_id"] in ids]))
            figures[f"{part} {system}"] = summary
            print(f"{part:18} {system:10} " + " ".join(f"{_fmt(summary[c]):>9}" for c in columns))
    print("\ntargets (ours): mention F1 (lenient) >= 0.90, pairwise F1 >= 0.90, splits <= 3, merges 0")
    for part in parts:
        s = figures[f"{part} ours"]
        checks = {
            "mention F1": s["mention_f1"] >= TARGETS["mention_f1"],
            "pairwise F1": s["pairwise_f1"] >= TARGETS["pairwise_f1"],
            "splits": s["splits"] <= TARGETS["splits"],
            "merges": s["merges"] <= TARGETS["merges"],
        }
        print(f"  {part:18} " + "  ".join(f"{k} {'met' if ok else 'NOT met'}" for k, ok in checks.items()))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
