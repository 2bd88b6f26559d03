"""A row of the secondary-sales ledger (SEC-4); written in bulk by the import job, never by hand."""

import frappe
from frappe.model.document import Document


class SellOutEntry(Document):
	pass


def on_doctype_update():
	"""Indexes for period x distributor x item x territory queries (reports, exports, reconciliation)."""
	frappe.db.add_index("Sell Out Entry", ["distributor", "posting_date"])
	frappe.db.add_index("Sell Out Entry", ["item", "posting_date"])
	frappe.db.add_index("Sell Out Entry", ["territory", "posting_date"])
	frappe.db.add_index("Sell Out Entry", ["outlet", "posting_date"])
