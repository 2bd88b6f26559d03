"""Sell-In vs Sell-Out (SEC-4): our invoices to a distributor against what it sold on, per item and month,
with the distributor's estimated stock and days of cover.

Estimated stock = opening + sell-in - sell-out, month by month; the opening is everything invoiced to the
distributor before From Date minus everything it reported selling before then (or zero when "Count
history as opening stock" is off). Days of cover = estimated stock / the month's sell-out per day.
"""

import frappe
from frappe import _

from distribution_sales.rules.sellout_analysis import reconcile
from distribution_sales.secondary_sales import analysis


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if not filters.get("distributor"):
		return columns(), [], _("Choose a distributor"), None
	rows = data(filters)
	return columns(), rows, None, chart(rows)


def columns() -> list[dict]:
	return [
		{"label": _("Item"), "fieldname": "item", "fieldtype": "Link", "options": "Item", "width": 110},
		{"label": _("Item Name"), "fieldname": "item_name", "fieldtype": "Data", "width": 180},
		{"label": _("Month"), "fieldname": "month", "fieldtype": "Data", "width": 90},
		{"label": _("Sell-In"), "fieldname": "sell_in", "fieldtype": "Float", "width": 100},
		{"label": _("Sell-Out"), "fieldname": "sell_out", "fieldtype": "Float", "width": 100},
		{"label": _("Estimated Stock"), "fieldname": "est_stock", "fieldtype": "Float", "width": 120},
		{"label": _("Days of Cover"), "fieldname": "days_of_cover", "fieldtype": "Float", "width": 110},
	]


def data(filters) -> list[dict]:
	args = (filters.get("company"), filters.distributor)
	sold_in = analysis.sell_in(*args, filters.get("from_date"), filters.get("to_date"), filters.get("item"))
	sold_out = analysis.sell_out(*args, filters.get("from_date"), filters.get("to_date"), filters.get("item"))
	opening = None
	if filters.get("from_date") and filters.get("history_as_opening", 1):
		opening = analysis.opening_stock(*args, filters.from_date, filters.get("item"))
	result = reconcile(sold_in, sold_out, opening)
	names = analysis.item_names(r[0] for r in result)
	return [
		{
			"item": item,
			"item_name": names.get(item),
			"month": month,
			"sell_in": s_in,
			"sell_out": s_out,
			"est_stock": stock,
			"days_of_cover": cover,
		}
		for item, month, s_in, s_out, stock, cover in result
	]


def chart(rows: list[dict]) -> dict | None:
	"""Sell-in and sell-out per month, all items together (stock stays in the table: it can be negative
	when the distributor reports sales of goods invoiced before the data starts)."""
	months = sorted({r["month"] for r in rows})
	if not months:
		return None
	totals = {m: [0.0, 0.0] for m in months}
	for r in rows:
		totals[r["month"]][0] += r["sell_in"] or 0
		totals[r["month"]][1] += r["sell_out"] or 0
	return {
		"data": {
			"labels": months,
			"datasets": [
				{"name": _("Sell-In"), "values": [totals[m][0] for m in months]},
				{"name": _("Sell-Out"), "values": [totals[m][1] for m in months]},
			],
		},
		"type": "bar",
		"title": _("Sell-In vs Sell-Out"),
	}
