"""Rates agreed elsewhere, which pricing keeps instead of recomputing: a Blanket Order's rate (DOC-8)
and the rate of the proforma, order or remittance a line was made from (DOC-2)."""

import frappe
from frappe import _
from frappe.utils import flt

AGREED_SOURCES = (
	("so_detail", "Sales Order Item"),
	("dn_detail", "Delivery Note Item"),
	("quotation_item", "Quotation Item"),
)
AGREED_FIELDS = (
	"rate",
	"price_list_rate",
	"discount_percentage",
	"discount_amount",
	"conversion_factor",
	"is_free_item",
	"ds_price_source",
	"ds_scheme_discount",
	"ds_is_scheme_free",
	"ds_scheme",
	"ds_prize_value",
)
PER_UNIT_FIELDS = ("rate", "price_list_rate", "discount_amount")


def agreed_source(row) -> tuple[str, str] | None:
	"""(doctype, name) of the proforma, order or remittance row this line was made from."""
	for field, doctype in AGREED_SOURCES:
		if row.get(field):
			return doctype, row.get(field)
	return None


def keep_agreed_rates(doc):
	"""A line made from a proforma, an order or a remittance is sold at the price agreed there, even if
	prices or schemes changed since (DOC-2): an invoice bills the delivered quantity at the order's rate.
	Free goods of that agreement stay free. A changed UOM converts the rate per stock unit."""
	wanted: dict[str, dict] = {}
	for row in doc.items:
		source = agreed_source(row)
		if source:
			wanted.setdefault(source[0], {})[row.name or id(row)] = (row, source[1])
	for doctype, rows in wanted.items():
		meta = frappe.get_meta(doctype)
		fields = [f for f in AGREED_FIELDS if meta.has_field(f)]
		table = frappe.qb.DocType(doctype)
		sources = {
			r.name: r
			for r in frappe.qb.from_(table)
			.select(table.name, *(table[f] for f in fields))
			.where(table.name.isin(sorted({name for _row, name in rows.values()})))
			.run(as_dict=True)
		}
		for row, name in rows.values():
			source = sources.get(name)
			if source is None:
				continue
			ratio = 1.0
			if flt(row.conversion_factor) and flt(source.conversion_factor):
				ratio = flt(row.conversion_factor) / flt(source.conversion_factor)
			for field in fields:
				if field == "conversion_factor":
					continue
				value = source.get(field)
				row.set(field, flt(value) * ratio if field in PER_UNIT_FIELDS else value)


def keep_blanket_rates(doc):
	"""Rows ordered against a Blanket Order are sold at the agreed rate (per stock unit, converted)."""
	rows = [row for row in doc.items if row.get("blanket_order") and row.item_code]
	if not rows:
		return
	boi = frappe.qb.DocType("Blanket Order Item")
	agreed = {
		(r.parent, r.item_code): flt(r.rate)
		for r in frappe.qb.from_(boi)
		.select(boi.parent, boi.item_code, boi.rate)
		.where(boi.parent.isin(sorted({row.blanket_order for row in rows})))
		.run(as_dict=True)
	}
	for row in rows:
		rate = agreed.get((row.blanket_order, row.item_code))
		if rate is None:
			continue
		rate *= flt(row.conversion_factor) or 1.0
		row.update(
			{
				"blanket_order_rate": rate,
				"price_list_rate": rate,
				"rate": rate,
				"discount_percentage": 0,
				"discount_amount": 0,
				"ds_price_source": f"{row.blanket_order} ({_('blanket order')})",
			}
		)


def carried_applications(doc) -> list[dict]:
	"""The scheme explanations of the proforma lines an order keeps (they count against the schemes'
	budgets once the order is submitted, as if the order had been priced itself)."""
	rows = {row.quotation_item: row for row in doc.items if row.get("quotation_item")}
	if not rows:
		return []
	fields = [df.fieldname for df in frappe.get_meta("Scheme Application").fields]
	out = []
	for a in frappe.get_all(
		"Scheme Application",
		filters={"parenttype": "Quotation", "item_row": ("in", list(rows))},
		fields=fields,
		order_by="idx",
	):
		row = rows[a.item_row]
		carried = dict(a)
		carried.update({"item_row": row.name, "idx_of_item": row.idx, "currency": doc.get("currency")})
		out.append(carried)
	return out
