"""Snippets with the searched words marked, found through the same analysis as the index, so
"lastekaitse" is marked for a search of "lapse kaitse" and "õigused" for "oigused". Works the
same whichever search backend found the result."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from forum.core.privacy import shorten

from .analysis import WORDS, terms
from .analysis import query_terms as word_query_terms

SNIPPET_WORDS = 32
CONTEXT_BEFORE = 8
MAX_TEXT = 6000  # a snippet comes from the start of long texts


def query_terms(query: str) -> frozenset[str]:
    """The terms the query's words are searched by, in both analyses."""
    return frozenset(
        term
        for word in re.findall(WORDS, query)
        for language in ("et", "en")
        for term in word_query_terms(word, language)
    )


def _matches(word: str, wanted: frozenset[str], language: str) -> bool:
    return bool(wanted.intersection(terms(word, language)))


def highlight(text: str, wanted: frozenset[str], language: str = "et") -> SafeString:
    """The whole (short) text with the matching words in <mark>."""
    return _render(text, list(re.finditer(WORDS, text)), wanted, language, 0, None)


def snippet(text: str, wanted: frozenset[str], language: str = "et") -> SafeString:
    """About SNIPPET_WORDS words around the first match, matches in <mark>; the start of the
    text when nothing matches (the words may be in another field)."""
    text = " ".join(shorten(text, MAX_TEXT, ellipsis="").split())
    words = list(re.finditer(WORDS, text))
    first = next((i for i, m in enumerate(words) if _matches(m.group(), wanted, language)), 0)
    start = max(0, first - CONTEXT_BEFORE)
    return _render(text, words, wanted, language, start, start + SNIPPET_WORDS)


def _render(text, words, wanted, language, start, end) -> SafeString:
    if not words:
        return mark_safe(escape(text))
    shown = words[start:end]
    begin = 0 if start == 0 else shown[0].start()
    finish = len(text) if end is None or end >= len(words) else shown[-1].end()
    out = ["…" if begin else ""]
    position = begin
    for match in shown:
        out.append(escape(text[position : match.start()]))
        word = escape(match.group())
        out.append(f"<mark>{word}</mark>" if _matches(match.group(), wanted, language) else word)
        position = match.end()
    out.append(escape(text[position:finish]))
    if finish < len(text):
        out.append("…")
    return mark_safe("".join(out))
