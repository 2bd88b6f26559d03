"""Credit policies, quotas, the blacklist and saleable stock on sales documents (CRD-1..7): the stages
that overrides/selling_transaction.py calls on Sales Request, Quotation (proforma), Sales Order and
Sales Invoice.

The rules are in ``rules.credit``, ``rules.quotas`` and ``rules.stock``; the figures are gathered by
``credit`` (policies, ERPNext's own credit limits, the approval log), ``quotas`` and ``stock``
(saleable stock, proforma reservations); ``approvals`` assigns and notifies the people who decide;
``api`` holds the whitelisted calls; ``common`` the errors and settings names they share.

Saving a draft only warns. Submitting decides, under row locks taken in one fixed order (the customer,
the salesperson, then the stock bins sorted by item and warehouse), with *locking* reads of the
figures: MariaDB's repeatable-read snapshot would otherwise hide the orders that concurrent requests
committed while this one waited for its lock, and both would pass a limit meant for one. ERPNext's
own customer credit limits are decided here under the same locks, and ERPNext's unlocked check is
switched off on the documents decided here (``credit.take_over_credit_check``).
"""

import frappe
from frappe import _

from distribution_sales import roles
from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.sales_control.approvals import close_approval_assignments
from distribution_sales.sales_control.common import BlacklistedCustomerError, is_checked
from distribution_sales.sales_control.credit import (
	credit_decision,
	enforce_credit,
	explain,
	forget_outgrown_approval,
	take_over_credit_check,
)
from distribution_sales.sales_control.quotas import enforce_quotas, explain_quotas, quota_result
from distribution_sales.sales_control.stock import (
	convert_proforma_reservations,
	enforce_stock,
	refresh_bins,
	release_proforma,
	reserve_for_proforma,
	stock_keys,
)


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


def check_blacklist(doc):
	"""CRD-3: a blacklisted customer is not quoted, ordered or invoiced."""
	if frappe.db.get_value("Customer", customer_of(doc), "ds_is_blacklisted"):
		frappe.throw(
			_("Customer {0} is blacklisted and cannot be sold to").format(frappe.bold(customer_of(doc))),
			exc=BlacklistedCustomerError,
			title=_("Blacklisted Customer"),
		)


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


def lock_parties(doc):
	"""Serialise the decisions about one customer (and one salesperson's portfolio)."""
	frappe.db.sql("select name from `tabCustomer` where name = %s for update", customer_of(doc))
	if doc.get("ds_sales_person"):
		frappe.db.sql("select name from `tabSales Person` where name = %s for update", doc.ds_sales_person)
