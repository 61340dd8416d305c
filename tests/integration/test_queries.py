"""Queries across articles: who mentions X and what X said, through aliases, newest first, paginated."""

from __future__ import annotations

import pytest

from article_pipeline_tools.queries import articles_mentioning, claims_by_speaker
from tests.integration.conftest import upload

pytestmark = pytest.mark.integration

FIRST = (
    "German Chancellor Olaf Scholz said on Monday that Germany would send more air defence systems. "
    "\u201cWe will stand with Ukraine for as long as it takes,\u201d Scholz told reporters in Berlin."
).encode()
SECOND = (
    b"Olaf Scholz met French President Emmanuel Macron in Paris. Scholz said the talks had been "
    b"constructive and that Europe needed a common energy policy."
)


def test_entity_and_speaker_queries_span_articles_and_resolve_aliases(stack):
    # Given two articles that both name Olaf Scholz
    first = upload(stack, "incoming/first.txt", FIRST)
    second = upload(stack, "incoming/second.txt", SECOND)
    stack.poller().drain()
    # When asking which articles mention him, by full name, by surname and with odd case/accents
    by_name = articles_mentioning(stack.store, "Olaf Scholz")
    by_alias = articles_mentioning(stack.store, "scholz")
    by_case = articles_mentioning(stack.store, "OLAF SCHÖLZ".replace("Ö", "O"))
    # Then both articles are found each way
    assert {item["article_id"] for item in by_name.items} == {first, second}
    assert {item["article_id"] for item in by_alias.items} == {first, second}
    assert {item["article_id"] for item in by_case.items} == {first, second}
    # And his claims are found by his surname, resolved to the canonical entity
    claims = claims_by_speaker(stack.store, "Scholz")
    assert {item["article_id"] for item in claims.items} == {first, second}
    assert all(item["speaker"]["entity"] == "Olaf Scholz" for item in claims.items)


def test_queries_paginate_with_a_cursor(stack):
    for number in range(3):
        upload(stack, f"incoming/page-{number}.txt", FIRST)
    stack.poller().drain()
    first_page = articles_mentioning(stack.store, "Olaf Scholz", limit=2)
    assert len(first_page.items) == 2 and first_page.cursor
    rest = articles_mentioning(stack.store, "Olaf Scholz", limit=2, cursor=first_page.cursor)
    seen = [item["article_id"] for item in first_page.items + rest.items]
    assert len(seen) == len(set(seen)) == 3
