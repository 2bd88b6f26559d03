"""Stock held by a submitted proforma (Quotation) until it expires, is ordered or cancelled (CRD-6).

Written and released only by distribution_sales.sales_control.controls, never by hand."""

import frappe
from frappe.model.document import Document


class ProformaReservation(Document):
	pass


def on_doctype_update():
	frappe.db.add_index("Proforma Reservation", ["item_code", "warehouse", "status"])
