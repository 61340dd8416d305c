"""Attributed statements (who said what) from a parsed article: direct, mixed and reported speech.

Rules over the dependency parse spaCy already produced, so the cost is one pass over the tokens:
cue words (speech, cognition and evaluation verbs, "according to", claim nouns) give the speaker
(their subject) and the content (their clausal complement or object); quotation-mark regions are
then attached to the nearest cue before or after them, continued across interruptions
("…,” he said, “…") and paragraphs, and speakers written as pronouns or descriptions are resolved
to an earlier name mention.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from article_pipeline.claims import boundaries
from article_pipeline.claims.cue_lexicon import (
    COGNITION_FORMS,
    EVALUATION_FORMS,
    HEARSAY_ADVERBS,
    LEADER_ROLES,
    LEARNED_FORMS,
    LEARNED_NOUN_PREPS,
    LEARNED_PREPS,
    NO_CLAUSE_CONTENT,
    NO_OBJECT_CONTENT,
    NO_XCOMP_CONTENT,
    NOUN_CUES,
    POLL_NOUNS,
    PREP_CUES,
    PREP_FORMS,
    RAISING_VERBS,
    REPORT_NOUNS,
    ROLE_NOUNS,
    SPEAKING_GROUPS,
    SPEECH_FORMS,
    VOUCHING_VERBS,
)
from article_pipeline.claims.quote_marks import QuoteRegion, find_quote_regions, quote_mask_for_tokens
from article_pipeline.claims.speakers import Mention, SpeakerResolver
from article_pipeline.claims.turns import (
    ANSWER_LABELS,
    Turn,
    find_turns,
    interviewee,
    name_ends,
    named,
    sentence_bounds,
    turn_sentences,
)
from article_pipeline.cleaning.transcript import names_nobody
from article_pipeline.nlp import TITLES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Attribution", "extract_attributions"]

MIN_QUOTE_WORDS = 4  # shorter quoted passages are scare quotes or titles, not statements
SUBJECT_DEPS = ("nsubj",)
RELATIVE_WORDS = {"who", "that", "which", "whom"}
RELATIVE_OBJECTS = RELATIVE_WORDS | {"what"}  # a relative word that can be what a cue reports
ANSWER_WORDS = {"yes", "no", "same", "opposite"}
VIEW_NOUNS = {"view", "opinion", "eyes", "estimation", "judgment", "judgement", "mind"}  # "in her view, …"
SENTENCE_END = {".", "!", "?"}
SPEAKING_PRONOUNS = {"i", "we", "you", "he", "she", "they", "who"}
FIRST_PERSON = {"i", "me", "we", "us"}
QUOTED_AS = {"quoted", "cited"}  # "Braynard is quoted as saying": the passive subject is the speaker
PARAGRAPH_FOLLOW_UP = True  # a cue-less quote opening the next paragraph continues the last speaker
NESTED = False  # statements reported inside quotations ("“He said he would win,” she recalled")
REPORTED_DEPS = ("ccomp", "xcomp")  # a cue in these clauses of another cue is part of its statement


@dataclass
class Attribution:
    """One attributed statement. Offsets index ``doc.text``; see the module docstring."""

    kind: str
    quoted: str
    content_spans: list[tuple[int, int]]
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_ref: tuple[int, int] | None
    # Reported inside another statement's content ("Trump said the Russian leader *congratulated*
    # him"): kept, and marked, since corpora such as PolNeAR annotate only the outer statement.
    nested: bool = False
    turn: bool = False  # a sentence of a transcript's turn: the speaker is the turn's label ("CLINTON:")
    turn_speaker: str | None = None  # the label of the turn whose speaker this statement's speaker is

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Candidate:
    """Working state for one attribution while quotes are being attached."""

    cue_tokens: list[int]
    speaker_head: int | None
    spans: list[tuple[int, int]] = field(default_factory=list)
    regions: set[int] = field(default_factory=set)
    quote_based: bool = False  # the content came from quotation marks next to the cue
    container: int = -1  # the quotation region the cue itself stands in (nested statements)
    subordinate: bool = False  # the cue is part of something else: another cue's clause, an intention


class _Article:
    """Per-document indexes shared by the extraction steps."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.regions: list[QuoteRegion] = find_quote_regions(self.text)
        self.region_of: list[int] = quote_mask_for_tokens(self.regions, [t.idx for t in doc])
        self.para_of: list[int] = []
        para = 0
        for tok in doc:
            self.para_of.append(para)
            if tok.is_space and "\n" in tok.text:
                para += tok.text.count("\n")
        self.region_tokens: dict[int, tuple[int, int]] = {}
        self.by_cue: dict[int, _Candidate] = {}
        # cue verbs whose statement an outer verb took over ("declined to *say* who …")
        self.absorbed: set[int] = set()
        for tok in doc:
            k = self.region_of[tok.i]
            if k >= 0:
                first, _ = self.region_tokens.get(k, (tok.i, tok.i))
                self.region_tokens[k] = (first, tok.i)

    @functools.cached_property
    def name_words(self) -> dict[str, list[tuple[int, int]]]:
        """Each word of a person's or organisation's name, lower-cased, with the names (token ranges) it is in."""
        words: dict[str, list[tuple[int, int]]] = {}
        for ent in self.doc.ents:
            if ent.label_ in ("PERSON", "ORG"):
                for tok in ent:
                    words.setdefault(tok.lower_, []).append((ent.start, ent.end))
        return words

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        return self.doc[first].idx, self.doc[last].idx + len(self.doc[last])

    def trimmed(self, first: int, last: int) -> tuple[int, int] | None:
        """Token range without edge punctuation/space, clipped to ``first``'s paragraph, as chars."""
        doc = self.doc
        para = self.para_of[first]
        while first <= last and (doc[first].is_punct or doc[first].is_space):
            first += 1
        if first > last:
            return None
        para = self.para_of[first]
        end = first
        while end + 1 <= last and self.para_of[end + 1] == para:
            end += 1
        last = end
        while last >= first and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        if last < first:
            return None
        start, stop = self.char_span(first, last)
        return start, self._balanced_end(start, stop)

    def _balanced_end(self, start: int, stop: int) -> int:
        """Extend past ``.”`` when the span opened a quotation it would otherwise cut off."""
        k = self.region_at(start, stop)
        if k is None:
            return stop
        region = self.regions[k]
        if region.closed and region.start >= start and stop < region.end <= stop + 3:
            return region.end
        return stop

    def region_at(self, start: int, stop: int) -> int | None:
        """The last quotation region that opens inside ``[start, stop)``."""
        found = None
        for k, region in enumerate(self.regions):
            if region.start >= stop:
                break
            if region.start >= start:
                found = k
        return found

    def region_words(self, k: int) -> int:
        region = self.regions[k]
        words = self.text[region.start : region.end].split()
        return sum(1 for word in words if any(c.isalpha() for c in word))


def extract_attributions(doc: Doc, learned_edges: bool = True) -> list[Attribution]:
    """Every attributed statement of ``doc`` (parsed with tagger, parser and ner), in text order.

    ``learned_edges``: move the edges of statements not wholly quoted where ``boundaries``' learned
    model says (off only to train that model)."""
    art = _Article(doc)
    edges = boundaries.shipped_model() if learned_edges else None
    candidates = _cue_candidates(art)
    _attach_quotes(art, candidates)
    resolver = SpeakerResolver(doc)
    out: list[Attribution] = []
    previous: Mention | None = None
    found = [c for c in candidates if c.spans]
    _split_coordinated_cues(art, found)
    # A cue inside another's reported clause or content ("Aides said he believes …") is part of that
    # statement, unless it is a quotation of its own.
    inside_other = _inside_other_statement(art, found)
    for cand in sorted(found, key=lambda c: c.spans[0][0]):
        attribution, previous = _finish(art, resolver, cand, previous)
        # A quotation is its speaker's own statement; words partly quoted inside another's report are
        # not, nor is a quotation whose cue stands in another's reported clause ("… but wants to “…”").
        own_quote = cand.quote_based or (
            attribution.quoted == "full" and not _introduced_inside(attribution, inside_other[id(cand)])
        )
        attribution.nested = not own_quote and (cand.subordinate or inside_other[id(cand)])
        _add_lead_in(art, attribution)
        if edges is not None and attribution.quoted != "full" and len(attribution.content_spans) == 1:
            context = boundaries.content_context(attribution.kind, attribution.quoted)
            cue = _cue_offsets(attribution)
            span = boundaries.adjusted_span(doc, attribution.content_spans[0], context, edges, cue)
            attribution.content_spans = [span]
        if not cand.regions and _hollow(doc, attribution.content_spans):
            continue  # "congratulated him", "appears: He also noted": no statement to attribute
        out.append(attribution)
    out = _without_inverted(doc, out)
    _unnest_orphans(out)
    return _with_turns(art, out)


