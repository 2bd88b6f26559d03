"""PRC-2 scheme loading and application: the schemes that can apply to a document, read with a fixed
number of queries (heads, tiers, conditions, budgets), turned into the pure ``rules.schemes`` model and
applied; and the budget check under a row lock at submit."""

from pypika.terms import ExistsCriterion

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, getdate

from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.pricing.common import REPLACE, document_date, paid_rows, row_key, tree
from distribution_sales.pricing.lookup import item_facts
from distribution_sales.rules.schemes import Context, Line, PricingResult, Scheme, Tier, apply_schemes

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


def compute(doc, policy: str, items: dict | None = None):
	"""The schemes' result for the document's priced rows (their rate as the policy says)."""
	rows = paid_rows(doc)
	if items is None:
		items = item_facts({row.item_code for row in rows}) if rows else {}
	lines = [
		line_of(
			row_key(row),
			row.item_code,
			flt(row.qty),
			flt(row.price_list_rate if policy == REPLACE and row.price_list_rate else row.rate),
			row.uom,
			flt(row.conversion_factor) or 1.0,
			items[row.item_code],
		)
		for row in rows
	]
	return run_schemes(
		doc.company,
		document_date(doc),
		customer_of(doc),
		lines,
		items,
		customer_group=doc.get("customer_group"),
		territory=doc.get("territory"),
		coupon=doc.get("coupon_code"),
	)


def line_of(key: str, item_code: str, qty: float, rate: float, uom: str, factor: float, facts) -> Line:
	return Line(
		key=key,
		item_code=item_code,
		qty=qty,
		rate=rate,
		uom=uom,
		conversion_factor=factor,
		pack_factor=facts.pack_factor,
		item_groups=facts.groups,
		brand=facts.brand,
		stock_uom=facts.stock_uom,
	)


def run_schemes(
	company: str,
	on,
	customer: str | None,
	lines: list[Line],
	items: dict,
	customer_group: str | None = None,
	territory: str | None = None,
	coupon: str | None = None,
) -> PricingResult:
	"""Load the schemes that can apply and apply them to ``lines``: the one pipeline of documents and
	blanket orders alike."""
	if not lines:
		return apply_schemes([], [], Context(on=on))
	info = (
		frappe.db.get_value(
			"Customer", customer, ["customer_group", "territory", "ds_province"], as_dict=True
		)
		if customer
		else frappe._dict()
	)
	context = Context(
		on=on,
		customer=customer,
		customer_groups=tree("Customer Group", customer_group or info.get("customer_group")),
		territories=tree("Territory", territory or info.get("territory")),
		province=info.get("ds_province"),
		coupons=frozenset({coupon}) if coupon else frozenset(),
	)
	schemes = load_schemes(company, on, customer, items, context)
	return apply_schemes(lines, schemes, context)


def load_schemes(
	company: str, on, customer: str | None = None, items: dict | None = None, context: Context | None = None
) -> list[Scheme]:
	"""Active schemes of the company on the date that can match the document's items (by item, item
	group or brand, or with no line condition) and, given the document's ``context``, its customer,
	groups, territories and province, with tiers, conditions and budgets: five queries whatever the
	number of schemes. The SQL only narrows the candidates; the pure engine decides."""
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
	if context is not None:
		query = _where_document_may_match(query, ts, context)
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


def _where_document_may_match(query, ts, context: Context):
	"""Each document-level kind a scheme sets (customer, customer group, territory, province) must
	name one of the document's values, as ``rules.schemes`` requires."""
	cond = frappe.qb.DocType("Trade Scheme Condition")
	kinds = {
		"Customer": [context.customer],
		"Customer Group": list(context.customer_groups),
		"Territory": list(context.territories),
		"Province": [context.province],
	}
	for kind, values in kinds.items():
		values = sorted(v for v in values if v)
		sets_kind = (
			frappe.qb.from_(cond)
			.select(cond.name)
			.where((cond.parent == ts.name) & (cond.condition_type == kind))
		)
		if not values:
			query = query.where(ExistsCriterion(sets_kind).negate())
			continue
		names_one = (
			frappe.qb.from_(cond)
			.select(cond.name)
			.where((cond.parent == ts.name) & (cond.condition_type == kind) & cond.value.isin(values))
		)
		query = query.where(ExistsCriterion(sets_kind).negate() | ExistsCriterion(names_one))
	return query


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


def check_budgets(doc):
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
