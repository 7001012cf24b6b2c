"""Estonian words to index terms, for any search backend: Vabamorf's lemmas.

Vabamorf, the morphological analyser of the University of Tartu, comes in EstNLTK's wheel. Only
its compiled module and lexicons are loaded, straight from the installed files, never the
`estnltk` package itself: that imports pandas, NLTK, matplotlib and more, and wants to download
data for its sentence tokenizer. The Makefile installs the wheel without its dependencies for
the same reason (README, "Estonian search").

A word is read in every way Vabamorf can read it (no disambiguation: a search term has no
sentence around it). Each reading gives the word's lemma and, for a compound, the lemmas of its
parts ("lasteaiakohtade" → lasteaiakoht; lasteaed, koht), all folded so that a query typed
without diacritics meets them ("oigused" → oigus). Compounds that must stay whole (vägivald
is not "vägi" and "vald") are listed in data/estonian.toml, not in code. A query word also
reads as what it may have meant: spelt with diacritics, or as the speller corrects it.

When Vabamorf cannot load, words fall back to snowball's stem, folded, and `search.W001` says so.
"""

import glob
import importlib.machinery
import importlib.util
import logging
import os
import re
import threading
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

logger = logging.getLogger(__name__)

LEXICON = Path(__file__).parent / "data" / "estonian.toml"
# Vabamorf's standard written-language lexicon; its "nosp" sibling accepts slang and must not
# feed a speller.
VABAMORF_LEXICON = "2020-01-22_sp"
MAX_WORD = 60  # longer tokens are not words anyone searches for; Vabamorf is not asked
SUGGESTIONS = 3

_FOLD = str.maketrans({"õ": "o", "ä": "a", "ö": "o", "ü": "u", "š": "s", "ž": "z"})
_MARKERS = re.compile(r"[~?\]<=+]")  # phonetic and derivation marks inside Vabamorf's roots


def fold(text: str) -> str:
    """Estonian letters (and any other accents) to plain Latin ones."""
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Reading:
    """One way of reading a word: its lemma, and as `parts` the lemmas of a compound's parts
    and runs of them ("lasteaiakohtade": lasteaed, koht, aiakoht) and of the word a derivation
    is made from ("vägivaldsus": vägivald). A search looks for the lemma; the index holds them
    all, so "koht" and "lasteaiakoht" find "lasteaiakohtade", and two words of a text never
    pass for one compound. Everything folded and in lower case."""

    lemma: str
    parts: tuple[str, ...] = ()

    def terms(self) -> list[str]:
        return [self.lemma, *self.parts]


@cache
def lexicon() -> dict:
    with open(LEXICON, "rb") as f:
        data = tomllib.load(f)
    return {
        "unsplit": frozenset(fold(w) for w in data["unsplit"]),
        "lemmas": {fold(k): fold(v) for k, v in data.get("lemmas", {}).items()},
        "rare": frozenset(fold(w) for w in data.get("rare", ())),
    }


class Vabamorf:
    """The analyser and speller of one process. Vabamorf keeps global state in C++: one
    instance per process (a forked worker makes its own), one call at a time."""

    def __init__(self):
        spec = importlib.util.find_spec("estnltk")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("estnltk is not installed")
        root = Path(spec.submodule_search_locations[0]) / "vabamorf"
        (path,) = glob.glob(str(root / "_vabamorf*.so"))
        loader = importlib.machinery.ExtensionFileLoader("_vabamorf", path)
        module = importlib.util.module_from_spec(
            importlib.util.spec_from_file_location("_vabamorf", path, loader=loader)
        )
        loader.exec_module(module)
        lexicons = root / "dct" / VABAMORF_LEXICON
        self._module = module
        self._morf = module.Vabamorf(str(lexicons / "et.dct"), str(lexicons / "et3.dct"))
        self._lock = threading.Lock()

    def analyse(self, word: str, guess: bool = True) -> list[tuple[str, str, str]]:
        """(root, part of speech, form) of each reading of the word."""
        with self._lock:
            # words, disambiguate, guess, phonetic and compound marks, proper names, stems
            ((_word, analyses),) = self._morf.analyze(
                self._module.StringVector([word]), False, guess, True, True, False
            )
            return [(a.root, a.partofspeech, a.form) for a in analyses]

    def knows(self, word: str) -> bool:
        """Whether the speller accepts the word as written."""
        with self._lock:
            (result,) = self._morf.spellcheck(self._module.StringVector([word]), False)
            return bool(result.spelling)

    def suggestions(self, word: str) -> list[str] | None:
        """None for a word the speller knows, else its corrections, best first."""
        with self._lock:
            (result,) = self._morf.spellcheck(self._module.StringVector([word]), True)
            return None if result.spelling else list(result.suggestions)


_instance: tuple[int, Vabamorf | None] | None = None
_instance_lock = threading.Lock()


