"""Transfer of a client base (outlets) from one distributor to another from a date (SEC-8).

On submit each moved outlet mapping of the old distributor is closed (status Transferred, served until
the day before) and the new distributor gets a mapping of the same outlet (same key, customer, route and
territory) served from the transfer date, so its files map those outlets at once. History is kept: the
ledger rows already imported stay with the distributor that reported them. Cancelling restores the old
mappings and removes the new ones that no ledger row uses yet.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate

from distribution_sales.utils import DistributionValidationError


class ClientBaseTransferError(DistributionValidationError):
	pass


class ClientBaseTransfer(Document):
	def validate(self):
		if self.from_distributor == self.to_distributor:
			frappe.throw(_("Choose two different distributors"), ClientBaseTransferError)
		for field in ("from_distributor", "to_distributor"):
			if not frappe.db.get_value("Customer", self.get(field), "ds_is_distributor"):
				frappe.throw(
					_("Customer {0} is not marked as a distributor").format(self.get(field)),
					ClientBaseTransferError,
				)
		if self.all_outlets:
			self.set("outlets", [])
			for name in frappe.get_all(
				"Distributor Outlet Mapping",
				{"distributor": self.from_distributor, "status": ("in", ("Auto", "Confirmed"))},
				pluck="name",
				order_by="outlet_name asc",
			):
				self.append("outlets", {"outlet_mapping": name})
		if not self.outlets:
			frappe.throw(_("There are no outlets to transfer"), ClientBaseTransferError)
		for row in self.outlets:
			m = frappe.db.get_value(
				"Distributor Outlet Mapping",
				row.outlet_mapping,
				["distributor", "status", "customer", "outlet_name"],
				as_dict=True,
			)
			if m.distributor != self.from_distributor:
				frappe.throw(
					_("Row {0}: outlet {1} is not an outlet of {2}").format(
						row.idx, m.outlet_name, self.from_distributor
					),
					ClientBaseTransferError,
				)
			if m.status not in ("Auto", "Confirmed"):
				frappe.throw(
					_("Row {0}: outlet {1} is {2}; only mapped outlets can be transferred").format(
						row.idx, m.outlet_name, _(m.status)
					),
					ClientBaseTransferError,
				)
			row.customer, row.outlet_name = m.customer, m.outlet_name

	def on_submit(self):
		until = add_days(getdate(self.transfer_date), -1)
		for row in self.outlets:
			old = frappe.get_doc("Distributor Outlet Mapping", row.outlet_mapping, for_update=True)
			existing = frappe.db.get_value(
				"Distributor Outlet Mapping",
				{"distributor": self.to_distributor, "external_key": old.external_key},
				"name",
			)
			values = {
				"customer": old.customer,
				"territory": old.territory,
				"sales_route": old.sales_route,
				"status": "Confirmed",
				"active_from": self.transfer_date,
				"client_base_transfer": self.name,
			}
			if existing:
				new = frappe.get_doc("Distributor Outlet Mapping", existing)
				new.update(values)
				new.save(ignore_permissions=True)
			else:
				new = frappe.get_doc(
					{
						"doctype": "Distributor Outlet Mapping",
						"distributor": self.to_distributor,
						"external_key": old.external_key,
						"outlet_code": old.outlet_code,
						"outlet_name": old.outlet_name,
						"outlet_city": old.outlet_city,
						"outlet_address": old.outlet_address,
						**values,
					}
				).insert(ignore_permissions=True)
			row.db_set("new_mapping", new.name)
			old.db_set(
				{
					"status": "Transferred",
					"active_until": until,
					"transferred_to": self.to_distributor,
					"client_base_transfer": self.name,
				}
			)

	def on_cancel(self):
		for row in self.outlets:
			frappe.db.set_value(
				"Distributor Outlet Mapping",
				row.outlet_mapping,
				{
					"status": "Confirmed",
					"active_until": None,
					"transferred_to": None,
					"client_base_transfer": None,
				},
			)
			if (
				row.new_mapping
				and frappe.db.get_value("Distributor Outlet Mapping", row.new_mapping, "client_base_transfer")
				== self.name
			):
				key = frappe.db.get_value("Distributor Outlet Mapping", row.new_mapping, "external_key")
				used = frappe.db.exists(
					"Sell Out Entry", {"distributor": self.to_distributor, "outlet_key": key}
				)
				if used:
					frappe.db.set_value(
						"Distributor Outlet Mapping", row.new_mapping, {"client_base_transfer": None}
					)
				else:
					name = row.new_mapping
					row.db_set("new_mapping", None)
					frappe.delete_doc("Distributor Outlet Mapping", name, ignore_permissions=True, force=True)


def client_base(distributor: str, on_date=None) -> list[str]:
	"""Customers a distributor serves on a date (its outlet mappings in use then)."""
	m = frappe.qb.DocType("Distributor Outlet Mapping")
	query = (
		frappe.qb.from_(m)
		.select(m.customer)
		.distinct()
		.where((m.distributor == distributor) & m.customer.isnotnull())
	)
	if on_date:
		day = getdate(on_date)
		query = query.where(
			(m.active_from.isnull() | (m.active_from <= day))
			& (m.active_until.isnull() | (m.active_until >= day))
		)
	else:
		query = query.where(m.status != "Transferred")
	return sorted(query.run(pluck=True))
