"""Writing the pricing result back onto the document: free-goods rows, rates and discounts, and one
explanation row per scheme and line (with the discount amount and the prize value, PRC-3)."""

import frappe
from frappe import _
from frappe.utils import flt

from distribution_sales.pricing.agreed import agreed_source, carried_applications
from distribution_sales.pricing.common import paid_rows, row_key


def sync_free_rows(doc, result, rates: dict):
	"""Free-goods rows: kept when still earned (quantity updated), added when new, removed when not."""
	wanted = {(f.scheme, f.item_code): f for f in result.free_lines}
	for row in [r for r in doc.items if r.get("ds_is_scheme_free") and not agreed_source(r)]:
		free = wanted.pop((row.ds_scheme, row.item_code), None)
		if free is None:
			doc.remove(row)
		else:
			set_free_row(row, free, rates)
	sources = {row_key(row): row for row in paid_rows(doc)}
	for free in wanted.values():
		source = sources.get(free.source_line)
		row = doc.append("items", {"item_code": free.item_code})
		for field in ("warehouse", "delivery_date", "cost_center", "income_account", "expense_account"):
			if source is not None and source.get(field) and row.meta.get_field(field):
				row.set(field, source.get(field))
		set_free_row(row, free, rates)
	for i, row in enumerate(doc.items, start=1):
		row.idx = i


def set_free_row(row, free, rates: dict):
	stock_uom, item_name = frappe.db.get_value("Item", free.item_code, ["stock_uom", "item_name"])
	uom = free.uom or stock_uom
	factor = (
		1.0
		if uom == stock_uom
		else flt(
			frappe.db.get_value(
				"UOM Conversion Detail", {"parent": free.item_code, "uom": uom}, "conversion_factor"
			)
		)
		or 1.0
	)
	row.update(
		{
			"item_name": item_name,
			"uom": uom,
			"stock_uom": stock_uom,
			"conversion_factor": factor,
			"qty": free.qty,
			"stock_qty": free.qty * factor,
			"price_list_rate": 0,
			"rate": 0,
			"discount_percentage": 100,
			"is_free_item": 1,
			"ds_is_scheme_free": 1,
			"ds_scheme": free.scheme,
			"ds_price_source": "",
			"ds_prize_value": flt(free.qty) * flt(rates.get((free.item_code, free.uom))),
		}
	)


def write_rates(doc, result):
	for row in paid_rows(doc):
		line = result.lines.get(row_key(row))
		if line is None:
			row.ds_scheme_discount = 0
			continue
		row.ds_scheme_discount = line.discount_amount
		if not line.discount_amount:
			continue
		row.discount_percentage = 100 if line.net_rate <= 0 else 0
		row.rate = max(line.net_rate, 0)
		row.discount_amount = flt(row.price_list_rate) - row.rate
	for row in doc.items:
		if row.get("ds_is_scheme_free"):
			row.update({"price_list_rate": 0, "rate": 0, "discount_percentage": 100})


def write_explanations(doc, result, rates: dict, rows=None):
	keys = {row_key(row): row for row in (rows if rows is not None else paid_rows(doc))}
	doc.set("ds_scheme_applications", carried_applications(doc) if rows is None else [])
	for applied in result.applied:
		row = keys.get(applied.line)
		doc.append(
			"ds_scheme_applications",
			{
				"item_row": row.name if row else None,
				"idx_of_item": row.idx if row else None,
				"item_code": row.item_code if row else None,
				"scheme": applied.scheme,
				"tier": applied.tier + 1,
				"measured": applied.measured,
				"discount_percent": applied.discount_percent,
				"discount_amount": applied.discount_amount,
				"free_item": applied.free_item,
				"free_qty": applied.free_qty,
				"prize_value": flt(applied.free_qty) * flt(rates.get((applied.free_item, applied.free_uom))),
				"note": _(applied.note) if applied.note else "",
				"currency": doc.get("currency"),
			},
		)
