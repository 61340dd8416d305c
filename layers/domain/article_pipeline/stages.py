"""The two stages as the Lambda functions run them: ingest an uploaded object, analyse a clean one.

Each stage takes one ``ObjectEvent`` and a ``Store`` and returns an ``Outcome``. Bad input is
recorded (status FAILED with a reason) and is not an error of the stage; storage failures
propagate so the message is retried and, in the end, dead-lettered. The S3 sequencer of the
upload travels with the article (its ordering key), so an older event never overwrites the
results of a newer one.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from article_pipeline import PIPELINE_VERSION, ids
from article_pipeline.errors import InputError, ObjectGone, PipelineError, StaleEvent, TooLarge
from article_pipeline.events import ObjectEvent
from article_pipeline.schema import (
    SETTLED_STATUSES,
    Status,
    analysed_article,
    cleaned_article,
    deleted_article,
    entry_keys,
    error_record,
    failed_article,
    form_pairs,
    index_entries,
    index_record,
)
from article_pipeline.storage import Store
from article_pipeline.versions import cleaning_versions

logger = logging.getLogger(__name__)

CleanRaw = Callable[..., dict[str, Any]]
AnalyzeText = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Outcome:
    """What happened to one object event (for logs, metrics and the CLI's summary)."""

    article_id: str | None
    status: Status
    reason: str | None = None
    seconds: float = 0.0
    figures: Mapping[str, float] = field(default_factory=dict)  # per-article metrics (Words, Entities, Claims)


class _Stopwatch:
    """Builds a stage's outcomes with the time since the stage started."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def outcome(self, article_id: str | None, status: Status, reason: str | None = None, **figures: float) -> Outcome:
        return Outcome(article_id, status, reason, time.perf_counter() - self.started, figures)


# ---------------------------------------------------------------------------------------- ingest


def ingest_object(event: ObjectEvent, store: Store, clean_raw: CleanRaw | None = None) -> Outcome:
    """Read an uploaded object, strip boilerplate, write clean/<id>.json and the article item."""
    watch = _Stopwatch()
    prefix = store.settings.incoming_prefix
    if not event.key.startswith(prefix):
        # Only incoming/ is ours to ingest; anything else (clean/, analysis/) would recurse.
        logger.warning("ignoring object outside %s", prefix, extra={"key": event.key})
        return watch.outcome(None, Status.IGNORED, f"key is outside {prefix}")
    article_id = ids.article_id(event.bucket, event.key)
    try:
        if event.action == "removed":
            return _remove_article(article_id, event, store, watch)
        return _ingest_upload(article_id, event, store, clean_raw, watch)
    except StaleEvent:
        logger.info("older event ignored: a newer version was already recorded", extra={"article_id": article_id})
        return watch.outcome(article_id, Status.STALE, "a newer version was already recorded")
    except ObjectGone:
        logger.info("object vanished before it could be read", extra={"article_id": article_id})
        return watch.outcome(article_id, Status.STALE, "object no longer exists")


def _ingest_upload(
    article_id: str, event: ObjectEvent, store: Store, clean_raw: CleanRaw | None, watch: _Stopwatch
) -> Outcome:
    existing = store.get_article(article_id)
    if _already_current(existing, event):
        logger.info("unchanged object already processed", extra={"article_id": article_id})
        return watch.outcome(article_id, Status(existing["status"]), "duplicate event")  # type: ignore[index]
    base = _base_attributes(event)
    version = event.ordering_key
    clean_key = ids.clean_key(article_id, version)
    pointer = f"s3://{store.settings.bucket_name}/{clean_key}"
    superseded = _superseded(existing)
    try:
        cleaned = _read_and_clean(event, store, base["source"], clean_raw)
        item = {**cleaned_article(base, cleaned, clean_text=pointer), "previous_index": superseded.indexes or None}
        store.put_article(article_id, item, ordering_key=version)  # ItemTooLarge is an InputError
    except InputError as exc:
        return _record_rejection(article_id, event, store, base, exc, watch, superseded)
    if cleaned.get("markup_truncated_at"):
        logger.warning(
            "markup parsed up to a limit",
            extra={"article_id": article_id, "truncated_at": cleaned["markup_truncated_at"]},
        )
    _drop(superseded, store, below=version, keep=clean_key)
    store.put_json(
        clean_key,
        {"article_id": article_id, **base, "ordering_key": version, **cleaned, "cleaned_at": _now()},
    )
    logger.info(
        "article cleaned",
        extra={"article_id": article_id, "format": cleaned.get("format"), "words": cleaned.get("word_count")},
    )
    return watch.outcome(article_id, Status.CLEANED, Words=cleaned.get("word_count") or 0)


def _read_and_clean(
    event: ObjectEvent, store: Store, source: dict[str, Any], clean_raw: CleanRaw | None
) -> dict[str, Any]:
    """The upload's cleaned text and metadata; ``source`` gains the version actually read."""
    limit = store.settings.max_object_bytes
    if event.size is not None and event.size > limit:
        raise TooLarge(f"object is {event.size:,} bytes; the limit is {limit:,} bytes")
    raw, meta = store.read_object(event.bucket, event.key, version_id=event.version_id, max_bytes=limit)
    source.update({k: v for k, v in meta.items() if k in {"etag", "version_id"} and v})
    source["size"] = meta["size"]
    if clean_raw is None:
        from article_pipeline import cleaning

        clean_raw = cleaning.clean_raw
    settings = store.settings
    return clean_raw(
        raw,
        filename=event.key,
        content_type=meta.get("content_type"),
        max_bytes=limit,
        max_html_chars=settings.max_html_chars,
        max_markdown_chars=settings.max_markdown_chars,
    )


def _base_attributes(event: ObjectEvent) -> dict[str, Any]:
    source = {
        "bucket": event.bucket,
        "key": event.key,
        "etag": event.etag,
        "version_id": event.version_id,
        "size": event.size,
        "sequencer": event.sequencer,
        "event_time": event.event_time,
    }
    return {
        "source": source,
        "pipeline_version": PIPELINE_VERSION,
        "cleaned_by": cleaning_versions(),
        "received_at": _now(),
    }


def _already_current(existing: dict[str, Any] | None, event: ObjectEvent) -> bool:
    """True when this exact event (same sequencer and ETag) was already taken to a settled state."""
    if not existing or not event.ordering_key:
        return False
    return (
        existing.get("ordering_key") == event.ordering_key
        and (existing.get("source") or {}).get("etag") == event.etag
        and existing.get("status") in SETTLED_STATUSES
        and (existing.get("error") or {}).get("retryable") is not True
        and existing.get("cleaned_by") == cleaning_versions()
        and not event.reprocess
    )


def _record_rejection(
    article_id: str,
    event: ObjectEvent,
    store: Store,
    base: dict[str, Any],
    exc: InputError,
    watch: _Stopwatch,
    superseded: _Superseded,
) -> Outcome:
    """The upload can never become an article: say why on its item, and drop what it had made."""
    reason = str(exc)
    logger.warning("article rejected: %s", reason, extra={"article_id": article_id, "error_code": exc.code})
    error = error_record(exc.code, reason, retryable=False)
    store.put_article(article_id, failed_article(base, error), ordering_key=event.ordering_key)
    _drop(superseded, store, below=event.ordering_key)
    return watch.outcome(article_id, Status.FAILED, reason)


def _remove_article(article_id: str, event: ObjectEvent, store: Store, watch: _Stopwatch) -> Outcome:
    """A deleted upload leaves a DELETED marker (so late events cannot resurrect it) and nothing else."""
    superseded = _superseded(store.get_article(article_id))
    base = {
        "source": {"bucket": event.bucket, "key": event.key, "sequencer": event.sequencer},
        "pipeline_version": PIPELINE_VERSION,
    }
    store.put_article(article_id, deleted_article(base, deleted_at=_now()), ordering_key=event.ordering_key)
    _drop(superseded, store, below=event.ordering_key)
    logger.info("article deleted", extra={"article_id": article_id})
    return watch.outcome(article_id, Status.DELETED)


@dataclass(frozen=True)
class _Superseded:
    """What an article's earlier versions left: index entries (per version) and S3 objects."""

    indexes: list[dict[str, Any]] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)


