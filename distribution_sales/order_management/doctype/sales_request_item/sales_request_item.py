from frappe.model.document import Document


class SalesRequestItem(Document):
	pass
