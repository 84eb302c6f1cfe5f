"""XLSX downloads, the spreadsheet twin of ``core/csv.py``.

Every text cell passes through ``csv.safe_cell``, so a cell that would start a
formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets the same
apostrophe as in the CSV files; openpyxl would otherwise store a text
beginning with ``=`` as a formula. Numbers, dates and times stay typed cells,
so the office can sort and add them up.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from innoclub.core.csv import safe_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel refuses longer texts in a cell.
_MAX_TEXT = 32_767
# Column widths are measured on the first rows only: in a write-only workbook
# they must be set before the first row is written, and the rest stream through.
_WIDTH_SAMPLE = 200
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_DATE_FORMAT = "DD.MM.YYYY"
_DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# Characters a sheet name may not contain.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def xlsx_value(value: object) -> object:
    """A cell value openpyxl stores safely: numbers, dates and texts.

    Aware times become Berlin wall-clock time (Excel knows no time zones);
    texts are neutralised like CSV cells and lose the control characters XML
    cannot carry.
    """
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value
    if isinstance(value, datetime.date):
        return value
    text = safe_cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:_MAX_TEXT]


def _width(value: object) -> int:
    if isinstance(value, datetime.datetime):
        return len("01.01.2025 10:00")
    if isinstance(value, datetime.date):
        return len("01.01.2025")
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def _cell(sheet: object, value: object, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if isinstance(value, datetime.datetime):
        cell.number_format = _DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = _DATE_FORMAT
    return cell


def xlsx_download(
    filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """An XLSX attachment with one sheet: a bold, frozen header row and columns
    as wide as their first rows need. ``rows`` is consumed once, as it comes."""
    workbook = Workbook(write_only=True)
    title = _SHEET_NAME.sub("", filename.rsplit(".", 1)[0])[:31] or "Daten"
    sheet = workbook.create_sheet(title)

    titles = [xlsx_value(cell) for cell in header]
    values = (tuple(xlsx_value(cell) for cell in row) for row in rows)
    sample = list(itertools.islice(values, _WIDTH_SAMPLE))
    for index, name in enumerate(titles):
        widest = max([_width(name), *(_width(row[index]) for row in sample if index < len(row))])
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(max(widest + 2, _MIN_WIDTH), _MAX_WIDTH)
    sheet.freeze_panes = "A2"

    sheet.append([_cell(sheet, name, bold=True) for name in titles])
    for row in itertools.chain(sample, values):
        sheet.append([_cell(sheet, value) for value in row])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return HttpResponse(
        buffer.getvalue(),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
