from frappe.model.document import Document


class City(Document):
	pass
