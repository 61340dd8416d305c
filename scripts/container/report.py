#!/usr/bin/env python3
"""One line per `sam local invoke`: duration and billed duration from the emulator's REPORT line,
the memory size and Lambda's CPU share the container ran with, and its real peak memory.

The Lambda emulator prints the function's memory size as "Max Memory Used"; the real figure is the
container's memory high-water mark, which scripts/container/lambda-runc records when podman removes
the container. SAM prints the emulator's REPORT line only if its log stream delivers it within a
second of the response; when a loaded machine misses that, the figures come from the REPORT line
lambda-runc read from the container's own log ("report_from" says which). Used by invoke.sh (and
so by `make invoke` and `make e2e-local`):

    report.py FUNCTION SAM_LOG PEAKS_LOG LINES_BEFORE
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

REPORT = re.compile(
    r"REPORT RequestId: \S+.*?Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms\s+Memory Size: (\d+) MB"
)
TIMED_OUT = re.compile(r"timed out after (\d+(?:\.\d+)?) seconds", re.IGNORECASE)


def invoke_report(function: str, sam_log: str, peaks: list[dict[str, Any]]) -> dict[str, Any]:
    peak = peaks[-1] if peaks else {}
    match, source = REPORT.search(sam_log), "sam"
    if not match:
        match, source = REPORT.search(peak.get("report_line") or ""), "container log"
    return {
        "function": function,
        "duration_ms": float(match.group(1)) if match else None,
        "billed_ms": int(match.group(2)) if match else None,
        "memory_mb": int(match.group(3)) if match else peak.get("memory_limit_mb"),
        "report_from": source if match else None,
        "cpus": peak.get("cpus"),
        "max_memory_used_mb": peak.get("max_memory_used_mb"),
        "timed_out": bool(TIMED_OUT.search(sam_log)),
        "oom_killed": "OOMKilled" in sam_log or "signal: killed" in sam_log,
    }


def format_report(report: dict[str, Any]) -> str:
    def figure(value: Any, unit: str) -> str:
        return "?" if value is None else f"{value:,.0f} {unit}" if isinstance(value, float) else f"{value:,} {unit}"

    flags = "".join(f", {flag.upper().replace('_', ' ')}" for flag in ("timed_out", "oom_killed") if report.get(flag))
    if report.get("report_from") not in (None, "sam"):
        flags += f" (REPORT from the {report['report_from']}: SAM's log stream missed it)"
    return (
        f"REPORT {report['function']}: duration {figure(report['duration_ms'], 'ms')}, "
        f"billed {figure(report['billed_ms'], 'ms')}, memory size {figure(report['memory_mb'], 'MB')} "
        f"at {report['cpus'] if report['cpus'] is not None else '?'} vCPU, "
        f"max memory used {figure(report['max_memory_used_mb'], 'MB')} (container peak){flags}"
    )


def main() -> int:
    function, sam_log, peaks_log, before = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    lines = peaks_log.read_text(encoding="utf-8").splitlines()[before:] if peaks_log.exists() else []
    log_text = sam_log.read_text(encoding="utf-8", errors="replace")
    report = invoke_report(function, log_text, [json.loads(line) for line in lines])
    print(format_report(report))
    print("REPORT-JSON " + json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
