"""Turn any event shape that can name an S3 object into ``ObjectEvent`` values.

Accepted shapes: an S3 notification (``Records`` with ``eventSource: aws:s3``), the same
wrapped in SQS message bodies (optionally via SNS), and S3 events delivered by EventBridge
(``source: aws.s3``). Keys in notifications are URL-encoded (``+`` for space); they are
decoded here, once.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote_plus

Action = Literal["created", "removed"]

# Set on the S3 notifications that `article-pipeline reprocess` sends ({"reprocess": true}).
REPROCESS_FIELD = "articlePipeline"
# S3 sequencers are hex strings of varying length; AWS says to right-pad the shorter with
# zeros before comparing them lexicographically.
SEQUENCER_WIDTH = 32


class UnknownEventShape(ValueError):
    """The event (or an SQS message body) is not one of the shapes we accept."""


@dataclass(frozen=True)
class ObjectEvent:
    """One object created in or removed from a bucket."""

    bucket: str
    key: str
    action: Action
    size: int | None = None
    etag: str | None = None
    version_id: str | None = None
    sequencer: str | None = None
    event_time: str | None = None
    reprocess: bool = False  # sent by `article-pipeline reprocess`: done again even if it looks done

    @property
    def ordering_key(self) -> str:
        """A string that sorts events of one key in the order S3 applied them.

        The S3 sequencer when present (always, for puts and deletes in AWS); otherwise the
        event time, which is what emulators such as moto provide.
        """
        if self.sequencer:
            return normalise_sequencer(self.sequencer)
        return f"T{self.event_time}" if self.event_time else ""


def normalise_sequencer(sequencer: str | None) -> str:
    if not sequencer:
        return ""
    return sequencer.upper().ljust(SEQUENCER_WIDTH, "0")


def _action(event_name: str) -> Action | None:
    name = event_name.removeprefix("s3:")
    if name.startswith("ObjectCreated"):
        return "created"
    if name.startswith("ObjectRemoved"):
        return "removed"
    return None


def _from_s3_record(record: Mapping[str, Any]) -> ObjectEvent | None:
    action = _action(str(record.get("eventName", "")))
    if action is None:
        return None
    s3 = record["s3"]
    obj = s3["object"]
    size = obj.get("size")
    return ObjectEvent(
        bucket=s3["bucket"]["name"],
        key=unquote_plus(obj["key"]),
        action=action,
        size=int(size) if size is not None else None,
        etag=obj.get("eTag") or obj.get("etag"),
        version_id=obj.get("versionId"),
        sequencer=obj.get("sequencer"),
        event_time=record.get("eventTime"),
    )


def _from_eventbridge(event: Mapping[str, Any]) -> ObjectEvent | None:
    detail = event.get("detail") or {}
    detail_type = str(event.get("detail-type", ""))
    if detail_type == "Object Created":
        action: Action = "created"
    elif detail_type == "Object Deleted":
        action = "removed"
    else:
        return None
    obj = detail["object"]
    size = obj.get("size")
    # EventBridge delivers keys already decoded, unlike S3 notifications.
    return ObjectEvent(
        bucket=detail["bucket"]["name"],
        key=obj["key"],
        action=action,
        size=int(size) if size is not None else None,
        etag=obj.get("etag"),
        version_id=obj.get("version-id"),
        sequencer=obj.get("sequencer"),
        event_time=event.get("time"),
    )


def object_events(payload: Mapping[str, Any]) -> Iterator[ObjectEvent]:
    """Every object event inside one S3 notification or EventBridge event.

    ``s3:TestEvent`` messages and non-object S3 events yield nothing; anything else that is
    not a recognised shape raises ``UnknownEventShape``.
    """
    if payload.get("Event") == "s3:TestEvent":
        return
    if payload.get("source") == "aws.s3" and "detail" in payload:
        found = _from_eventbridge(payload)
        if found is not None:
            yield found
        return
    if payload.get("Type") == "Notification" and "Message" in payload:  # SNS envelope
        yield from object_events(_json_body(payload["Message"]))
        return
    records = payload.get("Records")
    if not isinstance(records, list):
        raise UnknownEventShape(f"not an S3 or EventBridge event (keys: {sorted(payload)[:8]})")
    reprocess = bool((payload.get(REPROCESS_FIELD) or {}).get("reprocess"))
    for record in records:
        if record.get("eventSource") != "aws:s3":
            raise UnknownEventShape(f"unexpected record source {record.get('eventSource')!r}")
        found = _from_s3_record(record)
        if found is not None:
            yield dataclasses.replace(found, reprocess=True) if reprocess else found


def is_sqs_batch(event: Mapping[str, Any]) -> bool:
    records = event.get("Records")
    return isinstance(records, list) and bool(records) and records[0].get("eventSource") == "aws:sqs"


def sqs_body_events(body: str) -> list[ObjectEvent]:
    """The object events carried by one SQS message body."""
    return list(object_events(_json_body(body)))


def _json_body(body: str | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        parsed = json.loads(body)
    except (TypeError, ValueError) as exc:
        raise UnknownEventShape("message body is not JSON") from exc
    if not isinstance(parsed, dict):
        raise UnknownEventShape("message body is not a JSON object")
    return parsed
