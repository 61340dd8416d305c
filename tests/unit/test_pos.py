"""RulePos gives exactly the coarse POS tags of the model's attribute ruler, for a fraction of its cost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from article_pipeline import pos

POLNEAR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "quotes" / "polnear-train.jsonl"
TEXTS = [
    "There is no plan, but officials said there were talks. Did she have a choice? She did, and she has one now.",
    "“We will not accept this,” Merkel told reporters in Berlin on Monday, adding that the deal was dead.",
    "The U.S. Senate's vote -- 51 to 49 -- came after Sen. Mitch McConnell's speech at 3 p.m.\n\nWhich bill?",
    "Prices rose 5.1% in March, the Federal Statistical Office said. That is what they expected, isn't it?",
    "Those who had been waiting since dawn were told to come back tomorrow; few of them ever did so again.",
]


@pytest.fixture(scope="module")
def pipelines():
    spacy = pytest.importorskip("spacy")
    from article_pipeline.nlp import load_pipeline, model_name, with_tokenizer_cases

    try:
        # the same tokens as ours, so only the tagging differs between the two
        reference = with_tokenizer_cases(spacy.load(model_name(), exclude=["lemmatizer"]))
    except OSError:
        pytest.skip("no spaCy English model installed")
    return reference, load_pipeline()


def test_the_attribute_ruler_is_replaced(pipelines):
    reference, ours = pipelines
    assert "attribute_ruler" in reference.pipe_names
    assert pos.FACTORY in ours.pipe_names and "attribute_ruler" not in ours.pipe_names
    assert ours.pipe_names.index(pos.FACTORY) < ours.pipe_names.index("ner")


def test_same_pos_tags_as_the_attribute_ruler(pipelines):
    reference, ours = pipelines
    texts = list(TEXTS)
    if POLNEAR.is_file():
        with POLNEAR.open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line, _ in zip(handle, range(5), strict=False)]
    else:
        print("../shared/corpus/quotes is missing: comparing on the built-in sentences only")
    compared = 0
    for text in texts:
        expected = [(t.text, t.pos_) for t in reference(text)]
        got = [(t.text, t.pos_) for t in ours(text)]
        assert got == expected
        compared += len(got)
    assert compared > 100


def test_patterns_it_cannot_compile_keep_the_ruler(pipelines):
    _, ours = pipelines
    unsupported = [{"patterns": [[{"LIKE_NUM": True}]], "attrs": {"POS": "NUM"}}]
    assert pos.compile_rules(unsupported, ours.vocab) is None
    regex_ok = [{"patterns": [[{"LOWER": {"REGEX": "^x+$"}, "TAG": {"IN": ["NN", "NNP"]}}]], "attrs": {"POS": "X"}}]
    rules = pos.compile_rules(regex_ok, ours.vocab)
    assert rules is not None and len(rules) == 1


def test_later_patterns_win_and_neighbours_count(pipelines):
    _, ours = pipelines
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"TAG": "NN", "LOWER": "plan"}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"LOWER": "no"}, {"LOWER": "plan"}]], "attrs": {"POS": "PROPN"}, "index": 1},
    ]
    rule_pos = pos.RulePos(pos.compile_rules(patterns, ours.vocab))
    doc = ours.make_doc("a plan and no plan and a dog")
    doc = ours.get_pipe("tagger")(ours.get_pipe("tok2vec")(doc))
    tags = {t.text: t.tag_ for t in doc}
    if tags.get("plan") != "NN" or tags.get("dog") != "NN":
        pytest.skip(f"the tagger tagged the test sentence unexpectedly: {tags}")
    rule_pos(doc)
    assert [t.pos_ for t in doc if t.text in {"plan", "dog"}] == ["X", "PROPN", "NOUN"]


def test_patterns_read_from_the_model_files_are_the_ruler_s(pipelines):
    reference, ours = pipelines
    assert pos.saved_patterns(ours.path) == reference.get_pipe("attribute_ruler").patterns
    assert pos.saved_patterns(None) is None
    assert "senter" not in ours.component_names  # off by default; not even loaded


def test_no_saved_patterns_where_the_model_has_none(tmp_path):
    assert pos.saved_patterns(tmp_path) is None


def test_models_multiply_matrices_with_numpy_not_blis(pipelines):
    _, ours = pipelines
    for name in ("tok2vec", "ner"):
        assert getattr(ours.get_pipe(name).model.ops, "use_blis", True) is False
