from frappe.model.document import Document


class ReturnReason(Document):
	pass
