"""A sales quota: the most of an item or item group sold per day, week or month (CRD-4)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from distribution_sales.rules.quotas import validate_quota
from distribution_sales.utils import rule_errors, where_window_overlaps


class SalesQuota(Document):
	def validate(self):
		with rule_errors():
			validate_quota(flt(self.max_qty), self.period, self.applies_to, self.party)
		self.validate_dates()
		self.validate_no_overlap()

	def validate_dates(self):
		if self.valid_from and self.valid_upto and getdate(self.valid_upto) < getdate(self.valid_from):
			frappe.throw(_("Valid Upto cannot be before Valid From"))

	def validate_no_overlap(self):
		"""Two quotas on the same party, target and period with overlapping validity would contradict."""
		q = frappe.qb.DocType("Sales Quota")
		query = (
			frappe.qb.from_(q)
			.select(q.name)
			.where(
				(q.name != self.name)
				& (q.enabled == 1)
				& (q.company == self.company)
				& (q.applies_to == self.applies_to)
				& (q.party == self.party)
				& (q.quota_on == self.quota_on)
				& (q.target == self.target)
				& (q.period == self.period)
			)
		)
		clash = where_window_overlaps(query, q, self.valid_from, self.valid_upto).limit(1).run()
		if self.enabled and clash:
			frappe.throw(
				_("Quota {0} already limits {1} {2} per {3} in an overlapping validity window").format(
					frappe.bold(clash[0][0]), _(self.quota_on), frappe.bold(self.target), _(self.period)
				),
				title=_("Overlapping Quota"),
			)
