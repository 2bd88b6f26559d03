"""The whitelisted calls of sales control: credit approval, and what the forms show (a customer's
position, saleable stock, what each line is short of, which credit actions the user has). Thin:
permission-checked, then the modules do the work. The forms render what these return and decide
nothing themselves."""

import frappe
from frappe import _
from frappe.utils import cint, flt, fmt_money, get_fullname, getdate, nowdate

from distribution_sales import roles
from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.sales_control.approvals import assign_approvers, close_approval_assignments
from distribution_sales.sales_control.common import DOCUMENT_FLAGS
from distribution_sales.sales_control.credit import (
	add_log,
	applicable_policies,
	credit_decision,
	customer_figures,
	document_amount,
	explain,
)
from distribution_sales.sales_control.stock import (
	default_warehouse,
	incoming_production,
	line_status,
	lock_positions,
)

# the documents whose forms show the customer's position and their lines' stock
FORM_DOCTYPES = ("Sales Request", "Quotation", "Sales Order", "Sales Invoice")


@frappe.whitelist(methods=["POST"])
def request_credit_approval(doctype: str, name: str) -> str:
	"""CRD-2: the salesperson sends a document that credit policies block to the Credit Controllers,
	who each get it assigned (a ToDo and a notification)."""
	doc = _draft(doctype, name, "write")
	decision, refusal = _credit_request(doc)
	if refusal:
		frappe.throw(refusal)
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
	if not can_decide_credit():
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


def can_decide_credit(user: str | None = None) -> bool:
	"""CRD-2: who approves or rejects a document sent for credit approval."""
	return bool(roles.CREDIT_DECIDERS & set(frappe.get_roles(user)))


@frappe.whitelist()
def get_credit_actions(doctype: str, name: str) -> dict:
	"""The credit approval buttons of a draft's form (CRD-2), decided here: ``request`` when its credit
	policies block it and nothing covers it yet (what request_credit_approval accepts), ``approve`` and
	``reject`` for a Credit Controller while it waits. ``can_decide_credit``: the user decides."""
	deciding = can_decide_credit()
	out = {"allowed_actions": [], "can_decide_credit": deciding}
	if doctype not in DOCUMENT_FLAGS or not frappe.get_meta(doctype).has_field("ds_credit_state"):
		return out  # a Sales Request is decided on the proforma or order it becomes
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("read")
	if doc.docstatus != 0:
		return out
	if doc.get("ds_credit_state") == "Pending Approval":
		if deciding:
			out["allowed_actions"] = ["approve", "reject"]
	elif doc.has_permission("write") and not _credit_request(doc)[1]:
		out["allowed_actions"] = ["request"]
	return out


def _credit_request(doc) -> tuple:
	"""(decision, why it cannot be sent for credit approval, or None)."""
	decision = credit_decision(doc)
	if not decision or not decision.blocked:
		return decision, _("The document is within its credit limits: no approval is needed")
	if doc.get("ds_credit_state") == "Pending Approval":
		return decision, _("The document is already waiting for credit approval")
	if (
		doc.get("ds_credit_state") == "Approved"
		and document_amount(doc) <= flt(doc.get("ds_credit_approved_amount")) + 0.005
	):
		return decision, _("The document's credit approval covers it already")
	return decision, None


def _draft(doctype: str, name: str, ptype: str):
	if doctype not in DOCUMENT_FLAGS:
		frappe.throw(_("Credit approval is not used for {0}").format(_(doctype)))
	doc = frappe.get_doc(doctype, name, for_update=True)  # one request or decision at a time
	doc.check_permission(ptype)
	if doc.docstatus != 0:
		frappe.throw(_("Only a draft can be sent for credit approval"))
	return doc


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
			"reserved": positions[(item, warehouse)].reserved,
			"saleable": positions[(item, warehouse)].saleable,
			"incoming": incoming.get((item, warehouse), 0.0),
		}
		for item, warehouse in keys
	]


@frappe.whitelist(methods=["POST"])
def get_line_status(doc: str | dict) -> dict:
	"""CRD-6 at entry, decided here for the form (order, proforma, invoice, sales request): per line
	that takes stock, its saleable figure and whether the document is short of it (``short``, with the
	``shortage``), by the same rule that refuses the submit. ``doc`` is the form's document as it
	stands (saved or not); nothing is saved."""
	doc = frappe.get_doc(frappe.parse_json(doc) if isinstance(doc, str) else doc)
	if doc.doctype not in FORM_DOCTYPES:
		frappe.throw(_("Saleable stock is not shown for {0}").format(_(doc.doctype)))
	if doc.name and not doc.is_new() and frappe.db.exists(doc.doctype, doc.name):
		frappe.has_permission(doc.doctype, "read", doc.name, throw=True)
	else:
		frappe.has_permission(doc.doctype, "create", throw=True)
	return line_status(doc)


@frappe.whitelist()
def get_customer_position(
	customer: str, company: str, doctype: str = "Sales Order", payment_type: str | None = None
) -> dict:
	"""The customer's balance and remaining credit (under ERPNext's credit limit and under the credit
	policy that decides for this kind of document), shown on sales requests, quotations, orders and
	invoices; ``over_limit`` when either is exceeded already."""
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
			# the form turns red: ERPNext's credit limit or the deciding policy is exceeded already
			"over_limit": bool(out.get("over_limit")) or bool(remaining and remaining[1] < 0),
		}
	)
	return out