def _with_turns(art: _Article, found: list[Attribution]) -> list[Attribution]:
    """In a transcript, each sentence of a named speaker's turn is theirs (see ``turns``).

    The rules' reading of a whole turn as "Name: …" gives way to it, a label is never a speaker of
    the rules' own statements, and what a turn reports is nested in it.
    """
    turns = find_turns(art.text)
    if not turns:
        return found
    colons = {turn.colon for turn in turns}
    labels = [(turn.label_start, turn.label_end) for turn in turns]
    names = name_ends(art.doc)
    answerer = interviewee(art.doc, turns)

    def speaker_of(turn: Turn) -> tuple[int, int] | None:
        """Where the turn's speaker is named: its label, or for an interview's answers the interviewee."""
        if answerer is not None and turn.label.upper() in ANSWER_LABELS:
            return answerer
        return (turn.label_start, turn.label_end) if named(turn, names) else None

    bodies = [(turn.body[0][0], turn.body[-1][1], turn, ref) for turn in turns if (ref := speaker_of(turn))]
    out = []
    for attribution in found:
        if attribution.cue_start in colons:
            continue
        first, last = attribution.speaker_start, attribution.speaker_end
        if first is not None and last is not None and any(s < last and first < e for s, e in labels):
            continue
        cue = attribution.cue_start
        speaker = next((ref for s, e, _, ref in bodies if cue is not None and s <= cue < e), None)
        if speaker is not None:  # reported inside a turn
            attribution.nested = True
            if (attribution.speaker or "").lower() in FIRST_PERSON:
                # "I think …", "we believe …" in a turn: said by the turn's speaker, not the last name before it
                attribution.speaker_ref = speaker
                attribution.turn_speaker = art.text[speaker[0] : speaker[1]]
        out.append(attribution)
    sentences = sentence_bounds(art.doc)
    for _, _, turn, ref in bodies:
        label = art.text[turn.label_start : turn.label_end]
        out.extend(
            Attribution(
                kind="direct_quote",
                quoted="none",
                content_spans=[sentence],
                cue=":",
                cue_start=turn.colon,
                cue_end=turn.colon + 1,
                speaker=label,
                speaker_start=turn.label_start,
                speaker_end=turn.label_end,
                speaker_ref=ref,
                turn=True,
                turn_speaker=art.text[ref[0] : ref[1]],
            )
            for sentence in turn_sentences(art.text, turn, sentences)
        )
    return sorted(out, key=lambda a: a.content_spans[0][0])


def _without_inverted(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "Hillary Clinton says rival Bernie Sanders *accepted* …", "Residents told the newspaper they
    had not been *warned*": parsed with the reported verb as root, the real speaker and cue hang before
    it as if they were what that verb reports. A nested statement whose content, before its own cue,
    ends on another statement's cue, or holds the cue of a statement whose content follows and holds
    this cue, is that misparse."""

    def holds(a: Attribution, at: int | None) -> bool:
        return at is not None and any(s <= at < e for s, e in a.content_spans)

    def reports_it(attribution: Attribution, last_word: int, other: Attribution) -> bool:
        if other is attribution or other.cue_start is None or other.cue_end is None:
            return False
        if other.cue_start <= last_word < other.cue_end:
            return True  # "… Sanders says" | "release"
        return (
            holds(attribution, other.cue_start)
            and holds(other, attribution.cue_start)
            and other.content_spans[0][0] >= attribution.content_spans[-1][1]
        )

    kept = []
    for attribution in found:
        start = attribution.cue_start
        if attribution.nested and start is not None and attribution.content_spans[-1][1] <= start:
            span = doc.char_span(*attribution.content_spans[-1], alignment_mode="expand")
            words = [t.idx for t in span or () if not (t.is_punct or t.is_space)]
            if words and any(reports_it(attribution, words[-1], other) for other in found):
                continue
        kept.append(attribution)
    return kept


def _add_lead_in(art: _Article, attribution: Attribution) -> None:
    """ "But, she added, “I think …”", "The reality is, he said, …": the words before a speaker and cue
    set off by commas mid-sentence open the statement the cue interrupts."""
    if attribution.speaker_start is None or attribution.cue_start is None or attribution.cue_end is None:
        return
    doc = art.doc
    phrase = doc.char_span(
        min(attribution.speaker_start, attribution.cue_start),
        max(attribution.speaker_end or 0, attribution.cue_end),
        alignment_mode="expand",
    )
    if phrase is None or phrase.start < 2 or phrase.end >= len(doc):
        return
    before, after = doc[phrase.start - 1], doc[phrase.end]
    sent = doc[phrase.start].sent
    first = sent.start
    while first < before.i and (doc[first].is_punct or doc[first].is_space):
        first += 1
    if before.text != "," or after.text != "," or first >= before.i:
        return
    if any(start < doc[after.i].idx for start, _ in attribution.content_spans):
        return  # the content does not (only) follow the interruption
    if any(art.region_of[i] >= 0 for i in range(first, before.i)):
        return
    if not (_connective(doc[first : before.i]) or _subject_of_rest(doc[first : before.i], doc, after.i + 1)):
        return
    lead = art.trimmed(first, before.i - 1)
    if lead is not None:
        attribution.content_spans = [lead, *attribution.content_spans]


def _connective(words: Span) -> bool:
    """ "But", "Still", "Of course": a connective that opens the interrupted statement."""
    if len(words) > 3 or words[0].pos_ not in ("CCONJ", "ADV"):
        return False
    return all(t.pos_ in ("CCONJ", "ADV", "ADP", "ADJ") or t.is_punct for t in words)


def _subject_of_rest(words: Span, doc: Doc, rest: int) -> bool:
    """ "Loyalty, she said, has long been …": a noun phrase whose verb follows the interruption."""
    while rest < len(doc) and (doc[rest].is_punct or doc[rest].is_space):
        rest += 1
    if rest >= len(doc) or doc[rest].pos_ not in ("VERB", "AUX"):
        return False
    verb = doc[rest] if doc[rest].pos_ == "VERB" or doc[rest].dep_ not in ("aux", "auxpass") else doc[rest].head
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i > words.end for c in verb.children):
        return False
    return words.root.pos_ in ("NOUN", "PROPN", "PRON") and not any(t.pos_ == "VERB" for t in words)


def _unnest_orphans(found: list[Attribution]) -> None:
    """A statement is nested only inside one that is kept: when the outer one was dropped or its
    content ends before the inner cue, the inner statement stands on its own."""
    spans = [s for a in found if not a.nested for s in a.content_spans]
    for attribution in found:
        at = attribution.cue_start
        if attribution.nested and at is not None and not any(s <= at < e for s, e in spans):
            attribution.nested = False


def _introduced_inside(attribution: Attribution, cue_inside_other: bool) -> bool:
    """The cue stands in another statement's content and comes before its own content."""
    cue_start = attribution.cue_start
    return cue_inside_other and cue_start is not None and cue_start < attribution.content_spans[0][0]


def _cue_offsets(attribution: Attribution) -> tuple[int, int] | None:
    if attribution.cue_start is None or attribution.cue_end is None:
        return None
    return attribution.cue_start, attribution.cue_end


_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
_CUE_FORMS = frozenset(SPEECH_FORMS) | frozenset(COGNITION_FORMS) | frozenset(EVALUATION_FORMS)


def _hollow(doc: Doc, spans: list[tuple[int, int]]) -> bool:
    """Content with no word of its own: only pronouns, adverbs, function words and cue verbs, and no
    clause ("congratulated *him*", "appears: *He also noted*"; but "said *she supported it*" and
    "said *it would not*" are statements)."""
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        for token in span:
            if token.pos_ in _CONTENT_POS and not (token.pos_ == "VERB" and token.lower_ in _CUE_FORMS):
                return False
            if _clause_head(token, span):
                return False
    return True


_CLAUSE_ARGUMENTS = frozenset({"dobj", "ccomp", "xcomp", "attr", "acomp", "neg", "prep"})


def _clause_head(token: Token, span: Span) -> bool:
    """A verb with its own subject in ``span``, and, for a cue verb, something said of it ("she
    supported *it*"; "he noted" alone is a cue without its statement)."""
    if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("aux", "auxpass"):
        return False
    inside = [c for c in token.children if span.start <= c.i < span.end]
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in inside):
        return False
    return token.lower_ not in _CUE_FORMS or any(c.dep_ in _CLAUSE_ARGUMENTS for c in inside)


_FINITE_TAGS = ("VBD", "VBZ", "VBP")


def _split_coordinated_cues(art: _Article, found: list[_Candidate]) -> None:
    """ "Osei said the increase was not enough *and predicted* that …": the parser often hangs a second
    cue of the same speaker on the first one's content verb. When that verb is not a cue itself, or the
    second cue is finite ("said she regretted her remarks *and promised* to …", not "wanted to write
    … and show"), the first statement ends before the coordination and the second has the first one's
    speaker."""
    doc = art.doc
    for inner in found:
        tok = doc[inner.cue_tokens[0]]
        head = tok.head
        if _second_complement_cue(art, tok) and head.i in art.by_cue and art.by_cue[head.i] in found:
            # "said the strike had cost … *and warned* that …", parsed as two clauses of "said"
            clause_of = art.by_cue[head.i]
            _cut_before(art, clause_of, tok.left_edge.i - 1, head.i)
            inner.speaker_head = clause_of.speaker_head
            inner.subordinate = False
            continue
        if _trailing_participle_cue(art, tok):
            # "The White House said it would veto the bill, *arguing* that …": the speaker's second point
            around = _statement_around(found, inner, tok)
            if around is not None and not around.quote_based and around.speaker_head is not None:
                _cut_before(art, around, tok.left_edge.i - 1, around.cue_tokens[0])
                inner.speaker_head = around.speaker_head
                inner.subordinate = False
            continue
        if _next_speakers_cue(art, tok):
            # "Smith said the plan would fail *and Jones said* it would work": two speakers, two statements
            around = _statement_around(found, inner, tok)
            if around is not None and not around.quote_based:
                _cut_before(art, around, tok.left_edge.i - 1, around.cue_tokens[0])
                inner.subordinate = False
            continue
        if (
            tok.dep_ != "conj"
            or tok.pos_ != "VERB"
            or tok.lower_ not in SPEECH_FORMS
            or inner.quote_based
            or head.pos_ not in ("VERB", "AUX", "ADJ")
            or (_verb_base(head.lower_) is not None and tok.tag_ not in _FINITE_TAGS)
            or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children)
        ):
            continue
        outer = next(
            (
                o
                for o in found
                if o is not inner
                and o.cue_tokens[0] < head.i
                and any(s <= head.idx < e for s, e in o.spans)
                and any(s <= tok.idx < e for s, e in o.spans)
            ),
            None,
        )
        if outer is None or outer.quote_based:
            continue
        cut = min([tok.left_edge.i] + [c.i for c in head.children if c.dep_ == "cc" and c.i < tok.i and c.i > head.i])
        _cut_before(art, outer, cut, head.i)
        inner.speaker_head = outer.speaker_head
        inner.subordinate = False


