"""A distributor's item code or name -> our Item (SEC-2), remembered per distributor.

Created by the import with suggestions; a person confirms or corrects it in the review list
(status Review). The answer is reused by every later import of that distributor, and the ledger rows
already imported under this key take the item at once.
"""

import frappe
from frappe import _
from frappe.model.document import Document

from distribution_sales.secondary_sales.mapping import backfill_items, item_key


class DistributorItemMapping(Document):
	def validate(self):
		if not self.external_key:
			if not (self.external_code or self.external_name):
				frappe.throw(_("Give the distributor's item code or name"))
			self.external_key = item_key(self.external_code or "", self.external_name or "")[:140]
		if not self.is_new() and self.has_value_changed("item"):
			self.status = "Confirmed" if self.item else "Review"
		elif self.is_new() and self.item and self.status == "Review":
			self.status = "Confirmed"
		if self.status in ("Auto", "Confirmed") and not self.item:
			frappe.throw(_("Choose the item before setting the status to {0}").format(_(self.status)))

	def on_update(self):
		if not self.flags.in_insert and (self.has_value_changed("item") or self.has_value_changed("status")):
			backfill_items(
				self.distributor, self.external_key, self.item if self.status != "Review" else None
			)

	@frappe.whitelist()
	def confirm(self, item: str | None = None) -> str:
		"""Accept the given item (or the current one) for this key."""
		self.check_permission("write")
		self.item = item or self.item
		if not self.item:
			frappe.throw(_("Choose the item first"))
		self.status = "Confirmed"
		self.save()
		return self.status


def on_doctype_update():
	frappe.db.add_unique("Distributor Item Mapping", ["distributor", "external_key"])
