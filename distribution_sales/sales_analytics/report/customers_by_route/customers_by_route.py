"""Customers by Route (RPT-7): every customer with its region, area, route and salesperson.

Rows come through frappe.get_list, so a supervisor sees only their team's customers and a salesperson
only their own (ORG-4), exactly as in list views and the REST API.
"""

from collections import Counter

import frappe
from frappe import _


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	return columns(), (rows := data(filters)), None, chart(rows)


def columns() -> list[dict]:
	return [
		{
			"label": _("Region"),
			"fieldname": "sales_region",
			"fieldtype": "Link",
			"options": "Sales Region",
			"width": 110,
		},
		{
			"label": _("Area"),
			"fieldname": "sales_area",
			"fieldtype": "Link",
			"options": "Sales Area",
			"width": 120,
		},
		{
			"label": _("Route"),
			"fieldname": "ds_sales_route",
			"fieldtype": "Link",
			"options": "Sales Route",
			"width": 130,
		},
		{
			"label": _("Salesperson (Visitor)"),
			"fieldname": "ds_sales_person",
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 150,
		},
		{"label": _("Customer Code"), "fieldname": "ds_customer_code", "fieldtype": "Data", "width": 110},
		{
			"label": _("Customer"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 220,
		},
		{
			"label": _("Customer Group"),
			"fieldname": "customer_group",
			"fieldtype": "Link",
			"options": "Customer Group",
			"width": 120,
		},
		{
			"label": _("Main Customer Group"),
			"fieldname": "ds_main_customer_group",
			"fieldtype": "Link",
			"options": "Customer Group",
			"width": 120,
		},
		{"label": _("City"), "fieldname": "ds_city", "fieldtype": "Link", "options": "City", "width": 120},
		{"label": _("Blacklisted"), "fieldname": "ds_is_blacklisted", "fieldtype": "Check", "width": 90},
	]


def data(filters) -> list[dict]:
	conditions = {"disabled": 0}
	for field in ("ds_sales_route", "ds_sales_person", "customer_group"):
		if filters.get(field):
			conditions[field] = filters[field]
	if filters.get("sales_area"):
		conditions["ds_sales_route"] = (
			"in",
			frappe.get_all("Sales Route", {"sales_area": filters.sales_area}, pluck="name"),
		)
	customers = frappe.get_list(
		"Customer",
		filters=conditions,
		fields=[
			"name",
			"ds_customer_code",
			"ds_sales_route",
			"ds_sales_person",
			"customer_group",
			"ds_main_customer_group",
			"ds_city",
			"ds_is_blacklisted",
		],
		order_by="ds_sales_route asc, ds_customer_code asc",
		limit_page_length=0,
	)
	routes = {r.name: r for r in frappe.get_all("Sales Route", fields=["name", "sales_area", "sales_region"])}
	for row in customers:
		route = routes.get(row.ds_sales_route) or {}
		row.sales_area = route.get("sales_area")
		row.sales_region = route.get("sales_region")
	return customers


def chart(rows: list[dict]) -> dict | None:
	counts = Counter(row.ds_sales_person or _("Not assigned") for row in rows)
	if not counts:
		return None
	labels = sorted(counts)
	return {
		"data": {
			"labels": labels,
			"datasets": [{"name": _("Customers"), "values": [counts[l] for l in labels]}],
		},
		"type": "bar",
		"title": _("Customers per Salesperson"),
	}
