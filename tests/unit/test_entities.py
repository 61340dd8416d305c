"""Mentions become canonical entities: one per referent, labelled by vote, ranked by salience."""

from __future__ import annotations

import pytest

from article_pipeline.entities import (
    TITLE,
    Mention,
    canonical_entities,
    entity_for_span,
    mentions_from_spans,
    strip_name,
)
from article_pipeline.entities.aliases import AliasTable, alias_table
from article_pipeline.entities.detection import acronym_definitions, completed_names, distribute_plural_heads
from article_pipeline.entities.names import abbreviates, form_key, same_person


def _spans(text: str, *named: tuple[str, str]) -> list[tuple[int, int, str, str]]:
    """NER-like spans for each (surface, label), at every place the surface occurs in ``text``."""
    spans = []
    for surface, label in named:
        start = text.find(surface)
        assert start >= 0, surface
        while start >= 0:
            spans.append((start, start + len(surface), surface, label))
            start = text.find(surface, start + 1)
    return sorted(spans)


def _entities(spans, length=1000, definitions=None):
    return canonical_entities(mentions_from_spans(spans), length, definitions)


def _by_name(entities):
    return {entity.name: entity for entity in entities}


def _groups(entities):
    return sorted(sorted({m.text for m in e.mentions}) for e in entities)


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


def test_a_surname_that_is_also_a_title_stays_the_persons():
    # Given "Martin Baron" and a lone "Baron"; and a lone "President" naming nobody
    spans = [(0, 12, "Martin Baron", "PERSON"), (30, 35, "Baron", "PERSON"), (50, 59, "President", "PERSON")]
    # Then "Baron" is his, and "President" is no entity
    assert _groups(_entities(spans)) == [["Baron", "Martin Baron"]]


def test_a_family_name_in_the_plural_is_not_one_person():
    spans = [(0, 14, "Michelle Obama", "PERSON"), (40, 46, "Obamas", "PERSON")]
    assert _groups(_entities(spans)) == [["Michelle Obama"], ["Obamas"]]


def test_spelling_variants_of_a_surname_merge():
    spans = [(0, 18, "Volodymyr Zelensky", "PERSON"), (40, 49, "Zelenskyy", "PERSON"), (80, 89, "Zelenskiy", "PERSON")]
    [zelensky] = _entities(spans)
    assert zelensky.name == "Volodymyr Zelensky"
    assert set(zelensky.aliases) == {"Zelenskyy", "Zelenskiy"}


def test_a_hyphenated_surname_alone_or_without_its_arabic_article_is_the_persons():
    # Given full names with hyphenated surnames, then the surname alone as news writing repeats it
    spans = [
        (0, 16, "Farah Al-Ibrahim", "PERSON"),
        (30, 40, "Al-Ibrahim", "PERSON"),
        (60, 75, "Bashar al-Assad", "PERSON"),
        (90, 95, "Assad", "PERSON"),
        (110, 129, "Douglas Holtz-Eakin", "PERSON"),
        (140, 151, "Holtz-Eakin", "PERSON"),
    ]
    # Then each lone surname is that person's, not a two-word name of someone called "Al" or "Holtz"
    assert _groups(_entities(spans)) == [
        ["Al-Ibrahim", "Farah Al-Ibrahim"],
        ["Assad", "Bashar al-Assad"],
        ["Douglas Holtz-Eakin", "Holtz-Eakin"],
    ]


def test_label_vote_corrects_a_lone_org_slip():
    # Given a person mostly tagged PERSON, once mis-tagged ORG
    spans = [(0, 12, "Donald Trump", "PERSON"), (30, 35, "Trump", "ORG"), (60, 65, "Trump", "PERSON")]
    [trump] = _entities(spans)
    assert trump.label == "PERSON"