def _superseded(existing: Mapping[str, Any] | None) -> _Superseded:
    if not existing:
        return _Superseded()
    indexes = [existing["index"]] if existing.get("index") else []
    indexes += existing.get("previous_index") or []
    pointers = (existing.get(name) for name in ("clean_text", "analysis"))
    return _Superseded(indexes, [_object_key(p) for p in pointers if p])


def _drop(superseded: _Superseded, store: Store, *, below: str, keep: str | None = None) -> None:
    """Remove an older version's index entries (only entries older than ``below``: a newer version's
    survive) and its clean text and analysis objects."""
    for index in superseded.indexes:
        store.delete_entries(entry_keys(index), below=below)
    for key in superseded.objects:
        if key != keep:
            store.delete_object(key)


def _object_key(pointer: str) -> str:
    """``s3://bucket/clean/x.json`` -> ``clean/x.json``."""
    return pointer.split("/", 3)[3]


def record_unexpected_failure(event: ObjectEvent, store: Store, exc: BaseException) -> None:
    """Best effort: say on the article item why its message is being retried (or dead-lettered)."""
    from_upload = event.key.startswith(store.settings.incoming_prefix)
    article_id = ids.article_id(event.bucket, event.key) if from_upload else ids.article_id_from_clean_key(event.key)
    if article_id is None:
        return
    code = exc.code if isinstance(exc, PipelineError) else type(exc).__name__
    error = error_record(code, str(exc), retryable=True)
    try:
        if from_upload:
            _record_upload_failure(article_id, event, store, error)
        else:
            existing = store.get_article(article_id) or {}
            ordering_key = str(existing.get("ordering_key", ""))
            store.update_article(article_id, {"status": Status.FAILED.value, "error": error}, ordering_key=ordering_key)
    except StaleEvent:
        logger.info("failure not recorded: a newer version owns the article item", extra={"article_id": article_id})
    except Exception:
        logger.exception("could not record the failure on the article item", extra={"article_id": article_id})


