"""Domain exceptions. Each carries a short machine-readable ``code`` and a readable message.

``InputError`` means the object itself is unusable (recorded as FAILED, never retried);
``StorageError`` means AWS failed us (the record is retried, then lands in the DLQ).
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class for every error the pipeline raises on purpose."""

    code = "pipeline_error"


class InputError(PipelineError):
    """The uploaded object cannot be turned into an article; retrying will not help."""

    code = "bad_input"


class EmptyInput(InputError):
    code = "empty"


class BinaryInput(InputError):
    code = "binary"


class UndecodableInput(InputError):
    code = "undecodable"


class UnsupportedFormat(InputError):
    code = "unsupported_format"


class TooLarge(InputError):
    code = "too_large"


class ItemTooLarge(InputError):
    """An item built from the upload would exceed DynamoDB's 400 KB: the article fails, not the message."""

    code = "item_too_large"


class SeveralArticles(InputError):
    """A JSON export holds a list of articles: one upload is one article (split it first)."""

    code = "several_articles"


class NoArticleText(InputError):
    """Decoded fine, but nothing article-like was left after boilerplate removal."""

    code = "no_text"


class StorageError(PipelineError):
    """S3 or DynamoDB failed; transient unless proven otherwise."""

    code = "storage_error"


class StaleEvent(PipelineError):
    """A newer version of the object was already processed; this event is obsolete."""

    code = "stale_event"


class ObjectGone(StorageError):
    """The object named by the event no longer exists (deleted or overwritten since)."""

    code = "object_gone"
