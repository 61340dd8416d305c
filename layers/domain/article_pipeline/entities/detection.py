"""Mentions from spaCy docs, beyond the NER spans: what the small model misses that the article itself shows.

- a name the NER cut short at one place and tagged whole at another, where the text reads the whole
  name at both ("the Great Accomplishment of Peace" + "the Middle East" beside "the Great
  Accomplishment of Peace in the Middle East");
- demonyms of the curated table the NER did not tag ("Russian officials");
- acronyms defined in parentheses, and the definition itself ("the Food and Drug Administration (FDA)");
- a plural head shared by a list of names ("Los Angeles and Orange Counties": two counties, not the city);
- names the article uses elsewhere, found again where the NER missed them (a lone "Langer" after
  "Bernhard Langer"; a first name the article uses for only one person), in the body and in the headline.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from article_pipeline.entities.aliases import alias_table
from article_pipeline.entities.grouping import ROLE_ONLY, canonical_entities, mentions_from_spans, score_salience
from article_pipeline.entities.model import BODY, TITLE, Entity, Mention
from article_pipeline.entities.names import TITLES, abbreviates, form_key, looks_like_acronym

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PARENTHESISED = re.compile(r"\s*\(\s*([^()\s]{2,12})\s*\)")
LIST_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+")
# A plural head after a list of names applies to each of them: "Fulton and DeKalb counties".
PLURAL_HEADS = {
    "counties": "County",
    "rivers": "River",
    "provinces": "Province",
    "districts": "District",
    "parishes": "Parish",
    "boroughs": "Borough",
    "townships": "Township",
    "streets": "Street",
    "avenues": "Avenue",
}
NEXT_WORD = re.compile(r"\s+([A-Za-z]+)\b")
LIST_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})
PROPER_TAGS = frozenset({"PROPN"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "every"})


def entities_from_docs(doc: Doc, title_doc: Doc | None = None) -> list[Entity]:
    """Canonical entities of an article's body ``doc`` and, when given, its headline ``title_doc``.

    Body mentions index ``doc.text``, headline mentions ``title_doc.text``; both count for salience.
    """
    mentions, definitions = doc_mentions(doc, BODY)
    if title_doc is not None:
        title_mentions, title_definitions = doc_mentions(title_doc, TITLE)
        mentions += title_mentions
        definitions = {**title_definitions, **definitions}
    entities = canonical_entities(mentions, len(doc.text), definitions)
    propagate(entities, doc, BODY)
    if title_doc is not None:
        propagate(entities, title_doc, TITLE)
    score_salience(entities, len(doc.text))
    entities.sort(key=lambda e: (-e.salience, -1 if e.title_mentions else e.mentions[0].start))
    return entities


def doc_mentions(doc: Doc, field: str = BODY) -> tuple[list[Mention], dict[str, str]]:
    """Mentions of one doc and the acronyms it defines (acronym key -> key of the name it stands for)."""
    text = doc.text
    spans = completed_names(text, [(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents])
    mentions = mentions_from_spans(spans, field)
    mentions = distribute_plural_heads(text, mentions)
    definitions, defined = acronym_definitions(text, mentions, field)
    mentions += defined
    mentions += undetected_demonyms(doc, field)
    mentions.sort(key=lambda m: m.start)
    return mentions, definitions


NerSpan = tuple[int, int, str, str]  # start, end, text, label
_COORDINATED = re.compile(r"(,? and |,? & |, )")


def completed_names(text: str, spans: Sequence[NerSpan]) -> list[NerSpan]:
    """Each span that the text continues into a longer name the NER tagged elsewhere, made that name.

    The small model chunks one phrase differently at different places. Where the words around a short
    span read, letter for letter, a longer name tagged elsewhere in the same text (the short one its
    first or last words; a leading "the" and quotation marks aside), this is that name too, with its
    label; spans inside it are dropped. Only when every span the longer name would overlap lies wholly
    inside it, and not when the short one is a member of a list the NER took for one name ("Cruz" of
    "Cruz and Rubio").
    """
    cores = [_core(text, start, end) for start, end, _, _ in spans]
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, _, _, label), (_, _, core) in zip(spans, cores, strict=True):
        if " " in core:
            labels[core][label] += 1
    members = {part for name in labels if _COORDINATED.search(name) for part in _COORDINATED.split(name)[::2]}
    by_first: dict[str, list[str]] = defaultdict(list)
    by_last: dict[str, list[str]] = defaultdict(list)
    for name in labels:
        by_first[name.split(" ", 1)[0]].append(name)
        by_last[name.rsplit(" ", 1)[-1]].append(name)
    order = sorted(range(len(spans)), key=lambda k: spans[k])
    ordered = [spans[k] for k in order]
    starts = [s[0] for s in ordered]
    completed: dict[int, NerSpan] = {}
    for position, k in enumerate(order):
        start, end, _, _ = spans[k]
        core_start, core_end, core = cores[k]
        if not core or core in members:
            continue
        candidates = [
            (start, core_start + len(longer), longer)
            for longer in by_first.get(core.split(" ", 1)[0], ())
            if longer.startswith(core + " ") and text.startswith(longer, core_start)
        ]
        candidates += [
            (core_end - len(longer), end, longer)
            for longer in by_last.get(core.rsplit(" ", 1)[-1], ())
            if longer.endswith(" " + core)
            and core_end >= len(longer)
            and text.startswith(longer, core_end - len(longer))
        ]
        if not candidates:
            continue
        lo, hi, longer = max(candidates, key=lambda found: len(found[2]))
        near = ordered[max(0, bisect.bisect_left(starts, lo) - 1) : bisect.bisect_left(starts, hi)]
        if all(s[1] <= lo or s[0] >= hi or (lo <= s[0] and s[1] <= hi) for s in near):
            completed[position] = (lo, hi, text[lo:hi], labels[longer].most_common(1)[0][0])
    if not completed:
        return list(spans)
    wholes = sorted(set(completed.values()))
    inside = {
        position
        for position, (start, end, _, _) in enumerate(ordered)
        if position not in completed and any(lo <= start and end <= hi for lo, hi, _, _ in wholes)
    }
    kept = [completed.get(position, span) for position, span in enumerate(ordered) if position not in inside]
    return sorted(set(kept))


_LEADING = re.compile(r"(?:(?:the|The)\s+|[“\"‘'])+")
_TRAILING = re.compile(r"[”\"’'.,]+$")


def _core(text: str, start: int, end: int) -> tuple[int, int, str]:
    """A span's name as the text writes it, without a leading "the" or quotation marks around it."""
    lead = _LEADING.match(text, start, end)
    core_start = lead.end() if lead else start
    trail = _TRAILING.search(text, core_start, end)
    core_end = trail.start() if trail else end
    return core_start, core_end, text[core_start:core_end]