def _second_complement_cue(art: _Article, tok: Token) -> bool:
    """A subject-less speech verb after "and" that the parse made a second clause of the cue before it."""
    doc = art.doc
    before = tok.left_edge.i - 1
    return (
        tok.dep_ == "ccomp"
        and tok.pos_ == "VERB"
        and tok.lower_ in SPEECH_FORMS
        and tok.head.i < tok.i
        and _verb_base(tok.head.lower_) is not None
        and before > tok.head.i
        and doc[before].dep_ == "cc"
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children)
    )


def _next_speakers_cue(art: _Article, tok: Token) -> bool:
    """A speech verb with its own subject, after "and", "but" or "though", that the parse hung on the cue
    before it or on that cue's content."""
    doc = art.doc
    before = tok.left_edge.i - 1
    marks = [c.lower_ for c in tok.children if c.dep_ == "mark"]
    if tok.dep_ == "advcl":
        # "… could bring flooding, *though they said* evacuations were not yet necessary"
        linked = bool(marks) and marks[0] in _CONTRAST_MARKS
    else:
        # not "… but that if Mr. Obama opted to …"
        linked = tok.dep_ in ("ccomp", "conj") and before > tok.head.i and doc[before].dep_ == "cc" and not marks
    return (
        linked
        and tok.pos_ == "VERB"
        and tok.lower_ in SPEECH_FORMS
        and tok.head.i < tok.i
        and tok.tag_ in _FINITE_TAGS
        and any(c.dep_ == "nsubj" and c.i < tok.i for c in tok.children)
    )


def _statement_around(found: list[_Candidate], inner: _Candidate, tok: Token) -> _Candidate | None:
    """The statement whose content holds ``tok``, the cue of ``inner``, after its own cue."""
    return next(
        (o for o in found if o is not inner and o.cue_tokens[0] < tok.i and any(s <= tok.idx < e for s, e in o.spans)),
        None,
    )


def _trailing_participle_cue(art: _Article, tok: Token) -> bool:
    """A speech verb's participle after a comma, with no subject of its own, hung on a statement's content."""
    doc = art.doc
    before = tok.left_edge.i - 1
    return (
        tok.dep_ == "advcl"
        and tok.tag_ == "VBG"
        and tok.lower_ in SPEECH_FORMS
        and tok.left_edge.i == tok.i
        and before > 0
        and doc[before].text == ","
        and tok.head.i < tok.i
        and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in tok.children)
    )


_CONTRAST_MARKS = frozenset({"though", "although", "while", "whereas"})


def _cut_before(art: _Article, cand: _Candidate, cut: int, floor: int) -> None:
    """End ``cand``'s content before token ``cut`` (and the punctuation before it)."""
    doc = art.doc
    last = cut - 1
    at = doc[last].idx
    content = next((doc.char_span(s, e, alignment_mode="expand") for s, e in cand.spans if s <= at < e), None)
    while last > floor and (doc[last].is_punct or doc[last].is_space) and not _closes_quote(content, last):
        last -= 1
    end = doc[last].idx + len(doc[last])
    cand.spans = [(s, min(e, end)) for s, e in cand.spans if s < end]


def _closes_quote(content: Span | None, last: int) -> bool:
    """Token ``last`` closes a quotation opened inside ``content``: a statement cut after it keeps it."""
    if content is None or not content.doc[last].is_quote or content.doc[last].tag_ != "''":
        return False
    return any(t.is_quote and t.tag_ == "``" for t in content.doc[content.start : last])


def _inside_other_statement(art: _Article, found: list[_Candidate]) -> dict[int, bool]:
    """Per candidate (by id): its cue stands inside another statement's content, and that statement's
    cue is not inside its own ("described Sanders as focused on the economy": "focused on" is part of
    what was described). One sorted pass over the spans, so a long article stays linear-ish."""
    cue_at = [art.doc[c.cue_tokens[0]].idx for c in found]
    spans = sorted((s, e, i) for i, c in enumerate(found) for s, e in c.spans)
    starts = [s for s, _, _ in spans]
    longest = max((e - s for s, e, _ in spans), default=0)

    def containing(at: int) -> set[int]:
        """Candidates one of whose spans contains offset ``at``."""
        out = set()
        j = bisect.bisect_right(starts, at) - 1
        while j >= 0 and starts[j] >= at - longest:
            if spans[j][1] > at:
                out.add(spans[j][2])
            j -= 1
        return out

    holders = [containing(at) for at in cue_at]
    return {id(cand): any(o != i and i not in holders[o] for o in holders[i]) for i, cand in enumerate(found)}


# ---------------------------------------------------------------------------------------------
# cues and their grammatical content


def _cue_candidates(art: _Article) -> list[_Candidate]:
    out: list[_Candidate] = []
    for tok in art.doc:
        container = art.region_of[tok.i]
        if container >= 0 and not NESTED:
            continue
        cand = _candidate_for(art, tok)
        if cand is not None:
            cand.container = container
            cand.subordinate = _reported_inside_another(art, tok) or _intended(tok)
            out.append(cand)
    return [c for c in out if c.cue_tokens[0] not in art.absorbed]


def _reported_inside_another(art: _Article, tok: Token) -> bool:
    """A cue in the reported clause of another cue outside quotation marks ("Aides said he
    *believes* …"): the statement is the outer one's content, not a second attribution."""
    head = tok.head
    return (
        tok.dep_ in REPORTED_DEPS
        and head.i != tok.i
        and head.pos_ == "VERB"
        and art.region_of[head.i] < 0
        and _verb_base(head.lower_) is not None
    )


def _intended(tok: Token) -> bool:
    """An infinitive modifying a noun ("his decision *to endorse* Trump"): an intention, not a statement."""
    return tok.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _candidate_for(art: _Article, tok: Token) -> _Candidate | None:
    lower = tok.lower_
    if lower == "according" and tok.i + 1 < len(art.doc) and art.doc[tok.i + 1].lower_ == "to":
        return _according_to(art, tok)
    if tok.text == ":":
        return _name_colon(art, tok)
    base = _verb_base(lower) if tok.pos_ == "VERB" else None
    if base in NO_XCOMP_CONTENT and any(c.dep_ == "xcomp" for c in tok.children):
        return None  # "arguments continue to focus on …": an aspect of another verb, not speech
    if base in RAISING_VERBS and tok.pos_ == "VERB":
        raised = _raising_cue(art, tok)
        if raised is not None:
            return raised
    if tok.pos_ == "VERB" and (base or lower in LEARNED_PREPS):
        speaker = _speaker_head(art, tok)
        if (not base or lower in LEARNED_FORMS) and not _can_speak(art, speaker):
            return None  # "the summit could mark a turning point": a learned cue needs a speaker
        cand = _verb_cue(art, tok, speaker, prep_only=not base)
        return cand if cand.spans or base else None
    if lower in ("put", "puts") and tok.pos_ == "VERB":
        return _as_one_put_it(art, tok)
    if lower in HEARSAY_ADVERBS and tok.dep_ == "advmod" and tok.head.pos_ in ("VERB", "AUX"):
        # "The group is reportedly spending $1.5 million": unnamed sources say the clause, minus the adverb
        spans = _without(art, tok.head, tok) if art.region_of[tok.i] < 0 else []
        return _Candidate([tok.i], None, spans) if spans else None
    if tok.pos_ == "NOUN" and lower in NOUN_CUES:
        claim_noun = _noun_cue(art, tok)
        if claim_noun is not None:
            return claim_noun
    if tok.pos_ == "NOUN" and lower in LEARNED_NOUN_PREPS:
        return _noun_prep_cue(art, tok)
    if tok.dep_ == "prep" and lower == "in":
        return _view_phrase(art, tok) or _poll_phrase(art, tok)
    return None


