"""Stock held by a submitted proforma (Quotation) until it expires, is ordered or cancelled (CRD-6).

Written and released only by distribution_sales.sales_control.controls, never by hand."""

from frappe.model.document import Document


class ProformaReservation(Document):
	pass
