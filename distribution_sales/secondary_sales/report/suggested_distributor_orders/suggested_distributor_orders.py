"""Suggested Distributor Orders (SEC-7): what a distributor should order from us so its stock covers the
target days of sell-out, from a forecast of its monthly sell-out.

Per item: the sell-out of the last N full months (zero for months without any) -> the chosen forecast
method gives next month's sell-out -> per day over 30 days; the distributor's estimated stock today is
everything we invoiced to it minus everything it reported selling; the suggestion is the quantity that
brings that stock to the target days of cover, rounded up to whole packs of the item's sales UOM
(rules.sellout_analysis.forecast and suggested_order). The report states the method used.
"""

import frappe
from frappe import _
from frappe.utils import add_months, flt, get_first_day, getdate, today

from distribution_sales.rules.sellout_analysis import (
	FORECAST_METHOD_HELP,
	FORECAST_METHODS,
	forecast_with_method,
	suggested_order,
)
from distribution_sales.secondary_sales import analysis

DAYS_PER_MONTH = 30


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if not filters.get("distributor"):
		return columns(), [], _("Choose a distributor"), None
	method = filters.get("method") or FORECAST_METHODS[0]
	if method not in FORECAST_METHODS:
		frappe.throw(_("Unknown forecast method {0}").format(method))
	rows = data(filters, method)
	message = _(
		"Forecast method: {0}, over the last {1} full months of sell-out; per day = monthly forecast / {2}; suggested = forecast per day x {3} days of cover - estimated stock, rounded up to whole packs"
	).format(_(method), months(filters), DAYS_PER_MONTH, target_days(filters))
	message += " (" + _(FORECAST_METHOD_HELP[method]) + ")"
	return columns(), rows, message


def months(filters) -> int:
	return max(1, int(filters.get("months") or 6))


def target_days(filters) -> float:
	return flt(filters.get("target_days") or 30)


def data(filters, method: str) -> list[dict]:
	as_of = getdate(filters.get("as_of") or today())
	first = get_first_day(add_months(as_of, -months(filters)))
	last = add_months(get_first_day(as_of), 0)
	labels = [add_months(first, i).strftime("%Y-%m") for i in range(months(filters))]
	history: dict[str, dict[str, float]] = {}
	for item, month, qty in analysis.sell_out(
		filters.get("company"),
		filters.distributor,
		first,
		frappe.utils.add_days(last, -1),
		filters.get("item"),
	):
		history.setdefault(item, {})[month] = history.get(item, {}).get(month, 0.0) + qty
	stock = analysis.opening_stock(
		filters.get("company"), filters.distributor, frappe.utils.add_days(as_of, 1), filters.get("item")
	)
	items = sorted(set(history) | {i for i, q in stock.items() if q})
	facts = item_facts(items)
	rows = []
	for item in items:
		monthly = [history.get(item, {}).get(m, 0.0) for m in labels]
		predicted, used = forecast_with_method(monthly, method)
		predicted = max(0.0, flt(predicted))
		daily = predicted / DAYS_PER_MONTH
		on_hand = stock.get(item, 0.0)
		name, pack_uom, pack = facts.get(item, (item, None, 1.0))
		order = suggested_order(daily, on_hand, target_days(filters), pack=pack or 1.0)
		rows.append(
			{
				"item": item,
				"item_name": name,
				"average": sum(monthly) / len(monthly),
				"forecast": predicted,
				"per_day": daily,
				"est_stock": on_hand,
				"days_of_cover": on_hand / daily if daily else None,
				"suggested_qty": order,
				"packs": order / pack if pack else None,
				"pack_uom": pack_uom,
				"method": _(used),
			}
		)
	return rows


def item_facts(items: list[str]) -> dict[str, tuple[str, str | None, float]]:
	"""Item name, sales UOM and how many stock units it holds (the pack orders are rounded to)."""
	out = {}
	if not items:
		return out
	for item in frappe.get_all(
		"Item", {"name": ("in", items)}, ["name", "item_name", "sales_uom", "stock_uom"]
	):
		pack = 1.0
		if item.sales_uom and item.sales_uom != item.stock_uom:
			pack = (
				flt(
					frappe.db.get_value(
						"UOM Conversion Detail",
						{"parent": item.name, "uom": item.sales_uom},
						"conversion_factor",
					)
				)
				or 1.0
			)
		out[item.name] = (item.item_name, item.sales_uom or item.stock_uom, pack)
	return out


def columns() -> list[dict]:
	return [
		{"label": _("Item"), "fieldname": "item", "fieldtype": "Link", "options": "Item", "width": 100},
		{"label": _("Item Name"), "fieldname": "item_name", "fieldtype": "Data", "width": 170},
		{"label": _("Average Month"), "fieldname": "average", "fieldtype": "Float", "width": 110},
		{"label": _("Forecast Month"), "fieldname": "forecast", "fieldtype": "Float", "width": 110},
		{"label": _("Per Day"), "fieldname": "per_day", "fieldtype": "Float", "width": 90},
		{"label": _("Estimated Stock"), "fieldname": "est_stock", "fieldtype": "Float", "width": 110},
		{"label": _("Days of Cover"), "fieldname": "days_of_cover", "fieldtype": "Float", "width": 100},
		{"label": _("Suggested Qty"), "fieldname": "suggested_qty", "fieldtype": "Float", "width": 110},
		{"label": _("Packs"), "fieldname": "packs", "fieldtype": "Float", "width": 80},
		{"label": _("Pack UOM"), "fieldname": "pack_uom", "fieldtype": "Link", "options": "UOM", "width": 80},
		{"label": _("Method"), "fieldname": "method", "fieldtype": "Data", "width": 150},
	]  # fmt: skip
