"""Privacy of children: the forum must never become a register of identifiable children.

Text with a valid Estonian personal identification code (isikukood) is refused, as a reader
would see it: after Unicode normalisation, with any script's digits, invisible characters,
character references and markup reduced to the visible text, and short runs of separators
between digits ignored. Names with ages and street addresses draw a warning the author must
confirm. `guard_text` is the one check; `guard_model_fields` (every model's text fields) and
`PrivacyGuardMixin` (every form) attach it where text enters."""

import datetime
import html
import itertools
import re
import unicodedata
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# The most text one field (or one document) may carry: checking is linear, but not free.
MAX_TEXT = 100_000
MAX_DOCUMENT_TEXT = 5_000_000
# More candidate numbers than this in one text is refused rather than checked one by one.
MAX_CANDIDATES = 20_000

_WEIGHTS = ((1, 2, 3, 4, 5, 6, 7, 8, 9, 1), (3, 4, 5, 6, 7, 8, 9, 1, 2, 3))
# The sex-and-century digit: 1–6 for births in 1800–2099. The standard reserves 7 and 8 for
# 2100–2199: no one has such a code, and order numbers starting with them were a third of the
# false refusals of spreadsheets (tests/privacy/spreadsheet_corpus.py).
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def is_isikukood(code: str) -> bool:
    """A code a person can have: 11 digits, sex-and-century digit 1–6, a real date of birth
    not after today, and the check digit (weights 1…9,1; if that gives 10, weights
    3…9,1,2,3; if 10 again, 0)."""
    if len(code) != 11 or not code.isascii() or not code.isdigit() or code[0] not in "123456":
        return False
    year = _CENTURY[int(code[0])] + int(code[1:3])
    try:
        born = datetime.date(year, int(code[3:5]), int(code[5:7]))
    except ValueError:
        return False
    if born > datetime.date.today():
        return False
    digits = [int(c) for c in code]
    for weights in _WEIGHTS:
        check = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
        if check != 10:
            return check == digits[10]
    return digits[10] == 0


# What a reader does not see between two digits: up to four separators of these kinds
# (spaces of every width, line breaks, punctuation, Markdown emphasis, brackets).
_SEPARATOR = r"[\s.,:;·•/\\|_*~`'\"’‘“”„()\[\]{}<>+=#‐‑‒–—―−⁄∕-]"
_S = _SEPARATOR + "{0,4}"
_D = "[0-9]"
# Eleven digits made of whole digit groups (no digit right before or after), with the
# date's shape already checked (G 1–6, month 01–12, day 01–31) so that a page of numbers
# yields few candidates. A lookahead, so overlapping candidates are all seen.
_CANDIDATE = re.compile(
    rf"(?<![0-9])(?=([1-6]{_S}{_D}{_S}{_D}{_S}(?:0{_S}[1-9]|1{_S}[0-2]){_S}"
    rf"(?:0{_S}[1-9]|[12]{_S}{_D}|3{_S}[01]){_S}{_D}{_S}{_D}{_S}{_D}{_S}{_D})(?![0-9]))"
)
_NOT_DIGIT = re.compile(r"[^0-9]")
_TAG = re.compile(r"</?[A-Za-z!?][^<>]*>")
# A right-to-left override's span, to its pop or the end of the text.
_RIGHT_TO_LEFT = re.compile("\u202e([^\u202a-\u202e\u2066-\u2069]*)(?:\u202c|$)")
_LINK_TARGET = re.compile(r"\]\([^()\[\]]*\)")


# Letters that are drawn blank (Hangul fillers, the blank Braille pattern): read as a space.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _reader_char(char: str) -> str:
    """One character as a reader sees it: any script's digit as 0–9, invisible characters
    (format, combining) gone, control characters as a space."""
    digit = unicodedata.decimal(char, None)
    if digit is None:  # "❸", "⓿": digits in the wider sense, which NFKC leaves alone
        value = unicodedata.numeric(char, None)
        digit = int(value) if value in range(10) else None
    if digit is not None:
        return str(digit)
    if char in _BLANKS:
        return " "
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me", "Cs", "Co", "Cn"):
        return ""
    if category == "Cc" or category.startswith("Z"):
        return " "
    return char


