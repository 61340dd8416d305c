"""Canonical entities: spaCy's mentions merged per article into the things they name.

"Donald Trump", "Trump", "President Trump" and "Trump's" become one PERSON; spelling variants
of a surname (Zelensky / Zelenskyy / Zelenskiy) join the same person; each entity's label is
a vote over its mentions, so the small model's slips (a lone "Trump" tagged ORG) are outvoted.
Demonyms (NORP: "Russian") and places (GPE: "Russia") are kept apart on purpose.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from article_pipeline.ids import name_key

# Labels that name things; numbers, dates and quantities are not entities people query.
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
# Labels that may describe the same referent and so may merge (a person is often mis-tagged ORG).
COMPATIBLE = {
    "PERSON": {"PERSON", "ORG", "GPE", "NORP"},
    "ORG": {"ORG", "PERSON", "GPE", "PRODUCT"},
    "GPE": {"GPE", "LOC", "ORG"},
    "LOC": {"LOC", "GPE"},
}
TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "president",
        "vice",
        "prime",
        "minister",
        "chancellor",
        "secretary",
        "general",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "adm",
        "judge",
        "justice",
        "mayor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "rev",
        "father",
        "sheikh",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "director",
        "leader",
        "premier",
        "commissioner",
        "attorney",
        "state",
        "deputy",
        "chief",
        "former",
        "acting",
        "u.s.",
        "us",
    }
)
LEADING_WORDS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.|\b(?:Inc|Corp|Ltd|Co|Jr|Sr|St)\.)$")


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str
    name: str  # text with titles, articles and possessives removed


@dataclass
class Entity:
    name: str
    label: str
    mentions: list[Mention] = field(default_factory=list)
    salience: float = 0.0

    @property
    def aliases(self) -> list[str]:
        seen: dict[str, None] = {}
        for mention in self.mentions:
            if mention.name != self.name:
                seen.setdefault(mention.name, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "aliases": self.aliases,
            "count": len(self.mentions),
            "salience": round(self.salience, 4),
            "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in self.mentions],
        }


def strip_name(text: str, label: str) -> str:
    """The bare name of a mention: no leading article, possessive or (for people) title."""
    words = text.split()
    while words and words[0].lower() in LEADING_WORDS:
        words = words[1:]
    if label == "PERSON":
        while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
            words = words[1:]
    name = POSSESSIVE.sub("", " ".join(words)).strip(" ,;:-\"'“”‘’")
    # A final period ends the sentence, unless it closes an abbreviation ("U.S.", "Inc.").
    if name.endswith(".") and not ABBREVIATION_END.search(name):
        name = name.rstrip(".")
    return name or text.strip()


def mentions_from_spans(spans: Iterable[tuple[int, int, str, str]]) -> list[Mention]:
    """Mentions from (start, end, text, label) tuples, numeric labels dropped."""
    found: list[Mention] = []
    for start, end, text, label in spans:
        if label not in NAMED_LABELS:
            continue
        name = strip_name(text, label)
        # "State" (of "Secretary of State") or "President" alone names nobody.
        if not re.search(r"\w", name) or all(w.lower().strip(".") in TITLES for w in name.split()):
            continue
        # Re-anchor the span on the bare name so highlights and offsets show the name itself.
        offset = text.find(name)
        if offset >= 0:
            start, end, text = start + offset, start + offset + len(name), name
        found.append(Mention(start, end, text, label, name))
    return found


@functools.lru_cache(maxsize=65536)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(name_key(name).split())


def _same_surname(a: str, b: str) -> bool:
    """Equal, or spelling variants of one transliterated surname (Zelensky / Zelenskyy)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0]:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def acronym(name: str) -> str:
    """Initials of the capitalised words: "United States" -> "us", "United Nations" -> "un"."""
    return "".join(w[0] for w in name.split() if w[:1].isupper()).lower()


