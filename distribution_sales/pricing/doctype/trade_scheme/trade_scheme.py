import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from distribution_sales.pricing.schemes import CONDITION_FIELDS, budget_used, to_scheme
from distribution_sales.rules.schemes import validate_scheme
from distribution_sales.utils import DistributionValidationError, rule_errors, where_window_overlaps


class TradeSchemeError(DistributionValidationError):
	pass


class TradeScheme(Document):
	def validate(self):
		self.validate_conditions()
		self.validate_free_items()
		self.validate_dates()
		used = budget_used([self.name], None).get(self.name, {}) if not self.is_new() else {}
		self.budget_used = used.get("qty" if self.budget_basis == "Quantity" else "amount", 0.0)
		self.validate_budget()
		with rule_errors(title=_("Trade Scheme")):
			validate_scheme(to_scheme(self, self.tiers, {}, {}))
		self.validate_exclusive_order()

	def validate_conditions(self):
		for row in self.conditions:
			if row.condition_type not in CONDITION_FIELDS:
				frappe.throw(
					_("Row {0}: a scheme applies to {1}, not to {2}").format(
						row.idx, ", ".join(_(d) for d in CONDITION_FIELDS), _(row.condition_type)
					),
					TradeSchemeError,
				)

	def validate_free_items(self):
		for tier in self.tiers:
			if tier.free_item and not frappe.db.get_value("Item", tier.free_item, "is_sales_item"):
				frappe.throw(
					_("Tier {0}: free item {1} is not a sales item").format(
						tier.idx, frappe.bold(tier.free_item)
					),
					TradeSchemeError,
				)

	def validate_dates(self):
		if self.valid_from and self.valid_upto and getdate(self.valid_upto) < getdate(self.valid_from):
			frappe.throw(_("Valid Upto is before Valid From"), TradeSchemeError)

	def validate_budget(self):
		if flt(self.budget) and flt(self.budget_used) >= flt(self.budget) and not self.disabled:
			frappe.throw(
				_(
					"The budget of {0} is already spent ({1} used of {2}): raise it or disable the scheme"
				).format(frappe.bold(self.name), flt(self.budget_used), flt(self.budget)),
				TradeSchemeError,
			)

	def validate_exclusive_order(self):
		"""Two exclusive schemes at the same stacking order would each stop the other: refuse."""
		if not self.exclusive or self.disabled:
			return
		ts = frappe.qb.DocType("Trade Scheme")
		query = (
			frappe.qb.from_(ts)
			.select(ts.name)
			.where(
				(ts.company == self.company)
				& (ts.exclusive == 1)
				& (ts.disabled == 0)
				& (ts.priority == (self.priority or 0))
				& (ts.name != self.name)
			)
		)
		clash = where_window_overlaps(query, ts, self.valid_from, self.valid_upto).limit(1).run()
		if clash:
			frappe.throw(
				_(
					"{0} and {1} are both exclusive at stacking order {2}: give them different stacking orders"
				).format(frappe.bold(self.name), frappe.bold(clash[0][0]), self.priority or 0),
				TradeSchemeError,
			)


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def condition_types(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None
):
	"""Link search for a condition's "Applies To": the kinds of record a scheme can apply to."""
	txt = (txt or "").lower()
	return [(name, _(name)) for name in CONDITION_FIELDS if txt in name.lower() or txt in _(name).lower()][
		int(start) : int(start) + int(page_len)
	]