def vabamorf() -> Vabamorf | None:
    """This process's Vabamorf, or None where it cannot load (snowball is used instead)."""
    global _instance
    pid = os.getpid()
    if _instance is None or _instance[0] != pid:
        with _instance_lock:
            if _instance is None or _instance[0] != pid:
                try:
                    _instance = (pid, Vabamorf())
                except (ImportError, OSError, ValueError, RuntimeError) as error:
                    logger.warning("Vabamorf cannot load (%s): snowball stems instead", error)
                    _instance = (pid, None)
    return _instance[1]


_snowball = snowballstemmer.stemmer("estonian")


def _snowball_reading(word: str) -> Reading:
    return Reading(fold(_snowball.stemWord(word.lower())))


def _lemma(root: str, part_of_speech: str) -> str:
    lemma = _MARKERS.sub("", root).replace("_", "").lower()
    return lemma + "ma" if part_of_speech == "V" and lemma not in ("ei", "ära") else lemma


def _parts(root: str, part_of_speech: str) -> list[str]:
    """A compound root's parts as written ("laste_aia_k<oht" → laste, aia, koht), the last one
    a lemma; a run of parts that the lexicon keeps whole is one part ("vägi_v<ald" → vägivald,
    "laste_aia" → lasteaia, read as lasteaed)."""
    parts = [_MARKERS.sub("", p).lower() for p in re.split(r"[_-]", root) if p]
    if parts and part_of_speech == "V":
        parts[-1] += "ma"
    joined, i = [], 0
    while i < len(parts):
        # the longest run starting here that the lexicon keeps whole
        end = next(
            (
                j
                for j in range(len(parts), i + 1, -1)
                if _kept_whole("".join(parts[i:j]), last=j == len(parts))
            ),
            i + 1,
        )
        joined.append("".join(parts[i:end]))
        i = end
    return joined


def _kept_whole(text: str, last: bool) -> bool:
    unsplit = lexicon()["unsplit"]
    if last:
        return fold(text) in unsplit
    return any(lemma in unsplit for lemma in _known_lemmas(text, FIRST_PART_FORMS))


# The forms a word takes as the first part of a compound: "põhikool", "koolibuss",
# "lastekaitse"; a partitive or an illative reading of "kooli" would be noise.
FIRST_PART_FORMS = frozenset({"sg n", "sg g", "pl g", ""})


@lru_cache(maxsize=4096)
def _known_lemmas(text: str, forms: frozenset[str] | None = None) -> tuple[str, ...]:
    """The folded lemmas of a stem or a compound part as written, from the lexicon alone (no
    guessing), limited to the given forms."""
    morf = vabamorf()
    lemmas = []
    for root, pos, form in morf.analyse(text, guess=False) if morf else ():
        lemma = fold(_lemma(root, pos))
        if (forms is None or form in forms) and lemma not in lemmas:
            lemmas.append(lemma)
    return tuple(lemmas)


def _part_lemmas(part: str) -> tuple[str, ...]:
    """The lemmas of a compound's first part ("laste" → laps, "aia" → aed); the "-mis" stem of
    an action noun is that noun ("kiusamisvaba" → kiusamine)."""
    if part.endswith("mis"):
        return (fold(part[:-3] + "mine"),)
    return _known_lemmas(part, FIRST_PART_FORMS) or (fold(part),)


def _compound_terms(parts: list[str]) -> tuple[str, ...]:
    """The lemmas of a compound's parts and runs of parts, the whole excepted; `parts` are as
    written, the last one a lemma."""
    lemmas = lexicon()["lemmas"]
    found = []
    for i in range(len(parts)):
        for j in range(i + 1, len(parts) + 1):
            if (i, j) == (0, len(parts)):
                continue
            text = "".join(parts[i:j])
            if j == len(parts):  # ends with the last part: already a lemma
                run = (lemmas.get(fold(text), fold(text)),)
            elif j == i + 1:
                run = _part_lemmas(text)
            else:
                run = _known_lemmas(text, FIRST_PART_FORMS)
            found.extend(lemma for lemma in run if lemma not in found)
    return tuple(found)


def _bases(root: str) -> tuple[str, ...]:
    """The lemmas a word is derived from, where Vabamorf marks the derivation ("vägi_v<ald=sus"
    → vägivald, "üle_kaalu=lisus" → ülekaal): indexed, so that a search for the base finds
    the derived word, not the other way round."""
    if "=" not in root or "_" in root.split("=")[-1]:
        return ()
    base = _MARKERS.sub("", root.split("=")[0].replace("_", "")).lower()
    return _known_lemmas(base, FIRST_PART_FORMS)


def _verb_of(lemma: str) -> str | None:
    """The verb of an action noun ("kiusamine" → kiusama): the two read as one."""
    return lemma[:-4] + "ma" if lemma.endswith("mine") and len(lemma) > 6 else None