def test_a_demonym_joins_its_country_as_a_flagged_mention():
    # Given a country and its adjective
    spans = [(0, 6, "Russia", "GPE"), (20, 27, "Russian", "NORP"), (40, 46, "Russia", "GPE")]
    # When grouped
    [russia] = _entities(spans)
    # Then the adjective counts for Russia but is flagged, and is not one of its names
    assert russia.name == "Russia" and russia.label == "GPE" and len(russia.mentions) == 3
    assert [m.demonym for m in russia.mentions] == [False, True, False]
    assert russia.aliases == []
    assert russia.to_dict()["mentions"][1] == {"start": 20, "end": 27, "text": "Russian", "demonym": True}


def test_a_demonym_alone_names_its_country_and_people_nouns_stay_a_group():
    # Given "British officials" and "Britons" in an article that never names the country
    entities = _entities([(0, 7, "British", "NORP"), (40, 47, "Britons", "NORP")])
    names = _by_name(entities)
    # Then the adjective is the United Kingdom's (all its mentions demonyms); the people are their own group
    assert names["United Kingdom"].label == "GPE" and names["United Kingdom"].mentions[0].demonym
    assert names["Britons"].label == "NORP" and not names["Britons"].mentions[0].demonym


def test_a_demonym_made_of_a_place_name_joins_it_without_the_table():
    [texas] = _entities([(0, 5, "Texas", "GPE"), (20, 25, "Texan", "NORP")])
    assert texas.name == "Texas" and texas.mentions[1].demonym


def test_other_names_of_a_country_are_one_entity_named_as_in_the_table():
    # Given four names of the United Kingdom
    spans = [(0, 7, "Britain", "GPE"), (20, 22, "UK", "GPE"), (40, 44, "U.K.", "GPE"), (60, 73, "Great Britain", "GPE")]
    # When grouped
    [uk] = _entities(spans)
    # Then one entity, named as the table names it, with the article's names as aliases
    assert uk.name == "United Kingdom" and uk.label == "GPE"
    assert uk.aliases == ["Britain", "UK", "U.K.", "Great Britain"]
    assert uk.to_dict()["forms"][0] == {"text": "United Kingdom", "key": "united kingdom", "count": 0, "demonym": False}


def test_table_forms_in_capitals_or_with_periods_match_only_as_written():
    table = alias_table()
    assert table.lookup("WHO", "ORG").entry.name == "World Health Organization"
    assert table.lookup("who", "ORG") is None
    assert table.lookup("Calif.", "GPE").entry.name == "California"
    assert table.lookup("La", "GPE") is None
    # and a person is never looked up as a place
    assert table.lookup("Jordan", "PERSON") is None


def test_a_form_two_table_entries_claim_is_ignored():
    table = AliasTable(
        [
            {"name": "Alpha Land", "label": "GPE", "names": ["Twin"]},
            {"name": "Beta Land", "label": "GPE", "names": ["Twin"]},
        ]
    )
    assert table.lookup("Twin", "GPE") is None
    assert table.lookup("Alpha Land", "GPE").entry.name == "Alpha Land"


def test_capitalisation_and_dotted_initials_do_not_split_an_entity():
    spans = [(0, 13, "BEVERLY HILLS", "GPE"), (30, 43, "Beverly Hills", "GPE")]
    [beverly] = _entities(spans)
    assert beverly.name in {"Beverly Hills", "BEVERLY HILLS"} and len(beverly.mentions) == 2
    assert form_key("U.S.") == form_key("US") == "us"
    assert form_key("Apple Inc.") == form_key("Apple") == "apple"


def test_acronyms_join_the_name_they_abbreviate():
    spans = [(0, 13, "United States", "GPE"), (30, 34, "U.S.", "GPE"), (50, 54, "U.S.", "GPE")]
    [usa] = _entities(spans)
    assert usa.name == "United States" and usa.aliases == ["U.S."]


def test_an_acronym_made_of_a_name_after_a_national_qualifier_joins_it():
    # Given "U.S. Food and Drug Administration" and "FDA", outside the table's own spelling
    text = "The U.S. Agency for Quiet Rivers said ... later the AQR said again"
    spans = _spans(text, ("U.S. Agency for Quiet Rivers", "ORG"), ("AQR", "ORG"))
    [agency] = _entities(spans)
    assert agency.name == "U.S. Agency for Quiet Rivers" and agency.aliases == ["AQR"]