def _raising_cue(art: _Article, tok: Token) -> _Candidate | None:
    """ "Ben Carson appears to be slipping", "Washington seems weak": the subject says nothing; how it
    appears (to the writer) is the statement, subject and complement together, with no speaker."""
    subject = next((c for c in tok.children if c.dep_ == "nsubj" and art.region_of[c.i] < 0), None)
    if subject is not None and subject.lower_ == "it" and subject.i < tok.i:
        # "It appears that the game was not boring to everyone": the clause is what appears
        clause = next((c for c in tok.children if c.dep_ in ("ccomp", "advcl") and c.i > tok.i and _has_mark(c)), None)
        span = art.trimmed(clause.left_edge.i, clause.right_edge.i) if clause is not None else None
        return _Candidate([tok.i], None, [span]) if span is not None else None
    complement = next((c for c in tok.children if c.dep_ in ("xcomp", "acomp", "oprd") and c.i > tok.i), None)
    if subject is None or complement is None or subject.i > tok.i:
        return None
    pieces = (subject, complement)
    spans = [span for p in pieces if (span := art.trimmed(p.left_edge.i, p.right_edge.i)) is not None]
    return _Candidate([tok.i], None, spans) if len(spans) == 2 else None


def _has_mark(clause: Token) -> bool:
    """A clause opened by "that", "like" or "if" ("it seems *like* …"), not a bare adverbial one."""
    return any(c.dep_ == "mark" and c.lower_ in ("that", "like", "if") for c in clause.children)


def _view_phrase(art: _Article, prep: Token) -> _Candidate | None:
    """ "In their view, Democrats could pick off …", "who, in the eyes of most voters, have …": the clause
    the phrase hangs on is the holder's view, like "according to"; the holder is the possessor or the
    "of" phrase."""
    noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if noun is None or noun.lower_ not in VIEW_NOUNS or art.region_of[prep.i] >= 0:
        return None
    holder = next((c for c in noun.children if c.dep_ == "poss"), None)
    if holder is None:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        holder = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    clause = _verb_above(prep)
    if holder is None or clause.pos_ not in ("VERB", "AUX") or _verb_base(clause.lower_) is not None:
        return None
    spans = _clause_around(art, clause, prep)
    if not spans:
        return None
    return _Candidate([prep.i, noun.i], holder.i, spans)


def _poll_phrase(art: _Article, prep: Token) -> _Candidate | None:
    """ "In a CNN poll, Clinton led by 24 points": a fronted poll, set off by a comma, reports the rest
    of its sentence (unless the sentence has a cue verb of its own: "In a survey, voters said …")."""
    source = next((c for c in prep.children if c.dep_ == "pobj"), None)
    sent = prep.sent
    if source is None or not POLL_NOUNS.intersection(_singulars(source.lower_)):
        return None
    if art.region_of[prep.i] >= 0:
        return None
    if prep.i != _first_word(sent):
        return _postposed_poll(art, prep, source)
    comma = source.right_edge.i + 1
    if comma >= sent.end or art.doc[comma].text != ",":
        return None
    root = sent.root
    if root.pos_ not in ("VERB", "AUX") or _verb_base(root.lower_) is not None:
        return None
    span = art.trimmed(comma + 1, sent.end - 1)
    if span is None or len(art.text[span[0] : span[1]].split()) < MIN_QUOTE_WORDS:
        return None
    return _Candidate([prep.i], source.i, [span])


def _postposed_poll(art: _Article, prep: Token, source: Token) -> _Candidate | None:
    """ "Trump has a decisive lead in the polls", "he fell to 10 percent in the latest CNN poll": the
    clause the poll phrase hangs on is what the poll reports (a clause with a cue of its own is left
    to its cue: "voters in the poll said …")."""
    clause = _verb_above(prep)
    if clause.pos_ not in ("VERB", "AUX") or _verb_base(clause.lower_) is not None:
        return None
    if clause.dep_ not in ("ROOT", "conj") or not any(c.dep_ in SUBJECT_DEPS for c in clause.children):
        return None  # a statement of its own, not "who leads Trump", "to lead", "depending on"
    if prep.head.i != clause.i and prep.head.dep_ in SUBJECT_DEPS:
        return None  # "Respondents in the poll were …": the poll qualifies who, not what
    if any(_verb_base(t.lower_) for t in clause.subtree if t.pos_ == "VERB" and t.i != clause.i):
        return None
    spans = _clause_around(art, clause, prep)
    if not spans:
        return None
    return _Candidate([prep.i], source.i, spans)


def _verb_above(tok: Token) -> Token:
    """The verb of the clause a phrase hangs on (the root when there is none)."""
    clause = tok.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    return clause


def _clause_around(art: _Article, clause: Token, phrase: Token) -> list[tuple[int, int]]:
    """``clause`` without the attributing ``phrase`` ("in the polls", "in her view"), within the
    phrase's paragraph; nothing when what is left is shorter than a statement."""
    spans = [(s, e) for s, e in _without(art, clause, phrase) if art.para_of[phrase.i] == art.para_of[clause.i]]
    return spans if sum(len(art.text[s:e].split()) for s, e in spans) >= MIN_QUOTE_WORDS else []


def _first_word(sent: Span) -> int:
    i = sent.start
    while i < sent.end - 1 and (sent.doc[i].is_space or sent.doc[i].is_punct):
        i += 1
    return i


def _can_speak(art: _Article, head: int | None) -> bool:
    """A subject that can hold a view: a name, a personal pronoun, or a person's role."""
    if head is None:
        return False
    tok = art.doc[head]
    return (
        tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or tok.lower_ in SPEAKING_PRONOUNS
        or any(word in ROLE_NOUNS or word in LEADER_ROLES or word in SPEAKING_GROUPS for word in _singulars(tok.lower_))
    )


def _singulars(word: str) -> tuple[str, ...]:
    """The word and its likely singulars ("critics" -> "critic", "agencies" -> "agency")."""
    if word.endswith("ies"):
        return (word, word[:-3] + "y")
    if word.endswith("s"):
        return (word, word[:-1], word[:-2])
    return (word,)


def _verb_base(lower: str) -> str | None:
    for forms in (SPEECH_FORMS, COGNITION_FORMS, EVALUATION_FORMS, PREP_FORMS, LEARNED_FORMS):
        base = forms.get(lower)
        if base is not None:
            return base
    return None


def _verb_cue(art: _Article, tok: Token, speaker: int | None, prep_only: bool = False) -> _Candidate:
    """The cue verb ``tok``'s statement, ``speaker`` being its subject (``_speaker_head``).

    ``prep_only``: a verb that is a cue only with a learned preposition ("pointed *to*")."""
    lower = tok.lower_
    base = _verb_base(lower) or lower
    cue_tokens = [tok.i] + [c.i for c in tok.children if c.dep_ == "prt"]
    complements = []
    if not prep_only and base not in NO_CLAUSE_CONTENT:
        para = art.para_of[tok.i]
        complements = [
            c
            for c in tok.children
            if c.dep_ == "ccomp" and art.para_of[c.i] == para and not _closed_before(art, c, tok)
        ]
    if not complements and not prep_only and base not in NO_XCOMP_CONTENT:
        complements = [c for c in tok.children if c.dep_ == "xcomp" or _infinitive_after_object(tok, c)]
        if complements:
            # "asked the candidates to make …", "urged Congress to act": the one asked is part of it
            complements += [c for c in tok.children if c.dep_ == "dobj" and tok.i < c.i < complements[0].i]
            # "called on the regime to abandon …": so is the one called on
            complements += [
                o
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ in ("on", "upon") and tok.i < c.i < complements[0].i
                for o in c.children
                if o.dep_ == "pobj"
            ]
            # "The sale is expected to expand …": what is expected is the subject's doing
            complements += [c for c in tok.children if c.dep_ == "nsubjpass" and art.region_of[c.i] < 0]
    if (
        not complements
        and not prep_only
        and (base not in NO_OBJECT_CONTENT or _object_predicate(art, tok) or _misparsed_clause(tok, base))
    ):
        complements = [c for c in tok.children if c.dep_ in ("dobj", "attr")]
        if complements:
            # "described it as …", "called him a liar", "praised X for …": the predicate belongs to it
            complements += [
                c
                for c in tok.children
                if c.dep_ == "oprd"
                or (
                    c.i > complements[0].i
                    and (
                        (c.dep_ == "prep" and (c.lower_ in ("as", "for", "of") or _right_after(art, complements[0], c)))
                        or (c.dep_ == "advcl" and c.left_edge.lower_ == "as")
                    )
                )
            ]  # "saw her as likable": as+advcl
    if not complements and not prep_only:
        complements = _answer(tok, base) or _passive_subject(art, tok)
    if not complements:
        preps = PREP_CUES.get(base, ()) + LEARNED_PREPS.get(lower, ())
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in preps and not _when(prep):
                complements = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
                cue_tokens.append(prep.i)
                break
        subject = _passive_subject(art, tok, with_agent=False) if complements else []
        if subject:
            # "Ginsburg is known for speaking her mind": said of the subject, by no one named
            complements, speaker = subject + complements, None
    catenated = _catenated_cue(art, complements)
    if catenated is not None:
        return _Candidate(sorted(set(cue_tokens + catenated.cue_tokens)), speaker, catenated.spans)
    cand = _Candidate(sorted(cue_tokens), speaker)
    for comp in complements:
        span = art.trimmed(comp.left_edge.i, _without_trailing_relative(art, comp))
        if span is not None and not _inside_cue(art, tok, span):
            cand.spans.append(span)
        elif span is not None:
            cand.spans += _around_relative_cue(art, comp, tok)
    cand.spans = _join_adjacent(art.text, sorted(cand.spans))
    if (
        not cand.spans
        and tok.dep_ in ("parataxis", "ccomp")
        and tok.head.i != tok.i
        and not any(c.dep_ == "mark" for c in tok.children)  # "it turns out *that* the bureau asked …"
        and _set_off(art, tok)
    ):
        # "The economy, he said, is booming": the cue is a parenthetical inside its content
        cand.spans = _without(art, tok.head, tok)
    if not cand.spans and _as_clause(tok):
        # "As POLITICO revealed, most of the payments …", "…, as some have speculated"
        cand.spans = _without(art, tok.head, tok)
    return cand


