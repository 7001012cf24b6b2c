"""Deterministic corpus of spreadsheets for measuring the isikukood upload check.

``corpus()`` returns ``(case_id, filename, data, contains_code)`` tuples.
``corpus_detailed()`` returns :class:`Case` objects that additionally carry a
one-line description, a category, the intermediate workbook model (so a
refused case can be bisected cell by cell) and, for positive cases, a
*control* file: the same workbook with the code replaced by an invalid
look-alike (to check that a positive is caught because of the code and not
because of something else in the filler).

Everything is generated from seeded ``random.Random`` instances and written
with fixed timestamps, so the bytes are identical from run to run.

The workbooks imitate what a network of child-welfare NGOs keeps: participant
counts per month and county, budgets, partner contact lists, invoices, bank
statements, event schedules, orders with barcodes, statistics.  All names
and organisations are invented.

Negative categories (``contains_code`` is False):

* ``plain``    - ordinary numbers; no 11-digit number anywhere.
* ``tricky11`` - also holds standalone 11-digit numbers that look like an
  isikukood but are not one (wrong checksum, impossible date, first digit
  outside 1-6).
* ``hard``     - a valid isikukood digit sequence occurs only *inside*
  something a reader does not see as a code: an 11-digit window of a longer
  number (IBAN, EAN-13, bank archive id, 15-digit decimal fraction), the
  11 fraction digits of a decimal number, or the concatenation of two
  neighbouring cells (e.g. invoice number 376050 next to postal code 30299).

Every case also carries ``flags`` computed from the bytes of the generated
file (:func:`scan_flags`): a ``plain``/``tricky11`` case whose floats happen
to contain a valid 11-digit window (e.g. 0.0700361010830325) keeps its
category; its description then says ACCIDENTAL.
"""

# ruff: noqa: E501  (long XML literals)

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

SEED = 20240305
ZIP_TIME = (2024, 3, 5, 12, 0, 0)
FIXED_DT = dt.datetime(2024, 3, 5, 12, 0, 0)

# ---------------------------------------------------------------------------
# isikukood
# ---------------------------------------------------------------------------
W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 1)
W2 = (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)
CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def ik_stage_sums(d10: str) -> tuple[int, int]:
    return (
        sum(int(a) * w for a, w in zip(d10, W1, strict=True)) % 11,
        sum(int(a) * w for a, w in zip(d10, W2, strict=True)) % 11,
    )


def ik_checksum(d10: str) -> int:
    s1, s2 = ik_stage_sums(d10)
    if s1 != 10:
        return s1
    return 0 if s2 == 10 else s2


def is_isikukood(s: str) -> bool:
    if len(s) != 11 or not s.isdigit():
        return False
    g = int(s[0])
    if g not in CENTURY:
        return False
    try:
        dt.date(CENTURY[g] + int(s[1:3]), int(s[3:5]), int(s[5:7]))
    except ValueError:
        return False
    return ik_checksum(s[:10]) == int(s[10])


def why_invalid(s: str) -> str:
    """Short reason an 11-digit string is not an isikukood."""
    if len(s) != 11 or not s.isdigit():
        return "not 11 digits"
    g = int(s[0])
    if g not in CENTURY:
        return f"first digit {g}"
    try:
        dt.date(CENTURY[g] + int(s[1:3]), int(s[3:5]), int(s[5:7]))
    except ValueError:
        return f"impossible date {CENTURY[g] + int(s[1:3])}-{s[3:5]}-{s[5:7]}"
    if ik_checksum(s[:10]) != int(s[10]):
        return f"wrong checksum (would be {ik_checksum(s[:10])})"
    return "VALID"


def has_window(digits: str) -> bool:
    return any(is_isikukood(digits[i : i + 11]) for i in range(len(digits) - 10))


def _rand_date(rng, y0, y1):
    a, b = dt.date(y0, 1, 1).toordinal(), dt.date(y1, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(a, b))


def _g_for(year: int, male: bool) -> int:
    return {1800: 1, 1900: 3, 2000: 5}[year // 100 * 100] + (0 if male else 1)


def make_code(rng, y0=1950, y1=2020, d=None, g=None) -> str:
    d = d or _rand_date(rng, y0, y1)
    g = g or _g_for(d.year, rng.random() < 0.5)
    s10 = f"{g}{d.year % 100:02d}{d.month:02d}{d.day:02d}{rng.randint(1, 710):03d}"
    code = s10 + str(ik_checksum(s10))
    assert is_isikukood(code), code
    return code


def make_special_code(rng, kind: str) -> str:
    """Valid codes that exercise the less common branches."""
    for _ in range(100000):
        if kind == "stage2":  # first sum is 10, second is not
            c = make_code(rng)
            s1, s2 = ik_stage_sums(c[:10])
            if s1 == 10 and s2 != 10:
                return c
        elif kind == "double10":  # both sums are 10 -> checksum 0
            c = make_code(rng)
            s1, s2 = ik_stage_sums(c[:10])
            if s1 == 10 and s2 == 10:
                return c
        elif kind == "leap2000":
            return make_code(rng, d=dt.date(2000, 2, 29))
        elif kind == "c1800":
            return make_code(rng, 1860, 1899)
        elif kind == "child":
            return make_code(rng, 2008, 2022)
        elif kind == "adult":
            return make_code(rng, 1950, 2000)
        else:
            raise ValueError(kind)
    raise RuntimeError(kind)


CODE_KINDS = ["adult", "child", "adult", "child", "stage2", "double10", "leap2000", "c1800"]

# --- invalid look-alikes ---------------------------------------------------


def fake_wrong_checksum(rng) -> str:
    c = make_code(rng, 1950, 2022)
    bad = (int(c[10]) + rng.randint(1, 9)) % 10
    s = c[:10] + str(bad)
    assert not is_isikukood(s)
    return s


def fake_bad_date(rng) -> str:
    kind = rng.choice(
        [
            "month13",
            "month00",
            "day00",
            "day32",
            "feb30",
            "feb29",
            "apr31",
            "jun31",
            "feb29_1900",
            "month19",
        ]
    )
    g = rng.choice([3, 4, 5, 6])
    yy = rng.randint(0, 99) if g < 5 else rng.randint(0, 24)
    if kind == "month13":
        mm, dd = 13, rng.randint(1, 28)
    elif kind == "month19":
        mm, dd = 19, rng.randint(1, 28)
    elif kind == "month00":
        mm, dd = 0, rng.randint(1, 28)
    elif kind == "day00":
        mm, dd = rng.randint(1, 12), 0
    elif kind == "day32":
        mm, dd = rng.randint(1, 12), rng.randint(32, 39)
    elif kind == "feb30":
        mm, dd = 2, rng.choice([30, 31])
    elif kind == "feb29":
        mm, dd = 2, 29
        yy = rng.choice([y for y in range(1, 99) if y % 4])
        if g >= 5:
            yy = rng.choice([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23])
    elif kind == "feb29_1900":
        g, yy, mm, dd = rng.choice([3, 4]), 0, 2, 29
    elif kind == "apr31":
        mm, dd = 4, 31
    else:
        mm, dd = 6, 31
    s10 = f"{g}{yy:02d}{mm:02d}{dd:02d}{rng.randint(1, 710):03d}"
    s = s10 + str(ik_checksum(s10))  # checksum right, date wrong
    assert not is_isikukood(s), s
    return s


def fake_bad_g(rng, allow_zero=True) -> str:
    g = rng.choice([0, 7, 8, 9] if allow_zero else [7, 8, 9])
    d = _rand_date(rng, 1950, 2022)
    s10 = f"{g}{d.year % 100:02d}{d.month:02d}{d.day:02d}{rng.randint(1, 710):03d}"
    s = s10 + str(ik_checksum(s10))
    assert not is_isikukood(s)
    return s


def fake_code(rng, allow_zero=True) -> str:
    r = rng.random()
    if r < 0.45:
        return fake_wrong_checksum(rng)
    if r < 0.85:
        return fake_bad_date(rng)
    return fake_bad_g(rng, allow_zero)


def control_for(code: str) -> str:
    """Invalid twin of a valid code (checksum + 1)."""
    s = code[:10] + str((int(code[10]) + 1) % 10)
    assert not is_isikukood(s)
    return s


# --- other numbers ---------------------------------------------------------


def _digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def safe_digits(rng, n, first=None) -> str:
    """n random digits with no valid isikukood anywhere inside."""
    while True:
        s = (first or str(rng.randint(1, 9))) + _digits(rng, n - len(first or "x"))
        if not has_window(s) and not (n == 11 and is_isikukood(s)):
            return s


def iban(rng, code=None) -> str:
    bank = rng.choice(["22", "10", "17", "77", "96"])
    while True:
        bban = (
            (bank + _digits(rng, 1) + code + _digits(rng, 2)) if code else bank + _digits(rng, 14)
        )
        chk = 98 - int(bban + "141400") % 97
        s = f"EE{chk:02d}{bban}"
        if code or not has_window(s[2:]):
            return s


def group4(s):
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def ean13(rng, code=None) -> str:
    while True:
        d12 = (code + _digits(rng, 1)) if code else "474" + _digits(rng, 9)
        s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(d12))
        e = d12 + str((10 - s % 10) % 10)
        if code or not has_window(e):
            return e


