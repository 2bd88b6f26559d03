"""Data for the secondary-sales reports: sell-in from our invoices, sell-out from the ledger.

The arithmetic (reconciliation, forecasts, pivots, growth points, target progress) lives in
rules.sellout_analysis; this module only reads the database.
"""

import frappe
from frappe.utils import flt, getdate


def sell_in(company: str | None, distributor: str, from_date=None, to_date=None, item=None):
	"""Our submitted Sales Invoices to the distributor, in stock UOM, per (item, "YYYY-MM"); returns net of
	credit notes."""
	conditions, values = ["si.docstatus = 1", "si.customer = %(distributor)s"], {"distributor": distributor}
	if company:
		conditions.append("si.company = %(company)s")
		values["company"] = company
	if from_date:
		conditions.append("si.posting_date >= %(from_date)s")
		values["from_date"] = getdate(from_date)
	if to_date:
		conditions.append("si.posting_date <= %(to_date)s")
		values["to_date"] = getdate(to_date)
	if item:
		conditions.append("sii.item_code = %(item)s")
		values["item"] = item
	rows = frappe.db.sql(
		f"""select sii.item_code, date_format(si.posting_date, '%%Y-%%m'), sum(sii.stock_qty)
		from `tabSales Invoice Item` sii join `tabSales Invoice` si on si.name = sii.parent
		where {" and ".join(conditions)}
		group by sii.item_code, date_format(si.posting_date, '%%Y-%%m')""",
		values,
	)
	return [(item_code, month, flt(qty)) for item_code, month, qty in rows]


def sell_out(company: str | None, distributor: str | None, from_date=None, to_date=None, item=None):
	"""Ledger rows with a mapped item, in stock UOM, per (item, "YYYY-MM")."""
	entry = frappe.qb.DocType("Sell Out Entry")
	query = (
		frappe.qb.from_(entry)
		.select(entry.item, entry.month, frappe.query_builder.functions.Sum(entry.stock_qty))
		.where(entry.item.isnotnull())
		.groupby(entry.item, entry.month)
	)
	if distributor:
		query = query.where(entry.distributor == distributor)
	if company:
		query = query.where(entry.company == company)
	if from_date:
		query = query.where(entry.posting_date >= getdate(from_date))
	if to_date:
		query = query.where(entry.posting_date <= getdate(to_date))
	if item:
		query = query.where(entry.item == item)
	return [(item_code, month, flt(qty)) for item_code, month, qty in query.run()]


def opening_stock(company, distributor, before, item=None) -> dict[str, float]:
	"""Estimated distributor stock on the day ``before``: all sell-in minus all sell-out until then."""
	day = frappe.utils.add_days(getdate(before), -1)
	stock: dict[str, float] = {}
	for item_code, _m, qty in sell_in(company, distributor, None, day, item):
		stock[item_code] = stock.get(item_code, 0.0) + qty
	for item_code, _m, qty in sell_out(company, distributor, None, day, item):
		stock[item_code] = stock.get(item_code, 0.0) - qty
	return stock


def item_names(items) -> dict[str, str]:
	items = list(set(items))
	if not items:
		return {}
	return dict(frappe.get_all("Item", {"name": ("in", items)}, ["name", "item_name"], as_list=True))
