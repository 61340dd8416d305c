"""Mentions grouped into the things they name, within one article.

Every distinct form (by ``form_key``) is a node; rules link nodes that name one thing, in order from
the surest to the most contextual, and a link is refused when it would put two different full names
of people into one entity (so "Hillary Clinton" and "Bill Clinton" never merge, and a lone "Clinton"
between them stays on its own). The rules:

- the curated table: other names ("UK", "Britain"), demonyms ("British", flagged ``demonym``);
- acronyms defined in the article ("the United Nations (U.N.)") or made of a name's initials;
- a demonym formed from a place the article names ("Texan" with "Texas");
- full names of one person: middle names or initials missing from one ("Aaron J. Kowalski" / "Aaron Kowalski"),
  surname spelling variants ("Zelensky" / "Zelenskyy");
- shorter names of organisations and places: a qualifier dropped ("Navy" after "U.S. Navy"), the end of the
  name ("Bureau of Investigation"), one word of a company or club name when only one name has it;
- a lone surname, or a lone first name, when exactly one person in the article has it.

The entity's name is the table's canonical name when the table knows it, else its longest name; its
label is a vote over its mentions (full names count double), so the small model's slips are outvoted.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from article_pipeline.entities.aliases import TableEntry, alias_table
from article_pipeline.entities.model import TITLE, Entity, Mention
from article_pipeline.entities.names import (
    TITLES,
    form_key,
    is_initialism_of,
    key_tokens,
    looks_like_acronym,
    person_tokens,
    same_person,
    same_surname,
    strip_name,
)

# Labels that name things; numbers, dates and quantities are not entities people query.
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
# Labels that may describe the same referent and so may link (a person is often mis-tagged ORG).
COMPATIBLE = {
    "PERSON": {"PERSON", "ORG", "GPE", "NORP"},
    "ORG": {"ORG", "PERSON", "GPE", "PRODUCT", "FAC", "NORP"},
    "GPE": {"GPE", "LOC", "ORG", "FAC"},
    "LOC": {"LOC", "GPE", "FAC"},
    "FAC": {"FAC", "ORG", "GPE", "LOC"},
}
# A mention naming only a role ("State", "President") names nobody; the few title words that are also
# organisations ("Treasury", "Justice") are not on this list.
ROLE_ONLY = TITLES - {
    *("treasury", "justice", "health", "home", "interior", "defense", "defence", "finance", "foreign"),
    *("first", "count", "agent", "coach", "us", "u.s.", "uk"),
}
# Demonyms formed from a place name: stem + one of these ("Texas" -> "Texan", "Iraq" -> "Iraqi").
DEMONYM_SUFFIXES = ("ian", "ean", "an", "n", "ese", "i", "ish", "ic")
# Words that say what kind of organisation or place a name is ("University", "House", "Court"). Alone
# they are too vague to join a name ("House" after "White House" is usually the House of Representatives);
# and an ORG ending in one is not a person.
TYPE_HEADS = frozenset(
    {
        *("university", "college", "school", "institute", "academy", "group", "company", "companies", "corporation"),
        *("holdings", "motor", "motors", "bank", "airlines", "airways", "international", "foundation", "trust"),
        *("party", "club", "fc", "league", "association", "union", "society", "industries", "enterprises"),
        *("technologies", "systems", "partners", "associates", "agency", "ministry", "department", "office"),
        *("bureau", "administration", "authority", "commission", "committee", "council", "board", "service"),
        *("services", "house", "court", "senate", "assembly", "parliament", "congress", "center", "centre"),
        *("hospital", "church", "museum", "gallery", "theatre", "theater", "festival", "awards", "prize"),
        *("network", "channel", "radio", "tv", "records"),
        *("studios", "films", "pictures", "tour", "cup", "park", "street", "square", "program", "programme"),
        *("project", "fund", "force", "army", "navy", "police", "guard", "team", "city", "state", "county"),
    }
)
# What may follow a distinctive first word and leave the same organisation: "Harvard University" is
# "Harvard", "Ford Motor Company" is "Ford"; "BBC News" or "CNN Films" is a part of it, not it.
ORGANISATION_KINDS = frozenset(
    {
        *("university", "college", "group", "company", "companies", "corporation", "holdings", "motor", "motors"),
        *("bank", "airlines", "airways", "international", "party", "club", "fc", "industries", "enterprises"),
        *("technologies", "systems", "inc", "plc"),
    }
)
# Last words of publications: "the Post" after "Washington Post" is that paper, but no ORG ending in one is a person.
PUBLICATION_HEADS = frozenset({"news", "times", "post", "journal", "magazine", "review", "herald", "tribune"})
# Weight of one headline mention in salience: half again a mention at the very top of the body.
TITLE_WEIGHT = 3.0


def mentions_from_spans(spans: Iterable[tuple[int, int, str, str]], field: str = "text") -> list[Mention]:
    """Mentions from (start, end, text, label) NER spans: numeric labels, bare roles and lower-case text dropped.

    A span listing several names ("Hulu, Apple TV", "Denver, Colorado") is split into one mention per
    name, except before a suffix ("Inc.", "Jr.", "D.C."); each mention is re-anchored on its bare name.
    """
    found: list[Mention] = []
    for start, _end, text, label in spans:
        if label not in NAMED_LABELS:
            continue
        for part_start, part_text in _list_parts(text):
            mention = _mention(start + part_start, part_text, label, field)
            if mention is not None:
                found.append(mention)
    return found


LIST_PIECE = re.compile(r"[^,]+")
LEADING_CONJUNCTION = re.compile(r"^(?:and|or|&)\s+")
LIST_SUFFIXES = frozenset(
    {"inc", "ltd", "llc", "plc", "co", "corp", "jr", "sr", "phd", "md", "dc", "sa", "ag", "nv", "lp", "ii", "iii"}
)


def _list_parts(text: str) -> list[tuple[int, str]]:
    if "," not in text:
        return [(0, text)]
    pieces = [(m.start(), m.group()) for m in LIST_PIECE.finditer(text)]
    if len(pieces) < 2:
        return [(0, text)]
    parts: list[tuple[int, str]] = []
    for offset, piece in pieces:
        stripped = piece.strip()
        bare = LEADING_CONJUNCTION.sub("", stripped)
        key = "".join(c for c in bare.lower() if c.isalpha())
        if not (bare[:1].isupper() or bare[:1].isdigit()) or key in LIST_SUFFIXES:
            return [(0, text)]  # not a list of names: "Smith, who", "Acme, Inc."
        parts.append((offset + piece.index(bare), bare))
    return parts


def _mention(start: int, text: str, label: str, field: str) -> Mention | None:
    name = strip_name(text, label)
    if text.rstrip().endswith(".") and not name.endswith(".") and alias_table().lookup(name + ".", label):
        name += "."  # "Calif." ends an abbreviation, not the sentence
    words = name.split()
    if not any(c.isupper() for c in name):
        return None  # "polish", "nailberry.co.uk": no capital, no proper name
    if all(w.lower().strip(".") in ROLE_ONLY for w in words) and (len(words) > 1 or label != "PERSON"):
        return None  # a lone "Baron" or "King" tagged PERSON may be a surname: see _names_someone
    # Re-anchor the span on the bare name so highlights and offsets show the name itself.
    offset = text.find(name)
    if offset >= 0:
        start, text = start + offset, name
    return Mention(start, start + len(text), text, label, name, field=field)


class _Partition:
    """Union-find over form keys, refusing a union that joins two different people's full names."""

    def __init__(self, keys: Iterable[str], people: Mapping[str, tuple[str, ...]]) -> None:
        self.parent = {key: key for key in keys}
        self.people = {key: [tokens] for key, tokens in people.items()}

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        names_a, names_b = self.people.get(ra, []), self.people.get(rb, [])
        if any(not same_person(x, y) for x in names_a for y in names_b):
            return False
        self.parent[rb] = ra
        if names_b:
            self.people[ra] = names_a + names_b
            self.people.pop(rb, None)
        return True

    def full_names(self, key: str) -> list[tuple[str, ...]]:
        return self.people.get(self.find(key), [])