def test_an_acronym_defined_in_parentheses_joins_its_definition_even_without_matching_initials():
    # Given an acronym the article defines, whose letters are not the name's initials
    text = "The Department of Defense (DoD) said ... a DoD spokesman"
    mentions = mentions_from_spans(_spans(text, ("Department of Defense", "ORG")))
    # When the definitions are read off the text
    definitions, added = acronym_definitions(text, mentions, "text")
    # Then the acronym inside the parentheses becomes a mention, linked to the name
    assert definitions == {"dod": "department of defense"}
    assert [(m.text, text[m.start : m.end]) for m in added] == [("DoD", "DoD")]
    assert abbreviates("NYPD", "New York Police Department") and not abbreviates("XYZ", "New York Police")


def test_middle_names_and_initials_may_be_missing_but_must_agree():
    assert same_person(("aaron", "j", "kowalski"), ("aaron", "kowalski"))
    assert same_person(("a", "kowalski"), ("aaron", "kowalski"))
    assert not same_person(("george", "w", "bush"), ("george", "h", "w", "bush"))
    assert not same_person(("hillary", "clinton"), ("bill", "clinton"))


def test_middle_name_variants_and_the_surname_are_one_person():
    text = "Aaron J. Kowalski spoke. Aaron Kowalski said. Kowalski added."
    spans = _spans(text, ("Aaron J. Kowalski", "PERSON"), ("Aaron Kowalski", "PERSON"), ("Kowalski added", "PERSON"))
    spans = [s for s in spans if s[2] != "Kowalski added"] + [(45, 53, "Kowalski", "PERSON")]
    [person] = _entities(spans)
    assert person.name == "Aaron J. Kowalski" and len(person.mentions) == 3


def test_two_people_sharing_a_surname_never_merge_and_the_lone_surname_is_the_first_named():
    # Given Hillary Clinton, then Bill Clinton, then "Clinton" just after Bill's name and far away
    spans = [
        (0, 15, "Hillary Clinton", "PERSON"),
        (1000, 1012, "Bill Clinton", "PERSON"),
        (1100, 1107, "Clinton", "PERSON"),
        (3000, 3007, "Clinton", "PERSON"),
    ]
    # When grouped
    names = _by_name(_entities(spans, length=4000))
    # Then the two people stay apart, and the lone surname is the first-named Clinton's, as news writes it
    assert set(names) == {"Hillary Clinton", "Bill Clinton"}
    assert [m.start for m in names["Bill Clinton"].mentions] == [1000]
    assert [m.start for m in names["Hillary Clinton"].mentions] == [0, 1100, 3000]


def test_a_surname_in_the_table_is_the_persons_when_the_article_names_them_in_full():
    [cuban] = _entities([(0, 10, "Mark Cuban", "PERSON"), (30, 35, "Cuban", "NORP")])
    assert cuban.name == "Mark Cuban" and not cuban.mentions[1].demonym


def test_a_dateline_or_heading_before_a_spaced_dash_is_not_part_of_the_name():
    assert strip_name("CLEVELAND - Donald Trump", "ORG") == "Donald Trump"
    assert strip_name("Weak - Rubio", "PERSON") == "Rubio"
    assert strip_name("Coca-Cola", "ORG") == "Coca-Cola"


def test_a_shorter_name_between_two_people_joins_neither():
    spans = [
        (0, 14, "George W. Bush", "PERSON"),
        (30, 47, "George H. W. Bush", "PERSON"),
        (60, 71, "George Bush", "PERSON"),
    ]
    groups = _groups(_entities(spans))
    assert ["George H. W. Bush", "George W. Bush"] not in groups
    assert ["George W. Bush"] in groups or ["George H. W. Bush"] in groups


