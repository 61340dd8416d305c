"""Fixed held-out parts and grouped folds of the shared boilerplate corpora (used by training and bench).

Why: the model must be chosen on one part of each corpus and judged on another it never saw. Pages
are grouped by site (the URL's host without ``www.``; a page without a URL is its own site) so that
one site's template never sits on both sides, and the split is stratified by page type (WCXB's
``page_type``; the ScrapingHub pages are all "article"). Deterministic: sites are ordered by a
SHA-256 of a salted name, then taken greedily while every page type they carry stays within its
quota, so the same corpus always yields the same split.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

HELD_OUT_SHARE = 0.25
SALT = "article-pipeline-boilerplate-split-v1"


def site_of(page_id: str, url: str | None) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.lower().removeprefix("www.")
    return host or f"page:{page_id}"


def page_types(ground_truth: dict[str, dict]) -> dict[str, str]:
    return {pid: v.get("page_type") or "article" for pid, v in ground_truth.items()}


def _sites(ground_truth: dict[str, dict]) -> dict[str, list[str]]:
    sites: dict[str, list[str]] = defaultdict(list)
    for pid in sorted(ground_truth):
        sites[site_of(pid, ground_truth[pid].get("url"))].append(pid)
    return sites


def _order(name: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{name}".encode()).hexdigest()


def assign(ground_truth: dict[str, dict], shares: list[float], salt: str) -> list[list[str]]:
    """Partition pages into len(shares) parts: whole sites, each page type split by the shares."""
    types = page_types(ground_truth)
    total = Counter(types.values())
    quota = [{t: math.ceil(n * s) for t, n in total.items()} for s in shares]
    filled = [Counter() for _ in shares]
    parts: list[list[str]] = [[] for _ in shares]
    sites = _sites(ground_truth)
    for site in sorted(sites, key=lambda s: _order(s, salt)):
        need = Counter(types[p] for p in sites[site])
        # the part with the most room left for this site's page types (ties: the earliest part)
        room = [min((quota[i][t] - filled[i][t]) / max(quota[i][t], 1) for t in need) for i in range(len(shares))]
        best = max(range(len(shares)), key=lambda i: (room[i], -i))
        filled[best].update(need)
        parts[best].extend(sites[site])
    return [sorted(p) for p in parts]


def split(ground_truth: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(train ids, held-out ids): ~25% of each page type held out, sites never split."""
    train, held = assign(ground_truth, [1 - HELD_OUT_SHARE, HELD_OUT_SHARE], SALT)
    return train, held


def folds(ground_truth: dict[str, dict], ids: list[str], k: int) -> list[list[str]]:
    """k grouped, stratified folds of ``ids`` (for cross-validation inside the train part)."""
    sub = {pid: ground_truth[pid] for pid in ids}
    return assign(sub, [1 / k] * k, f"{SALT}-folds")


def load_split(corpus: Path) -> tuple[dict[str, dict], list[str], list[str]]:
    gt = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    train, held = split(gt)
    return gt, train, held


if __name__ == "__main__":  # print the split sizes per page type
    import sys

    for corpus in sys.argv[1:]:
        gt, train, held = load_split(Path(corpus))
        types = page_types(gt)
        for name, ids in (("train", train), ("held-out", held)):
            print(corpus, name, len(ids), dict(sorted(Counter(types[p] for p in ids).items())))
