from frappe.model.document import Document


class SchemeApplication(Document):
	pass