class _Forms:
    """What the article says about each form: its labels, surface names, table entry, demonym status."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.labels: dict[str, Counter[str]] = defaultdict(Counter)
        self.names: dict[str, Counter[str]] = defaultdict(Counter)
        self.table: dict[str, TableEntry] = {}
        self.demonym: set[str] = set()
        table = alias_table()
        for mention in mentions:
            key = form_key(mention.name)
            self.labels[key][mention.label] += 1
            self.names[key][mention.name] += 1
            found = table.lookup(mention.name, mention.label)
            if found is not None:
                self.table[key] = found.entry
                if found.demonym:
                    self.demonym.add(key)
        self._label = {key: counts.most_common(1)[0][0] for key, counts in self.labels.items()}
        self._surface = {key: counts.most_common(1)[0][0] for key, counts in self.names.items()}
        # A table word that is the surname of someone the article names in full ("Mark Cuban" and
        # "Cuban") is that person's name here, not a demonym.
        surnames = {key.split()[-1] for key, label in self._label.items() if label == "PERSON" and " " in key}
        for key in surnames & set(self.table):
            del self.table[key]
            self.demonym.discard(key)
        self.places = {key for key, label in self._label.items() if label == "GPE"}
        self._variants: dict[str, list[str]] = {}

    def label(self, key: str) -> str:
        return self._label[key]

    def count(self, key: str) -> int:
        """How many mentions have this form."""
        return self.labels[key].total()

    def surface(self, key: str) -> str:
        return self._surface[key]

    def variants(self, key: str) -> list[str]:
        """The form's name, and the name without a leading place or demonym ("U.S. Navy" -> "Navy")."""
        if key not in self._variants:
            name = self.surface(key)
            words = name.split()
            found = [name]
            table = alias_table()
            for size in (1, 2, 3):
                if len(words) > size:
                    head = " ".join(words[:size])
                    if table.lookup(head, "GPE") or table.lookup(head, "NORP") or form_key(head) in self.places:
                        found.append(" ".join(words[size:]))
            self._variants[key] = found
        return self._variants[key]

    def person_like(self, key: str) -> bool:
        """PERSON, or a two-word capitalised ORG name, which the small model often gives to people."""
        label = self.label(key)
        words = self.surface(key).split()
        if words[-1].isupper() and len(words[-1]) <= 4 and not words[0].isupper():
            return False  # "Junge SVP": a name ending in an acronym is an organisation's
        if label == "PERSON":
            return True
        return (
            label == "ORG"
            and len(words) == 2
            and all(w[:1].isupper() and w.isalpha() for w in words)
            and words[-1].lower() not in TYPE_HEADS | PUBLICATION_HEADS
        )