def test_a_first_name_alone_joins_the_only_person_who_has_it():
    spans = [(0, 17, "Emily Ratajkowski", "PERSON"), (40, 45, "Emily", "PERSON")]
    [emily] = _entities(spans)
    assert emily.name == "Emily Ratajkowski"
    # With two Emilys, the lone first name is nobody in particular
    spans += [(60, 71, "Emily Blunt", "PERSON")]
    assert ["Emily"] in _groups(_entities(spans))


def test_a_first_name_mis_tagged_org_joins_the_person_but_an_organisations_first_word_does_not():
    # Given a person named in full and then by first name, which the small model tagged ORG
    spans = [(0, 14, "Elena Martinez", "PERSON"), (40, 45, "Elena", "ORG")]
    # Then the first name is hers
    assert _groups(_entities(spans)) == [["Elena", "Elena Martinez"]]
    # But an organisation named more often than the "person" it begins is not a first name
    spans = [(0, 11, "Google Plus", "PERSON"), (30, 36, "Google", "ORG"), (50, 56, "Google", "ORG")]
    assert _groups(_entities(spans)) == [["Google"], ["Google Plus"]]


def test_short_names_of_organisations_join_the_only_long_name_they_fit():
    text = "The U.S. Navy said ... the Navy added. Manchester United won; United lost later."
    spans = _spans(text, ("U.S. Navy", "ORG"), ("Navy added", "ORG"), ("Manchester United", "ORG"))
    spans = [s for s in spans if s[2] != "Navy added"] + [(27, 31, "Navy", "ORG"), (62, 68, "United", "ORG")]
    groups = _groups(_entities(spans))
    assert groups == [["Manchester United", "United"], ["Navy", "U.S. Navy"]]


def test_a_list_span_is_split_into_names_but_a_company_suffix_is_kept():
    mentions = mentions_from_spans([(0, 14, "Hulu, Apple TV", "ORG"), (20, 30, "Acme, Inc.", "ORG")])
    assert [(m.start, m.end, m.text) for m in mentions] == [(0, 4, "Hulu"), (6, 14, "Apple TV"), (20, 30, "Acme, Inc.")]


def test_names_in_lower_case_and_bare_roles_are_not_entities():
    assert _entities([(0, 15, "nailberry.co.uk", "ORG"), (20, 26, "polish", "NORP")]) == []
    assert _entities([(0, 5, "State", "ORG"), (10, 19, "President", "PERSON")]) == []


def test_a_plural_head_after_a_list_of_places_makes_each_one_that_kind_of_place():
    # Given the city of Los Angeles, then "Los Angeles and Orange counties"
    text = "Los Angeles grew. Offices in Los Angeles and Orange counties opened."
    mentions = mentions_from_spans(_spans(text, ("Los Angeles", "GPE"), ("Orange", "GPE")))
    # When the shared head is distributed
    mentions = distribute_plural_heads(text, mentions)
    names = _by_name(canonical_entities(mentions, len(text)))
    # Then the county is not the city
    assert set(names) == {"Los Angeles", "Los Angeles County", "Orange County"}
    assert names["Los Angeles County"].mentions[0].text == "Los Angeles"


def test_numbers_and_dates_are_not_entities():
    assert _entities([(0, 4, "2025", "DATE"), (10, 13, "300", "CARDINAL")]) == []


def test_salience_ranks_frequent_early_entities_first():
    spans = [(0, 5, "Putin", "PERSON"), (100, 105, "Putin", "PERSON"), (900, 905, "Obama", "PERSON")]
    entities = _entities(spans)
    assert [e.name for e in entities] == ["Putin", "Obama"]
    assert entities[0].salience == 1.0 and 0 < entities[1].salience < 1


def test_a_headline_mention_counts_for_salience_and_is_kept_apart_from_the_body():
    # Given an entity named once in the headline and once late in the body, and another twice mid-body
    mentions = mentions_from_spans([(5, 10, "Putin", "PERSON")], field=TITLE)
    mentions += mentions_from_spans([(900, 905, "Putin", "PERSON"), (400, 405, "Obama", "PERSON")])
    mentions += mentions_from_spans([(500, 505, "Obama", "PERSON")])
    # When grouped
    putin, obama = canonical_entities(mentions, 1000)
    # Then the headline lifts Putin first; its mention is a title mention with offsets into the title
    assert putin.name == "Putin" and obama.name == "Obama"
    assert [(m.start, m.end) for m in putin.title_mentions] == [(5, 10)]
    assert putin.to_dict()["count"] == 2 and len(putin.to_dict()["mentions"]) == 1


