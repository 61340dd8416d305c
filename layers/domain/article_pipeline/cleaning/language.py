"""Light language identification: script ranges first, then the share of each language's stop words.

Good enough to tell which NLP model to use (or that we have none), at no dependency and ~1 ms cost.
"""

from __future__ import annotations

import re
from collections import Counter

STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to a in is that for it was on with as he be by at are this his from but not "
        "have an they which you has were her she or had been their will would its who we said "
        "there more than also after when about into all can one them what up out so if our",
        "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es "
        "an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so "
        "zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei",
        "fr": "le la les de des et en du un une que est pour qui dans par sur au pas plus il ne se ce "
        "avec sont aux elle ont son sa ses mais nous vous leur été être cette comme ou était a",
        "es": "el la de que y en los del se las por un para con no una su al lo como más pero sus le "
        "ya o fue este ha sí porque esta son entre cuando muy sin sobre también me hasta hay donde",
        "it": "il di che e la per un in del non una da sono le si con dei della gli al ha anche come "
        "nel alla più ma lo questo delle è dal sul nella suo sua hanno essere alle stato degli",
        "pt": "de que e o da do em para com não uma os no se na por mais as dos como mas ao ele das "
        "à seu sua ou quando muito nos já também só pelo pela até isso ela entre foi são tem",
        "nl": "de het een en van ik te dat die in is niet op aan met als voor zijn er maar om ook "
        "naar dan zo door over bij nog wel uit worden wordt werd hij zij heeft hebben deze",
        "sv": "och i att det som en på är av för med till den har de inte om ett han men var jag sig "
        "från vi så kan man när år också efter skulle hade nu under sina eller",
        "da": "og i at det er en til på som de med han af for ikke der var mig sig men et har om vi "
        "min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller",
        "no": "og i det er på som en til å av for med at ikke har de den han var jeg men om et seg "
        "så vi fra hun skal kan etter også da ble eller hadde blir dette",
        "pl": "i w nie na z się do to że jest jak o co ale po tak za od już jego przez tylko być "
        "które który która ich jej był może ze są dla tym przy czy",
        "cs": "a se na v je že to s z do o ve k by jako ale i jsou pro jeho jak není který která "
        "které po za již jsem bylo byl tak jen od podle také",
        "ro": "și în de la a pe cu o din care nu că este mai se un al ce sa fost pentru sunt prin "
        "acest această dar ca au fi",
        "hu": "a az és hogy nem is egy de van meg el csak már ki mint volt még ezt azt vagy ha pedig most után szerint",
        "tr": "ve bir bu da de için ile çok olarak daha gibi olan en ne kadar ama sonra ya o ki "
        "her değil tarafından üzere şu",
        "fi": "ja on ei se että hän oli ovat mutta kun niin myös sen tai ole jo vain kuin mukaan "
        "ovat olla joka jotka sekä",
        "id": "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena ada oleh "
        "atau tersebut bisa saat mereka kami",
        "ru": "и в не на что с по он как это к из за то а от но у так его для же она о все было бы "
        "они который также был была при уже если",
        "uk": "і в на що не з до та як у за від це але його про для він вона які також був була вже щоб при",
    }.items()
}
ALL_STOP_WORDS: frozenset[str] = frozenset().union(*STOP_WORDS.values())

# Each language a stop word belongs to, in STOP_WORDS order.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, stops in STOP_WORDS.items() if word in stops) for word in ALL_STOP_WORDS
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Unicode ranges of the scripts that name their language outright.
_SCRIPT_RANGES: tuple[tuple[str, str], ...] = (
    ("ja", "\u3040-\u30ff"),
    ("ko", "\uac00-\ud7af\u1100-\u11ff"),
    ("zh", "\u4e00-\u9fff"),
    ("ar", "\u0600-\u06ff"),
    ("he", "\u0590-\u05ff"),
    ("el", "\u0370-\u03ff"),
    ("hi", "\u0900-\u097f"),
    ("th", "\u0e00-\u0e7f"),
)
# Runs of characters, not single ones: counting them takes far fewer matches.
_SCRIPTS = tuple((code, re.compile(f"[{chars}]+")) for code, chars in _SCRIPT_RANGES)
# All of them at once: on most pages one pass finds (almost) none, and the eight passes are skipped.
_ANY_SCRIPT = re.compile(f"[{''.join(chars for _, chars in _SCRIPT_RANGES)}]+")
SCRIPT_SHARE = 0.3  # a script with this share of the letters decides the language...
KANA_SHARE = 0.05  # ...and Japanese already at this share of kana (the rest is often kanji)


def _count_chars(runs: re.Pattern[str], text: str) -> int:
    return sum(map(len, runs.findall(text)))


def detect_language(text: str, *, max_chars: int = 20000) -> str | None:
    """ISO 639-1 code of the main language of ``text``, or None when unsure."""
    sample = text[:max_chars]
    found = _WORD.findall(sample)
    # every letter is in exactly one word, and a word holds at most one apostrophe: one pass counts both
    letters = sum(map(len, found)) - sum(1 for w in found if "'" in w or "’" in w)
    if letters < 20:
        return None
    if _count_chars(_ANY_SCRIPT, sample) > KANA_SHARE * letters:
        for code, pattern in _SCRIPTS:
            hits = _count_chars(pattern, sample)
            if hits > SCRIPT_SHARE * letters or (code == "ja" and hits > KANA_SHARE * letters):
                return code
    words = Counter(map(str.lower, found))
    if words.total() < 5:
        return None
    counts: Counter[str] = Counter()
    for word, n in words.items():
        for lang in _LANGUAGES_OF.get(word, ()):
            counts[lang] += n
    if not counts:
        return None
    (best, best_n), *rest = [*counts.most_common(2), ("", 0)]
    runner_up = rest[0][1]
    if best_n / words.total() < 0.08 or best_n < 1.3 * runner_up:
        return None
    return best
