import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from distribution_sales.utils import DistributionValidationError, where_window_overlaps


class DuplicatePriceError(DistributionValidationError):
	pass


class DistributionPrice(Document):
	def validate(self):
		self.clear_unused_dimensions()
		self.validate_batch()
		if self.valid_from and self.valid_upto and getdate(self.valid_upto) < getdate(self.valid_from):
			frappe.throw(_("Valid Upto is before Valid From"))
		if self.rate is None or self.rate < 0:
			frappe.throw(_("Rate must be zero or more"))
		self.validate_duplicate()

	def clear_unused_dimensions(self):
		if self.applies_to == "Item":
			self.item_group = None
		else:
			self.item_code = self.batch_no = None
		if self.party_type != "Customer":
			self.customer = None
		if self.party_type != "Customer Group":
			self.customer_group = None

	def validate_batch(self):
		if self.batch_no and frappe.db.get_value("Batch", self.batch_no, "item") != self.item_code:
			frappe.throw(_("Batch {0} is not a batch of item {1}").format(self.batch_no, self.item_code))

	def validate_duplicate(self):
		"""One price per item or group, party, batch, UOM and price list at a time."""
		dp = frappe.qb.DocType("Distribution Price")
		query = frappe.qb.from_(dp).select(dp.name).where((dp.name != self.name) & (dp.disabled == 0))
		for field in (
			"price_list",
			"applies_to",
			"item_code",
			"item_group",
			"batch_no",
			"party_type",
			"customer",
			"customer_group",
			"uom",
		):
			value = self.get(field)
			query = query.where(dp[field] == value if value else dp[field].isnull() | (dp[field] == ""))
		clash = where_window_overlaps(query, dp, self.valid_from, self.valid_upto).limit(1).run()
		if clash:
			frappe.throw(
				_("Distribution Price {0} already prices this for an overlapping period").format(
					frappe.bold(clash[0][0])
				),
				DuplicatePriceError,
			)