def test_titles_articles_possessives_and_post_nominals_are_stripped_from_names():
    assert strip_name("President Vladimir Putin", "PERSON") == "Vladimir Putin"
    assert strip_name("the White House", "FAC") == "White House"
    assert strip_name("Russia’s", "GPE") == "Russia"
    assert strip_name("Aaron J. Kowalski, Ph.D.", "PERSON") == "Aaron J. Kowalski"
    assert strip_name("Home Secretary Priti Patel", "PERSON") == "Priti Patel"


def test_span_lookup_finds_the_entity_of_a_body_mention():
    entities = _entities([(0, 12, "Donald Trump", "PERSON"), (50, 55, "Trump", "PERSON")])
    assert entity_for_span(entities, 50, 55).name == "Donald Trump"
    assert entity_for_span(entities, 20, 30) is None


def test_the_title_words_alone_are_not_entities():
    assert _entities([(0, 5, "State", "ORG"), (10, 19, "President", "PERSON")]) == []
    assert isinstance(Mention(0, 1, "x", "ORG", "x"), Mention)


# ------------------------------------------------------------------ with the spaCy model


@pytest.fixture(scope="module")
def analyse():
    pytest.importorskip("spacy")
    from article_pipeline.analysis import analyze_text
    from article_pipeline.nlp import load_pipeline

    try:
        nlp = load_pipeline()
    except OSError:
        pytest.skip("no spaCy English model installed")

    def run(text: str, title: str | None = None) -> dict:
        return analyze_text({"text": text, "title": title, "language": "en"}, nlp=nlp)

    return run


def test_the_headline_is_analysed_with_offsets_into_the_title(analyse):
    # Given an article whose headline names someone the body calls only by surname
    title = "Angela Merkel visits Paris"
    text = "Merkel met the French president on Monday. Merkel said the talks went well."
    # When analysed
    document = analyse(text, title)
    # Then the headline's mentions are kept with offsets into the title, and body offsets index the text
    merkel = next(e for e in document["entities"] if e["name"] == "Angela Merkel")
    assert [m["text"] for m in merkel["title_mentions"]] == ["Angela Merkel"]
    for entity in document["entities"]:
        for m in entity["title_mentions"]:
            assert document["title"][m["start"] : m["end"]] == m["text"]
        for m in entity["mentions"]:
            assert document["text"][m["start"] : m["end"]] == m["text"]
    assert merkel["count"] == 3 and document["entities"][0]["name"] == "Angela Merkel"
    # And "French" counts for France, flagged as a demonym
    france = next(e for e in document["entities"] if e["name"] == "France")
    assert all(m["demonym"] for m in france["mentions"])


def test_a_headline_the_body_already_opens_with_is_not_counted_twice(analyse):
    text = "Angela Merkel visits Paris\n\nMerkel met the French president on Monday."
    document = analyse(text, "Angela Merkel visits Paris")
    assert all(not e["title_mentions"] for e in document["entities"])


def test_names_the_ner_missed_are_found_again_where_the_article_uses_them(analyse):
    # Given a person named in full once, then by surname where the small model may not tag it
    text = (
        "Bernhard Langer won the title on Sunday. Langer, meanwhile, collected a prize. "
        "Fred Couples finished second, and Langer thanked the fans."
    )
    document = analyse(text)
    langer = next(e for e in document["entities"] if e["name"] == "Bernhard Langer")
    # Then every "Langer" is his
    assert [m["text"] for m in langer["mentions"]].count("Langer") == 2


