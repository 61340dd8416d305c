"""Cue words that introduce attributed statements, as inflected forms.

The pipeline runs without spaCy's lemmatizer, so cue verbs are matched on their lower-cased
surface form; this module expands base forms to every inflection once, at import time.
"""

from __future__ import annotations


def _words(block: str) -> list[str]:
    return block.split()


# Verbs of saying: their complement (or an adjacent quotation) is what somebody stated.
SPEECH_VERBS = _words("""
say tell add write ask report note suggest announce argue declare acknowledge claim explain conclude
recall respond warn insist state reply promise reveal predict vow deny pledge confirm admit tweet post
emphasize emphasise stress testify complain charge allege contend maintain assert concede boast joke quip
lament mention observe remark repeat reiterate shout yell whisper scream estimate accuse caution cite
demand propose recommend threaten proclaim retort counter muse speculate guess acknowledge disclose
divulge inform assure reassure advise instruct order urge beg plead implore brag comment opine insinuate
hint imply indicate signal show find determine conclude project forecast calculate tally reckon
affirm reaffirm assert announce broadcast publish release circulate email text message telephone
continue explain elaborate clarify correct conclude summarize summarise describe characterize
characterise label brand dub call term nickname rule decree echo express discuss address highlight
portray reference remind answer chant quote assail hammer bemoan paint
""")

# Verbs of thinking, knowing, wanting: PolNeAR counts beliefs and intentions as attributions.
COGNITION_VERBS = _words("""
think believe know feel hope fear expect want wish plan intend seek decide consider worry doubt suspect
assume understand realize realise recognize recognise remember imagine prefer refuse decline agree aim
presume suppose trust reckon figure learn discover notice sense anticipate envision envisage foresee
desire crave dread regret see seem appear
""")

# Verbs of evaluation whose object is the content ("X praised the decision").
EVALUATION_VERBS = _words("""
praise criticize criticise condemn slam blast attack mock defend endorse support oppose reject dismiss
welcome hail applaud decry denounce thank blame question dispute challenge back favor favour disparage
ridicule deride lambaste chastise rebuke scold berate fault credit commend laud tout trumpet champion
embrace accept acknowledge congratulate call_for
""")

IRREGULAR_FORMS: dict[str, tuple[str, ...]] = {
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "think": ("thought",),
    "know": ("knew", "known"),
    "feel": ("felt",),
    "seek": ("sought",),
    "find": ("found",),
    "mean": ("meant",),
    "foresee": ("foresaw", "foreseen"),
    "broadcast": ("broadcast",),
    "understand": ("understood",),
    "learn": ("learnt",),
    "forecast": ("forecast",),
    "swear": ("swore", "sworn"),
    "speak": ("spoke", "spoken"),
}

# Stressed final syllables double their consonant: "referred", "admitting".
_DOUBLE_FINAL = set(
    _words("admit commit regret rebut refer prefer occur confer defer deter permit submit")
    + _words("transmit omit compel propel control patrol equip quip")
)
_VOWELS = set("aeiou")


def _doubles(base: str) -> bool:
    if base in _DOUBLE_FINAL:
        return True
    # short consonant-vowel-consonant verbs: "plan" -> "planned", "slam" -> "slamming"
    return (
        len(base) <= 4
        and base[-1] not in _VOWELS | set("wxy")
        and base[-2] in _VOWELS
        and base[-3] not in _VOWELS
        and not (len(base) == 4 and base[-4] in _VOWELS)
    )


