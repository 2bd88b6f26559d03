"""A distributor's outlet -> our Customer, route and territory (SEC-3), remembered per distributor.

An outlet that is one of our customers takes the customer's territory and route; one that is not can
still be placed on a route or territory by hand. Confirming fills in the ledger rows already imported.
"""

import frappe
from frappe import _
from frappe.model.document import Document

from distribution_sales.secondary_sales.mapping import backfill_outlets, outlet_key


class DistributorOutletMapping(Document):
	def validate(self):
		if not self.external_key:
			if not (self.outlet_code or self.outlet_name):
				frappe.throw(_("Give the distributor's outlet code or name"))
			self.external_key = outlet_key(self.outlet_code or "", self.outlet_name or "")[:140]
		if self.has_value_changed("customer") and self.customer:
			territory, route = frappe.db.get_value("Customer", self.customer, ["territory", "ds_sales_route"])
			self.territory, self.sales_route = territory, route or self.sales_route
		if self.sales_route and not self.territory:
			self.territory = frappe.db.get_value("Sales Route", self.sales_route, "territory")
		placed = self.customer or self.territory or self.sales_route
		if self.status == "Transferred":
			return
		if not self.is_new() and (
			self.has_value_changed("customer")
			or self.has_value_changed("territory")
			or self.has_value_changed("sales_route")
		):
			self.status = "Confirmed" if placed else "Review"
		elif self.is_new() and placed and self.status == "Review" and not self.flags.from_import:
			self.status = "Confirmed"
		if self.status in ("Auto", "Confirmed") and not placed:
			frappe.throw(
				_("Choose the customer, route or territory before setting the status to {0}").format(
					_(self.status)
				)
			)

	def on_update(self):
		if self.flags.in_insert or self.status == "Transferred":
			return
		if any(self.has_value_changed(f) for f in ("customer", "territory", "sales_route", "status")):
			usable = self.status != "Review"
			backfill_outlets(
				self.distributor,
				self.external_key,
				self.customer if usable else None,
				self.territory if usable else None,
				self.sales_route if usable else None,
				self.active_from,
			)


def on_doctype_update():
	frappe.db.add_unique("Distributor Outlet Mapping", ["distributor", "external_key"])
