"""Settings come from the environment once, and bad values fail loudly."""

from __future__ import annotations

import pytest

from article_pipeline.settings import Settings, SettingsError


def test_settings_read_the_functions_environment():
    settings = Settings.from_env({"TABLE_NAME": "t", "BUCKET_NAME": "b", "ENDPOINT_URL": "", "MAX_OBJECT_BYTES": "5"})
    assert (settings.table_name, settings.bucket_name, settings.endpoint_url, settings.max_object_bytes) == (
        "t", "b", None, 5)


BAD_ENVIRONMENTS = [{}, {"TABLE_NAME": "t"}, {"TABLE_NAME": "t", "BUCKET_NAME": "b", "MAX_OBJECT_BYTES": "x"}]


@pytest.mark.parametrize("env", BAD_ENVIRONMENTS)
def test_missing_or_malformed_settings_are_refused(env):
    with pytest.raises(SettingsError):
        Settings.from_env(env)
