"""Distribution prices and trade schemes on Quotation, Sales Order and Sales Invoice (PRC-1..5).

Gathers the document's data with a fixed number of indexed queries (never one per line per rule),
calls the pure rules (``rules.pricing.resolve_price``, ``rules.schemes.apply_schemes``) and writes the
result back: the price and where it came from on each line, the scheme discount, free-goods lines, and
one explanation row per scheme and line.

Two steps, because ERPNext's own validate fills and recomputes item rows in between:
  * ``before_validate``: prices, the ERPNext Pricing Rule policy, and free-goods rows (so ERPNext fills
    their warehouse, accounts and UOM details like any other row);
  * ``validate``: the final rates and discounts (ERPNext may have reset them), then the totals again.
"""

from pypika.terms import ExistsCriterion

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, getdate
from frappe.utils.nestedset import get_ancestors_of

from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.rules.pricing import PriceBook, PriceQuery, PriceRecord
from distribution_sales.rules.schemes import Context, Line, Scheme, Tier, apply_schemes

REPLACE = "Schemes Replace Pricing Rules"
TIER_TYPES = {"Slab": "slab", "Stepped": "stepped", "Recurring": "recurring"}
MEASURES = {"Stock Units": "stock", "Packs": "pack", "Amount": "amount"}
CONDITION_FIELDS = {
	"Item": "items",
	"Item Group": "item_groups",
	"Brand": "brands",
	"Customer": "customers",
	"Customer Group": "customer_groups",
	"Territory": "territories",
	"Province": "provinces",
}


def before_validate(doc, method=None):
	if doc.docstatus != 0 or doc.get("is_return") or not doc.get("company") or doc.flags.ds_skip_pricing:
		return
	policy = scheme_policy(doc.company)
	if policy == REPLACE:
		doc.ignore_pricing_rule = 1
	items = item_facts({row.item_code for row in paid_rows(doc)})  # one read for all three steps
	fill_units(doc, items)
	keep_blanket_rates(doc)
	keep_agreed_rates(doc)
	set_prices(doc, items)
	result = compute(doc, policy, items)
	sync_free_rows(doc, result)
	doc.flags.ds_pricing = result


def validate(doc, method=None):
	result = doc.flags.pop("ds_pricing", None)
	if result is None or doc.docstatus != 0:
		return
	policy = scheme_policy(doc.company)
	if policy != REPLACE:
		result = compute(doc, policy)  # ERPNext's rules have now set the rates the schemes stack on
	keep_blanket_rates(doc)
	keep_agreed_rates(doc)
	write_rates(doc, result)
	write_explanations(doc, result)
	doc.calculate_taxes_and_totals()


def scheme_policy(company: str) -> str:
	return frappe.db.get_value("Distribution Settings", company, "scheme_policy") or REPLACE


def paid_rows(doc) -> list:
	return [
		row
		for row in doc.items
		if row.item_code
		and not row.get("ds_is_scheme_free")
		and not row.get("is_free_item")
		and not row.get("blanket_order")  # the agreement already priced it (DOC-8)
		and not agreed_source(row)  # the proforma, order or remittance already priced it (DOC-2)
		and flt(row.qty) > 0
	]


def _tree(doctype: str, name: str | None) -> tuple[str, ...]:
	return (name, *get_ancestors_of(doctype, name)) if name else ()


def document_date(doc):
	return getdate(doc.get("transaction_date") or doc.get("posting_date"))


# --- PRC-1 prices ---------------------------------------------------------------------------------


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


def set_prices(doc, items: dict):
	rows = paid_rows(doc)
	if not rows or not doc.get("selling_price_list"):
		return
	customer = customer_of(doc)
	customer_groups = _tree(
		"Customer Group", frappe.db.get_value("Customer", customer, "customer_group") if customer else None
	)
	book = PriceBook(price_records(doc.selling_price_list, items))
	for row in rows:
		facts = items[row.item_code]
		query = PriceQuery(
			item_code=row.item_code,
			price_list=doc.selling_price_list,
			uom=row.uom or facts.stock_uom,
			on=document_date(doc),
			item_groups=facts.groups,
			customer=customer,
			customer_groups=customer_groups,
			batch_no=row.get("batch_no"),
			stock_uom=facts.stock_uom,
			conversion_factor=flt(row.conversion_factor) or 1.0,
		)
		price = book.resolve(query)
		if price is None:
			continue
		if flt(row.price_list_rate) != flt(price.rate) and row.rate:
			row.rate = 0  # let the new price flow into the rate
		row.price_list_rate = price.rate
		row.ds_price_source = f"{price.record} ({', '.join(_(p) for p in price.basis.split(', '))})"


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
			groups_cache[r.item_group] = _tree("Item Group", r.item_group)
		pack = factors.get((r.name, r.sales_uom)) if r.sales_uom and r.sales_uom != r.stock_uom else None
		out[r.name] = frappe._dict(
			stock_uom=r.stock_uom,
			groups=groups_cache[r.item_group],
			brand=r.brand,
			pack_factor=pack,
			factors=factors,
		)
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


