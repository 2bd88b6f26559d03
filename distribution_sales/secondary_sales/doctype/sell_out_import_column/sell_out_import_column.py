from frappe.model.document import Document


class SellOutImportColumn(Document):
	pass
