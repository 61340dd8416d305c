#!/usr/bin/env python3
"""Prepare the moto container for `sam local invoke`: the stack's resources and the event's objects.

    moto_stack.py --endpoint http://127.0.0.1:15000 setup            # bucket, queues, table, roles (idempotent)
    moto_stack.py --endpoint ... seed events/s3_put_text_article.json  # upload what the event names
    moto_stack.py --endpoint ... credentials IngestFunction            # `export AWS_...` lines of its role
    moto_stack.py --endpoint ... reset                                 # empty moto (all state)

Resources come from template.yaml through article_pipeline_tools.local.infra, as stack "local" in
us-east-1 (the names env.json gives the functions). IAM is enforced as in AWS (moto_server.py):
`setup` makes each function's role from the template with SAM's translator
(article_pipeline_tools.local.iam, as the embedded default does) and an administrator, then
switches enforcement on; the functions then sign as their roles (invoke.sh passes the
`credentials` to `sam local invoke`) and this side as the administrator. `seed` reads S3 records directly, inside SQS
bodies or as EventBridge "Object Created" details; an incoming/ key is uploaded from the sample
articles ($ARTICLES, default samples/) by file name; a clean/ key must already
exist (an ingest writes it).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "layers" / "domain"))

STACK, REGION = "local", "us-east-1"


# What moto takes while IAM is off (before the roles exist): any key, unsigned in effect.
BOOTSTRAP = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
CONTROL_PATH = "/_local/iam"  # moto_server.py's


def iam_state(endpoint: str) -> dict[str, Any]:
    """moto_server.py's IAM state: enforced or not, the identities, the decisions taken."""
    with urllib.request.urlopen(f"{endpoint}{CONTROL_PATH}", timeout=30) as response:
        return json.loads(response.read())


def set_iam(endpoint: str, **changes: Any) -> dict[str, Any]:
    """Tell moto_server.py to switch enforcement (``enforced``) or keep ``identities``."""
    request = urllib.request.Request(
        f"{endpoint}{CONTROL_PATH}",
        data=json.dumps(changes).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def session(endpoint: str, identity: str = "admin") -> Any:
    """A boto3 session for moto: the administrator, or a function's role (by logical id)."""
    import boto3

    identities = iam_state(endpoint).get("identities")
    if identities is None:
        return boto3.Session(region_name=REGION, **BOOTSTRAP)
    keys = identities["admin"] if identity == "admin" else identities["functions"][identity]
    return boto3.Session(region_name=REGION, **keys)


def setup(endpoint: str) -> Any:
    """The stack's resources and roles in moto, IAM enforced (idempotent: roles are made once)."""
    from article_pipeline_tools.local import iam
    from article_pipeline_tools.local.infra import create_stack_resources
    from article_pipeline_tools.local.stack import EndpointSession

    state = iam_state(endpoint)
    names = create_stack_resources(session(endpoint), stack_name=STACK, region=REGION, endpoint_url=endpoint)
    if state.get("identities") is None:
        bootstrap = EndpointSession(session(endpoint), endpoint)
        made = iam.provision(bootstrap, iam.function_roles(names, stack_name=STACK, region=REGION), region=REGION)
        identities = {
            "admin": made.admin.session_kwargs(),
            "functions": {name: creds.session_kwargs() for name, creds in made.functions.items()},
        }
        set_iam(endpoint, identities=identities, enforced=True)
    return names


def role_environment(endpoint: str, function: str) -> dict[str, str]:
    """The AWS_* variables Lambda would set for ``function``'s role (SAM copies its CLI's into the container)."""
    from article_pipeline_tools.local.iam import Credentials

    keys = iam_state(endpoint)["identities"]["functions"][function]
    return Credentials(keys["aws_access_key_id"], keys["aws_secret_access_key"], keys.get("aws_session_token")).env()


def credentials(endpoint: str, function: str) -> str:
    """Shell lines exporting ``function``'s role credentials."""
    return "".join(f"export {k}={shlex.quote(v)}\n" for k, v in role_environment(endpoint, function).items())


def reset(endpoint: str) -> None:
    """Empty moto, roles and identities included; IAM off until the next setup."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30):
        pass
    set_iam(endpoint, identities=None, enforced=False)


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
    s3 = session(endpoint).client("s3", endpoint_url=endpoint)
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
    credentials_parser = sub.add_parser("credentials")
    credentials_parser.add_argument("function", help="logical id, e.g. IngestFunction")
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
    if args.command == "credentials":
        print(credentials(args.endpoint, args.function), end="")
        return 0
    return seed(args.endpoint, args.event, args.articles)


if __name__ == "__main__":
    sys.exit(main())
