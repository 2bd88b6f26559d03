from frappe.model.document import Document


class SalesRouteCustomer(Document):
	pass
