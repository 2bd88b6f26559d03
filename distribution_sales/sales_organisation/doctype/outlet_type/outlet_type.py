from frappe.model.document import Document


class OutletType(Document):
	pass
