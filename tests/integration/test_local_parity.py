"""The local stack behaves as AWS does where the pipeline depends on it (moto adapters)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from article_pipeline_tools.local import moto_iam

pytestmark = pytest.mark.integration


def _records(stack: Any, queue_url: str) -> list[dict[str, Any]]:
    found = []
    while True:
        messages = stack.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return found
        for message in messages:
            found.extend(json.loads(message["Body"]).get("Records", []))
            stack.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def test_versioned_bucket_notifies_with_version_sequencer_and_delete_markers(stack):
    # Given the template's versioned bucket
    s3 = stack.session.client("s3")
    assert s3.get_bucket_versioning(Bucket=stack.names.bucket)["Status"] == "Enabled"
    # When a key is written twice and then deleted
    first = s3.put_object(Bucket=stack.names.bucket, Key="incoming/a b.txt", Body=b"one")["VersionId"]
    second = s3.put_object(Bucket=stack.names.bucket, Key="incoming/a b.txt", Body=b"two")["VersionId"]
    s3.delete_object(Bucket=stack.names.bucket, Key="incoming/a b.txt")
    records = _records(stack, stack.names.ingest_queue_url)
    # Then the events name each version, their sequencers grow, and the delete marker is announced
    assert [r["eventName"] for r in records] == [
        "ObjectCreated:Put",
        "ObjectCreated:Put",
        "ObjectRemoved:DeleteMarkerCreated",
    ]
    assert [r["s3"]["object"].get("versionId") for r in records[:2]] == [first, second]
    sequencers = [r["s3"]["object"]["sequencer"] for r in records]
    assert sequencers == sorted(sequencers) and len(set(sequencers)) == 3
    assert "eTag" not in records[2]["s3"]["object"]


def test_dynamodb_calls_are_checked_against_the_table_arn(stack):
    # Given a function's role (scoped to the stack's table)
    moto_iam.decisions.clear()
    # When the ingest function's store reads the table
    stack.function_store("IngestFunction").get_article("0" * 20)
    # Then IAM was asked about that table, not "*"
    [decision] = [d for d in moto_iam.decisions.snapshot() if d.action == "dynamodb:GetItem"]
    assert decision.resource.endswith(f":table/{stack.names.table}") and decision.allowed


def test_a_missing_object_is_403_without_list_bucket_and_404_with_it(stack):
    # Given a missing key under clean/, which the analyze role may read and list
    from article_pipeline.errors import ObjectGone, StorageError

    store = stack.function_store("AnalyzeFunction")
    with pytest.raises(ObjectGone):
        store.read_json("clean/missing.json")
    # When the same read is made by the ingest role, which may list but not read clean/
    with pytest.raises(StorageError) as denied:
        stack.function_store("IngestFunction").read_json("clean/missing.json")
    # Then it is denied, not "gone"
    assert "AccessDenied" in str(denied.value) and not isinstance(denied.value, ObjectGone)
