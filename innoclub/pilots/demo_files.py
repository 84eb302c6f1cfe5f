"""Small real files for the demo documents: a PDF, a Word and an Excel file.

Built in code in well under a millisecond each (no WeasyPrint, no office
library), yet complete enough that office programs and PDF readers open them
and ``events.documentation.file_check`` accepts them by their content.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_ZIP_DATE = (2024, 1, 1, 0, 0, 0)  # fixed, so the same text gives the same bytes


def pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF with the lines in Helvetica (Latin-1 text)."""

    def text(line: str) -> str:
        # Helvetica's WinAnsi encoding has no subscript two (CO₂).
        raw = line.replace("₂", "2").encode("cp1252", "replace").decode("latin-1")
        return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    rows = [f"({text(line)}) Tj T*" for line in lines]
    stream = "BT /F1 11 Tf 14 TL 56 780 Td " + " ".join(rows) + " ET"
    content = stream.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(zipfile.ZipInfo(name, _ZIP_DATE), body.encode("utf-8"))
    return out.getvalue()


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _content_types(overrides: dict[str, str]) -> str:
    items = "".join(
        f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides.items()
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{items}</Types>"
    )


def _root_rels(target: str) -> str:
    return (
        f'{_XML}<Relationships xmlns="{_RELS_NS}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}" Target="{target}"/></Relationships>'
    )


def docx(title: str, paragraphs: list[str]) -> bytes:
    """A Word document: a bold title and plain paragraphs."""
    body = (
        f'<w:p><w:r><w:rPr><w:b/><w:sz w:val="32"/></w:rPr><w:t>{escape(title)}</w:t></w:r></w:p>'
    )
    body += "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        for text in paragraphs
    )
    document = (
        f"{_XML}<w:document "
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return _zip(
        {
            "[Content_Types].xml": _content_types(
                {
                    "/word/document.xml": "application/vnd.openxmlformats-officedocument."
                    "wordprocessingml.document.main+xml"
                }
            ),
            "_rels/.rels": _root_rels("word/document.xml"),
            "word/document.xml": document,
        }
    )


def _cell(column: int, row: int, value: str | float) -> str:
    ref = f"{'ABCDEFGH'[column]}{row}"
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def xlsx(sheet: str, rows: list[list[str | float]]) -> bytes:
    """An Excel workbook with one sheet of text and numbers."""
    data = "".join(
        f'<row r="{r}">' + "".join(_cell(c, r, v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    workbook = (
        f'{_XML}<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        f'<sheet name="{escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        f'{_XML}<Relationships xmlns="{_RELS_NS}"><Relationship Id="rId1" '
        f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    )
    worksheet = f'{_XML}<worksheet xmlns="{main}"><sheetData>{data}</sheetData></worksheet>'
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return _zip(
        {
            "[Content_Types].xml": _content_types(
                {
                    "/xl/workbook.xml": f"{sheet_type}.sheet.main+xml",
                    "/xl/worksheets/sheet1.xml": f"{sheet_type}.worksheet+xml",
                }
            ),
            "_rels/.rels": _root_rels("xl/workbook.xml"),
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": workbook_rels,
            "xl/worksheets/sheet1.xml": worksheet,
        }
    )
