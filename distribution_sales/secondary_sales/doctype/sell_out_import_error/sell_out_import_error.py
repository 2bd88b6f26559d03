from frappe.model.document import Document


class SellOutImportError(Document):
	pass
