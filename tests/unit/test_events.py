"""Every event shape that can name an S3 object is understood, and nothing else is guessed at."""

from __future__ import annotations

import json

import pytest

from article_pipeline.events import (
    UnknownEventShape,
    is_sqs_batch,
    normalise_sequencer,
    object_events,
    sqs_body_events,
)
from tests.conftest import load_event


def test_direct_s3_put_event_decodes_url_encoded_key():
    # Given an S3 put notification whose key has a space encoded as '+'
    event = load_event("s3_put_text_article")
    # When it is parsed
    [found] = list(object_events(event))
    # Then the key is decoded and the object details are kept
    assert found.key == "incoming/sample articles/budapest-summit.txt"
    assert found.action == "created"
    assert found.size == 2954
    assert found.sequencer == "0065F1B2C3D4E5F601"


def test_sqs_batch_yields_each_record_and_skips_s3_test_event():
    # Given an SQS batch with two S3 notifications and one s3:TestEvent
    event = load_event("sqs_s3_batch")
    assert is_sqs_batch(event)
    # When each message body is parsed
    bodies = [sqs_body_events(record["body"]) for record in event["Records"]]
    # Then the two uploads are found and the test event yields nothing
    assert [len(found) for found in bodies] == [1, 1, 0]
    assert bodies[1][0].key == "incoming/pages/gaming-economy.html"


def test_eventbridge_object_created_is_understood():
    [found] = list(object_events(load_event("eventbridge_s3_object_created")))
    assert found.key == "incoming/sample articles/budapest-summit.txt"
    assert found.etag == "5b1f7c3ad4a1c2e9f0b8a7d6c5e4f3a2"


def test_object_removed_is_a_removal():
    [found] = list(object_events(load_event("s3_delete_text_article")))
    assert found.action == "removed"


def test_unknown_shape_is_refused_with_a_reason():
    with pytest.raises(UnknownEventShape):
        list(object_events({"hello": "world"}))
    with pytest.raises(UnknownEventShape):
        sqs_body_events("not json")
    with pytest.raises(UnknownEventShape):
        sqs_body_events(json.dumps({"Records": [{"eventSource": "aws:dynamodb"}]}))


def test_sequencers_compare_after_right_padding():
    # Given two sequencers of different lengths, the shorter one being later
    older, newer = "0055AED6DCD90281E5", "0055AED6DCD9029"
    # Then padding makes them compare as S3 intends
    assert normalise_sequencer(older) < normalise_sequencer(newer)
    assert normalise_sequencer(None) == ""
