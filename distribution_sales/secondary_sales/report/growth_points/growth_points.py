"""Growth Points (SEC-7): outlets or items of a distributor whose sell-out fell (or stopped) against the
period of the same length just before."""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import add_days, date_diff, flt, getdate

from distribution_sales.rules.sellout_analysis import growth_points

DIMENSIONS = {"Outlet": "outlet", "Item": "item", "Territory": "territory", "Sales Route": "sales_route"}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if not (filters.get("from_date") and filters.get("to_date")):
		return columns(filters), [], _("Choose the period"), None
	field = DIMENSIONS.get(filters.get("dimension") or "Outlet", "outlet")
	start, end = getdate(filters.from_date), getdate(filters.to_date)
	length = date_diff(end, start) + 1
	prev_start, prev_end = add_days(start, -length), add_days(start, -1)
	current = totals(filters, field, start, end)
	previous = totals(filters, field, prev_start, prev_end)
	points = growth_points(current, previous, flt(filters.get("min_drop_pct") or 20))
	rows = [dict(p) if not isinstance(p, dict) else p for p in map(as_dict, points)]
	message = _("Compared with {0} to {1}").format(
		frappe.format(prev_start, "Date"), frappe.format(prev_end, "Date")
	)
	return columns(filters), rows, message


def as_dict(point) -> dict:
	if isinstance(point, dict):
		return point
	if hasattr(point, "_asdict"):
		return point._asdict()
	key, previous, current, change = point[:4]
	return {"key": key, "previous": previous, "current": current, "change_pct": change}


def totals(filters, field: str, start, end) -> dict[str, float]:
	entry = frappe.qb.DocType("Sell Out Entry")
	query = (
		frappe.qb.from_(entry)
		.select(entry[field], Sum(entry.stock_qty))
		.where((entry.posting_date >= start) & (entry.posting_date <= end) & entry[field].isnotnull())
		.groupby(entry[field])
	)
	for f in ("distributor", "company", "territory"):
		if filters.get(f):
			query = query.where(entry[f] == filters[f])
	return {key: flt(qty) for key, qty in query.run()}


def columns(filters) -> list[dict]:
	label = filters.get("dimension") or "Outlet"
	options = {"Outlet": "Customer", "Item": "Item", "Territory": "Territory", "Sales Route": "Sales Route"}
	return [
		{"label": _(label), "fieldname": "key", "fieldtype": "Link", "options": options.get(label, "Customer"),
			"width": 220},
		{"label": _("Previous Period"), "fieldname": "previous", "fieldtype": "Float", "width": 130},
		{"label": _("This Period"), "fieldname": "current", "fieldtype": "Float", "width": 130},
		{"label": _("Change %"), "fieldname": "change_pct", "fieldtype": "Percent", "width": 100},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
	]  # fmt: skip
