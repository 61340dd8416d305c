#!/usr/bin/env python3
"""How long `article-pipeline reprocess` takes to enqueue a backfill of N uploads, on moto.

    bench/bench_reprocess.py [--objects 10000]

Puts N objects under incoming/ of the embedded default's bucket without processing them (as if they
predated the stack), then times the plan (one listing of the bucket, one scan of the article items)
and the send (batches of ten messages). Only the enqueueing is timed: the work itself is Lambda's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    from article_pipeline_tools import reprocess
    from article_pipeline_tools.local.stack import embedded_stack
    from article_pipeline_tools.target import queues_of

    with embedded_stack(None, stack_name="bench") as stack:
        started = time.perf_counter()
        body = b"Officials said on Monday that the port would reopen after a nine-day strike.\n"
        # The archive predates the stack: no notifications while it is put (moto would also make each
        # put's notification cost time in proportion to the queue's length).
        s3 = stack.store.s3
        notifications = s3.get_bucket_notification_configuration(Bucket=stack.names.bucket)
        notifications.pop("ResponseMetadata", None)
        s3.put_bucket_notification_configuration(Bucket=stack.names.bucket, NotificationConfiguration={})
        for n in range(args.objects):
            stack.store.put_object(f"incoming/archive/{n:06d}.txt", body)
        s3.put_bucket_notification_configuration(Bucket=stack.names.bucket, NotificationConfiguration=notifications)
        print(f"setup: {args.objects:,} objects put in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        plan = reprocess.plan(stack.store, reprocess.Filters())
        planned = time.perf_counter() - started
        # Lambda consumes the queue as it fills; here moto's copy of it is emptied every 100 messages,
        # because moto's SendMessage walks the whole queue (its attributes) and would make 10,000 sends
        # quadratic, and PurgeQueue is allowed once a minute. What is timed is our planning and sending.
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.sqs.models import sqs_backends

        queue = sqs_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].queues[stack.names.ingest_queue_url.rsplit("/", 1)[1]]
        pending = 0

        def consume(n: int) -> None:
            nonlocal pending
            pending += n
            if pending >= 100:
                queue._messages.clear()
                pending = 0

        started = time.perf_counter()
        sent = reprocess.send(stack.sqs, queues_of(stack.names), plan.work, consume)
        sending = time.perf_counter() - started
    print(
        f"reprocess of {args.objects:,} uploads: plan {planned:.1f} s ({len(plan.work):,} to send), "
        f"send {sending:.1f} s ({sent:,} messages), total {planned + sending:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
