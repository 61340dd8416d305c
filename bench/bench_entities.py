"""Entity-level precision and recall of canonical entities against hand-labelled articles.

A predicted entity matches a gold one when their names (or any alias of either) share a
normalised key; each gold entity is matched at most once. "label" also requires the same label.

    PYTHONPATH=layers/domain python bench/bench_entities.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO / "layers" / "domain"))

from article_pipeline.analysis import analyze_text  # noqa: E402
from article_pipeline.ids import name_key  # noqa: E402


def article_text(source: str) -> str:
    if source.startswith("quotes:"):
        doc_id = source.removeprefix("quotes:")
        with open(SHARED / "quotes" / "polnear-train.jsonl", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["doc_id"] == doc_id:
                    return record["text"]
        raise KeyError(doc_id)
    return (SHARED / source).read_text(encoding="utf-8")


def keys(entity: dict) -> set[str]:
    return {name_key(n) for n in [entity["name"], *entity.get("aliases", [])] if name_key(n)}


def score(gold: list[dict], predicted: list[dict], with_label: bool) -> tuple[int, int, int]:
    """(true positives, predicted, gold)."""
    unmatched = list(gold)
    hits = 0
    for entity in predicted:
        for candidate in unmatched:
            if keys(entity) & keys(candidate) and (not with_label or entity["label"] == candidate["label"]):
                unmatched.remove(candidate)
                hits += 1
                break
    return hits, len(predicted), len(gold)


def main() -> int:
    fixtures = json.loads((REPO / "tests" / "fixtures" / "entities_gold.json").read_text(encoding="utf-8"))
    totals = {False: [0, 0, 0], True: [0, 0, 0]}
    print(f"{'article':58} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'P+lab':>6} {'R+lab':>6}")
    for article in fixtures["articles"]:
        document = analyze_text({"text": article_text(article["source"]), "language": "en"})
        row = []
        for with_label in (False, True):
            tp, npred, ngold = score(article["entities"], document["entities"], with_label)
            for i, v in enumerate((tp, npred, ngold)):
                totals[with_label][i] += v
            row += [tp / npred if npred else 0.0, tp / ngold if ngold else 0.0]
        print(f"{article['source'][:58]:58} {ngold:4d} {npred:4d} " + " ".join(f"{v:6.3f}" for v in row))
    summary = []
    for with_label in (False, True):
        tp, npred, ngold = totals[with_label]
        p, r = tp / npred, tp / ngold
        summary.append((p, r, 2 * p * r / (p + r) if p + r else 0.0))
    print(f"\nall 5 articles, name match:        P {summary[0][0]:.3f}  R {summary[0][1]:.3f}  F1 {summary[0][2]:.3f}")
    print(f"all 5 articles, name + label match: P {summary[1][0]:.3f}  R {summary[1][1]:.3f}  F1 {summary[1][2]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
