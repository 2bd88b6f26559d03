"""PRC-1 price lookup: item facts, the price records that can apply, and the price of each line.

Reads with a fixed number of indexed queries (never one per line per rule) and resolves with the pure
``rules.pricing.PriceBook``.
"""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.pricing.common import document_date, paid_rows, tree
from distribution_sales.rules.pricing import PriceBook, PriceQuery, PriceRecord


def item_facts(item_codes: set[str]) -> dict:
	"""Stock UOM, group ancestry, brand and pack size (the sales UOM's factor) of each item."""
	if not item_codes:
		return {}
	item = frappe.qb.DocType("Item")
	rows = (
		frappe.qb.from_(item)
		.select(item.name, item.stock_uom, item.item_group, item.brand, item.sales_uom)
		.where(item.name.isin(list(item_codes)))
		.run(as_dict=True)
	)
	conversion = frappe.qb.DocType("UOM Conversion Detail")
	factors = {
		(r.parent, r.uom): r.conversion_factor
		for r in frappe.qb.from_(conversion)
		.select(conversion.parent, conversion.uom, conversion.conversion_factor)
		.where(conversion.parent.isin(list(item_codes)))
		.run(as_dict=True)
	}
	groups_cache: dict[str, tuple] = {}
	out = {}
	for r in rows:
		if r.item_group not in groups_cache:
			groups_cache[r.item_group] = tree("Item Group", r.item_group)
		pack = factors.get((r.name, r.sales_uom)) if r.sales_uom and r.sales_uom != r.stock_uom else None
		out[r.name] = frappe._dict(
			stock_uom=r.stock_uom,
			groups=groups_cache[r.item_group],
			brand=r.brand,
			pack_factor=pack,
			factors=factors,
		)
	return out


def fill_units(doc, items: dict):
	"""UOM and conversion factor of new rows, which ERPNext fills only later in its validate: prices and
	pack-measured tiers need them now."""
	rows = [row for row in paid_rows(doc) if not row.get("uom") or not flt(row.get("conversion_factor"))]
	for row in rows:
		facts = items[row.item_code]
		row.uom = row.uom or facts.stock_uom
		if not flt(row.conversion_factor):
			row.conversion_factor = (
				1.0 if row.uom == facts.stock_uom else flt(facts.factors.get((row.item_code, row.uom)))
			)


def customer_groups_of(customer: str | None) -> tuple[str, ...]:
	return tree(
		"Customer Group", frappe.db.get_value("Customer", customer, "customer_group") if customer else None
	)


def price_query(item_code: str, facts, price_list: str, on, customer, customer_groups, **kw) -> PriceQuery:
	"""The question PriceBook answers for one item (in ``uom``, default the stock UOM)."""
	return PriceQuery(
		item_code=item_code,
		price_list=price_list,
		uom=kw.get("uom") or facts.stock_uom,
		on=on,
		item_groups=facts.groups,
		customer=customer,
		customer_groups=customer_groups,
		batch_no=kw.get("batch_no"),
		stock_uom=facts.stock_uom,
		conversion_factor=flt(kw.get("conversion_factor")) or 1.0,
	)


def price_source(price) -> str:
	return f"{price.record} ({', '.join(_(p) for p in price.basis.split(', '))})"


def set_prices(doc, items: dict):
	rows = paid_rows(doc)
	if not rows or not doc.get("selling_price_list"):
		return
	customer = customer_of(doc)
	customer_groups = customer_groups_of(customer)
	book = PriceBook(price_records(doc.selling_price_list, items))
	for row in rows:
		query = price_query(
			row.item_code,
			items[row.item_code],
			doc.selling_price_list,
			document_date(doc),
			customer,
			customer_groups,
			uom=row.uom,
			batch_no=row.get("batch_no"),
			conversion_factor=row.conversion_factor,
		)
		price = book.resolve(query)
		if price is None:
			continue
		if flt(row.price_list_rate) != flt(price.rate) and row.rate:
			row.rate = 0  # let the new price flow into the rate
		row.price_list_rate = price.rate
		row.ds_price_source = price_source(price)


def prize_rates(result, price_list: str | None, on, customer: str | None) -> dict[tuple[str, str], float]:
	"""What each prize (free goods) would have cost: the price of (item, UOM) for this customer on the
	date, by the same lookup as a paid line (PRC-3: prize value, beside the discount amount)."""
	wanted = {(f.item_code, f.uom) for f in result.free_lines} | {
		(a.free_item, a.free_uom) for a in result.applied if a.free_item and a.free_qty
	}
	if not wanted or not price_list:
		return {}
	items = item_facts({item for item, _uom in wanted})
	book = PriceBook(price_records(price_list, items))
	customer_groups = customer_groups_of(customer)
	out = {}
	for item, named_uom in wanted:
		facts = items.get(item)
		if facts is None:
			continue
		uom = named_uom or facts.stock_uom
		factor = 1.0 if uom == facts.stock_uom else flt(facts.factors.get((item, uom))) or 1.0
		price = book.resolve(
			price_query(
				item, facts, price_list, on, customer, customer_groups, uom=uom, conversion_factor=factor
			)
		)
		out[(item, named_uom)] = price.rate if price else 0.0
	return out


def price_records(price_list: str, items: dict) -> list[PriceRecord]:
	"""Our Distribution Prices and ERPNext's Item Prices that could price these items (two queries)."""
	item_codes = list(items)
	groups = sorted({g for facts in items.values() for g in facts.groups})
	dp = frappe.qb.DocType("Distribution Price")
	ours = (
		frappe.qb.from_(dp)
		.select("*")
		.where((dp.price_list == price_list) & (dp.disabled == 0))
		.where(dp.item_code.isin(item_codes) | dp.item_group.isin(groups or [""]))
		.run(as_dict=True)
	)
	ip = frappe.qb.DocType("Item Price")
	theirs = (
		frappe.qb.from_(ip)
		.select(
			ip.name,
			ip.item_code,
			ip.uom,
			ip.price_list_rate,
			ip.customer,
			ip.batch_no,
			ip.valid_from,
			ip.valid_upto,
		)
		.where((ip.price_list == price_list) & ip.item_code.isin(item_codes) & (ip.selling == 1))
		.run(as_dict=True)
	)
	records = [
		PriceRecord(
			name=r.name,
			rate=flt(r.rate),
			uom=r.uom,
			price_list=price_list,
			item_code=r.item_code if r.applies_to == "Item" else None,
			item_group=r.item_group if r.applies_to == "Item Group" else None,
			customer=r.customer if r.party_type == "Customer" else None,
			customer_group=r.customer_group if r.party_type == "Customer Group" else None,
			batch_no=r.batch_no if r.applies_to == "Item" else None,
			valid_from=getdate(r.valid_from) if r.valid_from else None,
			valid_upto=getdate(r.valid_upto) if r.valid_upto else None,
		)
		for r in ours
	]
	records += [
		PriceRecord(
			name=r.name,
			rate=flt(r.price_list_rate),
			uom=r.uom or items[r.item_code].stock_uom,
			price_list=price_list,
			item_code=r.item_code,
			customer=r.customer or None,
			batch_no=r.batch_no or None,
			valid_from=getdate(r.valid_from) if r.valid_from else None,
			valid_upto=getdate(r.valid_upto) if r.valid_upto else None,
		)
		for r in theirs
	]
	return records