def _is_acronym_of(short: str, long: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", short)
    return (
        len(letters) >= 2
        and short.replace(".", "").isupper()
        and len(long.split()) >= 2
        and letters.lower() == acronym(long)
    )


def _compatible(a: str, b: str) -> bool:
    return b in COMPATIBLE.get(a, {a}) or a in COMPATIBLE.get(b, {b})


def canonical_entities(mentions: Sequence[Mention], text_length: int) -> list[Entity]:
    """Group mentions into entities, vote labels, pick names, score salience; most salient first."""
    groups: list[list[Mention]] = []
    # Longest names first, so "Donald Trump" exists before "Trump" looks for a home.
    for mention in sorted(mentions, key=lambda m: (-len(_tokens(m.name)), m.start)):
        home = _find_group(groups, mention)
        if home is None:
            groups.append([mention])
        else:
            home.append(mention)
    entities = [_entity(group) for group in groups]
    _score_salience(entities, text_length)
    entities.sort(key=lambda e: (-e.salience, e.mentions[0].start))
    return entities


def _find_group(groups: list[list[Mention]], mention: Mention) -> list[Mention] | None:
    tokens = _tokens(mention.name)
    if not tokens:
        return None
    key = " ".join(tokens)
    best: list[Mention] | None = None
    for group in groups:
        head = group[0]
        if not _compatible(head.label, mention.label):
            continue
        head_tokens = _tokens(head.name)
        if key == " ".join(head_tokens):
            return group
        if _person_like(head) and mention.label in {"PERSON", "ORG", "GPE", "NORP"}:
            # A surname alone joins the full name it shortens; a full name may vary its surname's spelling.
            if len(tokens) == 1 and len(head_tokens) > 1 and _same_surname(tokens[0], head_tokens[-1]):
                best = best or group
            elif _same_person_name(tokens, head_tokens, mention.label):
                return group
        elif (
            head.label in {"ORG", "GPE", "LOC", "FAC"}
            and _compatible(head.label, mention.label)
            and (_is_acronym_of(mention.name, head.name) or _is_acronym_of(head.name, mention.name))
        ):
            # "U.S." and "United States", "UN" and "United Nations"
            return group
        elif (
            head.label in {"ORG", "GPE", "LOC"}
            and mention.label == head.label
            and len(tokens) >= 2
            and key == " ".join(head_tokens[-len(tokens) :])
        ):
            # "Federal Bureau of Investigation" and "Bureau of Investigation"
            best = best or group
    return best


def _person_like(mention: Mention) -> bool:
    """PERSON, or a two-word capitalised ORG name, which the small model often gives to people."""
    if mention.label == "PERSON":
        return True
    words = mention.name.split()
    return mention.label == "ORG" and len(words) == 2 and all(w[:1].isupper() and w.isalpha() for w in words)


def _same_person_name(tokens: Sequence[str], head_tokens: Sequence[str], label: str) -> bool:
    """Same given names and a variant surname, or two lone surnames spelt alike."""
    if len(tokens) == len(head_tokens) > 1:
        return tokens[:-1] == head_tokens[:-1] and _same_surname(tokens[-1], head_tokens[-1])
    return len(tokens) == 1 == len(head_tokens) and label == "PERSON" and _same_surname(tokens[0], head_tokens[0])


def _entity(group: list[Mention]) -> Entity:
    group.sort(key=lambda m: m.start)
    votes = Counter(m.label for m in group)
    # Full-name mentions are more reliable than lone surnames: weight them double.
    for m in group:
        if len(m.name.split()) > 1:
            votes[m.label] += 1
    label = max(votes, key=lambda lab: (votes[lab], lab == "PERSON"))
    spellings = Counter(m.name for m in group)
    name = max(spellings, key=lambda n: (len(n.split()), spellings[n], -len(n)))
    # Among equally long spellings, the most frequent one is canonical.
    same_length = Counter({n: c for n, c in spellings.items() if len(n.split()) == len(name.split())})
    name = same_length.most_common(1)[0][0] if same_length else name
    return Entity(name=name, label=label, mentions=group)


def _score_salience(entities: list[Entity], text_length: int) -> None:
    """Frequency and earliness: a mention near the top counts up to twice a late one."""
    if not entities:
        return
    length = max(text_length, 1)
    raw = [sum(2.0 - m.start / length for m in entity.mentions) for entity in entities]
    top = max(raw) or 1.0
    for entity, value in zip(entities, raw, strict=True):
        entity.salience = value / top


def entity_for_span(entities: Sequence[Entity], start: int, end: int) -> Entity | None:
    """The entity one of whose mentions overlaps [start, end), preferring the longest overlap."""
    best, best_overlap = None, 0
    for entity in entities:
        for m in entity.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > best_overlap:
                best, best_overlap = entity, overlap
    return best
