"""Resolve a speaker mention ("He", "the Russian leader", "Trump") to a named mention in the article.

A light coreference heuristic instead of a coreference model: it needs only the parse and the
entities spaCy already produced. Pronouns go to the most recent agreeing name, preferring
grammatical subjects and the previous speaker; role descriptions go to the person whose
titles and appositions in the article share the description's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from article_pipeline.claims.cue_lexicon import LEADER_ROLES, NOUN_CUES, REPORT_NOUNS, ROLE_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSON_PRONOUNS = {"he", "him", "she", "her", "his"}
MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
GROUP_PRONOUNS = {"they", "them", "their", "it", "its", "we", "i"}
# Entities that can speak or be spoken for ("The Port of Rotterdam Authority said"); numbers and dates cannot.
NOT_NAMES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
MALE_WORDS = {
    "mr.",
    "mr",
    "spokesman",
    "congressman",
    "chairman",
    "businessman",
    "king",
    "prince",
    "father",
    "son",
    "brother",
    "husband",
    "sir",
    "actor",
}
FEMALE_WORDS = {
    "mrs.",
    "mrs",
    "ms.",
    "ms",
    "miss",
    "spokeswoman",
    "congresswoman",
    "chairwoman",
    "businesswoman",
    "queen",
    "princess",
    "mother",
    "daughter",
    "sister",
    "wife",
    "actress",
}
_SKIP_DESCRIPTOR = {"the", "a", "an", "'s", "’s", ",", "of", "former", "then", "-", "—"}


@dataclass
class Mention:
    """A name mention: character span, label, sentence index and whether it is a clause subject."""

    start: int
    end: int
    label: str
    sent: int
    key: str
    subject: bool


@dataclass
class _Person:
    descriptors: set[str] = field(default_factory=set)
    gender: str | None = None


def _prefix(word: str) -> str:
    """Crude stem so that demonyms match their countries ("russian" ~ "russia")."""
    return word[:5] if len(word) >= 5 else word


class SpeakerResolver:
    """Index of the article's name mentions, built once per document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.sent_of: list[int] = [0] * len(doc)
        for k, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = k
        self.mentions: list[Mention] = []
        self.people: dict[str, _Person] = {}
        self.mention_at: dict[int, Mention] = {}
        for ent in doc.ents:
            if ent.label_ not in NOT_NAMES:
                self._add(ent)
        # A lone surname the tagger made an organisation ("Trump confirmed that he ...") is the person the
        # article names in full elsewhere: it stays a candidate for "he" and "she".
        for mention in self.mentions:
            if (
                mention.label == "ORG"
                and mention.key in self.people
                and " " not in doc.text[mention.start : mention.end]
            ):
                mention.label = "PERSON"

    def _add(self, ent: Span) -> None:
        root = ent.root
        key = _name_key(ent)
        subject = root.dep_ in ("nsubj", "nsubjpass") or (
            root.dep_ in ("appos", "compound") and root.head.dep_ in ("nsubj", "nsubjpass")
        )
        mention = Mention(ent.start_char, ent.end_char, ent.label_, self.sent_of[ent.start], key, subject)
        self.mentions.append(mention)
        for tok in ent:
            self.mention_at[tok.i] = mention
        if ent.label_ == "PERSON":
            person = self.people.setdefault(key, _Person())
            person.descriptors |= _descriptors(ent)
            gender = _gender(ent)
            if gender and not person.gender:
                person.gender = gender

    def mention_of(self, tok: Token) -> Mention | None:
        return self.mention_at.get(tok.i)

    def resolve(self, head: Token, previous: Mention | None = None, phrase_end: int | None = None) -> Mention | None:
        """The name mention ``head`` (the head word of a speaker phrase ending at ``phrase_end``) refers to.

        None for a group ("Trump and Putin plan to ..."): the claim is no one name's alone.
        """
        own = self.mention_at.get(head.i)
        if self._group(head, own, phrase_end):
            return None
        if own is not None:
            return own
        named = self._named_beside(head)
        if named is not None:
            return named
        lower = head.lower_
        if lower in PERSON_PRONOUNS or lower in ("himself", "herself"):
            gender = "m" if lower in MALE else ("f" if lower in FEMALE else None)
            return self._pronoun(head, {"PERSON"}, gender, previous)
        if lower in GROUP_PRONOUNS:
            labels = {"ORG", "NORP", "GPE"} if lower in ("they", "them", "their", "we", "it", "its") else {"PERSON"}
            if lower in ("i", "we") and previous is not None:
                return previous
            return self._pronoun(head, labels, None, previous)
        if head.pos_ in ("NOUN",) and lower in ROLE_NOUNS | LEADER_ROLES:
            return self._description(head)
        if head.pos_ == "PROPN" and lower in self.people:
            # "“…,” Oliver barked" with the name untagged: the person the article named in full before
            return next((m for m in reversed(self._before(head)) if m.key == lower), None)
        return None

    def _group(self, head: Token, own: Mention | None, phrase_end: int | None) -> bool:
        """A speaker phrase of several: "Trump and Putin", "she and her supporters". Not one name ("the
        Bill and Melinda Gates Foundation"), nor one person's second description ("Steve Bell, a director
        at the center, and a former Senate aide"). ``own``: the name mention ``head`` is in, if any."""
        described = any(child.dep_ == "appos" for child in head.children)
        return any(
            child.dep_ == "conj"
            and child.pos_ in ("PROPN", "NOUN", "PRON")
            and (phrase_end is None or child.idx < phrase_end)
            and (own is None or self.mention_at.get(child.i) is not own)
            and not (described and any(d.dep_ == "det" and d.lower_ in ("a", "an") for d in child.children))
            for child in head.children
        )

    def _named_beside(self, head: Token) -> Mention | None:
        """The name the head word stands for: "Its chief executive, *Marieke van Dijk*, said", "a poll
        from *Monmouth University* found", "*Trump*'s claim". A possessor or a name before the head only
        when the head is a message: "Springfield's city council" is not Springfield."""
        for child in head.children:
            if child.dep_ == "appos" and child.i in self.mention_at:
                return self.mention_at[child.i]
        if head.pos_ != "NOUN":
            return None
        if head.lower_ in NOUN_CUES or head.lower_ in REPORT_NOUNS:
            # a message's author: "Trump's claim", "a Quinnipiac University poll"
            for child in head.children:
                if child.dep_ in ("poss", "compound") and child.i in self.mention_at:
                    return self.mention_at[child.i]
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "by"):
                for obj in prep.children:
                    if obj.dep_ == "pobj" and obj.i in self.mention_at:
                        return self.mention_at[obj.i]
        return None

    def _before(self, tok: Token) -> list[Mention]:
        start = tok.idx
        return [m for m in self.mentions if m.end <= start]

    def _pronoun(self, tok: Token, labels: set[str], gender: str | None, previous: Mention | None) -> Mention | None:
        sent = self.sent_of[tok.i]
        candidates = [m for m in self._before(tok) if m.label in labels and sent - m.sent <= 4]
        if gender:
            candidates = [m for m in candidates if self._gender_ok(m, gender)]
        if not candidates:
            return None
        if (
            previous is not None
            and previous.label in labels
            and sent - previous.sent <= 3
            and (not gender or self._gender_ok(previous, gender))
        ):
            # a speaker stays the topic: "Zelensky described ... He also noted ..."
            recent_subjects = [m for m in candidates if m.subject and m.sent > previous.sent]
            if not recent_subjects:
                return previous

        def rank(m: Mention) -> tuple[int, int, int]:
            same = m.sent == sent
            return (-(sent - m.sent) if not same else 1, int(m.subject), -m.start if same else m.start)

        # the current sentence first (nearest name), then earlier sentences (subjects first)
        same_sentence = [m for m in candidates if m.sent == sent]
        if same_sentence:
            subj = [m for m in same_sentence if m.subject]
            return (subj or same_sentence)[-1]
        best_sent = max(m.sent for m in candidates)
        in_best = [m for m in candidates if m.sent == best_sent]
        subj = [m for m in in_best if m.subject]
        return (subj or in_best)[0]

    def _gender_ok(self, m: Mention, gender: str) -> bool:
        person = self.people.get(m.key)
        return person is None or person.gender is None or person.gender == gender

    def _description(self, head: Token) -> Mention | None:
        words = {t.lower_ for t in head.lefts if t.dep_ in ("amod", "compound", "nmod")}
        words.add(head.lower_)
        best: tuple[int, int] | None = None
        best_key = None
        for key, person in self.people.items():
            score = _description_score(head.lower_, words, person.descriptors)
            if score <= 0:
                continue
            last = max((m.start for m in self._before(head) if m.key == key), default=-1)
            if last < 0:
                continue
            if best is None or (score, last) > best:
                best, best_key = (score, last), key
        if best_key is None:
            return None
        return next(m for m in reversed(self._before(head)) if m.key == best_key)