def _compatible(a: str, b: str) -> bool:
    return b in COMPATIBLE.get(a, {a}) or a in COMPATIBLE.get(b, {b})


def canonical_entities(
    mentions: Sequence[Mention], text_length: int, definitions: Mapping[str, str] | None = None
) -> list[Entity]:
    """Group mentions into entities, vote labels, pick names, score salience; most salient first.

    ``definitions`` maps an acronym's key to the key of the name the article defined it for
    (from "the United Nations (U.N.)"), see ``detection.acronym_definitions``.
    """
    mentions = [m for m in mentions if form_key(m.name)]
    forms = _Forms(mentions)
    keys = list(forms.labels)
    people = {k: tokens for k in keys if forms.person_like(k) and len(tokens := person_tokens(forms.surface(k))) > 1}
    partition = _Partition(keys, people)
    _link_table_and_demonyms(forms, keys, partition)
    for short, long in (definitions or {}).items():
        if short in forms.labels and long in forms.labels:
            partition.union(short, long)
    _link_acronyms(forms, keys, partition)
    _link_full_person_names(people, partition)
    _link_shorter_names(forms, keys, partition)
    shared = _link_lone_names(forms, keys, partition)
    full_names = _full_name_positions(mentions, partition)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        key = form_key(mention.name)
        root = partition.find(key)
        if key in shared:
            root = _first_named_person(shared[key], full_names)
        groups[root].append(mention)
    entities = [_entity(group, forms) for group in groups.values() if _names_someone(group)]
    score_salience(entities, text_length)
    entities.sort(key=lambda e: (-e.salience, _first_position(e)))
    return entities


