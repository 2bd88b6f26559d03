"""Credit policies, quotas, the blacklist and saleable stock on sales documents (CRD-1..7).

Wired in hooks.py ``doc_events`` for Quotation (the proforma), Sales Order and Sales Invoice (and the
Sales Request when it exists). The rules are in ``rules.credit``, ``rules.quotas`` and ``rules.stock``;
this module gathers the figures, calls them and acts on the answer.

ERPNext's own customer credit limits (Customer > Credit Limits) are read as one more blocking policy of
the customer (``erpnext_limit_policy``) and decided here, under the same locks; ERPNext's own check,
which reads without locks, is switched off on the documents decided here (``take_over_credit_check``).
Sending a document for credit approval assigns it to the Credit Controllers (a ToDo and a
notification each); deciding closes those assignments.

Saving a draft only warns. Submitting decides, under row locks taken in one fixed order (the customer,
the salesperson, then the stock bins sorted by item and warehouse), with *locking* reads of the
figures: MariaDB's repeatable-read snapshot would otherwise hide the orders that concurrent requests
committed while this one waited for its lock, and both would pass a limit meant for one.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, date_diff, flt, fmt_money, get_fullname, getdate, now_datetime, nowdate
from frappe.utils.nestedset import get_ancestors_of, get_descendants_of

from distribution_sales import roles
from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.rules import RuleError
from distribution_sales.rules.credit import (
	CreditLimitRow,
	Figures,
	Policy,
	credit_limit_policy,
	decide_credit,
	erpnext_credit_limit,
)
from distribution_sales.rules.quotas import Quota, check_quotas, period_window
from distribution_sales.rules.stock import (
	StockPosition,
	due_in_time,
	requested,
	reservation_expiry,
	shortages,
)
from distribution_sales.utils import DistributionValidationError, rule_errors, where_window_overlaps


class BlacklistedCustomerError(DistributionValidationError):
	pass


class CreditLimitError(DistributionValidationError):
	pass


class QuotaExceededError(DistributionValidationError):
	pass


class InsufficientStockError(DistributionValidationError):
	pass


DOCUMENT_FLAGS = {
	"Sales Request": "check_sales_request",
	"Quotation": "check_quotation",
	"Sales Order": "check_sales_order",
	"Sales Invoice": "check_sales_invoice",
}
DATE_FIELDS = {"Sales Invoice": "posting_date"}
LIMIT_FIELDS = {
	"outstanding": "max_outstanding",
	"open_orders": "max_open_orders",
	"uncleared_cheques": "max_uncleared_cheques",
	"overdue_days": "max_overdue_days",
	"total_exposure": "max_total_exposure",
}
DEFAULT_PROFORMA_DAYS = 7


# ---------------------------------------------------------------------------------------------------
# doc_events
# ---------------------------------------------------------------------------------------------------


def validate(doc, method=None):
	if not is_checked(doc):
		return
	check_blacklist(doc)  # quantities: order_management.flow checks them before validate
	forget_outgrown_approval(doc)
	if doc.get("_action") != "submit":  # on submit, before_submit decides with the figures locked
		warn_on_save(doc)


def before_submit(doc, method=None):
	if not is_checked(doc):
		return
	lock_parties(doc)  # the blacklist was checked by validate, which runs on submit too
	enforce_credit(doc)
	take_over_credit_check(doc)
	enforce_quotas(doc)
	enforce_stock(doc)


def on_submit(doc, method=None):
	doc.__dict__.pop("check_credit_limit", None)  # ERPNext's own check ran (skipped) before this hook
	if not is_checked(doc):
		return
	if doc.get("ds_credit_state") == "Pending Approval":  # within its limits by now: nothing to decide
		close_approval_assignments(doc, roles.CREDIT_CONTROLLER, "Cancelled")
	if doc.doctype == "Quotation":
		reserve_for_proforma(doc)
	elif doc.doctype == "Sales Order":
		convert_proforma_reservations(doc)
		refresh_bins(stock_keys(doc))


def on_cancel(doc, method=None):
	if doc.doctype == "Quotation":
		release_proforma(doc.name, "Released")
	elif doc.doctype == "Sales Order":
		refresh_bins(stock_keys(doc))


def on_update_after_submit(doc, method=None):
	"""A proforma declared lost gives its stock back at once."""
	if doc.doctype == "Quotation" and doc.status == "Lost":
		release_proforma(doc.name, "Released")


def is_checked(doc) -> bool:
	"""Every sale to a customer is checked; returns are not (nor code that says so in ``flags``)."""
	if doc.flags.ds_skip_controls:
		return False
	return bool(customer_of(doc) and doc.get("company") and not doc.get("is_return"))


def check_blacklist(doc):
	"""CRD-3: a blacklisted customer is not quoted, ordered or invoiced."""
	if frappe.db.get_value("Customer", customer_of(doc), "ds_is_blacklisted"):
		frappe.throw(
			_("Customer {0} is blacklisted and cannot be sold to").format(frappe.bold(customer_of(doc))),
			exc=BlacklistedCustomerError,
			title=_("Blacklisted Customer"),
		)


# ---------------------------------------------------------------------------------------------------
# Credit (CRD-1, CRD-2, CRD-5)
# ---------------------------------------------------------------------------------------------------


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
PARTY_COLUMNS = {
	"customer": ("customer", "ds_customer_docstatus"),
	"sales_person": ("ds_sales_person", "ds_ds_sales_person_docstatus"),
}


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
		"""select sum(base_received_amount) from `tabPayment Entry` force index (ds_party_docstatus)
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
		"""select i.name, i.amount, d.base_net_total, d.base_grand_total
		from `tabDelivery Note Item` i join `tabDelivery Note` d on d.name = i.parent
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
		"""select sum(base_grand_total * outstanding_amount / nullif(grand_total, 0))
		from `tabSales Invoice` force index (ds_ds_sales_person_docstatus)
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
	column, index = PARTY_COLUMNS[kind]
	open_orders = _read(
		f"""select sum(base_grand_total * (100 - per_billed) / 100) from `tabSales Order` force index ({index})
		where `{column}` = %(party)s and company = %(company)s and docstatus = 1 and per_billed < 100
		and status not in ('Closed', 'Completed') and name not in %(billed_orders)s""",
		values,
		locking,
	)
	oldest_due = _read(
		f"""select min(due_date) from `tabSales Invoice` force index ({index}) where `{column}` = %(party)s
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


def warn_on_save(doc):
	decision = credit_decision(doc)
	if decision and decision.action != "ok":
		message = explain(doc, decision)
		if decision.blocked and doc.get("ds_credit_state") != "Approved":
			message += "\n" + _("It cannot be submitted without credit approval.")
		frappe.msgprint(message.replace("\n", "<br>"), title=_("Credit Limit"), indicator="orange")
	result = quota_result(doc, locking=False)
	if result and result.breaches:
		frappe.msgprint(
			explain_quotas(result).replace("\n", "<br>"), title=_("Sales Quota"), indicator="orange"
		)


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


def lock_parties(doc):
	"""Serialise the decisions about one customer (and one salesperson's portfolio)."""
	frappe.db.sql("select name from `tabCustomer` where name = %s for update", customer_of(doc))
	if doc.get("ds_sales_person"):
		frappe.db.sql("select name from `tabSales Person` where name = %s for update", doc.ds_sales_person)


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


@frappe.whitelist(methods=["POST"])
def request_credit_approval(doctype: str, name: str) -> str:
	"""CRD-2: the salesperson sends a document that credit policies block to the Credit Controllers,
	who each get it assigned (a ToDo and a notification)."""
	doc = _draft(doctype, name, "write")
	decision = credit_decision(doc)
	if not decision or not decision.blocked:
		frappe.throw(_("The document is within its credit limits: no approval is needed"))
	if doc.get("ds_credit_state") == "Pending Approval":
		frappe.throw(_("The document is already waiting for credit approval"))
	explanation = explain(doc, decision)
	add_log(doc, "Sent for Approval", explanation, save=True)
	doc.db_set("ds_credit_state", "Pending Approval")
	doc.add_comment("Info", _("Sent for credit approval"))
	sender = get_fullname(frappe.session.user)
	assign_approvers(
		doc,
		roles.CREDIT_CONTROLLER,
		lambda lang: _("{0} sent {1} {2} for credit approval", lang=lang).format(
			frappe.bold(sender), frappe.bold(_(doc.doctype, lang=lang)), doc.name
		),
		_("Credit approval of {0} {1} for {2}, {3}:").format(
			_(doc.doctype),
			doc.name,
			customer_of(doc),
			fmt_money(
				document_amount(doc), 0, frappe.get_cached_value("Company", doc.company, "default_currency")
			),
		)
		+ "<br>"
		+ explanation.replace("\n", "<br>"),
	)
	return doc.ds_credit_state


@frappe.whitelist(methods=["POST"])
def decide_credit_approval(doctype: str, name: str, approve: int, reason: str) -> str:
	"""CRD-2: a Credit Controller approves or rejects, always with a reason."""
	if not roles.CREDIT_DECIDERS & set(frappe.get_roles()):  # also in tests
		frappe.throw(_("Only a Credit Controller can decide on credit approval"), frappe.PermissionError)
	doc = _draft(doctype, name, "read")
	if doc.get("ds_credit_state") != "Pending Approval":
		frappe.throw(_("Only a document sent for credit approval can be approved or rejected"))
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Give the reason for the decision"))
	approve = cint(approve)
	add_log(doc, "Approved" if approve else "Rejected", reason, save=True)
	doc.db_set(
		{
			"ds_credit_state": "Approved" if approve else "Rejected",
			"ds_credit_approved_amount": document_amount(doc) if approve else 0,
		}
	)
	doc.add_comment(
		"Info",
		(_("Credit approved: {0}") if approve else _("Credit rejected: {0}")).format(
			frappe.utils.escape_html(reason)
		),
	)
	close_approval_assignments(doc, roles.CREDIT_CONTROLLER)
	return doc.ds_credit_state


def _draft(doctype: str, name: str, ptype: str):
	if doctype not in DOCUMENT_FLAGS:
		frappe.throw(_("Credit approval is not used for {0}").format(_(doctype)))
	doc = frappe.get_doc(doctype, name, for_update=True)  # one request or decision at a time
	doc.check_permission(ptype)
	if doc.docstatus != 0:
		frappe.throw(_("Only a draft can be sent for credit approval"))
	return doc


# ---------------------------------------------------------------------------------------------------
# Approval assignments (CRD-2 here, DOC-4 in order_management.flow): the people who decide get the
# document assigned (a ToDo marked with their role, in their ToDo list) and a notification; deciding
# closes the open assignments of that role on the document, for everyone. Both are written in the
# request's transaction, so a refused or failed request leaves none behind (ERPNext's assign_to.add
# would queue the notification to a background job before the request commits).
# ---------------------------------------------------------------------------------------------------


def approvers(role: str, company: str, doctype: str) -> list[str]:
	"""Enabled users holding ``role`` who may work for ``company``: when User Permissions restrict a
	user's companies (for every doctype or for ``doctype``), the company must be among them."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions
	from frappe.utils.user import get_users_with_role

	out = []
	for user in sorted(get_users_with_role(role)):
		companies = {
			p.doc
			for p in get_user_permissions(user).get("Company", [])
			if not p.get("applicable_for") or p.applicable_for == doctype
		}
		if not companies or company in companies:
			out.append(user)
	return out


def approval_assignments(doc, role: str, status: str = "Open") -> list:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": doc.doctype, "reference_name": doc.name, "role": role, "status": status},
		fields=["name", "allocated_to"],
		order_by="name",
	)


def assign_approvers(doc, role: str, subject, description: str) -> list[str]:
	"""Assign ``doc`` to every approver holding ``role`` (``approvers``) who has no open assignment of
	it yet, share it with those who could not read it, and notify them; ``subject(lang)`` is the
	notification's subject in the user's language. Returns the users assigned."""
	from frappe.share import add_docshare

	users = approvers(role, doc.company, doc.doctype)
	if not users:
		frappe.msgprint(
			_("Nobody holds the role {0} for company {1}: the document waits without anyone notified").format(
				_(role), doc.company
			),
			indicator="orange",
		)
		return []
	assigned = {t.allocated_to for t in approval_assignments(doc, role)}
	sharing = not frappe.get_system_settings("disable_document_sharing")
	new = [user for user in users if user not in assigned]
	for user in new:
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"reference_type": doc.doctype,
				"reference_name": doc.name,
				"role": role,
				"description": description,
				"priority": "High",
				"status": "Open",
				"date": nowdate(),
				"assigned_by": frappe.session.user,
			}
		).insert(ignore_permissions=True)
		if sharing and not frappe.has_permission(doc.doctype, "read", doc=doc, user=user):
			add_docshare(doc.doctype, doc.name, user, flags={"ignore_share_permission": True})
		notify(user, doc, subject, description)
	return new


def notify(user: str, doc, subject, description: str):
	"""The assignment's notification (Notification Log, and its email when the user wants those). A
	notification that cannot be delivered (no outgoing email account) is rolled back alone and logged:
	it never undoes the request that assigns the document."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	savepoint = "ds_approval_notification"
	frappe.db.savepoint(savepoint)
	try:
		make_notification_logs(
			frappe._dict(
				type="Assignment",
				document_type=doc.doctype,
				document_name=doc.name,
				subject=subject(frappe.db.get_value("User", user, "language")),
				from_user=frappe.session.user,
				email_content=description,
			),
			[user],
		)
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		frappe.log_error(f"Notification of {doc.doctype} {doc.name} to {user} not delivered")


def close_approval_assignments(doc, role: str, status: str = "Closed"):
	"""The decision was taken: the open assignments of ``role`` on ``doc`` are closed for everyone."""
	for row in approval_assignments(doc, role):
		todo = frappe.get_doc("ToDo", row.name)
		todo.status = status
		todo.save(ignore_permissions=True)


# ---------------------------------------------------------------------------------------------------
# Quotas (CRD-4)
# ---------------------------------------------------------------------------------------------------


def matching_quotas(doc) -> list[dict]:
	on = getdate(doc.get(DATE_FIELDS.get(doc.doctype, "transaction_date")) or nowdate())
	query, q = scoped_query("Sales Quota", doc)
	quotas = where_window_overlaps(query, q, on, on).run(as_dict=True)  # valid on the document's date
	for quota in quotas:
		quota.on = on
	return quotas


def _target_items(quota) -> tuple[str, list]:
	if quota.quota_on == "Item":
		return "item_code", [quota.target]
	return "item_group", [quota.target, *get_descendants_of("Item Group", quota.target)]


def quota_result(doc, locking: bool):
	quotas = matching_quotas(doc)
	if not quotas:
		return None
	week_start = _week_start()
	groups = {
		row.item_code: row.get("item_group") or frappe.get_cached_value("Item", row.item_code, "item_group")
		for row in doc.items
	}
	rules, already, adds = [], {}, {}
	for quota in quotas:
		field, targets = _target_items(quota)
		window = period_window(quota.on, quota.period, week_start)
		adds[quota.name] = sum(
			flt(row.get("stock_qty") or flt(row.qty) * flt(row.get("conversion_factor") or 1))
			for row in doc.items
			if (row.item_code if field == "item_code" else groups[row.item_code]) in targets
		)
		if not adds[quota.name]:
			continue
		already[quota.name] = sold_in_window(doc, quota, field, targets, window, locking)
		rules.append(
			Quota(
				quota.name,
				f"{_(quota.quota_on)} {quota.target}",
				flt(quota.max_qty),
				quota.period,
				quota.action.lower(),
				window,
			)
		)
	return check_quotas(rules, already, adds)


def sold_in_window(doc, quota, field, targets, window, locking: bool) -> float:
	date_field = DATE_FIELDS.get(doc.doctype, "transaction_date")
	party = {"Customer": "customer", "Customer Group": "customer", "Sales Person": "ds_sales_person"}[
		quota.applies_to
	]
	party_value = customer_of(doc) if party == "customer" else doc.ds_sales_person
	values = {
		"company": doc.company,
		"party": party_value,
		"start": window[0],
		"end": window[1],
		"targets": tuple(targets),
		"self": doc.name,
	}
	target = (
		"i.item_code in %(targets)s"
		if field == "item_code"
		else "i.item_code in (select name from `tabItem` where item_group in %(targets)s)"
	)
	return flt(
		_read(
			f"""select sum(i.stock_qty) from `tab{doc.doctype} Item` i
			join `tab{doc.doctype}` d on d.name = i.parent
			where d.docstatus = 1 and d.company = %(company)s and d.`{party}` = %(party)s and d.name != %(self)s
			and d.`{date_field}` between %(start)s and %(end)s and {target}""",
			values,
			locking,
		)
	)


def explain_quotas(result) -> str:
	return "\n".join(
		_(
			"{0} ({1}): {2} already sold between {3} and {4} plus {5} in this document exceeds the maximum of {6} per {7}"
		).format(
			frappe.bold(b.quota),
			b.target,
			flt(b.already, 3),
			frappe.format(b.window[0], "Date"),
			frappe.format(b.window[1], "Date"),
			flt(b.this_document, 3),
			flt(b.max_qty, 3),
			_(b.period),
		)
		for b in result.breaches
	)


def enforce_quotas(doc):
	result = quota_result(doc, locking=True)
	if not result or result.action == "ok":
		return
	if result.action == "warn":
		frappe.msgprint(
			explain_quotas(result).replace("\n", "<br>"), title=_("Sales Quota"), indicator="orange"
		)
		return
	frappe.throw(
		explain_quotas(result).replace("\n", "<br>"), exc=QuotaExceededError, title=_("Sales Quota Exceeded")
	)


def _week_start() -> int:
	days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
	first = frappe.db.get_single_value("System Settings", "first_day_of_the_week") or "Sunday"
	return days.index(first) if first in days else 6


# ---------------------------------------------------------------------------------------------------
# Saleable stock and reservations (CRD-6, CRD-7)
# ---------------------------------------------------------------------------------------------------


def stock_lines(doc) -> list:
	"""(row, item_code, warehouse, stock_qty) of the lines whose stock this document takes or promises."""
	if doc.flags.ds_stock_lines is None:
		doc.flags.ds_stock_lines = _stock_lines(doc)
	return doc.flags.ds_stock_lines


def _stock_lines(doc) -> list:
	if doc.doctype == "Sales Invoice" and not doc.get("update_stock"):
		return []
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


def enforce_stock(doc):
	if doc.doctype not in ("Quotation", "Sales Order", "Sales Invoice"):
		return  # a Sales Request promises nothing yet; its proforma or order will
	if doc.doctype == "Quotation" and not reserves_on_proforma(doc.company):
		return
	lines = stock_lines(doc)
	if not lines:
		return
	with rule_errors(exc=InsufficientStockError):
		wanted = requested((item, warehouse, qty) for _row, item, warehouse, qty in lines)
	moving = proforma_of(doc)
	positions = lock_positions(sorted(wanted), exclude_quotations=moving, on=promise_date(doc))
	incoming = incoming_production(sorted(wanted), promise_date(doc)) if doc.doctype == "Sales Order" else {}
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
	return {key: StockPosition(actual[key], orders[key], proformas[key]) for key in keys}


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
		"""select i.item_code, i.warehouse, sum((i.qty - i.delivered_qty) * i.conversion_factor)
		from `tabSales Order Item` i force index (ds_item_code_warehouse_docstatus)
		straight_join `tabSales Order` o on o.name = i.parent
		where i.docstatus = 1 and o.docstatus = 1 and o.status not in ('Closed', 'On Hold', 'Completed')
		and i.qty > i.delivered_qty and i.delivered_by_supplier = 0
		and i.item_code in %(items)s and i.warehouse in %(warehouses)s
		group by i.item_code, i.warehouse"""
		+ (" lock in share mode" if locking else ""),
		{"items": items, "warehouses": warehouses},
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
	value = frappe.db.get_value("Distribution Settings", {"company": company}, "reserve_on_proforma")
	return True if value is None else bool(cint(value))


def proforma_days(company: str) -> int:
	"""How long a proforma without a valid-till date holds its stock (the company's proforma validity)."""
	days = frappe.db.get_value("Distribution Settings", {"company": company}, "proforma_valid_days")
	return cint(days) or DEFAULT_PROFORMA_DAYS


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


@frappe.whitelist()
def get_saleable_stock(items: str | list, company: str, delivery_date: str | None = None) -> list[dict]:
	"""CRD-6 at entry: saleable stock (and, for make-to-stock items, production due in time) per line.
	``items``: [{"item_code", "warehouse"}]."""
	frappe.has_permission("Sales Order", "create", throw=False) or frappe.has_permission(
		"Quotation", "create", throw=True
	)
	items = frappe.parse_json(items) if isinstance(items, str) else items
	keys = set()
	for row in items or []:
		item = row.get("item_code")
		if not item or not frappe.get_cached_value("Item", item, "is_stock_item"):
			continue
		warehouse = row.get("warehouse") or default_warehouse(item, company)
		if warehouse:
			keys.add((item, warehouse))
	keys = sorted(keys)
	on = getdate(delivery_date or nowdate())
	positions = lock_positions(keys, on=on, locking=False)
	incoming = incoming_production(keys, on)
	return [
		{
			"item_code": item,
			"warehouse": warehouse,
			"actual": positions[(item, warehouse)].actual,
			"reserved": positions[(item, warehouse)].reserved_orders
			+ positions[(item, warehouse)].reserved_proformas,
			"saleable": positions[(item, warehouse)].saleable,
			"incoming": incoming.get((item, warehouse), 0.0),
		}
		for item, warehouse in keys
	]


@frappe.whitelist()
def get_customer_position(
	customer: str, company: str, doctype: str = "Sales Order", payment_type: str | None = None
) -> dict:
	"""The customer's balance and remaining credit (under ERPNext's credit limit and under the credit
	policy that decides for this kind of document), shown on quotations, orders and invoices."""
	frappe.has_permission("Customer", "read", customer, throw=True)
	from distribution_sales.rules.credit import deciding_policies, remaining_credit
	from distribution_sales.sales_organisation.api import get_customer_credit

	out = get_customer_credit(customer, company) or {}
	doc = frappe._dict(
		customer=customer,
		party_name=customer,
		quotation_to="Customer",
		company=company,
		doctype=doctype,
		name="",
		items=[],
		ds_payment_type=payment_type,
	)
	figures = customer_figures(doc, locking=False)
	deciding = [
		p
		for p in deciding_policies(applicable_policies(doc), doctype, payment_type)
		if p.dimension == "customer"
	]
	remaining = remaining_credit(deciding, figures)
	out.update(
		{
			"currency": frappe.get_cached_value("Company", company, "default_currency"),
			"open_orders": figures.open_orders,
			"uncleared_cheques": figures.uncleared_cheques,
			"overdue_days": figures.overdue_days,
			"policy_remaining": remaining[1] if remaining else None,
			"policy": remaining[0] if remaining else None,
		}
	)
	return out
