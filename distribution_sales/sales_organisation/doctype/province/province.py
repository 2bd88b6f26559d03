from frappe.model.document import Document


class Province(Document):
	pass
