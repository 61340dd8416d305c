"""Settings, read once from the environment and validated, so nothing else reads os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

INCOMING_PREFIX = "incoming/"
CLEAN_PREFIX = "clean/"
DEFAULT_MAX_OBJECT_BYTES = 10 * 1024 * 1024


class SettingsError(ValueError):
    """A required setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    table_name: str
    bucket_name: str
    region: str = "us-east-1"
    endpoint_url: str | None = None
    max_object_bytes: int = DEFAULT_MAX_OBJECT_BYTES
    spacy_model: str | None = None
    incoming_prefix: str = INCOMING_PREFIX
    clean_prefix: str = CLEAN_PREFIX
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        missing = [name for name in ("TABLE_NAME", "BUCKET_NAME") if not env.get(name)]
        if missing:
            raise SettingsError(f"missing required environment variable(s): {', '.join(missing)}")
        raw_max = env.get("MAX_OBJECT_BYTES") or str(DEFAULT_MAX_OBJECT_BYTES)
        try:
            max_bytes = int(raw_max)
        except ValueError as exc:
            raise SettingsError(f"MAX_OBJECT_BYTES must be an integer, got {raw_max!r}") from exc
        if max_bytes <= 0:
            raise SettingsError("MAX_OBJECT_BYTES must be positive")
        return cls(
            table_name=env["TABLE_NAME"],
            bucket_name=env["BUCKET_NAME"],
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            endpoint_url=env.get("ENDPOINT_URL") or None,
            max_object_bytes=max_bytes,
            spacy_model=env.get("SPACY_MODEL") or None,
        )
