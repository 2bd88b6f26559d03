"""A credit policy: limits on a customer's, a customer group's or a salesperson's figures (CRD-1)."""

from frappe.model.document import Document
from frappe.utils import flt

from distribution_sales.rules.credit import validate_policy
from distribution_sales.utils import rule_errors

LIMITS = {
	"outstanding": "max_outstanding",
	"open_orders": "max_open_orders",
	"uncleared_cheques": "max_uncleared_cheques",
	"overdue_days": "max_overdue_days",
	"total_exposure": "max_total_exposure",
}


class CreditPolicy(Document):
	def validate(self):
		scope = (self.applies_to or "").lower().replace(" ", "_") or None
		with rule_errors():
			validate_policy(
				scope,
				self.party,
				(self.action or "").lower() or None,
				{indicator: flt(self.get(field)) for indicator, field in LIMITS.items()},
			)
