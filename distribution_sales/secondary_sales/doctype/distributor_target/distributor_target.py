"""A sell-out target of a distributor for a period, optionally for one item or item group (SEC-7)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate


class DistributorTarget(Document):
	def validate(self):
		if getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(_("To Date is before From Date"))
		if self.item and self.item_group:
			frappe.throw(_("Set an item or an item group, not both"))
		if not (self.target_qty or self.target_amount):
			frappe.throw(_("Give a target quantity or amount"))