def _role_word(name: str) -> bool:
    return name.lower().strip(".") in ROLE_ONLY


def _names_someone(group: Sequence[Mention]) -> bool:
    """False for a group of bare role words ("President"): kept only when they joined a person as a surname."""
    return not all(_role_word(m.name) for m in group)


def _full_name_positions(mentions: Sequence[Mention], partition: _Partition) -> dict[str, list[int]]:
    """Body positions of each person's full-name mentions (headline ones count as position -1)."""
    positions: dict[str, list[int]] = defaultdict(list)
    for mention in mentions:
        key = form_key(mention.name)
        if key in partition.people:
            positions[partition.find(key)].append(-1 if mention.field == TITLE else mention.start)
    return positions


def _first_named_person(roots: set[str], positions: Mapping[str, list[int]]) -> str:
    """Of the people sharing a lone surname, the one the article names in full first.

    News writing names its main subject first and then by surname; a namesake who comes later is
    named in full or by first name ("Bill Clinton", "Bill") when it is him. Choosing instead the person
    named in full just before gave Hillary Clinton's "Clinton said" to Bill in PolNeAR articles about her.
    """
    return min(roots, key=lambda r: (min(positions.get(r, [0])), -len(positions.get(r, [])), r))


def _first_position(entity: Entity) -> int:
    return -1 if entity.title_mentions else entity.mentions[0].start


def _link_table_and_demonyms(forms: _Forms, keys: Sequence[str], partition: _Partition) -> None:
    by_entry: dict[TableEntry, str] = {}
    for key in keys:
        entry = forms.table.get(key)
        if entry is not None:
            partition.union(by_entry.setdefault(entry, key), key)
    # "Texan" with "Texas", "Parisian" with "Paris": a NORP word made of a place the article names.
    places = {k: k for k in keys if forms.label(k) in {"GPE", "LOC"} and len(k) >= 5 and " " not in k}
    for key in keys:
        if key in forms.table or forms.label(key) != "NORP" or " " in key:
            continue
        for place in places:
            stem = place[:-1] if place[-1] in "aeiouys" else place
            if len(stem) >= 3 and key.startswith(stem) and key[len(stem) :] in DEMONYM_SUFFIXES:
                forms.demonym.add(key)
                partition.union(place, key)
                break


def _link_acronyms(forms: _Forms, keys: Sequence[str], partition: _Partition) -> None:
    """Acronyms of names: "UN" / "United Nations", "FDA" / "U.S. Food and Drug Administration"."""
    long_forms = [k for k in keys if len(key_tokens(k)) >= 2 and forms.label(k) not in {"PERSON", "NORP"}]
    for key in keys:
        surface = forms.surface(key)
        if not looks_like_acronym(surface) or forms.label(key) in {"PERSON"}:
            continue
        candidates = {
            partition.find(long)
            for long in long_forms
            if _compatible(forms.label(long), forms.label(key))
            and any(is_initialism_of(surface, name) for name in forms.variants(long))
        }
        if len(candidates) == 1:
            partition.union(candidates.pop(), key)


def _link_full_person_names(people: Mapping[str, tuple[str, ...]], partition: _Partition) -> None:
    """Full names of one person: most words first, so "George Bush" meets the first Bush it can be."""
    ordered = sorted(people, key=lambda k: (-len(people[k]), k))
    for a, b in itertools.combinations(ordered, 2):
        if same_person(people[a], people[b]):
            partition.union(a, b)


