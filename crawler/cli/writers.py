"""Writers of exported rows (storage.export.export_rows), one per format of `rasad export`.
Each takes the rows and a text stream (xlsx: a path) and returns how many it wrote."""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from typing import IO, Any

from storage.export import FIELDS

Row = dict[str, Any]
_LISTS = ("topics", "countries")
# Excel keeps at most 32,767 characters in a cell; XML 1.0 forbids most control characters.
_XLSX_CELL = 32_767
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _joined(row: Row) -> Row:
    return {**row, **{k: ";".join(row[k]) for k in _LISTS}}


def write_csv(rows: Iterable[Row], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for count, row in enumerate(rows, 1):  # noqa: B007 - the count is the result
        writer.writerow(_joined(row))
    return count


def write_jsonl(rows: Iterable[Row], stream: IO[str]) -> int:
    count = 0
    for count, row in enumerate(rows, 1):  # noqa: B007
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    return count


def write_json(rows: Iterable[Row], stream: IO[str]) -> int:
    """One JSON array, written row by row (a large export is never held in memory)."""
    count = 0
    stream.write("[")
    for count, row in enumerate(rows, 1):  # noqa: B007
        stream.write(("\n" if count == 1 else ",\n") + json.dumps(row, ensure_ascii=False))
    stream.write("\n]\n" if count else "]\n")
    return count


def write_xlsx(rows: Iterable[Row], path: str) -> int:
    """A real workbook (openpyxl, write-only: rows stream to disk). Text cells are always
    strings — a title starting with "=" is not a formula — and a body longer than a cell holds
    is cut with a note."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("articles")
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLMNO", (8, 40, 40, 14, 50, 12, 20, 20, 14, 14, 8, 16, 14,
                                                  8, 80), strict=True):
        ws.column_dimensions[letter].width = width
    bold = Font(bold=True)
    header = []
    for name in FIELDS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    rtl = Alignment(horizontal="right", readingOrder=2, wrap_text=False)
    count = 0
    for count, row in enumerate(rows, 1):  # noqa: B007
        cells = []
        for name, value in _joined(row).items():
            if isinstance(value, str):
                value = _CONTROL.sub("", value)
                if len(value) > _XLSX_CELL:
                    value = value[:_XLSX_CELL - 40] + " … [cut: longer than an Excel cell]"
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
                if name in ("title", "body") and _arabic(value):
                    cell.alignment = rtl
            cells.append(cell)
        ws.append(cells)
    wb.save(path)
    return count


def _arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text[:200])


WRITERS: dict[str, Callable[..., int]] = {"csv": write_csv, "jsonl": write_jsonl,
                                          "json": write_json, "xlsx": write_xlsx}