def _as_one_put_it(art: _Article, tok: Token) -> _Candidate | None:
    """ "As Vulture put it, “Hello, it's the Biebs.”": the clause (or quotation) the phrase hangs on."""
    it = next((c for c in tok.children if c.dep_ == "dobj" and c.lower_ == "it"), None)
    if it is None or not _in_as_clause(tok):
        return None
    spans = _without(art, tok.head, tok)
    return _Candidate([tok.i, it.i], _speaker_head(art, tok), spans) if spans else None


def _as_clause(tok: Token) -> bool:
    """A cue with nothing of its own in an "as" clause of another verb: it vouches for that clause.

    Only verbs that report a finding do ("as POLITICO reported"); with others "as" is a time ("as the
    crowd applauded", "as she said, “…”")."""
    return (
        _verb_base(tok.lower_) in VOUCHING_VERBS
        and _in_as_clause(tok)
        and tok.head.pos_ in ("VERB", "AUX")
        and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "prep") for c in tok.children)
    )


def _in_as_clause(tok: Token) -> bool:
    """``tok`` heads an "as" clause of another word ("*as* some have speculated")."""
    return (
        tok.dep_ == "advcl" and tok.head.i != tok.i and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
    )


def _when(prep: Token) -> bool:
    """A preposition naming a time ("called him *on Sunday*"), not what the cue is about."""
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _closed_before(art: _Article, clause: Token, tok: Token) -> bool:
    """A clause before the cue that a semicolon or colon closes ("Republicans support it*;* Democrats
    oppose the idea") is a sentence of its own, not what the cue reports ("It is booming, he said")."""
    if clause.i > tok.i:
        return False
    after = clause.right_edge.i + 1
    doc = art.doc
    while after < tok.i and doc[after].is_quote:
        after += 1
    return after < tok.i and doc[after].text in (";", ":")


def _misparsed_clause(tok: Token, base: str) -> bool:
    """ "the candidate said *families of people killed by police file lawsuits*": a long noun phrase
    after "say" is a clause the small parser read as an object ("said this", "said a prayer" are short)."""
    obj = _object_after(tok) if base == "say" else None
    return obj is not None and obj.pos_ != "PRON" and obj.right_edge.i - obj.left_edge.i >= 4


def _answer(tok: Token, base: str) -> list[Token]:
    """ "said yes", "said *no to the Iraq war*", "say *the same of Trump*": an answer is what "say" reports."""
    if base != "say":
        return []
    answer = next(
        (c for c in tok.children if c.dep_ in ("dobj", "intj") and c.i > tok.i and c.lower_ in ANSWER_WORDS), None
    )
    if answer is None:
        return []
    return [answer] + [c for c in tok.children if c.dep_ == "prep" and c.i == answer.right_edge.i + 1]


def _object_after(tok: Token) -> Token | None:
    """The cue's first direct object after it, or the relative word standing for it before it
    ("in *what* officials called a hate crime", "*which* lenders considered too risky")."""
    return next((c for c in tok.children if c.dep_ == "dobj" and (c.i > tok.i or c.lower_ in RELATIVE_OBJECTS)), None)


def _around_relative_cue(art: _Article, clause: Token, tok: Token) -> list[tuple[int, int]]:
    """ "rules *which* officials said *will go into effect*": the relative word opens the reported clause
    and the cue clause interrupts it; the statement is the two pieces around the speaker and cue."""
    first = clause.left_edge
    if first.lower_ not in RELATIVE_OBJECTS or not first.i < tok.i < clause.i:
        return []
    speaker_start = min((c.left_edge.i for c in tok.lefts), default=tok.i)
    if speaker_start != first.i + 1:
        return []
    after = next((t.i for t in clause.subtree if t.i > tok.i), None)
    rest = art.trimmed(after, _without_trailing_relative(art, clause)) if after is not None else None
    head = art.trimmed(first.i, first.i)
    return [head, rest] if head is not None and rest is not None else []


def _object_predicate(art: _Article, tok: Token) -> bool:
    """ "called him a liar", "called the suspension “arbitrary”": an object with a predicate after it is
    a verdict on it, even for verbs whose bare object is not a statement ("called him" = phoned him)."""
    obj = _object_after(tok)
    if obj is None:
        return False
    if any(c.dep_ == "oprd" and c.i > obj.i for c in tok.children):
        return True
    # "called Mrs. Schlafly an “Aunt Tom”", "called his opponent “Senator Cruz”": parsed as an apposition
    # with no comma before it
    doc = tok.doc
    if any(c.dep_ == "appos" and not _comma_before(doc[c.left_edge.i]) for c in obj.children):
        return True
    # "called anti-Trump protestors “illegals”": the quoted head follows the words it names
    quoted = art.region_of[obj.i]
    if quoted >= 0 and art.region_of[obj.left_edge.i] != quoted and obj.left_edge.i > tok.i:
        return True
    # "called the use of executive orders “quite dangerous”", "called AP's report a “rush to judgment”"
    after = obj.right_edge.i + 1
    if after < len(doc) and doc[after].lower_ in ("a", "an"):
        after += 1
    return after < len(doc) and art.region_of[after] >= 0 and art.region_of[obj.i] < 0


def _comma_before(tok: Token) -> bool:
    """Punctuation other than an opening quotation mark right before ``tok``."""
    before = tok.doc[tok.i - 1]
    return before.is_punct and not before.is_quote


def _infinitive_after_object(tok: Token, clause: Token) -> bool:
    """ "called Trump *to drop out*", parsed as an adverbial clause: an infinitive right after the
    cue's object is what the object is asked to do."""
    if clause.dep_ != "advcl" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
        return False
    obj = next((c for c in tok.children if c.dep_ == "dobj" and tok.i < c.i < clause.i), None)
    return obj is not None and clause.left_edge.i == obj.right_edge.i + 1


def _passive_subject(art: _Article, tok: Token, with_agent: bool = True) -> list[Token]:
    """The subject of a passive cue, with an agent or without one as asked.

    With one ("The move was criticized by Democrats") it is what was judged; without ("The valley was
    known as …") it is part of what is said of it, by no one named."""
    if not any(c.dep_ == "auxpass" for c in tok.children):
        return []
    if any(c.dep_ == "agent" for c in tok.children) != with_agent:
        return []
    return [c for c in tok.children if c.dep_ == "nsubjpass" and c.i < tok.i and art.region_of[c.i] < 0]


def _right_after(art: _Article, obj: Token, prep: Token) -> bool:
    """A phrase that follows the object with nothing between ("backed her candidacy *in high numbers*")."""
    return prep.left_edge.i == obj.right_edge.i + 1 and art.region_of[prep.i] < 0


def _catenated_cue(art: _Article, complements: list[Token]) -> _Candidate | None:
    """ "declined to *say* who …", "demanded to *know* whether …": when the infinitive is itself a cue
    with content of its own, it belongs to the cue and its content is the statement."""
    if len(complements) != 1 or complements[0].dep_ != "xcomp":
        return None
    inner = complements[0]
    if inner.pos_ != "VERB" or _verb_base(inner.lower_) is None or not any(c.dep_ == "ccomp" for c in inner.children):
        return None
    cand = _verb_cue(art, inner, _speaker_head(art, inner))
    if not cand.spans:
        return None
    art.absorbed.add(inner.i)
    cand.cue_tokens += [c.i for c in inner.children if c.dep_ == "aux" and c.lower_ == "to"]
    return cand


def _without_trailing_relative(art: _Article, comp: Token) -> int:
    """The last token of ``comp``'s content, before a closing non-restrictive relative clause
    (", which was passed in 2010"): the writer's aside, not part of what was said."""
    last = comp.right_edge.i
    doc = art.doc
    for tok in comp.subtree:
        if (
            tok.dep_ == "relcl"
            and tok.right_edge.i >= last - 1
            and tok.left_edge.i > comp.left_edge.i + 1
            and doc[tok.left_edge.i - 1].text == ","
            and tok.left_edge.lower_ in ("which", "who", "whose", "where")
            and art.region_of[tok.left_edge.i] < 0
        ):
            return tok.left_edge.i - 2
    return last