def _link_shorter_names(forms: _Forms, keys: Sequence[str], partition: _Partition) -> None:
    """Organisations and places named again by part of their name."""
    multi = [k for k in keys if len(key_tokens(k)) >= 2 and not forms.person_like(k) and k not in forms.demonym]
    # A form already joined to a longer name (an acronym to its definition) has found its entity.
    resolved = {partition.find(k) for k in multi}
    surnames = {tokens[-1] for names in partition.people.values() for tokens in names}
    for key in keys:
        label = forms.label(key)
        if forms.person_like(key) or key in forms.demonym or label == "NORP":
            continue
        if len(key_tokens(key)) == 1 and (partition.find(key) in resolved or key in surnames):
            continue  # joined already, or a person's surname ("Trump" is not "Trump University")
        tokens = key_tokens(key)
        candidates: set[str] = set()
        for long in multi:
            if long == key or not _compatible(forms.label(long), label):
                continue
            long_tokens = key_tokens(long)
            if len(long_tokens) <= len(tokens):
                continue
            stripped = [key_tokens(v) for v in forms.variants(long)[1:]]
            if (
                tokens in stripped
                or (len(tokens) >= 2 and label == forms.label(long) and long_tokens[-len(tokens) :] == tokens)
                or (
                    len(tokens) == 1
                    and label in {"ORG", "FAC", "PRODUCT"}
                    and forms.label(long) in {"ORG", "FAC", "PRODUCT"}
                    and _one_word_name_of(tokens[0], long_tokens)
                )
            ):
                candidates.add(partition.find(long))
        if len(candidates) == 1 and not _is_place_word(key, forms):
            partition.union(candidates.pop(), key)


def _one_word_name_of(word: str, long_tokens: Sequence[str]) -> bool:
    """ "United" for "Manchester United"; "Harvard" for "Harvard University", not "Yale" for "Yale Daily News"."""
    if word == long_tokens[-1]:
        return word not in TYPE_HEADS
    return word == long_tokens[0] and all(t in ORGANISATION_KINDS for t in long_tokens[1:])


def _is_place_word(key: str, forms: _Forms) -> bool:
    return key in forms.table and forms.table[key].label in {"GPE", "LOC"}


def _link_lone_names(forms: _Forms, keys: Sequence[str], partition: _Partition) -> dict[str, set[str]]:
    """A lone surname or first name joins the one person who has it.

    Returns the lone surnames several people share (key -> their roots): their mentions go to one of
    them (``_first_named_person``), and the people themselves are never merged.
    """
    shared: dict[str, set[str]] = {}
    person_roots = {partition.find(k) for k in partition.people}
    # Only a name tagged PERSON, or a first-name-and-surname pair the tagger made an ORG ("Olaf Scholz"),
    # takes a lone word tagged as a place or group: "Benghazi" is not the surname of "House Benghazi".
    tagged_people = {
        partition.find(k)
        for k, names in partition.people.items()
        if forms.label(k) == "PERSON"
        or all(len(n) == 2 and n[0] not in TYPE_HEADS and n[0] not in ORGANISATION_KINDS for n in names)
    }
    # stricter than tagged_people (no two-word ORG names): who an ORG-tagged first name may join
    tagged_as_people = {partition.find(k) for k in partition.people if forms.label(k) == "PERSON"}
    counts = Counter({root: 0 for root in tagged_as_people})
    for k in partition.people:
        counts[partition.find(k)] += forms.count(k)
    for key in keys:
        tokens = person_tokens(forms.surface(key))  # "Al-Ibrahim" is one word here
        label = forms.label(key)
        if len(tokens) != 1 or key in forms.table or label not in {"PERSON", "ORG", "GPE", "NORP"}:
            continue
        if label != "PERSON" and key in TYPE_HEADS:
            continue  # "Senate" is nobody's surname, whatever the tagger made of "Battleground Senate"
        if partition.find(key) in person_roots and partition.full_names(key):
            continue
        word = tokens[0]
        candidates = tagged_people if label in {"GPE", "NORP"} else person_roots
        # A spelling variant must be tagged PERSON: "Baptist" (NORP) is no misspelt "Batista".
        matches = same_surname if label == "PERSON" else str.__eq__
        by_surname = {root for root in candidates if any(matches(word, n[-1]) for n in partition.people.get(root, []))}
        if len(by_surname) == 1:
            partition.union(by_surname.pop(), key)
            continue
        if by_surname:
            shared[key] = by_surname
            continue
        if label == "PERSON":
            first_named = person_roots
        elif label == "ORG" and not forms.surface(key).isupper():
            # The small model tags a lone first name ORG too ("Thank you, Elena."): it joins someone tagged
            # PERSON in full at least as often ("Google" is no first name of a "Google Plus").
            first_named = {root for root in tagged_as_people if counts[root] >= forms.count(key)}
        else:
            continue
        by_first_name = {root for root in first_named if any(n[0] == word for n in partition.people.get(root, []))}
        if len(by_first_name) == 1:
            partition.union(by_first_name.pop(), key)
    # Lone surnames spelt alike (Zelensky / Zelenskyy) when no full name is there to join.
    lone = {
        k: tokens[0]
        for k in keys
        if len(tokens := person_tokens(forms.surface(k))) == 1 and forms.label(k) == "PERSON" and k not in forms.table
    }
    for a, b in itertools.combinations(lone, 2):
        joined = partition.find(a) == partition.find(b)
        if a in shared or b in shared or joined:
            continue
        if same_surname(lone[a], lone[b]) and not (partition.full_names(a) and partition.full_names(b)):
            partition.union(a, b)
    return shared