def test_a_full_name_the_ner_missed_is_found_before_the_surname_it_tagged(analyse):
    # Given a person the small model tags only by surname, and misses where the article names them in full
    text = (
        "The two candidates tonight are Councillor Grace Okafor and the former deputy mayor, Anders Lindqvist. "
        "Mr. Lindqvist, you'll have your turn."
    )
    document = analyse(text)
    names = {e["name"]: e for e in document["entities"]}
    # Then the full name is the entity's, with the surname as an alias
    assert "Anders Lindqvist" in names and names["Anders Lindqvist"]["aliases"] == ["Lindqvist"]
    # and a title before a surname is no given name
    assert "Councillor Grace Okafor" not in names


def test_a_vague_type_word_joins_no_name_and_a_sub_organisation_keeps_its_own():
    # Given "White House" and a lone "House"; "Yale Daily News" and "Yale"; "Battleground Senate" (PERSON) and "Senate"
    text = (
        "The White House said ... the House voted. Yale Daily News wrote about Yale. Battleground Senate: the Senate."
    )
    spans = _spans(text, ("White House", "ORG"), ("Yale Daily News", "ORG"), ("Battleground Senate", "PERSON"))
    for word, after in (("House", "the House"), ("Yale", "about Yale"), ("Senate", "the Senate")):
        start = text.index(after) + len(after) - len(word)
        spans.append((start, start + len(word), word, "ORG"))
    # When grouped
    groups = _groups(_entities(sorted(spans)))
    # Then each stays apart
    assert ["House"] in groups and ["Yale"] in groups and ["Senate"] in groups


def test_a_lone_surname_mis_tagged_as_a_place_does_not_outvote_the_full_name():
    spans = [(0, 15, "Merrick Garland", "PERSON")] + [(20 + 10 * i, 27 + 10 * i, "Garland", "GPE") for i in range(4)]
    [garland] = _entities(spans)
    assert garland.name == "Merrick Garland" and garland.label == "PERSON" and len(garland.mentions) == 5


def _at(text: str, surface: str, label: str, nth: int = 0) -> tuple[int, int, str, str]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return (start, start + len(surface), surface, label)


def test_a_name_cut_short_where_the_text_reads_it_whole_is_the_whole_name() -> None:
    text = (
        "Putin congratulated him on the Great Accomplishment of Peace in the Middle East. Trump wrote that "
        "Putin praised the Great Accomplishment of Peace in the Middle East. The New York Times and New York agreed."
    )
    whole = "Great Accomplishment of Peace in the Middle East"
    spans = [
        _at(text, whole, "LAW"),
        _at(text, "Great Accomplishment of Peace", "EVENT", nth=1),  # the tagger stopped short here
        _at(text, "Middle East", "LOC", nth=1),  # and took the rest as a place
        _at(text, "New York Times", "ORG"),
        _at(text, "New York", "GPE", nth=1),  # a city on its own: the text does not read the paper's name
    ]
    assert completed_names(text, spans) == sorted(
        [_at(text, whole, "LAW"), _at(text, whole, "LAW", nth=1), _at(text, "New York Times", "ORG"), spans[-1]]
    )


def test_a_name_is_completed_backwards_and_not_across_another_name() -> None:
    text = "Donald Trump spoke. Later Trump left. Then Trump Tower closed. The Trump Tower lobby reopened."
    spans = [
        _at(text, "Donald Trump", "PERSON"),
        _at(text, "Trump", "PERSON", nth=1),  # "Later Trump": the text does not read "Donald Trump" here
        _at(text, "Trump", "PERSON", nth=2),  # "Trump Tower", tagged whole further on
        _at(text, "Trump Tower", "FAC", nth=1),
    ]
    assert completed_names(text, spans) == sorted([*spans[:2], _at(text, "Trump Tower", "FAC"), spans[3]])
    text = "He entered the Hall of Fame. The Hall of Fame Awards followed."
    spans = [_at(text, "Hall of Fame", "ORG"), _at(text, "Hall", "ORG", nth=1), _at(text, "Fame Awards", "EVENT")]
    assert completed_names(text, spans) == sorted(spans)  # "Hall of Fame" would cut "Fame Awards" in two
