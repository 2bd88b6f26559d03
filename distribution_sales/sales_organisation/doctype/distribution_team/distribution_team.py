import frappe
from frappe import _
from frappe.model.document import Document


class DistributionTeam(Document):
	def validate(self):
		seen = set()
		for row in self.members:
			if row.sales_person in seen:
				frappe.throw(
					_("Row {0}: {1} is already a member of this team").format(row.idx, row.sales_person)
				)
			seen.add(row.sales_person)
		if self.vehicle and not self.driver:
			self.driver = frappe.db.get_value("Vehicle", self.vehicle, "ds_driver")
