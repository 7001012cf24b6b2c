"""The index terms and query terms of both languages, as Whoosh analysers and plain functions.

Estonian words become Vabamorf's lemmas (search/estonian.py: the language, with no backend in
it); English words Whoosh's stems. Whoosh pickles the schema, analysers included, into the
index, so every class here lives at module level under a stable name; change what they produce
(or data/estonian.toml) and bump ANALYSIS_VERSION, which the backend stores in the index and
compares to force a rebuild.
"""

import re

from whoosh import query as wq
from whoosh.analysis import Filter, RegexTokenizer, StemmingAnalyzer

from . import estonian
from .estonian import fold

__all__ = ["ANALYSIS_VERSION", "WORDS", "fold", "terms", "query_terms", "plain_text_query"]

ANALYSIS_VERSION = 2

WORDS = r"\w+(?:[-']\w+)*"


class EstonianLemmaFilter(Filter):
    """Each word as all its index terms (lemmas, compound parts, bases), at its position."""

    def __call__(self, tokens):
        for t in tokens:
            if t.stopped:
                yield t
                continue
            for term in estonian.terms(t.text):
                t.text = term
                yield t


def EstonianAnalyzer():  # noqa: N802 (Whoosh names analyser factories like classes)
    # No lower-casing first: Vabamorf reads "Tartus" as the town; its lemmas come lower-cased.
    return RegexTokenizer(WORDS) | EstonianLemmaFilter()


def EnglishAnalyzer():  # noqa: N802
    return StemmingAnalyzer(expression=WORDS)


def analyzer_for(language: str):
    return EnglishAnalyzer() if language == "en" else EstonianAnalyzer()


def terms(text: str, language: str = "et") -> list[str]:
    """The index terms of `text`, in order."""
    return [t.text for t in analyzer_for(language)(text)]


def query_terms(word: str, language: str = "et") -> list[str]:
    """The terms a search for one word looks for, any of which will do: in Estonian the
    lemmas of its readings and of what it may have meant (a typo, missing diacritics)."""
    if language == "en":
        return terms(word, "en")[:1]
    return list(dict.fromkeys(r.lemma for r in estonian.query_readings(word)))


def phrase_term(word: str, language: str = "et") -> str | None:
    """The one term a word stands for inside a phrase: its first reading, no corrections."""
    if language == "en":
        found = terms(word, "en")
        return found[0] if found else None
    found = estonian.readings(word)
    return found[0].lemma if found else None


def plain_text_query(fieldname: str, text: str, language: str = "et") -> wq.Query:
    """All the words of `text` (AND), each by any of its query terms (OR)."""
    words = []
    for word in re.findall(WORDS, text):
        found = query_terms(word, language)
        if found:
            words.append(
                wq.Or([wq.Term(fieldname, t) for t in found])
                if len(found) > 1
                else wq.Term(fieldname, found[0])
            )
    if not words:
        return wq.NullQuery
    return words[0] if len(words) == 1 else wq.And(words)
