"""Coarse part-of-speech tags from the model's own attribute-ruler rules, without its Matcher.

spaCy's English pipelines get ``token.pos_`` from the ``attribute_ruler``: about 180 token
patterns (a tag map plus exceptions on the word and its dependency label) run through a
``Matcher``, which also sets MORPH and LEMMA values we never read. On our articles that matcher
costs more than the tagger. ``RulePos`` compiles the same patterns, POS only, into lookups keyed
by tag and applies them in one pass, with the ruler's precedence (the later pattern wins).

Only the constraint forms the English models use are compiled (equality, IN, NOT_IN, REGEX on
TAG / LOWER / DEP / ORTH / TEXT, and IS_SPACE). ``compile_rules`` returns None for anything
else, and ``load_pipeline`` then keeps the model's own attribute_ruler. The patterns are read
from the model's files (``saved_patterns``), so the ruler need not be loaded at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

_STRING_ATTRS = ("TAG", "LOWER", "DEP", "ORTH", "TEXT")
_ATTRS = (*_STRING_ATTRS, "IS_SPACE")
# Where each attribute sits in the rows RulePos reads with Doc.to_array (ORTH serves TEXT too).
_COLUMN = {"TAG": 0, "LOWER": 1, "DEP": 2, "ORTH": 3, "TEXT": 3, "IS_SPACE": 4}


@dataclass(frozen=True)
class _Test:
    """One constraint on the token at ``offset`` from the one whose POS is set."""

    offset: int
    attr: str  # a key of _ATTRS
    op: str  # "eq", "in", "not_in", "regex", "bool"
    value: Any  # a hash, a frozenset of hashes, a compiled regex or a bool


@dataclass(frozen=True)
class _Rule:
    order: int
    tests: tuple[_Test, ...]
    pos: int  # spaCy's part-of-speech symbol id


def _test(offset: int, attr: str, spec: Any, strings: Any) -> _Test | None:
    if attr == "IS_SPACE":
        return _Test(offset, attr, "bool", bool(spec)) if isinstance(spec, bool) else None
    if isinstance(spec, str):
        return _Test(offset, attr, "eq", strings.add(spec))
    if isinstance(spec, Mapping) and len(spec) == 1:
        ((op, value),) = spec.items()
        if op in ("IN", "NOT_IN") and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return _Test(offset, attr, op.lower(), frozenset(strings.add(v) for v in value))
        if op == "REGEX" and isinstance(value, str):
            return _Test(offset, attr, "regex", re.compile(value))
    return None


def compile_rules(patterns: Iterable[Mapping[str, Any]], vocab: Vocab) -> list[_Rule] | None:
    """The POS-setting patterns of an attribute ruler as rules; None if one cannot be compiled."""
    from spacy.parts_of_speech import IDS

    rules: list[_Rule] = []
    for order, entry in enumerate(patterns):
        pos = (entry.get("attrs") or {}).get("POS")
        if pos is None:
            continue
        if pos not in IDS:
            return None
        for pattern in entry["patterns"]:
            if not isinstance(pattern, list) or not pattern:
                return None
            index = int(entry.get("index", 0))
            index = index + len(pattern) if index < 0 else index
            if not 0 <= index < len(pattern):
                return None
            tests = []
            for position, token_spec in enumerate(pattern):
                if not isinstance(token_spec, Mapping):
                    return None
                for attr, spec in token_spec.items():
                    test = _test(position - index, attr, spec, vocab.strings) if attr in _ATTRS else None
                    if test is None:
                        return None
                    tests.append(test)
            rules.append(_Rule(order, tuple(tests), IDS[pos]))
    return rules


class RulePos:
    """Pipeline component: sets ``token.pos`` as the attribute ruler would, and nothing else."""

    def __init__(self, rules: Sequence[_Rule]) -> None:
        self.rules = list(rules)
        # Rules whose target token must have one of a few tags are only tried on those tags.
        by_tag: dict[int, list[_Rule]] = {}
        untagged: list[_Rule] = []
        for rule in self.rules:
            tags = [t for t in rule.tests if t.offset == 0 and t.attr == "TAG" and t.op in ("eq", "in")]
            if not tags:
                untagged.append(rule)
                continue
            for tag in [tags[0].value] if tags[0].op == "eq" else tags[0].value:
                by_tag.setdefault(tag, []).append(rule)
        # Latest first: the first rule that matches is the one the ruler would apply last, so the
        # search stops there instead of trying every rule for the tag.
        self._untagged = sorted(untagged, key=lambda r: r.order, reverse=True)
        self._by_tag = {
            tag: sorted(rules + untagged, key=lambda r: r.order, reverse=True) for tag, rules in by_tag.items()
        }

    def __call__(self, doc: Doc) -> Doc:
        import numpy
        from spacy.attrs import DEP, IS_SPACE, LOWER, ORTH, POS, TAG

        columns = doc.to_array([TAG, LOWER, DEP, ORTH, IS_SPACE]).tolist()
        strings = doc.vocab.strings
        n = len(columns)
        pos = doc.to_array([POS]).tolist()
        for i, row in enumerate(columns):
            for rule in self._by_tag.get(row[0], self._untagged):
                for test in rule.tests:
                    j = i + test.offset
                    if not 0 <= j < n:
                        break
                    value = columns[j][_COLUMN[test.attr]]
                    if test.op == "eq":
                        ok = value == test.value
                    elif test.op == "in":
                        ok = value in test.value
                    elif test.op == "not_in":
                        ok = value not in test.value
                    elif test.op == "bool":
                        ok = bool(value) == test.value
                    else:
                        ok = test.value.search(strings[value]) is not None
                    if not ok:
                        break
                else:
                    pos[i] = rule.pos
                    break
        doc.from_array([POS], numpy.asarray(pos, dtype="uint64"))  # type: ignore[arg-type]
        return doc


FACTORY = "article_pipeline_rule_pos"


def register() -> None:
    """Register the component factory with spaCy (idempotent)."""
    from spacy.language import Language

    if Language.has_factory(FACTORY):
        return

    @Language.factory(FACTORY)
    def make_rule_pos(nlp: Language, name: str) -> RulePos:
        if "attribute_ruler" in nlp.pipe_names:
            ruler: Any = nlp.get_pipe("attribute_ruler")  # an AttributeRuler; spaCy types pipes as callables
            patterns = ruler.patterns
        else:
            patterns = saved_patterns(nlp.path)
        rules = compile_rules(patterns, nlp.vocab) if patterns is not None else None
        if rules is None:
            raise ValueError("the attribute ruler uses patterns RulePos cannot compile")
        return RulePos(rules)


def saved_patterns(model_path: Path | str | None) -> list[dict[str, Any]] | None:
    """The attribute ruler's patterns as the model stores them (``attribute_ruler/patterns``), read
    without building the ruler and its Matcher; None when the model has none on disk."""
    if model_path is None:
        return None
    path = Path(model_path) / "attribute_ruler" / "patterns"
    if not path.is_file():
        return None
    import srsly

    patterns = srsly.read_msgpack(path)
    return patterns if isinstance(patterns, list) else None
