"""Properties that hold for any input bytes: no crash, offsets inside the text, JSON output."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import article_pipeline
from article_pipeline.errors import InputError

# Text-like bytes hit the interesting paths more often than uniform random bytes.
TEXTISH = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=1500).map(lambda s: s.encode("utf-8")),
    st.text(alphabet=st.sampled_from('abc XYZ.,"“”\n<>/p&;'), max_size=1500).map(str.encode),
    st.lists(
        st.sampled_from(["<p>", "</p>", "Trump said", " “We will win,” ", "Putin", ".", "\n\n", "<script>x</script>"]),
        max_size=60,
    ).map(lambda parts: "".join(parts).encode()),
)
FILENAMES = st.sampled_from([None, "a.txt", "a.html", "a.md", "a.json", "a.bin"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=TEXTISH, filename=FILENAMES)
def test_clean_never_raises_anything_but_an_input_error(raw, filename):
    try:
        cleaned = article_pipeline.clean_raw(raw, filename=filename)
    except InputError as exc:
        assert str(exc)
        return
    assert isinstance(cleaned["text"], str) and cleaned["text"].strip()
    json.dumps(cleaned)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=TEXTISH)
def test_analyze_offsets_are_inside_the_text_and_output_is_json(raw):
    try:
        document = article_pipeline.analyze_raw(raw, filename="x.txt")
    except InputError:
        return
    text = document["text"]
    json.dumps(document)
    for entity in document["entities"]:
        for mention in entity["mentions"]:
            assert 0 <= mention["start"] < mention["end"] <= len(text)
            assert text[mention["start"] : mention["end"]] == mention["text"]
    for claim in document["claims"]:
        for start, end in claim["content"]["spans"]:
            assert 0 <= start < end <= len(text)
        speaker = claim.get("speaker")
        if speaker and speaker.get("start") is not None:
            assert text[speaker["start"] : speaker["end"]] == speaker["text"]


# Words that take the block-shape shortcut, and characters that must push a block off it or that
# case-insensitive matching treats specially (long s, Kelvin sign, dotted and dotless i, sharp s).
SHAPE_TEXT = st.one_of(
    st.lists(
        st.sampled_from(["Home", "news", "WORLD", "the", "Ünïcode", "Straße", "İstanbul", "ſport"]), max_size=8
    ).map(" ".join),
    st.text(alphabet=st.sampled_from("aB ſ\u212aİıß\u0301\t\u00a0.:/@#1é中-"), max_size=60),
    st.text(max_size=80),
)


@settings(max_examples=400, deadline=None)
@given(text=SHAPE_TEXT)
def test_block_shape_shortcuts_agree_with_the_full_measurement(text):
    from article_pipeline.cleaning import features

    assert features.static_shape(text) == features.measured_shape(text.strip())
    assert features.static_shape(text, features.word_tokens(text)) == features.static_shape(text)
    if not features._may_hold_links(text):
        assert not features._LINKISH.search(text)


def _coverage_token_by_token(blocks: list[str], reference: str, n: int) -> list[float]:
    """shingle_coverage spelt out: a token is covered when some n-token run around it is in ``reference``."""
    from article_pipeline.cleaning.features import word_tokens

    ref_tokens = word_tokens(reference)
    ref = {tuple(ref_tokens[i : i + n]) for i in range(len(ref_tokens) - n + 1)}
    if 0 < len(ref_tokens) < n:
        ref.add(tuple(ref_tokens))
    per_block = [word_tokens(b) for b in blocks]
    toks = [t for bt in per_block for t in bt]
    hit = [tuple(toks[s : s + n]) in ref for s in range(len(toks) - n + 1)]
    covered = [any(hit[max(0, i - n + 1) : i + 1]) for i in range(len(toks))]
    if len(toks) < n and ref and tuple(toks) in ref:
        covered = [True] * len(toks)
    shares, offset = [], 0
    for bt in per_block:
        shares.append(sum(covered[offset : offset + len(bt)]) / len(bt) if bt else 0.0)
        offset += len(bt)
    return shares


WORDS = st.lists(st.sampled_from(["a", "b", "c", "x", "é", "7"]), max_size=5).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(
    blocks=st.lists(WORDS, max_size=6),
    reference=st.lists(st.sampled_from(["a", "b", "c"]), max_size=9).map(" ".join),
    n=st.integers(1, 5),
)
def test_shingle_coverage_counts_each_token_inside_a_shared_run(blocks, reference, n):
    from article_pipeline.cleaning.features import shingle_coverage, word_tokens

    expected = _coverage_token_by_token(blocks, reference, n)
    assert shingle_coverage(blocks, reference, n) == expected
    assert shingle_coverage(blocks, reference, n, tokens=[word_tokens(b) for b in blocks]) == expected


LINKISH_TEXT = st.lists(
    st.sampled_from(
        ["see", "HTTPS://", "www.", "WWW.", "x.COM", ".org", "@bob", "#tag", "page.aſp", "a.HTM", ".php", " "]
    ),
    max_size=6,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=LINKISH_TEXT)
def test_link_markers_are_found_whenever_the_link_pattern_matches(text):
    from article_pipeline.cleaning import features

    if features._LINKISH.search(text):
        assert features._may_hold_links(text)
