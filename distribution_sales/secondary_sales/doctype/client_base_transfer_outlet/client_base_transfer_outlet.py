from frappe.model.document import Document


class ClientBaseTransferOutlet(Document):
	pass
