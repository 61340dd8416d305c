"""The two stages as the Lambda functions run them: ingest an uploaded object, analyse a clean one.

Each stage takes one ``ObjectEvent`` and an ``ArticleStore`` and returns an ``Outcome``.
Bad input is recorded (status FAILED with a reason) and is not an error of the stage;
storage failures propagate so the message is retried and, in the end, dead-lettered.
The S3 sequencer of the upload travels with the article so an older event never overwrites
the results of a newer one.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from article_pipeline import PIPELINE_VERSION, ids
from article_pipeline.errors import InputError, ObjectGone, PipelineError, StaleEvent
from article_pipeline.events import ObjectEvent
from article_pipeline.storage import ArticleStore

logger = logging.getLogger(__name__)

CLEANED, DONE, FAILED, SKIPPED, DELETED = "CLEANED", "DONE", "FAILED", "SKIPPED", "DELETED"
TERMINAL_STATUSES = frozenset({DONE, FAILED, SKIPPED, DELETED})


@dataclass(frozen=True)
class Outcome:
    """What happened to one object event (for logs, metrics and the CLI's summary)."""

    article_id: str | None
    status: str  # CLEANED | DONE | FAILED | SKIPPED | DELETED | IGNORED | STALE
    reason: str | None = None
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------- ingest


def ingest_object(
    event: ObjectEvent, store: ArticleStore, clean: Callable[..., dict[str, Any]] | None = None
) -> Outcome:
    """Read an uploaded object, strip boilerplate, write clean/<id>.json and the article item."""
    settings = store.settings
    started = time.perf_counter()
    if not event.key.startswith(settings.incoming_prefix):
        # Only incoming/ is ours to ingest; anything else (clean/, analysis/) would recurse.
        logger.warning("ignoring object outside %s", settings.incoming_prefix, extra={"key": event.key})
        return Outcome(None, "IGNORED", f"key is outside {settings.incoming_prefix}")
    article = ids.article_id(event.bucket, event.key)
    if event.action == "removed":
        return _remove_article(article, event, store, started)

    source = _source(event)
    base = {"source": source, "pipeline_version": PIPELINE_VERSION, "received_at": _now()}
    try:
        existing = store.get_article(article)
        if _already_current(existing, event):
            logger.info("unchanged object already processed", extra={"article_id": article})
            return Outcome(article, existing["status"], "duplicate event", time.perf_counter() - started)
        try:
            if event.size is not None and event.size > settings.max_object_bytes:
                from article_pipeline.errors import TooLarge

                raise TooLarge(f"object is {event.size:,} bytes; the limit is {settings.max_object_bytes:,} bytes")
            raw, meta = store.read_object(
                event.bucket, event.key, version_id=event.version_id, max_bytes=settings.max_object_bytes
            )
            source.update({k: v for k, v in meta.items() if k in {"etag", "version_id"} and v})
            source["size"] = meta["size"]
            if clean is None:
                from article_pipeline.cleaning import clean as clean
            cleaned = clean(
                raw, filename=event.key, content_type=meta.get("content_type"), max_bytes=settings.max_object_bytes
            )
        except ObjectGone:
            raise
        except InputError as exc:
            return _record_failure(article, event, store, base, exc, started)

        text = cleaned.pop("text")
        clean_doc = {
            "article_id": article,
            **base,
            "ordering_key": event.ordering_key,
            **cleaned,
            "text": text,
            "cleaned_at": _now(),
        }
        pointer = f"s3://{settings.bucket_name}/{ids.clean_key(article)}"
        store.put_article(
            article,
            {
                **base,
                **_metadata(cleaned),
                "status": CLEANED,
                "error": None,
                "clean_text": pointer,
                "char_count": len(text),
            },
            ordering_key=event.ordering_key,
        )
        store.clear_children(article)
        store.put_json(ids.clean_key(article), clean_doc)
    except StaleEvent:
        logger.info("older event ignored: a newer version was already recorded", extra={"article_id": article})
        return Outcome(article, "STALE", "a newer version was already recorded", time.perf_counter() - started)
    except ObjectGone:
        logger.info("object vanished before it could be read", extra={"article_id": article})
        return Outcome(article, "STALE", "object no longer exists", time.perf_counter() - started)
    logger.info(
        "article cleaned",
        extra={"article_id": article, "format": cleaned.get("format"), "words": cleaned.get("word_count")},
    )
    return Outcome(article, CLEANED, None, time.perf_counter() - started)


def _source(event: ObjectEvent) -> dict[str, Any]:
    return {
        "bucket": event.bucket,
        "key": event.key,
        "etag": event.etag,
        "version_id": event.version_id,
        "size": event.size,
        "sequencer": event.sequencer,
        "event_time": event.event_time,
    }


def _already_current(existing: dict[str, Any] | None, event: ObjectEvent) -> bool:
    """True when this exact event (same sequencer and ETag) was already taken to a settled state."""
    if not existing or not event.ordering_key:
        return False
    return (
        existing.get("ordering_key") == event.ordering_key
        and (existing.get("source") or {}).get("etag") == event.etag
        and existing.get("status") in {CLEANED, DONE, SKIPPED, FAILED}
        and (existing.get("error") or {}).get("retryable") is not True
        and existing.get("pipeline_version") == PIPELINE_VERSION
    )


def _record_failure(
    article: str, event: ObjectEvent, store: ArticleStore, base: dict[str, Any], exc: InputError, started: float
) -> Outcome:
    reason = str(exc)
    logger.warning("article rejected: %s", reason, extra={"article_id": article, "error_code": exc.code})
    store.put_article(
        article,
        {**base, "status": FAILED, "error": {"code": exc.code, "message": reason, "retryable": False}},
        ordering_key=event.ordering_key,
    )
    store.clear_children(article)
    store.delete_object(ids.clean_key(article))
    store.delete_object(ids.analysis_key(article))
    return Outcome(article, FAILED, reason, time.perf_counter() - started)


def _remove_article(article: str, event: ObjectEvent, store: ArticleStore, started: float) -> Outcome:
    """A deleted upload leaves a DELETED marker (so late events cannot resurrect it) and nothing else."""
    try:
        store.put_article(
            article,
            {
                "source": {"bucket": event.bucket, "key": event.key, "sequencer": event.sequencer},
                "status": DELETED,
                "error": None,
                "pipeline_version": PIPELINE_VERSION,
                "deleted_at": _now(),
            },
            ordering_key=event.ordering_key,
        )
    except StaleEvent:
        return Outcome(article, "STALE", "a newer upload exists", time.perf_counter() - started)
    store.clear_children(article)
    store.delete_object(ids.clean_key(article))
    store.delete_object(ids.analysis_key(article))
    logger.info("article deleted", extra={"article_id": article})
    return Outcome(article, DELETED, None, time.perf_counter() - started)


def record_unexpected_failure(event: ObjectEvent, store: ArticleStore, exc: BaseException) -> None:
    """Best effort: say on the article item why its message is being retried (or dead-lettered)."""
    if not event.key.startswith(store.settings.incoming_prefix) and ids.article_id_from_clean_key(event.key) is None:
        return
    article = ids.article_id_from_clean_key(event.key) or ids.article_id(event.bucket, event.key)
    code = exc.code if isinstance(exc, PipelineError) else type(exc).__name__
    error = {"code": code, "message": str(exc)[:500], "retryable": True}
    ordering_key = _current_ordering_key(store, article, event)
    try:
        try:
            store.update_article(article, {"status": FAILED, "error": error}, ordering_key=ordering_key)
        except StaleEvent:
            if not event.key.startswith(store.settings.incoming_prefix):
                raise
            # The upload failed before its first write (say, its S3 read keeps failing), or it is a
            # newer version than the item holds: the item says FAILED for this version, unless an
            # even newer one has been recorded meanwhile (put_article's condition).
            store.put_article(
                article,
                {
                    "source": _source(event),
                    "pipeline_version": PIPELINE_VERSION,
                    "received_at": _now(),
                    "status": FAILED,
                    "error": error,
                },
                ordering_key=ordering_key,
            )
            store.clear_children(article)
    except StaleEvent:
        logger.info("failure not recorded: a newer version owns the article item", extra={"article_id": article})
    except Exception:
        logger.exception("could not record the failure on the article item", extra={"article_id": article})


def _current_ordering_key(store: ArticleStore, article: str, event: ObjectEvent) -> str:
    if event.key.startswith(store.settings.incoming_prefix):
        return event.ordering_key
    existing = store.get_article(article) or {}
    return str(existing.get("ordering_key", ""))


# ---------------------------------------------------------------------------------------- analyze


def analyze_object(
    event: ObjectEvent, store: ArticleStore, analyze: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> Outcome:
    """Analyse clean/<id>.json: entities and claims replace the article's previous items."""
    started = time.perf_counter()
    article = ids.article_id_from_clean_key(event.key)
    if event.action != "created" or article is None:
        return Outcome(article, "IGNORED", "not a clean article object")
    try:
        clean_doc = store.read_json(event.key, bucket=event.bucket)
    except ObjectGone:
        return Outcome(article, "STALE", "clean text no longer exists")
    ordering_key = str(clean_doc.get("ordering_key", ""))
    existing = store.get_article(article)
    if not existing or existing.get("ordering_key") != ordering_key or existing.get("status") == DELETED:
        logger.info("clean text belongs to an older version; skipped", extra={"article_id": article})
        return Outcome(article, "STALE", "clean text is from an older version", time.perf_counter() - started)

    if analyze is None:
        from article_pipeline.analysis import analyze_clean

        analyze = functools.partial(analyze_clean, max_chars=store.settings.max_analysed_chars)
    document = analyze(clean_doc)
    skipped = document.get("skipped_reason")
    from article_pipeline.items import child_items

    try:
        store.replace_children(article, child_items(document, existing))
        pointer = store.put_json(ids.analysis_key(article), document)
        store.update_article(
            article,
            {
                "status": SKIPPED if skipped else DONE,
                "error": {"code": "skipped", "message": skipped, "retryable": False} if skipped else None,
                "entity_count": len(document["entities"]),
                "claim_count": len(document["claims"]),
                "model_version": document["versions"].get("model"),
                "analysis": pointer,
                "analyzed_at": _now(),
                "truncated_at": document.get("truncated_at"),
            },
            ordering_key=ordering_key,
        )
    except StaleEvent:
        # A newer upload was ingested while we worked; its own analysis will replace our items.
        return Outcome(article, "STALE", "a newer version arrived during analysis", time.perf_counter() - started)
    status = SKIPPED if skipped else DONE
    logger.info(
        "article analysed",
        extra={
            "article_id": article,
            "status": status,
            "entities": len(document["entities"]),
            "claims": len(document["claims"]),
        },
    )
    return Outcome(article, status, skipped, time.perf_counter() - started)


def _metadata(cleaned: dict[str, Any]) -> dict[str, Any]:
    keys = ("format", "encoding", "language", "title", "author", "published", "url", "sitename", "word_count")
    return {k: cleaned.get(k) for k in keys}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
