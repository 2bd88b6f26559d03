"""The secondary-sales ledger (SEC-4): rows of Sell Out Entry written in bulk by the import job.

Rows are never one document each: a sell-out file holds up to millions of lines, and the import
commits or rolls back as one transaction. Two ways, same rows:

* ``LOAD DATA LOCAL INFILE`` of a tab-separated chunk written to a temporary file: MariaDB's bulk
  loader, about twice as fast as INSERT statements on the same table (see benchmarks/sellout_e2e.py).
  It needs the connection to announce local files, which Frappe's does not: the job opens one that
  does (same settings) before its transaction starts, when the server allows local infile;
* otherwise multi-row INSERT statements, values escaped by the driver's own escaping.

Repeated texts (distributor, item and outlet keys, names) are escaped once per import and reused.
"""

import datetime
import os
import tempfile

import pymysql
from pymysql.constants import CLIENT
from pymysql.converters import escape_string

import frappe
from frappe.utils import cint

TABLE = "tabSell Out Entry"
SEQUENCE = "sell_out_entry_id_seq"  # Frappe's sequence for the autoincrement names of Sell Out Entry
FIXED_COLUMNS = (  # the same on every row of one import
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"distributor",
	"sell_out_import",
	"company",
)
COLUMNS = (
	"name",
	*FIXED_COLUMNS,
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


def use_local_infile() -> bool:
	"""Make frappe.db's connection able to LOAD DATA LOCAL INFILE, if the server allows it.

	Call between transactions (the connection is replaced by one with the same settings that announces
	local files). Returns False, leaving the connection alone, when the server has local_infile off."""
	conn = frappe.db._conn
	if conn is None:
		frappe.db.connect()
		conn = frappe.db._conn
	if conn.client_flag & CLIENT.LOCAL_FILES:
		return True
	if not cint(frappe.db.sql("select @@global.local_infile")[0][0]):
		return False
	frappe.db.commit()
	settings = {**frappe.db.get_connection_settings(), "local_infile": True}
	new = pymysql.connect(**settings)
	new.auto_reconnect = True
	frappe.db._conn, frappe.db._cursor = new, new.cursor()
	try:
		conn.close()
	except Exception:
		pass
	return True


def _tsv_escape(value: str) -> str:
	return (
		value.replace("\\", "\\\\")
		.replace("\t", "\\t")
		.replace("\n", "\\n")
		.replace("\r", "\\r")
		.replace("\0", "\\0")
	)


class LedgerWriter:
	"""Buffers ledger rows of one import and writes them ``chunk`` rows at a time, by LOAD DATA LOCAL
	INFILE when ``bulk_load`` is set (the connection must allow it: use_local_infile), else by
	multi-row INSERT."""

	def __init__(
		self,
		distributor: str,
		sell_out_import: str,
		company: str | None,
		chunk: int = 10_000,
		bulk_load: bool = False,
	):
		self.chunk = chunk
		self.bulk_load = bulk_load
		self._sep, self._null = ("\t", "\\N") if bulk_load else (",", "NULL")
		self._texts: dict[str, str] = {}
		self._dates: dict[datetime.date, tuple[str, str]] = {}
		now = frappe.utils.now()
		user = frappe.session.user
		fixed = dict(
			zip(
				FIXED_COLUMNS,
				(now, now, user, user, 0, 0, distributor, sell_out_import, company),
				strict=True,
			)
		)
		if bulk_load:  # the same for every row: given once in the statement, not in every line of the file
			self._fixed = ""
			self._columns = ", ".join(f"`{c}`" for c in COLUMNS if c not in fixed)
			self._set = ", ".join(f"`{c}` = %({c})s" for c in fixed)
			self._set_values = fixed
		else:
			self._fixed = (
				",".join(str(v) if isinstance(v, int) else self.text(v) for v in fixed.values()) + ","
			)
			self._columns = ", ".join(f"`{c}`" for c in COLUMNS)
		self._buffer: list[str] = []
		self.written = 0

	def text(self, value: str | None) -> str:
		if value is None or value == "":
			return self._null
		out = self._texts.get(value)
		if out is None:
			out = self._texts[value] = (
				_tsv_escape(value) if self.bulk_load else "'" + escape_string(value) + "'"
			)
		return out

	def date(self, value: datetime.date) -> tuple[str, str]:
		out = self._dates.get(value)
		if out is None:
			day, month = value.isoformat(), f"{value.year:04d}-{value.month:02d}"
			out = self._dates[value] = (day, month) if self.bulk_load else (f"'{day}'", f"'{month}'")
		return out

	def item_text(self, item, item_key, code, name) -> str:
		"""The item columns of a row (item, item_key, item_code_raw, item_name_raw), escaped."""
		return self._sep.join((self.text(item), self.text(item_key), self.text(code), self.text(name)))

	def outlet_text(self, outlet, territory, route, outlet_key, code, name, city) -> str:
		"""The outlet columns of a row (outlet .. outlet_city_raw), escaped."""
		text = self.text
		return self._sep.join(
			(text(outlet), text(territory), text(route), text(outlet_key), text(code), text(name), text(city))
		)

	def add(self, row, item_text: str, outlet_text: str, stock_qty: float) -> None:
		"""One ledger row: a parsed SellOutRow with its item and outlet columns from item_text and
		outlet_text (made once per distinct item and outlet of the file)."""
		day = self._dates.get(row.date) or self.date(row.date)
		amount = row.amount
		sep = self._sep
		self._buffer.append(
			f"{self._fixed}{day[0]}{sep}{day[1]}{sep}{row.row_no}{sep}{item_text}{sep}{outlet_text}{sep}"
			f"{row.qty!r}{sep}{self.text(row.uom)}{sep}{stock_qty!r}{sep}"
			f"{self._null if amount is None else repr(amount)}{sep}{self.text(row.doc_no)}"
		)
		if len(self._buffer) >= self.chunk:
			self.flush()

	def flush(self):
		if not self._buffer:
			return
		first = reserve_names(len(self._buffer))
		if self.bulk_load:
			self._load(first)
		else:
			statement = f"INSERT INTO `{TABLE}` ({self._columns}) VALUES " + ",".join(
				f"({first + i},{body})" for i, body in enumerate(self._buffer)
			)
			frappe.db.transaction_writes += 1  # as frappe.db.sql counts it
			frappe.db._cursor.execute(statement)  # not frappe.db.sql: its regex pass over MBs of values
		self.written += len(self._buffer)
		self._buffer = []

	def _load(self, first: int) -> None:
		fd, path = tempfile.mkstemp(prefix="sell-out-", suffix=".tsv")
		try:
			with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
				for i, body in enumerate(self._buffer):
					f.write(f"{first + i}\t{body}\n")
			frappe.db.sql(
				f"""LOAD DATA LOCAL INFILE %(path)s INTO TABLE `{TABLE}` CHARACTER SET utf8mb4
				FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ({self._columns})
				SET {self._set}""",
				{"path": path, **self._set_values},
			)
			warnings = frappe.db.sql("show warnings limit 1")
			if warnings and warnings[0][0] != "Note":
				raise frappe.ValidationError(f"LOAD DATA: {warnings[0][2]}")
		finally:
			os.unlink(path)


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
