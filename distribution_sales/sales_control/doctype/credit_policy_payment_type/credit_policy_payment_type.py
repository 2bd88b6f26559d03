from frappe.model.document import Document


class CreditPolicyPaymentType(Document):
	pass
