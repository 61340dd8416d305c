"""The table's items for an analysed article follow the single-table model and stay small."""

from __future__ import annotations

import json

from article_pipeline.schema import (
    MAX_ENTRY_CLAIM_CHARS,
    MAX_ENTRY_CLAIMS,
    entry_keys,
    form_pairs,
    index_entries,
    index_record,
    lookup_key,
    name_partition,
)


def _document(n_mentions=3, content="Prices rose 5% in May.", claims=1):
    return {
        "article_id": "a" * 20,
        "title": "T",
        "entities": [
            {
                "name": "Volodymyr Zelensky",
                "label": "PERSON",
                "aliases": ["Zelenskyy"],
                "forms": [
                    {"text": "Volodymyr Zelensky", "key": "volodymyr zelensky", "count": 1, "demonym": False},
                    {"text": "Zelenskyy", "key": "zelenskyy", "count": n_mentions - 1, "demonym": False},
                ],
                "count": n_mentions,
                "salience": 1.0,
                "mentions": [{"start": i, "end": i + 5, "text": "x"} for i in range(n_mentions)],
            },
            {
                "name": "Ukraine",
                "label": "GPE",
                "aliases": [],
                "forms": [{"text": "Ukrainian", "key": "ukrainian", "count": 2, "demonym": True}],
                "count": 3,
                "salience": 0.4,
                "mentions": [],
            },
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
        ]
        * claims
        + [
            {
                "kind": "indirect_quote",
                "speaker": {"text": "officials", "start": 0, "end": 9, "entity": None},
                "cue": {"text": "said"},
                "content": {"text": "talks would resume", "start": 0, "end": 1, "spans": [[0, 1]]},
                "score": 0.1,
            }
        ],
    }


ARTICLE_ITEM = {"article_id": "a" * 20, "published": "2026-10-16"}


def test_each_name_gets_one_entry_newest_first_with_its_claims():
    # Given an analysed article with two entities, a quote by one of them and one by unnamed officials
    entries = {e["PK"]: e for e in index_entries(_document(), ARTICLE_ITEM, version="V1")}
    # Then each name has one entry in its own partition, sorted by date then article
    assert set(entries) == {"NAME#volodymyr zelensky", "NAME#ukraine", "NAME#officials"}
    assert all(e["SK"] == "2026-10-16#" + "a" * 20 and e["version"] == "V1" for e in entries.values())
    # and the speaker's claims sit in the entity's own entry (resolved from the pronoun), not the pronoun's
    zelensky = entries["NAME#volodymyr zelensky"]
    assert zelensky["label"] == "PERSON" and zelensky["forms"] == ["Zelenskyy"]
    assert [c["n"] for c in zelensky["claims"]] == [1]
    assert entries["NAME#officials"]["claims"][0]["kind"] == "indirect_quote"
    assert "claims" not in entries["NAME#ukraine"]


def test_the_article_item_keeps_the_keys_of_all_its_entries():
    entries = index_entries(_document(), ARTICLE_ITEM, version="V1")
    keys = entry_keys(index_record(entries))
    assert sorted(k["PK"] for k in keys) == sorted(e["PK"] for e in entries)
    assert {k["SK"] for k in keys} == {entries[0]["SK"]}


def test_other_forms_of_a_name_are_recorded_but_demonyms_are_not():
    assert form_pairs(_document()) == {("zelenskyy", "volodymyr zelensky")}


def test_queries_and_items_cut_long_names_the_same_way():
    long_name = "Very Long Name " * 40
    assert name_partition(long_name) == "NAME#" + lookup_key(long_name)
    assert len(lookup_key(long_name)) == 200


def test_huge_articles_still_give_small_entries():
    # Given an entity with 50,000 mentions quoted 500 times, each quote a megabyte
    entries = index_entries(
        _document(n_mentions=50_000, content="word " * 200_000, claims=500), ARTICLE_ITEM, version="V"
    )
    # Then every entry stays small: quotes cut, the rest counted
    for entry in entries:
        assert len(json.dumps(entry)) < 20_000
    zelensky = next(e for e in entries if e["PK"] == "NAME#volodymyr zelensky")
    assert len(zelensky["claims"]) == MAX_ENTRY_CLAIMS and zelensky["claims_more"] == 500 - MAX_ENTRY_CLAIMS
    assert all(len(c["content"]) <= MAX_ENTRY_CLAIM_CHARS + 1 for c in zelensky["claims"])


def test_a_speakers_entry_keeps_their_claims_most_worth_checking_in_text_order():
    # Given a debater with fifteen claims whose scores rise and fall through the text
    document = _document(claims=15)
    scores = [0.01, 0.9, 0.02, 0.5, 0.03, 0.04, 0.8, 0.05, 0.06, 0.07, 0.3, 0.08, 0.09, 0.6, 0.2]
    document["claims"][:15] = [{**claim, "score": s} for claim, s in zip(document["claims"], scores, strict=False)]
    # When the index entries are made
    entries = index_entries(document, ARTICLE_ITEM, version="V")
    zelensky = next(e for e in entries if e["PK"] == "NAME#volodymyr zelensky")
    # Then the entry keeps the ten highest scores, in the order they were said, and counts the rest
    kept = [c["score"] for c in zelensky["claims"]]
    assert sorted(kept, reverse=True) == sorted(scores, reverse=True)[:MAX_ENTRY_CLAIMS]
    assert [c["n"] for c in zelensky["claims"]] == sorted(c["n"] for c in zelensky["claims"])
    assert zelensky["claims_more"] == 5
