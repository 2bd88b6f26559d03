from frappe.model.document import Document


class DistributorItemSuggestion(Document):
	pass
