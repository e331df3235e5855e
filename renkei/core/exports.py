"""Cells every spreadsheet export writes: text a spreadsheet program can never run as a formula.

Every CSV of the project (directory CSV and Shift_JIS CSV, the HSDS package's tables, the audit
trail, the member table, the programs' payment and billing files) passes its values through
`safe_cell`; every Excel sheet writes its cells with `text_row` / `put_cell`.

CSV has no types, so a cell beginning with one of `FORMULA_START` gets a leading apostrophe (the
OWASP advice): Excel and LibreOffice then show the text and never evaluate it. The HSDS package's
tables get the same treatment: staff open them in Excel too, and a consumer that needs the exact
text can drop one leading apostrophe from a cell that starts with `'` followed by one of these
characters. In Excel files cells are typed, so text is written as a text cell (never a formula, an
error code or a number) and keeps the user's exact characters; one that looks like a formula is also
marked as text (format `@` and quote prefix) so that editing it in Excel does not turn it live.
Numbers, dates and empty cells stay what they are.
"""
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet program would evaluate."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def safe_cell(value: Any) -> Any:
    """A CSV cell value that no spreadsheet evaluates: formula-like text gets a leading apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """`safe_cell` applied to every value of one CSV row."""
    return [safe_cell(v) for v in values]


def _as_text(cell: Any, value: str) -> None:
    # openpyxl refuses control characters Excel cannot store; they have no place in a cell anyway.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"  # never "f" (a leading "=") or "e" ("#N/A")
    if looks_like_formula(value):
        cell.number_format = "@"
        cell.quotePrefix = True


def _fill(cell: Any, value: Any) -> Any:
    if isinstance(value, str):
        _as_text(cell, value)
    else:
        cell.value = value
    return cell


def put_cell(sheet: Any, *, row: int, column: int, value: Any) -> Any:
    """Write one Excel cell, text always as a text cell; returns the cell for styling."""
    return _fill(sheet.cell(row=row, column=column), value)


def text_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row to an Excel sheet, text always as text cells."""
    sheet.append([_fill(Cell(sheet), value) for value in values])
