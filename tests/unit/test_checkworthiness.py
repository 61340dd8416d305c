"""Check-worthiness scorer: shipped weights load, scores are sane probabilities and rank claims first."""

from __future__ import annotations

import math

import pytest

from article_pipeline.claims import checkworthiness
from article_pipeline.claims.checkworthiness import (
    Parsed,
    dense_vector,
    featurize,
    load_model,
    parse_feature_names,
    parse_features,
    parsed_span,
    score_sentence,
    sparse_logits,
    tfidf_logits,
)

CLAIM = "Unemployment fell to 4.1 percent in 2017, the lowest rate in 17 years."
MONEY_CLAIM = "The program cost taxpayers $3.2 billion last year, twice what Congress approved."
GREETING = "Good evening and welcome, everybody, thank you so much for being here."
QUESTION = "What would you do about it?"
OPINION = "I think we can do great things together."


def test_empty_list_gives_empty_scores() -> None:
    # Given no sentences / When scoring / Then nothing comes back
    assert checkworthiness([]) == []


def test_one_score_per_sentence_in_unit_interval() -> None:
    # Given a document of mixed sentences
    sentences = [GREETING, CLAIM, QUESTION, OPINION, MONEY_CLAIM, "", "   "]

    # When scoring it
    scores = checkworthiness(sentences)

    # Then each sentence gets one float in [0, 1]
    assert len(scores) == len(sentences)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)


def test_numeric_factual_claims_outrank_greetings_questions_and_opinions() -> None:
    # Given factual claims with numbers next to talk that nobody would fact-check
    sentences = [GREETING, CLAIM, QUESTION, MONEY_CLAIM, OPINION]

    # When scoring the document
    greeting, claim, question, money, opinion = checkworthiness(sentences)

    # Then both claims rank above every non-claim
    assert min(claim, money) > max(greeting, question, opinion)


def test_scoring_is_deterministic() -> None:
    # Given the same document scored twice
    sentences = [GREETING, CLAIM, MONEY_CLAIM]

    # When scoring / Then the scores are identical
    assert checkworthiness(sentences) == checkworthiness(list(sentences))


def test_score_sentence_matches_a_one_sentence_document() -> None:
    # Given a single sentence / When scored alone / Then it equals the one-sentence document score
    assert score_sentence(CLAIM) == checkworthiness([CLAIM])[0]


def test_neighbours_are_context_features() -> None:
    # Given a sentence with a question before it
    feats = featurize([QUESTION, CLAIM])

    # When featurising / Then the claim sees its neighbour's cues, and the first sentence sees none
    assert "p:q_end" in feats[1]
    assert "p:none" in feats[0]


def test_weights_are_small_and_loaded_once() -> None:
    # Given the shipped model / When loading it twice / Then it is the same cached object, with calibration
    model = load_model()
    assert model is load_model()
    assert len(model["calibration"]) == 2
    assert 0 < sum(len(t) for t in model["tables"].values()) < 200_000


def test_fast_scoring_equals_the_training_features_dot_the_weights() -> None:
    # Given a document and the flat features the training script learns from
    sentences = [GREETING, CLAIM, QUESTION, MONEY_CLAIM]
    model = load_model()
    flat = {f"{ns}:{k}": v for ns, table in model["tables"].items() for k, v in table.items()}

    # When scoring the sparse member through the fast path and through featurize + a plain dot product
    fast = sparse_logits(sentences, model)
    slow = [model["intercept"] + sum(flat.get(k, 0.0) * v for k, v in feats.items()) for feats in featurize(sentences)]

    # Then they agree, so what ships is what was trained
    assert fast == pytest.approx(slow, abs=1e-9)


def test_tfidf_member_is_sublinear_tf_idf_l2_normalised_dot_weights() -> None:
    # Given a two-term TF-IDF member (term -> [idf, weight]); the pair "unemployment fell" is not in it
    member = {"terms": {"unemployment": [2.0, 1.0], "fell": [1.0, -0.5]}, "intercept": 0.1}

    # When scoring a sentence with both terms once, one with a term twice, and one with neither
    both, twice, neither = tfidf_logits(["Unemployment fell.", "fell, fell", "Thank you."], member)

    # Then it is the intercept plus the cosine-normalised dot product (tf = 1 + ln count)
    assert both == pytest.approx(0.1 + (2.0 * 1.0 + 1.0 * -0.5) / math.sqrt(2.0**2 + 1.0**2))
    assert twice == pytest.approx(0.1 - 0.5)
    assert neither == pytest.approx(0.1)