def reader_text(text: str) -> str:
    """The text as a reader would read it (before markup is reduced): character references
    and percent-escapes decoded, NFKC, every digit 0–9, invisible characters removed. Linear
    in the length."""
    for _round in range(3):  # "&amp;#54;" is "&#54;" in a page that unescapes once more
        if "&" not in text and "%" not in text:
            break
        # Percent-escapes too: a link's address shows "%33%37…" as digits once followed.
        text = html.unescape(urllib.parse.unquote(text))
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        # Only the distinct characters are looked up, and only those a reader sees otherwise
        # are replaced: fast on long texts of few characters (str.translate is not).
        changed = {c: r for c in set(text) if not c.isascii() and (r := _reader_char(c)) != c}
        if changed:
            pattern = "[" + "".join(re.escape(c) for c in changed) + "]"
            text = re.sub(pattern, lambda m: changed[m.group()], text)
    return _ASCII_CONTROL.sub(" ", text)


_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Found(NamedTuple):
    code: str
    position: int  # in reader_text(text), so a report can say where without the code


class TooManyNumbers(Exception):
    """The text has more candidate numbers than are checked: refuse it rather than guess."""


def _codes(text: str):
    for candidates, match in enumerate(_CANDIDATE.finditer(text), start=1):
        if candidates > MAX_CANDIDATES:
            raise TooManyNumbers
        code = _NOT_DIGIT.sub("", match.group(1))
        if is_isikukood(code):
            yield Found(code, match.start())


def find_isikukood(text: str) -> Found | None:
    """The first valid code a reader could see in `text`, or None. Looked for twice: in the
    visible text (HTML tags and Markdown link targets removed, so `3<b>7</b>6…` joins) and in
    the text with its markup (a code in a link's address is read by whoever follows it).
    Raises TooManyNumbers when the text has more candidates than MAX_CANDIDATES."""
    if not text:
        return None
    if "\u202e" in text:
        # A right-to-left override shows its span backwards: a code stored reversed inside one
        # reads the right way round. Looked for in both orders (a copy keeps the stored one).
        found = find_isikukood(text.replace("\u202e", "")) or find_isikukood(
            _RIGHT_TO_LEFT.sub(lambda m: m.group(1)[::-1], text).replace("\u202e", "")
        )
        return found
    read = _squeezed(reader_text(text))
    visible = _squeezed(_LINK_TARGET.sub("]", _TAG.sub("", read)))
    variants = [visible] if visible == read else [visible, read]
    # Letters drawn like digits ("376O5O3O299", Cyrillic "З") inside a run of digits.
    variants += [_LOOKALIKE_RUN.sub(_as_digits, v) for v in variants if _LOOKALIKE_RUN.search(v)]
    for variant in variants:
        for found in _codes(variant):
            return found
    return None


# Codes split between texts shown one after the other (a first and a last name, two fields of a
# page, two paragraph blocks): each text's visible end is read before the next one's visible
# start. Eleven digits and up to four separators between each fit in _EDGE characters.
_EDGE = 64


def _edges(text: str) -> tuple[str, str]:
    """The visible start and end of `text`, without the digits of a number the cut falls in (a
    number's tail alone could read as a code)."""
    visible = _squeezed(_LINK_TARGET.sub("]", _TAG.sub("", reader_text(text)))).strip()
    if len(visible) <= _EDGE:
        return visible, visible
    start, end = visible[:_EDGE], visible[-_EDGE:]
    if visible[_EDGE].isdigit():
        start = start.rstrip("0123456789")
    if visible[-_EDGE - 1].isdigit():
        end = end.lstrip("0123456789")
    return start, end


def find_split(texts: list[str], *, in_order: bool) -> Found | None:
    """A code split between texts that a page may show one after the other: the texts in their
    order (`in_order`, the blocks of a stream: two, three or more of them), or in any order (the
    fields of a form or a model: templates place them as they like): any two, or any two with
    up to _MAX_MIDDLES texts of nothing but a number between them ("Teema 385", "0417",
    "1269 probleem"). Positions are not meaningful across texts."""
    edges = [_edges(text) for text in texts if text and not text.isspace()]
    if in_order:
        return find_isikukood("\n".join(_compact(start, end) for start, end in edges))
    numbers = [
        i
        for i, (start, end) in enumerate(edges)
        if start == end and _ONLY_A_NUMBER.fullmatch(start)
    ][:_MAX_NUMBERS]
    for i, (_start, end) in enumerate(edges):
        for j, (start, _end) in enumerate(edges):
            if i == j:
                continue
            middles = [k for k in numbers if k not in (i, j)]
            for count in range(min(len(middles), _MAX_MIDDLES) + 1):
                for between in itertools.permutations(middles, count):
                    parts = [end, *(edges[k][0] for k in between), start]
                    if found := find_isikukood("\n".join(parts)):
                        return found
    return None