def _join_adjacent(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge spans separated only by spaces or punctuation ("their exchange" + "as “very productive”")."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and not any(ch.isalnum() for ch in text[out[-1][1] : start]):
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _set_off(art: _Article, tok: Token) -> bool:
    """The cue clause is a parenthetical or trailer: ", he said," / ", the spokesman said." """
    first, last = tok.left_edge.i, tok.right_edge.i
    doc = art.doc
    while first < tok.i and doc[first].is_punct:
        first += 1
    while last > tok.i and doc[last].is_punct:
        last -= 1
    before = doc[first - 1].text if first > 0 else ""
    after = doc[last + 1].text if last + 1 < len(doc) else ""
    if before in (",", "—", "--"):
        return True
    # a trailer only after its content: "Macron said *he agreed*." is said's content, not a trailer
    return after in (",", ".", "—", "--") and tok.head.i > tok.i


def _inside_cue(art: _Article, tok: Token, span: tuple[int, int]) -> bool:
    return span[0] <= tok.idx < span[1]


def _according_to(art: _Article, tok: Token) -> _Candidate:
    to = art.doc[tok.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    cand = _Candidate([tok.i, to.i], source.i if source is not None else None)
    head = tok.head
    if head.i != tok.i:
        cand.spans = _without(art, head, tok)
    return cand


def _name_colon(art: _Article, colon: Token) -> _Candidate | None:
    """ "Carl Bialik: “One of the biggest lessons …”", "Lopez: Well, no one …": a line that opens with
    a name and a colon gives the rest of its paragraph to that name (interviews, headlines, tweets)."""
    doc = art.doc
    para = art.para_of[colon.i]
    start = colon.i - 1
    while start > 0 and art.para_of[start - 1] == para and not doc[start - 1].is_space:
        start -= 1
    name = _colon_name(art, doc[start : colon.i]) or _source_before_colon(art, colon)
    if name is None or (names_nobody(name.text) and name.text.lower() not in REPORT_NOUNS):
        return None  # "Video Transcript: …", "Photo Credit: …"; but "Report: …", "Poll: …" report
    last = colon.i + 1
    while last + 1 < len(doc) and art.para_of[last + 1] == para:
        last += 1
    span = art.trimmed(colon.i + 1, last)
    if span is None or len(art.text[span[0] : span[1]].split()) < MIN_QUOTE_WORDS:
        return None
    return _Candidate([colon.i], name.root.i, [span], quote_based=True)


def _source_before_colon(art: _Article, colon: Token) -> Span | None:
    """ "More from the report: “Today numerous online survey vendors …”": a quotation after "from X:" is X's."""
    doc = art.doc
    if colon.i == 0:
        return None
    source = doc[colon.i - 1]
    while source.dep_ in ("compound", "amod", "nmod") and source.head.i > source.i:
        source = source.head
    prep = source.head
    opens = colon.i + 1 < len(doc) and art.region_of[colon.i + 1] >= 0
    if not opens or source.dep_ != "pobj" or prep.lower_ != "from" or source.right_edge.i != colon.i - 1:
        return None
    return doc[source.left_edge.i : source.i + 1]


def _colon_name(art: _Article, words: Span) -> Span | None:
    """The name a line opens with before its colon, after a kicker set off by a dash ("EXCLUSIVE –
    Roger Stone:") and an abbreviated title ("Dr. Ben Carson:"), before a role ("SACHA PFEIFFER, HOST:")."""
    dash = max((t.i for t in words if t.text in ("–", "—", "-")), default=words.start - 1)
    comma = next((t.i for t in words if t.text == "," and t.i > dash), None)
    if comma is not None and _role_after(words.doc[comma + 1 : words.end]):
        words = words.doc[words.start : comma]  # "SACHA PFEIFFER, HOST:": the name before the role
    name = words.doc[dash + 1 : words.end]
    if len(name) > 1 and name[0].text.endswith(".") and name[0].is_title and len(name[0]) <= 5:
        name = name[1:]
    if 0 < len(name) <= 5 and (_one_entity(name) or _named_elsewhere(art, name)):
        return words.doc[dash + 1 : words.end]
    return None


def _role_after(role: Span) -> bool:
    """One to four capitalised words after a name's comma: a broadcaster's role ("HOST", "CNN ANCHOR")."""
    return 0 < len(role) <= 4 and all(t.is_alpha and (t.is_title or t.is_upper) for t in role)


def _one_entity(name: Span) -> bool:
    """The words are one person or organisation as the tagger saw it, nothing else."""
    first = name[0]
    if first.ent_type_ not in ("PERSON", "ORG") or first.ent_iob_ != "B":
        return False
    return all(t.ent_iob_ == "I" for t in name[1:])


def _named_elsewhere(art: _Article, name: Span) -> bool:
    """A capitalised label the tagger missed ("Sanders:" in a headline, "TAPPER:" in a transcript)
    that is a person's or organisation's name in the article's own entities, or a poll or report."""
    if not all(t.is_alpha and (t.is_title or t.is_upper) for t in name):
        return False
    if len(name) == 1 and name[0].lower_ in REPORT_NOUNS:
        return True
    spans = art.name_words.get(name[-1].lower_, ())
    return any(end <= name.start or start >= name.end for start, end in spans)


def _noun_cue(art: _Article, tok: Token) -> _Candidate | None:
    clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp") and _has_that(c)), None)
    if clause is None:
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None and tok.head.pos_ == "VERB" and tok.dep_ == "dobj":
        owner = next((c for c in tok.head.children if c.dep_ in SUBJECT_DEPS), None)
    if owner is None and tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB":
        # "Cruz entered the debate with an argument that …"
        owner = next((c for c in tok.head.head.children if c.dep_ in SUBJECT_DEPS), None)
    cand = _Candidate([tok.i], owner.i if owner is not None else None)
    span = art.trimmed(clause.left_edge.i, clause.right_edge.i)
    if span is not None:
        cand.spans.append(span)
    return cand


def _noun_prep_cue(art: _Article, tok: Token) -> _Candidate | None:
    """A learned noun with its preposition ("her *criticism of* Trump", "Republican *calls for* …"): the
    preposition's object is the content, the view's holder the speaker. Without a holder ("rallied
    support for Trump") there is no one to attribute it to, so no statement."""
    preps = LEARNED_NOUN_PREPS[tok.lower_]
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.i > tok.i and c.lower_ in preps), None)
    if prep is None:
        return None
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    owner = _noun_owner(tok)
    if obj is None or owner is None:
        return None
    span = art.trimmed(obj.left_edge.i, _without_trailing_relative(art, obj))
    return _Candidate([tok.i, prep.i], owner, [span]) if span is not None else None


# Verbs whose object noun is their subject's own view ("Republicans *voiced* concerns about …").
_VOICING_VERBS = frozenset(
    {"voice", "express", "raise", "renew", "repeat", "reiterate", "offer", "issue", "level", "make"}
)


def _noun_owner(tok: Token) -> int | None:
    """Who holds the view a cue noun names: its possessor ("*her* criticism of"), a name or group
    before it ("*Republican* calls for"), or the subject of a verb that voices it."""
    for child in tok.children:
        if child.dep_ == "poss":
            return child.i
    for child in tok.children:
        if (
            child.dep_ in ("compound", "amod", "nmod")
            and child.i < tok.i
            and child.ent_type_ in ("PERSON", "NORP", "ORG")
        ):
            return child.i
    if tok.dep_ == "dobj" and tok.head.lemma_ in _VOICING_VERBS:
        return next((c.i for c in tok.head.children if c.dep_ in SUBJECT_DEPS), None)
    return None


def _has_that(tok: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children) or tok.dep_ == "ccomp"


def _without(art: _Article, head: Token, cut: Token) -> list[tuple[int, int]]:
    """Spans of ``head``'s subtree minus ``cut``'s subtree (within the paragraph)."""
    lo, hi = head.left_edge.i, head.right_edge.i
    clo, chi = cut.left_edge.i, cut.right_edge.i
    spans = []
    for a, b in ((lo, clo - 1), (chi + 1, hi)):
        if a <= b:
            span = art.trimmed(a, b)
            if span is not None:
                spans.append(span)
    # a one-word remainder is a fragment, not part of the statement
    if len(spans) > 1:
        spans = [s for s in spans if " " in art.text[s[0] : s[1]]] or spans[:1]
    return spans


def _speaker_head(art: _Article, tok: Token) -> int | None:
    """The subject of the cue, following conjunctions and participles ("…, saying") upwards.

    A subject inside a quotation never speaks for a cue outside it ("“We were wrong,” Ramos told AFP").
    """
    if tok.dep_ == "advcl" and tok.tag_ == "VBN" and tok.lower_ in _ASKED:
        return None  # "*Asked* whether he would run again, Biden said": the asker is not named
    outside = art.region_of[tok.i] < 0
    found = _subject_of(tok)
    if found is not None and outside and art.region_of[found] >= 0:
        # The parser often hangs a quoted clause's subject on the cue too ("“The fact …,” Huckabee
        # said" with two nsubj): the one outside the quotation is the speaker.
        found = next((c.i for c in tok.children if c.dep_ in SUBJECT_DEPS and art.region_of[c.i] < 0), None)
    if found is None and tok.lower_ in SPEECH_FORMS:
        found = _inverted_subject(art, tok)
    if found is None and outside:
        found = _between_quote_and_cue(art, tok)
    if found is None and outside:
        found = _fronted_clause_subject(art, tok)
    if found is None and outside:
        found = _participle_head_subject(art, tok)
    if found is None and outside:
        found = _name_before_cue(art, tok)
    return found


def _name_before_cue(art: _Article, tok: Token) -> int | None:
    """ "…, Early described it as …", "Rep. Paul Ryan (R-WI) said …": a name right before a finite
    cue that the parse gave no subject (it made the name an adverb or hung it elsewhere) says it."""
    doc = art.doc
    if tok.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    j = tok.i - 1
    if j >= 0 and doc[j].text == ")":
        opening = next((k for k in range(j - 1, max(j - 8, -1), -1) if doc[k].text == "("), None)
        j = opening - 1 if opening is not None else -1
    if j < 0 or art.region_of[j] >= 0 or doc[j].sent.start != tok.sent.start:
        return None
    if doc[j].ent_type_ in ("PERSON", "ORG") and doc[j].ent_iob_ != "O":
        return j
    if doc[j].is_title and doc[j].pos_ in ("PROPN", "ADV") and (j == tok.sent.start or doc[j - 1].text == ","):
        return j
    return None


