from frappe.model.document import Document


class CustomerNature(Document):
	pass