def inflections(base: str) -> set[str]:
    """Regular English verb inflections of ``base`` plus known irregular forms."""
    forms = {base}
    if base.endswith("e"):
        stem = base[:-1]
        forms |= {base + "s", base + "d", stem + "ing"}
    elif base.endswith("y") and base[-2:-1] not in set("aeiou"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
    if len(base) >= 3 and _doubles(base):
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    forms |= set(IRREGULAR_FORMS.get(base, ()))
    return forms


def _expand(bases: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for base in bases:
        for form in inflections(base.replace("_for", "")):
            out.setdefault(form, base)
    return out


SPEECH_FORMS = _expand(SPEECH_VERBS)
COGNITION_FORMS = _expand(COGNITION_VERBS)
EVALUATION_FORMS = _expand(EVALUATION_VERBS)


def _learned() -> dict:
    """Verb forms (and verb + preposition pairs) that PolNeAR's annotators mark as cues most of the
    times they occur ("endorsed", "voted for", "pointed to"), learned by ``scripts/learn_cue_verbs.py``
    on its development articles only."""
    import json
    from importlib import resources

    path = resources.files("article_pipeline.data").joinpath("cue_verbs.json")
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


# Consulted after the hand-written lists; dicts so a training script can swap their contents.
LEARNED_FORMS: dict[str, str] = {form: form for form in _learned().get("forms", [])}
# Verb form -> prepositions whose object is the content ("voted *for* Clinton").
LEARNED_PREPS: dict[str, tuple[str, ...]] = {form: tuple(preps) for form, preps in _learned().get("preps", {}).items()}
# Noun form -> prepositions whose object is the content ("*criticism of* Trump", "*support for* Sanders").
LEARNED_NOUN_PREPS: dict[str, tuple[str, ...]] = {
    form: tuple(preps) for form, preps in _learned().get("noun_preps", {}).items()
}

# Bases whose direct object is rarely the content itself ("told reporters", "found a solution").
NO_OBJECT_CONTENT = set(
    _words("say tell add ask write continue inform assure reassure advise instruct order urge beg implore")
    + _words("thank email text message telephone call post tweet try need mean find discover maintain")
    + _words("determine")
    + _words("understand hear think assume charge pledge fight reflect release welcome trust accept embrace")
    + _words("challenge champion answer decide expect seek consider address learn notice sense")
)
# Bases whose to-infinitive is not a statement ("continued to rise", "tried to win").
NO_XCOMP_CONTENT = set(_words("continue try need mean suppose figure"))
# Verbs whose subject is raised from their complement ("X appears to be slipping"): no one speaks,
# the writer reports how X appears.
RAISING_VERBS = set(_words("appear seem"))
# An adverb that reports hearsay ("X is reportedly considering a run"): PolNeAR marks it a cue in 9 of its
# 15 uses in the development articles ("apparently" 5 of 25, "allegedly" 0 of 7: those stay out).
HEARSAY_ADVERBS = frozenset({"reportedly"})
# Bases whose clausal complement is mostly not a statement ("it means that", "we'll see whether").
NO_CLAUSE_CONTENT = set(_words("mean remember appear prefer see"))

# Verbs that report a finding: in an "as" clause with nothing of their own ("as POLITICO reported") they
# vouch for the clause they hang on; with other verbs "as" is a time ("as the crowd applauded").
VOUCHING_VERBS = set(
    _words("report note reveal point observe allege suggest write explain speculate predict state argue claim")
    + _words("indicate confirm acknowledge document detail recount show find")
)

# Role nouns that can describe a previously named person ("the Russian leader", "the spokesman").
ROLE_NOUNS = {
    "president",
    "leader",
    "premier",
    "minister",
    "chancellor",
    "king",
    "queen",
    "prince",
    "senator",
    "congressman",
    "congresswoman",
    "representative",
    "governor",
    "mayor",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "candidate",
    "nominee",
    "frontrunner",
    "businessman",
    "businesswoman",
    "billionaire",
    "mogul",
    "lawmaker",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "ceo",
    "executive",
    "founder",
    "judge",
    "justice",
    "attorney",
    "lawyer",
    "general",
    "commander",
    "ambassador",
    "envoy",
    "diplomat",
    "dictator",
    "strongman",
    "speaker",
    "head",
    "chief",
    "democrat",
    "republican",
    "politician",
    "pope",
    "reporter",
    "correspondent",
    "columnist",
    "analyst",
    "economist",
    "expert",
    "professor",
    "author",
    "writer",
    "activist",
    "adviser",
    "advisor",
    "aide",
    "star",
    "actor",
    "actress",
    "singer",
    "host",
    "anchor",
    "former",
    "veteran",
    "incumbent",
    "challenger",
}

# Role nouns for heads of state or government: a "leader" can be any of them.
# Common nouns for bodies, groups and documents that hold or state views ("the council approved",
# "critics say", "the poll shows"): with ROLE_NOUNS, the subjects a learned cue verb accepts.
SPEAKING_GROUPS = set(
    _words("""
council committee campaign government administration court board group union company party agency
department ministry commission panel jury congress senate parliament police team office organization
organisation firm bank coalition network newspaper magazine poll survey report study voter supporter
critic member resident protester protestor people american worker observer source parent student
delegate donor conservative liberal progressive staff staffer citizen public crowd audience family
""")
)

# What a fronted "In a … poll," reports: its findings are the rest of the sentence.
POLL_NOUNS = set(_words("poll survey study"))
# a label that speaks for its headline or line ("Poll: …", "Report: …")
REPORT_NOUNS = POLL_NOUNS | set(_words("report newspaper"))

LEADER_ROLES = {
    "president",
    "premier",
    "minister",
    "chancellor",
    "king",
    "queen",
    "prince",
    "leader",
    "dictator",
    "strongman",
    "ruler",
    "monarch",
    "emir",
    "ayatollah",
}

# Nouns whose "that"-clause is an attributed statement ("Trump's claim that ...").
NOUN_CUES = {
    "claim",
    "claims",
    "statement",
    "statements",
    "assertion",
    "assertions",
    "belief",
    "beliefs",
    "argument",
    "arguments",
    "view",
    "views",
    "warning",
    "warnings",
    "suggestion",
    "suggestions",
    "allegation",
    "allegations",
    "charge",
    "charges",
    "promise",
    "promises",
    "pledge",
    "pledges",
    "insistence",
    "contention",
    "notion",
    "idea",
    "fear",
    "fears",
    "hope",
    "hopes",
    "assurance",
    "assurances",
    "admission",
    "acknowledgment",
    "acknowledgement",
    "announcement",
    "report",
    "reports",
    "prediction",
    "predictions",
    "assessment",
    "conclusion",
    "finding",
    "findings",
    "opinion",
    "position",
    "accusation",
    "accusations",
    "threat",
    "threats",
    "vow",
    "remark",
    "remarks",
    "comment",
    "comments",
    "message",
    "speculation",
    "rumor",
    "rumors",
    "suspicion",
    "concern",
    "concerns",
    "estimate",
}

# Verbs whose content is the object of a preposition ("talked about X", "called for X").
PREP_CUES: dict[str, tuple[str, ...]] = {
    "call": ("for", "on"),
    "ask": ("about", "for"),
    "warn": ("of", "about", "against"),
    "complain": ("about", "of"),
    "worry": ("about",),
    "insist": ("on",),
    "hint": ("at",),
    "argue": ("for", "against"),
    "boast": ("about", "of"),
    "joke": ("about",),
    "think": ("about", "of"),
    "know": ("about", "of"),
    "agree": ("with", "on", "to"),
    "respond": ("to",),
    "speculate": ("about", "on"),
    "write": ("about", "of"),
    "tweet": ("about",),
    "say": ("of",),
    "comment": ("on", "about"),
    "caution": ("against",),
    "decide": ("on", "against"),
    "hope": ("for",),
    "plan": ("for", "on"),
    "testify": ("about", "on"),
    "point": ("to",),
    "refer": ("to",),
    "talk": ("about",),
    "focus": ("on",),
    "push": ("for",),
    "advocate": ("for",),
    "campaign": ("for", "against"),
    "apologize": ("for",),
    "hear": ("about", "of"),
    "dream": ("of", "about"),
    "rail": ("against",),
    "lash": ("out",),
}
PREP_FORMS = _expand(list(PREP_CUES))
