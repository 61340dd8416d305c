"""`article-pipeline serve`: a local bucket people drop files into with their own S3 client.

Runs the real command in a subprocess, talks to it only over HTTP (boto3 and the aws CLI), as a
user would, and stops it with Ctrl-C (SIGINT).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from article_pipeline import ids

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.port = _free_port()
        self.process: subprocess.Popen[str] | None = None
        self.details: dict[str, Any] = {}

    def start(self) -> None:
        (self.state_dir / "serve.json").unlink(missing_ok=True)
        env = {**os.environ, "POWERTOOLS_LOG_LEVEL": "WARNING"}
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.pop(name, None)
        self.process = subprocess.Popen(
            [str(BIN / "article-pipeline"), "serve", "--port", str(self.port), "--state-dir", str(self.state_dir)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while not (self.state_dir / "serve.json").is_file():
            assert self.process.poll() is None, self.process.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "serve did not start within 120 s"
            time.sleep(0.5)
        self.details = json.loads((self.state_dir / "serve.json").read_text(encoding="utf-8"))

    def stop(self) -> tuple[int, str, str]:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        try:
            out, err = self.process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            # where it is stuck: the server prints every thread's stack on SIGUSR1
            self.process.send_signal(signal.SIGUSR1)
            time.sleep(2)
            self.process.kill()
            _, err = self.process.communicate()
            raise AssertionError(f"serve did not stop within 120 s of Ctrl-C; its threads:\n{err[-6000:]}") from None
        return self.process.returncode, out, err

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            **self.details["credentials"],
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
        }

    def session(self) -> Any:
        credentials = self.details["credentials"]
        return boto3.Session(
            aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*args, "--endpoint-url", self.details["endpoint"]],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "state")
    running.start()
    yield running
    if running.process and running.process.poll() is None:
        running.process.kill()


def _wait_for(table: Any, article: str, statuses: set[str], timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    item: dict[str, Any] = {}
    while time.monotonic() < deadline:
        item = table.get_item(Key={"PK": f"ARTICLE#{article}", "SK": "META"}, ConsistentRead=True).get("Item") or {}
        if item.get("status") in statuses:
            return item
        time.sleep(1)
    raise AssertionError(f"{article} did not reach {statuses} in {timeout} s: {item.get('status')}")


def test_files_dropped_with_boto3_and_the_aws_cli_are_analysed_queried_and_deleted(server: Server) -> None:
    endpoint, bucket = server.details["endpoint"], server.details["bucket"]
    session = server.session()
    s3 = session.client("s3", endpoint_url=endpoint)
    table = session.resource("dynamodb", endpoint_url=endpoint).Table(server.details["table"])
    # When one article is uploaded with boto3 and another with the aws CLI
    s3.put_object(
        Bucket=bucket, Key="incoming/budapest-summit.txt", Body=(REPO / "samples/budapest-summit.txt").read_bytes()
    )
    copied = server.cli(
        str(BIN / "aws"), "s3", "cp", str(REPO / "samples/harbour-strike.html"), f"s3://{bucket}/incoming/"
    )
    assert copied.returncode == 0, copied.stderr
    # Then the running functions analyse both
    summit = ids.article_id(bucket, "incoming/budapest-summit.txt")
    strike = ids.article_id(bucket, "incoming/harbour-strike.html")
    assert _wait_for(table, summit, {"DONE"})["format"] == "text"
    assert _wait_for(table, strike, {"DONE"})["format"] == "html"
    # and the command line finds them through the endpoint
    found = server.cli(str(BIN / "article-pipeline"), "query", "entity", "Donald Trump", "--json")
    assert found.returncode == 0, found.stderr
    assert summit in {item["article_id"] for item in json.loads(found.stdout)["items"]}
    shown = server.cli(str(BIN / "article-pipeline"), "show", strike, "--json")
    assert json.loads(shown.stdout)["article"]["title"].startswith("Port strike ends")
    by_key = server.cli(str(BIN / "article-pipeline"), "show", f"s3://{bucket}/incoming/harbour-strike.html", "--json")
    assert json.loads(by_key.stdout)["article"]["article_id"] == strike
    # When the HTML page is deleted with the aws CLI
    removed = server.cli(str(BIN / "aws"), "s3", "rm", f"s3://{bucket}/incoming/harbour-strike.html")
    assert removed.returncode == 0, removed.stderr
    # Then its article is DELETED
    _wait_for(table, strike, {"DELETED"})
    # And Ctrl-C stops the server cleanly, keeping the state for the next start
    code, _, err = server.stop()
    assert code == 0, err[-2000:]
    server.start()
    again = server.cli(str(BIN / "article-pipeline"), "show", summit, "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["article"]["status"] == "DONE"
    assert server.stop()[0] == 0