# --- PRC-2 schemes --------------------------------------------------------------------------------


def load_schemes(company: str, on, customer: str | None = None, items: dict | None = None) -> list[Scheme]:
	"""Active schemes of the company on the date that can match the document's items (by item, item
	group or brand, or with no line condition), with tiers, conditions and budgets: five queries."""
	ts = frappe.qb.DocType("Trade Scheme")
	query = (
		frappe.qb.from_(ts)
		.select("*")
		.where((ts.company == company) & (ts.disabled == 0))
		.where(ts.valid_from.isnull() | (ts.valid_from <= on))
		.where(ts.valid_upto.isnull() | (ts.valid_upto >= on))
	)
	if items is not None:
		cond = frappe.qb.DocType("Trade Scheme Condition")
		line_kinds = ["Item", "Item Group", "Brand"]
		values = (
			set(items)
			| {g for f in items.values() for g in f.groups}
			| {f.brand for f in items.values() if f.brand}
		)
		has_line_condition = (
			frappe.qb.from_(cond)
			.select(cond.name)
			.where((cond.parent == ts.name) & cond.condition_type.isin(line_kinds))
		)
		matches_a_line = (
			frappe.qb.from_(cond)
			.select(cond.name)
			.where(
				(cond.parent == ts.name)
				& cond.condition_type.isin(line_kinds)
				& cond.value.isin(sorted(values))
			)
		)
		query = query.where(ExistsCriterion(has_line_condition).negate() | ExistsCriterion(matches_a_line))
	heads = query.run(as_dict=True)
	if not heads:
		return []
	names = [h.name for h in heads]
	tiers: dict[str, list] = {n: [] for n in names}
	for t in frappe.get_all(
		"Trade Scheme Tier",
		filters={"parent": ("in", names), "parenttype": "Trade Scheme"},
		fields=["*"],
		order_by="idx",
	):
		tiers[t.parent].append(t)
	conditions: dict[str, dict[str, set]] = {n: {} for n in names}
	for c in frappe.get_all(
		"Trade Scheme Condition",
		filters={"parent": ("in", names), "parenttype": "Trade Scheme"},
		fields=["parent", "condition_type", "value"],
	):
		conditions[c.parent].setdefault(CONDITION_FIELDS.get(c.condition_type, "unknown"), set()).add(c.value)
	used = budget_used(names, customer)
	return [to_scheme(h, tiers[h.name], conditions[h.name], used.get(h.name, {})) for h in heads]


def budget_used(names: list[str], customer: str | None) -> dict[str, dict[str, float]]:
	"""What each scheme already gave on submitted documents: discount money and free quantity, in all
	and to ``customer``. Sales Orders count, and Sales Invoices not made from an order (an invoice of an
	order repeats the order's schemes and must not spend the budget twice)."""
	out: dict[str, dict[str, float]] = {}
	for doctype in ("Sales Order", "Sales Invoice"):
		sa = frappe.qb.DocType("Scheme Application")
		parent = frappe.qb.DocType(doctype)
		query = (
			frappe.qb.from_(sa)
			.join(parent)
			.on(parent.name == sa.parent)
			.select(
				sa.scheme,
				parent.customer,
				Sum(sa.discount_amount),
				Sum(sa.free_qty),
			)
			.where((sa.parenttype == doctype) & (parent.docstatus == 1) & sa.scheme.isin(names))
			.groupby(sa.scheme, parent.customer)
		)
		if doctype == "Sales Invoice":
			item = frappe.qb.DocType("Sales Invoice Item")
			from_order = (
				frappe.qb.from_(item)
				.select(item.name)
				.where((item.parent == parent.name) & item.sales_order.isnotnull() & (item.sales_order != ""))
			)
			query = query.where(ExistsCriterion(from_order).negate())
		for scheme, party, amount, qty in query.run():
			totals = out.setdefault(
				scheme, {"amount": 0.0, "qty": 0.0, "customer_amount": 0.0, "customer_qty": 0.0}
			)
			totals["amount"] += flt(amount)
			totals["qty"] += flt(qty)
			if customer and party == customer:
				totals["customer_amount"] += flt(amount)
				totals["customer_qty"] += flt(qty)
	return out


