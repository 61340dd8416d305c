"""The analysed-article document: clean text + canonical entities + claims + versions.

One spaCy pass per article body; entities, attributed statements and check-worthy assertions are
all read off that one ``Doc``. Every offset indexes the clean text stored in S3, except an entity's
``title_mentions``: the headline is parsed on its own (see ``headline_to_analyse``) and those offsets
index the document's ``title``, which ingest stores beside the text.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from article_pipeline import ids
from article_pipeline.entities import Entity, MentionIndex, entities_from_docs
from article_pipeline.entities.names import person_tokens
from article_pipeline.ids import name_key
from article_pipeline.schema import METADATA_FIELDS
from article_pipeline.settings import DEFAULT_MAX_ANALYSED_CHARS, DEFAULT_PIPE_BATCH_SIZE
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
    result = analyze_many([raw], filenames=[filename], content_type=content_type, nlp=nlp)[0]
    if isinstance(result, Exception):
        raise result
    return result


def analyze_many(
    raws: Sequence[bytes | str],
    *,
    filenames: Sequence[str | None] | None = None,
    content_type: str | None = None,
    nlp: Language | None = None,
    batch_size: int = DEFAULT_PIPE_BATCH_SIZE,
) -> list[dict[str, Any] | Exception]:
    """Clean and analyse several uploads, one document per input in order, the texts parsed together
    (``nlp.pipe``); an input that cannot be cleaned or analysed gives its exception in its place."""
    from article_pipeline.cleaning import clean_raw

    names = list(filenames) if filenames is not None else [None] * len(raws)
    cleaned: list[dict[str, Any] | Exception] = []
    for raw, filename in zip(raws, names, strict=True):
        try:
            clean_doc = clean_raw(raw, filename=filename, content_type=content_type)
        except Exception as exc:  # noqa: BLE001 - an input's error stays in its place; the others go on
            cleaned.append(exc)
            continue
        source = {"bucket": None, "key": filename, "etag": None, "version_id": None}
        article = ids.article_id("local", filename) if filename else None
        cleaned.append({**clean_doc, "article_id": article, "source": source})
    ready = [doc for doc in cleaned if not isinstance(doc, Exception)]
    analysed = iter(analyze_texts(ready, nlp=nlp, batch_size=batch_size))
    return [doc if isinstance(doc, Exception) else next(analysed) for doc in cleaned]


def analyze_text(
    clean_doc: dict[str, Any], *, nlp: Language | None = None, max_chars: int = DEFAULT_MAX_ANALYSED_CHARS
) -> dict[str, Any]:
    """The analysed-article document for a clean document (as ingest writes it to S3)."""
    result = analyze_texts([clean_doc], nlp=nlp, max_chars=max_chars)[0]
    if isinstance(result, Exception):
        raise result
    return result


def analyze_texts(
    clean_docs: Sequence[dict[str, Any]],
    *,
    nlp: Language | None = None,
    max_chars: int = DEFAULT_MAX_ANALYSED_CHARS,
    batch_size: int = DEFAULT_PIPE_BATCH_SIZE,
) -> list[dict[str, Any] | Exception]:
    """Analysed documents for clean documents, in order: bodies and headlines go through one
    ``nlp.pipe`` (a few percent faster than a call per text, and one model pass for the batch); a
    document that fails gives its exception in its place and the others go on."""
    prepared: list[_Prepared | Exception] = []
    for clean_doc in clean_docs:
        try:
            prepared.append(_prepare(clean_doc, max_chars))
        except Exception as exc:  # noqa: BLE001 - a malformed clean document fails alone
            prepared.append(exc)
    pending = [p for p in prepared if isinstance(p, _Prepared) and p.text is not None]
    if pending:
        if nlp is None:
            from article_pipeline.nlp import load_pipeline

            nlp = load_pipeline()
        from article_pipeline.nlp import model_version

        versions = analysis_versions(model_version(nlp))
        texts = [p.text or "" for p in pending] + [p.headline for p in pending if p.headline]
        parsed = _parse_all(nlp, texts, batch_size)
        headlines = iter(parsed[len(pending) :])
        for item, parse in zip(pending, parsed, strict=False):
            item.document["versions"] = versions
            item.doc = parse
            item.headline_doc = next(headlines) if item.headline else None
    results: list[dict[str, Any] | Exception] = []
    for entry in prepared:
        if isinstance(entry, Exception) or entry.text is None:
            results.append(entry if isinstance(entry, Exception) else entry.document)
            continue
        try:
            results.append(_finish(entry))
        except Exception as exc:  # noqa: BLE001 - one article's analysis error stays in its place
            results.append(exc)
    return results


def _finish(entry: _Prepared) -> dict[str, Any]:
    """Entities and claims read off the parsed body (and headline, when it parsed)."""
    if isinstance(entry.doc, Exception):
        raise entry.doc
    if entry.doc is None:
        raise RuntimeError("the text was not parsed")
    headline_doc = None if isinstance(entry.headline_doc, Exception) else entry.headline_doc
    entities = entities_from_docs(entry.doc, headline_doc)
    entry.document["claims"] = extract_claims(entry.doc, entities)  # first: a transcript's speakers are people
    entry.document["entities"] = [entity.to_dict() for entity in entities]
    return entry.document


@dataclass
class _Prepared:
    """A clean document on its way to analysis: the document so far and the text (None: not analysed)."""

    document: dict[str, Any]
    text: str | None
    headline: str | None
    doc: Doc | Exception | None = None
    headline_doc: Doc | Exception | None = None


def _prepare(clean_doc: dict[str, Any], max_chars: int) -> _Prepared:
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
        return _Prepared(document, None, None)
    if len(text) > max_chars:
        text = text[: analysable_end(text, max_chars)]
        document["truncated_at"] = len(text)
    return _Prepared(document, text, headline_to_analyse(clean_doc.get("title"), text))


def _parse_all(nlp: Language, texts: list[str], batch_size: int) -> list[Doc | Exception]:
    """Every text parsed, in order; if the batch fails, each text alone, so one bad text keeps its error."""
    try:
        return list(nlp.pipe(texts, batch_size=batch_size))
    except Exception:
        logger.warning("batch parse failed; parsing each text alone", exc_info=True)
    parsed: list[Doc | Exception] = []
    for text in texts:
        try:
            parsed.append(nlp(text))
        except Exception as exc:  # noqa: BLE001 - kept in its text's place
            parsed.append(exc)
    return parsed


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
    contents = [" ".join(text[s:e] for s, e in a.content_spans) for a in attributions]  # what is scored
    sentences = [sent for sent in doc.sents if sent.text.strip()]
    # A transcript's turn sentences are scored on their own, in order: each with the sentences spoken
    # before and after it as context, as the model was trained on debate transcripts.
    others = [content for a, content in zip(attributions, contents, strict=True) if not a.turn]
    scored = checkworthiness(others + [sent.text.strip() for sent in sentences])
    turn_scores = iter(checkworthiness([content for a, content in zip(attributions, contents, strict=True) if a.turn]))
    other_scores = iter(scored[: len(others)])
    attribution_scores = [next(turn_scores) if a.turn else next(other_scores) for a in attributions]
    named_entity = functools.lru_cache(maxsize=None)(lambda label: entity_named(label, entities, text))
    # A transcript's speakers are people: a host's name the small model tagged ORG ("Lester Holt: …",
    # no PERSON of that name in the text) is a PERSON, in the entity list and in each claim.
    for label in dict.fromkeys(a.turn_speaker for a in attributions if a.turn_speaker):
        speaker = named_entity(label)
        if speaker is not None and speaker.label == "ORG":
            speaker.label = "PERSON"
    for attribution, score in zip(attributions, attribution_scores, strict=True):
        spans = [[s, e] for s, e in attribution.content_spans]
        for s, e in attribution.content_spans:
            covered[s:e] = b"\x01" * (e - s)
        claims.append(
            {
                "kind": attribution.kind,
                "quoted": attribution.quoted,
                "speaker": _speaker(attribution, mentions, named_entity),
                "cue": _span(attribution.cue, attribution.cue_start, attribution.cue_end),
                "content": {
                    "text": content_text(text, attribution.content_spans),
                    "start": spans[0][0],
                    "end": spans[-1][1],
                    "spans": spans,
                },
                "score": round(float(score), 4),
                "check_worthy": bool(score >= threshold),
                "nested": attribution.nested,
            }
        )
    for sent, score in zip(sentences, scored[len(others) :], strict=True):
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


OMISSION = " … "


def content_text(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """A statement's content as a reader is shown it: its spans, with an ellipsis where words are left out.

    A content is not always one run of text: the cue and speaker interrupting a quotation
    ("“…,” he said, “…”"), or the relative word of "what he called a breakthrough", which stands
    before the speaker. Where only spaces or punctuation lie between two spans they are joined by a space.
    """
    parts = [text[spans[0][0] : spans[0][1]]]
    for (_, end), (start, stop) in itertools.pairwise(spans):
        gap = text[end:start]
        parts.append(OMISSION if any(ch.isalnum() for ch in gap) else " ")
        parts.append(text[start:stop])
    return "".join(parts)


def _speaker(
    attribution: Any, mentions: MentionIndex, named_entity: Callable[[str], Entity | None]
) -> dict[str, Any] | None:
    if attribution.speaker is None:
        return None
    # Only the name the phrase is about: "Springfield's city council" or "a spokesman for FNV" names
    # someone who did not speak.
    resolved = attribution.speaker_ref
    entity = mentions.entity_for_span(*resolved) if resolved is not None else None
    if entity is None and attribution.turn_speaker:
        entity = named_entity(attribution.turn_speaker)  # entity_named, once per label and document
    return {
        "text": attribution.speaker,
        "start": attribution.speaker_start,
        "end": attribution.speaker_end,
        "entity": entity.name if entity else None,
        "label": entity.label if entity else None,
    }


def entity_named(label: str, entities: Sequence[Entity], text: str) -> Entity | None:
    """The person a transcript's speaker label names ("HOLT", "MR. ROMNEY", "Chuck Todd"), if the text does.

    Labels stand apart from the text, so the parse rarely makes them a mention of anyone. The label's
    words are matched against each name an entity goes by, or its one word against their surname; of
    several, a person before an organisation (the small model takes some hosts' names for one), then
    the one mentioned most. A label that is only a title ("THE PRESIDENT", "THE VICE PRESIDENT", as
    official transcripts write them) names the person ``text`` calls by it ("President Trump").
    """
    words = list(person_tokens(label))  # "MARTINEZ-BELTRAN" is one word, as in "Sergio Martínez-Beltrán"
    if words and all(w in _LABEL_TITLES or w in _ROLE_WORDS for w in words):
        return _holder_of_title([w for w in words if w != "the"], entities, text)
    names = [w for w in words if w not in _LABEL_TITLES]
    if not names:
        return None
    key = " ".join(names)
    found = [
        entity
        for entity in entities
        if entity.label in ("PERSON", "ORG")
        and any(
            (known := person_tokens(name)) and (" ".join(known) == key or (len(names) == 1 and known[-1] == key))
            for name in (entity.name, *entity.aliases)
        )
    ]
    return max(found, key=lambda e: (e.label == "PERSON", len(e.mentions)), default=None)


def _holder_of_title(title: list[str], entities: Sequence[Entity], text: str) -> Entity | None:
    """The person ``text`` names right after ``title`` most often ("President Trump" for ["president"]),
    where the title is not part of a longer one ("Vice President Vance", "former President Obama")."""
    if not title or not text:
        return None

    def titled(entity: Entity) -> int:
        """How many of the person's mentions follow the title itself, not a longer or former one."""
        count = 0
        for mention in entity.mentions:
            before = name_key(text[max(0, mention.start - 60) : mention.start]).split()
            rest = before[: len(before) - len(title)]
            count += before[len(rest) :] == title and not (rest and rest[-1] in _LONGER_TITLE)
        return count

    scored = [(titled(entity), len(entity.mentions), entity) for entity in entities if entity.label == "PERSON"]
    best = max(scored, key=lambda item: item[:2], default=None)
    return best[2] if best is not None and best[0] else None


_LONGER_TITLE = frozenset({"vice", "deputy", "assistant", "former", "ex", "lieutenant"})
# With _LABEL_TITLES, the words of a label that is a title alone ("THE VICE PRESIDENT", "THE FIRST LADY").
_ROLE_WORDS = frozenset({"the", "vice", "deputy", "first", "lady", "prime", "minister", "chancellor", "mayor", "chief"})
_LABEL_TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "sen", "senator", "gov", "governor", "rep", "president", "secretary"}
)


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
