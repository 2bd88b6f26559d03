"""Quotation, Sales Order, Sales Invoice and Delivery Note: salesperson stamp and return reasons."""

import frappe
from frappe import _

from distribution_sales.sales_organisation.access import is_scoped, sales_person_of, visible_sales_persons


class MissingReturnReasonError(frappe.ValidationError):
	pass


def set_sales_person(doc):
	"""Stamp the salesperson: the customer's owner, else the logged-in salesperson (ORG-4)."""
	user = frappe.session.user
	if not doc.get("ds_sales_person"):
		customer = customer_of(doc)
		doc.ds_sales_person = (
			customer and frappe.db.get_value("Customer", customer, "ds_sales_person")
		) or sales_person_of(user)
	if is_scoped(user) and doc.ds_sales_person not in visible_sales_persons(user):
		frappe.throw(
			_("You can only enter {0} for yourself or the salespeople you supervise").format(_(doc.doctype)),
			frappe.PermissionError,
		)


def customer_of(doc) -> str | None:
	if doc.doctype == "Quotation":
		return doc.party_name if doc.quotation_to == "Customer" else None
	return doc.get("customer") if doc.doctype != "Customer" else None


def check_return_reason(doc, method=None):
	"""A sales return must say why the goods came back (ORG-6, DOC-6)."""
	if not doc.get("is_return"):
		return
	if not doc.get("ds_return_reason"):
		frappe.throw(
			_("Choose a Return Reason before submitting return {0}").format(doc.name),
			MissingReturnReasonError,
		)
	if frappe.db.get_value("Return Reason", doc.ds_return_reason, "disabled"):
		frappe.throw(
			_("Return Reason {0} is disabled").format(frappe.bold(doc.ds_return_reason)),
			MissingReturnReasonError,
		)
