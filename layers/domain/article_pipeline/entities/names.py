"""Names as written and as compared: bare names of mentions, comparison keys, person-name and acronym tests.

A mention's *name* is its text without a leading article, a possessive or (for people) a title; its *key*
is the name normalised for comparison (accents and case folded, dotted initials joined, a trailing
company or generational suffix dropped), so "U.S." and "US", "Apple Inc." and "Apple", or "BEVERLY
HILLS" and "Beverly Hills" compare equal.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence

from article_pipeline.ids import name_key

# Words that come before a person's name without being part of it ("President Vladimir Putin").
TITLES = frozenset(
    {
        *("mr", "mrs", "ms", "mx", "miss", "dr", "doctor", "prof", "professor", "sir", "dame", "lord", "lady"),
        *("sen", "senator", "rep", "representative", "congressman", "congresswoman", "gov", "governor"),
        *("president", "vice", "prime", "minister", "chancellor", "secretary", "speaker", "premier", "mayor"),
        *("general", "gen", "col", "colonel", "lt", "lieutenant", "sgt", "sergeant", "capt", "captain", "adm"),
        *("admiral", "cpl", "corporal", "maj", "officer", "detective", "det", "inspector", "constable", "agent"),
        *("judge", "justice", "king", "queen", "prince", "princess", "duke", "duchess", "earl", "baron"),
        *("baroness", "count", "countess", "emperor", "empress", "pope", "cardinal", "archbishop", "bishop"),
        *("rev", "reverend", "father", "pastor", "rabbi", "imam", "ayatollah", "sheikh", "emir", "sultan"),
        *("ambassador", "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair", "ceo"),
        *("director", "leader", "commissioner", "attorney", "state", "deputy", "chief", "former", "acting"),
        *("foreign", "defense", "defence", "interior", "home", "finance", "treasury", "health", "first", "coach"),
        *("treasurer", "chancellor", "envoy", "trustee", "president-elect", "candidate", "nominee", "manager"),
        *("councillor", "councilor", "councilman", "councilwoman", "alderman", "alderwoman", "assemblyman"),
        *("assemblywoman", "assemblymember", "delegate", "mp", "mep", "lawmaker"),
        # a broadcast transcript's roles ("SACHA PFEIFFER, HOST:", "JOHN DOE, BYLINE:")
        *("host", "co-host", "anchor", "correspondent", "reporter", "byline", "moderator", "announcer", "narrator"),
        *("u.s.", "us", "uk"),
    }
)
# Lower-case words that begin a surname ("van Dijk", "de Groot", "bin Salman").
SURNAME_PARTICLES = frozenset({"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "ter", "ten", "bin"})
LEADING_WORDS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
# Dropped from the end of a key: company forms and generational or academic suffixes.
KEY_SUFFIXES = frozenset({"inc", "corp", "ltd", "llc", "plc", "co", "corporation", "incorporated", "limited"})
PERSON_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "obe", "mbe", "cbe", "qc", "kc"})
# Words that are lower-case inside names and never give an acronym letter ("Food and Drug Administration").
FUNCTION_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "at", "to", "de", "du", "la", "le", "&"})
SPACED_DASH = re.compile(r"\s+[-–—]+\s+")
EDGE_PUNCTUATION = " ,;:-\"'“”‘’()[]@#"
# A time the tagger took into a name: a transcript's "[00:01:12] Lester Holt:", a live blog's "10:32 Trump".
LEADING_TIME = re.compile(r"^[\[(]?\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?[\])]?\s+")
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.|\b(?:Inc|Corp|Ltd|Co|Jr|Sr|St|[A-Z][a-z]{1,3})\.)$")
# ", Ph.D." or ", Jr." after a person's name is not part of the name people query.
POST_NOMINAL = re.compile(r",?\s+(?:Ph\.?\s?D|M\.?\s?D|Esq|Jr|Sr|OBE|MBE|CBE|QC|KC)\.?$")


def strip_name(text: str, label: str) -> str:
    """The bare name of a mention: no leading article or possessive; for people no title or post-nominal."""
    text = LEADING_TIME.sub("", text.strip(EDGE_PUNCTUATION)).strip(EDGE_PUNCTUATION)
    parts = SPACED_DASH.split(text)
    # "CLEVELAND - Donald Trump": a dateline before a spaced dash; in a person's span, whatever precedes
    # one ("Weak - Rubio", a heading) is not the name.
    if len(parts) > 1 and (label == "PERSON" or parts[0].isupper()) and parts[-1].strip():
        text = parts[-1]
    words = text.split()
    while words and words[0].lower() in LEADING_WORDS:
        words = words[1:]
    if label == "PERSON":
        while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
            words = words[1:]
        # "Donald Trump MANCHESTER": a dateline in capitals glued to a name in mixed case.
        while len(words) > 2 and words[-1].isupper() and len(words[-1]) > 3 and not words[0].isupper():
            words = words[:-1]
    name = POSSESSIVE.sub("", " ".join(words)).strip(EDGE_PUNCTUATION)
    if label == "PERSON":
        name = POST_NOMINAL.sub("", name)
    # A final period ends the sentence, unless it closes an abbreviation ("U.S.", "Inc.", "Calif.").
    if name.endswith(".") and not ABBREVIATION_END.search(name):
        name = name.rstrip(".")
    return name or text.strip()


@functools.lru_cache(maxsize=65536)
def form_key(name: str) -> str:
    """Comparison key of a name: ``name_key`` with dotted initials joined and a company suffix dropped."""
    words = name_key(name).split()
    joined: list[str] = []
    run = ""
    for word in words:
        # "u s" (from "U.S.") is one word "us"; so is "d c" from "D.C.".
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(word)
    if run:
        joined.append(run)
    while len(joined) > 1 and joined[-1] in KEY_SUFFIXES | PERSON_SUFFIXES:
        joined.pop()
    return " ".join(joined)


@functools.lru_cache(maxsize=65536)
def key_tokens(name: str) -> tuple[str, ...]:
    return tuple(form_key(name).split())


# A hyphen between letters joins one name: "Ocasio-Cortez", "Jean-Luc", "Holtz-Eakin".
NAME_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011](?=[^\W\d_])")
# The Arabic article before a surname is often left out when the name is repeated: "Bashar al-Assad",
# then "Assad"; "Abdel-Fattah el-Sissi", then "El-Sissi" or "Sissi". It is not compared.
ARABIC_ARTICLE = re.compile(
    r"(?<![\w-])(?:al|el|ad|ar|as|ash|at|az|an|ud|ul)[-\u2010\u2011](?=[^\W\d_])", re.IGNORECASE
)


@functools.lru_cache(maxsize=65536)
def person_tokens(name: str) -> tuple[str, ...]:
    """Words of a person's name, keeping single initials apart ("George W. Bush" -> george, w, bush).

    A hyphenated name is one word ("Holtz-Eakin" -> holtzeakin), without an Arabic article ("Farah
    Al-Ibrahim" -> farah, ibrahim): a lone "Al-Ibrahim" or "Ibrahim" is then her surname, not a two-word
    name of someone called "Al". Cached: grouping and speaker labels ask for the same names many times.
    """
    words = name_key(NAME_HYPHEN.sub("", ARABIC_ARTICLE.sub("", name))).split()
    while len(words) > 1 and words[-1] in PERSON_SUFFIXES:
        words.pop()
    return tuple(words)


def same_surname(a: str, b: str) -> bool:
    """Equal, or spelling variants of one transliterated surname (Zelensky / Zelenskyy).

    A plural ("the Obamas", "the Clintons") is a family, not a spelling of one person's name.
    """
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if min(len(a), len(b)) < 5 or a[0] != b[0] or long in (short + "s", short + "es"):
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def _given_compatible(a: str, b: str) -> bool:
    """One given name or initial against another: equal, or an initial of the other."""
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def same_person(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two full names (two words or more) that can name one person.

    Same first name (or its initial) and the same surname (or a spelling variant); middle names may be
    missing from one of them ("Aaron Kowalski" / "Aaron J. Kowalski") but must agree where both have them
    ("George W. Bush" is not "George H. W. Bush").
    """
    if len(a) < 2 or len(b) < 2:
        return False
    # "Van Dijk" after "Marieke van Dijk": a surname with its particle, no given name.
    for whole, part in ((a, b), (b, a)):
        if part[0] in SURNAME_PARTICLES and len(whole) > len(part):
            return tuple(whole[-len(part) :]) == tuple(part)
    if not _given_compatible(a[0], b[0]) or not same_surname(a[-1], b[-1]):
        return False
    middle_a, middle_b = a[1:-1], b[1:-1]
    if not middle_a or not middle_b:
        return True
    return len(middle_a) == len(middle_b) and all(map(_given_compatible, middle_a, middle_b))


def initials(name: str) -> str:
    """Initials of the words of a name, function words skipped: "Food and Drug Administration" -> "fda"."""
    letters = []
    for word in re.findall(r"[\w’'.-]+", name):
        if word.lower() in FUNCTION_WORDS:
            continue
        for part in re.split(r"[-.]", word):
            if part[:1].isalnum():
                letters.append(part[0].lower())
    return "".join(letters)


def looks_like_acronym(text: str) -> bool:
    """Acronym-shaped ("UN", "U.N.", "NATO", "DoD"): two to ten letters, most of them capitals, no spaces."""
    letters = re.sub(r"[^A-Za-z0-9]", "", text)
    if not 2 <= len(letters) <= 10 or " " in text.strip():
        return False
    capitals = sum(c.isupper() for c in letters)
    return capitals >= 2 and capitals >= len(letters) - 2 and letters[0].isupper()


def abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` can abbreviate ``long`` in the way Schwartz and Hearst (2003) test it.

    Every letter or digit of the short form is found in the long form, right to left and in order, and
    the short form's first letter starts a word of the long form: "FDA" / "Food and Drug Administration",
    "DoD" / "Department of Defense", "NYPD" / "New York Police Department".
    """
    chars = [c.lower() for c in short if c.isalnum()]
    if len(chars) < 2 or len(long.split()) < 2:
        return False
    text = long.lower()
    position = len(text) - 1
    for index in range(len(chars) - 1, -1, -1):
        wanted = chars[index]
        while position >= 0 and (
            text[position] != wanted or (index == 0 and position > 0 and text[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return False
        position -= 1
    return True


def is_initialism_of(short: str, long: str) -> bool:
    """``short`` is an acronym made of the initials of ``long``'s words ("UN" / "United Nations")."""
    if not looks_like_acronym(short) or len(long.split()) < 2:
        return False
    return re.sub(r"[^a-z0-9]", "", short.lower()) == initials(long)
