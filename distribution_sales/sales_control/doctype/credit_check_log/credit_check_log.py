from frappe.model.document import Document


class CreditCheckLog(Document):
	pass
