"""Canonical entities: the NER's mentions of one article merged into the things they name.

"Donald Trump", "Trump", "President Trump" and "Trump's" become one PERSON; "UK", "Britain" and
"British officials" one country (the last flagged as a demonym); "the Food and Drug Administration
(FDA)" defines the "FDA" that follows. ``entities_from_docs`` is the entry point for a parsed article
(body and headline); ``canonical_entities`` groups mentions that are already known.

Modules: ``names`` (bare names, comparison keys, person-name and acronym tests), ``aliases`` (the
curated table of other names and demonyms), ``grouping`` (mentions to entities), ``detection`` (mentions
from spaCy docs, beyond what the NER tags), ``model`` (the dataclasses and their JSON shape).
"""

from article_pipeline.entities.detection import entities_from_docs
from article_pipeline.entities.grouping import (
    NAMED_LABELS,
    MentionIndex,
    canonical_entities,
    entity_for_span,
    mentions_from_spans,
    score_salience,
)
from article_pipeline.entities.model import BODY, TITLE, Entity, Mention
from article_pipeline.entities.names import form_key, strip_name

__all__ = [
    "BODY",
    "NAMED_LABELS",
    "TITLE",
    "Entity",
    "Mention",
    "MentionIndex",
    "canonical_entities",
    "entities_from_docs",
    "entity_for_span",
    "form_key",
    "mentions_from_spans",
    "score_salience",
    "strip_name",
]
