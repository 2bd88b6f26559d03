"""Document flow on ERPNext's selling documents (DOC-1..4, DOC-6).

The company's *Distribution Settings* say which steps it uses (``rules.document_flow.Flow``). This
module gathers the data, calls those rules and refuses what they refuse:

* links: a proforma or order made from a Sales Request points back to it, and the request to them;
* an order is not made from an expired proforma; quantities are above zero;
* without remittances an invoice made from an order issues the goods; with them, the invoice is made
  from the remittance (for the delivered quantity at the order's rate, see ``pricing.apply``);
* approval (DOC-4): a submitted order is *sent for approval* and assigned to the Sales Managers (a
  ToDo and a notification each); from then on only a Sales Manager changes it, unless a manager
  *returns it for edit*; approving or returning it closes the assignments; it is delivered and
  invoiced once approved;
* receipts (DOC-3): ERPNext Payment Entries against the submitted order, before or after approval;
  *Complete* closes the order and *Refund* pays back what was received and not invoiced.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, fmt_money, get_fullname, getdate, nowdate

from distribution_sales import roles
from distribution_sales.rules import RuleError
from distribution_sales.rules import document_flow as rules
from distribution_sales.sales_control.approvals import assign_approvers, close_approval_assignments
from distribution_sales.sales_organisation.doctype.distribution_settings.distribution_settings import (
	get_distribution_settings,
)
from distribution_sales.utils import DistributionValidationError, rule_errors

MANAGER_ROLES = roles.ORDER_MANAGERS
APPROVER_ROLE = roles.SALES_MANAGER  # who is assigned an order sent for approval


class FlowError(DistributionValidationError):
	"""The company's document flow refuses this."""


class ExpiredProformaError(FlowError):
	pass


class ApprovalError(FlowError):
	pass


# --- settings --------------------------------------------------------------------------------------

# the document-flow fields of Distribution Settings (their defaults are in the DocType JSON)
FLOW_FIELDS = (
	"use_sales_request",
	"use_proforma",
	"use_remittance",
	"orders_need_approval",
	"proforma_valid_days",
)


def flow_settings(company: str):
	"""The company's document-flow settings (its Distribution Settings, defaults from the DocType)."""
	return get_distribution_settings(company)


def get_flow(company: str) -> rules.Flow:
	s = flow_settings(company)
	return rules.Flow(bool(s.use_sales_request), bool(s.use_proforma), bool(s.use_remittance))


def needs_approval(company: str) -> bool:
	return bool(flow_settings(company).orders_need_approval)


