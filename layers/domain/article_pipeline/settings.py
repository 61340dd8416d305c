"""Settings, read once from the environment and validated, so nothing else reads os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

INCOMING_PREFIX = "incoming/"
CLEAN_PREFIX = "clean/"
DEFAULT_MAX_OBJECT_BYTES = 10 * 1024 * 1024
# ~35,000 words: several times the longest news feature; bounds the analyze function's time and memory.
DEFAULT_MAX_ANALYSED_CHARS = 200_000
# Markup parsed per upload, at most: parsing is linear, with a large constant (10 MB of HTML took 28 s
# at Ingest's CPU share; 500,000 "[" in Markdown take 12 s on a full core).
DEFAULT_MAX_HTML_CHARS = 5_000_000
DEFAULT_MAX_MARKDOWN_CHARS = 500_000
# Texts per nlp.pipe batch, and how many characters of an SQS batch's clean texts are parsed together
# before its records run: small articles gain from one model pass; a batch of large ones is parsed
# record by record, so the deadline rules (batch.RecordClock) still see each record's time.
DEFAULT_PIPE_BATCH_SIZE = 16
DEFAULT_BATCH_PARSE_CHARS = 60_000
# Time a record of a batch is assumed to need before the first one is measured (see batch.RecordClock).
DEFAULT_RECORD_BUDGET_SECONDS = 10.0


class SettingsError(ValueError):
    """A required setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    table_name: str
    bucket_name: str
    region: str = "us-east-1"
    endpoint_url: str | None = None
    max_object_bytes: int = DEFAULT_MAX_OBJECT_BYTES
    max_analysed_chars: int = DEFAULT_MAX_ANALYSED_CHARS
    max_html_chars: int = DEFAULT_MAX_HTML_CHARS
    max_markdown_chars: int = DEFAULT_MAX_MARKDOWN_CHARS
    record_budget_seconds: float = DEFAULT_RECORD_BUDGET_SECONDS
    pipe_batch_size: int = DEFAULT_PIPE_BATCH_SIZE
    batch_parse_chars: int = DEFAULT_BATCH_PARSE_CHARS
    incoming_prefix: str = INCOMING_PREFIX
    # Which credentials the store's clients sign with: Lambda puts each function's role in the
    # environment, and the local stack runs both functions in one process, so a store is kept
    # per settings *and* identity. Only the key id: the secret is never held here.
    credentials_id: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        missing = [name for name in ("TABLE_NAME", "BUCKET_NAME") if not env.get(name)]
        if missing:
            raise SettingsError(f"missing required environment variable(s): {', '.join(missing)}")
        max_bytes = _positive_int(env, "MAX_OBJECT_BYTES", DEFAULT_MAX_OBJECT_BYTES)
        max_chars = _positive_int(env, "MAX_ANALYSED_CHARS", DEFAULT_MAX_ANALYSED_CHARS)
        return cls(
            table_name=env["TABLE_NAME"],
            bucket_name=env["BUCKET_NAME"],
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            endpoint_url=env.get("ENDPOINT_URL") or None,
            max_object_bytes=max_bytes,
            max_analysed_chars=max_chars,
            max_html_chars=_positive_int(env, "MAX_HTML_CHARS", DEFAULT_MAX_HTML_CHARS),
            max_markdown_chars=_positive_int(env, "MAX_MARKDOWN_CHARS", DEFAULT_MAX_MARKDOWN_CHARS),
            record_budget_seconds=_positive_float(env, "RECORD_BUDGET_SECONDS", DEFAULT_RECORD_BUDGET_SECONDS),
            pipe_batch_size=_positive_int(env, "PIPE_BATCH_SIZE", DEFAULT_PIPE_BATCH_SIZE),
            batch_parse_chars=_positive_int(env, "BATCH_PARSE_CHARS", DEFAULT_BATCH_PARSE_CHARS),
            credentials_id=env.get("AWS_ACCESS_KEY_ID") or None,
        )


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be positive")
    return value


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name) or str(default)
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be positive")
    return value


def tracing_enabled() -> bool:
    """X-Ray tracing is on only in Lambda, when the stack turns it on (TracingMode=Active).

    POWERTOOLS_TRACE_DISABLED=true still turns it off, as Powertools documents.
    """
    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").strip().lower() in {"1", "true", "yes"}
    active = os.environ.get("TRACING_MODE", "PassThrough") == "Active"
    return active and bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME")) and not disabled
