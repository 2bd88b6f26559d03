"""The one path a selling document takes through this app: Sales Request, Quotation (proforma),
Sales Order, Sales Invoice and Delivery Note (remittance), wired once per event in hooks.py.

Each event calls the stages in the order written here; a new module adds a stage here, not a new
``doc_events`` block. The stages:

1. stamp the salesperson (ORG-4: the customer's owner, or the salesperson logged in);
2. price (PRC-1..5: prices, trade schemes, free goods, explanations) on Quotation, Sales Order and
   Sales Invoice;
3. document flow (DOC-1..4: links to the Sales Request, proforma validity, agreed rates, approval);
4. control checks (CRD-1..7: blacklist, credit policies, quotas, saleable stock);
5. locks and reservations, on submit.

Lock order on submit (the concurrency guarantees rest on it; every stage takes its row locks in this
order, and the order of the calls below is this order):
  a. Trade Scheme rows of the schemes the document uses (budgets), pricing.check_budgets;
  b. the customer, then the salesperson, controls.before_submit (lock_parties);
  c. the stock bins, sorted by (item, warehouse), controls.before_submit (enforce_stock);
  d. the batches leave first-expired-first-out, batches.before_submit (reads, no further locks).
The explanation rows of the schemes are set aside last and written in one INSERT on update.
"""

from distribution_sales.order_management import flow
from distribution_sales.overrides import batches, sales_document
from distribution_sales.pricing import apply as pricing
from distribution_sales.sales_control import controls

PRICED = frozenset({"Quotation", "Sales Order", "Sales Invoice"})
IN_FLOW = frozenset({"Quotation", "Sales Order"})  # made from a Sales Request, approval, proformas
CONTROLLED = frozenset({"Sales Request", "Quotation", "Sales Order", "Sales Invoice"})
STAMPED = frozenset({"Quotation", "Sales Order", "Sales Invoice", "Delivery Note"})
ISSUING = frozenset({"Sales Invoice", "Delivery Note"})  # goods leave, returns come back


def before_validate(doc, method=None):
	if doc.doctype in STAMPED:
		sales_document.set_sales_person(doc)
	if doc.doctype in PRICED:
		pricing.before_validate(doc)
	if doc.doctype in IN_FLOW:
		flow.before_validate(doc)
	elif doc.doctype == "Sales Invoice":
		flow.before_validate_invoice(doc)


def validate(doc, method=None):
	if doc.doctype in PRICED:
		pricing.validate(doc)
	if doc.doctype in ISSUING:
		flow.check_orders_approved(doc)
	if doc.doctype in CONTROLLED:
		controls.validate(doc)


def before_save(doc, method=None):
	if doc.doctype in PRICED:
		pricing.set_aside_explanations(doc)  # last: nothing after it reads them


def before_submit(doc, method=None):
	if doc.doctype in PRICED:
		pricing.check_budgets(doc)  # lock a: Trade Scheme rows
	if doc.doctype == "Sales Order":
		flow.before_submit_order(doc)
	if doc.doctype in ISSUING:
		sales_document.check_return_reason(doc)
	if doc.doctype in CONTROLLED:
		controls.before_submit(doc)  # locks b and c: customer, salesperson, bins
	if doc.doctype in ISSUING:
		batches.before_submit(doc)
	if doc.doctype in PRICED:
		pricing.set_aside_explanations(doc)


def on_update(doc, method=None):
	if doc.doctype in PRICED:
		pricing.write_set_aside_explanations(doc)


def on_submit(doc, method=None):
	if doc.doctype in IN_FLOW:
		flow.on_submit(doc)
	if doc.doctype in CONTROLLED:
		controls.on_submit(doc)


def before_cancel(doc, method=None):
	if doc.doctype == "Sales Order":
		flow.before_cancel_order(doc)


def on_cancel(doc, method=None):
	if doc.doctype in IN_FLOW:
		flow.on_cancel(doc)
	if doc.doctype in CONTROLLED:
		controls.on_cancel(doc)


def on_update_after_submit(doc, method=None):
	if doc.doctype in CONTROLLED:
		controls.on_update_after_submit(doc)
