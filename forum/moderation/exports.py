"""Tables from forum.moderation.overview written as CSV or XLSX downloads.

The CSV is for Excel as people in Estonia have it: UTF-8 with a byte order mark (so õ, ä, ö
and ü survive) and semicolons between cells (the list separator where the decimal separator
is a comma). Text that a spreadsheet would run as a formula is made plain text."""

import csv
import datetime
import io
import unicodedata

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from forum.core.privacy import shorten
from forum.moderation.overview import Table

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell starting with one of these is a formula to Excel and LibreOffice ("CSV injection"):
# a title such as =HYPERLINK(...) must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    # Spreadsheets read a full-width ＝ or ＋ as the sign itself (NFKC folds them).
    return "'" + text if unicodedata.normalize("NFKC", text[:1]) in FORMULA_STARTS else text


def _wall_clock(moment: datetime.datetime) -> datetime.datetime:
    # Spreadsheets know no time zones: Estonian time, as the site shows it.
    return timezone.localtime(moment).replace(tzinfo=None)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{_wall_clock(value):%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return defuse(value)
    return str(value)


def _xlsx_cell(value):
    if isinstance(value, datetime.datetime):
        return _wall_clock(value)
    if isinstance(value, str):
        # openpyxl refuses control characters that XML cannot carry.
        return defuse(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_csv_cell(value) for value in table.header])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=shorten(table.title, 31, ellipsis=""))  # Excel's limit
    bold = Font(bold=True)
    header = []
    for value in table.header:
        cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(table: Table, *, basename: str, fmt: str) -> HttpResponse:
    """The table as a file named `basename`-YYYY-MM-DD.`fmt` (today in Estonia)."""
    content = write_csv(table) if fmt == "csv" else write_xlsx(table)
    filename = f"{basename}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    return HttpResponse(
        content,
        content_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