def _record_upload_failure(article_id: str, event: ObjectEvent, store: Store, error: dict[str, Any]) -> None:
    attributes = {"status": Status.FAILED.value, "error": error}
    try:
        store.update_article(article_id, attributes, ordering_key=event.ordering_key)
    except StaleEvent:
        # The upload failed before its first write (its S3 read keeps failing, say), or it is a
        # newer version than the item holds: the item says FAILED for this version, unless an
        # even newer one has been recorded meanwhile (put_article's condition raises StaleEvent).
        superseded = _superseded(store.get_article(article_id))
        failed = {**failed_article(_base_attributes(event), error), "previous_index": superseded.indexes or None}
        store.put_article(article_id, failed, ordering_key=event.ordering_key)


# ---------------------------------------------------------------------------------------- analyze


def analyze_object(event: ObjectEvent, store: Store, analyze_text: AnalyzeText | None = None) -> Outcome:
    """Analyse clean/<id>/<version>.json; its index entries replace the article's earlier ones."""
    watch = _Stopwatch()
    article_id = ids.article_id_from_clean_key(event.key)
    if event.action != "created" or article_id is None:
        return watch.outcome(article_id, Status.IGNORED, "not a clean article object")
    try:
        clean_doc = store.read_json(event.key, bucket=event.bucket)
    except ObjectGone:
        return watch.outcome(article_id, Status.STALE, "clean text no longer exists")
    version = str(clean_doc.get("ordering_key", ""))
    existing = store.get_article(article_id)
    if not existing or existing.get("ordering_key") != version or existing.get("status") == Status.DELETED:
        logger.info("clean text belongs to an older version; skipped", extra={"article_id": article_id})
        return watch.outcome(article_id, Status.STALE, "clean text is from an older version")

    if analyze_text is None:
        from article_pipeline import analysis

        analyze_text = functools.partial(analysis.analyze_text, max_chars=store.settings.max_analysed_chars)
    document = analyze_text(clean_doc)
    entries = index_entries(document, existing, version=version)
    analysis_key = ids.analysis_key(article_id, version)
    try:
        pointer = store.put_json(analysis_key, document)
        store.put_entries(entries, version=version)
        store.put_forms(form_pairs(document))
        analysed = analysed_article(document, entries, analysis=pointer, analyzed_at=_now())
        store.update_article(article_id, analysed, ordering_key=version)  # the commit
    except StaleEvent:
        # A newer upload was ingested while we worked: take back what we wrote; its analysis replaces it.
        store.delete_entries(entry_keys(index_record(entries)), only=version)
        store.delete_object(analysis_key)
        return watch.outcome(article_id, Status.STALE, "a newer version arrived during analysis")
    except InputError as exc:  # an item too large for DynamoDB: the article fails, the message does not
        logger.warning("analysis not stored: %s", exc, extra={"article_id": article_id, "error_code": exc.code})
        failed = {"status": Status.FAILED.value, "error": error_record(exc.code, str(exc), retryable=False)}
        store.update_article(article_id, failed, ordering_key=version)
        store.delete_object(analysis_key)
        return watch.outcome(article_id, Status.FAILED, str(exc))
    _drop_replaced(existing, entries, store, version=version)
    status = Status(analysed["status"])
    logger.info(
        "article analysed",
        extra={
            "article_id": article_id,
            "status": status.value,
            "entities": len(document["entities"]),
            "claims": len(document["claims"]),
        },
    )
    return watch.outcome(
        article_id,
        status,
        document.get("skipped_reason"),
        Entities=len(document["entities"]),
        Claims=len(document["claims"]),
    )


