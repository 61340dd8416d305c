"""The container tier's moto (scripts/container/moto_server.py) is as strict as the embedded default.

The server runs here in a subprocess, as in its container (same script, same import path); the
host side is moto_stack.py, as `make invoke` and `make e2e-local` use it. So this holds on a
machine that cannot run containers, where `make e2e-local` is skipped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "container"))

import moto_stack  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server, url = _start_server()
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _start_server(attempts: int = 3) -> tuple[subprocess.Popen[str], str]:
    """moto_server.py answering on a free port (another, if a process takes the first before it binds)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "tools")}
    for attempt in range(1, attempts + 1):
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, str(REPO / "scripts" / "container" / "moto_server.py"), "127.0.0.1", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while server.poll() is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}{moto_stack.CONTROL_PATH}", timeout=2).close()
            except OSError:
                time.sleep(0.2)
                continue
            time.sleep(0.3)  # what answered may be another process on that port, ours dying on its bind
            if server.poll() is None:
                return server, url
        server.kill()
        error = server.communicate()[1][-2000:]
        if attempt == attempts or "Address already in use" not in error:
            raise AssertionError(f"moto_server.py did not answer on {url}: {error}")
    raise AssertionError("unreachable")


def test_setup_makes_the_roles_then_enforces(endpoint: str) -> None:
    assert moto_stack.iam_state(endpoint)["enforced"] is False  # until the roles exist
    names = moto_stack.setup(endpoint)
    state = moto_stack.iam_state(endpoint)
    assert state["enforced"] is True
    assert set(state["identities"]["functions"]) == {"IngestFunction", "AnalyzeFunction"}
    assert moto_stack.setup(endpoint).table == names.table  # idempotent, now as the administrator
    assert moto_stack.iam_state(endpoint)["identities"] == state["identities"]


def test_a_role_does_what_its_policy_grants_and_nothing_else(endpoint: str) -> None:
    names = moto_stack.setup(endpoint)
    moto_stack.session(endpoint).client("s3", endpoint_url=endpoint).put_object(
        Bucket=names.bucket, Key="incoming/a.txt", Body=b"An article."
    )
    ingest = moto_stack.session(endpoint, "IngestFunction")
    s3 = ingest.client("s3", endpoint_url=endpoint)
    assert s3.get_object(Bucket=names.bucket, Key="incoming/a.txt")["Body"].read() == b"An article."
    for call in (s3.list_buckets, ingest.client("dynamodb", endpoint_url=endpoint).list_tables):
        with pytest.raises(ClientError) as refused:
            call()
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    state = moto_stack.iam_state(endpoint)
    assert f"{moto_stack.STACK}-IngestFunctionRole" in state["principals"]
    assert {d["action"] for d in state["denied"]} == {"s3:ListAllMyBuckets", "dynamodb:ListTables"}


def test_unknown_keys_are_refused_and_credentials_export_the_role(endpoint: str) -> None:
    import boto3

    names = moto_stack.setup(endpoint)
    stranger = boto3.client("s3", endpoint_url=endpoint, region_name=moto_stack.REGION, **moto_stack.BOOTSTRAP)
    with pytest.raises(ClientError) as refused:
        stranger.list_objects_v2(Bucket=names.bucket)
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    lines = moto_stack.credentials(endpoint, "AnalyzeFunction").splitlines()
    assert [line.split("=", 1)[0] for line in lines] == [
        "export AWS_ACCESS_KEY_ID",
        "export AWS_SECRET_ACCESS_KEY",
        "export AWS_SESSION_TOKEN",
    ]


def test_reset_forgets_the_identities_and_switches_enforcement_off(endpoint: str) -> None:
    moto_stack.setup(endpoint)
    moto_stack.reset(endpoint)
    state = moto_stack.iam_state(endpoint)
    assert state["enforced"] is False and state["identities"] is None
    moto_stack.setup(endpoint)  # and a new setup makes them again
    assert moto_stack.iam_state(endpoint)["enforced"] is True


def test_s3_events_carry_version_and_sequencer(endpoint: str) -> None:
    import json
    from urllib.parse import unquote_plus

    names = moto_stack.setup(endpoint)
    admin = moto_stack.session(endpoint)
    admin.client("s3", endpoint_url=endpoint).put_object(Bucket=names.bucket, Key="incoming/b.txt", Body=b"Text.")
    sqs = admin.client("sqs", endpoint_url=endpoint)
    found = []
    for _ in range(10):
        for message in sqs.receive_message(QueueUrl=names.ingest_queue_url, MaxNumberOfMessages=10).get("Messages", []):
            for record in json.loads(message["Body"]).get("Records", []):
                if unquote_plus(record["s3"]["object"]["key"]) == "incoming/b.txt":
                    found.append(record["s3"]["object"])
        if found:
            break
    assert found and found[0].get("versionId") and found[0].get("sequencer")
