"""Estonian text analysis for the Whoosh index.

Whoosh pickles the schema, analysers included, into the index, so every class here lives at
module level under a stable name; change their behaviour and bump ANALYSIS_VERSION, which the
backend stores in the index and compares to force a rebuild.

The chain: words → lower case → compounds split by their first part → snowballstemmer's
`estonian` stem → diacritics folded (a query typed as "oigused" finds "õigused") → the stem
alternations snowball leaves apart (lapse, last, laste → laps) joined by a family table.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from whoosh import query as wq
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer

ANALYSIS_VERSION = 1

# Genitive first parts of compounds common in child and family policy ("lastekaitse",
# "koolikiusamine", "perearst"). A token that starts with one and goes on for at least four
# letters is indexed as itself and as its two parts. A list, not a guess: splitting at any
# known word would cut "kooliealine" and "lastetu" wrongly.
COMPOUND_FIRST_PARTS = (
    "laste",
    "lapse",
    "kooli",
    "koolide",
    "pere",
    "perede",
    "noorte",
    "noore",
    "lasteaia",
    "vanema",
    "vanemate",
    "ema",
    "isa",
    "huvi",
    "tervise",
    "vaimse",
    "sotsiaal",
    "puude",
    "erivajadus",
    "hoolekande",
    "haridus",
    "õpilas",
    "õpetaja",
    "valla",
    "linna",
    "riigi",
    "omavalitsuse",
    "vägivalla",
    "kiusamis",
    "turva",
    "tugi",
    "toetus",
    "lastekaitse",
)
MIN_SECOND_PART = 4

# Word families whose forms snowball stems differently ("laps", "lapse", "last"); each form,
# and each stem snowball makes of one, maps to the family's first word. Unrelated words never
# share a family.
STEM_FAMILIES = (
    (
        "laps",
        "lapse",
        "lapsed",
        "lapsi",
        "lapsele",
        "lapsel",
        "lapsest",
        "last",
        "laste",
        "lastele",
        "lastel",
        "lastest",
        "lastesse",
        "lapsi",
    ),
    ("kool", "kooli", "koolis", "koolid", "koolide", "koolides", "koole", "koolist", "kooli"),
    ("aed", "aia", "aias", "aeda", "aiad", "aedade", "aiast"),
    (
        "lasteaed",
        "lasteaia",
        "lasteaias",
        "lasteaeda",
        "lasteaiad",
        "lasteaedade",
        "lasteaedades",
        "lasteaiast",
    ),
    ("laager", "laagri", "laagris", "laagrid", "laagreid", "laagrisse", "laagrite"),
    ("õigus", "õiguse", "õigused", "õiguste", "õigusi", "õigustest"),
    (
        "kiusamine",
        "kiusamise",
        "kiusamist",
        "kiusamisest",
        "kiusamisele",
        "kiusamisega",
        "kiusamis",
    ),
    ("kaitse", "kaitset", "kaitsel", "kaitsele", "kaitsest"),
    ("pere", "pered", "perede", "peresid", "perele", "peres", "perekond", "perekonna"),
    ("noor", "noored", "noorte", "noori", "noortele", "noorele", "noore"),
    ("vanem", "vanema", "vanemad", "vanemate", "vanemaid", "vanematele"),
    ("tervis", "tervise", "tervisele", "tervist"),
    ("järjekord", "järjekorra", "järjekorrad", "järjekorras", "järjekordi"),
    ("buss", "bussi", "bussid", "busside", "busse", "bussiga"),
    ("maakond", "maakonna", "maakonnas", "maakonnad", "maakondade"),
    ("vald", "valla", "vallas", "vallad", "valdade"),
    ("toetus", "toetuse", "toetused", "toetuste", "toetust"),
    ("seisukoht", "seisukoha", "seisukohad", "seisukohta", "seisukohtade"),
    ("koolitus", "koolituse", "koolitused", "koolitusel", "koolitust"),
    ("ring", "ringi", "ringid", "ringide", "ringides", "ringe"),
    # Kept apart from laps: "childless" is about adults.
    ("lastetu", "lastetud", "lastetute", "lastetuid"),
)

_stemmer = snowballstemmer.stemmer("estonian")
_FOLD = str.maketrans({"õ": "o", "ä": "a", "ö": "o", "ü": "u", "š": "s", "ž": "z"})


def fold(text: str) -> str:
    """Estonian letters (and any other accents) to plain Latin ones."""
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def _raw_stem(word: str) -> str:
    return fold(_stemmer.stemWord(word))


def _family_tables() -> tuple[dict[str, str], dict[str, str]]:
    """Known forms → their family's word, and snowball stems of those forms → the same; where
    two families' forms share a stem ("kooli" from kool and from koolitus), the first family
    keeps it and the other is found by its listed forms only."""
    forms, stems = {}, {}
    for family in STEM_FAMILIES:
        lemma = fold(family[0])
        for form in family:
            forms.setdefault(fold(form), lemma)
            stems.setdefault(_raw_stem(form), lemma)
    return forms, stems


_FORMS, _STEMS = _family_tables()


@lru_cache(maxsize=100_000)
def estonian_stem(word: str) -> str:
    """The index term of one lower-case word."""
    folded = fold(word)
    if folded in _FORMS:
        return _FORMS[folded]
    stem = _raw_stem(word)
    return _STEMS.get(stem, stem)


_LAST_PARTS = sorted(
    {fold(form) for family in STEM_FAMILIES for form in family if len(form) >= 5},
    key=len,
    reverse=True,
)
_FIRST_PARTS = sorted(
    {part for first in COMPOUND_FIRST_PARTS for part in (first, fold(first))},
    key=len,
    reverse=True,
)


def split_compound(word: str) -> list[str]:
    """The parts of a compound ("lastekaitsetöötajad" → laste, kaitse, töötajad), or [] for a
    simple word: by a known first part, itself split again, or else by a known last part
    ("suvelaagri" → suve, laagri)."""
    return list(_split_compound(word))


@lru_cache(maxsize=100_000)  # indexing meets the same words again and again
def _split_compound(word: str) -> tuple[str, ...]:
    for first in _FIRST_PARTS:
        if word.startswith(first) and len(word) - len(first) >= MIN_SECOND_PART:
            return (*(_split_compound(first) or (first,)), word[len(first) :])
    folded = fold(word)
    for last in _LAST_PARTS:
        if folded.endswith(last) and len(word) - len(last) >= 3:
            return (word[: -len(last)], word[-len(last) :])
    return ()


class EstonianCompoundFilter(Filter):
    """Yields a compound and then its parts, at the compound's position."""

    def __call__(self, tokens):
        for t in tokens:
            yield t
            if t.stopped or not t.text.isalpha():
                continue
            parts = split_compound(t.text)
            if parts:
                text = t.text
                for part in parts:
                    t.text = part
                    yield t
                t.text = text