def test_claims_are_flagged_check_worthy_exactly_from_the_shipped_threshold() -> None:
    # Given the shipped threshold (chosen on the training transcripts' out-of-fold scores)
    from article_pipeline.analysis import analyze_raw
    from article_pipeline.claims.checkworthiness import check_worthy_threshold

    threshold = check_worthy_threshold()
    assert 0.0 < threshold < 1.0
    # When an article with a numeric claim and a greeting is analysed
    text = f"{GREETING} {CLAIM} {MONEY_CLAIM} Officials said the plan would be announced on Monday."
    claims = analyze_raw(text.encode(), filename="a.txt")["claims"]
    # Then every claim says whether it reaches the threshold, and unattributed sentences are listed only if they do
    assert claims and all(claim["check_worthy"] == (claim["score"] >= threshold) for claim in claims)
    assert all(claim["check_worthy"] for claim in claims if claim["kind"] == "assertion")
    assert any(claim["check_worthy"] for claim in claims)


def _parsed(sentences: list[str]) -> list[Parsed]:
    """Each sentence parsed alone by the pipeline's model, as the training script parses its sentences."""
    from article_pipeline.nlp import load_pipeline

    nlp = load_pipeline()
    return [parsed_span(doc, [(0, len(doc.text))]) for doc in nlp.pipe(sentences)]


def test_parsed_span_takes_the_tokens_and_tok2vec_rows_of_the_spans_only() -> None:
    # Given an article parse with two sentences
    from article_pipeline.nlp import load_pipeline

    doc = load_pipeline()(f"{GREETING} {CLAIM}")
    start = doc.text.index(CLAIM)

    # When taking the second sentence's span
    parsed = parsed_span(doc, [(start, len(doc.text))])

    # Then it holds that sentence's tokens, and a mean tok2vec row as wide as the shipped model expects
    assert parsed.tokens[0].text == "Unemployment" and parsed.tokens[-1].text == "."
    assert len(parsed.tensor_mean) == load_model()["dense"]["tensor_width"]


def test_parse_features_count_entities_tense_and_superlatives() -> None:
    # Given the parse of a statistic in the past tense / When featurising it
    names = parse_feature_names()
    features = dict(zip(names, parse_features(_parsed([CLAIM])[0].tokens), strict=True))

    # Then its percentage, date, past tense and superlative are seen, and it is not a question
    assert features["ent:PERCENT"] > 0 and features["ent:DATE"] > 0
    assert features["tag:VBD"] == 1.0 and features["tag:JJS"] == 1.0
    assert features["q_end"] == 0.0


def test_with_the_parse_statistics_outrank_greetings_questions_and_opinions() -> None:
    # Given a document scored with its parse (the analysis path)
    sentences = [GREETING, CLAIM, QUESTION, MONEY_CLAIM, OPINION]

    # When scoring it
    greeting, claim, question, money, opinion = checkworthiness(sentences, _parsed(sentences))

    # Then both claims rank above every non-claim
    assert min(claim, money) > max(greeting, question, opinion)


def test_mixed_score_is_the_calibrated_mix_of_both_members() -> None:
    # Given the shipped model and a parsed document
    sentences = [GREETING, CLAIM, MONEY_CLAIM]
    parses = _parsed(sentences)
    model = load_model()
    dense = model["dense"]
    a, b = model["calibration"]
    k_lexical, k_dense = dense["mix"]
    text_a, text_b = model["text_only_calibration"]

    # When scoring with and without the parse, and by hand from the JSON
    lexical = [math.log(p / (1 - p)) for p in checkworthiness(sentences)]
    lexical = [(z - text_b) / text_a for z in lexical]  # undo the text-only calibration: the sparse logit
    by_hand = []
    for z, parsed in zip(lexical, parses, strict=True):
        vector = dense_vector(parsed)
        d = dense["intercept"] + sum(w * x for w, x in zip(dense["weights"], vector, strict=True))
        by_hand.append(1.0 / (1.0 + math.exp(-(a * (k_lexical * z + k_dense * d) + b))))

    # Then the analysis path is exactly that mix
    assert checkworthiness(sentences, parses) == pytest.approx(by_hand, abs=1e-6)