# A text of nothing but a number (digits and separators), which may stand between two others.
_ONLY_A_NUMBER = re.compile(rf"(?=.*[0-9])(?:[0-9]|{_SEPARATOR})+")
_MAX_MIDDLES = 2
_MAX_NUMBERS = 8  # of such texts tried as middles: a form has a few number fields


def _compact(start: str, end: str) -> str:
    """A text as its edges: a long text's middle is kept apart (no code reaches across it)."""
    return start if start == end else f"{start} ¶ {end}"


def shorten(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` cut to about `limit` characters at a word boundary, never inside a word or a number:
    the first eleven digits of a longer number the guard let through may be a code. Every
    shortening of people's text for display goes through here (a test in
    tests/privacy/test_split_and_shortened.py fails on any other)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if text[limit].isalnum():
        head = _LAST_WORD.sub("", head)  # the word or number cut in two goes
    return head.rstrip() + ellipsis


_LAST_WORD = re.compile(r"\w+$")


def _squeezed(text: str) -> str:
    """Whitespace as a browser shows it (any run as one space), and a run of one separator
    ("......") as one: the number of separators between digits must not hide them."""
    return _SAME_SEPARATORS.sub(r"\1", _WHITESPACE.sub(" ", text))


_WHITESPACE = re.compile(r"\s+")
_SAME_SEPARATORS = re.compile(r"([^\w\s])\1+")
_LOOKALIKES = {"O": "0", "o": "0", "О": "0", "о": "0", "l": "1", "I": "1", "З": "3", "з": "3"}
# A word of digits and look-alike letters with at least six real digits.
_LOOKALIKE_RUN = re.compile(
    r"\b(?=(?:[OoОоlIЗз]*[0-9]){6})[0-9OoОоlIЗз]*[OoОоlIЗз][0-9OoОоlIЗз]*\b"
)


def _as_digits(match) -> str:
    return "".join(_LOOKALIKES.get(c, c) for c in match.group())


def guard_text(text: str, *, limit: int = MAX_TEXT) -> None:
    """Raise ValidationError if `text` carries a personal identification code, or is too long
    or too full of numbers to be checked."""
    if not text:
        return
    if len(text) > limit:
        raise ValidationError(
            _("This text is too long to be checked (at most %(limit)s characters). Shorten it."),
            code="too_long_to_check",
            params={"limit": limit},
        )
    try:
        found = find_isikukood(text)
    except TooManyNumbers:
        raise ValidationError(
            _("This text has too many numbers to be checked. Split it into smaller parts."),
            code="too_many_numbers",
        ) from None
    if found:
        raise ValidationError(
            _(
                "This text contains a personal identification code (isikukood). Remove it: "
                "the forum must never identify a child."
            ),
            code="isikukood",
        )


# Zero-width (non-)joiners stay in stored text: emoji sequences and some scripts need them.
# Every other control or format character goes: bidi overrides make a title read backwards,
# zero-width spaces and soft hyphens hide inside words.
_KEEP = frozenset(" \u200c\u200d")
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def clean_text(text: str, *, single_line: bool) -> str:
    """`text` as it is stored: control and invisible format characters removed; in multi-line
    text, line endings as \\n and tabs kept. Raises ValidationError for a line break in a
    single-line value (a title, a name, a tag): it would break mail headers and feeds."""
    if single_line and any(c in _LINE_BREAKS for c in text):
        raise ValidationError(
            _("Write this on one line: line breaks are not allowed here."), code="line_break"
        )
    if text.isprintable():
        return text
    if not single_line:
        text = text.replace("\r\n", "\n").translate(_AS_NEWLINE)
    kept = _KEEP if single_line else _KEEP | {"\n", "\t"}
    # Spaces of every width stay ("10\u00a0000"): Python calls them unprintable.
    return "".join(
        c for c in text if c.isprintable() or c in kept or unicodedata.category(c) == "Zs"
    )


_AS_NEWLINE = dict.fromkeys(map(ord, "\r\v\f\x85\u2028\u2029"), "\n")


def texts_in(value) -> Iterator[str]:
    """Every piece of text a value carries: strings, lists of them (tags), file names, and the
    text inside Wagtail's StreamField and rich text values."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, File):
        yield value.name or ""
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from texts_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("type", "id"):  # a StreamField block's type name and UUID
                yield from texts_in(item)
    elif hasattr(value, "stream_block"):  # StreamValue
        yield from texts_in(value.stream_block.get_prep_value(value))
    elif hasattr(value, "source") and isinstance(value.source, str):  # RichText
        yield value.source


@deconstructible
class PersonalCodeValidator:
    """The guard as a model field validator: run by every ModelForm (the Wagtail admin's page,
    snippet, document, image and account forms among them) and by Wagtail's page saves."""

    def __init__(self, *, single_line: bool = False):
        self.single_line = single_line

    def __call__(self, value):
        texts = list(texts_in(value))
        for text in texts:
            if self.single_line and not text.isprintable():
                clean_text(text, single_line=True)  # refuses a line break
                raise ValidationError(
                    _("Remove the invisible control characters from this text."),
                    code="control_characters",
                )
            guard_text(text)
        if len(texts) > 1 and find_split(texts, in_order=True):  # a stream's blocks
            raise ValidationError(_SPLIT_MESSAGE, code="isikukood")

    def __eq__(self, other):
        return isinstance(other, PersonalCodeValidator) and other.single_line == self.single_line


# Model fields the guard does not apply to, each with the reason.
UNGUARDED_MODEL_FIELDS: Mapping[str, str] = {
    "auth.User.password": "holds a password hash, never text a person typed",
}
_TEXT_FIELDS = ("CharField", "TextField", "FileField", "StreamField")


def is_text_field(field) -> bool:
    """A model field that stores text a person may have written (files by their names)."""
    return any(cls.__name__ in _TEXT_FIELDS for cls in type(field).__mro__)


def guard_model_fields() -> None:
    """Attach the guard to every text field of every installed model (called once, from the
    forum's AppConfig.ready). The validator joins the field's cached `validators` list, not
    its declared ones, so migrations do not record it: the database schema is unchanged. A
    model with several such fields also checks them together in its clean() (full_clean, run
    by every ModelForm and Wagtail's page saves): a code split between a page's title and
    lead shows on the page all the same."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            label = f"{model._meta.app_label}.{model.__name__}.{field.name}"
            if field.model is not model or label in UNGUARDED_MODEL_FIELDS:
                continue
            if is_text_field(field):
                single_line = any(cls.__name__ == "CharField" for cls in type(field).__mro__)
                field.validators.append(PersonalCodeValidator(single_line=single_line))
        if not getattr(model.clean, "guards_split_codes", False):
            model.clean = _guarding_split_codes(model.clean)


def _guarding_split_codes(clean):
    def guarded_clean(instance):
        clean(instance)
        texts = [
            "\n".join(texts_in(field.value_from_object(instance)))
            for field in instance._meta.concrete_fields
            if is_guarded(field)
        ]
        if len(texts) > 1 and find_split(texts, in_order=False):
            raise ValidationError(_SPLIT_MESSAGE, code="isikukood")

    guarded_clean.guards_split_codes = True
    return guarded_clean


_SPLIT_MESSAGE = _(
    "Together, these texts contain a personal identification code (isikukood), shown one "
    "after the other. Remove it: the forum must never identify a child."
)


def is_guarded(field) -> bool:
    return any(isinstance(v, PersonalCodeValidator) for v in field.validators)


class PrivacyGuardMixin:
    """The guard as a form base: every text a form accepts (strings, tags, file names) is
    cleaned of control characters and refused when it carries a personal identification code,
    naming the field; a field that needs no check is listed in `unguarded` with the reason.
    Forms that call add_privacy_confirmation also ask the author to confirm text that looks
    like it names a child with an age or an address. A refusal keeps everything typed: the
    form is simply shown again."""

    unguarded: Mapping[str, str] = {}

    def add_privacy_confirmation(self):
        # Hidden until the text looks risky; then shown as a checkbox to tick.
        self.fields["confirm_privacy"] = forms.BooleanField(
            required=False,
            label=_("I have checked: no child can be identified from this text."),
            widget=forms.HiddenInput,
        )

    def _clean_fields(self):
        super()._clean_fields()
        self._texts_by_field = {}  # each field's accepted text, for the checks across fields
        for name, field in self.fields.items():
            if name not in self.cleaned_data or name in self.unguarded:
                continue
            try:
                # What was sent is checked as well as what cleaning made of it: lower-casing
                # tags or removing a right-to-left override must not undo a disguise.
                for text in texts_in(self[name].data):
                    guard_text(text)
                value = self._guard(self.cleaned_data[name], field)
            except ValidationError as error:
                self.add_error(name, _labelled(error, field, name))
            else:
                self.cleaned_data[name] = value
                self._texts_by_field[name] = "\n".join(texts_in(value))

    @staticmethod
    def _guard(value, field):
        single_line = not isinstance(field.widget, forms.Textarea)
        if isinstance(value, str):
            value = clean_text(value, single_line=single_line)
            if getattr(field, "strip", False):
                value = value.strip()
            if field.required and not value:
                raise ValidationError(field.error_messages["required"], code="required")
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            value = [clean_text(item, single_line=True) for item in value]
            # Tags are read as a list: "376, 050, 302, 99" shows a code no single tag holds.
            guard_text(", ".join(value))
        for text in texts_in(value):
            guard_text(text)
        return value

    def clean(self):
        cleaned = super().clean()
        if find_split(list(self._texts_by_field.values()), in_order=False):
            self.add_error(None, ValidationError(_SPLIT_MESSAGE, code="isikukood"))
            return cleaned
        if "confirm_privacy" not in self.fields or cleaned.get("confirm_privacy"):
            return cleaned
        risks = []
        for text in self._texts_by_field.values():
            risks += [r for r in identification_risks(text) if r not in risks]
        if risks:
            self.fields["confirm_privacy"].widget = forms.CheckboxInput()
            self.add_error(
                "confirm_privacy",
                _(
                    "The text seems to contain %(risks)s. Make sure no child can be identified, "
                    "then tick the box."
                )
                % {"risks": ", ".join(str(r) for r in risks)},
            )
        return cleaned


def _labelled(error: ValidationError, field, name: str) -> ValidationError:
    """The guard's refusal of a code, naming the field, so the error summary says where."""
    if getattr(error, "code", None) != "isikukood":
        return error
    return ValidationError(
        _(
            "The field “%(field)s” contains a personal identification code (isikukood). "
            "Remove it: the forum must never identify a child."
        )
        % {"field": capfirst(field.label or name)},
        code="isikukood",
    )


_UPPER = "A-ZÕÄÖÜŠŽА-ЯЁ"
_LOWER = "a-zõäöüšžа-яё"
_NAME = rf"[{_UPPER}][{_LOWER}]+(?:\s+[{_UPPER}][{_LOWER}]+)?"
_WORD = rf"[{_UPPER}{_LOWER}][{_LOWER}]+"
_NUMBER = r"\d{1,2}"
# Ages up to seventeen in words, any case: "seitsme-", "kaheteist(kümne)-", "seven-", "семи-".
_AGE_WORD_ET = (
    r"(?i:(?:ühe|kahe|kolme|nelja|viie|kuue|seitsme|kaheksa|üheksa)(?:teist(?:kümne)?)?|kümne)"
)
_AGE_WORD_EN = (
    r"(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen)"
)
_AGE_WORD_RU = (
    r"(?i:одно|двух|тр[её]х|четыр[её]х|пяти|шести|семи|восьми|девяти|десяти|одиннадцати|"
    r"двенадцати|тринадцати|четырнадцати|пятнадцати|шестнадцати|семнадцати)"
)
_NUMBER_WORD = (
    r"(?i:üks|kaks|kolm|neli|viis|kuus|seitse|kaheksa|üheksa|kümme|(?:üks|kaks|kolm|neli|viis|"
    r"kuus|seitse|kaheksa|üheksa)teist|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen)"
)
# One child's age: "7-aastane" and its singular case forms ("7-aastasel", "seitsmeaastast"),
# "7 years old", "семилетний"; not the plural "7-aastased", which speaks of a group.
_AASTANE = r"(?i:aasta(?:ne|se(?:l|le|ks|ga|st|sse|s|lt|na|ni|ta)?|st))\b"
_AGE = (
    rf"(?:(?:{_NUMBER}\s*-?\s*|{_AGE_WORD_ET}\s*-?\s*){_AASTANE}"
    rf"|{_NUMBER}\s*(?:years?\s+old|-year-old|y/o)\b"
    rf"|(?:{_NUMBER}-?|{_AGE_WORD_RU})(?i:летн(?:ий|яя|его|ей|ему|юю))\b)"
)
# A bare age closing a clause: "Mari on 9 ja…", "Amelia is only eight.", "Артуру уже 16,".
# (A full stop must end the sentence: "7." before a lower-case word is an ordinal.)
_BARE_AGE = (
    rf"(?:{_NUMBER}|{_NUMBER_WORD})"
    rf"(?=\s*(?:[,;:!?)]|\.(?:\s+[{_UPPER}]|\s*$)|ja\b|and\b|$))"
)
# Words that make a number a limit, not an age: "alla 18-aastast", "kuni 7-aastane".
_LIMIT = r"(?i:alla|üle|kuni|umbes|vähemalt|kõik|iga|üks|ühe|under|over|about|up|один|одна)"
# "7a" before a class or group is the class, not an age: "7a klassis", "Kooli 7a rühm".
_NOT_A_CLASS = r"(?!\s*(?:-?\w*\s+)?(?i:klass|kl\b|rühm))"
_NAME_WITH_AGE = re.compile(
    # "mari, 7 aastane", "Mari on 7 aastane", "Mari on seitsmeaastane", "Tom, 8 years old"
    rf"\b(?!{_LIMIT}\b){_WORD}\s*(?:,\s*|\(\s*|\s+(?:on|is)\s+|\s+){_AGE}"
    # "Mari 7a", "Mari (7)", "Mari, 7 a.", "Tom, aged 8", "Маша, 7 лет", "Саше 12 лет"
    rf"|\b{_NAME}\s*(?:,\s*|\(\s*|\s+)(?:aged\s+|vanus(?:elt)?:?\s+)?{_NUMBER}"
    rf"\s*(?:a\b\.?{_NOT_A_CLASS}|\)|лет\b|года?\b|г\.|,|\s+(?:and|years|aastat)\b)"
    # "Mari on 9 ja…", "Markus, kes on 17,", "Amelia is only eight.", "Артуру уже 16,"
    rf"|\b{_NAME},?\s+(?:kes\s+on|on|is|who\s+is|уже|исполнилось)\s+"
    rf"(?:(?:only|just|now|vaid|alles|juba)\s+)?{_BARE_AGE}"
    # "jaan 13a ütles" (but not "meie 7a klass")
    rf"|\b{_WORD}\s+{_NUMBER}a\b{_NOT_A_CLASS}"
    # "7-aastane Jüri", "12-aastasel Lisandril", "8-year-old Tom", "a 15-year-old named Isabel"
    rf"|{_AGE}\s+(?:(?i:named|called|nimega)\s+)?[{_UPPER}][{_LOWER}]+"
    rf"|\b(?:{_NUMBER}|{_AGE_WORD_EN})-year-old\s+(?:(?i:named|called)\s+)?[{_UPPER}][{_LOWER}]+"
)
# Street words, with Estonian and Russian case endings ("tänaval", "maanteel", "переулке").
_STREET = (
    r"(?i:tn|tänav\w*|mnt|maante\w*|pst|puiestee\w*|põik\w*|allee\w*|väljak\w*|tee\w{0,3}|"
    r"street|road|avenue|lane|st|rd|ave|переул\w*|проспект\w*)"
)
_ADDRESS = re.compile(
    # "Tamme tee 5", "Tamme tn5", "Pärnu mnt. 12a", "Lille tänaval 8", "Maple St 22"
    rf"\b[{_UPPER}][{_LOWER}]+\s+{_STREET}\.?\s*\d+"
    # "12 Baker Street", "3 Church Lane", "14 Elm Grove Road", "5 Orchard Close"
    rf"|\b\d+[a-z]?\s+(?:[{_UPPER}][{_LOWER}]+\s+){{1,2}}"
    rf"(?:Street|Road|Avenue|Lane|Close|Drive|Way|Grove|Court|St|Rd|Ave)\b"
    # "ул. Ленина 5", "на улице Мира 12", "ул. Школьная, д. 9", "проспекте Мира 40"
    rf"|(?:\bул\.|\b[Уу]лиц\w*|\b[Пп]роспект\w*|\b[Пп]ереул\w*)\s*[{_UPPER}][{_LOWER}]+"
    rf"\s*,?\s*(?:д\.\s*)?\d+",
)


def identification_risks(text: str) -> list[str]:
    """What in the text may identify a child (for a warning, not a refusal)."""
    # As read, on single spaces: runs of whitespace would make the patterns backtrack.
    text = " ".join(reader_text(text or "")[:MAX_TEXT].split())
    risks = []
    if _NAME_WITH_AGE.search(text):
        risks.append(_("a name together with an age"))
    if _ADDRESS.search(text):
        risks.append(_("a street address"))
    return risks
