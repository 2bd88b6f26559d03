"""The secondary-sales ledger (SEC-4): rows of Sell Out Entry written in bulk by the import job.

Rows are written with multi-row INSERT statements built here (not one document per row): a sell-out
file holds up to millions of lines, and the import commits or rolls back as one transaction. Values are
escaped by the database driver's own escaping; repeated texts (distributor, item, outlet keys, names)
are escaped once per import and reused.
"""

import datetime

from pymysql.converters import escape_string

import frappe

TABLE = "tabSell Out Entry"
SEQUENCE = "sell_out_entry_id_seq"  # Frappe's sequence for the autoincrement names of Sell Out Entry
COLUMNS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"distributor",
	"sell_out_import",
	"company",
	"posting_date",
	"month",
	"row_no",
	"item",
	"item_key",
	"item_code_raw",
	"item_name_raw",
	"outlet",
	"territory",
	"sales_route",
	"outlet_key",
	"outlet_code_raw",
	"outlet_name_raw",
	"outlet_city_raw",
	"qty",
	"uom",
	"stock_qty",
	"amount",
	"doc_no",
)


class LedgerWriter:
	"""Buffers ledger rows of one import and writes them with multi-row INSERTs of ``chunk`` rows."""

	def __init__(self, distributor: str, sell_out_import: str, company: str | None, chunk: int = 5000):
		self.chunk = chunk
		self._texts: dict[str, str] = {}
		self._dates: dict[datetime.date, tuple[str, str]] = {}
		now = frappe.utils.now()
		user = frappe.session.user
		self._fixed = ",".join(
			(self.text(now), self.text(now), self.text(user), self.text(user), "0", "0"),
		)
		self._fixed += "," + ",".join(self.text(v) for v in (distributor, sell_out_import, company))
		self._head = f"INSERT INTO `{TABLE}` ({', '.join(f'`{c}`' for c in COLUMNS)}) VALUES "
		self._buffer: list[str] = []
		self.written = 0

	def text(self, value: str | None) -> str:
		if value is None or value == "":
			return "NULL"
		out = self._texts.get(value)
		if out is None:
			out = self._texts[value] = "'" + escape_string(value) + "'"
		return out

	def date(self, value: datetime.date) -> tuple[str, str]:
		out = self._dates.get(value)
		if out is None:
			out = self._dates[value] = (f"'{value.isoformat()}'", f"'{value.year:04d}-{value.month:02d}'")
		return out

	@staticmethod
	def number(value: float | None) -> str:
		return "NULL" if value is None else repr(float(value))

	def item_text(self, item, item_key, code, name) -> str:
		"""The item columns of a row (item, item_key, item_code_raw, item_name_raw), escaped."""
		return ",".join((self.text(item), self.text(item_key), self.text(code), self.text(name)))

	def outlet_text(self, outlet, territory, route, outlet_key, code, name, city) -> str:
		"""The outlet columns of a row (outlet .. outlet_city_raw), escaped."""
		text = self.text
		return ",".join(
			(text(outlet), text(territory), text(route), text(outlet_key), text(code), text(name), text(city))
		)

	def add(self, row, item_text: str, outlet_text: str, stock_qty: float) -> None:
		"""One ledger row: a parsed SellOutRow with its item and outlet columns from item_text and
		outlet_text (made once per distinct item and outlet of the file)."""
		day = self._dates.get(row.date) or self.date(row.date)
		amount = row.amount
		self._buffer.append(
			f"{self._fixed},{day[0]},{day[1]},{row.row_no},{item_text},{outlet_text},{row.qty!r},"
			f"{self.text(row.uom)},{stock_qty!r},{'NULL' if amount is None else repr(amount)},"
			f"{self.text(row.doc_no)}"
		)
		if len(self._buffer) >= self.chunk:
			self.flush()

	def flush(self):
		if not self._buffer:
			return
		first = reserve_names(len(self._buffer))
		frappe.db.sql(self._head + ",".join(f"({first + i},{body})" for i, body in enumerate(self._buffer)))
		self.written += len(self._buffer)
		self._buffer = []


def reserve_names(count: int) -> int:
	"""The first of ``count`` consecutive names from the doctype's sequence (Frappe's autoincrement).

	The sequence hands out one value per call; a block is taken as NEXTVAL and a SETVAL to its last
	value, under a named lock so two imports never take overlapping blocks. (Sequence values are not
	transactional: a rolled back import leaves a gap in the names, never a clash.)"""
	frappe.db.sql("select get_lock('ds_sell_out_entry_names', 60)")
	try:
		first = frappe.db.sql(f"select nextval(`{SEQUENCE}`)")[0][0]
		if count > 1:
			frappe.db.sql(f"select setval(`{SEQUENCE}`, %s)", (first + count - 1,))
	finally:
		frappe.db.sql("select release_lock('ds_sell_out_entry_names')")
	return first


def delete_import_rows(sell_out_import: str) -> int:
	"""Remove every ledger row of one import (roll back); returns how many.

	The import's distributor and period lead to its rows through the (distributor, posting_date) index;
	rows of an import replaced in part lie inside its original period too."""
	distributor, start, end = frappe.db.get_value(
		"Sell Out Import", sell_out_import, ["distributor", "period_from", "period_to"]
	)
	entry = frappe.qb.DocType("Sell Out Entry")
	where = (entry.distributor == distributor) & (entry.sell_out_import == sell_out_import)
	if start and end:
		where &= (entry.posting_date >= start) & (entry.posting_date <= end)
	count = frappe.qb.from_(entry).select(frappe.query_builder.functions.Count("*")).where(where).run()[0][0]
	frappe.qb.from_(entry).delete().where(where).run()
	return count


def rows_in_period(distributor: str, start, end, exclude_import: str) -> dict[str, int]:
	"""Ledger rows of ``distributor`` dated ``start``..``end`` that other imports wrote, per import."""
	entry = frappe.qb.DocType("Sell Out Entry")
	rows = (
		frappe.qb.from_(entry)
		.select(entry.sell_out_import, frappe.query_builder.functions.Count("*"))
		.where(
			(entry.distributor == distributor)
			& (entry.posting_date >= start)
			& (entry.posting_date <= end)
			& (entry.sell_out_import != exclude_import)
		)
		.groupby(entry.sell_out_import)
		.run()
	)
	return {name: count for name, count in rows}


def delete_period(distributor: str, start, end, exclude_import: str) -> None:
	entry = frappe.qb.DocType("Sell Out Entry")
	(
		frappe.qb.from_(entry)
		.delete()
		.where(
			(entry.distributor == distributor)
			& (entry.posting_date >= start)
			& (entry.posting_date <= end)
			& (entry.sell_out_import != exclude_import)
		)
		.run()
	)
