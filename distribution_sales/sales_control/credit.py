"""Credit (CRD-1, CRD-2, CRD-5): the policies that apply to a document, its figures read (with locking
reads on submit), the decision, ERPNext's own credit limits decided under the same locks, and the
approval log."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, date_diff, flt, fmt_money, now_datetime, nowdate
from frappe.utils.nestedset import get_ancestors_of

from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.rules.credit import (
	CreditLimitRow,
	Figures,
	Policy,
	credit_limit_policy,
	decide_credit,
	erpnext_credit_limit,
)
from distribution_sales.sales_control.common import DOCUMENT_FLAGS, LIMIT_FIELDS, CreditLimitError
from distribution_sales.setup.indexes import force_index


def document_amount(doc) -> float:
	return flt(
		doc.get("base_grand_total") or doc.get("base_total") or doc.get("grand_total") or doc.get("total")
	)


def payment_type_of(doc) -> str | None:
	return doc.get("ds_payment_type") or doc.get("payment_type")  # a Sales Request names it payment_type


def credit_decision(doc, locking: bool = False):
	policies = applicable_policies(doc)
	erpnext_limit = erpnext_limit_policy(doc, locking)
	if erpnext_limit:
		policies.append(erpnext_limit)
	if not policies:
		return None
	customer = customer_figures(doc, locking, deliveries=erpnext_limit is not None)
	person = (
		sales_person_figures(doc, locking)
		if doc.get("ds_sales_person") and any(p.scope == "sales_person" for p in policies)
		else None
	)
	return decide_credit(
		policies,
		doc.doctype,
		payment_type_of(doc),
		document_amount(doc),
		customer,
		person,
		as_order=doc.doctype != "Sales Invoice",
	)


def customer_groups(doc) -> list[str]:
	"""The customer's group and the groups above it, nearest first (read once per document)."""
	if doc.get("flags") is None or doc.flags.get("ds_groups") is None:
		group = frappe.db.get_value("Customer", customer_of(doc), "customer_group")
		groups = [group, *get_ancestors_of("Customer Group", group)] if group else []
		if doc.get("flags") is None:
			return groups
		doc.flags.ds_groups = groups
	return doc.flags.ds_groups


def scoped_query(doctype: str, doc):
	"""Enabled Credit Policies or Sales Quotas of the document's company that check this kind of
	document and apply to its customer, one of the customer's groups, or its salesperson."""
	table = frappe.qb.DocType(doctype)
	groups = customer_groups(doc)
	scope = (table.applies_to == "Customer") & (table.party == customer_of(doc))
	if groups:
		scope |= (table.applies_to == "Customer Group") & table.party.isin(groups)
	if doc.get("ds_sales_person"):
		scope |= (table.applies_to == "Sales Person") & (table.party == doc.ds_sales_person)
	query = (
		frappe.qb.from_(table)
		.select("*")
		.where((table.enabled == 1) & (table.company == doc.company) & scope)
	)
	flag = DOCUMENT_FLAGS.get(doc.doctype)
	return (query.where(table[flag] == 1) if flag else query), table


def applicable_policies(doc) -> list[Policy]:
	groups = customer_groups(doc)
	query, _table = scoped_query("Credit Policy", doc)
	rows = query.run(as_dict=True)
	if not rows:
		return []
	payment_types = defaultdict(set)
	for link in frappe.get_all(
		"Credit Policy Payment Type",
		filters={"parent": ["in", [r.name for r in rows]], "parenttype": "Credit Policy"},
		fields=["parent", "payment_type"],
	):
		payment_types[link.parent].add(link.payment_type)
	return [
		Policy(
			name=r.name,
			scope=r.applies_to.lower().replace(" ", "_"),
			action=r.action.lower(),
			limits={k: flt(r[f]) for k, f in LIMIT_FIELDS.items() if flt(r[f])},
			distance=groups.index(r.party) if r.applies_to == "Customer Group" else 0,
			payment_types=frozenset(payment_types[r.name]),
		)
		for r in rows
	]


# ERPNext checks its customer credit limits on these documents (SalesOrder/SalesInvoice.check_credit_limit)
CREDIT_LIMIT_DOCUMENTS = ("Sales Order", "Sales Invoice")


