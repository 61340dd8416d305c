"""S3 upload -> (moto delivers S3 -> SQS) -> real handlers -> DynamoDB items, end to end."""

from __future__ import annotations

import pytest

from tests.integration.conftest import claims, entries, upload

pytestmark = pytest.mark.integration


def test_sample_article_ends_done_with_entities_and_attributed_claims(stack, sample_article):
    # Given the sample article uploaded under a key with a space
    article = upload(stack, "incoming/sample articles/budapest-summit.txt", sample_article)
    # When moto's notifications are fed to the real handlers until the queues are empty
    stats = stack.poller().drain()
    # Then the article is DONE, with its clean text in S3
    item = stack.store.get_article(article)
    assert item["status"] == "DONE", item.get("error")
    assert item["format"] == "text" and item["language"] == "en"
    assert item["source"]["key"] == "incoming/sample articles/budapest-summit.txt"
    clean = stack.store.read_pointer(item["clean_text"])
    assert "Post a Comment" not in clean["text"]
    assert stats.failures == 0
    # And its canonical entities include the three leaders, each once
    named = {e["name"]: e for e in entries(stack, article).values()}
    assert {"Donald Trump", "Vladimir Putin"} <= named.keys()
    assert named["Donald Trump"]["label"] == "PERSON"
    assert any("Zelensk" in name for name in named)
    # And claims sit under speakers resolved to those entities
    quoted = claims(stack, article)
    assert "Donald Trump" in {c["speaker"] for c in quoted}
    direct = [c for c in quoted if c["kind"] == "direct_quote"]
    assert any(c["content"].startswith("I have just concluded") and c["speaker"] == "Donald Trump" for c in direct)


def test_html_page_from_the_boilerplate_corpus_is_cleaned_and_analysed(stack, boilerplate_page):
    page_id, html = boilerplate_page
    article = upload(stack, f"incoming/pages/{page_id}.html", html)
    stack.poller().drain()
    item = stack.store.get_article(article)
    assert item["status"] in {"DONE", "SKIPPED"}, item.get("error")
    assert item["format"] == "html"
    assert item["word_count"] > 50
    clean = stack.store.read_pointer(item["clean_text"])
    assert "<" not in clean["text"][:200]


def test_bad_objects_fail_with_a_reason_and_the_batch_goes_on(stack, sample_article):
    # Given a batch mixing an empty file, a PNG and a good article
    empty = upload(stack, "incoming/empty.txt", b"")
    png = upload(stack, "incoming/picture.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    good = upload(stack, "incoming/good.txt", sample_article)
    # When processed
    stats = stack.poller().drain()
    # Then the bad ones are FAILED with a readable reason, not retried, and the good one is DONE
    for article, code in ((empty, "empty"), (png, "binary")):
        item = stack.store.get_article(article)
        assert item["status"] == "FAILED"
        assert item["error"]["code"] == code and item["error"]["message"]
        assert item["error"]["retryable"] is False
    assert stack.store.get_article(good)["status"] == "DONE"
    assert stats.failures == 0


def test_reupload_of_changed_text_replaces_every_item(stack, sample_article):
    # Given an article processed once
    key = "incoming/changing.txt"
    article = upload(stack, key, sample_article)
    stack.poller().drain()
    before = set(entries(stack, article))
    assert "vladimir putin" in before
    # When a new version without Putin is uploaded to the same key
    upload(stack, key, b"Angela Merkel said on Monday that the budget would grow by 3 percent next year.\n" * 3)
    stack.poller().drain()
    # Then no stale entity or claim of the old version is left
    after = set(entries(stack, article))
    assert not any("putin" in name for name in after)
    assert "angela merkel" in after
    # and the old version's clean text and analysis are gone from the bucket
    listed = stack.store.s3.list_objects_v2(Bucket=stack.names.bucket, Prefix=f"analysis/{article}/")["Contents"]
    assert [o["Key"] for o in listed] == [stack.store.get_article(article)["analysis"].split("/", 3)[3]]


def test_deleting_the_upload_removes_the_article_items(stack, sample_article):
    article = upload(stack, "incoming/to-delete.txt", sample_article)
    stack.poller().drain()
    stack.store.s3.delete_object(Bucket=stack.names.bucket, Key="incoming/to-delete.txt")
    stack.poller().drain()
    assert stack.store.get_article(article)["status"] == "DELETED"
    assert entries(stack, article) == {}
    for prefix in (f"clean/{article}/", f"analysis/{article}/"):
        assert stack.store.s3.list_objects_v2(Bucket=stack.names.bucket, Prefix=prefix)["KeyCount"] == 0


def test_article_text_never_appears_in_logs(stack, sample_article, capfd, monkeypatch):
    # Given the functions logging at INFO, as deployed (their JSON lines: stdout in Lambda, stderr locally)
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "INFO")
    capfd.readouterr()
    # When an article goes through both functions
    upload(stack, "incoming/logged.txt", sample_article)
    stack.poller().drain()
    logged = capfd.readouterr().err
    # Then the logs say what happened but quote none of the article
    assert "article analysed" in logged
    for sentence in sample_article.decode().split(". "):
        fragment = sentence.strip()[:40]
        if len(fragment) >= 30:
            assert fragment not in logged
