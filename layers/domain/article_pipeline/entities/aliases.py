"""The curated table of other names and demonyms (``data/entity_aliases.json``).

"UK", "Britain" and "United Kingdom" are one country, "British" is its demonym, "GOP" is the Republican
Party: no article spells these out, so a small hand-made table says them once. It is general knowledge
(countries, US states, regions, a few organisations and parties), never fitted to the benchmark articles.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from article_pipeline.entities.names import form_key

TABLE_FILE = "entity_aliases.json"
TABLE_PACKAGE = "article_pipeline.data"
# Which spaCy labels a mention may carry to be looked up, per label of the table entry: a country name
# tagged ORG is still the country; a person called "Jordan" or "Georgia" is not.
LOOKUP_LABELS = {
    "GPE": frozenset({"GPE", "LOC", "ORG", "NORP"}),
    "LOC": frozenset({"LOC", "GPE", "NORP"}),
    "ORG": frozenset({"ORG", "NORP", "FAC", "GPE"}),
}


@dataclass(frozen=True)
class TableEntry:
    name: str
    label: str

    @property
    def key(self) -> str:
        return form_key(self.name)


@dataclass(frozen=True)
class Found:
    entry: TableEntry
    demonym: bool


class AliasTable:
    """Lookups of a name or demonym in the table.

    Forms with a period or written in capitals ("U.S.", "Calif.", "WHO") match only as written, so
    "who" or "La" never become the World Health Organization or Louisiana; other forms match by key.
    A form that two entries claim ("Georgia": a country and a US state) is ambiguous and left out.
    """

    def __init__(self, entries: list[dict]) -> None:
        exact: dict[str, list[Found]] = {}
        keyed: dict[str, list[Found]] = {}
        surface: dict[str, str] = {}
        for raw in entries:
            entry = TableEntry(raw["name"], raw["label"])
            forms = [(raw["name"], False), *((n, False) for n in raw.get("names", []))]
            forms += [(d, True) for d in raw.get("demonyms", [])]
            for form, demonym in forms:
                index, key = (exact, _exact(form)) if _exact_only(form) else (keyed, form_key(form))
                index.setdefault(key, []).append(Found(entry, demonym))
                if demonym:
                    surface[key] = form
        self._exact = {key: found for key, candidates in exact.items() if (found := _unambiguous(candidates))}
        self._keyed = {key: found for key, candidates in keyed.items() if (found := _unambiguous(candidates))}
        self.demonyms = tuple(
            sorted(surface[key] for index in (self._exact, self._keyed) for key, f in index.items() if f.demonym)
        )

    def lookup(self, name: str, label: str) -> Found | None:
        """The entry ``name`` names (as a name or a demonym) when a mention with ``label`` may name it."""
        found = self._exact.get(_exact(name)) or self._keyed.get(form_key(name))
        if found is None or label not in LOOKUP_LABELS.get(found.entry.label, frozenset()):
            return None
        return found


def _unambiguous(candidates: list[Found]) -> Found | None:
    """The one entry a form names; a name form wins over the same entry's demonym."""
    if len({found.entry for found in candidates}) != 1:
        return None
    return min(candidates, key=lambda found: found.demonym)


def _exact_only(form: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", form)
    return "." in form or (letters.isupper() and len(letters) <= 6)


def _exact(form: str) -> str:
    return " ".join(form.split())


@functools.cache
def alias_table() -> AliasTable:
    """The table, read once per process from the package data."""
    text = resources.files(TABLE_PACKAGE).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    return AliasTable(json.loads(text)["entries"])
