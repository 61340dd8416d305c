"""S3 notifications as AWS sends them, for the local stack's versioned bucket.

template.yaml enables versioning on the articles bucket, and AWS's notifications then carry the
object's ``versionId`` and, for every event, a ``sequencer`` that orders the events of one key;
a delete makes a delete marker and sends ``ObjectRemoved:DeleteMarkerCreated``. moto sends
neither field and no event at all for a delete marker. Without this, the local stack would
run an unversioned bucket (as it once did), read objects without a version (so a policy missing
``s3:GetObjectVersion`` passed every test) and order events by their millisecond timestamps.
"""

from __future__ import annotations

import functools
import threading
import time
from types import SimpleNamespace
from typing import Any

_MARK = "_article_pipeline_events"
_lock = threading.Lock()
_last_sequencer = 0


def next_sequencer() -> str:
    """A hex sequencer that only grows, also across restarts of the local stack (nanosecond clock)."""
    global _last_sequencer
    with _lock:
        _last_sequencer = max(_last_sequencer + 1, time.time_ns())
        return f"{_last_sequencer:016X}"


def install() -> None:
    """Patch moto's S3 notifications once (idempotent)."""
    from moto.s3 import models, notifications

    if getattr(notifications._get_s3_event, _MARK, False):
        return
    original_event = notifications._get_s3_event

    @functools.wraps(original_event)
    def s3_event(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
        marker = isinstance(key, models.FakeDeleteMarker)
        source = SimpleNamespace(name=key.name, etag='""', size=0) if marker else key
        body = original_event(event_name, bucket, source, notification_id)
        obj = body["Records"][0]["s3"]["object"]
        if marker:  # AWS: a delete marker has no size or ETag
            obj.pop("size", None)
            obj.pop("eTag", None)
        if bucket.is_versioned and getattr(key, "version_id", None) not in {None, "null"}:
            obj["versionId"] = key.version_id
        obj["sequencer"] = next_sequencer()
        return body

    setattr(s3_event, _MARK, True)
    notifications._get_s3_event = s3_event

    original_delete = models.S3Backend.delete_object

    @functools.wraps(original_delete)
    def delete_object(
        self: Any, bucket_name: str, key_name: str, version_id: str | None = None, bypass: bool = False
    ) -> tuple[bool, dict[str, Any]]:
        deleted, meta = original_delete(self, bucket_name, key_name, version_id=version_id, bypass=bypass)
        if deleted and version_id is None and meta.get("delete-marker") == "true":
            bucket = self.get_bucket(bucket_name)
            marker = bucket.keys.get(key_name)
            if isinstance(marker, models.FakeDeleteMarker):
                notifications.send_event(
                    self.account_id,
                    notifications.S3NotificationEvent.OBJECT_REMOVED_DELETE_MARKER_CREATED_EVENT,
                    bucket,
                    marker,
                )
        return deleted, meta

    models.S3Backend.delete_object = delete_object  # type: ignore[method-assign]
