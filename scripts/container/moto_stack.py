#!/usr/bin/env python3
"""Prepare the moto container for `sam local invoke`: the stack's resources and the event's objects.

    moto_stack.py --endpoint http://127.0.0.1:15000 setup            # bucket, queues, table (idempotent)
    moto_stack.py --endpoint ... seed events/s3_put_text_article.json  # upload what the event names
    moto_stack.py --endpoint ... reset                                 # empty moto (all state)

Resources come from template.yaml through article_pipeline_tools.local.infra, as stack "local" in
us-east-1 (the names env.json gives the functions). `seed` reads S3 records directly, inside SQS
bodies or as EventBridge "Object Created" details; an incoming/ key is uploaded from the sample
articles ($ARTICLES, default samples/) by file name; a clean/ key must already
exist (an ingest writes it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "layers" / "domain"))

STACK, REGION = "local", "us-east-1"


def session() -> Any:
    import boto3

    return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


def setup(endpoint: str) -> Any:
    from article_pipeline_tools.local.infra import create_stack_resources

    return create_stack_resources(session(), stack_name=STACK, region=REGION, endpoint_url=endpoint)


def reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30):
        pass


def s3_objects(event: Any) -> Iterator[tuple[str, str]]:
    """(bucket, decoded key) of every S3 object an S3, SQS or EventBridge event names."""
    if isinstance(event, dict) and event.get("detail-type") == "Object Created":
        yield event["detail"]["bucket"]["name"], event["detail"]["object"]["key"]
        return
    for record in event.get("Records", []) if isinstance(event, dict) else []:
        if "s3" in record:
            yield record["s3"]["bucket"]["name"], unquote_plus(record["s3"]["object"]["key"])
        elif "body" in record:
            try:
                yield from s3_objects(json.loads(record["body"]))
            except json.JSONDecodeError:
                continue


def seed(endpoint: str, event_path: Path, articles: Path) -> int:
    s3 = session().client("s3", endpoint_url=endpoint)
    event = json.loads(event_path.read_text(encoding="utf-8"))
    missing = 0
    for bucket, key in s3_objects(event):
        if key.startswith("incoming/"):
            source = articles / Path(key).name
            if not source.is_file():
                print(f"seed: no {source} for s3://{bucket}/{key}", file=sys.stderr)
                missing += 1
                continue
            s3.put_object(Bucket=bucket, Key=key, Body=source.read_bytes())
            print(f"seed: uploaded {source} -> s3://{bucket}/{key}", file=sys.stderr)
        else:
            try:
                s3.head_object(Bucket=bucket, Key=key)
            except s3.exceptions.ClientError:
                print(f"seed: s3://{bucket}/{key} does not exist (invoke the ingest first)", file=sys.stderr)
                missing += 1
    return 1 if missing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True, help="moto URL as seen from the host")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    sub.add_parser("reset")
    seed_parser = sub.add_parser("seed")
    seed_parser.add_argument("event", type=Path)
    seed_parser.add_argument(
        "--articles",
        type=Path,
        default=Path(os.environ.get("ARTICLES", ROOT / "samples")),
    )
    args = parser.parse_args()
    if args.command == "setup":
        names = setup(args.endpoint)
        print(f"stack: bucket {names.bucket}, table {names.table}", file=sys.stderr)
        return 0
    if args.command == "reset":
        reset(args.endpoint)
        return 0
    return seed(args.endpoint, args.event, args.articles)


if __name__ == "__main__":
    sys.exit(main())