class EstonianStemFilter(Filter):
    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = estonian_stem(t.text)
            yield t


WORDS = r"\w+(?:[-']\w+)*"


def EstonianAnalyzer():  # noqa: N802 (Whoosh names analyser factories like classes)
    return (
        RegexTokenizer(WORDS) | LowercaseFilter() | EstonianCompoundFilter() | EstonianStemFilter()
    )


def EnglishAnalyzer():  # noqa: N802
    return StemmingAnalyzer(expression=WORDS)


def analyzer_for(language: str):
    return EnglishAnalyzer() if language == "en" else EstonianAnalyzer()


def terms(text: str, language: str = "et") -> list[str]:
    """The index terms of `text`, in order (for tests and query building)."""
    return [t.text for t in analyzer_for(language)(text)]


def plain_text_query(fieldname: str, text: str, language: str = "et") -> wq.Query:
    """All the words of `text` (AND); a compound matches itself or both of its parts."""
    analyzer = analyzer_for(language)
    words = []
    for match in re.finditer(WORDS, text):
        found = [t.text for t in analyzer(match.group())]
        if not found:
            continue
        if len(found) > 1:  # a compound, then its parts: either matches
            whole, *parts = found
            parts_query = wq.And([wq.Term(fieldname, part) for part in parts])
            words.append(wq.Or([wq.Term(fieldname, whole), parts_query]))
        else:
            words.append(wq.Term(fieldname, found[0]))
    if not words:
        return wq.NullQuery
    return words[0] if len(words) == 1 else wq.And(words)
