"""Mentions and canonical entities, and the JSON shape an entity takes in the analysed document."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from article_pipeline.ids import name_key

BODY = "text"
TITLE = "title"


@dataclass
class Mention:
    """One place an entity is named. Offsets index the document's ``text`` or, for ``field == "title"``, its title."""

    start: int
    end: int
    text: str
    label: str
    name: str  # text with titles, articles and possessives removed
    demonym: bool = False  # "Russian" in "Russian officials": counts for Russia, but users may filter it out
    field: str = BODY


@dataclass
class Entity:
    name: str
    label: str
    mentions: list[Mention] = field(default_factory=list)  # in the body text
    title_mentions: list[Mention] = field(default_factory=list)  # in the headline
    salience: float = 0.0

    @property
    def all_mentions(self) -> list[Mention]:
        return self.title_mentions + self.mentions

    @property
    def aliases(self) -> list[str]:
        """Other names the article gives it, in order of appearance (titles first); demonyms are not names."""
        seen: dict[str, None] = {}
        for mention in self.all_mentions:
            if not mention.demonym and mention.name != self.name:
                seen.setdefault(mention.name, None)
        return list(seen)

    def forms(self) -> list[dict[str, Any]]:
        """Every form seen (canonical name first), with its normalised key, count and demonym flag."""
        counts = Counter((m.name, m.demonym) for m in self.all_mentions)
        rows = [{"text": self.name, "key": name_key(self.name), "count": counts.pop((self.name, False), 0)}]
        rows[0]["demonym"] = False
        for (text, demonym), count in counts.items():
            rows.append({"text": text, "key": name_key(text), "count": count, "demonym": demonym})
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "key": name_key(self.name),
            "label": self.label,
            "aliases": self.aliases,
            "forms": self.forms(),
            "count": len(self.mentions) + len(self.title_mentions),
            "salience": round(self.salience, 4),
            "mentions": [_mention_dict(m) for m in self.mentions],
            "title_mentions": [_mention_dict(m) for m in self.title_mentions],
        }


def _mention_dict(mention: Mention) -> dict[str, Any]:
    return {"start": mention.start, "end": mention.end, "text": mention.text, "demonym": mention.demonym}