class _Covered:
    """Characters of a text already inside a mention: overlap tests in time proportional to the span."""

    def __init__(self, length: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.mask = bytearray(length)
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * max(0, min(end, len(self.mask)) - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.mask[start:end])


def acronym_definitions(text: str, mentions: Sequence[Mention], field: str) -> tuple[dict[str, str], list[Mention]]:
    """Definitions "Name (ACR)": the acronym's key mapped to the name's, and the acronym's mention if untagged."""
    definitions: dict[str, str] = {}
    added: list[Mention] = []
    taken = _Covered(len(text), ((m.start, m.end) for m in mentions))
    for mention in mentions:
        if len(mention.name.split()) < 2 or mention.label in {"PERSON", "NORP"}:
            continue
        match = PARENTHESISED.match(text, mention.end)
        if match is None:
            continue
        short = match.group(1)
        if not looks_like_acronym(short) or not abbreviates(short, mention.name):
            continue
        definitions[form_key(short)] = form_key(mention.name)
        start, end = match.span(1)
        if not taken.overlaps(start, end):
            added.append(Mention(start, end, short, mention.label, short, field=field))
    return definitions, added


def distribute_plural_heads(text: str, mentions: list[Mention]) -> list[Mention]:
    """Give each name of "A, B and C Counties" the singular head; drop a lone "Counties" the NER tagged."""
    ordered = sorted(mentions, key=lambda m: m.start)
    dropped: set[int] = set()
    i = 0
    while i < len(ordered):
        j = i
        while (
            j + 1 < len(ordered)
            and ordered[j].label in LIST_LABELS
            and ordered[j + 1].label in LIST_LABELS
            and LIST_SEPARATOR.fullmatch(text[ordered[j].end : ordered[j + 1].start])
        ):
            j += 1
        chain = ordered[i : j + 1]
        i = j + 1
        if len(chain) < 2:
            continue
        last_words = chain[-1].name.split()
        if len(last_words) > 1 and last_words[-1].lower() in PLURAL_HEADS:
            head = PLURAL_HEADS[last_words[-1].lower()]
            chain[-1].name = " ".join(last_words[:-1])
        else:
            after = NEXT_WORD.match(text, chain[-1].end)
            if after is None or after.group(1).lower() not in PLURAL_HEADS:
                continue
            head = PLURAL_HEADS[after.group(1).lower()]
            dropped.update(id(m) for m in ordered[i:] if (m.start, m.end) == after.span(1))
        for mention in chain:
            mention.name = f"{mention.name} {head}"
    return [m for m in ordered if id(m) not in dropped]


@functools.cache
def _demonym_pattern() -> re.Pattern[str]:
    forms = sorted(alias_table().demonyms, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")


def undetected_demonyms(doc: Doc, field: str = BODY) -> list[Mention]:
    """Table demonyms the NER left untagged, unless part of a longer name ("American Airlines")."""
    found: list[Mention] = []
    tagged = _Covered(len(doc.text), ((e.start_char, e.end_char) for e in doc.ents))
    for match in _demonym_pattern().finditer(doc.text):
        start, end = match.span()
        if tagged.overlaps(start, end):
            continue
        span = doc.char_span(start, end)
        if span is None or span[-1].pos_ not in {"ADJ", "PROPN", "NOUN"}:
            continue  # a verb "Polish", or a word cut in the middle
        if span.end < len(doc) and _continues_a_name(doc[span.end]):
            continue
        found.append(Mention(start, end, match.group(), "NORP", match.group(), demonym=True, field=field))
    return found


def _continues_a_name(token: Span | object) -> bool:
    text = getattr(token, "text", "")
    return bool(text[:1].isupper()) and getattr(token, "pos_", "") == "PROPN" and text.lower() not in TITLES


def _title_cased(doc: Doc) -> bool:
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    return bool(words) and sum(t.text[:1].isupper() for t in words) >= 0.6 * len(words)


def propagate(entities: Sequence[Entity], doc: Doc, field: str = BODY) -> None:
    """Add mentions where a name an entity goes by appears again untagged.

    The names: every name its mentions use, and for a person the surname and the first name of the
    full name. A name two entities could claim is not used. An occurrence counts only if spaCy tags it
    a proper noun and it is not part of a longer capitalised name.
    """
    claimed: dict[str, Entity | None] = {}
    partial: set[str] = set()
    for entity in entities:
        used, parts = _names_to_find(entity)
        for name in used | parts:
            claimed[name] = entity if claimed.get(name, entity) is entity else None
        partial |= parts
    names = {name: entity for name, entity in claimed.items() if entity is not None}
    if not names:
        return
    text = doc.text
    taken = _Covered(len(text), ((e.start_char, e.end_char) for e in doc.ents))
    for entity in entities:
        for mention in entity.title_mentions if field == TITLE else entity.mentions:
            taken.add(mention.start, mention.end)
    relaxed = field == TITLE and _title_cased(doc)
    pattern = re.compile(
        r"(?<![\w@#.-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])"
    )
    for match in pattern.finditer(text):
        start, end = match.span()
        if taken.overlaps(start, end):
            continue
        span = doc.char_span(start, end)
        if span is None or any(t.pos_ not in PROPER_TAGS for t in span if t.is_alpha):
            continue
        entity = names[match.group()]
        if not relaxed and _inside_longer_name(doc, span):
            given = _untagged_given_name(doc, span, entity)
            if given is None:
                continue
            # "the former deputy mayor, Anders Lindqvist": the full name of a person the article otherwise
            # names by surname only, which the tagger missed
            start, span = given.idx, doc[given.i : span.end]
            entity.name = span.text
            mention = Mention(start, end, span.text, entity.label, span.text, field=field)
            (entity.title_mentions if field == TITLE else entity.mentions).append(mention)
            taken.add(start, end)
            continue
        if match.group() in partial and span.start > 0 and doc[span.start - 1].lower_ in DETERMINERS:
            continue  # "the Tour" is not the "Champions Tour"'s surname
        mention = Mention(start, end, match.group(), entity.label, match.group(), field=field)
        (entity.title_mentions if field == TITLE else entity.mentions).append(mention)
        taken.add(start, end)
    for entity in entities:
        entity.mentions.sort(key=lambda m: m.start)
        entity.title_mentions.sort(key=lambda m: m.start)


def _untagged_given_name(doc: Doc, span: Span, entity: Entity) -> Token | None:
    """The word before a surname when it is that person's given name the tagger missed: ``entity`` is a
    person named by one word only, the word before is a capitalised proper noun in no entity, not a
    title, and no capitalised name runs on either side of the two."""
    if entity.label != "PERSON" or len(span) != 1 or any(" " in m.name for m in entity.all_mentions):
        return None
    if span.start == 0 or (span.end < len(doc) and _continues_a_name(doc[span.end])):
        return None
    given = doc[span.start - 1]
    if not (given.is_title and given.pos_ == "PROPN" and not given.ent_type_ and given.lower_ not in TITLES):
        return None
    if given.i > 0 and not given.is_sent_start and _continues_a_name(doc[given.i - 1]):
        return None
    return given


def _inside_longer_name(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and _continues_a_name(after):
        return True
    return before is not None and not before.is_sent_start and _continues_a_name(before)


def _names_to_find(entity: Entity) -> tuple[set[str], set[str]]:
    """(names its mentions use, parts of its full name): the surname, and a person's first name.

    A two-word capitalised ORG ("Bernhard Langer") is often a person the small model mislabelled, and
    its last word alone names the same thing either way ("Goldman Sachs" / "Sachs").
    """
    names = {m.name for m in entity.all_mentions if not m.demonym}
    words = [w for w in entity.name.split() if w.lower().rstrip(".") not in TITLES]
    parts: set[str] = set()
    if entity.label == "PERSON" and len(words) >= 2:
        parts.update((words[0], words[-1]))
    elif entity.label == "ORG" and len(words) == 2 and all(w[:1].isupper() and w.isalpha() for w in words):
        parts.add(words[-1])
    parts -= names
    return {n for n in names if _findable(n)}, {n for n in parts if _findable(n)}


def _findable(name: str) -> bool:
    words = name.split()
    return (
        len(name) >= 2
        and name[:1].isupper()
        and not all(w.lower().strip(".") in ROLE_ONLY for w in words)
        and not (len(words) == 1 and len(name) <= 2)
        and not re.fullmatch(r"[A-Z]\.?", words[0])
    )
