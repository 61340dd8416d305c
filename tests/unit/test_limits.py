"""Inputs cheap on the wire never cost more than the largest upload let in."""

from __future__ import annotations

import gzip

import pytest

from article_pipeline.cleaning import clean_raw
from article_pipeline.errors import TooLarge


def test_a_gzip_upload_that_inflates_past_the_upload_limit_is_too_large():
    # Given 2 MB of HTML compressed to a few KB, and a 1 MB upload limit
    body = gzip.compress(b"<html><body>" + b"<p>The strike went on.</p>" * 80_000)
    assert len(body) < 20_000
    # When it is cleaned with that limit
    with pytest.raises(TooLarge) as refused:
        clean_raw(body, filename="page.html", max_bytes=1_000_000)
    # Then it is refused for its inflated size, before any parsing
    assert "1,000,000 bytes" in str(refused.value)


def test_a_gzip_upload_under_the_limit_is_cleaned():
    body = gzip.compress(b"Officials said the port would reopen on Monday after a nine-day strike.\n" * 20)
    assert clean_raw(body, filename="note.txt", max_bytes=1_000_000)["word_count"] > 100


def test_the_local_context_counts_down_from_the_function_timeout():
    from article_pipeline_tools.local.functions import FakeLambdaContext

    context = FakeLambdaContext(function_name="IngestFunction", timeout_s=60, started=0.0)
    assert context.get_remaining_time_in_millis() == 0  # started long ago on the monotonic clock
    fresh = FakeLambdaContext(function_name="IngestFunction", timeout_s=60)
    assert 59_000 < fresh.get_remaining_time_in_millis() <= 60_000