def is_manager(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(MANAGER_ROLES & set(frappe.get_roles(user)))


def check_quantities(doc):
	with rule_errors(exc=FlowError):
		rules.check_quantities([(row.idx, row.item_code, flt(row.qty)) for row in doc.items])


# --- Quotation and Sales Order ---------------------------------------------------------------------


def before_validate(doc, method=None):
	"""Quotation and Sales Order: quantities, the link to the request, the proforma's validity."""
	if doc.docstatus != 0 or doc.get("is_return"):
		return
	check_quantities(doc)
	if doc.doctype == "Sales Order":
		link_request_through_proforma(doc)
		check_proformas_valid(doc)


def proformas_of(doc) -> list[str]:
	return sorted({row.prevdoc_docname for row in doc.items if row.get("prevdoc_docname")})


def link_request_through_proforma(doc):
	if doc.get("ds_sales_request"):
		return
	for quotation in proformas_of(doc):
		request = frappe.db.get_value("Quotation", quotation, "ds_sales_request")
		if request:
			doc.ds_sales_request = request
			return


def check_proformas_valid(doc):
	names = proformas_of(doc)
	if not names:
		return
	today = getdate(nowdate())
	for q in frappe.get_all("Quotation", {"name": ("in", names)}, ["name", "valid_till"]):
		with rule_errors(title=_("Proforma Expired"), exc=ExpiredProformaError):
			rules.check_proforma_valid(q.name, getdate(q.valid_till) if q.valid_till else None, today)


def on_submit(doc, method=None):
	"""Quotation and Sales Order: the request shows what it became; an order submitted for approval
	is assigned to the Sales Managers."""
	link_request(doc, doc.name)
	if doc.doctype == "Sales Order" and doc.get("ds_approval_state") == rules.SENT:
		assign_order_approvers(doc)


def on_cancel(doc, method=None):
	link_request(doc, None)
	if doc.doctype == "Sales Order":
		close_approval_assignments(doc, APPROVER_ROLE, "Cancelled")
	ignored = list(doc.get("ignore_linked_doctypes") or [])
	doc.ignore_linked_doctypes = (*ignored, "Sales Request")


def link_request(doc, value: str | None):
	request_name = doc.get("ds_sales_request")
	if not request_name:
		return
	field = "quotation" if doc.doctype == "Quotation" else "sales_order"
	request = frappe.get_doc("Sales Request", request_name, for_update=True)
	current = request.get(field)
	direct = doc.doctype == "Quotation" or not proformas_of(doc)  # made from the request itself
	if value:
		if current and current != doc.name:
			if not direct:
				return  # a further order of the same proforma: the request keeps its first order
			frappe.throw(
				_("Sales Request {0} was already converted to {1}").format(request.name, current), FlowError
			)
		if request.docstatus != 1:
			frappe.throw(_("Submit Sales Request {0} before converting it").format(request.name), FlowError)
	elif current != doc.name:
		return
	request.db_set(field, value)
	request.set_status(update=True)


# --- DOC-4 approval and edit rules -------------------------------------------------------------------


def before_submit_order(doc, method=None):
	"""Submitting an order sends it for approval (a manager's own order is approved at once)."""
	doc.ds_approval_state = rules.first_state(needs_approval(doc.company), is_manager())


def before_cancel_order(doc, method=None):
	check_may_edit(doc)


def check_may_edit(doc):
	submitted = doc.docstatus != 0  # a cancel runs with docstatus 2 already set
	if not rules.may_edit(submitted, doc.get("ds_approval_state"), is_manager()):
		frappe.throw(
			_("Sales Order {0} went for approval: only a Sales Manager may change or cancel it now").format(
				doc.name
			),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


@frappe.whitelist()
def update_items(
	parent_doctype: str, trans_items: str, parent_doctype_name: str, child_docname: str = "items"
):
	"""ERPNext's *Update Items* on a submitted document, refused on an order the salesperson may no
	longer edit (DOC-4)."""
	from erpnext.controllers.accounts_controller import update_child_qty_rate

	if parent_doctype == "Sales Order":
		check_may_edit(frappe.get_doc("Sales Order", parent_doctype_name))
	return update_child_qty_rate(parent_doctype, trans_items, parent_doctype_name, child_docname)


def _approval_action(name: str, action: str) -> str:
	doc = frappe.get_doc("Sales Order", name, for_update=True)
	doc.check_permission("submit" if action == "send" else "write")
	if not needs_approval(doc.company):
		frappe.throw(_("Orders of company {0} need no approval").format(doc.company), ApprovalError)
	with rule_errors(exc=ApprovalError):
		state = rules.next_approval_state(doc.get("ds_approval_state"), action, is_manager())
	if doc.docstatus == 0:
		doc.submit()  # sending a draft is submitting it (before_submit_order sets the state, on_submit assigns)
	elif doc.docstatus == 1:
		doc.db_set("ds_approval_state", state)
		doc.add_comment("Info", _(state))
		if state == rules.SENT:
			assign_order_approvers(doc)
		else:  # approved or returned for edit: decided
			close_approval_assignments(doc, APPROVER_ROLE)
	else:
		frappe.throw(_("Sales Order {0} is cancelled").format(name), ApprovalError)
	return doc.ds_approval_state


def assign_order_approvers(doc):
	sender = get_fullname(frappe.session.user)
	assign_approvers(
		doc,
		APPROVER_ROLE,
		lambda lang: _("{0} sent Sales Order {1} for approval", lang=lang).format(
			frappe.bold(sender), doc.name
		),
		_("Approve Sales Order {0} of {1} ({2}) or return it for edit").format(
			doc.name, doc.customer_name or doc.customer, fmt_money(doc.grand_total, currency=doc.currency)
		),
	)


@frappe.whitelist()
def send_for_approval(name: str) -> str:
	return _approval_action(name, "send")


@frappe.whitelist()
def approve_order(name: str) -> str:
	return _approval_action(name, "approve")


@frappe.whitelist()
def return_for_edit(name: str) -> str:
	return _approval_action(name, "return")


def check_orders_approved(doc, method=None):
	"""Delivery Note and Sales Invoice: an order that needs approval is fulfilled only when approved."""
	if doc.docstatus != 0 or doc.get("is_return"):
		return
	field = "against_sales_order" if doc.doctype == "Delivery Note" else "sales_order"
	orders = sorted({row.get(field) for row in doc.items if row.get(field)})
	for so in orders:
		company, state = frappe.db.get_value("Sales Order", so, ["company", "ds_approval_state"])
		if not rules.may_fulfil(needs_approval(company), state):
			frappe.throw(
				_("Sales Order {0} is not approved yet ({1})").format(
					so, _(state) if state else _("Not Sent")
				),
				ApprovalError,
			)


# --- DOC-1 / DOC-2 invoices in the company's flow ----------------------------------------------------


def before_validate_invoice(doc, method=None):
	"""Without remittances an invoice made from an order issues the goods; with them, an order is
	invoiced from its remittance (what was delivered)."""
	if doc.docstatus != 0 or doc.get("is_return"):
		return
	check_quantities(doc)
	from_order = [row for row in doc.items if row.get("sales_order") and not row.get("dn_detail")]
	if not from_order:
		return
	flow = get_flow(doc.company)
	if flow.invoice_issues_stock:
		doc.update_stock = 1
		for row in from_order:
			row.warehouse = row.warehouse or frappe.db.get_value(
				"Sales Order Item", row.so_detail, "warehouse"
			)
		return
	frappe.throw(
		_(
			"In company {0} goods leave on a remittance: make the invoice of Sales Order {1} from its Delivery Note"
		).format(doc.company, from_order[0].sales_order),
		FlowError,
	)


# --- DOC-3 receipts, DOC-4 completion and refund -----------------------------------------------------


def receipts_of(so) -> rules.Receipts:
	invoiced = sum(flt(row.billed_amt) for row in so.items)
	pe = frappe.qb.DocType("Payment Entry")
	refunded = (
		frappe.qb.from_(pe)
		.select(Sum(pe.paid_amount))
		.where((pe.ds_refund_of == so.name) & (pe.docstatus == 1) & (pe.payment_type == "Pay"))
		.run()
	)[0][0]
	return rules.Receipts(
		total=flt(so.grand_total), received=flt(so.advance_paid), invoiced=invoiced, refunded=flt(refunded)
	)


def is_closed(so) -> bool:
	return so.status in ("Closed", "Completed")


@frappe.whitelist()
def order_receipts(name: str) -> dict:
	"""Received, remaining and refundable of an order, and what the user may do with it
	(``allowed_actions``), for its form: the form shows exactly those buttons."""
	so = frappe.get_doc("Sales Order", name)
	so.check_permission("read")
	r = receipts_of(so)
	return {
		"received": r.received,
		"refunded": r.refunded,
		"remaining": r.remaining,
		"invoiced": r.invoiced,
		"refundable": r.refundable(is_closed(so)),
		"needs_approval": needs_approval(so.company),
		"allowed_actions": allowed_actions(so, r),
	}


# the order form's actions: send, approve, return (DOC-4 approval), complete, refund (DOC-3, DOC-4)
APPROVAL_PERMISSION = {"send": "submit", "approve": "write", "return": "write"}


def allowed_actions(so, receipts: rules.Receipts | None = None) -> list[str]:
	"""What the session user may do with the order, by the rules the actions themselves apply: the
	approval state machine (rules.document_flow) for send / approve / return, a Sales Manager
	completing an open submitted order and refunding what a completed one received and did not
	invoice."""
	if so.docstatus == 2:
		return []
	manager = is_manager()
	out = []
	if needs_approval(so.company):
		for action, ptype in APPROVAL_PERMISSION.items():
			try:
				rules.next_approval_state(so.get("ds_approval_state"), action, manager)
			except RuleError:
				continue
			if so.has_permission(ptype):
				out.append(action)
	if so.docstatus == 1 and manager and so.has_permission("write"):
		if not is_closed(so):
			out.append("complete")
		elif (receipts or receipts_of(so)).refundable(True) > 0 and frappe.has_permission(
			"Payment Entry", "create"
		):
			out.append("refund")
	return out


@frappe.whitelist()
def get_flow_steps(company: str) -> list[str]:
	"""The documents the company uses, in order (for the forms' Create buttons)."""
	frappe.has_permission("Company", "read", company, throw=True)
	return list(get_flow(company).steps())


@frappe.whitelist()
def complete_order(name: str) -> str:
	"""Close an order that will not be delivered or invoiced further (ERPNext's *Closed*)."""
	so = frappe.get_doc("Sales Order", name)
	so.check_permission("write")
	if not is_manager():
		frappe.throw(_("Only a Sales Manager may complete an order"), frappe.PermissionError)
	if so.docstatus != 1:
		frappe.throw(_("Submit Sales Order {0} before completing it").format(name), FlowError)
	if not is_closed(so):
		so.update_status("Closed")
	return frappe.db.get_value("Sales Order", name, "status")


@frappe.whitelist()
def make_refund(name: str, amount: float | None = None, mode_of_payment: str | None = None) -> str:
	"""Pay back to the customer what was received on a completed order and not invoiced: a submitted
	Payment Entry of type Pay to the customer, marked as the refund of the order. Returns its name."""
	from erpnext.accounts.doctype.journal_entry.journal_entry import get_default_bank_cash_account
	from erpnext.accounts.party import get_party_account

	so = frappe.get_doc("Sales Order", name, for_update=True)
	so.check_permission("write")
	if not is_manager():
		frappe.throw(_("Only a Sales Manager may refund an order"), frappe.PermissionError)
	frappe.has_permission("Payment Entry", "create", throw=True)
	r = receipts_of(so)
	closed = is_closed(so)
	amount = flt(amount) if amount else r.refundable(closed)
	with rule_errors(title=_("Refund"), exc=FlowError):
		r.check_refund(amount, closed)
	bank = get_default_bank_cash_account(so.company, "Cash", mode_of_payment=mode_of_payment)
	pe = frappe.get_doc(
		{
			"doctype": "Payment Entry",
			"payment_type": "Pay",
			"company": so.company,
			"posting_date": nowdate(),
			"mode_of_payment": mode_of_payment,
			"party_type": "Customer",
			"party": so.customer,
			"paid_from": bank.account,
			"paid_to": get_party_account("Customer", so.customer, so.company),
			"paid_amount": amount,
			"received_amount": amount,
			"reference_no": so.name,
			"reference_date": nowdate(),
			"ds_refund_of": so.name,
			"remarks": _("Refund of Sales Order {0}").format(so.name),
		}
	)
	pe.setup_party_account_field()
	pe.set_missing_values()
	pe.insert()
	pe.submit()
	return pe.name