def to_scheme(head, tiers: list, conditions: dict, used: dict[str, float]) -> Scheme:
	basis = "qty" if head.budget_basis == "Quantity" else "amount"
	budget_left = max(flt(head.budget) - used.get(basis, 0.0), 0.0) if flt(head.budget) else None
	customer_left = (
		max(flt(head.customer_budget) - used.get(f"customer_{basis}", 0.0), 0.0)
		if flt(head.customer_budget)
		else None
	)
	return Scheme(
		name=head.name,
		tiers=tuple(
			Tier(
				min_value=flt(t.min_value),
				discount_percent=flt(t.discount_percent),
				discount_amount=flt(t.discount_amount),
				fixed_rate=flt(t.fixed_rate) or None,
				free_qty=flt(t.free_qty),
				free_item=t.free_item or None,
				free_uom=t.free_uom or None,
				every=flt(t.every) or None,
			)
			for t in tiers
		),
		tier_type=TIER_TYPES[head.tier_type],
		measure=MEASURES[head.measure],
		aggregate=bool(head.aggregate),
		priority=int(head.priority or 0),
		exclusive=bool(head.exclusive),
		compound=bool(head.compound),
		max_value=flt(head.max_value) or None,
		coupon=head.coupon_code or None,
		budget_basis=basis,
		budget_left=budget_left,
		customer_budget_left=customer_left,
		valid_from=getdate(head.valid_from) if head.valid_from else None,
		valid_upto=getdate(head.valid_upto) if head.valid_upto else None,
		**{key: frozenset(values) for key, values in conditions.items() if key != "unknown"},
	)


def compute(doc, policy: str, items: dict | None = None):
	rows = paid_rows(doc)
	customer = customer_of(doc)
	if items is None:
		items = item_facts({row.item_code for row in rows}) if rows else {}
	schemes = load_schemes(doc.company, document_date(doc), customer, items) if rows else []
	if not schemes:
		return apply_schemes([], [], Context(on=document_date(doc)))
	customer_info = (
		frappe.db.get_value(
			"Customer", customer, ["customer_group", "territory", "ds_province"], as_dict=True
		)
		if customer
		else frappe._dict()
	)
	coupon = doc.get("coupon_code")
	context = Context(
		on=document_date(doc),
		customer=customer,
		customer_groups=_tree(
			"Customer Group", doc.get("customer_group") or customer_info.get("customer_group")
		),
		territories=_tree("Territory", doc.get("territory") or customer_info.get("territory")),
		province=customer_info.get("ds_province"),
		coupons=frozenset({coupon}) if coupon else frozenset(),
	)
	lines = [
		Line(
			key=row_key(row),
			item_code=row.item_code,
			qty=flt(row.qty),
			rate=flt(row.price_list_rate if policy == REPLACE and row.price_list_rate else row.rate),
			uom=row.uom,
			conversion_factor=flt(row.conversion_factor) or 1.0,
			pack_factor=items[row.item_code].pack_factor,
			item_groups=items[row.item_code].groups,
			brand=items[row.item_code].brand,
			stock_uom=items[row.item_code].stock_uom,
		)
		for row in rows
	]
	return apply_schemes(lines, schemes, context)


def row_key(row) -> str:
	return f"{row.idx:04d}:{row.item_code}"


# --- writing back ---------------------------------------------------------------------------------