def viitenumber(rng, n) -> str:
    while True:
        base = str(rng.randint(1, 9)) + _digits(rng, n - 2)
        w = (7, 3, 1)
        s = sum(int(c) * w[i % 3] for i, c in enumerate(reversed(base)))
        ref = base + str((10 - s % 10) % 10)
        if not has_window(ref) and not is_isikukood(ref):
            return ref


def mobile(rng):
    n = "5" + _digits(rng, 7)
    return rng.choice([f"+372 {n[:4]} {n[4:]}", f"+372{n}", f"{n[:4]} {n[4:]}", n, int(n)])


def landline(rng):
    n = rng.choice("3467") + _digits(rng, 6)
    return rng.choice([f"+372 {n[:3]} {n[3:]}", f"{n[:3]} {n[3:]}", n, int(n)])


def postal(rng):
    p = rng.randint(10000, 94999)
    return p if rng.random() < 0.5 else str(p)


def regcode(rng):
    r = rng.choice("89") + _digits(rng, 7)
    return int(r) if rng.random() < 0.5 else r


# ---------------------------------------------------------------------------
# workbook model
# ---------------------------------------------------------------------------


@dataclass
class Cell:
    v: object  # None, str, int, float, date, datetime, time
    fmt: str | None = None  # eur, pct, sci, dec2, date, dt, time
    comment: str | None = None
    formula: str | None = None  # A1-style without '=', value is the cached result
    rich: bool = False  # xlsx: write as inline rich text


@dataclass
class Sheet:
    name: str
    rows: dict = field(default_factory=dict)  # row number (1-based) -> list[Cell|None]
    merges: list = field(default_factory=list)  # (r1, c1, r2, c2), 1-based
    header: str | None = None
    footer: str | None = None

    def put(self, r, c, cell):
        row = self.rows.setdefault(r, [])
        while len(row) < c:
            row.append(None)
        row[c - 1] = cell

    def add_row(self, values, start_col=1):
        r = (max(self.rows) + 1) if self.rows else 1
        for i, v in enumerate(values):
            if v is not None:
                self.put(r, start_col + i, v if isinstance(v, Cell) else Cell(v))
        return r

    @property
    def ncols(self):
        return max((len(r) for r in self.rows.values()), default=0)


@dataclass
class Book:
    sheets: list
    locale: str = "et"  # display conventions for ODS text:p and CSV
    ods_currency: bool = True
    csv_sep: str = ";"
    csv_bom: bool = False
    csv_crlf: bool = True
    csv_group: bool = False  # thousands separators in CSV money


# ---------------------------------------------------------------------------
# display / raw representations
# ---------------------------------------------------------------------------


def _g15(v) -> str:
    """A number the way LibreOffice writes it in ODS (office:value and the
    General-format text:p): 15 significant digits, plain notation unless the
    number is huge (then 6.02E+023)."""
    if isinstance(v, int):
        return str(v)
    s = f"{v:.15g}"
    if "e" not in s:
        return s
    m, e = s.split("e")
    e = int(e)
    if e >= 15:
        return f"{m}E+{e:03d}"
    d = Decimal(s)
    return format(d, "f")


def _loc(s: str, loc: str, group=False) -> str:
    if loc == "et":
        s = s.replace(",", "\u00a0" if group else "").replace(".", ",")
    elif not group:
        s = s.replace(",", "")
    return s


def display(cell: Cell, loc: str, csv_mode=False, group=True) -> str:
    v, f = cell.v, cell.fmt
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, dt.datetime):
        return v.strftime("%d.%m.%Y %H:%M") if loc == "et" else v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.strftime("%d.%m.%Y") if loc == "et" else v.strftime("%Y-%m-%d")
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    if f == "eur":
        s = _loc(f"{v:,.2f}", loc, group)
        if csv_mode:
            return s
        return s + " €" if loc == "et" else "€" + s
    if f == "pct":
        return _loc(f"{v * 100:.2f}", loc) + "%"
    if f == "sci":
        return _loc(f"{v:.2E}", loc)
    if f == "dec2":
        return _loc(f"{v:.2f}", loc)
    if isinstance(v, int):
        return str(v)
    return _loc(_g15(v), loc)


def ods_value(v) -> str:
    return _g15(v)


def xlsx_cached(v) -> str:
    # Excel writes up to 17 significant digits for cached formula results
    s = f"{v:.17g}" if isinstance(v, float) else str(v)
    return s.replace("e", "E")


# ---------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------


