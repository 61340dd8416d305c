"""Mentions become canonical entities: one per referent, labelled by vote, ranked by salience."""

from __future__ import annotations

from article_pipeline.entities import canonical_entities, entity_for_span, mentions_from_spans, strip_name


def _entities(spans, length=1000):
    return canonical_entities(mentions_from_spans(spans), length)


def _by_name(entities):
    return {entity.name: entity for entity in entities}


def test_full_name_surname_title_and_possessive_are_one_person():
    # Given four ways of naming the same person
    spans = [
        (0, 12, "Donald Trump", "PERSON"),
        (50, 55, "Trump", "PERSON"),
        (100, 115, "President Trump", "PERSON"),
        (200, 207, "Trump's", "PERSON"),
    ]
    # When they are merged
    [trump] = _entities(spans)
    # Then there is one entity with the full name and the others as mentions
    assert trump.name == "Donald Trump"
    assert len(trump.mentions) == 4
    assert trump.aliases == ["Trump"]


def test_spelling_variants_of_a_surname_merge():
    spans = [(0, 18, "Volodymyr Zelensky", "PERSON"), (40, 49, "Zelenskyy", "PERSON"), (80, 89, "Zelenskiy", "PERSON")]
    [zelensky] = _entities(spans)
    assert zelensky.name == "Volodymyr Zelensky"
    assert set(zelensky.aliases) == {"Zelenskyy", "Zelenskiy"}


def test_label_vote_corrects_a_lone_org_slip():
    # Given a person mostly tagged PERSON, once mis-tagged ORG
    spans = [(0, 12, "Donald Trump", "PERSON"), (30, 35, "Trump", "ORG"), (60, 65, "Trump", "PERSON")]
    [trump] = _entities(spans)
    assert trump.label == "PERSON"


def test_demonyms_and_places_stay_apart():
    spans = [(0, 6, "Russia", "GPE"), (20, 27, "Russian", "NORP"), (40, 46, "Russia", "GPE")]
    names = _by_name(_entities(spans))
    assert names["Russia"].label == "GPE" and len(names["Russia"].mentions) == 2
    assert names["Russian"].label == "NORP"


def test_numbers_and_dates_are_not_entities():
    assert _entities([(0, 4, "2025", "DATE"), (10, 13, "300", "CARDINAL")]) == []


def test_salience_ranks_frequent_early_entities_first():
    spans = [(0, 5, "Putin", "PERSON"), (100, 105, "Putin", "PERSON"), (900, 905, "Obama", "PERSON")]
    entities = _entities(spans)
    assert [e.name for e in entities] == ["Putin", "Obama"]
    assert entities[0].salience == 1.0 and 0 < entities[1].salience < 1


def test_titles_articles_and_possessives_are_stripped_from_names():
    assert strip_name("President Vladimir Putin", "PERSON") == "Vladimir Putin"
    assert strip_name("the White House", "FAC") == "White House"
    assert strip_name("Russia’s", "GPE") == "Russia"


def test_span_lookup_finds_the_entity_of_a_mention():
    entities = _entities([(0, 12, "Donald Trump", "PERSON"), (50, 55, "Trump", "PERSON")])
    assert entity_for_span(entities, 50, 55).name == "Donald Trump"
    assert entity_for_span(entities, 20, 30) is None


def test_acronyms_join_the_name_they_abbreviate():
    spans = [(0, 13, "United States", "GPE"), (30, 34, "U.S.", "GPE"), (50, 54, "U.S.", "GPE")]
    [usa] = _entities(spans)
    assert usa.name == "United States" and usa.aliases == ["U.S."]


def test_title_words_alone_are_not_entities():
    assert _entities([(0, 5, "State", "ORG"), (10, 19, "President", "PERSON")]) == []
