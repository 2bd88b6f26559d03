"""Whitelisted endpoints of the secondary-sales module: ledger export for BI tools (SEC-6)."""

import csv
import datetime
import io

import frappe
from frappe import _
from frappe.utils import getdate

EXPORT_FORMATS = ("CSV", "XLSX", "Parquet")
XLSX_MAX_ROWS = 1_048_575
# Columns of the export, in order: (key, label, kind)
EXPORT_COLUMNS = (
	("posting_date", "Date", "date"),
	("month", "Month", "text"),
	("distributor", "Distributor", "text"),
	("item", "Item", "text"),
	("item_name", "Item Name", "text"),
	("item_group", "Item Group", "text"),
	("brand", "Brand", "text"),
	("outlet", "Outlet (Customer)", "text"),
	("territory", "Territory", "text"),
	("sales_route", "Sales Route", "text"),
	("qty", "Qty", "float"),
	("uom", "UOM", "text"),
	("stock_qty", "Qty in Stock UOM", "float"),
	("amount", "Amount", "float"),
	("item_code_raw", "Distributor Item Code", "text"),
	("item_name_raw", "Distributor Item Name", "text"),
	("outlet_code_raw", "Distributor Outlet Code", "text"),
	("outlet_name_raw", "Distributor Outlet Name", "text"),
	("sell_out_import", "Sell Out Import", "text"),
)


def ledger_base(filters: dict | None):
	"""The ledger joined to Item (for its group and brand) with the usual filters; nothing selected yet."""
	filters = frappe._dict(filters or {})
	entry, item = frappe.qb.DocType("Sell Out Entry"), frappe.qb.DocType("Item")
	query = frappe.qb.from_(entry).left_join(item).on(item.name == entry.item)
	if filters.get("company"):
		query = query.where(entry.company == filters.company)
	for field in ("distributor", "item", "territory", "sales_route", "outlet", "sell_out_import"):
		if filters.get(field):
			query = query.where(entry[field] == filters[field])
	if filters.get("item_group"):
		query = query.where(item.item_group == filters.item_group)
	if filters.get("from_date"):
		query = query.where(entry.posting_date >= getdate(filters.from_date))
	if filters.get("to_date"):
		query = query.where(entry.posting_date <= getdate(filters.to_date))
	return query, entry, item


def ledger_query(filters: dict | None):
	"""Every export column of the ledger rows matching ``filters``."""
	query, entry, item = ledger_base(filters)
	from_item = {"item_name", "item_group", "brand"}
	return query.select(
		*(item[key] if key in from_item else entry[key] for key, _label, _kind in EXPORT_COLUMNS)
	).orderby(entry.posting_date)


@frappe.whitelist()
def export_ledger(file_format: str = "CSV", filters: str | dict | None = None) -> None:
	"""Download the ledger rows matching ``filters`` as CSV, XLSX or Parquet.

	CSV and XLSX carry translated column headers; Parquet keeps the field names (stable for BI tools)
	with typed columns (date, float, string)."""
	frappe.has_permission("Sell Out Entry", "export", throw=True)
	if file_format not in EXPORT_FORMATS:
		frappe.throw(
			_("Unknown export format {0}; use one of {1}").format(file_format, ", ".join(EXPORT_FORMATS))
		)
	if isinstance(filters, str):
		filters = frappe.parse_json(filters)
	content, extension = build_export(file_format, filters)
	frappe.response["filename"] = f"sell_out_{frappe.utils.nowdate()}.{extension}"
	frappe.response["filecontent"] = content
	frappe.response["type"] = "download"


def build_export(file_format: str, filters: dict | None) -> tuple[bytes, str]:
	rows = ledger_query(filters).run()
	labels = [_(label) for _key, label, _kind in EXPORT_COLUMNS]
	if file_format == "CSV":
		out = io.StringIO()
		writer = csv.writer(out)
		writer.writerow(labels)
		writer.writerows(rows)
		return out.getvalue().encode("utf-8-sig"), "csv"
	if file_format == "XLSX":
		if len(rows) > XLSX_MAX_ROWS:
			frappe.throw(
				_(
					"{0} rows do not fit in one Excel sheet; narrow the filters or export CSV or Parquet"
				).format(len(rows))
			)
		from openpyxl import Workbook

		book = Workbook(write_only=True)
		sheet = book.create_sheet(_("Sell Out"))
		sheet.append(labels)
		for row in rows:
			sheet.append(list(row))
		out = io.BytesIO()
		book.save(out)
		return out.getvalue(), "xlsx"
	import pyarrow as pa
	import pyarrow.parquet as pq

	types = {"date": pa.date32(), "float": pa.float64(), "text": pa.string()}
	columns = list(zip(*rows, strict=True)) if rows else [[] for _c in EXPORT_COLUMNS]
	table = pa.table(
		{
			key: pa.array(_values(values, kind), type=types[kind])
			for (key, _label, kind), values in zip(EXPORT_COLUMNS, columns, strict=True)
		}
	)
	out = io.BytesIO()
	pq.write_table(table, out, compression="zstd")
	return out.getvalue(), "parquet"


def _values(values, kind: str) -> list:
	if kind == "date":
		return [v if isinstance(v, datetime.date) or v is None else getdate(v) for v in values]
	if kind == "float":
		return [None if v is None else float(v) for v in values]
	return [None if v is None else str(v) for v in values]
