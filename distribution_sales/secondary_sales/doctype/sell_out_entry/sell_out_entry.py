"""A row of the secondary-sales ledger (SEC-4); written in bulk by the import job, never by hand."""

import frappe
from frappe.model.document import Document


class SellOutEntry(Document):
	pass


def on_doctype_update():
	"""Indexes for period x distributor x item x territory queries (reports, exports, reconciliation).

	Only these three: every secondary index costs time on each of the millions of rows an import
	writes. Rows of one import are found through (distributor, posting_date) as well (an import has one
	distributor and a period), so Frappe's default index on ``modified`` is dropped."""
	frappe.db.add_index("Sell Out Entry", ["distributor", "posting_date"])
	frappe.db.add_index("Sell Out Entry", ["item", "posting_date"])
	frappe.db.add_index("Sell Out Entry", ["territory", "posting_date"])
	for index in ("modified", "outlet_posting_date_index", "sell_out_import"):
		if frappe.db.has_index("tabSell Out Entry", index):
			frappe.db.sql_ddl(f"alter table `tabSell Out Entry` drop index `{index}`")