def _participle_head_subject(art: _Article, tok: Token) -> int | None:
    """ "Weaver didn't seem impressed, telling reporters, “…”" parsed inside the quotation's clause: the
    participle's own head still has its subject outside the quotation."""
    if tok.tag_ != "VBG" or tok.dep_ != "advcl" or art.region_of[tok.head.i] >= 0:
        return None
    return next((c.i for c in tok.head.children if c.dep_ in SUBJECT_DEPS and art.region_of[c.i] < 0), None)


def _fronted_clause_subject(art: _Article, tok: Token) -> int | None:
    """ "Clinton seemed ready to riff on it, telling the crowd, “…”": a participle set off after the
    main clause speaks for that clause's subject, even when the parse hangs it on the quotation."""
    doc = art.doc
    if tok.tag_ != "VBG" or tok.i == 0 or doc[tok.i - 1].text != ",":
        return None
    root = tok.sent.root
    if root.i >= tok.i or art.region_of[root.i] >= 0:
        return None
    found = _speaker_head(art, root)  # "“…,” said Skelly, explaining he …" too
    if found is None or art.region_of[found] >= 0:
        return None
    return found


def _between_quote_and_cue(art: _Article, tok: Token) -> int | None:
    """ "“Go back to Univision,” Trump barked": when the parse gives the cue no subject, the name
    standing between a closing quotation and the cue is the speaker."""
    doc = art.doc
    j = tok.i - 1
    while j >= 0 and art.region_of[j] < 0 and doc[j].text not in SENTENCE_END and tok.i - j <= 8:
        j -= 1
    if j < 0 or art.region_of[j] < 0:
        return None
    between = range(j + 1, tok.i)
    for k in between:
        # the phrase's own head ("the 43-year-old": "old", not "year")
        if doc[k].head.i not in between and doc[k].pos_ in ("PROPN", "NOUN", "PRON", "ADJ") and art.region_of[k] < 0:
            return k
    for k in between:
        if doc[k].pos_ in ("PROPN", "NOUN", "PRON") and art.region_of[k] < 0:
            while doc[k].dep_ == "compound" and k + 1 < tok.i and doc[k + 1].pos_ in ("PROPN", "NOUN"):
                k += 1
            return k
    return None


_ASKED = frozenset({"asked", "pressed", "questioned", "quizzed"})


def _subject_of(tok: Token) -> int | None:
    cur = tok
    raised = False  # cur is the passive verb of an infinitive below it: "Putin is expected to *discuss*"
    for _ in range(5):
        for child in cur.children:
            if child.dep_ in SUBJECT_DEPS or (child.dep_ == "nsubjpass" and (raised or cur.lower_ in QUOTED_AS)):
                if child.lower_ in RELATIVE_WORDS and cur.dep_ == "relcl":
                    return cur.head.i
                return child.i
        agent = next((c for c in cur.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj.i
        if cur.dep_ == "advcl" and cur.tag_ == "VBG":
            outer = _reporting_ancestor(cur)
            if outer is not None:
                cur = outer
                continue
        if cur.dep_ in ("conj", "xcomp", "advcl", "pcomp", "dep", "acomp") and cur.head.i != cur.i:
            raised = cur.dep_ == "xcomp" and cur.tag_ == "VB"
            cur = cur.head
            continue
        if cur.dep_ == "pobj" or (cur.dep_ == "prep" and cur.head.pos_ == "VERB"):
            cur = cur.head
            continue
        if cur.dep_ in ("acl", "relcl") and cur.head.pos_ in ("NOUN", "PROPN"):
            return cur.head.i
        break
    return None


def _inverted_subject(art: _Article, tok: Token) -> int | None:
    """ "…,” said Jillian Soto / added a New Hampshire Democrat": the speaker follows the cue."""
    doc = art.doc
    j = tok.i - 1
    while j >= 0 and (doc[j].is_space or doc[j].is_punct):
        if doc[j].text in SENTENCE_END:
            break
        j -= 1
    if j == tok.i - 1 or (j >= 0 and art.region_of[j] < 0 and art.region_of[j + 1] < 0):
        return None  # the cue does not follow a quotation
    for child in tok.rights:
        if child.pos_ in ("PROPN", "NOUN", "PRON") and art.region_of[child.i] < 0 and child.ent_type_ != "DATE":
            return child.i
        if child.dep_ in ("ccomp", "punct") and child.text in SENTENCE_END:
            break
    k = tok.i + 1
    while k < len(doc) and doc[k].pos_ in ("ADV", "DET", "ADJ", "PROPN", "NOUN", "NUM", "PART"):
        if doc[k].ent_type_ in ("DATE", "TIME"):
            k += 1
            continue  # "said Tuesday"
        if doc[k].pos_ in ("PROPN", "NOUN") or doc[k].is_title:  # "said Skelly", even tagged ADV
            return doc[k].head.i if doc[k].dep_ == "compound" else doc[k].i
        k += 1
    return None


def _reporting_ancestor(tok: Token) -> Token | None:
    """For "X noted that …, suggesting …": the cue whose complement the participle hangs from."""
    cur = tok.head
    for _ in range(6):
        if cur.dep_ == "ccomp" and _verb_base(cur.head.lower_) and cur.head.pos_ == "VERB":
            return cur.head
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


# ---------------------------------------------------------------------------------------------
# quotation marks


def _attach_quotes(art: _Article, candidates: list[_Candidate]) -> None:
    art.by_cue = {c.cue_tokens[0]: c for c in candidates}
    owner: dict[int, _Candidate] = {}
    for cand in candidates:
        for k in _overlapping_regions(art, cand.spans):
            if k != cand.container:
                cand.regions.add(k)
                owner.setdefault(k, cand)
    for k, region in enumerate(art.regions):
        if k in owner or k not in art.region_tokens or not _statement_like(art, k):
            continue
        found: _Candidate | None
        if region.continues_from is not None and region.continues_from in owner:
            found = owner[region.continues_from]
        else:
            found = _adjacent_cue(art, k)
        if found is None:
            found = _frame_cue(art, k)
            if found is not None:
                candidates.append(found)
        if found is None:
            continue
        found.regions.add(k)
        found.quote_based = True
        owner[k] = found
    _attach_follow_ups(art, candidates, owner)
    for cand in candidates:
        if cand.regions:
            cand.spans = _merge_spans(cand.spans, [_region_span(art, k) for k in cand.regions], cand)


def _statement_like(art: _Article, k: int) -> bool:
    """Long enough to be a statement, or punctuated as speech (“Cruz,” / “No!”) rather than a scare quote."""
    if art.region_words(k) >= MIN_QUOTE_WORDS:
        return True
    region = art.regions[k]
    end = region.end - 1 if region.closed else region.end
    while end > region.start and art.text[end - 1] in "'`\u201d\u00bb\"":
        end -= 1
    return art.region_words(k) > 0 and art.text[end - 1 : end] in (",", "!", "?", ".")


def _overlapping_regions(art: _Article, spans: list[tuple[int, int]]) -> list[int]:
    out = []
    for start, end in spans:
        for k, region in enumerate(art.regions):
            if region.start < end and start < region.end:
                out.append(k)
    return out


def _region_span(art: _Article, k: int) -> tuple[int, int]:
    if k not in art.region_tokens:
        return art.regions[k].inner
    first, last = art.region_tokens[k]
    span = art.trimmed(first, last)
    region = art.regions[k]
    return span if span is not None else region.inner


def _adjacent_cue(art: _Article, k: int) -> _Candidate | None:
    """A cue right after the closing mark (“…,” X said) or right before the opening mark (X said: “…”).

    Short quotations (a title, a nickname) only count when the cue is immediately next to them.
    """
    first, last = art.region_tokens[k]
    doc = art.doc
    para = art.para_of[first]
    reach = 6 if art.region_words(k) >= MIN_QUOTE_WORDS else 3
    i = last + 1
    while i < len(doc) and art.para_of[i] == para and art.region_of[i] < 0:
        cand = _free_cue(art, i, k)
        if cand is not None:
            return cand
        if doc[i].text in SENTENCE_END or (reach < 6 and i - last > reach):
            break
        i += 1
    i = first - 1
    while i >= 0 and art.para_of[i] == para and art.region_of[i] < 0:
        if doc[i].text in SENTENCE_END or (reach < 6 and first - i > reach):
            break
        cand = _free_cue(art, i, k)
        if cand is not None:
            return cand
        i -= 1
    # "He continued:" at the end of the previous paragraph
    if i >= 0 and art.para_of[i] != para:
        j = i
        while j >= 0 and doc[j].is_space:
            j -= 1
        if j >= 0 and doc[j].text == ":":
            while j >= 0 and art.para_of[j] == art.para_of[i] and art.region_of[j] < 0:
                cand = art.by_cue.get(j)
                if cand is not None and not _owns_other_quote(cand, k):
                    return cand
                j -= 1
    return None


def _frame_cue(art: _Article, k: int) -> _Candidate | None:
    """ "“…,” Toomey fumed on Tuesday.", "“…,” Hannity pressed.": a quotation that hands over with a comma
    to a subject and a verb ending the sentence is that subject's, whatever the verb (the reporting frame
    says it; the lexicon need not)."""
    first, last = art.region_tokens[k]
    doc = art.doc
    if art.region_words(k) < MIN_QUOTE_WORDS or last - first < 2 or doc[last - 1].text not in (",", "?", "!"):
        return None
    para = art.para_of[last]
    window = [t for t in doc[last + 1 : min(last + 6, len(doc))] if art.para_of[t.i] == para]
    for verb in window:
        if art.region_of[verb.i] >= 0:
            return None
        if verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i in art.by_cue:
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.left_edge.i == last + 1), None)
        # the sentence ends after the verb's last word (its own closing punctuation aside)
        after = max(t.i for t in verb.subtree if t.i >= verb.i and not (t.is_punct or t.is_space)) + 1
        ends = after >= len(doc) or doc[after].text in SENTENCE_END or doc[after].is_space
        has_object = any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp") for c in verb.rights)
        if subject is None or not ends or has_object or subject.pos_ not in ("PROPN", "NOUN", "PRON"):
            return None
        return _Candidate([verb.i], subject.i) if subject.lower_ not in RELATIVE_WORDS else None
    return None


