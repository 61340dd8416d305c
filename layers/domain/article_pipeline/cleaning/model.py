"""Pure-Python inference for the learned block classifier (weights shipped as JSON in ``data/``).

Training happens offline with scikit-learn (scripts/train_line_classifier.py); here we only walk
the exported trees (or apply logistic weights), so the ingest Lambda needs no numpy.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import math
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Any

from article_pipeline.cleaning import features as F

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Not __pycache__: sam build drops directories of that name when it copies a layer.
COMPILED_DIR = "compiled_trees"


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _tree_source(tree: tuple, lines: list[str]) -> None:
    feat, thr, left, right, value = tree
    stack: list[tuple[int | str, int]] = [(0, 1)]
    while stack:
        node, depth = stack.pop()
        pad = " " * depth
        if isinstance(node, str):
            lines.append(pad + node)
        elif feat[node] < 0:
            lines.append(f"{pad}s += {float(value[node])!r}")
        else:
            lines.append(f"{pad}if x{int(feat[node])} <= {float(thr[node])!r}:")
            stack.append((right[node], depth + 1))
            stack.append(("else:", depth))
            stack.append((left[node], depth + 1))


def _trees_code(trees: Sequence[tuple]) -> CodeType:
    """One function over all trees; each feature they test is read from the row once, into a local.

    A local is cheaper to read than ``x[i]``, and a row's path through the trees reads the same
    few dozen features hundreds of times (a quarter to a third less time per row, same sums).
    """
    used = sorted({int(f) for feat, *_ in trees for f in feat if f >= 0})
    lines = ["def score(x):", *(f" x{i} = x[{i}]" for i in used), " s = 0.0"]
    for tree in trees:
        _tree_source(tree, lines)
    lines.append(" return s")
    return compile("\n".join(lines), "<boilerplate-trees>", "exec")


def _cached_trees_code(trees: Sequence[tuple], cache_key: str | None) -> CodeType:
    """The compiled trees, cached like a .pyc: compiling them is most of the ingest function's init.

    The cache sits in ``data/compiled_trees``, named by the weights' digest and the interpreter's
    cache tag; the layer build writes it for python3.12 (Lambda's /opt is read-only). Anything
    unreadable or stale is ignored and the trees are compiled again.
    """
    if cache_key is None:
        return _trees_code(trees)
    path = DATA_DIR / COMPILED_DIR / f"{cache_key}.{sys.implementation.cache_tag}.marshal"
    try:
        code = marshal.loads(path.read_bytes())  # noqa: S302 - written by our own build or process
        if isinstance(code, CodeType):
            return code
    except (OSError, ValueError, EOFError, TypeError):
        pass
    code = _trees_code(trees)
    try:
        path.parent.mkdir(exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(code))
        os.replace(partial, path)
    except OSError:
        pass  # a read-only install: compile each time
    return code


def _compile_trees(trees: Sequence[tuple], cache_key: str | None = None) -> Callable[[Sequence[float]], float]:
    """Turn the exported trees into one straight-line Python function (about 5x faster than walking).

    The source is generated from numbers in our own shipped JSON only (ints and floats via repr).
    """
    namespace: dict[str, Any] = {}
    exec(_cached_trees_code(trees, cache_key), namespace)  # noqa: S102
    return namespace["score"]


class Scorer:
    """One exported estimator: gradient-boosted trees or a (standardised) logistic regression."""

    def __init__(self, spec: Mapping[str, Any], cache_key: str | None = None) -> None:
        self.kind = spec["kind"]
        if self.kind == "gbdt":
            self.init = float(spec["init"])
            self.rate = float(spec["learning_rate"])
            self.trees = [(t["f"], t["t"], t["l"], t["r"], t["v"]) for t in spec["trees"]]
            self._compiled = _compile_trees(self.trees, cache_key)
        elif self.kind == "logreg":
            self.coef = [float(c) for c in spec["coef"]]
            self.intercept = float(spec["intercept"])
            self.mean = [float(m) for m in spec["mean"]]
            self.scale = [float(s) or 1.0 for s in spec["scale"]]
        else:
            raise ValueError(f"unknown model kind {self.kind!r}")

    def raw(self, x: Sequence[float]) -> float:
        if self.kind == "gbdt":
            return self.init + self.rate * self._compiled(x)
        z = self.intercept
        for xi, c, m, s in zip(x, self.coef, self.mean, self.scale, strict=True):
            z += c * (xi - m) / s
        return z

    def proba(self, rows: Sequence[Sequence[float]]) -> list[float]:
        if self.kind == "gbdt":  # the same sum as raw(), without a method call per row
            score, init, rate = self._compiled, self.init, self.rate
            return [_sigmoid(init + rate * score(x)) for x in rows]
        return [_sigmoid(self.raw(x)) for x in rows]


class BlockModel:
    """Two-pass classifier: per-block features, then smoothing over first-pass neighbours."""

    def __init__(self, spec: Mapping[str, Any], cache_key: str | None = None) -> None:
        self.vocab: dict[str, float] = dict(spec["vocab"])
        self.default_vocab = float(spec.get("default_vocab", 0.0))
        key = cache_key
        self.stage1 = Scorer(spec["stage1"], key and f"{key}-1") if spec["stage1"].get("kind") != "none" else None
        self.stage2 = Scorer(spec["stage2"], key and f"{key}-2") if spec.get("stage2") else None
        self.threshold = float(spec.get("threshold", 0.5))
        # HTML only (see html.model_blocks): when to defer to trafilatura, and to which of its passes
        self.threshold_uncovered = float(spec.get("threshold_uncovered", self.threshold))
        self.gate = float(spec.get("gate", 0.0))
        self.max_uncovered = float(spec.get("max_uncovered", 1.0))
        self.fallback = str(spec.get("fallback", "fast"))
        self.defer = Scorer(spec["defer"]) if spec.get("defer") else None  # logistic, on html.defer_features
        self.defer_above = float(spec.get("defer_above", 1.0))
        self.extra_names: list[str] = list(spec.get("extra_names", []))
        self.attr_vocab: dict[str, float] | None = spec.get("attr_vocab")
        self.attr_default = float(spec.get("attr_default", 0.0))

    def with_attributes(self, extra: Sequence[Sequence[float]], attrs: Sequence[Sequence[str]]) -> list[list[float]]:
        """Append the learned score of each block's HTML class/id words to its extra features."""
        vocab = self.attr_vocab or {}
        scores: dict[tuple[str, ...], list[float]] = {}  # blocks under the same elements share their words
        out = []
        for e, a in zip(extra, attrs, strict=True):
            key = tuple(a)
            if key not in scores:
                scores[key] = F.vocab_scores(a, vocab, self.attr_default)[:3]
            out.append([*e, *scores[key]])
        return out

    def probabilities(
        self,
        blocks: Sequence[str],
        extra: Sequence[Sequence[float]] | None = None,
        attrs: Sequence[Sequence[str]] | None = None,
        static: F.StaticRows | None = None,
    ) -> list[float]:
        if not blocks:
            return []
        if attrs is not None and extra is not None:
            extra = self.with_attributes(extra, attrs)
        rows, word_counts = F.block_features(blocks, self.vocab, extra, self.default_vocab, static)
        if self.stage1 is None:
            raise ValueError("this model has no trained first pass")
        probs = self.stage1.proba(rows)
        if self.stage2 is None:
            return probs
        for row, smooth in zip(rows, F.stage2_features(probs, word_counts), strict=True):
            row += smooth  # the first pass is done with the rows: extended in place, not copied
        return self.stage2.proba(rows)


def warm_cache() -> None:
    """Write the compiled-trees cache for this interpreter (the layer build runs this with 3.12)."""
    for name in ("html", "text"):
        load_model(name)


@lru_cache(maxsize=4)
def load_model(name: str) -> BlockModel:
    """Load ``data/boilerplate_<name>.json`` once per process (Lambda containers keep it warm)."""
    raw = (DATA_DIR / f"boilerplate_{name}.json").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return BlockModel(json.loads(raw), cache_key=f"boilerplate_{name}-{digest}")
