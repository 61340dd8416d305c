#!/usr/bin/env python3
"""Scale on paper, checked by a minute-by-minute simulation: what a day of arrivals asks of the stack.

    python bench/scale_sim.py [--per-day 1000000] [--burst 10] [--burst-hours 1] [--hot-share 0.10]

Inputs are measurements, not guesses: per-article durations and write units come from ``make bench``
(defaults: its 2026-12-04 run, durations scaled to each function's CPU share), the concurrency cap and
memory sizes from template.yaml. Arrivals are steady, except one burst of ``--burst`` times the rate for
``--burst-hours``. For each function the simulation keeps a queue: each minute, arrivals join it and at
most ``MaxConcurrency * 60 / seconds per article`` leave it (Little's law for a full fleet). It prints
the peak concurrency, the largest backlog and how long the oldest message waited, the table's write
rate and the hottest ``NAME#`` partition's, against DynamoDB's per-partition limit of 1,000 write units a
second, and the cost of the day at ``make bench``'s price per article.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTITION_WCU_LIMIT = 1000  # DynamoDB: write units per second one partition (one key) takes


@dataclass
class Stage:
    name: str
    seconds: float  # per article, at the function's configured memory
    capacity_per_minute: float  # articles a full fleet finishes per minute
    backlog: float = 0.0
    peak_backlog: float = 0.0
    peak_concurrency: float = 0.0
    longest_wait_minutes: float = 0.0


def max_concurrency() -> int:
    sys.path.insert(0, str(ROOT / "tools"))
    from article_pipeline_tools.local.infra import load_template

    return int(load_template()["Parameters"]["MaxConcurrency"]["Default"])


def simulate(args: argparse.Namespace) -> None:
    cap = args.concurrency or max_concurrency()
    stages = [
        Stage("Ingest", args.ingest_ms / 1000, cap * 60 / (args.ingest_ms / 1000)),
        Stage("Analyze", args.analyze_ms / 1000, cap * 60 / (args.analyze_ms / 1000)),
    ]
    per_minute = args.per_day / (24 * 60)
    burst_start, burst_end = 9 * 60, 9 * 60 + round(args.burst_hours * 60)  # a burst from 09:00
    peak_table_wcu = peak_hot_wcu = 0.0
    for minute in range(24 * 60):
        arriving = per_minute * (args.burst if burst_start <= minute < burst_end else 1)
        for stage in stages:
            stage.backlog += arriving
            done = min(stage.backlog, stage.capacity_per_minute)
            stage.backlog -= done
            stage.peak_concurrency = max(stage.peak_concurrency, done / 60 * stage.seconds)
            stage.peak_backlog = max(stage.peak_backlog, stage.backlog)
            if stage.backlog:
                stage.longest_wait_minutes = max(stage.longest_wait_minutes, stage.backlog / stage.capacity_per_minute)
            arriving = done  # what a stage finishes is what the next one receives
        analysed_per_second = arriving / 60
        peak_table_wcu = max(peak_table_wcu, analysed_per_second * args.wru)
        # An article naming the hottest name writes one entry (under 1 KB: one unit) to its partition.
        peak_hot_wcu = max(peak_hot_wcu, analysed_per_second * args.hot_share)

    print(
        f"arrivals: {args.per_day:,.0f} articles a day ({per_minute / 60:.1f}/s), one burst of {args.burst:g}x "
        f"for {args.burst_hours:g} h; MaxConcurrency {cap} per function"
    )
    for stage in stages:
        print(
            f"  {stage.name:8s} {stage.seconds * 1000:5.0f} ms/article: fleet capacity"
            f" {stage.capacity_per_minute / 60:6.1f}/s, peak concurrency {stage.peak_concurrency:5.1f}, largest backlog"
            f" {stage.peak_backlog:9,.0f} messages, longest wait (backlog / capacity)"
            f" {stage.longest_wait_minutes:5.1f} min"
        )
    print(
        f"  DynamoDB table: peak {peak_table_wcu:,.0f} write units/s ({args.wru:g} per article; on-demand, no "
        f"provisioning); hottest NAME# partition ({args.hot_share:.0%} of articles name it): peak "
        f"{peak_hot_wcu:.1f} writes/s = {peak_hot_wcu / PARTITION_WCU_LIMIT:.2%} of the 1,000/s partition limit"
    )
    print(
        f"  cost: ${args.per_day * args.usd_per_1000 / 1000:,.2f} a day at ${args.usd_per_1000} per 1,000 articles "
        f"(make bench); the NAME# partition would reach its limit only at "
        f"{PARTITION_WCU_LIMIT / args.hot_share * 86400 / args.burst:,.0f} articles a day with this burst"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-day", type=float, default=1_000_000)
    parser.add_argument("--burst", type=float, default=10.0, help="burst arrival rate, times the steady rate")
    parser.add_argument("--burst-hours", type=float, default=1.0)
    # make bench, 2026-12-04: 30 ms ingest at a full core -> /0.579 vCPU at 1,024 MB; 265 ms analyze at 1 vCPU
    parser.add_argument("--ingest-ms", type=float, default=23.0)
    parser.add_argument("--analyze-ms", type=float, default=173.0)
    parser.add_argument("--wru", type=float, default=31.2, help="write units per article (make bench)")
    parser.add_argument("--usd-per-1000", type=float, default=0.0447, help="cost per 1,000 articles (make bench)")
    parser.add_argument("--hot-share", type=float, default=0.10, help="share of articles naming the hottest name")
    parser.add_argument("--concurrency", type=int, default=None, help="MaxConcurrency (default: template.yaml)")
    simulate(parser.parse_args())
    return 0


if __name__ == "__main__":
    sys.exit(main())