def _free_cue(art: _Article, i: int, k: int) -> _Candidate | None:
    """The speech cue at token ``i`` if it can take quotation ``k`` (it has no other content)."""
    cand = art.by_cue.get(i)
    if cand is None or art.doc[i].lower_ not in SPEECH_FORMS or _owns_other_quote(cand, k):
        return None
    if cand.spans and not cand.regions and not _only_topic(art, cand, art.doc[i]):
        return None  # "“Hannity,” Gingrich said if …": the cue reports something else
    return cand


def _only_topic(art: _Article, cand: _Candidate, cue: Token) -> bool:
    """ "“Who do they think they are?” Trump said *of Apple*", "“…?” Sanders asked, *shaking his head*":
    what the quotation is about, or how it was said, not a statement."""
    doc = art.doc
    topics = [
        (t.left_edge.idx, t.right_edge.idx + len(t.right_edge))
        for t in cue.children
        if t.i > cue.i
        and (
            (t.dep_ == "prep" and t.lower_ in ("of", "about"))
            or (t.dep_ in ("advcl", "xcomp") and t.tag_ == "VBG" and doc[t.left_edge.i - 1].text == ",")
        )
    ]
    return bool(topics) and all(any(a <= s and e <= b for a, b in topics) for s, e in cand.spans)


def _owns_other_quote(cand: _Candidate, k: int) -> bool:
    return bool(cand.regions) and all(abs(r - k) > 1 for r in cand.regions)


def _attach_follow_ups(art: _Article, candidates: list[_Candidate], owner: dict[int, _Candidate]) -> None:
    """Cue-less quotations that continue the previous quote's speaker (same or next paragraph)."""
    last_quote: _Candidate | None = None
    last_para = -10
    for k, region in enumerate(art.regions):
        if k in owner:
            cand = owner[k]
            if cand.quote_based or _mostly_quote(art, cand, k):
                last_quote, last_para = cand, region.paragraph
            else:
                last_quote = None
            continue
        if art.region_words(k) < MIN_QUOTE_WORDS or last_quote is None:
            continue
        starts_paragraph = not art.text[_paragraph_start(art.text, region.start) : region.start].strip()
        if region.paragraph == last_para or (
            PARAGRAPH_FOLLOW_UP and starts_paragraph and region.paragraph - last_para <= 2
        ):
            last_quote.regions.add(k)
            owner[k] = last_quote
            last_para = region.paragraph


def _mostly_quote(art: _Article, cand: _Candidate, k: int) -> bool:
    region = art.regions[k]
    total = sum(e - s for s, e in cand.spans) or 1
    return (region.end - region.start) >= 0.6 * total


def _paragraph_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _merge_spans(
    spans: list[tuple[int, int]], quotes: list[tuple[int, int]], cand: _Candidate
) -> list[tuple[int, int]]:
    if cand.quote_based:
        # the grammatical complement of a quote cue is the quotation itself (or noise)
        spans = [s for s in spans if any(q[0] <= s[0] and s[1] <= q[1] for q in quotes)]
    merged = sorted(spans + quotes)
    out: list[tuple[int, int]] = []
    for start, end in merged:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# ---------------------------------------------------------------------------------------------
# the final record


def _cue_span(art: _Article, cand: _Candidate) -> tuple[int, int]:
    """The cue's characters, without the words its content quotes ("wants to | “find out what …”")."""
    tokens = sorted(cand.cue_tokens)
    outside = [i for i in tokens if not any(s <= art.doc[i].idx < e for s, e in cand.spans)]
    if outside and outside != tokens:
        tokens = [i for i in tokens if i <= outside[-1]]
        while len(tokens) > 1 and art.doc[tokens[-1]].is_punct:
            tokens.pop()
    return art.char_span(tokens[0], tokens[-1])


def _finish(
    art: _Article, resolver: SpeakerResolver, cand: _Candidate, previous: Mention | None
) -> tuple[Attribution, Mention | None]:
    doc = art.doc
    cue_start, cue_end = _cue_span(art, cand)
    speaker = speaker_start = speaker_end = None
    ref: Mention | None = None
    if cand.speaker_head is not None:
        head = doc[cand.speaker_head]
        span = _speaker_span(art, head, cand.cue_tokens)
        if span is not None:
            speaker_start, speaker_end = span
            speaker = art.text[speaker_start:speaker_end]
            cand.spans = _outside(art.text, cand.spans, span)
        ref = resolver.resolve(head, previous, speaker_end)
    quoted = _quoted(art, cand.spans)
    kind = "direct_quote" if quoted == "full" else "indirect_quote"
    attribution = Attribution(
        kind=kind,
        quoted=quoted,
        content_spans=list(cand.spans),
        cue=art.text[cue_start:cue_end],
        cue_start=cue_start,
        cue_end=cue_end,
        speaker=speaker,
        speaker_start=speaker_start,
        speaker_end=speaker_end,
        speaker_ref=(ref.start, ref.end) if ref is not None else None,
    )
    return attribution, (ref or previous)


def _outside(text: str, spans: list[tuple[int, int]], speaker: tuple[int, int]) -> list[tuple[int, int]]:
    """Content spans cut where they run into their own speaker's phrase (a parse that hung the
    words before an inverted name on the quotation: "“…,” Navy Capt. Jeff Davis said")."""
    out = []
    for start, end in spans:
        if start < speaker[0] < end:
            end = speaker[0]
            while end > start and (text[end - 1].isspace() or unicodedata.category(text[end - 1]).startswith("P")):
                end -= 1
        if not (speaker[0] <= start and end <= speaker[1]):
            out.append((start, end))
    return out or spans


def _speaker_span(art: _Article, head: Token, cue: list[int]) -> tuple[int, int] | None:
    """The speaker phrase as written: the subject's subtree without relative clauses, on its side
    of the cue (a headline's "Ryan: …" is often parsed with the whole line under the name)."""
    first, last = head.left_edge.i, head.right_edge.i
    if head.i < cue[0]:
        last = min(last, cue[0] - 1)
    elif head.i > cue[-1]:
        first = max(first, cue[-1] + 1)
    while first < head.i and art.para_of[first] != art.para_of[head.i]:
        first += 1  # a headline the parser ran into the first sentence is not part of its subject
    for child in head.children:
        if child.dep_ in ("relcl", "acl") and child.i > head.i:
            last = min(last, child.left_edge.i - 1)
    if last < head.i:
        last = head.i
    doc = art.doc
    if doc[last].dep_ == "cc":  # "Yahoo News and | anchor Katie Couric": a parse with two subjects
        second_end = _second_subject_end(head, last, cue)
        last = second_end if second_end is not None else last - 1
    # a parse that cut the name at its title: "Navy Capt. | Jeff Davis" either way
    if doc[last].text in TITLES:
        while last + 1 < len(doc) and doc[last + 1].is_title and doc[last + 1].pos_ == "PROPN":
            last += 1
    if first > 0 and doc[first - 1].text in TITLES and art.region_of[first - 1] < 0:
        first -= 1
        while first > 0 and doc[first - 1].pos_ in ("PROPN", "NOUN") and art.region_of[first - 1] < 0:
            first -= 1
    return art.trimmed(first, last)


def _second_subject_end(head: Token, last: int, cue: list[int]) -> int | None:
    """Where a subject that a conjunction joins to ``head`` ends, when the parse made it a second
    subject of the same verb rather than a conjunct (then ``head``'s phrase ends at the "and")."""
    for sibling in head.head.children:
        if sibling.dep_ in ("nsubj", "nsubjpass") and sibling.left_edge.i == last + 1 and sibling.i < cue[0]:
            return min(sibling.right_edge.i, cue[0] - 1)
    return None


def _quoted(art: _Article, spans: list[tuple[int, int]]) -> str:
    """'full' if the content lies inside quotation marks, 'partial' if some of it does, else 'none'."""
    inside = total = 0
    k = 0
    regions = art.regions
    for start, end in spans:
        for pos in range(start, end):
            if not art.text[pos].isalnum():
                continue
            total += 1
            while k < len(regions) and regions[k].end <= pos:
                k += 1
            if k < len(regions) and regions[k].start <= pos:
                inside += 1
    if not total or not inside:
        return "none"
    return "full" if inside >= 0.9 * total else "partial"
