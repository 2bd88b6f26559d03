"""Factories for the credit, quota and stock tests (CRD-1..7): fresh items with known stock, fresh
customers, policies and quotas, so each test's figures are exactly what it set up."""

import frappe
from frappe.utils import add_days, today

from distribution_sales.demo import ABBR, COMPANY
from tests.integration.helpers import make_customer

WAREHOUSE = f"Central Warehouse - {ABBR}"
PRICE = 100_000.0


def unique(prefix: str) -> str:
	return f"{prefix}-{frappe.generate_hash(length=6).upper()}"


def make_item(
	code: str | None = None, stock: float = 0, price: float = PRICE, batch: bool = False, **kwargs
) -> str:
	code = code or unique("CTL")
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": code,
			"item_name": code,
			"item_group": kwargs.pop("item_group", "Products"),  # no demo scheme applies
			"stock_uom": "Unit",
			"is_stock_item": 1,
			"has_batch_no": 1 if batch else 0,
			"create_new_batch": 0,
			"item_defaults": [{"company": COMPANY, "default_warehouse": WAREHOUSE}],
			**kwargs,
		}
	).insert(ignore_permissions=True)
	price_list = frappe.db.get_value("Price List", {"selling": 1, "enabled": 1})
	frappe.get_doc(
		{
			"doctype": "Item Price",
			"item_code": code,
			"price_list": price_list,
			"price_list_rate": price,
			"valid_from": "2020-01-01",
		}
	).insert(ignore_permissions=True)
	if stock:
		receive(code, stock)
	return code


def receive(item: str, qty: float, batch: str | None = None, warehouse: str = WAREHOUSE):
	row = {
		"item_code": item,
		"t_warehouse": warehouse,
		"qty": qty,
		"uom": "Unit",
		"conversion_factor": 1,
		"basic_rate": 50_000,
	}
	if batch:
		row.update({"batch_no": batch, "use_serial_batch_fields": 1})
	entry = frappe.get_doc(
		{"doctype": "Stock Entry", "stock_entry_type": "Material Receipt", "company": COMPANY, "items": [row]}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
	return entry


def new_customer(**kwargs) -> str:
	return make_customer(unique("Credit Customer"), **kwargs)


def sales_doc(doctype: str, customer: str, lines, submit: bool = False, **kwargs):
	"""``lines``: [(item_code, qty)] in stock units."""
	date_field = {"Sales Invoice": "posting_date"}.get(doctype, "transaction_date")
	delivery = kwargs.pop("delivery_date", today())
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			"company": COMPANY,
			"customer" if doctype != "Quotation" else "party_name": customer,
			"quotation_to": "Customer" if doctype == "Quotation" else None,
			date_field: kwargs.pop(date_field, today()),
			"delivery_date": delivery,
			"valid_till": kwargs.pop("valid_till", add_days(today(), 10)) if doctype == "Quotation" else None,
			"currency": "IRR",
			"selling_price_list": frappe.db.get_value("Price List", {"selling": 1, "enabled": 1}),
			"items": [
				{
					"item_code": item,
					"qty": qty,
					"uom": "Unit",
					"conversion_factor": 1,
					"warehouse": WAREHOUSE,
					"delivery_date": delivery,
				}
				for item, qty in lines
			],
			**kwargs,
		}
	)
	doc.insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


def make_policy(applies_to: str, party: str, action: str = "Block", **limits) -> str:
	payment_types = limits.pop("payment_types", [])
	documents = limits.pop("documents", None)
	doc = frappe.get_doc(
		{
			"doctype": "Credit Policy",
			"policy_name": unique("Policy"),
			"company": COMPANY,
			"applies_to": applies_to,
			"party": party,
			"action": action,
			"payment_types": [{"payment_type": p} for p in payment_types],
			**limits,
		}
	)
	if documents is not None:
		for flag in ("check_sales_request", "check_quotation", "check_sales_order", "check_sales_invoice"):
			doc.set(flag, 1 if flag in documents else 0)
	return doc.insert(ignore_permissions=True).name


def make_quota(applies_to: str, party: str, target: str, max_qty: float, **kwargs) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Sales Quota",
				"quota_name": unique("Quota"),
				"company": COMPANY,
				"applies_to": applies_to,
				"party": party,
				"quota_on": kwargs.pop("quota_on", "Item"),
				"target": target,
				"max_qty": max_qty,
				"period": kwargs.pop("period", "Day"),
				"action": kwargs.pop("action", "Block"),
				**kwargs,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def saleable(item: str, warehouse: str = WAREHOUSE) -> float:
	from distribution_sales.sales_control.api import get_saleable_stock

	rows = get_saleable_stock([{"item_code": item, "warehouse": warehouse}], COMPANY)
	return rows[0]["saleable"]