@lru_cache(maxsize=50_000)  # indexing meets the same words again and again
def readings(word: str) -> tuple[Reading, ...]:
    """Every reading of one word as written: case helps Vabamorf tell names ("Tartus")."""
    if not fold(word):  # nothing left to look for (a lone accent)
        return ()
    morf = vabamorf()
    if morf is None or len(word) > MAX_WORD or not any(c.isalpha() for c in word):
        return (_snowball_reading(word),) if word.isalpha() else (Reading(fold(word.lower())),)
    lemmas = lexicon()["lemmas"]
    found = []

    def add(reading):
        if reading not in found:
            found.append(reading)

    rare = lexicon()["rare"]
    for root, pos, _form in morf.analyse(word):
        lemma = fold(_lemma(root, pos))
        lemma = lemmas.get(lemma, lemma)
        if lemma in rare and lemma != fold(word.lower()):
            continue
        # A name stays whole: Emajõgi is no mother, Harjumaa no land.
        parts = [] if pos == "H" else _parts(root.split("=")[0] if "=" in root else root, pos)
        if len(parts) > 1:
            if "=" in root:  # a derived compound: its last part is the derivation's lemma
                parts[-1] = _lemma(root, pos)[len("".join(parts[:-1])) :]
            add(Reading(lemma, _compound_terms(parts) + _bases(root)))
        else:
            add(Reading(lemma, _bases(root)))
        if verb := _verb_of(lemma):
            add(Reading(verb))
    return tuple(found) or (Reading(fold(word.lower())),)


def terms(word: str) -> list[str]:
    """The index terms of one word: every reading's lemma and the lemmas of its parts and
    base, once each; a hyphenated word's pieces count as words too ("Ida-Virumaa" is found by
    "Virumaa", and by "Ida Virumaa" as a search box splits it)."""
    found = [t for reading in readings(word) for t in reading.terms()]
    if "-" in word:
        found.extend(t for piece in word.split("-") if piece for t in terms(piece))
    return list(dict.fromkeys(found))


# Letters a query typed without diacritics may have meant: "opilased" → õpilased.
_RESTORE = {"a": "aä", "o": "oõö", "u": "uü", "s": "sš", "z": "zž"}
MAX_RESTORED = 6  # restorable letters tried in one word: at most 3**6 spellings


@lru_cache(maxsize=10_000)
def corrections(word: str) -> tuple[str, ...]:
    """What a query word may have meant: for a word typed without diacritics, its spellings
    with them that the speller knows ("margata" → märgata, "kooliode" → kooliõde); else, for a
    word the speller does not know, its first suggestions ("kiusamnie" → kiusamine)."""
    morf = vabamorf()
    if morf is None or len(word) > MAX_WORD or not word.isalpha():
        return ()
    if word.isascii() and (restored := _restored(morf, word.lower())):
        return tuple(restored)
    return tuple((morf.suggestions(word) or [])[:SUGGESTIONS])


def _restored(morf: Vabamorf, word: str) -> list[str]:
    positions = [i for i, c in enumerate(word) if c in _RESTORE]
    if not positions or len(positions) > MAX_RESTORED:
        return []
    spellings = [word]
    for i in positions:
        spellings = [s[:i] + c + s[i + 1 :] for s in spellings for c in _RESTORE[word[i]]]
    return [s for s in spellings[1:] if morf.knows(s)]


def spelling(word: str) -> str | None:
    """The word a reader most likely meant, for "did you mean", if the speller does not know
    the one they typed."""
    morf = vabamorf()
    if morf is None or not word.isalpha() or len(word) > MAX_WORD or morf.knows(word):
        return None
    found = corrections(word)
    return found[0] if found else None


@lru_cache(maxsize=10_000)
def _as_name(word: str) -> tuple[Reading, ...]:
    """The readings of a word typed in lower case as the name it may be ("tartus" → Tartu):
    the name readings Vabamorf gives it capitalised, if the speller does not know it as it is
    ("kool" is no name)."""
    morf = vabamorf()
    if morf is None or not word.isalpha() or not word.islower() or len(word) > MAX_WORD:
        return ()
    if morf.knows(word):
        return ()
    return tuple(
        dict.fromkeys(
            Reading(fold(_lemma(root, pos)))
            for root, pos, _form in morf.analyse(word.capitalize())
            if pos == "H"
        )
    )


def query_readings(word: str) -> tuple[Reading, ...]:
    """A query word's readings, those of the name it may be, and those of what it may have
    meant (`corrections`): a name typed in lower case, a typo or missing diacritics still find
    the word meant."""
    found = list(readings(word))
    found.extend(r for r in _as_name(word) if r not in found)
    for better in corrections(word):
        found.extend(r for r in readings(better) if r not in found)
    return tuple(found)
