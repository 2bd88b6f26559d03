from frappe.model.document import Document


class FollowUpMethod(Document):
	pass