def erpnext_limit_policy(doc, locking: bool) -> Policy | None:
	"""ERPNext's credit limit of the customer in the document's company (its own Customer Credit Limit
	row, else its group's, else the company's default), as a blocking policy checked where ERPNext
	checks it (``rules.credit.credit_limit_policy``); the rows are read with a shared lock when
	deciding."""
	if doc.doctype not in CREDIT_LIMIT_DOCUMENTS:
		return None
	customer, company = customer_of(doc), doc.company
	group = (customer_groups(doc) or [None])[0]
	rows = {
		(parenttype, parent): CreditLimitRow(flt(limit), bool(cint(bypass)))
		for parenttype, parent, limit, bypass in frappe.db.sql(
			"""select parenttype, parent, credit_limit, bypass_credit_limit_check
			from `tabCustomer Credit Limit` where company = %(company)s
			and ((parenttype = 'Customer' and parent = %(customer)s)
				or (parenttype = 'Customer Group' and parent = %(group)s))"""
			+ (" lock in share mode" if locking else ""),
			{"company": company, "customer": customer, "group": group or ""},
		)
	}
	own = rows.get(("Customer", customer))
	found = erpnext_credit_limit(
		own,
		rows.get(("Customer Group", group)),
		flt(frappe.get_cached_value("Company", company, "credit_limit")),
	)
	if not found:
		return None
	source, limit = found
	if source == "customer":
		name = _("Credit Limit of Customer {0} in {1}").format(customer, company)
	elif source == "customer_group":
		name = _("Credit Limit of Customer Group {0} in {1}, for Customer {2}").format(
			group, company, customer
		)
	else:
		name = _("Credit Limit of Company {0}, for Customer {1}").format(company, customer)
	return credit_limit_policy(
		name,
		limit,
		doc.doctype,
		bypass_orders=bool(own and own.bypass),
		all_lines_billed_elsewhere=all(
			row.get("sales_order") or row.get("delivery_note") for row in doc.get("items") or []
		),
	)


def take_over_credit_check(doc):
	"""ERPNext checks its credit limits again in on_submit (SalesOrder/SalesInvoice.check_credit_limit)
	with plain reads of the request's snapshot, after this module decided under the customer's lock
	with locking reads. The snapshot can be older than those reads (missing orders, but also payments
	and cancellations committed meanwhile), so it could refuse what was accepted here, and it refuses
	every document a Credit Controller approved (CRD-2), with a message of its own. On this document
	only, for this submit, it is replaced by the decision already taken (``on_submit`` puts ERPNext's
	method back); where this module does not decide, ERPNext's check runs as before."""
	if doc.doctype in CREDIT_LIMIT_DOCUMENTS and callable(getattr(type(doc), "check_credit_limit", None)):
		doc.check_credit_limit = decided_under_lock


def decided_under_lock():
	"""Stands in for ERPNext's check_credit_limit: before_submit decided (``enforce_credit``)."""


def _read(query: str, values: dict, locking: bool):
	"""A figure, read with a shared lock when deciding (the latest committed rows, not the snapshot)."""
	return frappe.db.sql(query + (" lock in share mode" if locking else ""), values)[0][0]


# Who the figures are of: the column naming them on orders and invoices, and its composite index.
PARTY_COLUMNS = {"customer": "customer", "sales_person": "ds_sales_person"}


def customer_figures(doc, locking: bool, deliveries: bool = False) -> Figures:
	"""What the customer owes (its ledger balance), has on open orders and in uncleared cheques; with
	``deliveries``, also what was delivered without an order and not invoiced (for ERPNext's limit)."""
	values = _figure_values(doc, customer_of(doc))
	outstanding = _read(
		"""select sum(debit - credit) from `tabGL Entry`
		where party_type = 'Customer' and party = %(party)s and company = %(company)s and is_cancelled = 0""",
		values,
		locking,
	)
	cheques = _read(
		f"""select sum(base_received_amount) from `tabPayment Entry` {force_index("Payment Entry", ("party", "docstatus"))}
		where payment_type = 'Receive' and party_type = 'Customer' and party = %(party)s
		and company = %(company)s and docstatus = 1 and clearance_date is null and reference_date > %(today)s""",
		values,
		locking,
	)
	return _order_figures(
		"customer",
		values,
		locking,
		outstanding=flt(outstanding),
		uncleared_cheques=flt(cheques),
		unbilled_deliveries=unbilled_deliveries(doc, values, locking) if deliveries else 0.0,
	)


def unbilled_deliveries(doc, values: dict, locking: bool) -> float:
	"""The third part of ERPNext's customer outstanding (get_customer_outstanding): delivery notes made
	without an order or invoice and not yet invoiced, at their grand total's share; the lines of the
	invoice being decided count as invoiced (ERPNext checks it after it is submitted)."""
	lock = " lock in share mode" if locking else ""
	rows = frappe.db.sql(
		f"""select i.name, i.amount, d.base_net_total, d.base_grand_total
		from `tabDelivery Note` d {force_index("Delivery Note", ("customer", "docstatus"))}
		straight_join `tabDelivery Note Item` i on i.parent = d.name
		where d.customer = %(party)s and d.company = %(company)s and d.docstatus = 1
		and d.status not in ('Closed', 'Stopped')
		and coalesce(i.against_sales_order, '') = '' and coalesce(i.against_sales_invoice, '') = ''"""
		+ lock,
		values,
		as_dict=True,
	)
	if not rows:
		return 0.0
	billed = defaultdict(float)
	for dn_detail, amount in frappe.db.sql(
		"""select dn_detail, sum(amount) from `tabSales Invoice Item`
		where docstatus = 1 and dn_detail in %(rows)s and parent != %(self)s group by dn_detail"""
		+ lock,
		{"rows": tuple(r.name for r in rows), "self": doc.name or ""},
	):
		billed[dn_detail] += flt(amount)
	if doc.doctype == "Sales Invoice":
		for row in doc.get("items") or []:
			if row.get("dn_detail"):
				billed[row.dn_detail] += flt(row.amount)
	return sum(
		(flt(r.amount) - billed[r.name]) / flt(r.base_net_total) * flt(r.base_grand_total)
		for r in rows
		if flt(r.amount) > billed[r.name] and flt(r.base_net_total)
	)


