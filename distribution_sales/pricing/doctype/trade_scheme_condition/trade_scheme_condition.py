from frappe.model.document import Document


class TradeSchemeCondition(Document):
	pass
