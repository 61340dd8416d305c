"""Deterministic identifiers: the same bucket and key always give the same article id."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from article_pipeline.settings import CLEAN_PREFIX

ANALYSIS_PREFIX = "analysis/"


def article_id(bucket: str, key: str) -> str:
    """20 hex characters of SHA-256 over ``bucket/key``: stable across re-uploads of the key."""
    return hashlib.sha256(f"{bucket}/{key}".encode()).hexdigest()[:20]


def _version_token(version: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in version) or "unordered"


def clean_key(article: str, version: str) -> str:
    """clean/<id>/<version>.json: one object per upload version, so a late write of an older version
    never replaces a newer version's clean text."""
    return f"{CLEAN_PREFIX}{article}/{_version_token(version)}.json"


def analysis_key(article: str, version: str) -> str:
    return f"{ANALYSIS_PREFIX}{article}/{_version_token(version)}.json"


def article_id_for_key(bucket: str, key: str) -> str:
    """The article an object belongs to: the upload's own, or the one a clean/ object was made for."""
    return article_id_from_clean_key(key) or article_id(bucket, key)


def article_id_from_clean_key(key: str) -> str | None:
    match = re.fullmatch(re.escape(CLEAN_PREFIX) + r"([0-9a-f]{20})/[^/]+\.json", key)
    return match.group(1) if match else None


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Normalised lookup key for a name: accents folded, case folded, punctuation dropped.

    "Zelenskyy", "ZELENSKYY" and "Zelénskyy" share one key, so queries need not match the
    exact spelling that an article used. Cached: entity grouping asks for the same names
    hundreds of times per article.
    """
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    folded = re.sub(r"['’`]s\b", "", folded)
    words = re.findall(r"\w+", folded)
    return " ".join(words)
