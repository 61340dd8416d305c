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
    quoted = claims_by_speaker(stack.store, "Scholz")
    assert {item["article_id"] for item in quoted.items} == {first, second}
    assert all(item["name"] == "Olaf Scholz" and item["claims"] for item in quoted.items)


def test_queries_paginate_with_a_cursor(stack):
    for number in range(3):
        upload(stack, f"incoming/page-{number}.txt", FIRST)
    stack.poller().drain()
    first_page = articles_mentioning(stack.store, "Olaf Scholz", limit=2)
    assert len(first_page.items) == 2 and first_page.cursor
    rest = articles_mentioning(stack.store, "Olaf Scholz", limit=2, cursor=first_page.cursor)
    seen = [item["article_id"] for item in first_page.items + rest.items]
    assert len(seen) == len(set(seen)) == 3


# Three articles, each naming the same man differently: only the forms link them.
FULL_NAME = (
    b"Donald Trump said on Monday that tariffs on steel would rise. Trump told reporters in Ohio that "
    b"the plan would protect jobs."
)
TITLE_AND_SURNAME = (
    b"President Trump signed the order on Tuesday. Trump said the measure was long overdue, and "
    b"critics in Congress called it reckless."
)
SURNAME_ONLY = b"Trump spoke for an hour on Wednesday. Trump said that the economy had never been stronger."


def test_a_query_by_any_form_finds_every_article_whatever_form_it_used(stack):
    # Given articles that call him "Donald Trump" / "Trump", "President Trump" / "Trump", and "Trump" alone
    full = upload(stack, "incoming/full.txt", FULL_NAME)
    titled = upload(stack, "incoming/titled.txt", TITLE_AND_SURNAME)
    short = upload(stack, "incoming/short.txt", SURNAME_ONLY)
    stack.poller().drain()
    # When asking by each form
    found = {
        form: {item["article_id"] for item in articles_mentioning(stack.store, form).items}
        for form in ("Donald Trump", "Trump", "President Trump")
    }
    # Then every form finds all three articles
    assert found == {form: {full, titled, short} for form in ("Donald Trump", "Trump", "President Trump")}
    # and claims by any form, too
    for form in ("Donald Trump", "Trump"):
        assert {item["article_id"] for item in claims_by_speaker(stack.store, form).items} == {full, titled, short}


def test_a_shared_surname_does_not_join_two_people_across_articles(stack):
    # Given one article about Bill Clinton and one about Hillary Clinton, each also saying "Clinton"
    bill = upload(
        stack,
        "incoming/bill.txt",
        b"Bill Clinton spoke at the foundation dinner in New York on Friday. Clinton said the charity had grown.",
    )
    hillary = upload(
        stack,
        "incoming/hillary.txt",
        b"Hillary Clinton opened the summit in Dubai on Thursday. Clinton said women entrepreneurs needed capital.",
    )
    stack.poller().drain()
    # Then each full name finds its own article only, and the surname alone finds both
    assert {i["article_id"] for i in articles_mentioning(stack.store, "Bill Clinton").items} == {bill}
    assert {i["article_id"] for i in articles_mentioning(stack.store, "Hillary Clinton").items} == {hillary}
    assert {i["article_id"] for i in articles_mentioning(stack.store, "Clinton").items} == {bill, hillary}
