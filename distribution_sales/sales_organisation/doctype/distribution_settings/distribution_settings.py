import frappe
from frappe import _
from frappe.model.document import Document

from distribution_sales.rules.customer_code import parse_pattern
from distribution_sales.utils import rule_errors


class DistributionSettings(Document):
	def validate(self):
		if self.customer_code_pattern:
			self.customer_code_pattern = self.customer_code_pattern.strip()
			with rule_errors(title=_("Customer Code Pattern")):
				parse_pattern(self.customer_code_pattern)
		if self.auto_customer_account:
			self.validate_account_parent()

	def validate_account_parent(self):
		account = frappe.db.get_value(
			"Account", self.customer_account_parent, ["company", "is_group", "root_type"], as_dict=True
		)
		if (
			not account
			or account.company != self.company
			or not account.is_group
			or account.root_type != "Asset"
		):
			frappe.throw(
				_(
					"Parent Receivable Account must be a group account of the Asset root in company {0}"
				).format(self.company)
			)


def get_distribution_settings(company: str | None) -> Document:
	"""The company's Distribution Settings, the one way to read them: the cached document (Frappe drops
	it when the settings are saved), or, for a company without settings, a new unsaved one that holds
	the DocType's defaults (defaults live only in the DocType JSON)."""
	if company and frappe.db.exists("Distribution Settings", company):
		return frappe.get_cached_doc("Distribution Settings", company)
	settings = frappe.new_doc("Distribution Settings")
	settings.company = company
	return settings