def sales_person_figures(doc, locking: bool) -> Figures:
	"""A salesperson's portfolio: what all the customers he sold to owe on his invoices and orders."""
	values = _figure_values(doc, doc.ds_sales_person)
	outstanding = _read(
		f"""select sum(base_grand_total * outstanding_amount / nullif(grand_total, 0))
		from `tabSales Invoice` {force_index("Sales Invoice", ("ds_sales_person", "docstatus"))}
		where ds_sales_person = %(party)s and company = %(company)s and docstatus = 1""",
		values,
		locking,
	)
	return _order_figures("sales_person", values, locking, outstanding=flt(outstanding))


def _figure_values(doc, party: str) -> dict:
	billed = {r.get("sales_order") for r in doc.get("items") or [] if r.get("sales_order")}
	return {
		"party": party,
		"company": doc.company,
		"today": nowdate(),
		"billed_orders": tuple(billed | {doc.name}),  # this document and the orders it bills
	}


def _order_figures(kind: str, values: dict, locking: bool, **figures) -> Figures:
	"""Open orders and overdue days of a customer or a salesperson, added to ``figures``."""
	column = PARTY_COLUMNS[kind]
	open_orders = _read(
		f"""select sum(base_grand_total * (100 - per_billed) / 100) from `tabSales Order` {force_index("Sales Order", (column, "docstatus"))}
		where `{column}` = %(party)s and company = %(company)s and docstatus = 1 and per_billed < 100
		and status not in ('Closed', 'Completed') and name not in %(billed_orders)s""",
		values,
		locking,
	)
	oldest_due = _read(
		f"""select min(due_date) from `tabSales Invoice` {force_index("Sales Invoice", (column, "docstatus"))} where `{column}` = %(party)s
		and company = %(company)s and docstatus = 1 and outstanding_amount > 0 and due_date < %(today)s""",
		values,
		locking,
	)
	return Figures(
		open_orders=flt(open_orders),
		overdue_days=date_diff(nowdate(), oldest_due) if oldest_due else 0,
		**figures,
	)


def explain(doc, decision) -> str:
	currency = frappe.get_cached_value("Company", doc.company, "default_currency")
	lines = []
	for b in decision.breaches:
		show = (
			(lambda v: str(int(v)))
			if b.indicator == "overdue_days"
			else (lambda v: fmt_money(v, 0, currency))
		)
		lines.append(
			_("{0}: {1} would be {2}, over the limit of {3} ({4})").format(
				frappe.bold(b.policy),
				_(b.label),
				show(b.value),
				show(b.limit),
				_("blocks") if b.action == "block" else _("warns"),
			)
		)
	return "\n".join(lines)


def forget_outgrown_approval(doc):
	"""An approval covers the amount approved; a larger document needs a new one."""
	if (
		doc.get("ds_credit_state") == "Approved"
		and document_amount(doc) > flt(doc.get("ds_credit_approved_amount")) + 0.005
	):
		doc.ds_credit_state = ""
		frappe.msgprint(
			_("The document grew beyond the approved amount: its credit approval no longer applies"),
			indicator="orange",
		)


def enforce_credit(doc):
	decision = credit_decision(doc, locking=True)
	if not decision or decision.action == "ok":
		return
	if not decision.blocked:
		frappe.msgprint(
			explain(doc, decision).replace("\n", "<br>"), title=_("Credit Limit"), indicator="orange"
		)
		return
	if (
		doc.get("ds_credit_state") == "Approved"
		and document_amount(doc) <= flt(doc.ds_credit_approved_amount) + 0.005
	):
		add_log(doc, "Submitted with Approval", explain(doc, decision))
		return
	frappe.throw(
		explain(doc, decision).replace("\n", "<br>")
		+ "<br>"
		+ _("Send the document for credit approval, or reduce it."),
		exc=CreditLimitError,
		title=_("Credit Limit Exceeded"),
	)


def add_log(doc, event: str, explanation: str, save: bool = False):
	row = doc.append(
		"ds_credit_log",
		{
			"event": event,
			"at": now_datetime(),
			"user": frappe.session.user,
			"amount": document_amount(doc),
			"explanation": explanation,
		},
	)
	if save:
		row.db_insert()
	return row
