"""The analysed-article document: clean text + canonical entities + claims + versions.

One spaCy pass per article body; entities, attributed statements and check-worthy assertions are
all read off that one ``Doc``. Every offset indexes the clean text stored in S3, except an entity's
``title_mentions``: the headline is parsed on its own (see ``headline_to_analyse``) and those offsets
index the document's ``title``, which ingest stores beside the text.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from article_pipeline import ids
from article_pipeline.entities import Entity, MentionIndex, entities_from_docs
from article_pipeline.schema import METADATA_FIELDS
from article_pipeline.settings import DEFAULT_MAX_ANALYSED_CHARS
from article_pipeline.versions import analysis_versions

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

# Longer texts are analysed up to about MAX_ANALYSED_CHARS characters (a setting), cut at a paragraph,
# sentence or word boundary; the document and the article item say where. It keeps a pathological
# upload (a 1 MB single line) inside the function's timeout and memory: spaCy's cost and memory grow
# with the length of one Doc.
SUPPORTED_LANGUAGES = frozenset({"en"})
# A headline longer than this is not one (a description or a whole first paragraph put in the field).
MAX_TITLE_CHARS = 500


def analysable_end(text: str, limit: int = DEFAULT_MAX_ANALYSED_CHARS) -> int:
    """Where to cut a text longer than ``limit``: the last paragraph, sentence or word break before it."""
    if len(text) <= limit:
        return len(text)
    floor = limit * 9 // 10
    for separator in ("\n\n", "\n", ". ", " "):
        cut = text.rfind(separator, floor, limit)
        if cut != -1:
            return cut + len(separator.rstrip())
    return limit


def headline_to_analyse(title: str | None, text: str) -> str | None:
    """The title to parse beside the body, or None: no title, too long, or the body already opens with it.

    It is parsed as it is stored (no whitespace or case change), so its mentions' offsets index ``title``.
    """
    if not title or not title.strip() or len(title) > MAX_TITLE_CHARS:
        return None
    headline = " ".join(title.split()).casefold()
    if " ".join(text[: len(title) + 50].split()).casefold().startswith(headline):
        return None
    return title


def analyze_raw(
    raw: bytes | str, *, filename: str | None = None, content_type: str | None = None, nlp: Language | None = None
) -> dict[str, Any]:
    """Clean then analyse, as the pipeline would, for one local file or string."""
    from article_pipeline.cleaning import clean_raw

    cleaned = clean_raw(raw, filename=filename, content_type=content_type)
    source = {"bucket": None, "key": filename, "etag": None, "version_id": None}
    article = ids.article_id("local", filename) if filename else None
    return analyze_text({**cleaned, "article_id": article, "source": source}, nlp=nlp)


def analyze_text(
    clean_doc: dict[str, Any], *, nlp: Language | None = None, max_chars: int = DEFAULT_MAX_ANALYSED_CHARS
) -> dict[str, Any]:
    """The analysed-article document for a clean document (as ingest writes it to S3)."""
    text: str = clean_doc["text"]
    document: dict[str, Any] = {
        "article_id": clean_doc.get("article_id"),
        "source": clean_doc.get("source"),
        **{key: clean_doc.get(key) for key in METADATA_FIELDS},
        "text": text,
        "entities": [],
        "claims": [],
        "versions": analysis_versions(None),
        "skipped_reason": None,
        "truncated_at": None,
    }
    language = clean_doc.get("language")
    if language and language not in SUPPORTED_LANGUAGES:
        document["skipped_reason"] = f"language '{language}' is not supported by the English NLP stages"
        return document
    if nlp is None:
        from article_pipeline.nlp import load_pipeline

        nlp = load_pipeline()
    from article_pipeline.nlp import model_version

    document["versions"] = analysis_versions(model_version(nlp))
    if len(text) > max_chars:
        text = text[: analysable_end(text, max_chars)]
        document["truncated_at"] = len(text)
    doc = nlp(text)
    headline = headline_to_analyse(clean_doc.get("title"), text)
    entities = entities_from_docs(doc, nlp(headline) if headline else None)
    document["entities"] = [entity.to_dict() for entity in entities]
    document["claims"] = extract_claims(doc, entities)
    return document


def extract_claims(doc: Doc, entities: list[Entity]) -> list[dict[str, Any]]:
    """Attributed statements (with speakers resolved to entities) and check-worthy assertions."""
    from article_pipeline.claims.checkworthiness import check_worthy_threshold, checkworthiness
    from article_pipeline.claims.quotes import extract_attributions

    threshold = check_worthy_threshold()
    mentions = MentionIndex(entities)

    text = doc.text
    claims: list[dict[str, Any]] = []
    covered = bytearray(len(text))  # 1 where an attributed statement's content lies
    attributions = extract_attributions(doc)
    contents = [" ".join(text[s:e] for s, e in a.content_spans) for a in attributions]
    sentences = [sent for sent in doc.sents if sent.text.strip()]
    scores = checkworthiness(contents + [sent.text.strip() for sent in sentences])
    for attribution, content, score in zip(attributions, contents, scores, strict=False):
        spans = [[s, e] for s, e in attribution.content_spans]
        for s, e in attribution.content_spans:
            covered[s:e] = b"\x01" * (e - s)
        claims.append(
            {
                "kind": attribution.kind,
                "quoted": attribution.quoted,
                "speaker": _speaker(attribution, mentions),
                "cue": _span(attribution.cue, attribution.cue_start, attribution.cue_end),
                "content": {"text": content, "start": spans[0][0], "end": spans[-1][1], "spans": spans},
                "score": round(float(score), 4),
                "check_worthy": bool(score >= threshold),
                "nested": attribution.nested,
            }
        )
    for sent, score in zip(sentences, scores[len(attributions) :], strict=True):
        if score < threshold:  # an unattributed sentence is a claim when it is worth checking
            continue
        start, end = _trimmed(sent.start_char, sent.end_char, text)
        if 1 in covered[start:end]:
            continue
        claims.append(
            {
                "kind": "assertion",
                "quoted": "none",
                "speaker": None,
                "cue": None,
                "content": {"text": text[start:end], "start": start, "end": end, "spans": [[start, end]]},
                "score": round(float(score), 4),
                "check_worthy": bool(score >= threshold),
                "nested": False,
            }
        )
    claims.sort(key=lambda claim: claim["content"]["start"])
    return claims


def _speaker(attribution: Any, mentions: MentionIndex) -> dict[str, Any] | None:
    if attribution.speaker is None:
        return None
    resolved = attribution.speaker_ref or (attribution.speaker_start, attribution.speaker_end)
    entity = mentions.entity_for_span(*resolved) if resolved[0] is not None else None
    return {
        "text": attribution.speaker,
        "start": attribution.speaker_start,
        "end": attribution.speaker_end,
        "entity": entity.name if entity else None,
        "label": entity.label if entity else None,
    }


def _span(text: str | None, start: int | None, end: int | None) -> dict[str, Any] | None:
    if text is None:
        return None
    return {"text": text, "start": start, "end": end}


def _trimmed(start: int, end: int, text: str) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
