"""``article-pipeline serve``: the stack of template.yaml as a local AWS endpoint, running.

A moto server on 127.0.0.1 (S3, SQS and DynamoDB on one port) holds the bucket, queues and table;
one poller per function receives from its queue with the template's batch size, invokes the real
handler, deletes what succeeded, and leaves failures to come back after the queue's visibility
timeout and to reach its DLQ after the template's receive count, as Lambda's event source mapping
does. Users drop files into the bucket with their own S3 client. IAM is enforced as in AWS: the
functions sign as their roles, users as the stack's administrator, whose keys the banner prints.
The state (objects and items) is saved to ``--state-dir`` on exit and loaded on the next start.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from article_pipeline_tools.local.runner import DrainStats
from article_pipeline_tools.local.stack import LocalStack, embedded_stack

DEFAULT_PORT = 4566


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    state_dir: Path,
    on_ready: Callable[[dict[str, Any]], None],
    stop: threading.Event | None = None,
) -> None:
    """Run until ``stop`` is set (or SIGINT / SIGTERM); ``on_ready`` gets the connection details."""
    from moto.server import ThreadedMotoServer

    stop = stop or _stop_on_signals()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request: the pollers' long polls
    # An invocation with nothing to count (S3's test event) is normal here, not worth a warning per poll.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    endpoint = f"http://{host}:{port}"
    try:
        with embedded_stack(state_dir, endpoint_url=endpoint, visibility_timeout=None) as stack:
            details = connection_details(stack, endpoint)
            state_dir.mkdir(parents=True, exist_ok=True)
            (state_dir / "serve.json").write_text(json.dumps(details, indent=2), encoding="utf-8")
            pollers = [
                threading.Thread(target=_poll, args=(stack, name, stop), name=f"poller-{name}", daemon=True)
                for name in stack.functions
            ]
            for poller in pollers:
                poller.start()
            on_ready(details)
            while not stop.wait(0.5):  # short waits: a signal is handled within half a second, whatever the lock does
                pass
            for poller in pollers:
                poller.join(timeout=30)
    finally:
        server.stop()


def connection_details(stack: LocalStack, endpoint: str) -> dict[str, Any]:
    admin = stack.identities.admin
    return {
        "endpoint": endpoint,
        "region": "us-east-1",
        "bucket": stack.names.bucket,
        "table": stack.names.table,
        "queues": {
            "ingest": stack.names.ingest_queue_url,
            "analyze": stack.names.analyze_queue_url,
            "ingest_dlq": stack.names.ingest_dlq_url,
            "analyze_dlq": stack.names.analyze_dlq_url,
        },
        "credentials": {"AWS_ACCESS_KEY_ID": admin.access_key_id, "AWS_SECRET_ACCESS_KEY": admin.secret_access_key},
    }


def _poll(stack: LocalStack, function: str, stop: threading.Event) -> None:
    """Lambda's event source mapping for one function: long-poll, invoke, delete what succeeded."""
    poller = stack.poller()
    stats = DrainStats()
    while not stop.is_set():
        try:
            poller.poll_once(function, stats, wait_seconds=1)
        except Exception:  # noqa: BLE001 - a failing poll is retried, as the mapping would
            stop.wait(1)


def _stop_on_signals() -> threading.Event:
    """SIGINT / SIGTERM stop the server; SIGUSR1 prints every thread's stack to stderr (a stuck shutdown)."""
    import faulthandler

    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop
