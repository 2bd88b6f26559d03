"""Sales Request: what a visitor takes in the shop (DOC-1).

Priced by the same engine as quotations and orders (``pricing.apply``: distribution prices and trade
schemes), so the visitor shows the customer the price the proforma or order will start from. Submitted,
it becomes a proforma (Quotation) or, when the company uses no proformas, a Sales Order.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.mapper import get_mapped_doc
from frappe.utils import add_days, flt, getdate, nowdate

from distribution_sales.order_management.flow import check_quantities, flow_settings, get_flow
from distribution_sales.overrides.sales_document import set_sales_person
from distribution_sales.pricing import apply
from distribution_sales.pricing.common import paid_rows
from distribution_sales.rules.document_flow import SALES_REQUEST
from distribution_sales.utils import DistributionValidationError, rule_errors


class SalesRequestError(DistributionValidationError):
	pass


class SalesRequest(Document):
	def before_validate(self):
		check_quantities(self)
		set_sales_person(self)
		self.fill_warehouses()
		apply.before_validate(self)

	def validate(self):
		self.check_company_uses_requests()
		if self.docstatus == 0:  # priced while a draft; submitting keeps the prices
			self.start_rates_from_price_list()
			apply.validate(self)
		self.calculate_taxes_and_totals()
		self.set_status()

	def on_submit(self):
		self.set_status(update=True)

	def on_cancel(self):
		self.set_status(update=True)

	def check_company_uses_requests(self):
		if not get_flow(self.company).use_sales_request:
			frappe.throw(
				_("Company {0} does not use Sales Requests (see its Distribution Settings)").format(
					frappe.bold(self.company)
				),
				SalesRequestError,
			)

	def fill_warehouses(self):
		for row in self.items:
			row.warehouse = row.warehouse or self.set_warehouse

	def start_rates_from_price_list(self):
		"""A request is not where prices are negotiated: each line starts from its price, then schemes."""
		for row in paid_rows(self):
			row.rate = flt(row.price_list_rate)
			row.discount_percentage = 0
			row.discount_amount = 0

	def calculate_taxes_and_totals(self):
		"""Line amounts and totals (named like ERPNext's so the pricing engine can call it)."""
		for row in self.items:
			row.conversion_factor = flt(row.conversion_factor) or 1.0
			row.stock_qty = flt(row.qty) * row.conversion_factor
			row.amount = flt(row.qty) * flt(row.rate)
		self.total_qty = sum(flt(row.qty) for row in self.items)
		self.total = sum(flt(row.amount) for row in self.items)

	def set_status(self, update: bool = False):
		if self.docstatus == 0:
			status = "Draft"
		elif self.docstatus == 2:
			status = "Cancelled"
		elif self.quotation or self.sales_order:
			status = "Converted"
		else:
			status = "Submitted"
		if update:
			self.db_set("status", status)
		else:
			self.status = status


@frappe.whitelist()
def make_quotation(source_name: str):
	"""The proforma of a Sales Request (Create > Proforma)."""
	return make_document(source_name, "Quotation")


@frappe.whitelist()
def make_sales_order(source_name: str):
	"""The order of a Sales Request, when the company uses no proformas (Create > Sales Order)."""
	return make_document(source_name, "Sales Order")


def make_document(source_name: str, target_doctype: str):
	request = frappe.get_doc("Sales Request", source_name)
	request.check_permission("read")
	frappe.has_permission(target_doctype, "create", throw=True)
	with rule_errors(exc=SalesRequestError):
		get_flow(request.company).check_step(SALES_REQUEST, target_doctype)
	if request.docstatus != 1:
		frappe.throw(
			_("Submit Sales Request {0} before converting it").format(request.name), SalesRequestError
		)
	if request.quotation or request.sales_order:
		frappe.throw(
			_("Sales Request {0} was already converted to {1}").format(
				request.name, request.quotation or request.sales_order
			),
			SalesRequestError,
		)
	today = nowdate()
	valid_days = flow_settings(request.company).proforma_valid_days

	def set_missing_values(source, target):
		target.transaction_date = today
		if target_doctype == "Quotation":
			target.quotation_to = "Customer"
			target.valid_till = add_days(today, valid_days)
		else:
			target.delivery_date = max(getdate(source.delivery_date or today), getdate(today))
		target.run_method("set_missing_values")
		target.run_method("calculate_taxes_and_totals")

	def update_item(source, target, source_parent):
		target.stock_qty = flt(source.qty) * flt(source.conversion_factor or 1)
		if target_doctype == "Sales Order":
			target.delivery_date = max(getdate(source_parent.delivery_date or today), getdate(today))

	header_map = {"name": "ds_sales_request", "payment_type": "ds_payment_type"}
	if target_doctype == "Quotation":
		header_map["customer"] = "party_name"
	return get_mapped_doc(
		"Sales Request",
		source_name,
		{
			"Sales Request": {
				"doctype": target_doctype,
				"field_map": header_map,
				"field_no_map": ["transaction_date", "status"],
				"validation": {"docstatus": ["=", 1]},
			},
			"Sales Request Item": {
				"doctype": f"{target_doctype} Item",
				"field_map": {"name": "ds_sales_request_item"},
				"condition": lambda row: not row.ds_is_scheme_free,  # the target's schemes give them again
				"postprocess": update_item,
			},
		},
		None,
		set_missing_values,
	)
