"""Factories for integration tests (like ERPNext's make_sales_order(**args))."""

import frappe
from frappe.utils import today
from frappe.utils.nestedset import get_root_of
from frappe.utils.password import update_password

from distribution_sales.demo import ABBR, COMPANY

PASSWORD = "Ds-test-Pass-2026!"


def make_user(email: str, roles: list[str], password: str = PASSWORD) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	missing = [r for r in roles if r not in {d.role for d in user.roles}]
	if missing:
		user.add_roles(*missing)
	update_password(email, password)
	return email


def make_sales_person(
	name: str,
	parent: str | None = None,
	is_group: int = 0,
	user: str | None = None,
	role: str | None = None,
	code: str | None = None,
) -> str:
	if frappe.db.exists("Sales Person", name):
		return name
	parent = parent or get_root_of("Sales Person")
	return (
		frappe.get_doc(
			{
				"doctype": "Sales Person",
				"sales_person_name": name,
				"parent_sales_person": parent,
				"is_group": is_group,
				"ds_user": user,
				"ds_sales_role": role,
				"ds_personnel_code": code,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_customer(name: str, sales_person: str | None = None, **kwargs) -> str:
	existing = frappe.db.get_value("Customer", {"customer_name": name})
	if existing:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": kwargs.pop("customer_group", "Supermarket"),
				"territory": kwargs.pop("territory", "Tehranpars"),
				"ds_company": COMPANY,
				"ds_sales_person": sales_person,
				**kwargs,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def demo_item() -> str:
	return "DAI-001"


def make_sales_document(
	doctype: str, customer: str, qty: float = 1, submit: bool = False, as_user: bool = False, **kwargs
):
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			"company": COMPANY,
			"customer" if doctype != "Quotation" else "party_name": customer,
			"quotation_to": "Customer" if doctype == "Quotation" else None,
			"transaction_date": today(),
			"posting_date": today(),
			"delivery_date": today(),
			"set_warehouse": f"Central Warehouse - {ABBR}",
			"currency": "IRR",
			"selling_price_list": frappe.db.get_value("Price List", {"selling": 1, "enabled": 1}),
			"items": [
				{
					"item_code": kwargs.pop("item_code", demo_item()),
					"qty": qty,
					"uom": "Unit",
					"conversion_factor": 1,
					"warehouse": f"Central Warehouse - {ABBR}",
					"delivery_date": today(),
				}
			],
			**kwargs,
		}
	)
	doc.insert(ignore_permissions=not as_user)
	if submit:
		doc.submit()
	return doc


def flow_defaults() -> dict:
	"""The document-flow fields of Distribution Settings at their DocType defaults."""
	from distribution_sales.order_management.flow import FLOW_FIELDS

	fresh = frappe.new_doc("Distribution Settings")
	return {field: fresh.get(field) for field in FLOW_FIELDS}