def _repack(data: bytes, edit=None) -> bytes:
    """Rewrite a zip with fixed timestamps (optionally editing members)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if edit:
                body = edit(info.filename, body)
            zi = zipfile.ZipInfo(info.filename, ZIP_TIME)
            zi.compress_type = info.compress_type
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, body)
    return out.getvalue()


_XLSX_NUMFMT = {
    "eur": '#,##0.00\\ "€"',
    "pct": "0.00%",
    "sci": "0.00E+00",
    "dec2": "0.00",
    "date": "DD.MM.YYYY",
    "dt": "DD.MM.YYYY HH:MM",
    "time": "HH:MM",
}


def write_xlsx(book: Book) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    cached = {}  # sheet index -> {coord: value}
    for si, sh in enumerate(book.sheets, 1):
        ws = wb.create_sheet(sh.name)
        for r in sorted(sh.rows):
            for c, cell in enumerate(sh.rows[r], 1):
                if cell is None:
                    continue
                x = ws.cell(row=r, column=c)
                if cell.formula:
                    x.value = "=" + cell.formula
                    cached.setdefault(si, {})[f"{get_column_letter(c)}{r}"] = cell.v
                elif cell.rich and isinstance(cell.v, str):
                    head, _, tail = cell.v.rpartition(" ")
                    x.value = CellRichText([head + " ", TextBlock(InlineFont(b=True), tail)])
                else:
                    x.value = cell.v
                fmt = cell.fmt
                if fmt is None and isinstance(cell.v, dt.datetime):
                    fmt = "dt"
                elif fmt is None and isinstance(cell.v, dt.date):
                    fmt = "date"
                elif fmt is None and isinstance(cell.v, dt.time):
                    fmt = "time"
                if fmt in _XLSX_NUMFMT:
                    x.number_format = _XLSX_NUMFMT[fmt]
                if cell.comment:
                    x.comment = Comment(cell.comment, "Kertu Lepiksoo")
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        if sh.header:
            ws.oddHeader.center.text = sh.header
        if sh.footer:
            ws.oddFooter.left.text = sh.footer
    wb.properties.creator = "Koda testkorpus"
    wb.properties.created = FIXED_DT
    buf = io.BytesIO()
    wb.save(buf)

    def edit(name, body):
        if name == "docProps/core.xml":
            return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-03-05T12:00:00Z", body)
        m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
        if m and int(m.group(1)) in cached:
            vals = cached[int(m.group(1))]
            text = body.decode("utf-8")

            def fill(mm):
                return f"{mm.group(1)}<v>{xlsx_cached(vals[mm.group(2)])}</v></c>"

            text = re.sub(r'(<c r="([A-Z]+\d+)"[^>]*><f>[^<]*</f>)<v\s*/></c>', fill, text)
            return text.encode("utf-8")
        return body

    return _repack(buf.getvalue(), edit)


NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)


def _text_p(s: str) -> str:
    out = escape(s)
    out = re.sub(r"  +", lambda m: " " + f'<text:s text:c="{len(m.group()) - 1}"/>', out)
    return f"<text:p>{out}</text:p>"


def _of_formula(f: str) -> str:
    f = re.sub(r"([A-Z]+\d+):([A-Z]+\d+)", r"[.\1:.\2]", f)
    f = re.sub(r"(?<![.A-Z])([A-Z]{1,2}\d+)(?![\d\]:])", r"[.\1]", f)
    return "of:=" + f.replace(",", ";")


def _ods_cell(cell: Cell, book: Book, span=None) -> str:
    attrs = []
    if span:
        attrs.append(
            f'table:number-columns-spanned="{span[1]}" table:number-rows-spanned="{span[0]}"'
        )
    if cell.formula:
        attrs.append(f"table:formula={quoteattr(_of_formula(cell.formula))}")
    v = cell.v
    if isinstance(v, str):
        attrs.append('office:value-type="string" calcext:value-type="string"')
    elif isinstance(v, dt.date):  # includes datetime
        attrs.append(
            f'office:value-type="date" office:date-value="{v.isoformat()}" calcext:value-type="date"'
        )
    elif isinstance(v, dt.time):
        attrs.append(
            f'office:value-type="time" office:time-value="PT{v.hour:02d}H{v.minute:02d}M{v.second:02d}S" '
            'calcext:value-type="time"'
        )
    elif cell.fmt == "pct":
        attrs.append(
            f'office:value-type="percentage" office:value="{ods_value(v)}" calcext:value-type="percentage"'
        )
    elif cell.fmt == "eur" and book.ods_currency:
        attrs.append(
            f'office:value-type="currency" office:currency="EUR" office:value="{ods_value(v)}" '
            'calcext:value-type="currency"'
        )
    elif v is not None:
        attrs.append(
            f'office:value-type="float" office:value="{ods_value(v)}" calcext:value-type="float"'
        )
    inner = ""
    if cell.comment:
        inner += (
            "<office:annotation><dc:creator>Kertu Lepiksoo</dc:creator>"
            "<dc:date>2024-03-05T12:00:00</dc:date>"
            + _text_p(cell.comment)
            + "</office:annotation>"
        )
    if v is not None:
        text = display(cell, book.locale)
        if cell.rich and isinstance(v, str):
            head, _, tail = v.rpartition(" ")
            inner += f'<text:p>{escape(head)} <text:span text:style-name="T1">{escape(tail)}</text:span></text:p>'
        else:
            inner += _text_p(text)
    a = (" " + " ".join(attrs)) if attrs else ""
    return (
        f"<table:table-cell{a}>{inner}</table:table-cell>" if inner or a else "<table:table-cell/>"
    )


def write_ods(book: Book) -> bytes:
    auto, masters, tables = [], [], []
    for si, sh in enumerate(book.sheets, 1):
        page = "Default"
        if sh.header or sh.footer:
            page = f"PageStyle{si}"
            hf = ""
            if sh.header:
                hf += f"<style:header>{_text_p(sh.header)}</style:header>"
            if sh.footer:
                hf += f"<style:footer>{_text_p(sh.footer)}</style:footer>"
            masters.append(
                f'<style:master-page style:name="{page}" style:page-layout-name="pm1">{hf}</style:master-page>'
            )
        auto.append(
            f'<style:style style:name="ta{si}" style:family="table" style:master-page-name="{page}">'
            '<style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>'
        )
        ncols = max(sh.ncols, max((m[3] for m in sh.merges), default=0), 1)
        covered, spans = set(), {}
        for r1, c1, r2, c2 in sh.merges:
            spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        covered.add((r, c))
        rows_xml = []
        last = 0
        all_rows = sorted(set(sh.rows) | {r for (r, c) in covered} | {r for (r, c) in spans})
        for r in all_rows:
            gap = r - last - 1
            if gap > 0:
                rep = f' table:number-rows-repeated="{gap}"' if gap > 1 else ""
                rows_xml.append(
                    f'<table:table-row{rep}><table:table-cell table:number-columns-repeated="{ncols}"/></table:table-row>'
                )
            cells = sh.rows.get(r, [])
            parts, empty = [], 0
            for c in range(1, ncols + 1):
                cell = cells[c - 1] if c <= len(cells) else None
                if (r, c) in covered:
                    if empty:
                        parts.append(
                            f'<table:table-cell table:number-columns-repeated="{empty}"/>'
                            if empty > 1
                            else "<table:table-cell/>"
                        )
                        empty = 0
                    parts.append("<table:covered-table-cell/>")
                elif cell is None and (r, c) not in spans:
                    empty += 1
                else:
                    if empty:
                        parts.append(
                            f'<table:table-cell table:number-columns-repeated="{empty}"/>'
                            if empty > 1
                            else "<table:table-cell/>"
                        )
                        empty = 0
                    parts.append(_ods_cell(cell or Cell(None), book, spans.get((r, c))))
            if empty:
                parts.append(
                    f'<table:table-cell table:number-columns-repeated="{empty}"/>'
                    if empty > 1
                    else "<table:table-cell/>"
                )
            rows_xml.append("<table:table-row>" + "".join(parts) + "</table:table-row>")
            last = r
        tables.append(
            f'<table:table table:name={quoteattr(sh.name)} table:style-name="ta{si}">'
            f'<table:table-column table:number-columns-repeated="{ncols}"/>'
            + "".join(rows_xml)
            + "</table:table>"
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {NS} office:version="1.3">'
        "<office:automatic-styles>"
        + "".join(auto)
        + '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    styles = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-styles {NS} office:version="1.3">'
        '<office:automatic-styles><style:page-layout style:name="pm1"/></office:automatic-styles>'
        '<office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1"/>'
        + "".join(masters)
        + "</office:master-styles></office:document-styles>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-meta {NS} office:version="1.3"><office:meta>'
        "<meta:generator>LibreOffice/7.6.4.1$Linux_X86_64</meta:generator>"
        "<meta:creation-date>2024-03-05T12:00:00</meta:creation-date>"
        "<dc:date>2024-03-05T12:00:00</dc:date></office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        zi = zipfile.ZipInfo("mimetype", ZIP_TIME)
        zi.compress_type = zipfile.ZIP_STORED
        z.writestr(zi, "application/vnd.oasis.opendocument.spreadsheet")
        for name, body in (
            ("meta.xml", meta),
            ("styles.xml", styles),
            ("content.xml", content),
            ("META-INF/manifest.xml", manifest),
        ):
            zi = zipfile.ZipInfo(name, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, body.encode("utf-8"))
    return out.getvalue()


def csv_rows(book: Book):
    sh = book.sheets[0]
    n = sh.ncols
    out = []
    for r in range(1, max(sh.rows, default=0) + 1):
        cells = sh.rows.get(r, [])
        out.append(
            [
                display(c, book.locale, csv_mode=True, group=book.csv_group) if c else ""
                for c in cells
            ]
            + [""] * (n - len(cells))
        )
    return out


def write_csv(book: Book) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=book.csv_sep, lineterminator="\r\n" if book.csv_crlf else "\n")
    w.writerows(csv_rows(book))
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if book.csv_bom else data


def write(book: Book, fmt: str) -> bytes:
    return {"xlsx": write_xlsx, "ods": write_ods, "csv": write_csv}[fmt](book)


# ---------------------------------------------------------------------------
# what is in a file: flags
# ---------------------------------------------------------------------------

_RUN = re.compile(r"\d+")
_JOINED = re.compile(r"\d+(?:[ \u00a0\u202f-]\d+)+")


def scan_text(text: str) -> list[tuple[str, str]]:
    """Flags for one piece of text.

    CODE       a standalone 11-digit run that is a valid code
    fraction11 the 11 digits after a decimal point/comma form a valid code
    window     a valid code is an 11-digit window of a longer digit run
    joined     digit groups separated by space/dash join to (a window of) a valid code
    """
    out = []
    for m in _RUN.finditer(text):
        run, i = m.group(), m.start()
        frac = i >= 2 and text[i - 1] in ".," and text[i - 2].isdigit()
        ctx = text[max(0, i - 12) : m.end() + 4]
        if len(run) == 11 and is_isikukood(run):
            out.append(("fraction11" if frac else "CODE", ctx))
        elif len(run) > 11 and has_window(run):
            out.append(("window", ctx))
    for m in _JOINED.finditer(text):
        j = re.sub(r"\D", "", m.group())
        hit = (len(j) == 11 and is_isikukood(j)) or (len(j) > 11 and has_window(j))
        if hit and not any(f in ("CODE", "window") and m.group() in c for f, c in out):
            out.append(("joined", m.group()))
    return out


def _digit_rep(cell: Cell | None, fmt: str, loc: str):
    if cell is None or cell.v is None:
        return None
    v = cell.v
    if isinstance(v, (bool, dt.date, dt.time)):
        return None
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        s = v.strip()
        return s if s.isdigit() else None
    return None


def adjacency_flags(book: Book, fmt: str) -> list[tuple[str, str]]:
    out = []
    sheets = book.sheets[:1] if fmt == "csv" else book.sheets
    for sh in sheets:
        for r, cells in sh.rows.items():
            reps = [_digit_rep(c, fmt, book.locale) for c in cells]
            nonempty = [
                (i, x)
                for i, x in enumerate(reps)
                if cells[i] is not None and cells[i].v not in (None, "")
            ]
            for k in (2, 3):
                for j in range(len(nonempty) - k + 1):
                    grp = nonempty[j : j + k]
                    if any(x is None for _, x in grp):
                        continue
                    joined = "".join(x for _, x in grp)
                    if len(joined) == 11 and is_isikukood(joined):
                        out.append(
                            ("adjacent", f"{sh.name}!row{r}: " + " | ".join(x for _, x in grp))
                        )
    return out


def file_texts(data: bytes, fmt: str, sep: str = ";") -> list[str]:
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        return [f for row in csv.reader(io.StringIO(text), delimiter=sep) for f in row]
    z = zipfile.ZipFile(io.BytesIO(data))
    names = [
        n
        for n in z.namelist()
        if (fmt == "ods" and n in ("content.xml", "styles.xml", "meta.xml"))
        or (
            fmt == "xlsx"
            and (
                n.startswith("xl/worksheets/sheet")
                or n in ("xl/sharedStrings.xml", "xl/workbook.xml")
                or n.startswith("xl/comments")
            )
        )
    ]
    return [z.read(n).decode("utf-8") for n in names]


def scan_flags(book: Book, fmt: str, data: bytes) -> list[tuple[str, str]]:
    out = []
    for t in file_texts(data, fmt, book.csv_sep):
        out += scan_text(t)
    out += adjacency_flags(book, fmt)
    return out


# ---------------------------------------------------------------------------
# content templates
# ---------------------------------------------------------------------------

FIRST = [
    "Kertu",
    "Marten",
    "Liisbet",
    "Oskar",
    "Grete",
    "Rasmus",
    "Helena",
    "Tormi",
    "Anete",
    "Kaur",
    "Merilin",
    "Sander",
    "Triinu",
    "Joonas",
    "Elis",
    "Karmo",
    "Maarja",
    "Siimo",
    "Kadri",
    "Priit",
]
LAST = [
    "Kaasikmägi",
    "Põldvere",
    "Lepiksoo",
    "Tammelaan",
    "Rebasmaa",
    "Kuusepõld",
    "Järvesalu",
    "Kivirand",
    "Mõisanurm",
    "Sepaküla",
    "Vahtrametsa",
    "Heinakaar",
    "Ojasalu",
    "Pihlakvere",
    "Roosimäe",
]
ORGS = [
    "MTÜ Päikesekiir Pere",
    "MTÜ Laste Tugisild",
    "SA Kaselehe Noortekeskus",
    "MTÜ Turvaline Kodu Lõuna",
    "MTÜ Mänguring",
    "SA Perede Abikäsi",
    "MTÜ Noorte Valguskoda",
    "MTÜ Vikerkaare Tugirühm",
    "SA Lapsesõbralik Kogukond",
    "MTÜ Rõõmsad Sammud",
    "MTÜ Kodulävi",
    "MTÜ Tõrukese Pesa",
    "SA Saareranna Lastekodu",
    "MTÜ Kõrvemaa Perekeskus",
    "MTÜ Heatahte Ring",
]
SUPPLIERS = [
    "OÜ Paberiveski Kaubandus",
    "AS Mängumaailm Hulgi",
    "OÜ Laagrimaja Kuusiku",
    "OÜ Bussiveod Kaur",
    "OÜ Toidukorv Lõuna",
    "AS Kontoritarbe Keskus",
    "OÜ Koolitusruum 7",
    "OÜ IT-Abi Plus",
]
COUNTIES = [
    "Harjumaa",
    "Hiiumaa",
    "Ida-Virumaa",
    "Jõgevamaa",
    "Järvamaa",
    "Läänemaa",
    "Lääne-Virumaa",
    "Põlvamaa",
    "Pärnumaa",
    "Raplamaa",
    "Saaremaa",
    "Tartumaa",
    "Valgamaa",
    "Viljandimaa",
    "Võrumaa",
]
TOWNS = [
    "Tallinn",
    "Kärdla",
    "Jõhvi",
    "Jõgeva",
    "Paide",
    "Haapsalu",
    "Rakvere",
    "Põlva",
    "Pärnu",
    "Rapla",
    "Kuressaare",
    "Tartu",
    "Valga",
    "Viljandi",
    "Võru",
]
STREETS = ["Pargi", "Kooli", "Aia", "Vabriku", "Lossi", "Jaama", "Metsa", "Kalda", "Pikk", "Turu"]
MONTHS = [
    "jaan",
    "veebr",
    "märts",
    "apr",
    "mai",
    "juuni",
    "juuli",
    "aug",
    "sept",
    "okt",
    "nov",
    "dets",
]


def person(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def col(c):
    s = ""
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def t_participants(rng):
    year = rng.randint(2019, 2025)
    sh = Sheet(rng.choice([f"Osalejad {year}", "Osalejad", f"Maakonnad {year}", "Leht1"]))
    sh.put(1, 1, Cell(f"Programmi osalejad maakondade kaupa, {year}"))
    sh.merges.append((1, 1, 1, 14))
    sh.put(2, 1, Cell("Maakond"))
    sh.merges.append((2, 1, 3, 1))
    for q in range(4):
        sh.put(2, 2 + 3 * q, Cell(["I", "II", "III", "IV"][q] + " kvartal"))
        sh.merges.append((2, 2 + 3 * q, 2, 4 + 3 * q))
    sh.put(2, 14, Cell("Kokku"))
    sh.merges.append((2, 14, 3, 14))
    for m in range(12):
        sh.put(3, 2 + m, Cell(MONTHS[m]))
    counties = COUNTIES[:] if rng.random() < 0.7 else rng.sample(COUNTIES, rng.randint(5, 12))
    totals = [0] * 12
    r = 4
    for cty in counties:
        base = rng.randint(0, 350)
        vals = [
            max(0, base + rng.randint(-40, 40)) if rng.random() > 0.05 else 0 for _ in range(12)
        ]
        sh.put(r, 1, Cell(cty))
        for m, v in enumerate(vals):
            sh.put(r, 2 + m, Cell(v))
            totals[m] += v
        sh.put(r, 14, Cell(sum(vals), formula=f"SUM(B{r}:M{r})"))
        r += 1
    sh.put(r, 1, Cell("Kokku"))
    for m in range(12):
        sh.put(r, 2 + m, Cell(totals[m], formula=f"SUM({col(2 + m)}4:{col(2 + m)}{r - 1})"))
    sh.put(r, 14, Cell(sum(totals), formula=f"SUM(N4:N{r - 1})"))
    if rng.random() < 0.6:
        sh.put(r + 1, 1, Cell("Keskmine kuus"))
        sh.put(r + 1, 14, Cell(sum(totals) / 12, formula=f"N{r}/12"))
        sh.put(r + 2, 1, Cell("Osakaal eelmise aasta suhtes"))
        sh.put(
            r + 2,
            14,
            Cell(
                sum(totals) / rng.randint(max(1, sum(totals) - 900), sum(totals) + 900), fmt="pct"
            ),
        )
    return sh, "participant counts per county×month with merged quarter headers and SUM formulas"


BUDGET_LINES = [
    "Personalikulud",
    "Ruumide üür",
    "Transport",
    "Koolitused",
    "Supervisioon",
    "Laagrid",
    "Toitlustus",
    "Kommunikatsioon",
    "IT ja sideteenused",
    "Administreerimine",
    "Reservfond",
    "Vabatahtlike kulud",
    "Tugiisikuteenus",
    "Perelaagrid",
    "Psühholoogi konsultatsioonid",
]


def t_budget(rng):
    year = rng.randint(2019, 2025)
    sh = Sheet(rng.choice([f"Eelarve {year}", "Eelarve", f"Eelarve {year}-{year + 1}", "Kulud"]))
    sh.add_row([f"Projekti eelarve {year}", None, None, None, None, None])
    sh.merges.append((1, 1, 1, 6))
    sh.add_row(
        [
            Cell("Leping"),
            Cell(
                f"{rng.randint(1, 9)}.{rng.randint(1, 9)}-{rng.randint(1, 12)}/{year}/{rng.randint(1, 999)}"
            ),
        ]
    )
    sh.add_row(["Nr", "Kulu liik", "Eelarve (€)", "Tegelik (€)", "Vahe (€)", "Täitmine"])
    lines = rng.sample(BUDGET_LINES, rng.randint(6, 12))
    first = max(sh.rows) + 1
    tb = ta = 0.0
    for i, line in enumerate(lines, 1):
        big = rng.random() < 0.15
        b = round(rng.uniform(50000, 1300000) if big else rng.uniform(300, 60000), 2)
        if rng.random() < 0.2:
            b = float(rng.choice([1250000, 500000, 12000, 2500, 100000, 75000]))
        a = round(b * rng.uniform(0.55, 1.12), 2)
        r = max(sh.rows) + 1
        sh.add_row(
            [
                i,
                line,
                Cell(b, "eur"),
                Cell(a, "eur"),
                Cell(round(b - a, 2), "eur", formula=f"C{r}-D{r}"),
                Cell(a / b, "pct", formula=f"D{r}/C{r}"),
            ]
        )
        tb += b
        ta += a
    last = max(sh.rows)
    r = last + 1
    sh.add_row(
        [
            None,
            "Kokku",
            Cell(round(tb, 2), "eur", formula=f"SUM(C{first}:C{last})"),
            Cell(round(ta, 2), "eur", formula=f"SUM(D{first}:D{last})"),
            Cell(round(tb - ta, 2), "eur", formula=f"C{r}-D{r}"),
            Cell(ta / tb, "pct", formula=f"D{r}/C{r}"),
        ]
    )
    if rng.random() < 0.5:
        sh.add_row([])
        sh.add_row(
            [
                None,
                "Omafinantseering",
                Cell(round(tb * 0.05, 2), "eur"),
                None,
                None,
                Cell(0.05, "pct"),
            ]
        )
        sh.add_row([None, "KM 22%", Cell(round(tb * 0.22, 2), "eur")])
        sh.add_row([None, "Kulu kuus", Cell(tb / 12, formula=f"C{r}/12")])
    return sh, "budget with euros and cents, totals, percentages and ratio formulas"


def t_partners(rng, iban_code=None):
    sh = Sheet(rng.choice(["Partnerid", "Kontaktid", "Võrgustik", "Partnerorganisatsioonid"]))
    sh.add_row(
        [
            "Organisatsioon",
            "Registrikood",
            "Maakond",
            "Aadress",
            "Postiindeks",
            "Telefon",
            "Mobiil",
            "E-post",
            "Arveldusarve",
            "Kontaktisik",
        ]
    )
    n = rng.randint(5, 15)
    grouped = rng.random() < 0.5
    special = rng.randrange(n) if iban_code else -1
    for i, org in enumerate(rng.sample(ORGS, n)):
        ci = rng.randrange(len(COUNTIES))
        ib = iban(rng, iban_code if i == special else None)
        slug = re.sub(
            r"[^a-z]",
            "",
            org.lower()
            .replace("mtü", "")
            .replace("sa ", "")
            .replace("õ", "o")
            .replace("ä", "a")
            .replace("ö", "o")
            .replace("ü", "u"),
        )[:14]
        sh.add_row(
            [
                org,
                regcode(rng),
                COUNTIES[ci],
                f"{rng.choice(STREETS)} {rng.randint(1, 60)}, {TOWNS[ci]}",
                postal(rng),
                landline(rng),
                mobile(rng),
                f"info@{slug}.ee",
                group4(ib) if grouped else ib,
                person(rng),
            ]
        )
    return sh, "partner contact list: registry codes, phones, postal codes, " + (
        "grouped" if grouped else "ungrouped"
    ) + " IBANs"


def t_invoices(rng, tricky=False):
    year = rng.randint(2020, 2025)
    sh = Sheet(
        rng.choice(
            [f"Arved {year}", "Arved", f"Ostuarved {year}-Q{rng.randint(1, 4)}", "Kulutšekid"]
        )
    )
    style = rng.choice(["prefixed", "slash", "int6", "int10"])
    sh.add_row(
        [
            "Arve nr",
            "Kuupäev",
            "Tähtaeg",
            "Tarnija",
            "Reg.kood",
            "Summa km-ta",
            "KM",
            "Kokku",
            "Viitenumber",
            "Makstud",
        ]
    )
    notes = []
    n = rng.randint(8, 40)
    for i in range(n):
        no = {
            "prefixed": f"ARV-{year}-{i + rng.randint(1, 900):04d}",
            "slash": f"{year}/{rng.randint(1, 999)}",
            "int6": rng.randint(100000, 999999),
            "int10": int(f"{year}{rng.randint(0, 999999):06d}"),
        }[style]
        d = _rand_date(rng, year, year)
        net = round(rng.uniform(12, 9000), 2)
        vat = round(
            net * (0.24 if d >= dt.date(2025, 7, 1) else 0.22 if d.year >= 2024 else 0.20), 2
        )
        ref = viitenumber(rng, rng.randint(5, 10)) if rng.random() < 0.7 else None
        r = max(sh.rows) + 1
        paid = d + dt.timedelta(days=rng.randint(1, 20)) if rng.random() < 0.8 else None
        sh.add_row(
            [
                no,
                d,
                d + dt.timedelta(days=14),
                rng.choice(SUPPLIERS),
                regcode(rng) if rng.random() < 0.5 else None,
                Cell(net, "eur"),
                Cell(vat, "eur"),
                Cell(round(net + vat, 2), "eur", formula=f"F{r}+G{r}"),
                ref,
                paid,
            ]
        )
    if tricky:
        # reference numbers of 11 digits that look like isikukood but are not
        rows = rng.sample(sorted(sh.rows)[1:], min(3, len(sh.rows) - 1))
        for r in rows:
            f = fake_code(rng, allow_zero=False)
            sh.put(r, 9, Cell(f if rng.random() < 0.5 else int(f)))
            notes.append(f"reference no {f} ({why_invalid(f)})")
    return sh, f"invoices ({style} numbers, dates, VAT, 7-3-1 reference numbers)" + (
        ": " + ", ".join(notes) if notes else ""
    )


EVENTS = [
    "Perepäev",
    "Vanemlusprogramm",
    "Noortelaager",
    "Mängutuba",
    "Tugirühma kohtumine",
    "Jõululõuna",
    "Matkapäev",
    "Kunstiring",
    "Õppekäik",
    "Vabatahtlike koolitus",
]


def t_events(rng):
    year = rng.randint(2019, 2025)
    sh = Sheet(rng.choice(["Üritused", f"Üritused {year}", "Ajakava", "Sündmused"]))
    sh.add_row(
        [
            "Kuupäev",
            "Algus",
            "Lõpp",
            "Kestus (h)",
            "Üritus",
            "Koht",
            "Osalejaid",
            "Vanus min",
            "Vanus max",
            "Vabatahtlikke",
            "Kulu (€)",
            "Registreeritud",
        ]
    )
    for _ in range(rng.randint(8, 30)):
        d = _rand_date(rng, year, year)
        h = rng.randint(9, 17)
        m = rng.choice([0, 15, 30, 45])
        dur = rng.choice([1, 1.5, 2, 2.5, 3, 4, 6])
        end = (dt.datetime(2000, 1, 1, h, m) + dt.timedelta(hours=dur)).time()
        amin = rng.randint(0, 12)
        sh.add_row(
            [
                d,
                dt.time(h, m),
                end,
                Cell(float(dur)),
                rng.choice(EVENTS),
                rng.choice(TOWNS),
                rng.randint(3, 120),
                amin,
                amin + rng.randint(2, 8),
                rng.randint(0, 15),
                Cell(round(rng.uniform(0, 2500), 2), "eur"),
                dt.datetime(d.year, d.month, d.day, rng.randint(8, 20), rng.randint(0, 59))
                - dt.timedelta(days=rng.randint(1, 30)),
            ]
        )
    return sh, "event schedule with dates, times, datetimes, durations, ages, costs"


PRODUCTS = [
    "Joonistusplokk A4",
    "Värvipliiatsid 24 tk",
    "Lauamäng Saare seiklus",
    "Jalgpall nr 4",
    "Hügieenipakk",
    "Toidukaart 20 €",
    "Pusle 500 tk",
    "Vildikad 12 tk",
    "Magamiskott",
    "Telk 4-kohaline",
]


def t_orders(rng, tricky=False, ean_code=None):
    sh = Sheet(rng.choice(["Tellimused", "Laoseis", "Hanked", "Annetused"]))
    sh.add_row(
        ["Tellimuse nr", "Kuupäev", "EAN", "Toode", "Kogus", "Ühikuhind", "Summa", "Tarnija"]
    )
    notes = []
    n = rng.randint(6, 30)
    olen = rng.choice([8, 10, 12])
    special = rng.randrange(n) if ean_code else -1
    for i in range(n):
        e = ean13(rng, ean_code if i == special else None)
        qty = rng.randint(1, 200)
        price = round(rng.uniform(0.5, 120), 2)
        onum = safe_digits(rng, olen)
        r = max(sh.rows) + 1
        sh.add_row(
            [
                int(onum) if rng.random() < 0.6 else onum,
                _rand_date(rng, 2022, 2025),
                int(e) if rng.random() < 0.5 else e,
                rng.choice(PRODUCTS),
                qty,
                Cell(price, "eur"),
                Cell(round(qty * price, 2), "eur", formula=f"E{r}*F{r}"),
                rng.choice(SUPPLIERS),
            ]
        )
    if tricky:
        for r in rng.sample(sorted(sh.rows)[1:], min(2, len(sh.rows) - 1)):
            f = fake_code(rng, allow_zero=False)
            sh.rows[r][0] = Cell(int(f) if rng.random() < 0.6 else f)
            notes.append(f"order no {f} ({why_invalid(f)})")
    return sh, f"orders with {olen}-digit order numbers and EAN-13 barcodes" + (
        ": " + ", ".join(notes) if notes else ""
    )


def t_stats(rng, frac_code=None, frac11_code=None):
    sh = Sheet(rng.choice(["Statistika", "Näitajad", "Aruanne", "Mõõdikud"]))
    years = list(range(rng.randint(2016, 2019), 2025))
    sh.add_row(["Näitaja"] + years)
    rows = [
        ("Pöördumiste arv", lambda: rng.randint(200, 9000), None),
        ("Keskmine vanus", lambda: rng.uniform(6, 15), None),
        ("Juhtumeid lapse kohta", lambda: rng.randint(1000, 9000) / rng.randint(300, 900), None),
        (
            "Korduvate pöördumiste osakaal",
            lambda: rng.randint(50, 900) / rng.randint(1000, 3000),
            "pct",
        ),
        ("Keskmine juhtumi kestus (päeva)", lambda: rng.uniform(10, 200), "dec2"),
        ("Kulu osaleja kohta (€)", lambda: rng.uniform(50, 3000), "eur"),
        ("p-väärtus", lambda: 10 ** rng.uniform(-9, -1), "sci"),
        ("Laste arv maakonnas", lambda: rng.randint(1500, 250000), None),
        ("Osalusmäär 1000 lapse kohta", lambda: rng.uniform(0.1, 40), None),
        (
            "Rahastus kokku (€)",
            lambda: float(rng.choice([1250000, 980000, 2300000, 415500.5])),
            "eur",
        ),
        ("Hinnanguline sihtrühm", lambda: rng.choice([1.2e6, 3.4e5, 2.5e7]), "sci"),
        ("Kasv võrreldes eelmise aastaga", lambda: rng.uniform(-0.2, 0.4), "pct"),
    ]
    for name, fn, fmt in rng.sample(rows, rng.randint(6, len(rows))):
        vals = []
        for _ in years:
            v = fn()
            if fmt in ("eur",) and isinstance(v, float):
                v = round(v, 2)
            vals.append(Cell(v, fmt))
        sh.add_row([name] + vals)
    notes = []
    if frac_code:
        v = float(f"0.{frac_code}{rng.randint(1000, 9999)}")
        sh.add_row(["Kaalutud indeks", None, Cell(v)])
        notes.append(f"ratio {v!r} whose first 11 decimals are a valid code")
    if frac11_code:
        v = float(f"{rng.randint(1, 99)}.{frac11_code}")
        sh.add_row(["Täpne keskmine", None, Cell(v)])
        notes.append(f"decimal {v!r} whose 11 fraction digits are a valid code")
    return (
        sh,
        "statistics per year: ratios with many decimals, percentages, scientific notation"
        + (": " + ", ".join(notes) if notes else ""),
    )


def t_transactions(rng, tricky=False, archive_code=None):
    year = rng.randint(2020, 2025)
    sh = Sheet(rng.choice(["Pangaväljavõte", f"Tehingud {year}", "Konto", "Laekumised"]))
    sh.add_row(
        [
            "Kuupäev",
            "Tehingu ID",
            "Saaja/maksja",
            "Konto",
            "Summa",
            "Valuuta",
            "Selgitus",
            "Viitenumber",
            "Arhiveerimistunnus",
        ]
    )
    notes = []
    n = rng.randint(10, 60)
    special = rng.randrange(n) if archive_code else -1
    for i in range(n):
        d = _rand_date(rng, year, year)
        amt = round(rng.uniform(-4000, 6000), 2)
        while True:
            arch = (
                (f"{d:%Y%m%d}" + safe_digits(rng, 8, "0"))
                if i != special
                else f"{d:%Y}0{archive_code}"
            )
            if i == special or not has_window(arch):
                break
        tid = safe_digits(rng, rng.choice([9, 10]))
        sh.add_row(
            [
                d,
                int(tid),
                rng.choice(ORGS + SUPPLIERS + [person(rng)]),
                iban(rng),
                Cell(amt, "eur"),
                "EUR",
                rng.choice(
                    [
                        "Toetus",
                        "Liikmemaks",
                        f"Arve {year}/{rng.randint(1, 300)}",
                        "Laagri osalustasu",
                        "Annetus",
                        "Üür",
                        f"Palk {rng.randint(1, 12):02d}/{year}",
                    ]
                ),
                viitenumber(rng, rng.randint(4, 9)) if rng.random() < 0.4 else None,
                arch,
            ]
        )
        if i == special:
            notes.append(f"archive id {arch} containing a valid code")
    if tricky:
        for r in rng.sample(sorted(sh.rows)[1:], min(3, len(sh.rows) - 1)):
            f = fake_code(rng, allow_zero=False)
            sh.rows[r][1] = Cell(int(f))
            notes.append(f"transaction id {f} ({why_invalid(f)})")
    return sh, "bank statement: ungrouped IBANs, amounts, 16-digit archive ids" + (
        ": " + ", ".join(notes) if notes else ""
    )


def t_timesheet(rng):
    sh = Sheet(rng.choice(["Tööaeg", "Tunnitabel", f"Tööaeg {rng.choice(MONTHS)}"]))
    sh.add_row(
        ["Töötaja", "Kuupäev", "Algus", "Lõpp", "Paus (min)", "Tunde", "Tunnitasu (€)", "Summa (€)"]
    )
    people = [person(rng) for _ in range(rng.randint(2, 6))]
    for _ in range(rng.randint(10, 40)):
        d = _rand_date(rng, 2024, 2024)
        h = rng.randint(7, 11)
        hours = rng.choice([4, 6, 7.5, 7.75, 8, 8.25])
        end = (dt.datetime(2000, 1, 1, h) + dt.timedelta(hours=hours + 0.5)).time()
        rate = rng.choice([9.5, 12.0, 14.35, 17.8])
        r = max(sh.rows) + 1
        sh.add_row(
            [
                rng.choice(people),
                d,
                dt.time(h, 0),
                end,
                30,
                Cell(float(hours)),
                Cell(rate, "eur"),
                Cell(round(hours * rate, 2), "eur", formula=f"F{r}*G{r}"),
            ]
        )
    return sh, "timesheet with times, decimal hours and pay"


def t_agegroups(rng):
    sh = Sheet(rng.choice(["Vanuserühmad", "Sünniaastad", "Sihtrühm"]))
    sh.add_row(["Sünniaasta", "Vanus", "Poisid", "Tüdrukud", "Kokku", "Osakaal"])
    years = list(range(2006, 2021))
    data = [(y, rng.randint(0, 90), rng.randint(0, 90)) for y in years]
    tot = sum(b + g for _, b, g in data) or 1
    for y, b, g in data:
        r = max(sh.rows) + 1
        sh.add_row(
            [y, 2024 - y, b, g, Cell(b + g, formula=f"C{r}+D{r}"), Cell((b + g) / tot, "pct")]
        )
    sh.add_row(["Keskmine vanus", Cell(sum((2024 - y) * (b + g) for y, b, g in data) / tot)])
    return sh, "birth years, ages, counts per age group, shares"


def t_cases(rng):
    """Case register with 11-digit numbers that are NOT codes."""
    sh = Sheet(rng.choice(["Juhtumid", "Toimikud", "Register"]))
    sh.add_row(["Juhtumi nr", "Avatud", "Maakond", "Staatus", "Kohtumisi", "Tunde", "Märkus"])
    notes = []
    for i in range(rng.randint(6, 25)):
        f = fake_code(rng)
        style = (
            rng.choice(["int", "str", "space", "dash"])
            if f[0] != "0"
            else rng.choice(["str", "space", "dash"])
        )
        val = {
            "int": int(f) if f[0] != "0" else f,
            "str": f,
            "space": f"{f[:6]} {f[6:]}",
            "dash": f"{f[:7]}-{f[7:]}",
        }[style]
        sh.add_row(
            [
                Cell(val),
                _rand_date(rng, 2020, 2025),
                rng.choice(COUNTIES),
                rng.choice(["avatud", "suletud", "ootel"]),
                rng.randint(1, 30),
                Cell(round(rng.uniform(0.5, 80), 2)),
                rng.choice(["", "", "vt lisa", "üle antud"]) or None,
            ]
        )
        if i < 4:
            notes.append(f"{val!r} ({why_invalid(f)})")
    return sh, "case register whose case numbers are 11-digit non-codes, e.g. " + ", ".join(notes)


CLEAN_TEMPLATES = [
    t_participants,
    t_budget,
    t_partners,
    t_invoices,
    t_events,
    t_orders,
    t_stats,
    t_transactions,
    t_timesheet,
    t_agegroups,
]
TRICKY_TEMPLATES = [
    ("invoices", t_invoices),
    ("orders", t_orders),
    ("transactions", t_transactions),
]


def _unique_names(sheets):
    seen = set()
    for sh in sheets:
        base, k = sh.name[:31], 2
        while sh.name in seen:
            sh.name = f"{base[:27]} ({k})"
            k += 1
        seen.add(sh.name)


def _book_opts(rng, book: Book, fmt):
    book.locale = rng.choice(["et", "et", "en"])
    book.ods_currency = rng.random() < 0.6
    if fmt == "csv":
        book.csv_sep = ";" if book.locale == "et" or rng.random() < 0.3 else ","
        if book.csv_sep == "," and book.locale == "et":
            book.locale = "en"
        book.csv_bom = rng.random() < 0.4
        book.csv_crlf = rng.random() < 0.6
        book.csv_group = book.locale == "et" and rng.random() < 0.3


# --- hard negatives: a valid code sequence that a reader does not see -------


def _adjacent_code(rng, split):
    while True:
        c = make_code(rng, 1950, 2015)
        a, b = c[:split], c[split:]
        if a[0] != "0" and b[0] != "0" or split == 7:
            return c


def hard_adjacent(rng, sheets):
    kind = rng.choice(["invoice+postal", "group+order", "phone+ext", "year+serial"])
    if kind == "invoice+postal":
        c = _adjacent_code(rng, 6)
        sh = Sheet("Saadetised")
        sh.add_row(["Arve nr", "Postiindeks", "Linn", "Pakke", "Kaal (kg)"])
        for _ in range(rng.randint(3, 10)):
            sh.add_row(
                [
                    rng.randint(100000, 999999),
                    rng.randint(10000, 94999),
                    rng.choice(TOWNS),
                    rng.randint(1, 9),
                    Cell(round(rng.uniform(0.2, 30), 2)),
                ]
            )
        sh.add_row(
            [
                int(c[:6]),
                int(c[6:]),
                rng.choice(TOWNS),
                rng.randint(1, 9),
                Cell(round(rng.uniform(0.2, 30), 2)),
            ]
        )
        return (
            sh,
            c,
            f"invoice no {c[:6]} next to postal code {c[6:]} (adjacent cells join to a valid code)",
        )
    if kind == "group+order":
        c = _adjacent_code(rng, 1)
        sh = Sheet("Rühmad")
        sh.add_row(["Rühm", "Tellimuse nr", "Toode", "Kogus"])
        for _ in range(rng.randint(3, 10)):
            sh.add_row(
                [
                    rng.randint(1, 9),
                    int(safe_digits(rng, 10)),
                    rng.choice(PRODUCTS),
                    rng.randint(1, 50),
                ]
            )
        sh.add_row([int(c[0]), int(c[1:]), rng.choice(PRODUCTS), rng.randint(1, 50)])
        return (
            sh,
            c,
            f"group {c[0]} next to 10-digit order no {c[1:]} (adjacent cells join to a valid code)",
        )
    if kind == "phone+ext":
        c = _adjacent_code(rng, 7)
        sh = Sheet("Telefonid")
        sh.add_row(["Asutus", "Telefon", "Sisenumber", "Linn"])
        for _ in range(rng.randint(3, 8)):
            sh.add_row(
                [
                    rng.choice(ORGS),
                    rng.choice("34567") + _digits(rng, 6),
                    f"{rng.randint(0, 9999):04d}",
                    rng.choice(TOWNS),
                ]
            )
        sh.add_row([rng.choice(ORGS), c[:7], c[7:], rng.choice(TOWNS)])
        return sh, c, f"phone {c[:7]} next to extension {c[7:]} (string cells join to a valid code)"
    # a year column followed by a 7-digit serial, e.g. 3760 | 5030299 is unrealistic;
    # use a counts table where three neighbouring numbers join instead
    c = _adjacent_code(rng, 3)
    sh = Sheet("Kohad")
    sh.add_row(["Kohti", "Registri nr", "Osalejaid"])
    for _ in range(rng.randint(3, 8)):
        sh.add_row([rng.randint(100, 999), rng.randint(10000000, 99999999), rng.randint(1, 99)])
    sh.add_row([int(c[:3]), int(c[3:]), rng.randint(1, 99)])
    return (
        sh,
        c,
        f"count {c[:3]} next to 8-digit register no {c[3:]} (adjacent cells join to a valid code)",
    )


HARD_KINDS = ["adjacent", "iban", "ean", "fraction15", "fraction11", "archive", "zeropad"]


def t_members(rng, code):
    """Membership cards with 13-digit zero-padded numbers kept as text."""
    sh = Sheet(rng.choice(["Liikmekaardid", "Kaardid", "Perekaardid"]))
    sh.add_row(["Kaardi nr", "Pere", "Lapsi", "Kehtib kuni", "Soodustus"])
    n = rng.randint(5, 20)
    special = rng.randrange(n)
    for i in range(n):
        num = ("00" + code) if i == special else "00" + safe_digits(rng, 11, rng.choice("123456"))
        sh.add_row(
            [
                num,
                f"{rng.choice(LAST)} pere",
                rng.randint(1, 6),
                _rand_date(rng, 2025, 2027),
                Cell(rng.choice([0.1, 0.15, 0.2, 0.25]), "pct"),
            ]
        )
    return (
        sh,
        f"membership cards with 13-digit zero-padded text numbers, one is '00{code}' (padding + valid code)",
    )


def build_hard(rng, kind, fmt):
    """Return (sheets, description) for a deliberately hard negative."""
    code = make_code(rng, 1950, 2015)
    if kind == "adjacent":
        sh, code, d = hard_adjacent(rng, None)
        return [sh], d
    if kind == "iban":
        sh, d = t_partners(rng, iban_code=code)
        return [sh], f"IBAN with a valid code {code} inside its account digits ({d})"
    if kind == "ean":
        code = make_code(rng, d=_rand_date(rng, 1974, 1974), g=4)  # EAN prefix 474 = Estonia
        sh, d = t_orders(rng, ean_code=code)
        return [sh], f"EAN-13 474… whose first 11 digits are a valid code {code} ({d})"
    if kind == "fraction15":
        sh, d = t_stats(rng, frac_code=code)
        return [sh], d
    if kind == "fraction11":
        while code.endswith("0"):  # a trailing zero would vanish from the float
            code = make_code(rng, 1950, 2015)
        sh, d = t_stats(rng, frac11_code=code)
        return [sh], d
    if kind == "zeropad":
        sh, d = t_members(rng, code)
        return [sh], d
    sh, d = t_transactions(rng, archive_code=code)
    return [sh], d


# ---------------------------------------------------------------------------
# positive placements
# ---------------------------------------------------------------------------


def _filler(rng, fmt, nsheets=None):
    n = 1 if fmt == "csv" else (rng.randint(1, 3) if nsheets is None else nsheets)
    sheets, descs = [], []
    for t in rng.sample(CLEAN_TEMPLATES, n):
        sh, d = t(rng)
        sheets.append(sh)
        descs.append(d.split(":")[0])
    return sheets, descs


def _label(rng, code):
    return rng.choice(
        [
            f"Isikukood {code}",
            f"isikukood: {code}",
            f"IK {code}",
            f"IK: {code}",
            f"Lapse isikukood {code}",
            f"({code})",
            f"{person(rng)}, {code}",
        ]
    )


def _rand_pos(rng, sh):
    r = rng.choice(sorted(sh.rows)[1:] or [1])
    return r, sh.ncols + 1


def p_string(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    r, c = _rand_pos(rng, sh)
    txt = code if rng.random() < 0.5 else _label(rng, code)
    sh.put(r, c, Cell(txt))
    return f"string cell {sh.name}!{col(c)}{r} = {txt!r}"


def p_number(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    r, c = _rand_pos(rng, sh)
    sh.put(r, c, Cell(int(code)))
    return f"number cell {sh.name}!{col(c)}{r} = {code}"


def p_float(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    r, c = _rand_pos(rng, sh)
    sh.put(r, c, Cell(float(code)))
    return f"float number cell {sh.name}!{col(c)}{r} = {float(code)!r}"


def p_column(rng, sheets, code, fmt):
    """A participant list where one row has the code in a 'Märkused' column."""
    sh = Sheet(rng.choice(["Osalejate nimekiri", "Nimekiri", "Laager"]))
    sh.add_row(["Nr", "Nimi", "Vanus", "Maakond", "Telefon (vanem)", "Märkused"])
    n = rng.randint(5, 25)
    at = rng.randrange(n)
    for i in range(n):
        note = None
        if i == at:
            note = rng.choice([code, int(code), _label(rng, code)])
        sh.add_row(
            [i + 1, person(rng), rng.randint(6, 17), rng.choice(COUNTIES), mobile(rng), note]
        )
    sheets.insert(rng.randrange(len(sheets) + 1) if fmt != "csv" else 0, sh)
    return f"participant list row {at + 2}, notes column holds {sh.rows[at + 2][5].v!r}"


def p_space(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    r, c = _rand_pos(rng, sh)
    txt = f"{code[:6]} {code[6:]}"
    if rng.random() < 0.5:
        txt = "IK " + txt
    sh.put(r, c, Cell(txt))
    return f"string cell {sh.name}!{col(c)}{r} = {txt!r} (space after 6 digits)"


def p_dash(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    r, c = _rand_pos(rng, sh)
    txt = rng.choice([f"{code[:7]}-{code[7:]}", f"{code[:1]}-{code[1:7]}-{code[7:]}"])
    sh.put(r, c, Cell(txt))
    return f"string cell {sh.name}!{col(c)}{r} = {txt!r} (dashes)"


def p_sheetname(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    sh.name = rng.choice([code, f"IK {code}", f"{code} andmed"])
    return f"sheet name {sh.name!r}"


def p_comment(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    r = rng.choice(sorted(sh.rows))
    cells = sh.rows[r]
    c = rng.choice([i for i, x in enumerate(cells, 1) if x is not None])
    text = rng.choice(
        [f"Kontrolli! Isikukood {code}", f"Lapse IK: {code}", f"{code} - vanem palus kustutada"]
    )
    cells[c - 1].comment = text
    return f"cell comment on {sh.name}!{col(c)}{r}: {text!r}"


def p_header(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    text = rng.choice(
        [f"Koostas {person(rng)}, IK {code}", f"Isikukood {code}", f"Vastutav isik {code}"]
    )
    where = rng.choice(["header", "footer"])
    setattr(sh, where, text)
    return f"page {where} of sheet {sh.name!r}: {text!r}"


def p_far(rng, sheets, code, fmt):
    if fmt != "csv" and len(sheets) < 2:
        sh, _ = rng.choice(CLEAN_TEMPLATES)(rng)
        sheets.append(sh)
    sh = sheets[-1] if fmt != "csv" else sheets[0]
    r = rng.randint(2500, 6000)
    c = rng.randint(3, 12)
    txt = rng.choice([code, int(code), _label(rng, code)])
    sh.put(r, c, Cell(txt))
    return f"{'second/last sheet' if fmt != 'csv' else 'CSV'} far down: {sh.name}!{col(c)}{r} = {txt!r}"


def p_merged(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    r = max(sh.rows) + 2
    txt = _label(rng, code)
    sh.put(r, 1, Cell(f"Kontaktisik: {person(rng)}, {txt}"))
    sh.merges.append((r, 1, r, 5))
    return f"merged cell {sh.name}!A{r}:E{r} = {sh.rows[r][0].v!r}"


def p_rich(rng, sheets, code, fmt):
    sh = rng.choice(sheets)
    r, c = _rand_pos(rng, sh)
    txt = f"Isikukood {code}"
    sh.put(r, c, Cell(txt, rich=True))
    return f"rich text cell {sh.name}!{col(c)}{r} = {txt!r} (code in a bold run/span)"


def p_topleft(rng, sheets, code, fmt):
    sh = Sheet("Leht1")
    sh.add_row([rng.choice([code, int(code)])])
    sheets.insert(0, sh)
    return f"only cell A1 of first sheet = {code}"


def p_csvquoted(rng, sheets, code, fmt):
    sh = sheets[0]
    r, c = _rand_pos(rng, sh)
    txt = f"{person(rng)}; IK {code}; tel {rng.choice(['5', '8'])}{_digits(rng, 7)}"
    sh.put(r, c, Cell(txt))
    return f"quoted field containing separators: {txt!r}"


POS_PLACEMENTS = {
    "xlsx": [
        ("string", p_string, 4),
        ("number", p_number, 4),
        ("float", p_float, 2),
        ("list", p_column, 4),
        ("space", p_space, 4),
        ("dash", p_dash, 4),
        ("sheetname", p_sheetname, 3),
        ("comment", p_comment, 4),
        ("header", p_header, 4),
        ("far", p_far, 3),
        ("merged", p_merged, 2),
        ("rich", p_rich, 2),
        ("topleft", p_topleft, 2),
    ],
    "ods": [
        ("string", p_string, 3),
        ("number", p_number, 3),
        ("list", p_column, 2),
        ("space", p_space, 2),
        ("dash", p_dash, 2),
        ("sheetname", p_sheetname, 2),
        ("comment", p_comment, 2),
        ("header", p_header, 2),
        ("far", p_far, 2),
        ("merged", p_merged, 1),
        ("span", p_rich, 1),
    ],
    "csv": [
        ("string", p_string, 3),
        ("number", p_number, 3),
        ("list", p_column, 2),
        ("space", p_space, 2),
        ("dash", p_dash, 2),
        ("quoted", p_csvquoted, 2),
        ("far", p_far, 2),
        ("topleft", p_topleft, 1),
    ],
}

NEG_COUNTS = {"xlsx": 110, "ods": 60, "csv": 60}


# ---------------------------------------------------------------------------
# corpus
# ---------------------------------------------------------------------------


@dataclass
class Case:
    case_id: str
    filename: str
    data: bytes
    contains_code: bool
    fmt: str
    category: str  # plain / tricky11 / hard / positive
    description: str
    book: Book
    flags: list
    control: bytes | None = None  # positives: same file with an invalid twin of the code
    control_book: Book | None = None
    code: str | None = None


def _neg_book(rng, fmt, i):
    """Returns (book, description, intended category)."""
    r = rng.random()
    intended = "hard" if r < 0.2 else "tricky11" if r < 0.55 else "plain"
    sheets, descs = [], []
    if intended == "hard":
        kind = rng.choice(HARD_KINDS)
        hs, hd = build_hard(rng, kind, fmt)
        descs.append(hd)
        if fmt == "csv":
            sheets = hs
        else:
            more, md = _filler(rng, fmt, rng.randint(0, 2))
            sheets = more + hs
            descs += md
            rng.shuffle(sheets)
    elif intended == "tricky11":
        if fmt != "csv" and rng.random() < 0.4:
            sh, d = t_cases(rng)
        else:
            _, t = rng.choice(TRICKY_TEMPLATES)
            sh, d = t(rng, tricky=True)
        sheets, descs = [sh], [d]
        if fmt != "csv":
            more, md = _filler(rng, fmt, rng.randint(0, 2))
            sheets += more
            descs += md
            rng.shuffle(sheets)
    else:
        sheets, descs = _filler(rng, fmt, rng.randint(1, 4) if fmt != "csv" else 1)
    if fmt == "csv" and rng.random() < 0.15:
        # a long CSV export
        sh = sheets[0]
        rows = sorted(sh.rows)[1:]
        k = max(sh.rows)
        for _ in range(rng.randint(5, 30)):
            for rr in rows:
                k += 1
                sh.rows[k] = list(sh.rows[rr])
        descs.append(f"{k} rows")
    _unique_names(sheets)
    book = Book(sheets)
    _book_opts(rng, book, fmt)
    return book, "; ".join(descs), intended


def corpus_detailed(seed: int = SEED) -> list[Case]:
    cases = []
    for fmt, n in NEG_COUNTS.items():
        for i in range(n):
            cid = f"neg-{fmt}-{i + 1:03d}"
            rng = random.Random(f"{seed}:{cid}")
            book, desc, intended = _neg_book(rng, fmt, i)
            data = write(book, fmt)
            flags = scan_flags(book, fmt, data)
            kinds = {f for f, _ in flags}
            assert "CODE" not in kinds, (cid, flags)
            category = intended
            if kinds and intended != "hard":
                desc += "; ACCIDENTAL: " + ", ".join(f"{f} {c!r}" for f, c in flags[:3])
            if intended == "hard":
                assert kinds, (cid, desc)
            fname = f"{rng.choice(['aruanne', 'andmed', 'eelarve', 'osalejad', 'tabel', 'koond', 'export'])}_{i + 1:03d}.{fmt}"
            cases.append(Case(cid, fname, data, False, fmt, category, desc, book, flags))
    for fmt, placements in POS_PLACEMENTS.items():
        k = 0
        for key, fn, reps in placements:
            for j in range(reps):
                k += 1
                cid = f"pos-{fmt}-{key}-{j + 1}"
                kind = CODE_KINDS[(k + j) % len(CODE_KINDS)]
                code = make_special_code(random.Random(f"{seed}:{cid}:code"), kind)
                built = []
                for c in (code, control_for(code)):
                    rng = random.Random(f"{seed}:{cid}")
                    sheets, descs = _filler(rng, fmt)
                    where = fn(rng, sheets, c, fmt)
                    _unique_names(sheets)
                    book = Book(sheets)
                    _book_opts(rng, book, fmt)
                    built.append((book, write(book, fmt), where))
                (book, data, where), (cbook, cdata, _) = built
                flags = scan_flags(book, fmt, data)
                kinds = {f for f, _ in flags}
                assert kinds & {"CODE", "joined"}, (cid, flags, where)
                fname = f"{rng.choice(['nimekiri', 'osalejad', 'aruanne', 'andmed'])}_{k:02d}.{fmt}"
                desc = f"{code} [{kind}] as {where}"
                cases.append(
                    Case(
                        cid,
                        fname,
                        data,
                        True,
                        fmt,
                        "positive",
                        desc,
                        book,
                        flags,
                        control=cdata,
                        control_book=cbook,
                        code=code,
                    )
                )
    return cases


def corpus() -> list[tuple[str, str, bytes, bool]]:
    return [(c.case_id, c.filename, c.data, c.contains_code) for c in corpus_detailed()]


if __name__ == "__main__":
    import collections

    cs = corpus_detailed()
    cnt = collections.Counter((c.fmt, c.category) for c in cs)
    for k in sorted(cnt):
        print(k, cnt[k])
    print(len(cs), "cases")
