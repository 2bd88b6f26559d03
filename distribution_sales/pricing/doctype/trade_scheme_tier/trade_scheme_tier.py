from frappe.model.document import Document


class TradeSchemeTier(Document):
	pass
