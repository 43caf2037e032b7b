"""The xlsx file: one sheet, written row by row with XlsxWriter in constant-memory mode."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

import duckdb
from xlsxwriter import Workbook
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from exporter.errors import ExportError, OutputFailure

# The rows of an Excel sheet, the header row included.
MAX_ROWS = 1_048_576
# The characters an Excel cell holds.
MAX_TEXT = 32_767
SHEET = "activity_tracking"
BATCH = 10_000
# Column widths (in characters) come from the header and the first batch of rows, capped.
MIN_WIDTH, MAX_WIDTH = 8, 60
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
# The workbook's creation date property: fixed, like the dates of the zip entries XlsxWriter writes.
CREATED = datetime(1980, 1, 1)


def write_xlsx(
    connection: duckdb.DuckDBPyConnection,
    query: str,
    labels: list[str],
    target: BinaryIO,
    show_headers: bool,
) -> int:
    """Write the rows of `query` (typed values: numbers, dates, naive date-times, text) to
    `target` as an xlsx workbook; return the row count. Refused before anything is written
    when the rows do not fit in a sheet."""
    count = connection.execute(f"select count(*) from ({query})").fetchone()[0]
    room = MAX_ROWS - (1 if show_headers else 0)
    if count > room:
        raise ExportError(
            f"The export has {count:,} rows: an xlsx sheet holds {MAX_ROWS:,} rows"
            f"{' with the header' if show_headers else ''}, so file option format=xlsx cannot "
            "hold it; choose format csv or parquet, or narrow the export with its parameters."
        )
    cursor = connection.execute(query)
    first = cursor.fetchmany(BATCH)
    workbook = Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    # a fixed creation date: the same rows give the same bytes (the manifest says when)
    workbook.set_properties({"created": CREATED})
    try:
        sheet = workbook.add_worksheet(SHEET)
        formats = {
            date: workbook.add_format({"num_format": DATE_FORMAT}),
            datetime: workbook.add_format({"num_format": DATETIME_FORMAT}),
        }
        for index, width in enumerate(column_widths(labels, first)):
            sheet.set_column(index, index, width)
        start = 0
        if show_headers:
            _write_header(sheet, labels, workbook.add_format({"bold": True}), count)
            start = 1
        for offset, row in enumerate(_batches(first, cursor)):
            _write_row(sheet, start + offset, row, formats)
        workbook.close()
    except XlsxWriterException as error:
        raise OutputFailure(f"Cannot write the xlsx file: {error}") from None
    return count


def _batches(first: list[tuple], cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    yield from first
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def _write_header(sheet: Worksheet, labels: list[str], bold: Format, count: int) -> None:
    """The header row, frozen and filtered over the rows."""
    for index, label in enumerate(labels):
        sheet.write_string(0, index, label, bold)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, count, len(labels) - 1)


def _write_row(sheet: Worksheet, number: int, row: tuple, formats: dict[type, Format]) -> None:
    for index, value in enumerate(row):
        if value is None:
            continue
        if isinstance(value, datetime):  # before date: a datetime is a date too
            sheet.write_datetime(number, index, value, formats[datetime])
        elif isinstance(value, date):
            sheet.write_datetime(number, index, value, formats[date])
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(number, index, float(value) if isinstance(value, Decimal) else value)
        elif sheet.write_string(number, index, str(value)) == -2:
            raise ExportError(
                f"Sheet row {number + 1}, column {index + 1}: a value longer than the {MAX_TEXT:,} "
                "characters an Excel cell holds; file option format=xlsx cannot hold it."
            )


def column_widths(labels: list[str], sample: list[tuple]) -> list[int]:
    """Each column's width: its longest header or sampled value, plus a margin, capped."""
    widths = []
    for index, label in enumerate(labels):
        longest = max([len(label)] + [_shown_length(row[index]) for row in sample])
        widths.append(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))
    return widths


def _shown_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    return max(len(line) for line in str(value).splitlines() or [""])
