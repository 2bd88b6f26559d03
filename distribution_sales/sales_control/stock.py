"""Saleable stock and reservations (CRD-6, CRD-7): positions read under locks in one order (bins
sorted), proforma reservations and their expiry, the Bin's reserved quantity rewritten.

Which lines a document asks stock for (``stock_lines``) and how they are judged (``rules.stock``:
``shortages``, per line ``line_stock``) is the same for the submit that refuses (``enforce_stock``)
and for the form that shows it (``line_status``).

A Sales Invoice takes stock for its lines made without an order or a remittance, whether it updates
stock (the goods leave with it) or not (they leave later, on a remittance made from the invoice): the
lines of an order are held by the order, those of a remittance left with it, and are not counted
again. Until its remittance delivers them, an invoice that does not update stock holds its lines like
an open order does."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, now_datetime, nowdate

from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.rules import RuleError
from distribution_sales.rules.stock import (
	StockPosition,
	due_in_time,
	line_stock,
	requested,
	reservation_expiry,
	shortages,
)
from distribution_sales.sales_control.common import InsufficientStockError
from distribution_sales.sales_organisation.doctype.distribution_settings.distribution_settings import (
	get_distribution_settings,
)
from distribution_sales.setup.indexes import force_index
from distribution_sales.utils import rule_errors


def stock_lines(doc) -> list:
	"""(row, item_code, warehouse, stock_qty) of the lines whose stock this document takes or promises."""
	if doc.flags.ds_stock_lines is None:
		doc.flags.ds_stock_lines = _stock_lines(doc)
	return doc.flags.ds_stock_lines


def _stock_lines(doc) -> list:
	items = {
		r.name: r
		for r in frappe.get_all(
			"Item",
			filters={"name": ["in", list({row.item_code for row in doc.items})]},
			fields=["name", "is_stock_item"],
		)
	}
	out = []
	for row in doc.items:
		if not items.get(row.item_code, {}).get("is_stock_item") or row.get("delivered_by_supplier"):
			continue
		if doc.doctype == "Sales Invoice" and (row.get("so_detail") or row.get("dn_detail")):
			continue  # the order reserved it already, or the delivery took it
		warehouse = (
			row.get("warehouse") or doc.get("set_warehouse") or default_warehouse(row.item_code, doc.company)
		)
		qty = flt(row.get("stock_qty")) or flt(row.qty) * flt(row.get("conversion_factor") or 1)
		out.append((row, row.item_code, warehouse, qty))
	return out


def default_warehouse(item_code: str, company: str) -> str | None:
	return frappe.db.get_value(
		"Item Default", {"parent": item_code, "company": company}, "default_warehouse"
	) or frappe.db.get_single_value("Stock Settings", "default_warehouse")


def stock_keys(doc) -> list:
	return sorted({(item, warehouse) for _row, item, warehouse, _qty in stock_lines(doc) if warehouse})


def checks_stock(doc) -> bool:
	"""Whether submitting the document refuses what saleable stock cannot cover."""
	if doc.doctype == "Quotation":
		return reserves_on_proforma(doc.company)
	return doc.doctype in ("Sales Order", "Sales Invoice")  # a Sales Request promises nothing yet


def counts_production(doc) -> bool:
	"""CRD-7: production due by the delivery date is promised on orders (and a request that becomes
	one)."""
	return judged_as(doc) == "Sales Order"


def judged_as(doc) -> str:
	"""The kind of document whose rule judges ``doc``'s stock: a Sales Request is shown what the
	document it becomes (the company's next step) would be told."""
	if doc.doctype != "Sales Request":
		return doc.doctype
	from distribution_sales.order_management.flow import get_flow

	return get_flow(doc.company).next_step("Sales Request") or "Sales Order"


def stock_figures(doc, keys, locking: bool) -> tuple[dict, dict]:
	"""(positions, production due) for the document's (item, warehouse) ``keys``."""
	on = promise_date(doc)
	positions = lock_positions(keys, exclude_quotations=proforma_of(doc), on=on, locking=locking)
	incoming = incoming_production(keys, on) if counts_production(doc) else {}
	return positions, incoming


def enforce_stock(doc):
	doc.flags.ds_stock_lines = None  # read afresh on each submit (the rows may have changed since)
	if not checks_stock(doc):
		return
	lines = stock_lines(doc)
	if not lines:
		return
	with rule_errors(exc=InsufficientStockError):
		wanted = requested((item, warehouse, qty) for _row, item, warehouse, qty in lines)
	positions, incoming = stock_figures(doc, sorted(wanted), locking=True)
	short = shortages(wanted, positions, incoming)
	if short:
		frappe.throw(
			"<br>".join(
				_("Insufficient saleable stock of {0} in {1}: {2} wanted, {3} saleable").format(
					frappe.bold(s.item_code), s.warehouse, flt(s.wanted, 3), flt(s.saleable + s.incoming, 3)
				)
				for s in short
			),
			exc=InsufficientStockError,
			title=_("Insufficient Saleable Stock"),
		)
	if doc.doctype == "Sales Invoice":
		for row, _item, warehouse, _qty in lines:
			row.warehouse = row.warehouse or warehouse  # where it holds the goods until delivered


def line_status(doc) -> dict:
	"""What the form shows of a draft's stock: per line that takes stock, its saleable figure and
	whether the document is short of it, decided by the rule ``enforce_stock`` applies (read without
	locks). ``refused``: submitting refuses a short line (a Sales Request only informs)."""
	if doc.docstatus != 0 or doc.get("is_return"):
		return {"lines": [], "refused": False}
	lines = stock_lines(doc)
	positions, incoming = stock_figures(doc, stock_keys(doc), locking=False)
	judged = line_stock([(item, warehouse, qty) for _row, item, warehouse, qty in lines], positions, incoming)
	return {
		"refused": checks_stock(doc),
		"lines": [
			{
				"row": row.name,
				"idx": row.idx,
				"item_code": s.item_code,
				"warehouse": s.warehouse,
				"qty": s.qty,
				"wanted": s.wanted,
				"actual": s.position.actual,
				"reserved": s.position.reserved,
				"saleable": s.saleable,
				"incoming": s.incoming,
				"short": s.short,
				"shortage": s.shortage,
			}
			for (row, *_rest), s in zip(lines, judged, strict=True)
			if s is not None
		],
	}


def promise_date(doc):
	return getdate(doc.get("delivery_date") or doc.get("valid_till") or doc.get("posting_date") or nowdate())


def proforma_of(doc) -> tuple:
	if doc.doctype != "Sales Order":
		return ()
	return tuple(sorted({row.prevdoc_docname for row in doc.items if row.get("prevdoc_docname")}))


def lock_positions(keys, exclude_quotations=(), on=None, locking: bool = True) -> dict:
	"""StockPosition per (item, warehouse), the Bin rows locked first (in sorted order)."""
	if not keys:
		return {}
	today = nowdate()
	actual = bin_quantities(keys, locking)
	for key, expired in expired_batch_qty(keys, on or getdate(today)).items():
		actual[key] -= expired
	items = tuple({k[0] for k in keys})
	warehouses = tuple({k[1] for k in keys})
	orders = defaultdict(float)
	for item, warehouse, qty in open_order_qty(items, warehouses, locking):
		orders[(item, warehouse)] += flt(qty)
	proformas = defaultdict(float)
	for item, warehouse, qty in frappe.db.sql(
		"""select item_code, warehouse, sum(stock_qty) from `tabProforma Reservation` force index (item_code_warehouse_status_index)
		where status = 'Active' and expires_on >= %(today)s and item_code in %(items)s
		and warehouse in %(warehouses)s and quotation not in %(exclude)s group by item_code, warehouse"""
		+ (" lock in share mode" if locking else ""),
		{
			"today": today,
			"items": items,
			"warehouses": warehouses,
			"exclude": tuple(exclude_quotations) or ("",),
		},
	):
		proformas[(item, warehouse)] += flt(qty)
	invoices = defaultdict(float)
	for item, warehouse, qty in undelivered_invoice_qty(items, warehouses, locking):
		invoices[(item, warehouse)] += flt(qty)
	return {key: StockPosition(actual[key], orders[key], proformas[key], invoices[key]) for key in keys}


def bin_quantities(keys, locking: bool) -> dict:
	"""Stock on hand per (item, warehouse); with ``locking`` the Bin rows are created if missing and
	locked in one statement, in the unique index's (item, warehouse) order."""
	condition = " or ".join(["(item_code = %s and warehouse = %s)"] * len(keys))
	values = [v for key in keys for v in key]
	query = f"select item_code, warehouse, actual_qty from `tabBin` where {condition} order by item_code, warehouse"
	found = {(i, w): flt(q) for i, w, q in frappe.db.sql(query, values)}
	if locking:
		from erpnext.stock.utils import get_or_make_bin

		for item, warehouse in keys:
			if (item, warehouse) not in found:
				get_or_make_bin(item, warehouse)
		found = {(i, w): flt(q) for i, w, q in frappe.db.sql(query + " for update", values)}
	return {key: found.get(key, 0.0) for key in keys}


def open_order_qty(items: tuple, warehouses: tuple, locking: bool):
	"""Stock still owed on submitted, open sales orders: ERPNext's "Reserved Qty", read with locks."""
	return frappe.db.sql(
		f"""select i.item_code, i.warehouse, sum((i.qty - i.delivered_qty) * i.conversion_factor)
		from `tabSales Order Item` i {force_index("Sales Order Item", ("item_code", "warehouse", "docstatus"))}
		straight_join `tabSales Order` o on o.name = i.parent
		where i.docstatus = 1 and o.docstatus = 1 and o.status not in ('Closed', 'On Hold', 'Completed')
		and i.qty > i.delivered_qty and i.delivered_by_supplier = 0
		and i.item_code in %(items)s and i.warehouse in %(warehouses)s
		group by i.item_code, i.warehouse"""
		+ (" lock in share mode" if locking else ""),
		{"items": items, "warehouses": warehouses},
	)


# invoice lines that may hold stock: submitted, not yet delivered, made without an order or remittance
UNDELIVERED_LINES = """i.docstatus = 1 and i.qty > i.delivered_qty and coalesce(i.so_detail, '') = ''
	and coalesce(i.dn_detail, '') = '' and i.delivered_by_supplier = 0
	and i.item_code in %(items)s and i.warehouse in %(warehouses)s"""


def undelivered_invoice_qty(items: tuple, warehouses: tuple, locking: bool) -> list:
	"""(item, warehouse, stock qty) held by submitted invoices that did not update stock, for their
	lines made without an order or a remittance, until remittances made from the invoice deliver them
	(delivered_qty).

	Deciding (``locking``), the lines are read twice, because Sales Invoice Item has no index that
	reaches only submitted rows (as ds_item_code_warehouse_docstatus does for orders): a draft being
	submitted holds its own rows (Frappe loads it for update) while it waits for the bins this request
	holds, and a shared lock on them would deadlock. So the locking read skips rows locked by others;
	the only such rows while the bins are held are those drafts, which hold nothing, and submitted rows a
	remittance or a cancellation is changing right now, which count as this request's snapshot saw them
	(no less than they hold once it commits). Invoices submitted since the snapshot are read by the
	locking read, their update_stock and is_return (fixed once submitted) with a skipping lock too; one
	that is locked counts, as if it did not update stock."""
	values = {"items": items, "warehouses": warehouses}
	seen = {  # the snapshot (plain read): line -> (item, warehouse, qty, whether its invoice holds it)
		name: (item, warehouse, qty, bool(holds))
		for name, item, warehouse, qty, holds in frappe.db.sql(
			f"""select i.name, i.item_code, i.warehouse, (i.qty - i.delivered_qty) * i.conversion_factor,
			s.update_stock = 0 and s.is_return = 0 from `tabSales Invoice Item` i
			join `tabSales Invoice` s on s.name = i.parent where {UNDELIVERED_LINES}""",
			values,
		)
	}
	if not locking:
		return [line[:3] for line in seen.values() if line[3]]
	latest = frappe.db.sql(
		f"""select i.name, i.parent, i.item_code, i.warehouse,
		(i.qty - i.delivered_qty) * i.conversion_factor from `tabSales Invoice Item` i
		where {UNDELIVERED_LINES} lock in share mode skip locked""",
		values,
	)
	new_parents = {parent for name, parent, *_rest in latest if name not in seen}
	stocked = set()
	if new_parents:
		stocked = {
			name
			for name, not_holding in frappe.db.sql(
				"""select name, update_stock or is_return from `tabSales Invoice` where name in %(names)s
				lock in share mode skip locked""",
				{"names": tuple(new_parents)},
			)
			if not_holding
		}
	read = {row[0] for row in latest}
	out = [
		(item, warehouse, qty)
		for name, parent, item, warehouse, qty in latest
		if (seen[name][3] if name in seen else parent not in stocked)
	]
	out += [line[:3] for name, line in seen.items() if line[3] and name not in read and _locked(name)]
	return out


def _locked(name: str) -> bool:
	"""Whether another transaction holds the invoice line ``name`` (so the skipping read left it out),
	rather than it being delivered or cancelled since the snapshot."""
	return not frappe.db.sql(
		"select name from `tabSales Invoice Item` where name = %s lock in share mode skip locked", name
	)


def expired_batch_qty(keys, on) -> dict:
	"""Stock in batches that expire before ``on`` is not saleable (batches respected)."""
	batch_items = set(
		frappe.get_all(
			"Item", filters={"name": ["in", list({k[0] for k in keys})], "has_batch_no": 1}, pluck="name"
		)
	)
	if not batch_items:
		return {}
	from erpnext.stock.doctype.batch.batch import get_batch_qty

	out = {}
	for item, warehouse in keys:
		if item not in batch_items:
			continue
		batches = get_batch_qty(item_code=item, warehouse=warehouse, for_stock_levels=True) or []
		expiry = dict(
			frappe.get_all(
				"Batch",
				filters={"name": ["in", [b.batch_no for b in batches] or [""]]},
				fields=["name", "expiry_date"],
				as_list=True,
			)
		)
		out[(item, warehouse)] = sum(
			flt(b.qty)
			for b in batches
			if expiry.get(b.batch_no) and getdate(expiry[b.batch_no]) < on and flt(b.qty) > 0
		)
	return out


def incoming_production(keys, by) -> dict:
	"""CRD-7: for make-to-stock items (with a default BOM), open Work Orders and the not yet ordered
	part of Production Plans that finish by ``by`` count as promisable."""
	items = tuple({k[0] for k in keys})
	made = set(
		frappe.get_all("Item", filters={"name": ["in", items], "default_bom": ["is", "set"]}, pluck="name")
	)
	if not made:
		return {}
	supply = defaultdict(list)
	for item, warehouse, due, qty in frappe.db.sql(
		"""select production_item, fg_warehouse, coalesce(expected_delivery_date, date(planned_end_date),
		date(planned_start_date)), qty - produced_qty from `tabWork Order`
		where docstatus = 1 and status not in ('Completed', 'Stopped', 'Closed', 'Cancelled')
		and production_item in %(items)s""",
		{"items": tuple(made)},
	):
		supply[(item, warehouse)].append((getdate(due) if due else None, flt(qty)))
	for item, warehouse, due, qty in frappe.db.sql(
		"""select i.item_code, i.warehouse, i.planned_start_date, i.planned_qty - i.ordered_qty
		from `tabProduction Plan Item` i join `tabProduction Plan` p on p.name = i.parent
		where p.docstatus = 1 and p.status not in ('Completed', 'Closed', 'Cancelled')
		and i.item_code in %(items)s""",
		{"items": tuple(made)},
	):
		supply[(item, warehouse)].append((getdate(due) if due else None, flt(qty)))
	return {key: due_in_time(supply.get(key, []), getdate(by)) for key in keys if key[0] in made}


def reserves_on_proforma(company: str) -> bool:
	return bool(cint(get_distribution_settings(company).reserve_on_proforma))


def proforma_days(company: str) -> int:
	"""How long a proforma without a valid-till date holds its stock (the company's proforma validity)."""
	return cint(get_distribution_settings(company).proforma_valid_days)


def reserve_for_proforma(doc):
	if not reserves_on_proforma(doc.company):
		return
	try:
		expires = reservation_expiry(
			getdate(doc.valid_till) if doc.get("valid_till") else None,
			getdate(nowdate()),
			proforma_days(doc.company),
		)
	except RuleError as e:
		from distribution_sales.utils import throw_rule_error

		throw_rule_error(e)
	for row, item, warehouse, qty in stock_lines(doc):
		frappe.get_doc(
			{
				"doctype": "Proforma Reservation",
				"company": doc.company,
				"quotation": doc.name,
				"quotation_item": row.name,
				"customer": customer_of(doc),
				"item_code": item,
				"warehouse": warehouse,
				"stock_qty": qty,
				"expires_on": expires,
				"status": "Active",
			}
		).insert(ignore_permissions=True)


def convert_proforma_reservations(doc):
	"""The order takes over its proforma's reservation: moved, never counted twice."""
	moved = defaultdict(float)
	for row in doc.items:
		if row.get("prevdoc_docname") and row.get("quotation_item"):
			moved[row.quotation_item] += flt(row.stock_qty)
	if not moved:
		return
	for reservation in frappe.db.sql(
		"""select name, quotation_item, stock_qty from `tabProforma Reservation`
		where quotation_item in %(rows)s and status = 'Active' order by name for update""",
		{"rows": tuple(moved)},
		as_dict=True,
	):
		left = flt(reservation.stock_qty) - moved[reservation.quotation_item]
		if left > 1e-9:
			frappe.db.set_value("Proforma Reservation", reservation.name, "stock_qty", left)
		else:
			frappe.db.set_value(
				"Proforma Reservation", reservation.name, {"status": "Converted", "sales_order": doc.name}
			)


def release_proforma(quotation: str, status: str):
	frappe.db.sql(
		"""update `tabProforma Reservation` set status = %s, modified = %s
		where quotation = %s and status = 'Active'""",
		(status, now_datetime(), quotation),
	)


def expire_proforma_reservations():
	"""Scheduled daily: reservations past their date give the stock back (the checks already ignore them)."""
	frappe.db.sql(
		"""update `tabProforma Reservation` set status = 'Expired', modified = %s
		where status = 'Active' and expires_on < %s""",
		(now_datetime(), nowdate()),
	)


def refresh_bins(keys):
	"""Write ERPNext's Bin "Reserved Qty" from a locking read, after ERPNext computed it from a snapshot
	that can miss orders committed concurrently (it leaves 17 of 20 concurrent orders counted)."""
	if not keys:
		return
	items = tuple({k[0] for k in keys})
	warehouses = tuple({k[1] for k in keys})
	reserved = defaultdict(float)
	for item, warehouse, qty in open_order_qty(items, warehouses, locking=True):
		reserved[(item, warehouse)] = flt(qty)
	packed = frappe.db.sql(
		"select distinct item_code, warehouse from `tabPacked Item` where parenttype = 'Sales Order' "
		"and item_code in %(items)s and warehouse in %(warehouses)s",
		{"items": items, "warehouses": warehouses},
	)
	packed = {tuple(p) for p in packed}
	condition = " or ".join(["(item_code = %s and warehouse = %s)"] * len(keys))
	for name, item, warehouse, current in frappe.db.sql(
		f"select name, item_code, warehouse, reserved_qty from `tabBin` where {condition}",
		[v for key in keys for v in key],
	):
		key = (item, warehouse)
		if key in packed or abs(flt(current) - reserved[key]) <= 1e-9:
			continue  # bundle components: ERPNext's own figure stands
		bin_doc = frappe.get_doc("Bin", name)
		bin_doc.reserved_qty = reserved[key]
		bin_doc.set_projected_qty()
		bin_doc.db_set({"reserved_qty": bin_doc.reserved_qty, "projected_qty": bin_doc.projected_qty})
