"""Reading distributors' sell-out files (SEC-1): CSV in any of their encodings, XLSX and XLS.

Plain Python over bytes or a path: the Frappe layer keeps the import profile, calls :func:`open_source`
and stores the batches. Everything is streamed in batches, so memory does not grow with the file:

* CSV is decoded by the ``csv`` module over a text stream; files that are regular (every row as wide as
  the header) take a faster path through ``pyarrow.csv.open_csv`` with every column read as text, and
  fall back to the ``csv`` module from the first irregular block on (row numbers stay exact).
* XLSX/XLS rows come from python-calamine one row at a time (calamine holds the sheet's cells in its own
  compact form; Python objects are made per batch only).

Values are converted once per distinct text (sell-out files repeat dates, quantities and names
heavily), so a cell costs a dictionary look-up. A row that cannot be read becomes a :class:`RowError`
with its row number and reason; the other rows are kept. Problems with the file as a whole (empty, not a
spreadsheet, unknown sheet, missing columns, undecodable text) raise :class:`RuleError` from
:func:`open_source`, before any row is produced.

Numbers are read per column, not per value: whether "1,000" is a thousand or one depends on the rest of
its column ("1234,5" in it means one). A Quantity or Amount column whose values contradict the profile's
separators or each other raises :class:`RuleError` from ``batches()`` (see :class:`_Marks`): from the
first batch when the values that disagree are in it, else from the batch that shows it, and then the
rows of the earlier batches were read under a contradicted assumption and must be dropped (the import
job runs in one transaction; :func:`parse_file` returns nothing).

The package: ``spec`` (what is read), ``numbers``, ``dates``, ``encodings``, ``sources`` (bytes, columns),
``convert`` (cells to rows) and ``readers``. Plain Python: it never imports frappe (a unit test checks).
"""

from distribution_sales.parsing.dates import parse_date, to_jalali
from distribution_sales.parsing.encodings import detect_encoding
from distribution_sales.parsing.numbers import format_number, parse_number
from distribution_sales.parsing.readers import Reader, open_source, parse_file, preview
from distribution_sales.parsing.sources import check_spec, file_hash
from distribution_sales.parsing.spec import (
	DATE_FORMATS,
	ENCODINGS,
	FIELD_LABELS,
	FIELDS,
	FILE_TYPES,
	Batch,
	ImportSpec,
	Parsed,
	RowError,
	SellOutRow,
)

__all__ = [
	"DATE_FORMATS",
	"ENCODINGS",
	"FIELDS",
	"FIELD_LABELS",
	"FILE_TYPES",
	"Batch",
	"ImportSpec",
	"Parsed",
	"Reader",
	"RowError",
	"SellOutRow",
	"check_spec",
	"detect_encoding",
	"file_hash",
	"format_number",
	"open_source",
	"parse_date",
	"parse_file",
	"parse_number",
	"preview",
	"to_jalali",
]
