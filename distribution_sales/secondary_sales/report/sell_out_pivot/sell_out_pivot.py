"""Sell Out Pivot (SEC-6): the ledger summed by any dimension on rows and another on columns.

The rows are first summed in the database per (row dimension, column dimension); rules.sellout_analysis
.pivot lays them out. Export the result from the report menu, or the raw ledger as CSV, XLSX or
Parquet with the Export buttons.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum

# label -> (table, field) of a dimension
DIMENSIONS = {
	"Item": ("entry", "item"),
	"Item Group": ("item", "item_group"),
	"Brand": ("item", "brand"),
	"Distributor": ("entry", "distributor"),
	"Territory": ("entry", "territory"),
	"Sales Route": ("entry", "sales_route"),
	"Outlet": ("entry", "outlet"),
	"Month": ("entry", "month"),
}
MEASURES = {"Qty in Stock UOM": "stock_qty", "Qty": "qty", "Amount": "amount"}


def execute(filters: dict | None = None):
	from distribution_sales.rules.sellout_analysis import pivot

	filters = frappe._dict(filters or {})
	row_dim = filters.get("rows") or "Item"
	col_dim = filters.get("columns") or ""
	measure = filters.get("value") or "Qty in Stock UOM"
	if row_dim not in DIMENSIONS or (col_dim and col_dim not in DIMENSIONS) or measure not in MEASURES:
		frappe.throw(_("Choose the rows, columns and value from the lists"))
	if col_dim == row_dim:
		col_dim = ""
	records = summed(filters, row_dim, col_dim, MEASURES[measure])
	header, table = pivot(records, ["row"], "column" if col_dim else None, "value", "sum")
	cols = [
		{
			"label": _(row_dim),
			"fieldname": "row",
			"fieldtype": "Data",
			"width": 180,
		}
	]
	for i, label in enumerate(header[1:]):
		cols.append(
			{
				"label": str(label) if col_dim else _(measure),
				"fieldname": f"c{i}",
				"fieldtype": "Float",
				"width": 110,
			}
		)
	data = [{"row": r[0], **{f"c{i}": v for i, v in enumerate(r[1:])}} for r in table]
	return cols, data


def summed(filters, row_dim: str, col_dim: str, measure: str) -> list[dict]:
	from distribution_sales.secondary_sales.api import ledger_base

	query, entry, item = ledger_base(filters)
	tables = {"entry": entry, "item": item}

	def column(label):
		table, field = DIMENSIONS[label]
		return tables[table][field]

	dims = [column(row_dim)] + ([column(col_dim)] if col_dim else [])
	query = query.select(*dims, Sum(entry[measure])).groupby(*dims)
	records = []
	not_set = _("Not Set")
	for values in query.run():
		record = {"row": values[0] or not_set, "value": values[-1] or 0.0}
		if col_dim:
			record["column"] = values[1] or not_set
		records.append(record)
	return records
