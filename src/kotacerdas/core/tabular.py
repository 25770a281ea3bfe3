"""Read CSV and XLSX uploads into rows of {header: value}; shared by every import in the product."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from openpyxl import load_workbook

MAX_ROWS = 100_000


class TabularError(ValueError):
    """The file itself cannot be read (wrong type, no header, too many rows)."""


def read_rows(stream: IO[bytes], filename: str) -> list[dict[str, Any]]:
    """Rows of a .csv (UTF-8, comma or semicolon) or .xlsx file; headers are lower-cased and stripped."""
    name = filename.lower()
    if name.endswith(".csv"):
        rows = _csv_rows(stream.read())
    elif name.endswith(".xlsx"):
        rows = _xlsx_rows(stream)
    else:
        raise TabularError("only .csv and .xlsx files can be imported")
    if not rows:
        raise TabularError("the file has no header row")
    header = [str(h or "").strip().lower() for h in rows[0]]
    if len(rows) - 1 > MAX_ROWS:
        raise TabularError(f"the file has more than {MAX_ROWS} rows")
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(_filled(v) for v in row)]


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _csv_rows(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TabularError("the CSV file is not UTF-8 text") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(stream: IO[bytes]) -> list[list[Any]]:
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise TabularError("the file is not a readable .xlsx workbook") from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def xlsx_bytes(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    """A one-sheet workbook with a bold header row (exports of rankings, funnels, questionnaires)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def csv_bytes(header: list[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a header row (downloads of dashboards and open data)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
