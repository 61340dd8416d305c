"""Settings come from the environment once, and bad values fail loudly."""

from __future__ import annotations

import pytest

from article_pipeline.settings import Settings, SettingsError


def test_settings_read_the_functions_environment():
    settings = Settings.from_env({"TABLE_NAME": "t", "BUCKET_NAME": "b", "ENDPOINT_URL": "", "MAX_OBJECT_BYTES": "5"})
    assert (settings.table_name, settings.bucket_name, settings.endpoint_url, settings.max_object_bytes) == (
        "t",
        "b",
        None,
        5,
    )
    assert settings.max_analysed_chars == 200_000
    capped = Settings.from_env({"TABLE_NAME": "t", "BUCKET_NAME": "b", "MAX_ANALYSED_CHARS": "900"})
    assert capped.max_analysed_chars == 900


BAD_ENVIRONMENTS = [
    {},
    {"TABLE_NAME": "t"},
    {"TABLE_NAME": "t", "BUCKET_NAME": "b", "MAX_OBJECT_BYTES": "x"},
    {"TABLE_NAME": "t", "BUCKET_NAME": "b", "MAX_ANALYSED_CHARS": "0"},
]


@pytest.mark.parametrize("env", BAD_ENVIRONMENTS)
def test_missing_or_malformed_settings_are_refused(env):
    with pytest.raises(SettingsError):
        Settings.from_env(env)


def test_long_texts_are_cut_for_analysis_at_a_sentence_break():
    from article_pipeline.analysis import analysable_end

    text = "One short sentence here. " * 100
    end = analysable_end(text, 1000)
    assert 900 <= end <= 1000 and text[:end].endswith(".")
    assert analysable_end("x" * 2000, 1000) == 1000  # no break at all: a hard cut
    assert analysable_end(text, 10_000) == len(text)
