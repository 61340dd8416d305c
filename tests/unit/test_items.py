"""DynamoDB items of an analysed article follow the single-table model and stay small."""

from __future__ import annotations

import json

from article_pipeline.schema import MAX_CONTENT_CHARS, child_items


def _document(n_mentions=3, content="Prices rose 5% in May."):
    return {
        "article_id": "a" * 20,
        "title": "T",
        "entities": [
            {
                "name": "Volodymyr Zelensky",
                "label": "PERSON",
                "aliases": ["Zelenskyy"],
                "count": n_mentions,
                "salience": 1.0,
                "mentions": [{"start": i, "end": i + 5, "text": "x"} for i in range(n_mentions)],
            }
        ],
        "claims": [
            {
                "kind": "direct_quote",
                "quoted": "full",
                "speaker": {"text": "He", "start": 0, "end": 2, "entity": "Volodymyr Zelensky", "label": "PERSON"},
                "cue": {"text": "said", "start": 3, "end": 7},
                "content": {"text": content, "start": 10, "end": 10 + len(content), "spans": [[10, 10 + len(content)]]},
                "score": 0.7,
            }
        ],
    }


def test_entity_alias_and_claim_items_have_the_documented_keys():
    # Given an analysed article with one entity (one alias) and one claim
    items = child_items(_document(), {"published": "2026-10-16"})
    by_type = {item["type"]: item for item in items}
    # Then the entity is keyed by label and normalised name, and indexed for "articles that mention X"
    assert by_type["entity"]["SK"] == "ENTITY#PERSON#volodymyr zelensky"
    assert by_type["entity"]["GSI1PK"] == "ENTITY#volodymyr zelensky"
    assert by_type["entity"]["GSI1SK"].startswith("2026-10-16#")
    # And the alias points back to the canonical entity
    assert by_type["alias"]["GSI1PK"] == "ENTITY#zelenskyy"
    assert by_type["alias"]["canonical_key"] == "volodymyr zelensky"
    # And the claim is indexed by its resolved speaker, not the pronoun
    assert by_type["claim"]["SK"] == "CLAIM#0001"
    assert by_type["claim"]["GSI2PK"] == "SPEAKER#volodymyr zelensky"


def test_huge_articles_still_give_items_far_below_400_kb():
    # Given an entity with 50,000 mentions and a 1 MB quote
    items = child_items(_document(n_mentions=50_000, content="word " * 200_000), {})
    # Then every item stays small, with the truncation recorded
    for item in items:
        assert len(json.dumps(item)) < 100_000
    claim = next(item for item in items if item["type"] == "claim")
    assert claim["content_truncated"] is True and len(claim["content"]) == MAX_CONTENT_CHARS
    entity = next(item for item in items if item["type"] == "entity")
    assert entity["mentions_truncated"] is True
