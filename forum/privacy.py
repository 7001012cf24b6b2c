"""Privacy of children: the forum must never become a register of identifiable children.

Text with a valid Estonian personal identification code (isikukood) is refused; names with
ages and street addresses draw a warning the author must confirm."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Eleven digits, optionally grouped with single spaces or hyphens ("390 0101 0008").
_CANDIDATE = re.compile(r"(?<![\d])(?:\d[ \-]?){10}\d(?![\d])")
_WEIGHTS = ((1, 2, 3, 4, 5, 6, 7, 8, 9, 1), (3, 4, 5, 6, 7, 8, 9, 1, 2, 3))
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000, 7: 2100, 8: 2100}


def is_isikukood(code: str) -> bool:
    """A valid isikukood: 11 digits, sex-and-century digit 1–8, a real date of birth and the
    check digit (weights 1…9,1; if that gives 10, weights 3…9,1,2,3; if 10 again, 0)."""
    if len(code) != 11 or not code.isdigit() or code[0] not in "12345678":
        return False
    year = _CENTURY[int(code[0])] + int(code[1:3])
    try:
        datetime.date(year, int(code[3:5]), int(code[5:7]))
    except ValueError:
        return False
    digits = [int(c) for c in code]
    for weights in _WEIGHTS:
        check = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
        if check != 10:
            return check == digits[10]
    return digits[10] == 0


def find_isikukood(text: str) -> str | None:
    for match in _CANDIDATE.finditer(text or ""):
        code = re.sub(r"[ \-]", "", match.group())
        if is_isikukood(code):
            return code
    return None


def validate_no_isikukood(text: str) -> None:
    if find_isikukood(text):
        raise ValidationError(
            _(
                "This text contains a personal identification code (isikukood). Remove it: "
                "the forum must never identify a child."
            ),
            code="isikukood",
        )


_UPPER = "A-ZÕÄÖÜŠŽ"
_LOWER = "a-zõäöüšž"
_NAME_WITH_AGE = re.compile(
    rf"\b[{_UPPER}][{_LOWER}]+(?:\s+[{_UPPER}][{_LOWER}]+)?\s*(?:,\s*|\()\s*\d{{1,2}}\s*"
    rf"(?:-?\s*aastane|a\b|\)|\s*years?\s+old|-year-old)"
    rf"|\b\d{{1,2}}\s*-?\s*(?:aastane|year-old)\s+[{_UPPER}][{_LOWER}]+",
)
_ADDRESS = re.compile(
    rf"\b[{_UPPER}][{_LOWER}]+\s+(?:tn|tänav|mnt|maantee|pst|puiestee|street|road)\.?\s+\d+",
)


def identification_risks(text: str) -> list[str]:
    """What in the text may identify a child (for a warning, not a refusal)."""
    # Single spaces first: runs of whitespace would make the patterns backtrack for seconds.
    text = " ".join((text or "").split())
    risks = []
    if _NAME_WITH_AGE.search(text or ""):
        risks.append(_("a name together with an age"))
    if _ADDRESS.search(text or ""):
        risks.append(_("a street address"))
    return risks
