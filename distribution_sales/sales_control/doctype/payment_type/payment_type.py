"""Predefined payment types (cash, cheque, credit N days) that credit policies use (CRD-5)."""

import frappe
from frappe import _
from frappe.model.document import Document


class PaymentType(Document):
	def validate(self):
		self.validate_credit_days()

	def validate_credit_days(self):
		if self.kind == "Cash":
			self.credit_days = 0
		elif (self.credit_days or 0) < 0:
			frappe.throw(_("Credit Days cannot be negative"))
		elif self.kind == "Credit" and not self.credit_days:
			frappe.throw(_("A credit payment type needs its credit days"))
