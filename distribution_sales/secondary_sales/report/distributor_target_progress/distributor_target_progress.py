"""Distributor Target Progress (SEC-7): each target against the sell-out so far, with the expected share
for the days elapsed and the projection to the end of the period (rules.sellout_analysis)."""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import date_diff, flt, getdate, today

from distribution_sales.rules.sellout_analysis import target_progress


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	as_of = getdate(filters.get("as_of") or today())
	conditions = {"from_date": ("<=", as_of), "to_date": (">=", filters.get("period_start") or "1900-01-01")}
	for field in ("company", "distributor"):
		if filters.get(field):
			conditions[field] = filters[field]
	targets = frappe.get_all(
		"Distributor Target",
		conditions,
		["name", "distributor", "from_date", "to_date", "item", "item_group", "target_qty", "target_amount"],
		order_by="distributor asc, from_date asc",
	)
	rows = []
	for t in targets:
		end = min(as_of, getdate(t.to_date))
		qty, amount = actual(t, end)
		days_total = date_diff(t.to_date, t.from_date) + 1
		days_elapsed = max(0, min(days_total, date_diff(end, t.from_date) + 1))
		measure, target, done = (
			("qty", t.target_qty, qty) if t.target_qty else ("amount", t.target_amount, amount)
		)
		progress = target_progress(flt(target), flt(done), days_elapsed, days_total)
		rows.append(
			{
				"target": t.name,
				"distributor": t.distributor,
				"from_date": t.from_date,
				"to_date": t.to_date,
				"scope": t.item or t.item_group or _("All Items"),
				"measure": _("Qty") if measure == "qty" else _("Amount"),
				"target_value": flt(target),
				"actual": flt(done),
				**{k: progress[k] for k in ("percent", "expected", "projected", "status") if k in progress},
			}
		)
	return columns(), rows, None, chart(rows)


def actual(t, end) -> tuple[float, float]:
	entry, item = frappe.qb.DocType("Sell Out Entry"), frappe.qb.DocType("Item")
	query = (
		frappe.qb.from_(entry)
		.select(Coalesce(Sum(entry.stock_qty), 0), Coalesce(Sum(entry.amount), 0))
		.where(
			(entry.distributor == t.distributor)
			& (entry.posting_date >= t.from_date)
			& (entry.posting_date <= end)
		)
	)
	if t.item:
		query = query.where(entry.item == t.item)
	if t.item_group:
		from frappe.utils.nestedset import get_descendants_of

		groups = [t.item_group, *get_descendants_of("Item Group", t.item_group)]
		query = query.left_join(item).on(item.name == entry.item).where(item.item_group.isin(groups))
	qty, amount = query.run()[0]
	return flt(qty), flt(amount)


def columns() -> list[dict]:
	return [
		{"label": _("Target"), "fieldname": "target", "fieldtype": "Link", "options": "Distributor Target",
			"width": 100},
		{"label": _("Distributor"), "fieldname": "distributor", "fieldtype": "Link", "options": "Customer",
			"width": 160},
		{"label": _("From Date"), "fieldname": "from_date", "fieldtype": "Date", "width": 100},
		{"label": _("To Date"), "fieldname": "to_date", "fieldtype": "Date", "width": 100},
		{"label": _("Items"), "fieldname": "scope", "fieldtype": "Data", "width": 120},
		{"label": _("Measure"), "fieldname": "measure", "fieldtype": "Data", "width": 80},
		{"label": _("Target"), "fieldname": "target_value", "fieldtype": "Float", "width": 100},
		{"label": _("Actual"), "fieldname": "actual", "fieldtype": "Float", "width": 100},
		{"label": _("Achieved %"), "fieldname": "percent", "fieldtype": "Percent", "width": 100},
		{"label": _("Expected by Now"), "fieldname": "expected", "fieldtype": "Float", "width": 120},
		{"label": _("Projected"), "fieldname": "projected", "fieldtype": "Float", "width": 100},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
	]  # fmt: skip


def chart(rows) -> dict | None:
	if not rows:
		return None
	labels = [f"{r['distributor']} {r['scope']}" for r in rows]
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _("Achieved %"), "values": [r.get("percent") or 0 for r in rows]},
			],
		},
		"type": "bar",
		"title": _("Distributor Target Progress"),
	}
