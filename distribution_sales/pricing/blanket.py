"""DOC-8: a selling Blanket Order's rows priced by the same pipeline as a document (price lookup, then
the schemes), measured on the agreed quantity in stock units at the start of the agreement."""

import frappe
from frappe.utils import flt, getdate

from distribution_sales.pricing.common import row_key
from distribution_sales.pricing.lookup import (
	customer_groups_of,
	item_facts,
	price_query,
	price_records,
	price_source,
	prize_rates,
)
from distribution_sales.pricing.schemes import line_of, run_schemes
from distribution_sales.pricing.write_back import write_explanations
from distribution_sales.rules.pricing import PriceBook


def price_blanket_order(doc, method=None):
	"""Rows without a rate get one from the price list, distribution prices and trade schemes. A typed
	rate stays."""
	if doc.blanket_order_type != "Selling" or doc.docstatus != 0 or not doc.customer:
		return
	rows = [
		row
		for row in doc.items
		if row.item_code and flt(row.qty) > 0 and (not flt(row.rate) or row.ds_price_source)
	]
	if not rows:
		return
	price_list = frappe.db.get_value(
		"Customer", doc.customer, "default_price_list"
	) or frappe.db.get_single_value("Selling Settings", "selling_price_list")
	on = getdate(doc.from_date)
	items = item_facts({row.item_code for row in rows})
	book = PriceBook(price_records(price_list, items)) if price_list else PriceBook([])
	customer_groups = customer_groups_of(doc.customer)
	lines, sources = [], {}
	for row in rows:
		facts = items[row.item_code]
		price = book.resolve(price_query(row.item_code, facts, price_list, on, doc.customer, customer_groups))
		if price is None:
			continue
		key = row_key(row)
		sources[key] = price_source(price)
		lines.append(line_of(key, row.item_code, flt(row.qty), price.rate, facts.stock_uom, 1.0, facts))
	result = run_schemes(doc.company, on, doc.customer, lines, items)
	for row in rows:
		line = result.lines.get(row_key(row))
		if line is None:
			continue
		row.rate = line.net_rate
		row.ds_price_source = sources[row_key(row)]
		row.ds_scheme_discount = line.discount_amount
	write_explanations(doc, result, prize_rates(result, price_list, on, doc.customer), rows)
