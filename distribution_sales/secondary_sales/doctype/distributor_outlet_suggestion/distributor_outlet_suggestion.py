from frappe.model.document import Document


class DistributorOutletSuggestion(Document):
	pass
