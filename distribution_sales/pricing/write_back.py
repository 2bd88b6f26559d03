"""Writing the pricing result back onto the document: free-goods rows, rates and discounts, and one
explanation row per scheme and line (with the discount amount and the prize value, PRC-3)."""

import frappe
from frappe import _
from frappe.model import no_value_fields
from frappe.utils import flt, now

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


# --- one INSERT for all explanation rows ------------------------------------------------------------
# A 50-line order under thousands of schemes gets hundreds of explanation rows, and Frappe writes child
# rows one INSERT at a time. The rows are made here from records read in this request, so they are set
# aside once the document's own checks are done (before_save, before_submit), Frappe's child-table
# write deletes the old ones, and on_update writes them all back in one multi-row INSERT and puts them
# back on the document.

EXPLANATIONS = "ds_scheme_applications"


def set_aside_explanations(doc) -> None:
	rows = doc.get(EXPLANATIONS) or []
	if not rows:
		return
	doc.flags.ds_explanations = list(rows)
	doc.set(EXPLANATIONS, [])


def write_set_aside_explanations(doc) -> None:
	rows = doc.flags.pop("ds_explanations", None)
	if not rows:
		return
	meta = frappe.get_meta("Scheme Application")
	fields = ["name", "owner", "creation", "modified", "modified_by", "parent", "parentfield", "parenttype", "idx", "docstatus"]  # fmt: skip
	fields += [df.fieldname for df in meta.fields if df.fieldtype not in no_value_fields]
	stamp = now()
	for idx, row in enumerate(rows, start=1):
		row.update(
			{
				"name": frappe.generate_hash(length=10),
				"owner": doc.owner,
				"creation": stamp,
				"modified": stamp,
				"modified_by": frappe.session.user,
				"parent": doc.name,
				"parentfield": EXPLANATIONS,
				"parenttype": doc.doctype,
				"idx": idx,
				"docstatus": doc.docstatus,
			}
		)
	# one parameterised multi-row INSERT (frappe.db.bulk_insert builds the same statement through pypika,
	# which costs more than the write itself for a few hundred rows)
	columns = ", ".join(f"`{f}`" for f in fields)
	one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
	for start in range(0, len(rows), 5000):
		chunk = rows[start : start + 5000]
		frappe.db.sql(
			f"insert into `tabScheme Application` ({columns}) values {', '.join([one_row] * len(chunk))}",
			[row.get(f) for row in chunk for f in fields],
		)
	doc.set(EXPLANATIONS, rows)
