"""Run a stage over every object named by a Lambda event, whatever its shape.

SQS batches go through Powertools' ``BatchProcessor`` so that a failing message is reported
in ``batchItemFailures`` (retried, then dead-lettered) while the rest of the batch succeeds.
Direct S3 notifications and EventBridge events (``sam local invoke``, async invokes) are
processed record by record; if any record fails the invocation raises after the others ran,
so Lambda's async retry covers exactly the failure.
"""

from __future__ import annotations

import collections
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from article_pipeline.events import ObjectEvent, UnknownEventShape, is_sqs_batch, object_events, sqs_body_events
from article_pipeline.stages import Outcome

logger = logging.getLogger(__name__)

Stage = Callable[[ObjectEvent], Outcome]
OnFailure = Callable[[ObjectEvent, BaseException], None]


class RecordsFailed(RuntimeError):
    """Some records of a direct (non-SQS) invocation failed; the others were processed."""


def handle_event(
    event: Mapping[str, Any],
    stage: Stage,
    on_failure: OnFailure | None = None,
    context: Any = None,
    clock: RecordClock | None = None,
) -> dict[str, Any]:
    """Process every object event in ``event``; returns the partial-batch response for SQS.

    With a ``clock``, an SQS batch stops starting records when the invocation's time runs short.
    """
    if is_sqs_batch(event):
        return _handle_sqs(event, stage, on_failure, context, clock)
    outcomes: list[Outcome] = []
    errors: list[str] = []
    try:
        found = list(object_events(event))
    except (UnknownEventShape, KeyError, TypeError) as exc:
        # Nothing to retry: an unknown shape will not become known. Say so and stop.
        logger.error("unrecognised event shape; nothing processed: %s", exc)
        return {"processed": 0, "error": f"unrecognised event: {exc}"}
    for object_event in found:
        try:
            outcomes.append(stage(object_event))
        except Exception as exc:
            logger.exception("record failed", extra={"bucket": object_event.bucket, "key": object_event.key})
            if on_failure:
                on_failure(object_event, exc)
            errors.append(f"{object_event.key}: {exc}")
    if errors:
        raise RecordsFailed(f"{len(errors)} of {len(found)} records failed: " + "; ".join(errors))
    return {"processed": len(outcomes), "outcomes": [o.__dict__ for o in outcomes]}


def object_events_in(event: Mapping[str, Any]) -> list[ObjectEvent]:
    """Every object event an invocation carries (an SQS batch or a direct event); unreadable parts are
    left out here, for ``handle_event`` to report."""
    found: list[ObjectEvent] = []
    try:
        if not is_sqs_batch(event):
            return list(object_events(event))
        for record in event["Records"]:
            try:
                found += sqs_body_events(record["body"])
            except (UnknownEventShape, KeyError, TypeError):
                continue
    except (UnknownEventShape, KeyError, TypeError):
        return found
    return found


class DeadlineNear(RuntimeError):
    """A record was not started: the invocation's time left is under what a record needs."""


class RecordClock:
    """How long a record of one stage may take, learnt in this container, against the time left.

    A record needs at least ``floor_seconds`` (the function's RECORD_BUDGET_SECONDS, set from the
    worst inputs measured at its configured size) and one and a half times the slowest of the last
    ``RECENT`` records this container has run, but never more than half of what the invocation had
    when it began: an outlier (a record that ran long on a starved machine) must not make every later
    batch return all but one record. Records not started for lack of time go back to the queue as
    batch item failures instead of being cut off by Lambda's timeout along with the rest. The first
    record of an invocation always starts: the whole timeout is ahead of it, and refusing it would
    return the batch unrun until its messages reach the DLQ.
    """

    RECENT = 20
    MAX_SHARE = 0.5

    def __init__(self, floor_seconds: float) -> None:
        self.floor_ms = floor_seconds * 1000
        self.recent_ms: collections.deque[float] = collections.deque(maxlen=self.RECENT)
        self.invocation_ms: float | None = None

    def needed_ms(self) -> float:
        learnt = 1.5 * max(self.recent_ms, default=0.0)
        if self.invocation_ms is not None:
            learnt = min(learnt, self.MAX_SHARE * self.invocation_ms)
        return max(self.floor_ms, learnt)

    def has_room(self, context: Any, *, first: bool = False) -> bool:
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        if remaining is None:
            return True
        left = remaining()
        if first:
            self.invocation_ms = left
            return True
        return left >= self.needed_ms()

    def observe(self, seconds: float) -> None:
        self.recent_ms.append(seconds * 1000)


def _handle_sqs(
    event: Mapping[str, Any], stage: Stage, on_failure: OnFailure | None, context: Any, clock: RecordClock | None
) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    not_started: list[str] = []
    started_any = False

    def record_handler(record: SQSRecord) -> list[dict[str, Any]]:
        nonlocal started_any
        if clock is not None and (not_started or not clock.has_room(context, first=not started_any)):
            not_started.append(record.message_id)
            raise DeadlineNear(f"not started: under {clock.needed_ms() / 1000:.1f} s left in this invocation")
        try:
            found = sqs_body_events(record.body)
        except UnknownEventShape as exc:
            # A malformed message can never succeed; log it and let it go rather than loop.
            logger.error(
                "dropping SQS message with unrecognised body: %s", exc, extra={"message_id": record.message_id}
            )
            return []
        started_any = True
        outcomes = []
        started = time.perf_counter()
        for object_event in found:
            try:
                outcomes.append(stage(object_event).__dict__)
            except Exception as exc:
                if on_failure:
                    on_failure(object_event, exc)
                raise
        if clock is not None:
            clock.observe(time.perf_counter() - started)
        return outcomes

    # With a logger, a failed record's traceback is logged at WARNING (Powertools logs it at DEBUG otherwise).
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False, logger=logger)
    response = process_partial_response(
        event=dict(event), record_handler=record_handler, processor=processor, context=context
    )
    if not_started:
        logger.warning(
            "%d of %d records not started: too little time left; they return to the queue",
            len(not_started),
            len(event["Records"]),
            extra={"needed_seconds": round(clock.needed_ms() / 1000, 1) if clock else None},
        )
    return dict(response)