def parse_ahead(events: Iterable[ObjectEvent], store: Store) -> AnalyzeText:
    """Analyse a batch's clean texts together (one ``nlp.pipe``) before its records run, and return
    the ``analyze_text`` each record's ``analyze_object`` uses: it hands over the record's document,
    or analyses a text it was not given (a large one, a newer version, one that could not be read).

    Only up to ``batch_parse_chars`` characters are parsed ahead, so a batch of large articles still
    runs record by record under the deadline rules; the records' own rules (ordering, stale events,
    failures) are untouched, as each stage reads its clean text and checks it again.
    """
    from article_pipeline import analysis

    settings = store.settings
    budget = settings.batch_parse_chars
    ahead: list[dict[str, Any]] = []
    clean = [e for e in events if e.action == "created" and ids.article_id_from_clean_key(e.key) is not None]
    for event in clean if len(clean) > 1 else []:  # one record has nothing to share a parse with
        try:
            clean_doc = store.read_json(event.key, bucket=event.bucket)
        except PipelineError:
            continue  # the record's stage reads it again, and records what goes wrong
        size = len(str(clean_doc.get("text") or ""))
        if size <= budget:
            budget -= size
            ahead.append(clean_doc)
    ready: dict[tuple[Any, Any], dict[str, Any] | Exception] = {}
    if len(ahead) > 1:
        results = analysis.analyze_texts(
            ahead, max_chars=settings.max_analysed_chars, batch_size=settings.pipe_batch_size
        )
        ready = {_analysis_key(doc): result for doc, result in zip(ahead, results, strict=True)}

    def analyze_text(clean_doc: dict[str, Any]) -> dict[str, Any]:
        result = ready.pop(_analysis_key(clean_doc), None)
        if result is None:
            return analysis.analyze_text(clean_doc, max_chars=settings.max_analysed_chars)
        if isinstance(result, Exception):
            raise result
        return result

    return analyze_text


def _analysis_key(clean_doc: Mapping[str, Any]) -> tuple[Any, Any]:
    return clean_doc.get("article_id"), clean_doc.get("ordering_key")


def _drop_replaced(existing: Mapping[str, Any], entries: list[dict[str, Any]], store: Store, *, version: str) -> None:
    """After the commit: entries of an earlier analysis of this version (a re-analysis) that the new
    one no longer has, and entries older versions left if their ingest could not remove them."""
    current = {(e["PK"], e["SK"]) for e in entries}
    earlier = [k for k in entry_keys(existing.get("index")) if (k["PK"], k["SK"]) not in current]
    store.delete_entries(earlier, only=version)
    for index in existing.get("previous_index") or []:
        store.delete_entries(entry_keys(index), below=version)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