def sync_free_rows(doc, result):
	"""Free-goods rows: kept when still earned (quantity updated), added when new, removed when not."""
	wanted = {(f.scheme, f.item_code): f for f in result.free_lines}
	for row in [r for r in doc.items if r.get("ds_is_scheme_free") and not agreed_source(r)]:
		free = wanted.pop((row.ds_scheme, row.item_code), None)
		if free is None:
			doc.remove(row)
		else:
			set_free_row(row, free)
	sources = {row_key(row): row for row in paid_rows(doc)}
	for free in wanted.values():
		source = sources.get(free.source_line)
		row = doc.append("items", {"item_code": free.item_code})
		for field in ("warehouse", "delivery_date", "cost_center", "income_account", "expense_account"):
			if source is not None and source.get(field) and row.meta.get_field(field):
				row.set(field, source.get(field))
		set_free_row(row, free)
	for i, row in enumerate(doc.items, start=1):
		row.idx = i


def set_free_row(row, free):
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


def write_explanations(doc, result, rows=None):
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
				"note": _(applied.note) if applied.note else "",
				"currency": doc.get("currency"),
			},
		)


def before_submit(doc, method=None):
	"""Spend scheme budgets safely: lock the schemes this document uses, then check what is left.

	Two documents submitted at the same moment queue on the scheme rows (SELECT ... FOR UPDATE), so
	the second sees the first's spending and cannot overspend the budget."""
	schemes = sorted({row.scheme for row in doc.get("ds_scheme_applications") or [] if row.scheme})
	if not schemes:
		return
	ts = frappe.qb.DocType("Trade Scheme")
	heads = {
		h.name: h
		for h in frappe.qb.from_(ts)
		.select(ts.name, ts.budget, ts.customer_budget, ts.budget_basis)
		.where(ts.name.isin(schemes))
		.for_update()
		.run(as_dict=True)
	}
	used = budget_used(schemes, customer_of(doc))
	for scheme in schemes:
		head = heads[scheme]
		basis = "qty" if head.budget_basis == "Quantity" else "amount"
		field = "free_qty" if basis == "qty" else "discount_amount"
		mine = sum(flt(r.get(field)) for r in doc.ds_scheme_applications if r.scheme == scheme)
		spent = used.get(scheme, {})
		for limit, already in (
			(head.budget, spent.get(basis, 0.0)),
			(head.customer_budget, spent.get(f"customer_{basis}", 0.0)),
		):
			if flt(limit) and already + mine > flt(limit) + 1e-6:
				frappe.throw(
					_(
						"Trade Scheme {0} has {1} of its budget left, this document needs {2}: save it again to re-apply the schemes"
					).format(frappe.bold(scheme), flt(limit) - already, mine),
					title=_("Scheme Budget Spent"),
				)


# --- DOC-8 blanket orders -------------------------------------------------------------------------


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


def price_blanket_order(doc, method=None):
	"""A selling Blanket Order's rows without a rate get one from the price list, distribution prices and
	trade schemes, measured on the agreed quantity at the start of the agreement. A typed rate stays."""
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
	customer = frappe.db.get_value(
		"Customer", doc.customer, ["customer_group", "territory", "ds_province"], as_dict=True
	)
	customer_groups = _tree("Customer Group", customer.customer_group)
	lines, sources = [], {}
	for row in rows:
		facts = items[row.item_code]
		price = book.resolve(
			PriceQuery(row.item_code, price_list, facts.stock_uom, on, facts.groups, doc.customer, customer_groups, None, facts.stock_uom, 1.0)
		)  # fmt: skip
		if price is None:
			continue
		key = row_key(row)
		sources[key] = f"{price.record} ({', '.join(_(p) for p in price.basis.split(', '))})"
		lines.append(
			Line(key, row.item_code, flt(row.qty), price.rate, facts.stock_uom, 1.0, facts.pack_factor, facts.groups, facts.brand, facts.stock_uom)
		)  # fmt: skip
	context = Context(
		on=on,
		customer=doc.customer,
		customer_groups=customer_groups,
		territories=_tree("Territory", customer.territory),
		province=customer.ds_province,
	)
	schemes = load_schemes(doc.company, on, doc.customer, items) if lines else []
	result = apply_schemes(lines, schemes, context)
	for row in rows:
		line = result.lines.get(row_key(row))
		if line is None:
			continue
		row.rate = line.net_rate
		row.ds_price_source = sources[row_key(row)]
		row.ds_scheme_discount = line.discount_amount
	write_explanations(doc, result, rows)


# --- DOC-2 agreed prices --------------------------------------------------------------------------

# A line made from one of these rows keeps the price agreed there (row field, doctype of the source row)
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
