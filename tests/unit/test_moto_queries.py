"""The embedded default's partition-local moto queries answer exactly as DynamoDB would."""

from __future__ import annotations

import threading

import boto3
import pytest
from boto3.dynamodb.conditions import Key
from moto import mock_aws

from article_pipeline_tools.local import moto_queries

PARTITIONS = {f"ARTICLE#{a}": [f"CLAIM#{n:04d}" for n in range(7)] + ["ENTITY#PERSON#x", "META"] for a in "abcd"}


@pytest.fixture()
def table():
    assert moto_queries.install()
    with mock_aws():
        dynamodb = boto3.resource("dynamodb", region_name="us-east-1")
        table = dynamodb.create_table(
            TableName="t",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("PK", "SK", "G")],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "ByG",
                    "KeySchema": [{"AttributeName": "G", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )
        with table.batch_writer() as batch:
            for pk, sks in PARTITIONS.items():
                for sk in sks:
                    batch.put_item(Item={"PK": pk, "SK": sk, "G": "shared", "n": len(sk)})
        yield table


def _all_pages(table, **kwargs):
    items = []
    while True:
        page = table.query(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_a_base_table_query_returns_its_partition_sorted_paged_and_filtered(table):
    pk = "ARTICLE#b"
    everything = _all_pages(table, KeyConditionExpression=Key("PK").eq(pk), Limit=2)
    assert [i["SK"] for i in everything] == sorted(PARTITIONS[pk])
    claims = _all_pages(
        table,
        KeyConditionExpression=Key("PK").eq(pk) & Key("SK").begins_with("CLAIM#"),
        ScanIndexForward=False,
        ProjectionExpression="SK",
        Limit=3,
    )
    assert [i for i in claims] == [{"SK": sk} for sk in sorted(PARTITIONS[pk][:7], reverse=True)]
    assert table.query(KeyConditionExpression=Key("PK").eq("ARTICLE#none"))["Items"] == []


def test_index_queries_and_scans_still_see_the_whole_table(table):
    total = sum(len(sks) for sks in PARTITIONS.values())
    assert len(_all_pages(table, IndexName="ByG", KeyConditionExpression=Key("G").eq("shared"))) == total
    assert table.scan(Select="COUNT")["Count"] == total


def test_a_scan_on_another_thread_during_a_query_sees_every_item(table):
    from moto.dynamodb.models.table import Table

    total = sum(len(sks) for sks in PARTITIONS.values())
    seen: list[int] = []
    original = Table.all_items

    def all_items_with_a_concurrent_scan(self):
        # Runs inside the narrowed query: a scan on another thread must not see the narrowing.
        if not seen:
            seen.append(-1)
            worker = threading.Thread(target=lambda: seen.append(table.scan(Select="COUNT")["Count"]))
            worker.start()
            worker.join()
        return original(self)

    Table.all_items = all_items_with_a_concurrent_scan
    try:
        found = table.query(KeyConditionExpression=Key("PK").eq("ARTICLE#a"))["Items"]
        assert len(found) == len(PARTITIONS["ARTICLE#a"])
    finally:
        Table.all_items = original
    assert seen == [-1, total]
