"""A batch stops starting records when the invocation's time runs short (unit: fake context, no AWS)."""

from __future__ import annotations

import json
from typing import Any

from article_pipeline.batch import RecordClock, handle_event
from article_pipeline.events import ObjectEvent
from article_pipeline.stages import Outcome


class CountdownContext:
    """A Lambda context whose remaining time is read from a list, one value per call."""

    def __init__(self, remaining_ms: list[int]) -> None:
        self.remaining_ms = list(remaining_ms)
        self.function_name = "IngestFunction"
        self.memory_limit_in_mb = 512
        self.invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:IngestFunction"
        self.aws_request_id = "req"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms.pop(0) if len(self.remaining_ms) > 1 else self.remaining_ms[0]


def _batch(keys: list[str]) -> dict[str, Any]:
    def body(key: str) -> str:
        record = {
            "eventSource": "aws:s3",
            "eventName": "ObjectCreated:Put",
            "s3": {"bucket": {"name": "b"}, "object": {"key": key}},
        }
        return json.dumps({"Records": [record]})

    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": f"r{i}",
                "body": body(key),
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
                "awsRegion": "us-east-1",
            }
            for i, key in enumerate(keys)
        ]
    }


def test_records_are_not_started_once_the_time_left_is_under_what_one_needs():
    # Given a batch of four records, 10 s needed per record, and 60 s, 30 s, then 8 s left
    started: list[str] = []
    failures: list[str] = []

    def stage(event: ObjectEvent) -> Outcome:
        started.append(event.key)
        return Outcome("a", "CLEANED")

    context = CountdownContext([60_000, 30_000, 8_000, 60_000])
    # When the batch is handled
    response = handle_event(
        _batch(["incoming/1", "incoming/2", "incoming/3", "incoming/4"]),
        stage,
        lambda event, exc: failures.append(event.key),
        context,
        RecordClock(floor_seconds=10),
    )
    # Then the first two ran, and the last two were returned unstarted (even though time "came back")
    assert started == ["incoming/1", "incoming/2"]
    assert response == {"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m3"}]}
    # and no failure was recorded against their articles: they were never tried
    assert failures == []


def test_without_a_clock_every_record_runs_whatever_the_time_left():
    started: list[str] = []

    def stage(event: ObjectEvent) -> Outcome:
        started.append(event.key)
        return Outcome("a", "CLEANED")

    response = handle_event(_batch(["incoming/1", "incoming/2"]), stage, None, CountdownContext([1]))
    assert started == ["incoming/1", "incoming/2"] and response == {"batchItemFailures": []}


def test_the_clock_learns_from_the_slowest_record():
    # Given a 2 s floor
    clock = RecordClock(floor_seconds=2)
    assert clock.needed_ms() == 2_000
    # When a record took 4 s, and a later one 1 s
    clock.observe(4.0)
    clock.observe(1.0)
    # Then a record is assumed to need one and a half times the slowest
    assert clock.needed_ms() == 6_000
    assert not clock.has_room(CountdownContext([5_999])) and clock.has_room(CountdownContext([6_000]))


def test_after_an_outlier_slower_than_the_timeout_each_invocation_still_starts_its_first_record():
    # Given a container whose clock once saw a record take 200 s (over a 120 s timeout: it ran locally,
    # or under a debugger) so that it now assumes 300 s per record
    clock = RecordClock(floor_seconds=60)
    clock.observe(200.0)
    started: list[str] = []

    def stage(event: ObjectEvent) -> Outcome:
        started.append(event.key)
        return Outcome("a", "DONE")

    # When a fresh invocation (120 s left, then 50 s after the first record) gets a batch of three
    response = handle_event(
        _batch(["incoming/1", "incoming/2", "incoming/3"]), stage, None, CountdownContext([120_000, 50_000]), clock
    )
    # Then the first record runs (a batch never returns wholly unrun: its messages would reach the DLQ
    # untried), and the other two go back to the queue
    assert started == ["incoming/1"]
    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]}


def test_the_clock_forgets_an_outlier_once_enough_records_ran_after_it():
    clock = RecordClock(floor_seconds=2)
    clock.observe(100.0)
    for _ in range(RecordClock.RECENT - 1):
        clock.observe(1.0)
    assert clock.needed_ms() == 150_000
    clock.observe(1.0)
    assert clock.needed_ms() == 2_000


def test_an_outlier_never_makes_a_record_need_more_than_half_the_invocation():
    # Given a clock that saw one record take 200 s, and an invocation that began with 120 s
    clock = RecordClock(floor_seconds=10)
    clock.observe(200.0)
    assert clock.has_room(CountdownContext([120_000]), first=True)
    # Then a later record needs 60 s, not 300 s: with 61 s left it still starts
    assert clock.needed_ms() == 60_000
    assert clock.has_room(CountdownContext([61_000])) and not clock.has_room(CountdownContext([59_000]))
