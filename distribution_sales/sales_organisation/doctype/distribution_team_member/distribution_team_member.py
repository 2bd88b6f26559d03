from frappe.model.document import Document


class DistributionTeamMember(Document):
	pass