def _description_score(head: str, words: set[str], descriptors: set[str]) -> int:
    role_match = head in descriptors or (head == "leader" and bool(descriptors & LEADER_ROLES))
    if not role_match:
        return 0
    prefixes = {_prefix(d) for d in descriptors}
    return 1 + sum(1 for w in words if w != head and _prefix(w) in prefixes)


def _name_key(ent: Span) -> str:
    """Surname-ish key so that "Vladimir Putin", "Putin" and "Putin's" group together."""
    words = [t.lower_ for t in ent if t.is_alpha]
    return words[-1] if words else ent.text.lower()


def _descriptors(ent: Span) -> set[str]:
    """Title and apposition words around a person mention ("Russian President", ", the Russian leader")."""
    out: set[str] = set()
    root = ent.root
    doc = ent.doc
    # words before the name inside its noun phrase: "U.S. Secretary of State Marco Rubio"
    i = ent.start - 1
    while i >= 0 and i >= ent.start - 6:
        tok = doc[i]
        if tok.pos_ in ("PROPN", "ADJ", "NOUN") or tok.lower_ in ("of",):
            out.add(tok.lower_)
            i -= 1
            continue
        break
    for tok in ent:
        if tok.lower_ in ROLE_NOUNS | LEADER_ROLES:
            out.add(tok.lower_)
    for child in root.children:
        if child.dep_ == "appos" or (child.dep_ == "prep" and child.lower_ == "of"):
            for tok in child.subtree:
                if tok.pos_ in ("NOUN", "PROPN", "ADJ"):
                    out.add(tok.lower_)
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        for tok in root.head.subtree:
            if tok.i < ent.start and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
                out.add(tok.lower_)
    return {w for w in out if w not in _SKIP_DESCRIPTOR}


def _gender(ent: Span) -> str | None:
    doc = ent.doc
    window = [doc[i].lower_ for i in range(max(0, ent.start - 3), ent.start)]
    window += [t.lower_ for t in ent]
    if any(w in MALE_WORDS for w in window):
        return "m"
    if any(w in FEMALE_WORDS for w in window):
        return "f"
    return None