def _entity(group: list[Mention], forms: _Forms) -> Entity:
    group.sort(key=lambda m: (m.field != TITLE, m.start))
    for mention in group:
        mention.demonym = form_key(mention.name) in forms.demonym
    names = [m for m in group if not m.demonym] or group
    entry = next((forms.table[k] for k in (form_key(m.name) for m in group) if k in forms.table), None)
    votes = Counter(m.label for m in names)
    # Full-name mentions are more reliable than lone surnames: weight them double. In a person's entity
    # a lone word tagged otherwise ("Garland" GPE, "Trump" ORG) is the tagger's slip and does not vote.
    person = any(forms.person_like(form_key(m.name)) and len(m.name.split()) > 1 for m in names)
    for m in names:
        if len(m.name.split()) > 1:
            votes[m.label] += 1
        elif person and m.label != "PERSON":
            votes[m.label] -= 1
    votes = +votes or Counter(m.label for m in names)
    label = max(votes, key=lambda lab: (votes[lab], lab == "PERSON"))
    if entry is not None:
        name, label = entry.name, entry.label
    else:
        spellings = Counter(m.name for m in names)
        longest = max(len(n.split()) for n in spellings)
        # Among the longest spellings, the most frequent; then the shortest string.
        name = max((n for n in spellings if len(n.split()) == longest), key=lambda n: (spellings[n], -len(n)))
    body = [m for m in group if m.field != TITLE]
    title = [m for m in group if m.field == TITLE]
    return Entity(name=name, label=label, mentions=body, title_mentions=title)


def score_salience(entities: Sequence[Entity], text_length: int) -> None:
    """Frequency and earliness: a mention near the top counts up to twice a late one; a headline mention 3 times."""
    if not entities:
        return
    length = max(text_length, 1)
    raw = [
        sum(2.0 - m.start / length for m in entity.mentions) + TITLE_WEIGHT * len(entity.title_mentions)
        for entity in entities
    ]
    top = max(raw) or 1.0
    for entity, value in zip(entities, raw, strict=True):
        entity.salience = value / top


def entity_for_span(entities: Sequence[Entity], start: int, end: int) -> Entity | None:
    """The entity one of whose body mentions overlaps [start, end), preferring the longest overlap."""
    return MentionIndex(entities).entity_for_span(start, end)


class MentionIndex:
    """Every body mention of an article's entities sorted by start, so the entity under a span is found
    without scanning all of them (an article of thousands of quotes asks once per speaker)."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self._entities = list(entities)
        # (start, end, entity index, mention index): ties go to the earlier entity, then mention
        self._mentions = sorted(
            (m.start, m.end, k, i) for k, entity in enumerate(self._entities) for i, m in enumerate(entity.mentions)
        )
        self._starts = [m[0] for m in self._mentions]
        self._longest = max((e - s for s, e, _, _ in self._mentions), default=0)

    def entity_for_span(self, start: int, end: int) -> Entity | None:
        best: tuple[int, int, int] | None = None
        j = bisect.bisect_left(self._starts, end) - 1  # the mentions that start before the span ends
        while j >= 0 and self._starts[j] > start - self._longest:
            s, e, k, i = self._mentions[j]
            overlap = min(end, e) - max(start, s)
            if overlap > 0 and (best is None or (overlap, -k, -i) > (best[0], -best[1], -best[2])):
                best = (overlap, k, i)
            j -= 1
        return self._entities[best[1]] if best else None
