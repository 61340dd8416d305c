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
        for n in range(args.objects):
            stack.store.put_object(f"incoming/archive/{n:06d}.txt", body)
        stack.sqs.purge_queue(QueueUrl=stack.names.ingest_queue_url)
        print(f"setup: {args.objects:,} objects put in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        plan = reprocess.plan(stack.store, reprocess.Filters())
        planned = time.perf_counter() - started
        started = time.perf_counter()
        sent = reprocess.send(stack.sqs, queues_of(stack.names), plan.work, lambda n: None)
        sending = time.perf_counter() - started
        waiting = stack.sqs.get_queue_attributes(
            QueueUrl=stack.names.ingest_queue_url, AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]["ApproximateNumberOfMessages"]
    print(
        f"reprocess of {args.objects:,} uploads: plan {planned:.1f} s, send {sending:.1f} s "
        f"({sent:,} messages, {int(waiting):,} waiting in the ingest queue), total {planned + sending:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
