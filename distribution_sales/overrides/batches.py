"""Delivery Note and stock-updating Sales Invoice: batches first-expired-first-out (CRD-6, DOC-1).

The stock check (``sales_control.stock``) accepts an order when the warehouse holds enough in all
its unexpired batches together. ERPNext v15 fills a line's single *Batch No* field (with *Use Serial /
Batch Fields* on) with one batch even when the line needs several, and the remittance then cannot be
submitted. Here, on submit, each batch line that no chosen batch covers is split across the unexpired
batches, earliest expiry first (``rules.stock.allocate_fefo``), into one Serial and Batch Bundle with
a row per batch, which ERPNext submits with the stock ledger entry.

Wired in hooks.py as ``before_submit``: after ERPNext's ``validate`` has filled the batch fields and
the app's stock check has run, and before ERPNext's ``on_submit`` builds bundles from the batch fields
(``StockController.make_bundle_using_old_serial_batch_fields``), which skips a line that already has
its bundle. Deciding at submit, like ERPNext, reads the stock that is there when the goods leave.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import flt, getdate

from distribution_sales.rules.stock import BatchAllocation, BatchStock, allocate_fefo, is_expired
from distribution_sales.sales_control.common import InsufficientStockError


def before_submit(doc, method=None):
	rows = batch_rows(doc)
	if not rows:
		return
	on = getdate(doc.posting_date)
	stock = {
		key: batch_stock(*key, posting_date=doc.posting_date, posting_time=doc.get("posting_time"))
		for key in sorted({(row.item_code, row.warehouse) for row in rows})
	}
	stock = take_bundled(doc, stock)
	unexpired = {
		key: sum(b.qty for b in batches if not is_expired(b.expiry, on)) for key, batches in stock.items()
	}
	wanted, short, plans = defaultdict(float), set(), []
	for row in rows:
		key, qty = (row.item_code, row.warehouse), stock_qty(row)
		wanted[key] += qty
		allocation = chosen_batch(row, stock[key], qty, on) or allocate_fefo(stock[key], qty, on)
		if allocation.shortfall:
			short.add(key)
		stock[key] = taken_out(stock[key], allocation)
		plans.append((row, allocation))
	if short:
		frappe.throw(
			"<br>".join(
				_("Insufficient saleable stock of {0} in {1}: {2} wanted, {3} saleable").format(
					frappe.bold(item),
					warehouse,
					flt(wanted[(item, warehouse)], 3),
					flt(unexpired[(item, warehouse)], 3),
				)
				for item, warehouse in sorted(short)
			),
			exc=InsufficientStockError,
			title=_("Insufficient Saleable Stock"),
		)
	for row, allocation in plans:
		apply(doc, row, allocation)


def takes_stock(doc) -> bool:
	if doc.get("is_return"):
		return False
	return doc.doctype == "Delivery Note" or bool(doc.doctype == "Sales Invoice" and doc.get("update_stock"))


def batch_rows(doc) -> list:
	"""Lines of batch items (without serial numbers) that leave a warehouse without a bundle yet."""
	if not takes_stock(doc):
		return []
	items = {
		r.name: r
		for r in frappe.get_all(
			"Item",
			filters={"name": ["in", list({row.item_code for row in doc.items if row.item_code})]},
			fields=["name", "is_stock_item", "has_batch_no", "has_serial_no"],
		)
	}
	out = []
	for row in doc.items:
		item = items.get(row.item_code)
		if not item or not (item.is_stock_item and item.has_batch_no) or item.has_serial_no:
			continue
		if row.get("serial_and_batch_bundle") or row.get("delivered_by_supplier") or not row.warehouse:
			continue  # a bundle already says which batches leave (see take_bundled)
		if stock_qty(row) <= 0:
			continue
		out.append(row)
	return out


def stock_qty(row) -> float:
	return flt(row.get("stock_qty")) or flt(row.qty) * flt(row.get("conversion_factor") or 1)


def batch_stock(item_code: str, warehouse: str, posting_date=None, posting_time=None) -> list[BatchStock]:
	"""Stock per batch of an item in a warehouse, expired batches included, read as the saleable stock
	check reads it (ERPNext's ``get_batch_qty`` for stock levels) at the posting date and time, in
	ERPNext's picking order; the expiry dates from the batches."""
	from erpnext.stock.doctype.batch.batch import get_batch_qty

	found = (
		get_batch_qty(
			item_code=item_code,
			warehouse=warehouse,
			posting_date=posting_date,
			posting_time=posting_time,
			for_stock_levels=True,
		)
		or []
	)
	expiry = dict(
		frappe.get_all(
			"Batch",
			filters={"name": ["in", [b.batch_no for b in found] or [""]]},
			fields=["name", "expiry_date"],
			as_list=True,
		)
	)
	qty = defaultdict(float)
	for b in found:
		qty[b.batch_no] += flt(b.qty)
	return [
		BatchStock(batch, available, getdate(expiry[batch]) if expiry.get(batch) else None)
		for batch, available in qty.items()
	]


def take_bundled(doc, stock: dict) -> dict:
	"""Lines that already have a bundle (chosen by the user, a pick list or a stock reservation) keep
	it; what it takes is not there for the other lines of this document."""
	bundles = {
		row.serial_and_batch_bundle: (row.item_code, row.warehouse)
		for row in doc.items
		if row.get("serial_and_batch_bundle") and (row.item_code, row.warehouse) in stock
	}
	if not bundles:
		return stock
	taken = defaultdict(float)
	for entry in frappe.get_all(
		"Serial and Batch Entry",
		filters={"parent": ["in", list(bundles)]},
		fields=["parent", "batch_no", "qty"],
	):
		taken[(bundles[entry.parent], entry.batch_no)] += abs(flt(entry.qty))
	return {
		key: [BatchStock(b.batch_no, b.qty - taken[(key, b.batch_no)], b.expiry) for b in batches]
		for key, batches in stock.items()
	}


def chosen_batch(row, batches: list[BatchStock], qty: float, on) -> BatchAllocation | None:
	"""The batch on the line, when it alone covers the line: the user's choice, or ERPNext's."""
	if not row.get("batch_no"):
		return None
	for batch in batches:
		if batch.batch_no == row.batch_no and not is_expired(batch.expiry, on) and batch.qty >= qty - 1e-9:
			return BatchAllocation(((row.batch_no, qty),))
	return None  # ERPNext names one batch for a line that needs several: allocate the whole line


def taken_out(batches: list[BatchStock], allocation: BatchAllocation) -> list[BatchStock]:
	taken = dict(allocation.taken)
	return [BatchStock(b.batch_no, b.qty - taken.get(b.batch_no, 0.0), b.expiry) for b in batches]


def apply(doc, row, allocation: BatchAllocation):
	"""One batch stays in the batch field (ERPNext makes its bundle on submit); several make a bundle."""
	if len(allocation.taken) == 1:
		row.batch_no = allocation.taken[0][0]
		row.use_serial_batch_fields = 1
		return
	from erpnext.stock.serial_batch_bundle import SerialBatchCreation

	bundle = SerialBatchCreation(
		{
			"item_code": row.item_code,
			"warehouse": row.warehouse,
			"posting_date": doc.posting_date,
			"posting_time": doc.posting_time,
			"voucher_type": doc.doctype,
			"voucher_no": doc.name,
			"voucher_detail_no": row.name,
			"company": doc.company,
			"type_of_transaction": "Outward",
			"qty": stock_qty(row),
			"batches": frappe._dict(bundle_quantities(allocation, stock_qty(row))),
			"do_not_submit": True,
		}
	).make_serial_and_batch_bundle()
	row.serial_and_batch_bundle = bundle.name
	row.batch_no = None
	row.use_serial_batch_fields = 0  # the form shows the bundle, not an empty batch field
	if flt(bundle.avg_rate):
		row.incoming_rate = flt(bundle.avg_rate)


def bundle_quantities(allocation: BatchAllocation, qty: float) -> dict:
	"""The batches' quantities at the bundle's precision, adding up to the line's stock quantity."""
	precision = frappe.get_precision("Serial and Batch Entry", "qty")
	out = {batch: flt(part, precision) for batch, part in allocation.taken[:-1]}
	out[allocation.taken[-1][0]] = flt(qty - sum(out.values()), precision)
	return out
