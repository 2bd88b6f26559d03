"""What a sell-out import reads: the profile as plain data (ImportSpec), and the rows, row errors and
batches that come out."""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from distribution_sales.rules import _

FIELDS = (
	"date",
	"outlet_code",
	"outlet_name",
	"outlet_address",
	"outlet_city",
	"item_code",
	"item_name",
	"qty",
	"uom",
	"amount",
	"doc_no",
)
FIELD_LABELS = {
	"date": _("Date"),
	"outlet_code": _("Outlet Code"),
	"outlet_name": _("Outlet Name"),
	"outlet_address": _("Outlet Address"),
	"outlet_city": _("Outlet City"),
	"item_code": _("Item Code"),
	"item_name": _("Item Name"),
	"qty": _("Quantity"),
	"uom": _("UOM"),
	"amount": _("Amount"),
	"doc_no": _("Document Number"),
}
FILE_TYPES = ("csv", "xlsx", "xls")
DATE_FORMATS = {
	"auto": _("Detect"),
	"jalali": _("Jalali (1403/07/15)"),
	"ymd": _("Year Month Day (2024-07-05)"),
	"dmy": _("Day Month Year (05.07.2024)"),
	"mdy": _("Month Day Year (07/05/2024)"),
	"chinese": _("Chinese (2024年7月5日)"),
}
ENCODINGS = (
	"utf-8",
	"utf-8-sig",
	"windows-1256",
	"cp1251",
	"gbk",
)  # the ones a profile offers; any Python codec works
DELIMITERS = (";", ",", "\t", "|")
SAMPLE_BYTES = 1 << 20  # read to detect encoding and delimiter and to check for mixed encodings
_CHUNK = 1 << 20
_CACHE_LIMIT = 200_000  # distinct values remembered per column before the cache starts afresh


@dataclass(frozen=True)
class ImportSpec:
	"""How one distributor's file is read (the import profile, as plain data)."""

	file_type: str
	columns: dict[str, str]
	sheet: str | None = None
	header_row: int = 1
	delimiter: str | None = None
	date_format: str = "auto"
	decimal_separator: str = "."
	thousands_separator: str = ""
	encoding: str | None = None
	allow_returns: bool = False


class SellOutRow(NamedTuple):
	row_no: int
	date: datetime.date
	outlet_code: str
	outlet_name: str
	outlet_address: str
	outlet_city: str
	item_code: str
	item_name: str
	qty: float
	uom: str
	amount: float | None
	doc_no: str


class RowError(NamedTuple):
	row_no: int
	column: str
	template: str
	params: tuple

	@property
	def message(self) -> str:
		"""The English message (the Frappe layer translates ``template`` and formats it instead)."""
		return self.template.format(*self.params)


class Batch(NamedTuple):
	rows: list[SellOutRow]
	errors: list[RowError]


@dataclass
class Parsed:
	rows: list[SellOutRow] = field(default_factory=list)
	errors: list[RowError] = field(default_factory=list)
	encoding: str | None = None
	total_rows: int = 0
	period: tuple[datetime.date, datetime.date] | None = None
	headers: list[str] = field(default_factory=list)
	sheet_names: list[str] = field(default_factory=list)
